// The conversation's room keeps the thread first and D1 follows: what the room acked or told is
// in its journal at once and in D1 exactly once as soon as D1 takes it, whatever happens between.
import { env } from "cloudflare:workers";
import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import type { Env } from "../src/env";
import { admin, agent, call } from "./helpers";
import { clientId, Live, messageWith, newVisitor, startChat, widget } from "./chat";
import { deliver, mail } from "./mail";

const room = (conversationId: string) => env.ROOMS.get(env.ROOMS.idFromName(conversationId));

/** D1, as the room sees it, fails every call (an outage, a network partition) until the room is given it back. */
const unreachableD1 = new Proxy(env.DB, {
  get: (target, key) => {
    if (key === "prepare" || key === "batch" || key === "exec") {
      return () => {
        throw new Error("D1_ERROR: Network connection lost.");
      };
    }
    const value = Reflect.get(target, key);
    return typeof value === "function" ? value.bind(target) : value;
  },
});

function roomSeesD1(conversationId: string, db: D1Database) {
  return runInDurableObject(room(conversationId), (instance) => {
    const held = instance as unknown as { env: Env };
    held.env = { ...held.env, DB: db };
  });
}

const d1Fails = (conversationId: string) => roomSeesD1(conversationId, unreachableD1);
const d1Recovers = (conversationId: string) => roomSeesD1(conversationId, env.DB);

/** The thread as D1 has it, oldest first. */
async function inD1(conversationId: string) {
  const { results } = await env.DB.prepare("SELECT id, body FROM messages WHERE conversation_id = ? ORDER BY created_at, id").bind(conversationId).all<{ id: string; body: string }>();
  return results;
}

/** The bodies of the messages the room's journal holds whole. */
function inJournal(conversationId: string) {
  return runInDurableObject(room(conversationId), (_instance, state) =>
    state.storage.sql
      .exec<{ payload: string }>("SELECT payload FROM journal WHERE kind = 'message' AND payload IS NOT NULL ORDER BY seq")
      .toArray()
      .map((r) => (JSON.parse(r.payload) as { body: string }).body),
  );
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 2_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function chatWithAgent() {
  const token = await newVisitor();
  const conversationId = await startChat(token, "Hi, I need help with my order");
  const andy = await agent("Andy Agent");
  const feed = await Live.open("/api/live", { cookie: andy.cookie! });
  await feed.waitFor((f) => f.type === "ready");
  const visitor = await Live.visitor(token, conversationId);
  const watching = await Live.open(`/api/conversations/${conversationId}/live`, { cookie: andy.cookie! });
  await visitor.waitFor((f) => f.type === "ready");
  await watching.waitFor((f) => f.type === "ready");
  return { token, conversationId, andy, feed, visitor, watching };
}

async function say(visitor: Live, body: string) {
  const id = clientId();
  visitor.send({ type: "message", clientId: id, body });
  return { clientId: id, ack: await visitor.waitFor((f) => f.type === "ack" && f.clientId === id) };
}

beforeAll(async () => {
  await call("PUT", "/api/settings", { as: await admin(), body: { email: { inboundAddress: "support@parley.test", fromName: "Acme Support" } } });
});

describe("the room keeps the thread first, D1 follows", () => {
  it("a message acked to the visitor is in the room's journal, and in D1 exactly once, resends included", async () => {
    const { token, conversationId, visitor } = await chatWithAgent();
    const { clientId: id, ack } = await say(visitor, "Where is my parcel?");
    expect(await inJournal(conversationId)).toContain("Where is my parcel?");
    const stored = await eventually(
      () => inD1(conversationId),
      (rows) => rows.length === 2,
    );
    expect(stored).toEqual([expect.objectContaining({ body: "Hi, I need help with my order" }), { id: ack.messageId, body: "Where is my parcel?" }]);

    // The widget resends what it was not sure of, over the socket and over HTTP.
    visitor.send({ type: "message", clientId: id, body: "Where is my parcel?" });
    const again = await widget(token, "POST", "/messages", { clientId: id, body: "Where is my parcel?" });
    expect(again.json.message.id).toBe(ack.messageId);
    await new Promise((r) => setTimeout(r, 200));
    expect((await inD1(conversationId)).map((m) => m.body)).toEqual(["Hi, I need help with my order", "Where is my parcel?"]);
  });

  it("while D1 fails, chat goes on live; afterwards D1 has everything once, in order, and the conversation as agents left it", async () => {
    const { conversationId, andy, feed, visitor, watching } = await chatWithAgent();
    await eventually(
      () => inD1(conversationId),
      (rows) => rows.length === 1,
    );
    await d1Fails(conversationId);

    const bodies = ["One", "Two", "Three", "Four", "Five"];
    for (const body of bodies) await say(visitor, body);
    for (const body of bodies) {
      await watching.waitFor(messageWith(body));
      await feed.waitFor(messageWith(body));
    }
    expect(watching.all("message.created").map((f) => f.message.body)).toEqual(bodies);
    const unread = await feed.waitFor((f) => f.type === "conversation.updated" && f.conversation.id === conversationId && f.conversation.unreadCount === 6);
    expect(unread.conversation).toMatchObject({ unread: true, preview: "Five" });

    const reply = await call("POST", `/api/conversations/${conversationId}/messages`, { as: andy, body: { body: "On it" } });
    expect(reply.status).toBe(201);
    expect(reply.json).toMatchObject({ body: "On it", channel: "chat", status: "delivered" });
    await visitor.waitFor((f) => f.type === "message.created" && f.message.body === "On it");
    const read = await call("POST", `/api/conversations/${conversationId}/read`, { as: andy });
    expect(read.json).toMatchObject({ unread: false, unreadCount: 0, preview: "On it" });
    expect(await inD1(conversationId)).toHaveLength(1);
    // The API's thread shows what the room acked, D1 or not.
    const meanwhile = await call("GET", `/api/conversations/${conversationId}/messages`, { as: andy });
    expect(meanwhile.json.items.map((m: { body: string }) => m.body)).toEqual(["Hi, I need help with my order", ...bodies, "On it"]);

    await d1Recovers(conversationId);
    await runDurableObjectAlarm(room(conversationId));
    expect((await inD1(conversationId)).map((m) => m.body)).toEqual(["Hi, I need help with my order", ...bodies, "On it"]);
    const listed = await call("GET", "/api/conversations?status=all", { as: andy });
    expect(listed.json.items.find((c: { id: string }) => c.id === conversationId)).toMatchObject({ unread: false, unreadCount: 0, preview: "On it", visitorOnline: true });
    const thread = await call("GET", `/api/conversations/${conversationId}/messages`, { as: andy });
    expect(thread.json.items.find((m: { body: string }) => m.body === "On it")).toMatchObject({ status: "delivered", author: { type: "agent", name: "Andy Agent" } });
  });

  it("a room evicted before D1 had its messages sends them when its alarm wakes it, with nobody there", async () => {
    const { conversationId, visitor, watching } = await chatWithAgent();
    await eventually(
      () => inD1(conversationId),
      (rows) => rows.length === 1,
    );
    await d1Fails(conversationId);
    await say(visitor, "Are you still there?");
    await say(visitor, "Hello?");
    visitor.close();
    watching.close();
    await evictDurableObject(room(conversationId), { webSockets: "close" });
    expect(await inD1(conversationId)).toHaveLength(1);

    expect(await runDurableObjectAlarm(room(conversationId))).toBe(true);
    expect(
      (
        await eventually(
          () => inD1(conversationId),
          (rows) => rows.length === 3,
        )
      ).map((m) => m.body),
    ).toEqual(["Hi, I need help with my order", "Are you still there?", "Hello?"]);
  });

  it("sleeps once D1 has what it kept: it wakes when its visitor's socket could have gone silent, and not at all once nobody is there", async () => {
    const { conversationId, visitor } = await chatWithAgent();
    await say(visitor, "Quick question");
    await eventually(
      () => inD1(conversationId),
      (rows) => rows.length === 2,
    );
    const alarmIn = () =>
      runInDurableObject(room(conversationId), async (_instance, state) => {
        const at = await state.storage.getAlarm();
        return at === null ? null : at - Date.now();
      });
    // The widget pings every 5 s without waking the room; the room looks again only when a socket could have gone quiet.
    expect(await eventually(alarmIn, (ms) => ms !== null && ms > 30_000)).toBeGreaterThan(30_000);

    // Gone: the room wakes once the reload grace is over, shows the visitor offline, and then sleeps.
    visitor.close();
    expect(await eventually(alarmIn, (ms) => ms !== null && ms <= 2_000)).toBeLessThanOrEqual(2_000);
    const me = await admin();
    const shown = () => call("GET", `/api/conversations/${conversationId}`, { as: me });
    expect((await eventually(shown, (res) => res.json.visitorOnline === false, 5_000)).json.visitorOnline).toBe(false);
    expect(await eventually(alarmIn, (ms) => ms === null)).toBeNull();
  });

  it("replays what a reconnecting client missed from the journal, without D1", async () => {
    const { token, conversationId, andy, visitor } = await chatWithAgent();
    const seen = (await visitor.waitFor((f) => f.type === "ready")).messages.at(-1).id;
    await d1Fails(conversationId);
    visitor.close();
    for (const body of ["First answer", "Second answer"]) {
      expect((await call("POST", `/api/conversations/${conversationId}/messages`, { as: andy, body: { body, channel: "chat" } })).status).toBe(201);
    }
    const back = await Live.visitor(token, conversationId, seen);
    expect((await back.waitFor((f) => f.type === "ready")).messages.map((m: { body: string }) => m.body)).toEqual(["First answer", "Second answer"]);
    const joining = await Live.open(`/api/conversations/${conversationId}/live`, { cookie: andy.cookie! });
    expect((await joining.waitFor((f) => f.type === "ready")).messages.map((m: { body: string }) => m.body)).toEqual(["Hi, I need help with my order", "First answer", "Second answer"]);
    await d1Recovers(conversationId);
  });

  it("an email reply waits until D1 has the chat it carries", async () => {
    const { conversationId, andy, visitor } = await chatWithAgent();
    await call("PUT", `/api/conversations/${conversationId}/contact`, { as: andy, body: { email: "rita@example.com" } });
    await say(visitor, "Please email me the details");
    const reply = await call("POST", `/api/conversations/${conversationId}/messages`, { as: andy, body: { body: "Sent!", channel: "email" } });
    expect(reply.status).toBe(201);
    expect(reply.json.meta.email.chatMessages).toBe(2);
  });

  it("an email reply that cannot read the thread is kept, marked failed with the reason, and not sent", async () => {
    const { conversationId, andy } = await chatWithAgent();
    await call("PUT", `/api/conversations/${conversationId}/contact`, { as: andy, body: { email: "sam@example.com" } });
    await d1Fails(conversationId);
    const reply = await call("POST", `/api/conversations/${conversationId}/messages`, { as: andy, body: { body: "Details attached", channel: "email" } });
    expect(reply.status).toBe(201);
    expect(reply.json).toMatchObject({ status: "failed", statusReason: expect.stringMatching(/not sent/i) });
    await d1Recovers(conversationId);
    await runDurableObjectAlarm(room(conversationId));
    const thread = await call("GET", `/api/conversations/${conversationId}/messages`, { as: andy });
    expect(thread.json.items.at(-1)).toMatchObject({ body: "Details attached", status: "failed" });
  });
});

describe("the journal's window", () => {
  it("keeps the newest messages whole for replay and still tells a resend of an older one, once D1 has them", async () => {
    const { token, conversationId, andy, visitor } = await chatWithAgent();
    const { clientId: first, ack } = await say(visitor, "The first question");
    for (let i = 0; i < 287; i += 41) {
      await Promise.all(Array.from({ length: 41 }, (_, j) => call("POST", `/api/conversations/${conversationId}/messages`, { as: andy, body: { body: `Answer ${i + j}`, channel: "chat" } })));
    }
    await eventually(
      () => inD1(conversationId),
      (rows) => rows.length === 289,
      10_000,
    );
    expect(await inJournal(conversationId)).not.toContain("The first question");

    // A resend of a message the journal no longer holds whole is still the same message.
    const again = await widget(token, "POST", "/messages", { clientId: first, body: "The first question" });
    expect(again.json.message).toMatchObject({ id: ack.messageId, body: "The first question" });
    // A client that saw only the first question is replayed everything after it, from D1.
    const back = await Live.visitor(token, conversationId, ack.messageId);
    const ready = await back.waitFor((f) => f.type === "ready");
    expect(ready.messages).toHaveLength(287);
    expect(new Set(ready.messages.map((m: { body: string }) => m.body)).size).toBe(287);
    expect(await inD1(conversationId)).toHaveLength(289);
  }, 30_000);
});

describe("the room's copy of the conversation", () => {
  it("follows the contact: renamed, the inbox and the next message show the new name; deleted, the conversation has none", async () => {
    const { conversationId, andy, feed, visitor } = await chatWithAgent();
    const named = await call("PUT", `/api/conversations/${conversationId}/contact`, { as: andy, body: { email: "tess@example.com", firstName: "Tess" } });
    const contactId = named.json.contact.id;
    expect((await call("PATCH", `/api/contacts/${contactId}`, { as: andy, body: { firstName: "Tessa", lastName: "Lind" } })).status).toBe(200);
    await feed.waitFor((f) => f.type === "conversation.updated" && f.conversation.id === conversationId && f.conversation.contact?.firstName === "Tessa");

    await say(visitor, "Thanks for the help");
    const created = await feed.waitFor(messageWith("Thanks for the help"));
    expect(created.message.author).toEqual({ type: "contact", id: contactId, name: "Tessa Lind" });
    const after = feed.frames.filter((f) => f.type === "conversation.updated" && f.conversation.id === conversationId).at(-1)!;
    expect(after.conversation.contact).toMatchObject({ firstName: "Tessa", lastName: "Lind" });

    expect((await call("DELETE", `/api/contacts/${contactId}`, { as: andy })).status).toBe(200);
    await feed.waitFor((f) => f.type === "conversation.updated" && f.conversation.id === conversationId && f.conversation.contact === null);
    await say(visitor, "Bye");
    expect((await feed.waitFor(messageWith("Bye"))).message.author).toEqual({ type: "contact", id: null, name: null });
  });
});

describe("a provider's id", () => {
  it("the same mail delivered twice at once is stored once, in one conversation, and told once", async () => {
    const andy = await agent("Andy Agent");
    const feed = await Live.open("/api/live", { cookie: andy.cookie! });
    await feed.waitFor((f) => f.type === "ready");
    const raw = mail({ from: "olga@example.com", messageId: "olga-twice@mail.example.com", body: "Is my order on its way?" });
    const deliveries = await Promise.all([deliver(raw), deliver(raw), deliver(raw)]);
    expect(deliveries.map((d) => d.rejected)).toEqual([null, null, null]);
    const { results } = await env.DB.prepare("SELECT conversation_id FROM messages WHERE external_id = ?").bind("olga-twice@mail.example.com").all<{ conversation_id: string }>();
    expect(results).toHaveLength(1);
    const listed = await call("GET", "/api/conversations?q=olga%40example.com", { as: andy });
    expect(listed.json.items.map((c: { id: string }) => c.id)).toEqual([results[0]!.conversation_id]);
    await feed.waitFor(messageWith("Is my order on its way?"));
    await new Promise((r) => setTimeout(r, 200));
    expect(feed.frames.filter(messageWith("Is my order on its way?"))).toHaveLength(1);
  });
});
