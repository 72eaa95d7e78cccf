// The Worker: HTTP through the Hono app, inbound mail, and the Durable Object classes it binds.
import { app } from "./app";
import { receiveEmail } from "./channels/email";
import { database } from "./db/client";
import { refreshPages } from "./domain/pages";
import { purgeDeleted } from "./domain/privacy";
import { loadSettings } from "./domain/settings";
import { attemptDelivery, type DeliveryJob } from "./domain/subscriptions";
import type { Env } from "./env";

export { ConversationRoom } from "./realtime/room";
export { InboxFeed } from "./realtime/inbox";

export default {
  fetch: app.fetch,
  email: (message, env) => receiveEmail(env, message),
  // Outbound webhooks: each message is one delivery's next attempt; a failed one comes back later.
  async queue(batch, env) {
    await Promise.all(
      batch.messages.map(async (message) => {
        try {
          const retryIn = await attemptDelivery(env, message.body.deliveryId);
          if (retryIn === null) message.ack();
          else message.retry({ delaySeconds: retryIn });
        } catch (error) {
          console.error("webhook delivery attempt failed to run", error);
          message.retry({ delaySeconds: 30 });
        }
      }),
    );
  },
  // The cron trigger, daily: the assistant's pages are read again, and deletions past their 30 days become final.
  async scheduled(_controller, env) {
    const db = database(env.DB);
    await purgeDeleted(db);
    await refreshPages(db, (await loadSettings(db)).ai.urls);
  },
} satisfies ExportedHandler<Env, DeliveryJob>;
