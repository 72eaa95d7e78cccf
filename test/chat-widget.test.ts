// The widget's side of web chat: who the visitor is, what they may reach, the pre-chat form,
// identify, and the limits.
import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { database } from "../src/db/client";
import { visitors } from "../src/db/schema";
import { VISITOR_MESSAGES_PER_MINUTE } from "../src/domain/chat";
import { MAX_MESSAGE_LENGTH } from "../src/domain/messages";
import { sha256Hex } from "../src/domain/ids";
import { admin, agent, call } from "./helpers";
import { clientId, Live, newVisitor, startChat, widget } from "./chat";

const settings = async (patch: unknown) => expect((await call("PUT", "/api/settings", { as: await admin(), body: patch })).status).toBe(200);
const conversation = async (id: string) => (await call("GET", `/api/conversations/${id}`, { as: await agent() })).json;
const thread = async (id: string) => (await call("GET", `/api/conversations/${id}/messages`, { as: await agent() })).json.items.map((m: any) => m.body);

async function hmacHex(secret: string, text: string) {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(text)));
  return Array.from(mac, (b) => b.toString(16).padStart(2, "0")).join("");
}

async function backdate(token: string, days: number) {
  const db = database(env.DB);
  await db
    .update(visitors)
    .set({ lastSeenAt: Date.now() - days * 86_400_000 })
    .where(eq(visitors.tokenHash, await sha256Hex(token)));
}

describe("the visitor token", () => {
  it("starts a visitor with no thread, and brings their thread back on return", async () => {
    const token = await newVisitor();
    expect((await widget(token, "GET", "/session")).json).toEqual({ conversationId: null, identified: false, verified: null });
    const conversationId = await startChat(token, "Anyone there?");
    expect((await widget(token, "GET", "/session")).json).toMatchObject({ conversationId });
    const visitor = await Live.visitor(token, conversationId);
    expect((await visitor.waitFor((f) => f.type === "ready")).messages.map((m: any) => m.body)).toEqual(["Anyone there?"]);
  });

  it("is refused when missing, unknown, or unused for 30 days, and rolls forward with use", async () => {
    expect((await widget(null, "GET", "/session")).status).toBe(401);
    const unknown = await widget("not-a-real-token", "GET", "/session");
    expect(unknown.status).toBe(401);
    expect(unknown.json.error.code).toBe("unauthorized");

    const stale = await newVisitor();
    const conversationId = await startChat(stale, "from last month");
    await backdate(stale, 31);
    const expired = await widget(stale, "GET", "/session");
    expect(expired.status).toBe(401);
    expect(JSON.stringify(expired.json)).not.toContain(conversationId);
    await expect(Live.visitor(stale, conversationId)).rejects.toMatchObject({ status: 401 });

    const regular = await newVisitor();
    await backdate(regular, 29);
    expect((await widget(regular, "GET", "/session")).status).toBe(200);
    const [row] = await database(env.DB)
      .select()
      .from(visitors)
      .where(eq(visitors.tokenHash, await sha256Hex(regular)));
    expect(Date.now() - row!.lastSeenAt).toBeLessThan(60_000);
  });

  it("reaches only its own conversations", async () => {
    const ana = await newVisitor();
    const anasThread = await startChat(ana, "My card number ends in 4242");
    const mallory = await newVisitor();

    const denied = await Live.visitor(mallory, anasThread).catch((e) => e);
    expect(denied.status).toBe(403);
    expect(JSON.stringify(denied.json)).not.toContain("4242");
    await expect(Live.visitor(mallory, "no-such-conversation")).rejects.toMatchObject({ status: 403 });

    // Mallory's own messages open Mallory's own thread; Ana's is untouched.
    const mallorysThread = await startChat(mallory, "hello");
    expect(mallorysThread).not.toBe(anasThread);
    expect(await thread(anasThread)).toEqual(["My card number ends in 4242"]);
  });

  it("works from any website: CORS for every origin, no cookies", async () => {
    const preflight = await call("OPTIONS", "/api/widget/messages", {
      headers: { Origin: "https://shop.example", "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type,x-visitor-token" },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("x-visitor-token");

    const refused = await call("GET", "/api/widget/session", { headers: { Origin: "https://shop.example" } });
    expect(refused.status).toBe(401);
    expect(refused.headers.get("access-control-allow-origin")).toBe("*");
    const created = await call("POST", "/api/widget/visitors", { headers: { Origin: "https://shop.example" } });
    expect(created.headers.get("access-control-allow-origin")).toBe("*");
    expect(created.headers.get("set-cookie")).toBeNull();
  });
});

describe("the pre-chat form", () => {
  it("needs a valid email", async () => {
    const token = await newVisitor();
    const missing = await widget(token, "POST", "/prechat", { fullName: "Ana Lima" });
    expect(missing.status).toBe(400);
    expect(missing.json.error.details).toContainEqual(expect.objectContaining({ path: "email" }));
    const invalid = await widget(token, "POST", "/prechat", { email: "ana at example" });
    expect(invalid.status).toBe(400);
    expect(invalid.json.error.message).toMatch(/valid email/);
    expect((await widget(token, "GET", "/session")).json.identified).toBe(false);
  });

  it("creates the contact, phone in E.164, not opted in, and the visitor's earlier messages join it", async () => {
    await settings({ chatForm: { phone: "optional", account: "optional", fullName: "optional" }, defaultCountry: "US" });
    const token = await newVisitor();
    const conversationId = await startChat(token, "Question before I say who I am");
    expect((await conversation(conversationId)).contact).toBeNull();

    const res = await widget(token, "POST", "/prechat", { email: " Ana.Lima@Example.com ", phone: "(415) 555-0132", account: "Acme Inc", fullName: "Ana Maria Lima" });
    expect(res.status).toBe(200);
    expect((await widget(token, "GET", "/session")).json).toMatchObject({ identified: true, conversationId });
    expect((await conversation(conversationId)).contact).toMatchObject({
      email: "ana.lima@example.com",
      phone: "+14155550132",
      account: "Acme Inc",
      firstName: "Ana",
      lastName: "Maria Lima",
      marketingConsent: false,
    });
  });

  it("follows settings.chatForm: required fields must be there, fields that are off are not kept", async () => {
    await settings({ chatForm: { phone: "required", account: "off", fullName: "required" } });
    const token = await newVisitor();
    const res = await widget(token, "POST", "/prechat", { email: "bo@example.com", account: "Globex" });
    expect(res.status).toBe(400);
    expect(res.json.error.details.map((d: any) => [d.path, d.message, d.code])).toEqual([
      ["phone", "Enter your phone number.", "too_small"],
      ["fullName", "Enter your full name.", "too_small"],
    ]);
    expect((await call("GET", "/api/widget/config")).json.chatForm).toEqual({ phone: "required", account: "off", fullName: "required" });

    const badPhone = await widget(token, "POST", "/prechat", { email: "bo@example.com", phone: "12", fullName: "Bo" });
    expect(badPhone.status).toBe(400);
    expect(badPhone.json.error.message).toMatch(/phone: .*country code/);

    const ok = await widget(token, "POST", "/prechat", { email: "bo@example.com", phone: "+44 20 7946 0958", fullName: "Bo", account: "Globex" });
    expect(ok.status).toBe(200);
    const conversationId = await startChat(token);
    expect((await conversation(conversationId)).contact).toMatchObject({ phone: "+442079460958", account: null, firstName: "Bo" });
  });

  it("finds the contact an agent already has instead of making a second one", async () => {
    const owner = await admin();
    const existing = await call("POST", "/api/contacts", { as: owner, body: { email: "cy@example.com", firstName: "Cy" } });
    await settings({ chatForm: { phone: "optional", account: "off", fullName: "optional" } });
    const token = await newVisitor();
    await widget(token, "POST", "/prechat", { email: "CY@example.com" });
    const conversationId = await startChat(token);
    expect((await conversation(conversationId)).contact.id).toBe(existing.json.id);
  });
});

describe("identify", () => {
  it("without an identity secret links the contact and marks the conversation not verified", async () => {
    await settings({ identitySecret: "" });
    const token = await newVisitor();
    const before = await startChat(token, "hi");
    const res = await widget(token, "POST", "/identify", { email: "dee@example.com", name: "Dee Doe" });
    expect(res.json).toEqual({ identified: true, verified: false });
    const after = await startChat(token, "again");
    expect(after).toBe(before);
    expect(await conversation(before)).toMatchObject({ identityVerified: false, contact: { email: "dee@example.com", firstName: "Dee", lastName: "Doe" } });
  });

  it("with an identity secret takes only a valid HMAC of the email; otherwise the visitor stays anonymous", async () => {
    await settings({ identitySecret: "s3cret-for-hmac" });
    const token = await newVisitor();
    for (const hash of [undefined, "zz", "0".repeat(64), await hmacHex("s3cret-for-hmac", "someone.else@example.com"), await hmacHex("wrong secret", "eve@example.com")]) {
      const refused = await widget(token, "POST", "/identify", { email: "eve@example.com", hash });
      expect(refused.status).toBe(403);
      expect(refused.json.error).toEqual({ code: "identity_not_verified", message: expect.stringMatching(/stays anonymous/) });
    }
    expect((await widget(token, "GET", "/session")).json.identified).toBe(false);

    const accepted = await widget(token, "POST", "/identify", { email: "eve@example.com", name: "Eve", hash: await hmacHex("s3cret-for-hmac", "eve@example.com") });
    expect(accepted.json).toEqual({ identified: true, verified: true });
    const conversationId = await startChat(token);
    expect(await conversation(conversationId)).toMatchObject({ identityVerified: true, contact: { email: "eve@example.com" } });
    await settings({ identitySecret: "" });
  });

  it("gives another person signing in on the same browser a thread of their own", async () => {
    const token = await newVisitor();
    await widget(token, "POST", "/identify", { email: "fay@example.com" });
    const faysThread = await startChat(token, "Fay's private question");

    const switched = await widget(token, "POST", "/identify", { email: "gus@example.com" });
    expect(switched.json.token).toEqual(expect.any(String));
    expect((await widget(switched.json.token, "GET", "/session")).json).toEqual({ conversationId: null, identified: true, verified: false });
    await expect(Live.visitor(switched.json.token, faysThread)).rejects.toMatchObject({ status: 403 });
    expect((await conversation(faysThread)).contact.email).toBe("fay@example.com");
  });
});

describe("limits", () => {
  it("refuses an empty or too long message with a clear error, over HTTP and the socket, and stores nothing", async () => {
    const token = await newVisitor();
    const tooLong = "x".repeat(MAX_MESSAGE_LENGTH + 1);
    const first = await widget(token, "POST", "/messages", { clientId: clientId(), body: tooLong });
    expect(first.status).toBe(400);
    expect(first.json.error.code).toBe("too_long");
    expect((await widget(token, "POST", "/messages", { clientId: clientId(), body: "  " })).json.error.code).toBe("empty");
    expect((await widget(token, "GET", "/session")).json.conversationId).toBeNull();

    const conversationId = await startChat(token, "ok");
    const visitor = await Live.visitor(token, conversationId);
    visitor.send({ type: "message", clientId: "long-1", body: tooLong });
    expect(await visitor.waitFor((f) => f.type === "error")).toMatchObject({ code: "too_long", clientId: "long-1", message: expect.stringMatching(/10000 characters/) });
    visitor.send({ type: "message", clientId: "fine-1", body: "x".repeat(MAX_MESSAGE_LENGTH) });
    await visitor.waitFor((f) => f.type === "ack" && f.clientId === "fine-1");
    expect(await thread(conversationId)).toEqual(["ok", "x".repeat(MAX_MESSAGE_LENGTH)]);
  });

  it("limits messages per visitor per minute (error frame, 429), keeping every message it accepted", async () => {
    const token = await newVisitor();
    const conversationId = await startChat(token, "start");
    const visitor = await Live.visitor(token, conversationId);
    const sent = Array.from({ length: VISITOR_MESSAGES_PER_MINUTE + 1 }, (_, i) => ({ clientId: `flood-${i}`, body: `flood ${i}` }));
    for (const m of sent) visitor.send({ type: "message", ...m });
    const refused = await visitor.waitFor((f) => f.type === "error");
    expect(refused).toMatchObject({ code: "rate_limited", clientId: `flood-${VISITOR_MESSAGES_PER_MINUTE}`, message: expect.stringMatching(/wait \d+ s/) });
    await visitor.waitFor(() => visitor.all("ack").length === VISITOR_MESSAGES_PER_MINUTE);

    // A resend of one already stored is answered as stored: the limit is for new messages.
    const acked = visitor.all("ack").find((f) => f.clientId === "flood-0")!;
    visitor.send({ type: "message", clientId: "flood-0", body: "flood 0" });
    await visitor.waitFor(() => visitor.all("ack").filter((f) => f.clientId === "flood-0").length === 2);
    expect(
      visitor
        .all("ack")
        .filter((f) => f.clientId === "flood-0")
        .map((f) => f.messageId),
    ).toEqual([acked.messageId, acked.messageId]);

    const overHttp = await widget(token, "POST", "/messages", { clientId: clientId(), body: "one more" });
    expect(overHttp.status).toBe(429);
    expect(overHttp.json.error.code).toBe("rate_limited");
    expect(await thread(conversationId)).toEqual(["start", ...sent.slice(0, VISITOR_MESSAGES_PER_MINUTE).map((m) => m.body)]);
  });
});
