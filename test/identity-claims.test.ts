// Claims are not proofs: what a stranger with nothing but the public widget can say about who they
// are, and what it must never make Parley do to someone else's contact, mail or thread.
import { env } from "cloudflare:test";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { admin, call, type Session } from "./helpers";
import { from, receive } from "./inbound";
import { Live, newVisitor, startChat, widget } from "./chat";
import { INBOUND, watchOutbox } from "./mail";

let owner: Session;
let outbox: ReturnType<typeof watchOutbox> | undefined;
beforeAll(async () => {
  owner = await admin();
  await call("PUT", "/api/settings", { as: owner, body: { email: { inboundAddress: INBOUND }, chatForm: { phone: "optional", fullName: "optional" } } });
});
afterEach(() => {
  outbox?.restore();
  outbox = undefined;
});

const api = (method: string, path: string, body?: unknown) => call(method, path, { as: owner, body });
const contact = async (id: string) => (await api("GET", `/api/contacts/${id}`)).json;
const conversation = async (id: string) => (await api("GET", `/api/conversations/${id}`)).json;
const conversationsOf = async (contactId: string) => ((await api("GET", `/api/contacts/${contactId}/conversations`)).json.items as { id: string }[]).map((c) => c.id);
const messagesOf = async (conversationId: string) => (await api("GET", `/api/conversations/${conversationId}/messages`)).json.items as { body: string; channel: string }[];

async function hmacHex(secret: string, text: string) {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return Array.from(new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(text))), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A stranger on the website: a fresh widget visitor who fills in the pre-chat form and writes. */
async function strangerSays(form: Record<string, string>, body = "Hi, it's me") {
  const token = await newVisitor();
  const answer = await widget(token, "POST", "/prechat", form);
  expect(answer.status).toBe(200);
  return { token, conversationId: await startChat(token, body) };
}

describe("a pre-chat form naming people who are already contacts", () => {
  it("never merges them: Alice's email with Bob's phone leaves Bob, his phone and his thread where they were", async () => {
    const alice = await receive("email", [from.email("alice@example.com")], { thread: "new", body: "About my order" });
    const bob = await api("POST", "/api/contacts", { firstName: "Bob", phone: "+14155550101" });
    const bobsText = await receive("sms", [from.phone("+14155550101")], { body: "Bob here" });

    const chat = await strangerSays({ email: "alice@example.com", phone: "+14155550101" });

    expect(await contact(bob.json.id)).toMatchObject({ id: bob.json.id, phone: "+14155550101", firstName: "Bob" });
    expect(await conversationsOf(bob.json.id)).toEqual([bobsText.conversation.id]);
    expect(await contact(alice.contact!.id)).toMatchObject({ email: "alice@example.com", phone: null });
    expect((await contact(alice.contact!.id)).identities.map((i: { value: string }) => i.value)).not.toContain("+14155550101");
    // Agents see whom the chat probably is, marked as not verified.
    expect(await conversation(chat.conversationId)).toMatchObject({ identityVerified: false, contact: { id: alice.contact!.id } });
  });

  it("never changes a contact's email: a stranger's email with Carol's phone sends none of Carol's replies or transcripts to the stranger", async () => {
    const carol = await receive("sms", [from.phone("+14155550102")], { body: "Is my repair ready?" });
    await strangerSays({ email: "mallory@evil.example", phone: "+14155550102" });

    expect(await contact(carol.contact!.id)).toMatchObject({ email: null, phone: "+14155550102" });
    outbox = watchOutbox();
    const reply = await api("POST", `/api/conversations/${carol.conversation.id}/messages`, { channel: "email", body: "Your repair is ready." });
    expect(reply.status).toBe(409);
    const transcript = await api("POST", `/api/conversations/${carol.conversation.id}/transcript`);
    expect(transcript.status).toBe(409);
    expect(outbox.sent).toEqual([]);
  });

  it("never changes a contact's name or fills in their blanks", async () => {
    const gus = await receive("email", [from.email("gus@example.com")], { thread: "new", profile: { firstName: "Gus" } });
    await strangerSays({ email: "gus@example.com", fullName: "Mallory Evil", phone: "+14155550103" });
    expect(await contact(gus.contact!.id)).toMatchObject({ firstName: "Gus", lastName: null, phone: null });
  });
});

describe("a claim the real person later proves", () => {
  it("does not hold their mail: Frank's first email makes Frank a contact of his own, and the stranger's chat stays with the stranger's claim", async () => {
    const chat = await strangerSays({ email: "frank@example.com", fullName: "Not Frank" }, "I'm Frank, send me his invoices");
    const claimed = (await conversation(chat.conversationId)).contact;
    expect(claimed).toMatchObject({ email: "frank@example.com", firstName: "Not" });
    expect((await contact(claimed.id)).identities).toContainEqual({ kind: "email", value: "frank@example.com", proven: false });

    const mail = await receive("email", [from.email("frank@example.com")], { thread: "new", subject: "Invoice", body: "Frank writing" });

    expect(mail.contact!.id).not.toBe(claimed.id);
    expect(await contact(mail.contact!.id)).toMatchObject({ email: "frank@example.com", firstName: null });
    expect(await conversationsOf(mail.contact!.id)).toEqual([mail.conversation.id]);
    expect(await contact(claimed.id)).toMatchObject({ email: null, firstName: "Not" });
    expect((await contact(mail.contact!.id)).identities).toContainEqual({ kind: "email", value: "frank@example.com", proven: true });
    expect(await conversationsOf(claimed.id)).toEqual([chat.conversationId]);
  });

  it("does not let the real person's answer into the stranger's thread: a reply from the mailbox opens a thread of its own", async () => {
    const chat = await strangerSays({ email: "hana@example.com" }, "Tell me about my account");
    const hana = await receive("email", [from.email("hana@example.com")], { thread: { conversationId: chat.conversationId }, body: "Who is asking?" });
    expect(hana.conversation.id).not.toBe(chat.conversationId);
    expect((await messagesOf(chat.conversationId)).map((m) => m.body)).toEqual(["Tell me about my account"]);
  });
});

describe("identify, then a pre-chat form naming someone else", () => {
  it("never wears the verified badge of the person named afterwards", async () => {
    await api("PUT", "/api/settings", { identitySecret: "host-site-secret" });
    try {
      const dana = await receive("email", [from.email("dana@example.com")], { thread: "new" });
      const token = await newVisitor();
      const signed = await widget(token, "POST", "/identify", { email: "mallory@example.com", hash: await hmacHex("host-site-secret", "mallory@example.com") });
      expect(signed.json).toMatchObject({ identified: true, verified: true });
      const own = await startChat(token, "Signed in as myself");

      const claim = await widget(token, "POST", "/prechat", { email: "dana@example.com" });
      expect(claim.json).toEqual({ identified: true, verified: false, token: expect.any(String) });
      expect(await conversation(own)).toMatchObject({ identityVerified: true, contact: { email: "mallory@example.com" } });

      const claimed = await startChat(claim.json.token, "Now I'm Dana");
      expect(await conversation(claimed)).toMatchObject({ identityVerified: false, contact: { id: dana.contact!.id } });
      expect((await widget(claim.json.token, "GET", "/session")).json).toMatchObject({ conversationId: claimed, verified: false });
    } finally {
      await api("PUT", "/api/settings", { identitySecret: "" });
    }
  });
});

describe("a visitor whose claim the host site later signs", () => {
  it("is that person: the contact the form made is now proven, and the thread shows verified", async () => {
    await api("PUT", "/api/settings", { identitySecret: "host-site-secret" });
    try {
      const token = await newVisitor();
      await widget(token, "POST", "/prechat", { email: "jo@example.com", fullName: "Jo Park" });
      const chat = await startChat(token, "Before I signed in");
      const claimed = (await conversation(chat)).contact;

      const signed = await widget(token, "POST", "/identify", { email: "jo@example.com", hash: await hmacHex("host-site-secret", "jo@example.com") });
      expect(signed.json).toEqual({ identified: true, verified: true });

      const now = await conversation(chat);
      expect(now).toMatchObject({ identityVerified: true, contact: { email: "jo@example.com" } });
      expect((await contact(now.contact.id)).identities).toContainEqual({ kind: "email", value: "jo@example.com", proven: true });
      expect(now.contact).toMatchObject({ id: claimed.id, firstName: "Jo", lastName: "Park" });
    } finally {
      await api("PUT", "/api/settings", { identitySecret: "" });
    }
  });
});

describe("the widget of a visitor who claimed someone's email", () => {
  it("replays and pushes only the chat: never the agent's email to the real person, nor her reply", async () => {
    const erin = await receive("email", [from.email("erin@example.com")], { thread: "new", body: "Erin's own thread" });
    const chat = await strangerSays({ email: "erin@example.com" }, "Where is my parcel?");
    outbox = watchOutbox();
    expect((await api("POST", `/api/conversations/${chat.conversationId}/messages`, { channel: "email", body: "Your parcel left today." })).status).toBe(201);
    await receive("email", [from.email("erin@example.com")], { thread: { conversationId: chat.conversationId }, body: "I never asked about a parcel" });
    expect(await conversationsOf(erin.contact!.id)).toContain(chat.conversationId);
    expect((await messagesOf(chat.conversationId)).map((m) => m.channel)).toEqual(["chat", "email", "email"]);

    const socket = await Live.visitor(chat.token, chat.conversationId);
    const ready = await socket.waitFor((f) => f.type === "ready");
    expect(ready.messages.map((m: { body: string }) => m.body)).toEqual(["Where is my parcel?"]);

    await receive("email", [from.email("erin@example.com")], { thread: { conversationId: chat.conversationId }, body: "Stop this" });
    expect((await api("POST", `/api/conversations/${chat.conversationId}/messages`, { channel: "chat", body: "Sorry, a chat reply" })).status).toBe(201);
    await socket.waitFor((f) => f.type === "message.created" && f.message.body === "Sorry, a chat reply");
    expect(socket.all("message.created").map((f) => f.message.body)).toEqual(["Sorry, a chat reply"]);
    socket.close();
  });
});

describe("an agent adding a field in the contact panel", () => {
  it("adds it to the contact the conversation is with, which keeps its thread", async () => {
    const chat = await strangerSays({ email: "ivy@example.com", fullName: "Ivy Stone" });
    const ivy = (await conversation(chat.conversationId)).contact;

    const added = await api("PUT", `/api/conversations/${chat.conversationId}/contact`, { phone: "+14155550104" });

    expect(added.status).toBe(200);
    expect(added.json.contact).toMatchObject({ id: ivy.id, email: "ivy@example.com", phone: "+14155550104", firstName: "Ivy" });
    expect(await conversationsOf(ivy.id)).toEqual([chat.conversationId]);
  });
});

describe("a new visitor's first messages", () => {
  it("open one conversation however many are sent at once", async () => {
    const token = await newVisitor();
    const sent = await Promise.all(["one", "two", "three", "four", "five", "six"].map((body, n) => widget(token, "POST", "/messages", { clientId: `first-${n}`, body })));
    expect(sent.map((s) => s.status)).toEqual([201, 201, 201, 201, 201, 201]);
    const threads = new Set(sent.map((s) => s.json.conversationId));
    expect(threads.size).toBe(1);
    expect((await messagesOf([...threads][0]!)).map((m) => m.body).sort()).toEqual(["five", "four", "one", "six", "three", "two"]);
  });
});

// Each limit counts per minute: the calls of a test go all at once, so a slow machine cannot spread
// them over two minutes and see the limit twice.
describe("abuse limits per client address", () => {
  const fromOneAddress = { "cf-connecting-ip": "198.51.100.7" };

  it("stop one address from making visitors without end", async () => {
    const answers = await Promise.all(Array.from({ length: 31 }, async () => (await call("POST", "/api/widget/visitors", { headers: fromOneAddress })).status));
    expect(answers.filter((s) => s === 201)).toHaveLength(30);
    expect(answers.filter((s) => s === 429)).toHaveLength(1);
    expect((await call("POST", "/api/widget/visitors")).status).toBe(201);
  });

  it("stop one visitor naming person after person, each of whom would get a contact and a visitor", async () => {
    const address = { "cf-connecting-ip": "198.51.100.9" };
    const token = await newVisitor();
    const answers = await Promise.all(
      Array.from({ length: 31 }, async (_, n) => {
        const who = n % 2 ? { path: "/prechat", body: { email: `form${n}@spam.example` } } : { path: "/identify", body: { email: `identify${n}@spam.example` } };
        return (await call("POST", `/api/widget${who.path}`, { headers: { ...address, "X-Visitor-Token": token }, body: who.body })).status;
      }),
    );
    expect(answers.filter((s) => s === 200)).toHaveLength(30);
    expect(answers.filter((s) => s === 429)).toHaveLength(1);
  });

  it("count the first message of each new chat from one address", async () => {
    const address = { "cf-connecting-ip": "198.51.100.8" };
    const tokens = await Promise.all(Array.from({ length: 31 }, () => newVisitor()));
    const answers = await Promise.all(
      tokens.map(async (token) => (await call("POST", "/api/widget/messages", { headers: { ...address, "X-Visitor-Token": token }, body: { clientId: "first", body: "hi" } })).status),
    );
    expect(answers.filter((s) => s === 201)).toHaveLength(30);
    expect(answers.filter((s) => s === 429)).toHaveLength(1);
    expect((await env.DB.prepare("SELECT COUNT(*) AS n FROM messages WHERE body = 'hi'").first<{ n: number }>())!.n).toBe(30);
  });
});
