// The agents' live inbox (GET /api/live): what changed, as it changes, and who is online.
import { env } from "cloudflare:workers";
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { agent, call } from "./helpers";
import { clientId, Live, newVisitor, startChat, widget, type Frame } from "./chat";
import { from, receive } from "./inbound";

const room = (conversationId: string) => env.ROOMS.get(env.ROOMS.idFromName(conversationId));

async function liveInbox(name = "Andy Agent", role: "agent" | "admin" = "agent") {
  const session = await agent(name, role);
  const feed = await Live.open("/api/live", { cookie: session.cookie! });
  await feed.waitFor((f) => f.type === "ready");
  return { session, feed };
}

const updateOf = (id: string, test: (c: any) => boolean) => (f: Frame) => f.type === "conversation.updated" && f.conversation.id === id && test(f.conversation);
const presenceOf = (id: string, online: boolean) => (f: Frame) => f.type === "presence" && f.conversationId === id && f.online === online;

describe("the live inbox", () => {
  it("is for signed-in agents only", async () => {
    await expect(Live.open("/api/live")).rejects.toMatchObject({ status: 401, json: { error: { code: "unauthorized" } } });
    const andy = await agent("Andy Agent");
    const plain = await call("GET", "/api/live", { as: andy });
    expect(plain.status).toBe(426);
    expect(plain.json.error.code).toBe("upgrade_required");
  });

  it("shows a new visitor conversation and its first message to every agent", async () => {
    const { feed } = await liveInbox("Andy Agent");
    const { feed: other } = await liveInbox("Bea Agent");
    const token = await newVisitor();
    const conversationId = await startChat(token, "Do you ship to Lisbon?");
    for (const f of [feed, other]) {
      await f.waitFor((x) => x.type === "message.created" && x.conversationId === conversationId && x.message.body === "Do you ship to Lisbon?");
      await f.waitFor(updateOf(conversationId, (c) => c.unread && c.status === "open" && c.preview === "Do you ship to Lisbon?" && c.channels.includes("chat")));
    }
  });

  it("shows who a chat is with as soon as the visitor fills in the chat form", async () => {
    const { feed } = await liveInbox("Andy Agent");
    const token = await newVisitor();
    const conversationId = await startChat(token, "Hi, quick question");
    await widget(token, "POST", "/prechat", { email: "lia@example.com", fullName: "Lia Moreno" });
    await feed.waitFor(updateOf(conversationId, (c) => c.contact?.email === "lia@example.com" && c.identityVerified === false));
  });

  it("moves a merged contact's conversations to the contact kept, for every agent", async () => {
    // Max also texts, and SMS conversations reach admins' feeds only.
    const { session, feed } = await liveInbox("Ada Admin", "admin");
    const byMail = await receive("email", [from.email("max@example.com")], { thread: "new" });
    const byText = await receive("sms", [from.phone("+14155550177")], { body: "Max by text" });
    const merged = await call("POST", `/api/contacts/${byMail.contact!.id}/merge`, { as: session, body: { from: byText.contact!.id } });
    expect(merged.status).toBe(200);
    await feed.waitFor(updateOf(byText.conversation.id, (c) => c.contact?.id === byMail.contact!.id));
  });

  it("carries read, complete and reopen, and a new visitor message marks unread and reopens", async () => {
    const { session, feed } = await liveInbox();
    const token = await newVisitor();
    const conversationId = await startChat(token, "First question");
    const changes = () => feed.all("conversation.updated").filter((u) => u.conversation.id === conversationId);
    const conversationAfter = async (action: () => Promise<unknown>) => {
      const before = changes().length;
      await action();
      await feed.waitFor(() => changes().length > before, 2_000);
      return changes().at(-1)!.conversation;
    };
    const post = (what: string) => () => call("POST", `/api/conversations/${conversationId}/${what}`, { as: session });
    await feed.waitFor(updateOf(conversationId, (c) => c.unread));

    expect(await conversationAfter(post("read"))).toMatchObject({ unread: false, unreadCount: 0, status: "open" });
    expect(await conversationAfter(post("complete"))).toMatchObject({ status: "complete" });

    const visitor = await Live.visitor(token, conversationId);
    const message = () => Promise.resolve(visitor.send({ type: "message", clientId: clientId(), body: "One more thing" }));
    expect(await conversationAfter(message)).toMatchObject({ status: "open", unread: true, unreadCount: 1, preview: "One more thing" });

    expect(await conversationAfter(post("complete"))).toMatchObject({ status: "complete" });
    expect(await conversationAfter(post("reopen"))).toMatchObject({ status: "open" });
  });

  it("shows the visitor online while the widget is connected and offline soon after it closes", async () => {
    const { session, feed } = await liveInbox();
    const token = await newVisitor();
    const conversationId = await startChat(token);
    const visitor = await Live.visitor(token, conversationId);
    await feed.waitFor(presenceOf(conversationId, true));
    expect((await call("GET", `/api/conversations/${conversationId}`, { as: session })).json.visitorOnline).toBe(true);

    const closedAt = Date.now();
    visitor.close();
    await feed.waitFor(presenceOf(conversationId, false), 6_000);
    expect(Date.now() - closedAt).toBeLessThan(5_000);
    expect((await call("GET", `/api/conversations/${conversationId}`, { as: session })).json.visitorOnline).toBe(false);
  });

  it("does not flicker offline when the widget reconnects at once (a page reload)", async () => {
    const { feed } = await liveInbox();
    const token = await newVisitor();
    const conversationId = await startChat(token);
    const first = await Live.visitor(token, conversationId);
    await feed.waitFor(presenceOf(conversationId, true));
    first.close();
    await Live.visitor(token, conversationId);
    await new Promise((r) => setTimeout(r, 3_000));
    expect(feed.all("presence").filter((p) => p.conversationId === conversationId)).toEqual([{ type: "presence", conversationId, online: true }]);
  });

  it("shows the visitor offline when their widget goes silent (no pings: a dropped network)", async () => {
    const { feed } = await liveInbox();
    const token = await newVisitor();
    const conversationId = await startChat(token);
    const visitor = await Live.visitor(token, conversationId);
    await feed.waitFor(presenceOf(conversationId, true));

    await lastHeardAMinuteAgo(conversationId);
    await runDurableObjectAlarm(room(conversationId));
    await feed.waitFor(presenceOf(conversationId, false));
    expect((await visitor.closed).code).toBe(4001);
  });

  it("keeps a visitor who pings online", async () => {
    const { feed } = await liveInbox();
    const token = await newVisitor();
    const conversationId = await startChat(token);
    const visitor = await Live.visitor(token, conversationId);
    await feed.waitFor(presenceOf(conversationId, true));
    await lastHeardAMinuteAgo(conversationId);
    visitor.send({ type: "ping" });
    await visitor.waitFor((f) => f.type === "pong");
    await runDurableObjectAlarm(room(conversationId));
    expect(feed.all("presence").filter((p) => p.conversationId === conversationId && !p.online)).toEqual([]);
  });

  it("tells agents watching the conversation when the visitor comes and goes", async () => {
    const token = await newVisitor();
    const conversationId = await startChat(token);
    const andy = await agent("Andy Agent");
    const watching = await Live.open(`/api/conversations/${conversationId}/live`, { cookie: andy.cookie! });
    expect((await watching.waitFor((f) => f.type === "ready")).visitorOnline).toBe(false);
    const visitor = await Live.visitor(token, conversationId);
    await watching.waitFor((f) => f.type === "presence" && f.online);
    visitor.close();
    await watching.waitFor((f) => f.type === "presence" && !f.online, 6_000);
  });

  it("answers anything but a ping with an error frame and stays open", async () => {
    const { feed } = await liveInbox();
    feed.send("hello?");
    expect(await feed.waitFor((f) => f.type === "error")).toMatchObject({ code: "invalid_frame" });
    feed.send({ type: "ping" });
    await feed.waitFor((f) => f.type === "pong");
  });
});

/** Nothing heard from the visitor's socket for a minute (the widget pings every few seconds). */
function lastHeardAMinuteAgo(conversationId: string) {
  return runInDurableObject(room(conversationId), (_instance, state) => {
    for (const ws of state.getWebSockets("visitor")) ws.serializeAttachment({ ...ws.deserializeAttachment(), seen: Date.now() - 60_000 });
  });
}
