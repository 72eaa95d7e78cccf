// Outbound webhooks to a CRM: subscriptions, deliveries through the real queue, signed as a
// receiver checks them, retried, given up on after a day, and never delivered twice.
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { attemptDelivery, DELIVERY_WINDOW_MS, publishEvent } from "../src/domain/subscriptions";
import type { Env } from "../src/env";
import { newVisitor, startChat } from "./chat";
import { admin, agent, call, type Session } from "./helpers";

const ENDPOINT = "https://crm.test/parley-hook";
const SECRET = "a shared secret of 32 characters";

/** A receiver as a CRM writes one: the signature checked against the raw body, with the timestamp it signs. */
async function receiverAccepts(request: { body: string; headers: Headers }, secret = SECRET): Promise<boolean> {
  const header = request.headers.get("x-parley-signature") ?? "";
  const parts = Object.fromEntries(header.split(",").map((part) => part.split("=") as [string, string]));
  if (!parts.t || !parts.v1 || Math.abs(Date.now() / 1000 - Number(parts.t)) > 300) return false;
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  const mac = new Uint8Array(parts.v1.match(/../g)!.map((h) => parseInt(h, 16)));
  return crypto.subtle.verify("HMAC", key, mac, new TextEncoder().encode(`${parts.t}.${request.body}`));
}

/** The CRM's endpoint at the fetch boundary: what it received, answered with `status()` each time. */
function endpoint(status: () => number = () => 200) {
  const received: { body: string; headers: Headers; json: any }[] = [];
  const real = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    if (!request.url.startsWith(ENDPOINT)) return real(input, init);
    const body = await request.text();
    received.push({ body, headers: request.headers, json: JSON.parse(body) });
    const code = status();
    return new Response(code === 204 ? null : "ok", { status: code });
  });
  return received;
}

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`never ${what}`);
}

let owner: Session;
let andy: Session;
beforeAll(async () => {
  owner = await admin();
  andy = await agent("Andy Agent");
});
afterEach(() => vi.restoreAllMocks());

const subscribe = async (events: string[]) => {
  const res = await call("POST", "/api/webhooks", { as: owner, body: { url: ENDPOINT, secret: SECRET, events } });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json.id as string;
};
const log = async (id: string) => (await call("GET", `/api/webhooks/${id}/deliveries`, { as: owner })).json.items as any[];
const unsubscribe = (id: string) => call("DELETE", `/api/webhooks/${id}`, { as: owner });

describe("subscriptions", () => {
  it("are admins' own, refuse what cannot work, and read their secret back masked", async () => {
    for (const body of [
      { url: "http://crm.example/hook", secret: SECRET, events: ["message.created"] },
      { url: ENDPOINT, secret: "short", events: ["message.created"] },
      { url: ENDPOINT, secret: SECRET, events: [] },
      { url: ENDPOINT, secret: SECRET, events: ["message.deleted"] },
    ]) {
      expect((await call("POST", "/api/webhooks", { as: owner, body })).status).toBe(400);
    }
    expect((await call("POST", "/api/webhooks", { as: andy, body: { url: ENDPOINT, secret: SECRET, events: ["message.created"] } })).status).toBe(403);
    const id = await subscribe(["message.created", "message.created"]);
    const read = await call("GET", `/api/webhooks/${id}`, { as: owner });
    expect(read.json).toMatchObject({ url: ENDPOINT, events: ["message.created"], enabled: true, secret: "••••••••" });
    expect((await call("PATCH", `/api/webhooks/${id}`, { as: owner, body: { enabled: false } })).json.enabled).toBe(false);
    expect((await unsubscribe(id)).json).toEqual({ ok: true });
    expect((await call("GET", `/api/webhooks/${id}`, { as: owner })).status).toBe(404);
  });
});

describe("deliveries", () => {
  it("POST the event through the queue, signed as a receiver checks it, and are logged", async () => {
    const received = endpoint();
    const id = await subscribe(["conversation.assigned"]);
    try {
      const conversationId = await startChat(await newVisitor(), "Assign me");
      const me = (await call("GET", "/api/me", { as: owner })).json;
      await call("PUT", `/api/conversations/${conversationId}/assignee`, { as: owner, body: { userId: me.user?.id ?? me.id } });
      const [delivery] = await until(
        () => log(id),
        (items) => items[0]?.status === "delivered",
        "delivered",
      );
      expect(delivery).toMatchObject({ type: "conversation.assigned", attempts: 1, lastStatus: 200, lastError: null });
      expect(received).toHaveLength(1);
      expect(await receiverAccepts(received[0]!)).toBe(true);
      expect(await receiverAccepts(received[0]!, "another secret entirely")).toBe(false);
      expect(received[0]!.json).toMatchObject({ id: delivery.eventId, type: "conversation.assigned", createdAt: expect.any(Number), data: { conversation: { id: conversationId } } });
      expect(received[0]!.headers.get("content-type")).toBe("application/json");
    } finally {
      await unsubscribe(id);
    }
  });

  it("tell of every new message once D1 has it, whichever way it came", async () => {
    const received = endpoint();
    const id = await subscribe(["message.created", "conversation.created"]);
    try {
      const token = await newVisitor();
      const conversationId = await startChat(token, "First words");
      await until(
        () => log(id),
        (items) => items.filter((d) => d.status === "delivered").length >= 2,
        "both delivered",
      );
      const types = received.map((r) => r.json.type).sort();
      expect(types).toEqual(["conversation.created", "message.created"]);
      const message = received.find((r) => r.json.type === "message.created")!.json.data;
      expect(message).toMatchObject({ conversationId, message: { body: "First words", direction: "in", channel: "chat" } });
      // D1 already has what the CRM is told of.
      const stored = await call("GET", `/api/conversations/${conversationId}/messages`, { as: owner });
      expect(stored.json.items.map((m: any) => m.id)).toContain(message.message.id);
    } finally {
      await unsubscribe(id);
    }
  });

  it("tell of the contacts agents add and change", async () => {
    const received = endpoint();
    const id = await subscribe(["contact.created", "contact.updated"]);
    try {
      const conversationId = await startChat(await newVisitor(), "I'm anonymous");
      const named = await call("PUT", `/api/conversations/${conversationId}/contact`, { as: andy, body: { email: "named.later@example.com", firstName: "Nora" } });
      const contactId = named.json.contact.id;
      await call("PATCH", `/api/contacts/${contactId}`, { as: andy, body: { lastName: "Lind" } });
      await until(
        () => log(id),
        (items) => items.filter((d) => d.status === "delivered").length >= 2,
        "both delivered",
      );
      expect(received.map((r) => [r.json.type, r.json.data.contact.id]).sort()).toEqual([
        ["contact.created", contactId],
        ["contact.updated", contactId],
      ]);
      expect(received.find((r) => r.json.type === "contact.updated")!.json.data.contact).toMatchObject({ firstName: "Nora", lastName: "Lind" });
    } finally {
      await unsubscribe(id);
    }
  });

  it("retry with backoff on a failing endpoint; an admin's retry delivers once it recovers", async () => {
    let answer = 500;
    const received = endpoint(() => answer);
    const id = await subscribe(["conversation.completed"]);
    try {
      const conversationId = await startChat(await newVisitor(), "Done soon");
      await call("POST", `/api/conversations/${conversationId}/complete`, { as: owner });
      const [failed] = await until(
        () => log(id),
        (items) => items[0]?.attempts === 1,
        "attempted",
      );
      expect(failed).toMatchObject({ status: "pending", lastStatus: 500, lastError: "The endpoint answered 500." });
      expect(failed.nextAttemptAt - Date.now()).toBeGreaterThan(20_000);
      answer = 204;
      const retried = await call("POST", `/api/webhooks/${id}/deliveries/${failed.id}/retry`, { as: owner });
      // Tried while the admin waits.
      expect(retried.json).toMatchObject({ status: "delivered", attempts: 2, lastStatus: 204 });
      expect((await log(id))[0]).toMatchObject({ status: "delivered", deliveredAt: expect.any(Number) });
      expect(received.map((r) => r.json.id)).toEqual([failed.eventId, failed.eventId]);
    } finally {
      await unsubscribe(id);
    }
  }, 20_000);

  it("are given up on, marked dead, a day after the event", async () => {
    endpoint(() => 503);
    const id = await subscribe(["contact.updated"]);
    try {
      await publishEvent(env as Env, "contact.updated", { contact: { id: "c-dead" } }, "dead-1");
      const [first] = await until(
        () => log(id),
        (items) => items[0]?.attempts >= 1,
        "attempted",
      );
      await env.DB.prepare("UPDATE webhook_deliveries SET created_at = ?, lease_until = NULL WHERE id = ?")
        .bind(Date.now() - DELIVERY_WINDOW_MS + 10_000, first.id)
        .run();
      expect(await attemptDelivery(env as Env, first.id)).toBeNull();
      const [dead] = await log(id);
      expect(dead).toMatchObject({ status: "dead", lastStatus: 503, nextAttemptAt: null });
    } finally {
      await unsubscribe(id);
    }
  });

  it("deliver one event once per subscription: reported twice, attempted twice or at once", async () => {
    const received = endpoint();
    const id = await subscribe(["contact.merged"]);
    try {
      await publishEvent(env as Env, "contact.merged", { contact: { id: "c-once" } }, "once-1");
      await publishEvent(env as Env, "contact.merged", { contact: { id: "c-once" } }, "once-1");
      const [delivery] = await until(
        () => log(id),
        (items) => items[0]?.status === "delivered",
        "delivered",
      );
      expect(await log(id)).toHaveLength(1);
      // The queue may hand the same job over again: a delivered one is not sent again.
      expect(await Promise.all([attemptDelivery(env as Env, delivery.id), attemptDelivery(env as Env, delivery.id)])).toEqual([null, null]);
      expect(received).toHaveLength(1);
    } finally {
      await unsubscribe(id);
    }
  });

  it("a test event reaches the endpoint on demand", async () => {
    const received = endpoint();
    const id = await subscribe(["message.created"]);
    try {
      const test = await call("POST", `/api/webhooks/${id}/test`, { as: owner });
      expect(test.json).toMatchObject({ type: "webhook.test", status: "pending" });
      await until(
        () => log(id),
        (items) => items[0]?.status === "delivered",
        "delivered",
      );
      expect(received[0]!.json).toMatchObject({ type: "webhook.test", data: { subscriptionId: id } });
    } finally {
      await unsubscribe(id);
    }
  });
});
