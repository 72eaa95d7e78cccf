// The agent inbox: which conversations an agent sees, in what order, and the state every agent shares.
// People here also text in, and SMS conversations are admins' only: the teammates are admins.
import { beforeAll, describe, expect, it } from "vitest";
import { admin, agent, call, type Session } from "./helpers";
import { from, receive } from "./inbound";

let owner: Session;
let andy: Session;
let bea: Session;
beforeAll(async () => {
  owner = await admin();
  andy = await agent("Andy Admin", "admin");
  bea = await agent("Bea Admin", "admin");
});

const inbox = async (query: string, as = andy) => {
  const res = await call("GET", `/api/conversations?${query}`, { as });
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json as { items: any[]; nextCursor: string | null };
};
const ids = async (query: string) => (await inbox(query)).items.map((c) => c.id as string);
const view = async (id: string, as = andy) => (await call("GET", `/api/conversations/${id}`, { as })).json;

describe("a message delivered twice", () => {
  it("is stored once: one message, the unread count and the conversation touched once", async () => {
    const first = await receive("sms", [from.phone("+14155552690")], { externalId: "SM-dup-1", body: "Only once please" });
    const before = await view(first.conversation.id);
    const again = await receive("sms", [from.phone("+14155552690")], { externalId: "SM-dup-1", body: "Only once please" });
    expect(again.duplicate).toBe(true);
    expect(again.message.id).toBe(first.message.id);
    expect(await view(first.conversation.id)).toEqual(before);
    expect(before).toMatchObject({ unread: true, unreadCount: 1 });
    const messages = (await call("GET", `/api/conversations/${first.conversation.id}/messages`, { as: andy })).json.items;
    expect(messages).toHaveLength(1);
  });

  it("is stored once even when both deliveries arrive at the same moment, and leaves no empty conversation behind", async () => {
    const sender = [from.email("twice@example.com")];
    const [a, b] = await Promise.all([
      receive("email", sender, { thread: "new", externalId: "<same@mail.example>", body: "Sent once, delivered twice" }),
      receive("email", sender, { thread: "new", externalId: "<same@mail.example>", body: "Sent once, delivered twice" }),
    ]);
    expect(a.message.id).toBe(b.message.id);
    expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
    const contactId = (a.contact ?? b.contact)!.id;
    const threads = (await call("GET", `/api/contacts/${contactId}/conversations`, { as: andy })).json.items;
    expect(threads).toHaveLength(1);
    expect(threads[0]).toMatchObject({ id: a.message.conversationId, unreadCount: 1, preview: "Sent once, delivered twice" });
  });

  it("two different messages from a new sender arriving together open one conversation, not two", async () => {
    for (const [channel, sender] of [
      ["sms", [from.phone("+14155552696")]],
      ["chat", [from.visitor("browser-burst")]],
      ["messenger", [from.messenger("psid-burst")]],
    ] as const) {
      const [a, b] = await Promise.all([
        receive(channel, [...sender], { externalId: `${channel}-burst-1`, body: "first" }),
        receive(channel, [...sender], { externalId: `${channel}-burst-2`, body: "second" }),
      ]);
      expect(b.conversation.id, channel).toBe(a.conversation.id);
      const thread = await call("GET", `/api/conversations/${a.conversation.id}/messages`, { as: andy });
      expect(thread.json.items.map((m: any) => m.body).sort(), channel).toEqual(["first", "second"]);
      expect(await view(a.conversation.id), channel).toMatchObject({ unreadCount: 2 });
    }
  });

  it("with the same provider id on another channel is a different message", async () => {
    const sms = await receive("sms", [from.phone("+14155552691")], { externalId: "id-42" });
    const chat = await receive("messenger", [from.messenger("psid-42")], { externalId: "id-42" });
    expect(chat.duplicate).toBe(false);
    expect(chat.message.id).not.toBe(sms.message.id);
  });
});

describe("shared state: read, complete, reopen", () => {
  it("a new inbound message reopens a complete conversation and marks it unread", async () => {
    const first = await receive("sms", [from.phone("+14155552692")], { body: "Where is my order?" });
    await call("POST", `/api/conversations/${first.conversation.id}/read`, { as: andy });
    const done = await call("POST", `/api/conversations/${first.conversation.id}/complete`, { as: andy });
    expect(done.json).toMatchObject({ status: "complete", unread: false });
    expect(await ids("status=open")).not.toContain(first.conversation.id);

    await receive("sms", [from.phone("+14155552692")], { body: "Still waiting" });
    expect(await view(first.conversation.id)).toMatchObject({ status: "open", unread: true, unreadCount: 1, preview: "Still waiting" });
    expect(await ids("status=open")).toContain(first.conversation.id);
  });

  it("read and complete done by one agent are what every agent sees", async () => {
    const msg = await receive("email", [from.email("shared@example.com")], { thread: "new" });
    expect((await view(msg.conversation.id, bea)).unread).toBe(true);
    const read = await call("POST", `/api/conversations/${msg.conversation.id}/read`, { as: andy });
    expect(read.json).toMatchObject({ unread: false, unreadCount: 0 });
    expect((await view(msg.conversation.id, bea)).unread).toBe(false);

    await call("POST", `/api/conversations/${msg.conversation.id}/complete`, { as: bea });
    expect((await view(msg.conversation.id, andy)).status).toBe("complete");
    const reopened = await call("POST", `/api/conversations/${msg.conversation.id}/reopen`, { as: andy });
    expect(reopened.json.status).toBe("open");
    expect((await view(msg.conversation.id, bea)).status).toBe("open");
  });

  it("answers 404 for a conversation that does not exist, and conversations cannot be deleted", async () => {
    for (const action of ["read", "complete", "reopen"]) {
      const res = await call("POST", `/api/conversations/missing/${action}`, { as: andy });
      expect(res.status).toBe(404);
      expect(res.json.error.code).toBe("not_found");
    }
    expect((await call("GET", "/api/conversations/missing", { as: andy })).status).toBe(404);
    expect((await call("GET", "/api/conversations/missing/messages", { as: andy })).status).toBe(404);
    const msg = await receive("sms", [from.phone("+14155552693")]);
    expect((await call("DELETE", `/api/conversations/${msg.conversation.id}`, { as: owner })).status).toBe(404);
    expect((await view(msg.conversation.id)).id).toBe(msg.conversation.id);
  });
});

describe("naming the person behind a conversation", () => {
  it("refuses without an email or phone (400), a bad phone (400 naming it), and an unknown conversation (404)", async () => {
    const chat = await receive("chat", [from.visitor("browser-anon-1")]);
    const none = await call("PUT", `/api/conversations/${chat.conversation.id}/contact`, { as: andy, body: { firstName: "Nobody" } });
    expect(none.status).toBe(400);
    expect(none.json.error.details).toContainEqual(expect.objectContaining({ path: "email" }));
    const badPhone = await call("PUT", `/api/conversations/${chat.conversation.id}/contact`, { as: andy, body: { phone: "call me" } });
    expect(badPhone.status).toBe(400);
    expect(badPhone.json.error.details).toContainEqual(expect.objectContaining({ path: "phone" }));
    expect((await call("PUT", "/api/conversations/missing/contact", { as: andy, body: { email: "a@b.example" } })).status).toBe(404);
    expect((await view(chat.conversation.id)).contact).toBeNull();
  });

  it("joins every anonymous conversation of the same visitor to the contact", async () => {
    const older = await receive("chat", [from.visitor("browser-anon-2")], { thread: "new", body: "last week" });
    const today = await receive("chat", [from.visitor("browser-anon-2")], { thread: "new", body: "today" });
    const named = await call("PUT", `/api/conversations/${today.conversation.id}/contact`, {
      as: andy,
      body: { email: "quinn@example.com", phone: "(415) 555-2694", firstName: "Quinn" },
    });
    expect(named.json.contact).toMatchObject({ email: "quinn@example.com", phone: "+14155552694", firstName: "Quinn" });
    expect((await view(older.conversation.id)).contact.id).toBe(named.json.contact.id);
  });

  it("moves a conversation an agent says is with someone else, and the first person's next chat opens a thread of their own", async () => {
    const chat = await receive("chat", [from.email("first@example.com"), from.visitor("browser-shared-desk")], { body: "from the shared desk" });
    const moved = await call("PUT", `/api/conversations/${chat.conversation.id}/contact`, { as: andy, body: { email: "second@example.com" } });
    expect(moved.json.contact.email).toBe("second@example.com");
    const firstAgain = await receive("chat", [from.email("first@example.com"), from.visitor("browser-first-home")], { body: "from home" });
    expect(firstAgain.contact!.id).toBe(chat.contact!.id);
    expect(firstAgain.conversation.id).not.toBe(chat.conversation.id);
    expect((await view(chat.conversation.id)).contact.email).toBe("second@example.com");
  });

  it("adds what the agent gives to the contact a conversation is already with", async () => {
    const mail = await receive("email", [from.email("known@example.com")], { thread: "new" });
    const res = await call("PUT", `/api/conversations/${mail.conversation.id}/contact`, { as: andy, body: { phone: "+14155552695" } });
    expect(res.status).toBe(200);
    expect(res.json.contact).toMatchObject({ id: mail.contact!.id, email: "known@example.com", phone: "+14155552695" });
  });

  it("is refused with 409 when what the agent gives belongs to another contact (merge them instead)", async () => {
    const other = await receive("sms", [from.phone("+14155552696")], { body: "Other person" });
    const mail = await receive("email", [from.email("known.too@example.com")], { thread: "new" });
    const res = await call("PUT", `/api/conversations/${mail.conversation.id}/contact`, { as: andy, body: { phone: "+14155552696" } });
    expect(res.status).toBe(409);
    expect(res.json.error.code).toBe("identity_in_use");
    expect((await call("GET", `/api/conversations/${other.conversation.id}`, { as: andy })).json.contact.id).toBe(other.contact!.id);
  });
});

describe("the inbox list", () => {
  // A small inbox of its own: every conversation below is with someone whose name starts "Lst".
  const made: Record<string, string> = {};
  beforeAll(async () => {
    const people = [
      ["gb", "sms", [from.phone("+442079460958")], { firstName: "Lstgb", lastName: "Brown" }],
      ["us", "sms", [from.phone("+14155552671")], { firstName: "Lstus", lastName: "Smith" }],
      ["br", "messenger", [from.phone("+5511912345678"), from.messenger("psid-br")], { firstName: "Lstbr", lastName: "Souza" }],
      ["mail", "email", [from.email("lst.mail@example.com")], { firstName: "Lstmail", lastName: "Jones" }],
      ["chat", "chat", [from.email("lst.chat@example.com"), from.visitor("browser-lst")], { firstName: "Lstchat", lastName: "Lee" }],
    ] as const;
    for (const [key, channel, sender, profile] of people) {
      const msg = await receive(channel, [...sender], { profile, thread: "new", body: `Hello from ${key}` });
      made[key] = msg.conversation.id;
    }
    await call("POST", `/api/conversations/${made.mail}/read`, { as: andy });
    await call("POST", `/api/conversations/${made.chat}/complete`, { as: andy });
  });

  it("shows each conversation with the fields the contract promises, contact null when unknown", async () => {
    const anonymous = await receive("chat", [from.visitor("browser-nobody")], { thread: "new", body: "<b>hi</b>" });
    const { items } = await inbox("status=all");
    const item = items.find((c) => c.id === anonymous.conversation.id);
    expect(item).toMatchObject({
      id: anonymous.conversation.id,
      status: "open",
      unread: true,
      channels: ["chat"],
      lastMessageAt: expect.any(Number),
      preview: "<b>hi</b>",
      visitorOnline: false,
      contact: null,
    });
    const known = items.find((c) => c.id === made.gb);
    expect(known.contact).toMatchObject({ firstName: "Lstgb", lastName: "Brown", phone: "+442079460958" });
  });

  it("filters by status, unread and channel", async () => {
    const mine = (list: string[]) => list.filter((id) => Object.values(made).includes(id));
    expect(mine(await ids("limit=100")).sort()).toEqual([made.gb, made.us, made.br, made.mail].sort());
    expect(mine(await ids("status=complete&limit=100"))).toEqual([made.chat]);
    expect(mine(await ids("status=all&limit=100")).sort()).toEqual(Object.values(made).sort());
    expect(mine(await ids("unread=false&limit=100"))).toEqual([made.mail]);
    expect(mine(await ids("status=all&unread=true&limit=100")).sort()).toEqual([made.gb, made.us, made.br, made.chat].sort());
    expect(mine(await ids("status=all&channel=sms&limit=100")).sort()).toEqual([made.gb, made.us].sort());
    expect(mine(await ids("status=all&channel=chat&limit=100"))).toEqual([made.chat]);
    expect(mine(await ids("status=open&channel=chat&limit=100"))).toEqual([]);
  });

  it("finds conversations by the contact's first name, last name or email", async () => {
    expect((await ids("status=all&q=lst")).sort()).toEqual(Object.values(made).sort());
    expect(await ids("status=all&q=LSTB")).toEqual([made.br]);
    expect(await ids("status=all&q=souza")).toEqual([made.br]);
    expect(await ids("status=all&q=LST.MAIL@")).toEqual([made.mail]);
    expect(await ids("status=all&q=jones&channel=sms")).toEqual([]);
    expect(await ids("status=all&q=lstchat")).toEqual([made.chat]);
    expect(await ids("q=lstchat")).toEqual([]);
    expect(await ids(`status=all&q=${encodeURIComponent("Lstus Smi")}`)).toEqual([made.us]);
  });

  it("finds conversations by a phone typed in several formats and countries", async () => {
    await call("PUT", "/api/settings", { as: owner, body: { defaultCountry: "GB" } });
    for (const typed of ["+44 20 7946 0958", "020 7946 0958", "+44 (0)20 7946 0958"]) expect(await ids(`status=all&q=${encodeURIComponent(typed)}`), typed).toEqual([made.gb]);
    expect(await ids(`status=all&q=${encodeURIComponent("(415) 555-2671")}`)).toEqual([]);

    await call("PUT", "/api/settings", { as: owner, body: { defaultCountry: "US" } });
    for (const typed of ["(415) 555-2671", "415.555.2671", "415-555-2671", "+1 415 555 2671"]) {
      expect(await ids(`status=all&q=${encodeURIComponent(typed)}`), typed).toEqual([made.us]);
    }
    for (const typed of ["+55 11 91234-5678", "+55 (11) 91234 5678"]) expect(await ids(`status=all&q=${encodeURIComponent(typed)}`), typed).toEqual([made.br]);
  });

  it("treats empty parameters, as a form sends them, as not given", async () => {
    expect(await ids("status=&q=&channel=&unread=&cursor=&limit=")).toEqual(await ids(""));
  });

  it("lists newest activity first, and a new message moves a conversation to the top", async () => {
    const list = (await inbox("status=all&limit=100")).items;
    const times = list.map((c) => c.lastMessageAt);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    await receive("sms", [from.phone("+442079460958")], { body: "bump" });
    expect((await inbox("status=all")).items[0].id).toBe(made.gb);
  });
});

describe("paging the inbox", () => {
  it("gives every conversation exactly once across pages, in order, even when many share the same moment", async () => {
    const at = Date.parse("2026-01-01T00:00:00Z");
    for (let i = 0; i < 7; i++) await receive("sms", [from.phone(`+1415555270${i}`)], { thread: "new", receivedAt: at, body: `tie ${i}` });
    for (let i = 0; i < 3; i++) await receive("sms", [from.phone(`+1415555271${i}`)], { thread: "new", receivedAt: at - 1000 * (i + 1) });

    for (const filter of ["status=all", "status=all&channel=sms", "status=open&unread=true"]) {
      const everything = (await inbox(`${filter}&limit=100`)).items.map((c) => c.id);
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { items: any[]; nextCursor: string | null } = await inbox(`${filter}&limit=3${cursor ? `&cursor=${cursor}` : ""}`);
        expect(page.items.length).toBeLessThanOrEqual(3);
        paged.push(...page.items.map((c) => c.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(paged, filter).toEqual(everything);
    }
  });

  it("refuses a cursor it did not give out with 400", async () => {
    for (const bad of ["nonsense", "W10", btoa("[1]"), "%00"]) {
      const res = await call("GET", `/api/conversations?cursor=${bad}`, { as: andy });
      expect(res.status, bad).toBe(400);
      expect(res.json.error.details[0].path).toBe("cursor");
    }
  });
});

describe("a conversation's messages", () => {
  it("gives each message the contract's fields, oldest first, and earlier pages through olderCursor", async () => {
    const sender = [from.phone("+14155552720")];
    const first = await receive("sms", sender, { thread: "new", externalId: "SM-page-0", body: "message 0" });
    for (let i = 1; i < 5; i++) await receive("sms", sender, { externalId: `SM-page-${i}`, body: `message ${i}` });

    const latest = await call("GET", `/api/conversations/${first.conversation.id}/messages?limit=2`, { as: andy });
    expect(latest.json.items.map((m: any) => m.body)).toEqual(["message 3", "message 4"]);
    expect(latest.json.items[0]).toMatchObject({
      id: expect.any(String),
      conversationId: first.conversation.id,
      direction: "in",
      channel: "sms",
      body: "message 3",
      author: { type: "contact", id: first.contact!.id },
      createdAt: expect.any(Number),
      externalId: "SM-page-3",
      status: null,
    });
    const bodies: string[] = latest.json.items.map((m: any) => m.body);
    let cursor = latest.json.olderCursor;
    while (cursor) {
      const page = await call("GET", `/api/conversations/${first.conversation.id}/messages?limit=2&cursor=${cursor}`, { as: andy });
      bodies.unshift(...page.json.items.map((m: any) => m.body));
      cursor = page.json.olderCursor;
    }
    expect(bodies).toEqual(["message 0", "message 1", "message 2", "message 3", "message 4"]);
  });
});

describe("a reply without a channel", () => {
  it("goes on the first channel that can reach the person: chat kept for an offline visitor while email is not set up", async () => {
    const chat = await receive("chat", [from.visitor("browser-offline"), from.email("offline.visitor@example.com")], { body: "Anyone?" });
    const options = (await call("GET", `/api/conversations/${chat.conversation.id}/reply-options`, { as: andy })).json;
    expect(options.default).toBe("chat");
    expect(options.channels.find((c: any) => c.channel === "email")).toMatchObject({ reason: "email_not_configured", message: expect.stringContaining("Settings") });
    const reply = await call("POST", `/api/conversations/${chat.conversation.id}/messages`, { as: andy, body: { body: "Here when you are back" } });
    expect(reply).toMatchObject({ status: 201, json: { channel: "chat" } });
  });
});
