// A visitor and agents talking through the conversation's room, live.
import { env } from "cloudflare:workers";
import { evictDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { call, agent } from "./helpers";
import { clientId, Live, messageWith, newVisitor, startChat } from "./chat";

const room = (conversationId: string) => env.ROOMS.get(env.ROOMS.idFromName(conversationId));

async function chatWithAgent() {
  const token = await newVisitor();
  const conversationId = await startChat(token, "Hi, I need help with my order");
  const andy = await agent("Andy Agent");
  const visitor = await Live.visitor(token, conversationId);
  const watching = await Live.open(`/api/conversations/${conversationId}/live`, { cookie: andy.cookie! });
  await visitor.waitFor((f) => f.type === "ready");
  await watching.waitFor((f) => f.type === "ready");
  return { token, conversationId, andy, visitor, watching };
}

describe("the room protocol", () => {
  it("greets each side with the thread so far, as each may see it", async () => {
    const { visitor, watching } = await chatWithAgent();
    const [seenByVisitor] = (await visitor.waitFor((f) => f.type === "ready")).messages;
    expect(seenByVisitor).toEqual({ id: expect.any(String), clientId: expect.any(String), from: "visitor", name: null, body: "Hi, I need help with my order", createdAt: expect.any(Number) });
    const [seenByAgent] = (await watching.waitFor((f) => f.type === "ready")).messages;
    expect(seenByAgent).toMatchObject({ id: seenByVisitor.id, direction: "in", channel: "chat", body: "Hi, I need help with my order" });
  });

  it("answers a malformed frame with an error frame and keeps the socket open", async () => {
    const { visitor, watching } = await chatWithAgent();
    visitor.send("this is not json");
    expect(await visitor.waitFor((f) => f.type === "error")).toMatchObject({ code: "invalid_frame", message: expect.stringMatching(/JSON/) });
    visitor.send({ type: "shout", body: "hey" });
    visitor.send({ type: "message", body: "no client id" });
    await visitor.waitFor(() => visitor.all("error").length === 3);
    expect(visitor.all("error").map((e) => e.code)).toEqual(["invalid_frame", "invalid_frame", "invalid_frame"]);

    visitor.send({ type: "message", clientId: clientId(), body: "Still there?" });
    await watching.waitFor(messageWith("Still there?"));
  });

  it("answers pings, and tells an agent to reply through the API", async () => {
    const { watching } = await chatWithAgent();
    watching.send({ type: "ping" });
    await watching.waitFor((f) => f.type === "pong");
    watching.send({ type: "message", clientId: "a1", body: "from the socket" });
    expect(await watching.waitFor((f) => f.type === "error")).toMatchObject({ code: "not_allowed", clientId: "a1" });
  });

  it("shows typing both ways", async () => {
    const { visitor, watching } = await chatWithAgent();
    visitor.send({ type: "typing", typing: true });
    expect(await watching.waitFor((f) => f.type === "typing")).toEqual({ type: "typing", from: "visitor", name: null, typing: true });
    watching.send({ type: "typing", typing: true });
    expect(await visitor.waitFor((f) => f.type === "typing")).toEqual({ type: "typing", from: "agent", name: "Andy Agent", typing: true });
    expect(visitor.all("typing")).toHaveLength(1);
  });
});

describe("messages", () => {
  it("arrive in the order the visitor sent them, for everyone and in the record", async () => {
    const { conversationId, andy, visitor, watching } = await chatWithAgent();
    const bodies = Array.from({ length: 20 }, (_, i) => `message ${i + 1}`);
    for (const body of bodies) visitor.send({ type: "message", clientId: clientId(), body });
    await watching.waitFor(messageWith("message 20"));
    await visitor.waitFor(messageWith("message 20"));
    expect(watching.all("message.created").map((f) => f.message.body)).toEqual(bodies);
    expect(visitor.all("message.created").map((f) => f.message.body)).toEqual(bodies);
    const thread = await call("GET", `/api/conversations/${conversationId}/messages`, { as: andy });
    expect(thread.json.items.map((m: any) => m.body)).toEqual(["Hi, I need help with my order", ...bodies]);
  });

  it("stores a message resent after a dropped connection once", async () => {
    const { token, conversationId, andy, visitor } = await chatWithAgent();
    const id = clientId();
    visitor.send({ type: "message", clientId: id, body: "Did this arrive?" });
    const ack = await visitor.waitFor((f) => f.type === "ack");
    visitor.close();

    // The widget never saw the ack (say) and sends it again on the new socket.
    const again = await Live.visitor(token, conversationId);
    again.send({ type: "message", clientId: id, body: "Did this arrive?" });
    expect(await again.waitFor((f) => f.type === "ack")).toEqual({ type: "ack", clientId: id, messageId: ack.messageId });
    const thread = await call("GET", `/api/conversations/${conversationId}/messages`, { as: andy });
    expect(thread.json.items.filter((m: any) => m.body === "Did this arrive?")).toHaveLength(1);
  });

  it("gives a reconnecting visitor what they missed, and only that", async () => {
    const { token, conversationId, andy, visitor } = await chatWithAgent();
    visitor.send({ type: "message", clientId: clientId(), body: "Be right back" });
    const last = await visitor.waitFor(messageWith("Be right back"));
    visitor.close();

    const reply = await call("POST", `/api/conversations/${conversationId}/messages`, { as: andy, body: { channel: "chat", body: "Sure, I will wait." } });
    expect(reply.status).toBe(201);
    const back = await Live.visitor(token, conversationId, last.message.id);
    const ready = await back.waitFor((f) => f.type === "ready");
    expect(ready.messages).toEqual([expect.objectContaining({ from: "agent", name: "Andy Agent", body: "Sure, I will wait." })]);
  });

  it("reach the visitor live when an agent replies through the API", async () => {
    const { conversationId, andy, visitor } = await chatWithAgent();
    const reply = await call("POST", `/api/conversations/${conversationId}/messages`, { as: andy, body: { channel: "chat", body: "Hello! Which order?" } });
    expect(reply.json).toMatchObject({ channel: "chat", status: "delivered" });
    const seen = await visitor.waitFor(messageWith("Hello! Which order?"));
    expect(seen.message).toEqual({ id: reply.json.id, clientId: null, from: "agent", name: "Andy Agent", body: "Hello! Which order?", createdAt: reply.json.createdAt });
  });

  it("survive the room being evicted mid-conversation", async () => {
    const { conversationId, andy, visitor, watching } = await chatWithAgent();
    visitor.send({ type: "message", clientId: clientId(), body: "before eviction" });
    await watching.waitFor(messageWith("before eviction"));

    await evictDurableObject(room(conversationId));

    visitor.send({ type: "message", clientId: clientId(), body: "after eviction" });
    watching.send({ type: "typing", typing: true });
    await watching.waitFor(messageWith("after eviction"));
    await visitor.waitFor((f) => f.type === "typing" && f.from === "agent");
    await call("POST", `/api/conversations/${conversationId}/messages`, { as: andy, body: { channel: "chat", body: "still here" } });
    await visitor.waitFor(messageWith("still here"));
    const thread = await call("GET", `/api/conversations/${conversationId}/messages`, { as: andy });
    expect(thread.json.items.map((m: any) => m.body)).toEqual(["Hi, I need help with my order", "before eviction", "after eviction", "still here"]);
  });
});
