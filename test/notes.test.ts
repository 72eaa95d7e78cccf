// Internal notes: agents write them in the thread for each other; the person never sees one, and
// none goes out on any channel.
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { Live, newVisitor, startChat } from "./chat";
import { admin, agent, call, type Session } from "./helpers";
import { from, receive } from "./inbound";
import { INBOUND, watchOutbox } from "./mail";

let owner: Session;
let andy: Session;
beforeAll(async () => {
  owner = await admin();
  andy = await agent("Andy Agent");
  await call("PUT", "/api/settings", { as: owner, body: { email: { inboundAddress: INBOUND, fromName: "Acme Support" } } });
});
afterEach(() => vi.restoreAllMocks());

const note = (conversationId: string, body: string, as = andy) => call("POST", `/api/conversations/${conversationId}/notes`, { as, body: { body } });
const view = async (conversationId: string) => (await call("GET", `/api/conversations/${conversationId}`, { as: owner })).json;

describe("a note", () => {
  it("reaches every agent live and stays in the thread, marked a note, leaving the conversation as the person left it", async () => {
    const token = await newVisitor();
    const conversationId = await startChat(token, "Where is my parcel?");
    const watching = await Live.open(`/api/conversations/${conversationId}/live`, { cookie: owner.cookie! });
    await watching.waitFor((f) => f.type === "ready");
    const before = await view(conversationId);

    const written = await note(conversationId, "VIP customer: offer free shipping");
    expect(written).toMatchObject({ status: 201, json: { kind: "note", direction: "out", status: null, author: { type: "agent", name: "Andy Agent" } } });
    await watching.waitFor((f) => f.type === "message.created" && f.message.kind === "note" && f.message.body === "VIP customer: offer free shipping");
    const thread = (await call("GET", `/api/conversations/${conversationId}/messages`, { as: owner })).json.items;
    expect(thread.map((m: any) => [m.kind, m.body])).toEqual([
      ["message", "Where is my parcel?"],
      ["note", "VIP customer: offer free shipping"],
    ]);
    const after = await view(conversationId);
    expect(after).toMatchObject({ preview: before.preview, lastMessageAt: before.lastMessageAt, unread: before.unread, unreadCount: before.unreadCount, channels: ["chat"] });
    watching.close();
  });

  it("never reaches the visitor: not live, not when their widget reconnects, not in their thread", async () => {
    const token = await newVisitor();
    const conversationId = await startChat(token, "Hello?");
    const visitor = await Live.visitor(token, conversationId);
    await visitor.waitFor((f) => f.type === "ready");
    await note(conversationId, "Internal: this visitor asked twice");
    await call("POST", `/api/conversations/${conversationId}/messages`, { as: andy, body: { channel: "chat", body: "Hi, how can I help?" } });
    // The reply after the note reaches the visitor; the note never did, before or after it.
    await visitor.waitFor((f) => f.type === "message.created" && f.message.body === "Hi, how can I help?");
    expect(JSON.stringify(visitor.frames)).not.toContain("Internal:");
    visitor.close();

    const again = await Live.visitor(token, conversationId);
    const ready = await again.waitFor((f) => f.type === "ready");
    expect(ready.messages.map((m: any) => m.body)).toEqual(["Hello?", "Hi, how can I help?"]);
    again.close();
  });

  it("is not carried by an email reply or a transcript of the chat", async () => {
    const chat = await receive("chat", [from.visitor("browser-notes-mail"), from.email("notes.mail@example.com")], { body: "Please email me" });
    await note(chat.conversation.id, "Internal: promised a refund");
    const outbox = watchOutbox();
    try {
      expect((await call("POST", `/api/conversations/${chat.conversation.id}/messages`, { as: andy, body: { channel: "email", body: "Here you are" } })).status).toBe(201);
      expect((await call("POST", `/api/conversations/${chat.conversation.id}/transcript`, { as: andy })).status).toBe(201);
      expect(outbox.sent).toHaveLength(2);
      for (const sent of outbox.sent) {
        expect(`${sent.builder.text}${sent.builder.html}`).toContain("Please email me");
        expect(`${sent.builder.text}${sent.builder.html}`).not.toContain("Internal:");
      }
    } finally {
      outbox.restore();
    }
  });

  it("on an SMS conversation sends nothing and costs nothing, and is for admins only", async () => {
    const text = await receive("sms", [from.phone("+14155550199")], { externalId: "SM-notes-1", body: "Hi by text", meta: { address: "+14155550199" } });
    const spent = vi.spyOn(globalThis, "fetch");
    expect((await note(text.conversation.id, "Internal: call them back", owner)).status).toBe(201);
    expect(spent).not.toHaveBeenCalled();
    expect((await note(text.conversation.id, "Internal: agent", andy)).status).toBe(403);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM sms_charges").first<{ n: number }>()).toEqual({ n: 0 });
  });

  it("refuses an empty note", async () => {
    const conversationId = await startChat(await newVisitor(), "Hi");
    expect((await note(conversationId, "   ")).status).toBe(400);
  });
});
