// The Worker: HTTP through the Hono app, and the Durable Object classes it binds.
import { app } from "./app";
import type { Env } from "./env";

export { ConversationRoom } from "./realtime/room";
export { InboxFeed } from "./realtime/inbox";

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
