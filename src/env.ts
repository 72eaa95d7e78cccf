import type { User } from "./db/schema";
import type { Credential } from "./domain/sessions";
import type { DeliveryJob } from "./domain/subscriptions";
import type { ConversationRoom } from "./realtime/room";
import type { InboxFeed } from "./realtime/inbox";

export interface Env {
  DB: D1Database;
  ASSETS: Fetcher;
  ROOMS: DurableObjectNamespace<ConversationRoom>;
  INBOX: DurableObjectNamespace<InboxFeed>;
  EMAIL: SendEmail;
  ATTACHMENTS: R2Bucket;
  LOGIN_PER_ACCOUNT: RateLimit;
  LOGIN_PER_CLIENT: RateLimit;
  WIDGET_PER_CLIENT: RateLimit;
  WEBHOOKS: Queue<DeliveryJob>;
  /** Workers AI: absent where there is no model (local dev, tests), and the built-in assistant answers. */
  AI?: Ai;
}

// What a signed-in request carries through the Hono app.
export type AppEnv = { Bindings: Env; Variables: { user: User; credential: Credential } };
