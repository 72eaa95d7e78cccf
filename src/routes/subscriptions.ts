// Admins' webhook subscriptions (a CRM hearing of Parley's events), and each one's delivery log.
import { z } from "zod";
import { database } from "../db/client";
import {
  createSubscription,
  deleteSubscription,
  getSubscription,
  listDeliveries,
  listSubscriptions,
  retryDelivery,
  sendTestEvent,
  updateSubscription,
  WEBHOOK_EVENTS,
  type Delivery as DeliveryRow,
  type Subscription as SubscriptionRow,
} from "../domain/subscriptions";
import { ApiRouter } from "../http/router";
import { Cursor, encodeCursor, Limit, Ok } from "./schemas";

export const subscriptionRoutes = new ApiRouter("/api");

const isLocal = (host: string) => host === "localhost" || host === "127.0.0.1" || host === "[::1]";

/** An endpoint on the public internet over HTTPS; plain HTTP only to this machine, for trying things out. */
const EndpointUrl = z
  .url({ protocol: /^https?$/ })
  .max(2_000)
  // Checked after the URL check, whose failure does not stop zod running this.
  .refine((url) => {
    const parsed = URL.canParse(url) ? new URL(url) : null;
    return !parsed || parsed.protocol === "https:" || isLocal(parsed.hostname);
  }, "Use an https:// address (http:// only for localhost).");
const Secret = z.string().min(16, "Use a secret of at least 16 characters.").max(200);
const Events = z
  .array(z.enum(WEBHOOK_EVENTS))
  .min(1, "Choose at least one event.")
  .transform((events) => [...new Set(events)]);

const Fields = z.object({ url: EndpointUrl, secret: Secret, events: Events, enabled: z.boolean().optional() });

const Subscription = z.object({ id: z.string(), url: z.string(), events: z.array(z.string()), enabled: z.boolean(), secret: z.string(), createdAt: z.number() });
const Delivery = z.object({
  id: z.string(),
  eventId: z.string(),
  type: z.string(),
  status: z.enum(["pending", "delivered", "dead"]),
  attempts: z.number(),
  lastStatus: z.number().nullable(),
  lastError: z.string().nullable(),
  nextAttemptAt: z.number().nullable(),
  createdAt: z.number(),
  deliveredAt: z.number().nullable(),
});

/** The secret is write-only, as every secret in Settings. */
const subscriptionView = ({ secret: _secret, ...rest }: SubscriptionRow) => ({ ...rest, secret: "••••••••" });
const deliveryView = (d: DeliveryRow): z.infer<typeof Delivery> => ({
  id: d.id,
  eventId: d.eventId,
  type: d.type,
  status: d.status,
  attempts: d.attempts,
  lastStatus: d.lastStatus,
  lastError: d.lastError,
  nextAttemptAt: d.status === "pending" ? d.nextAttemptAt : null,
  createdAt: d.createdAt,
  deliveredAt: d.deliveredAt,
});

subscriptionRoutes.get("/webhooks", { summary: "Webhook subscriptions", access: "admin", response: z.object({ items: z.array(Subscription) }) }, async (c) =>
  c.json({ items: (await listSubscriptions(database(c.env.DB))).map(subscriptionView) }),
);

subscriptionRoutes.post(
  "/webhooks",
  {
    summary: `Subscribe an endpoint to events (${WEBHOOK_EVENTS.join(", ")}). Each is POSTed as JSON {id, type, createdAt, data}, signed X-Parley-Signature: t=<unix>,v1=<hex HMAC-SHA256 of "<t>.<body>">, retried for a day on any non-2xx`,
    access: "admin",
    body: Fields,
    response: Subscription,
    status: 201,
  },
  async (c, { body }) => c.json(subscriptionView(await createSubscription(database(c.env.DB), body)), 201),
);

subscriptionRoutes.get("/webhooks/:id", { summary: "One webhook subscription", access: "admin", response: Subscription }, async (c, { params }) =>
  c.json(subscriptionView(await getSubscription(database(c.env.DB), params.id!))),
);

subscriptionRoutes.patch(
  "/webhooks/:id",
  {
    summary: "Change a subscription's URL, secret, events, or turn it off (its pending deliveries are then given up)",
    access: "admin",
    body: Fields.partial().strict(),
    response: Subscription,
  },
  async (c, { body, params }) => c.json(subscriptionView(await updateSubscription(database(c.env.DB), params.id!, body))),
);

subscriptionRoutes.delete("/webhooks/:id", { summary: "Delete a subscription and its delivery log", access: "admin", response: Ok }, async (c, { params }) => {
  await deleteSubscription(database(c.env.DB), params.id!);
  return c.json({ ok: true });
});

subscriptionRoutes.get(
  "/webhooks/:id/deliveries",
  {
    summary: "The subscription's deliveries, newest first: status, attempts, the endpoint's last answer, the next try",
    access: "admin",
    query: z.object({ cursor: Cursor.optional(), limit: Limit }),
    response: z.object({ items: z.array(Delivery), nextCursor: z.string().nullable() }),
  },
  async (c, { params, query }) => {
    const db = database(c.env.DB);
    await getSubscription(db, params.id!);
    const page = await listDeliveries(db, params.id!, { cursor: query.cursor, limit: query.limit });
    return c.json({ items: page.items.map(deliveryView), nextCursor: encodeCursor(page.next) });
  },
);

subscriptionRoutes.post(
  "/webhooks/:id/deliveries/:deliveryId/retry",
  {
    summary: "Try a pending or dead delivery again now",
    access: "admin",
    response: Delivery,
  },
  async (c, { params }) => c.json(deliveryView(await retryDelivery(c.env, params.id!, params.deliveryId!))),
);

subscriptionRoutes.post(
  "/webhooks/:id/test",
  {
    summary: "Send a webhook.test event to this subscription now, to check the endpoint",
    access: "admin",
    response: Delivery,
  },
  async (c, { params }) => c.json(deliveryView(await sendTestEvent(c.env, await getSubscription(database(c.env.DB), params.id!)))),
);
