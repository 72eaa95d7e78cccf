// Outbound webhooks: what a CRM subscribes to, and each event's delivery to it. An event becomes
// one delivery row per subscription that wants it (once, whoever reports it again), and a queue
// message that makes the attempts: signed, retried with backoff for a day, then given up on.
import { and, desc, eq, isNull, lt, or, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { database } from "../db/client";
import { webhookDeliveries, webhookSubscriptions } from "../db/schema";
import type { Env } from "../env";
import { notFound } from "../errors";
import { newId } from "./ids";

export const WEBHOOK_EVENTS = [
  "contact.created",
  "contact.updated",
  "contact.merged",
  "conversation.created",
  "conversation.assigned",
  "conversation.completed",
  "conversation.reopened",
  "message.created",
  "automation.entered",
] as const;
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number];

/** Sent only when an admin asks, to check an endpoint. */
const TEST_EVENT = "webhook.test";

/** What the queue carries: which delivery to attempt. */
export type DeliveryJob = { deliveryId: string };

/** A delivery is retried for this long after its event, then marked dead. */
export const DELIVERY_WINDOW_MS = 24 * 3_600_000;
const ATTEMPT_TIMEOUT_MS = 10_000;
/** How long one attempt holds a delivery: another consumer does not send it meanwhile. */
const LEASE_MS = ATTEMPT_TIMEOUT_MS + 20_000;
const MAX_ERROR_CHARS = 500;

export type Subscription = typeof webhookSubscriptions.$inferSelect;
export type Delivery = typeof webhookDeliveries.$inferSelect;

// Subscriptions change rarely and every event reads them: each isolate keeps them a few seconds.
const SUBSCRIPTIONS_KEPT_MS = 5_000;
let kept: { at: number; subscriptions: Subscription[] } | null = null;

async function enabledSubscriptions(db: Db): Promise<Subscription[]> {
  if (kept && Date.now() - kept.at < SUBSCRIPTIONS_KEPT_MS) return kept.subscriptions;
  const subscriptions = await db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.enabled, true));
  kept = { at: Date.now(), subscriptions };
  return subscriptions;
}

export type SubscriptionInput = { url: string; secret: string; events: string[]; enabled?: boolean };

export async function createSubscription(db: Db, input: SubscriptionInput): Promise<Subscription> {
  const subscription: Subscription = { id: newId(), url: input.url, secret: input.secret, events: input.events, enabled: input.enabled ?? true, createdAt: Date.now() };
  await db.insert(webhookSubscriptions).values(subscription);
  kept = null;
  return subscription;
}

export async function updateSubscription(db: Db, id: string, changes: Partial<SubscriptionInput>): Promise<Subscription> {
  const [updated] = Object.keys(changes).length
    ? await db.update(webhookSubscriptions).set(changes).where(eq(webhookSubscriptions.id, id)).returning()
    : await db.select().from(webhookSubscriptions).where(eq(webhookSubscriptions.id, id));
  if (!updated) throw notFound("Webhook");
  kept = null;
  return updated;
}

export async function deleteSubscription(db: Db, id: string): Promise<void> {
  const [gone] = await db.delete(webhookSubscriptions).where(eq(webhookSubscriptions.id, id)).returning({ id: webhookSubscriptions.id });
  if (!gone) throw notFound("Webhook");
  kept = null;
}

export async function getSubscription(db: Db, id: string): Promise<Subscription> {
  const found = await db.query.webhookSubscriptions.findFirst({ where: eq(webhookSubscriptions.id, id) });
  if (!found) throw notFound("Webhook");
  return found;
}

export const listSubscriptions = (db: Db) => db.select().from(webhookSubscriptions).orderBy(webhookSubscriptions.createdAt);

/**
 * Tells every subscription that wants it. `key` names the event where it can happen twice (a
 * message is created once: its id), so a second report of it delivers nothing new.
 */
export async function publishEvent(env: Env, type: WebhookEvent, data: Record<string, unknown>, key: string = newId()): Promise<void> {
  try {
    const db = database(env.DB);
    const wanted = (await enabledSubscriptions(db)).filter((s) => s.events.includes(type));
    if (wanted.length) await enqueue(env, wanted, `${type}:${key}`, type, data);
  } catch (error) {
    // The change itself is kept; its subscribers hear of it as far as D1 and the queue allow.
    console.error(`webhook event ${type} not published`, error);
  }
}

/** A test event for one subscription, now; its delivery. */
export async function sendTestEvent(env: Env, subscription: Subscription): Promise<Delivery> {
  const [delivery] = await enqueue(env, [subscription], `${TEST_EVENT}:${newId()}`, TEST_EVENT, { subscriptionId: subscription.id });
  return delivery!;
}

async function enqueue(env: Env, subscriptions: Subscription[], eventId: string, type: string, data: Record<string, unknown>): Promise<Delivery[]> {
  const db = database(env.DB);
  const createdAt = Date.now();
  const payload = JSON.stringify({ id: eventId, type, createdAt, data });
  const rows = subscriptions.map((s) => ({ id: newId(createdAt), subscriptionId: s.id, eventId, type, payload, nextAttemptAt: createdAt, createdAt }));
  const inserted = await db.insert(webhookDeliveries).values(rows).onConflictDoNothing().returning();
  if (inserted.length) await env.WEBHOOKS.sendBatch(inserted.map((d) => ({ body: { deliveryId: d.id } satisfies DeliveryJob })));
  return inserted;
}

/** The header a receiver checks: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" with the secret>`. */
export async function signatureHeader(secret: string, body: string, at: number): Promise<string> {
  const t = Math.floor(at / 1000);
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(`${t}.${body}`)));
  return `t=${t},v1=${[...mac].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** Seconds before the next attempt after `attempts` failed ones: 30 s doubling, at most an hour. */
export const backoffSeconds = (attempts: number) => Math.min(30 * 2 ** Math.max(0, attempts - 1), 3_600);

/**
 * One attempt at a delivery. Returns the seconds until the next attempt when it should be tried
 * again; null when it is done (delivered, dead, or being attempted elsewhere).
 */
export async function attemptDelivery(env: Env, deliveryId: string): Promise<number | null> {
  const db = database(env.DB);
  const now = Date.now();
  const [delivery] = await db
    .update(webhookDeliveries)
    .set({ leaseUntil: now + LEASE_MS })
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.status, "pending"), or(isNull(webhookDeliveries.leaseUntil), lt(webhookDeliveries.leaseUntil, now))))
    .returning();
  if (!delivery) return null;
  const subscription = await db.query.webhookSubscriptions.findFirst({ where: eq(webhookSubscriptions.id, delivery.subscriptionId) });
  if (!subscription?.enabled) {
    await finish(db, delivery, { status: "dead", lastError: "The webhook was turned off before this was delivered." });
    return null;
  }
  const outcome = await post(subscription, delivery);
  const attempts = delivery.attempts + 1;
  if (outcome.ok) {
    await finish(db, delivery, { status: "delivered", attempts, lastStatus: outcome.status, lastError: null, deliveredAt: Date.now(), nextAttemptAt: null });
    return null;
  }
  const failure = { attempts, lastStatus: outcome.status, lastError: outcome.error.slice(0, MAX_ERROR_CHARS) };
  const retryIn = backoffSeconds(attempts);
  if (Date.now() + retryIn * 1000 > delivery.createdAt + DELIVERY_WINDOW_MS) {
    await finish(db, delivery, { ...failure, status: "dead", nextAttemptAt: null });
    return null;
  }
  await finish(db, delivery, { ...failure, nextAttemptAt: Date.now() + retryIn * 1000 });
  return retryIn;
}

async function finish(db: Db, delivery: Delivery, changes: Partial<Delivery>) {
  await db
    .update(webhookDeliveries)
    .set({ ...changes, leaseUntil: null })
    .where(eq(webhookDeliveries.id, delivery.id));
}

type Outcome = { ok: true; status: number } | { ok: false; status: number | null; error: string };

async function post(subscription: Subscription, delivery: Delivery): Promise<Outcome> {
  try {
    const response = await fetch(subscription.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Parley-Webhooks",
        "x-parley-signature": await signatureHeader(subscription.secret, delivery.payload, Date.now()),
        "x-parley-event": delivery.type,
        "x-parley-delivery": delivery.id,
      },
      body: delivery.payload,
      redirect: "manual",
      signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
    });
    // The receiver's answer is not read beyond its status: a slow body must not hold the attempt.
    await response.body?.cancel();
    if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status };
    return { ok: false, status: response.status, error: `The endpoint answered ${response.status}.` };
  } catch (error) {
    const timedOut = error instanceof Error && error.name === "TimeoutError";
    return {
      ok: false,
      status: null,
      error: timedOut ? `No answer within ${ATTEMPT_TIMEOUT_MS / 1000} s.` : `Could not reach the endpoint: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}

/**
 * Tries a pending or dead delivery again now, while the admin waits. A pending one keeps its place
 * in the queue's schedule; a dead one that fails again is dead again once its day is over.
 */
export async function retryDelivery(env: Env, subscriptionId: string, deliveryId: string): Promise<Delivery> {
  const db = database(env.DB);
  const ofSubscription = and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.subscriptionId, subscriptionId));
  const before = await db.query.webhookDeliveries.findFirst({ where: ofSubscription });
  if (!before) throw notFound("Delivery");
  if (before.status !== "delivered") {
    await db.update(webhookDeliveries).set({ status: "pending", nextAttemptAt: Date.now(), leaseUntil: null }).where(ofSubscription);
    const retryIn = await attemptDelivery(env, deliveryId);
    if (retryIn !== null && before.status === "dead") await env.WEBHOOKS.send({ deliveryId } satisfies DeliveryJob, { delaySeconds: retryIn });
  }
  return (await db.query.webhookDeliveries.findFirst({ where: ofSubscription }))!;
}

/** A subscription's deliveries, newest first, by keyset pages. */
export async function listDeliveries(db: Db, subscriptionId: string, page: { cursor?: { at: number; id: string }; limit: number }) {
  const rows = await db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.subscriptionId, subscriptionId), page.cursor ? sql`(${webhookDeliveries.createdAt}, ${webhookDeliveries.id}) < (${page.cursor.at}, ${page.cursor.id})` : undefined))
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(page.limit + 1);
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1];
  return { items, next: rows.length > page.limit && last ? { at: last.createdAt, id: last.id } : null };
}

/**
 * Erasure reaches the webhook log too: every delivery whose event named one of these ids (a
 * contact, its conversations) keeps its status but not its payload, and one still waiting is not sent.
 */
export async function redactDeliveries(db: Db, ids: string[]): Promise<void> {
  for (const id of ids) {
    await db
      .update(webhookDeliveries)
      .set({
        payload: JSON.stringify({ erased: true }),
        status: sql`CASE WHEN ${webhookDeliveries.status} = 'pending' THEN 'dead' ELSE ${webhookDeliveries.status} END`,
        lastError: sql`CASE WHEN ${webhookDeliveries.status} = 'pending' THEN 'Not sent: the contact was erased.' ELSE ${webhookDeliveries.lastError} END`,
      })
      .where(sql`instr(${webhookDeliveries.payload}, ${JSON.stringify(id)}) > 0`);
  }
}
