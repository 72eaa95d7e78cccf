// The Worker: HTTP through the Hono app, inbound mail, and the Durable Object classes it binds.
import { app } from "./app";
import { receiveEmail } from "./channels/email";
import type { Env } from "./env";

export { ConversationRoom } from "./realtime/room";
export { InboxFeed } from "./realtime/inbox";

export default {
  fetch: app.fetch,
  email: (message, env) => receiveEmail(env, message),
} satisfies ExportedHandler<Env>;
