// The identity rules (src/domain/contacts.ts), each as the story of a
// person writing in, told through the one inbound pipeline and read back through the agent API.
import { env } from "cloudflare:test";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { database } from "../src/db/client";
import { contactMerges } from "../src/db/schema";
import { admin, call, type Session } from "./helpers";
import { from, receive } from "./inbound";

let owner: Session;
beforeAll(async () => {
  owner = await admin();
});

const contact = async (id: string) => (await call("GET", `/api/contacts/${id}`, { as: owner })).json;
const conversation = async (id: string) => (await call("GET", `/api/conversations/${id}`, { as: owner })).json;
const conversationsOf = async (contactId: string) => (await call("GET", `/api/contacts/${contactId}/conversations`, { as: owner })).json.items as { id: string }[];
const contactsNamed = async (q: string) => (await call("GET", `/api/contacts?q=${encodeURIComponent(q)}`, { as: owner })).json.items;
const messagesOf = async (conversationId: string) => (await call("GET", `/api/conversations/${conversationId}/messages`, { as: owner })).json.items as { body: string }[];

describe("a visitor on the website", () => {
  it("chats anonymously, then gives an email in the chat form: a new contact, and the earlier thread joins it", async () => {
    const first = await receive("chat", [from.visitor("browser-ana")], { body: "Do you ship to Portugal?" });
    expect(first.contact).toBeNull();
    expect((await conversation(first.conversation.id)).contact).toBeNull();

    const form = await receive("chat", [from.email("Ana@Example.com "), from.visitor("browser-ana")], {
      thread: { conversationId: first.conversation.id },
      profile: { firstName: "Ana", lastName: "Lima" },
      body: "My email is above",
    });
    expect(form.contact).toMatchObject({ email: "ana@example.com", firstName: "Ana", lastName: "Lima" });
    const ana = await contact(form.contact!.id);
    expect(ana.identities).toEqual(
      expect.arrayContaining([
        { kind: "email", value: "ana@example.com", proven: true },
        { kind: "visitor", value: "browser-ana", proven: true },
      ]),
    );
    expect((await conversation(first.conversation.id)).contact.id).toBe(ana.id);
    expect(await conversationsOf(ana.id)).toEqual([expect.objectContaining({ id: first.conversation.id })]);
    expect((await messagesOf(first.conversation.id)).map((m) => m.body)).toEqual(["Do you ship to Portugal?", "My email is above"]);
  });

  it("gives the email of a contact we already know: that contact, not a new one, and the anonymous thread joins it", async () => {
    const known = await receive("email", [from.email("bruno@example.com")], { thread: "new", body: "Invoice question" });
    const anonymous = await receive("chat", [from.visitor("browser-bruno")], { body: "Hi again" });
    const form = await receive("chat", [from.email("BRUNO@example.com"), from.visitor("browser-bruno")], {
      thread: { conversationId: anonymous.conversation.id },
    });
    expect(form.contact!.id).toBe(known.contact!.id);
    expect((await contactsNamed("bruno@")).length).toBe(1);
    expect((await conversationsOf(known.contact!.id)).map((c) => c.id).sort()).toEqual([known.conversation.id, anonymous.conversation.id].sort());
  });

  it("returns on the same browser: the visitor id alone finds the contact it was attached to", async () => {
    const form = await receive("chat", [from.email("carla@example.com"), from.visitor("browser-carla")]);
    const later = await receive("chat", [from.visitor("browser-carla")], { body: "Me again" });
    expect(later.contact!.id).toBe(form.contact!.id);
    expect(later.conversation.id).toBe(form.conversation.id);
  });

  it("shares a browser with someone else: the second person who identifies is a new contact, and the two are not merged", async () => {
    const dora = await receive("chat", [from.email("dora@example.com"), from.visitor("family-laptop")], { body: "Dora here" });
    // The widget gives the second person a thread of their own.
    const eli = await receive("chat", [from.email("eli@example.com"), from.visitor("family-laptop")], { body: "Eli here", thread: "new" });

    expect(eli.contact!.id).not.toBe(dora.contact!.id);
    expect(await contact(dora.contact!.id)).toMatchObject({ email: "dora@example.com" });
    // The browser now points at whoever identified last.
    expect((await contact(eli.contact!.id)).identities).toContainEqual({ kind: "visitor", value: "family-laptop", proven: true });
    expect((await contact(dora.contact!.id)).identities.map((i: { value: string }) => i.value)).not.toContain("family-laptop");
    // Each keeps their own thread.
    expect(eli.conversation.id).not.toBe(dora.conversation.id);
    expect((await conversationsOf(dora.contact!.id)).map((c) => c.id)).toEqual([dora.conversation.id]);
    expect((await conversationsOf(eli.contact!.id)).map((c) => c.id)).toEqual([eli.conversation.id]);
    expect((await messagesOf(dora.conversation.id)).map((m) => m.body)).toEqual(["Dora here"]);
  });
});

describe("email", () => {
  it("from an unknown address: a new contact and a new conversation", async () => {
    const mail = await receive("email", [from.email("fatima@example.com")], { thread: "new", subject: "Broken zipper", body: "It broke." });
    expect(mail.contact).toMatchObject({ email: "fatima@example.com", marketingConsent: false });
    expect(await conversation(mail.conversation.id)).toMatchObject({
      subject: "Broken zipper",
      channels: ["email"],
      contact: { id: mail.contact!.id },
    });
  });

  it("from a known address: its contact, whatever the case of the address", async () => {
    const first = await receive("email", [from.email("gil@example.com")], { thread: "new" });
    const second = await receive("email", [from.email("  Gil@EXAMPLE.com")], { thread: "new", body: "A new question" });
    expect(second.contact!.id).toBe(first.contact!.id);
    expect(second.conversation.id).not.toBe(first.conversation.id);
    expect(await conversationsOf(first.contact!.id)).toHaveLength(2);
  });

  it("a reply to an open thread lands in that thread", async () => {
    const first = await receive("email", [from.email("hana@example.com")], { thread: "new" });
    const reply = await receive("email", [from.email("hana@example.com")], { thread: { conversationId: first.conversation.id }, body: "Re: thanks" });
    expect(reply.conversation.id).toBe(first.conversation.id);
  });
});

describe("Messenger", () => {
  it("a sender known only by their Messenger id has no contact until an agent adds an email", async () => {
    const first = await receive("messenger", [from.messenger("psid-771")], { body: "hey" });
    const second = await receive("messenger", [from.messenger("psid-771")], { body: "anyone?" });
    expect(first.contact).toBeNull();
    expect(second.conversation.id).toBe(first.conversation.id);
    expect((await conversation(first.conversation.id)).contact).toBeNull();

    const named = await call("PUT", `/api/conversations/${first.conversation.id}/contact`, {
      as: owner,
      body: { email: "Ivo@Example.com", firstName: "Ivo" },
    });
    expect(named.status).toBe(200);
    expect(named.json.contact).toMatchObject({ email: "ivo@example.com", firstName: "Ivo", marketingConsent: false });

    const third = await receive("messenger", [from.messenger("psid-771")], { body: "thanks" });
    expect(third.contact!.id).toBe(named.json.contact.id);
    expect(third.conversation.id).toBe(first.conversation.id);
    expect((await contact(named.json.contact.id)).identities).toContainEqual({ kind: "messenger", value: "psid-771", proven: true });

    // The name Messenger gives fills what the contact does not know yet, and never overwrites it.
    await receive("messenger", [from.messenger("psid-771")], { profile: { firstName: "Ivan", lastName: "Ortiz" } });
    expect(await contact(named.json.contact.id)).toMatchObject({ firstName: "Ivo", lastName: "Ortiz" });
  });

  it("a sender an agent recognises as a known contact joins that contact, every anonymous thread with them too", async () => {
    const known = await receive("sms", [from.phone("+442079460958")], { body: "text" });
    const chat = await receive("messenger", [from.messenger("psid-880")]);
    const named = await call("PUT", `/api/conversations/${chat.conversation.id}/contact`, {
      as: owner,
      body: { phone: "+44 20 7946 0958" },
    });
    expect(named.json.contact.id).toBe(known.contact!.id);
    expect((await conversationsOf(known.contact!.id)).map((c) => c.id).sort()).toEqual([known.conversation.id, chat.conversation.id].sort());
  });
});

describe("SMS", () => {
  it("a text from a new number creates the contact with that E.164 number; the next text finds it", async () => {
    const first = await receive("sms", [from.phone("+14155552671")], { body: "Is the store open?" });
    expect(first.contact).toMatchObject({ phone: "+14155552671", email: null, marketingConsent: false });
    const second = await receive("sms", [from.phone("+14155552671")], { body: "Hello?" });
    expect(second.contact!.id).toBe(first.contact!.id);
    expect(second.conversation.id).toBe(first.conversation.id);
  });

  it("a text from a number an agent typed in another format finds that contact", async () => {
    const added = await call("POST", "/api/contacts", { as: owner, body: { firstName: "Jo", phone: "(212) 736-5000" } });
    expect(added.json.phone).toBe("+12127365000");
    const text = await receive("sms", [from.phone("+12127365000")]);
    expect(text.contact!.id).toBe(added.json.id);
  });
});

describe("one person writing from two places", () => {
  it("merges the two contacts into the older when an identity arrives for the second: conversations and identities move, the merge is recorded, nothing is lost", async () => {
    const byEmail = await receive("email", [from.email("kim@example.com")], { thread: "new", body: "Email from Kim" });
    const byText = await receive("sms", [from.phone("+14155552672")], { body: "Text from Kim" });
    const kimByText = await contact(byText.contact!.id);
    expect(byText.contact!.id).not.toBe(byEmail.contact!.id);

    // Kim fills in the chat form with both: they are one person.
    const chat = await receive("chat", [from.email("kim@example.com"), from.phone("+14155552672"), from.visitor("browser-kim")], {
      body: "Chat from Kim",
    });
    expect(chat.contact!.id).toBe(byEmail.contact!.id);

    const kim = await contact(byEmail.contact!.id);
    expect(kim).toMatchObject({ email: "kim@example.com", phone: "+14155552672" });
    expect(kim.identities).toEqual(
      expect.arrayContaining([
        { kind: "email", value: "kim@example.com", proven: true },
        { kind: "phone", value: "+14155552672", proven: true },
        { kind: "visitor", value: "browser-kim", proven: true },
      ]),
    );
    expect((await call("GET", `/api/contacts/${byText.contact!.id}`, { as: owner })).status).toBe(404);
    const threads = await conversationsOf(kim.id);
    expect(threads.map((c) => c.id).sort()).toEqual([byEmail.conversation.id, byText.conversation.id, chat.conversation.id].sort());
    expect((await messagesOf(byText.conversation.id)).map((m) => m.body)).toEqual(["Text from Kim"]);

    const [record] = await database(env.DB).select().from(contactMerges).where(eq(contactMerges.fromContactId, kimByText.id));
    expect(record).toMatchObject({ intoContactId: kim.id, reason: "same identity" });
    const { identities: _identities, lists: _lists, name: _name, ...snapshot } = kimByText;
    expect(record!.fromSnapshot).toEqual(snapshot);
  });

  it("merges once when two messages naming both contacts arrive at the same moment", async () => {
    const older = await receive("email", [from.email("ola@example.com")], { thread: "new" });
    const younger = await receive("sms", [from.phone("+14155553002")]);
    const both = [from.email("ola@example.com"), from.phone("+14155553002")];
    const [a, b] = await Promise.all([receive("sms", both, { externalId: "SM-both-1", body: "one" }), receive("sms", both, { externalId: "SM-both-2", body: "two" })]);
    expect([a.contact!.id, b.contact!.id]).toEqual([older.contact!.id, older.contact!.id]);
    expect((await call("GET", `/api/contacts/${younger.contact!.id}`, { as: owner })).status).toBe(404);
    const records = await database(env.DB).select().from(contactMerges).where(eq(contactMerges.fromContactId, younger.contact!.id));
    expect(records).toHaveLength(1);
  });

  it("keeps what only the younger contact knew: a name given by text survives the merge", async () => {
    const older = await receive("email", [from.email("lea@example.com")], { thread: "new" });
    const younger = await receive("sms", [from.phone("+14155552673")], { profile: { firstName: "Lea", lastName: "Moreau" } });
    const both = await receive("email", [from.email("lea@example.com"), from.phone("+14155552673")], { thread: "new" });
    expect(both.contact!.id).toBe(older.contact!.id);
    expect(await contact(older.contact!.id)).toMatchObject({ firstName: "Lea", lastName: "Moreau", phone: "+14155552673" });
    expect((await call("GET", `/api/contacts/${younger.contact!.id}`, { as: owner })).status).toBe(404);
  });

  it("never takes a name or address the older contact already has from the younger one", async () => {
    const older = await receive("email", [from.email("max@example.com")], { thread: "new", profile: { firstName: "Max" } });
    await receive("sms", [from.phone("+14155552674")], { profile: { firstName: "Maximilian" } });
    await receive("email", [from.email("max@example.com"), from.phone("+14155552674")], { thread: "new", profile: { firstName: "M." } });
    expect(await contact(older.contact!.id)).toMatchObject({ firstName: "Max", email: "max@example.com", phone: "+14155552674" });
  });
});

describe("marketing consent", () => {
  it("is never given by writing in: every contact a conversation creates is not opted in", async () => {
    const created = [
      await receive("email", [from.email("nia@example.com")], { thread: "new" }),
      await receive("sms", [from.phone("+14155552675")]),
      await receive("chat", [from.email("oto@example.com"), from.visitor("browser-oto")]),
    ];
    for (const { contact: c } of created) expect((await contact(c!.id)).marketingConsent).toBe(false);
  });

  it("is never implied by a merge: the surviving contact keeps its own answer", async () => {
    const older = await receive("email", [from.email("pia@example.com")], { thread: "new" });
    const optedIn = await call("POST", "/api/contacts", { as: owner, body: { phone: "+14155552676", marketingConsent: true } });
    await receive("sms", [from.email("pia@example.com"), from.phone("+14155552676")]);
    expect((await contact(older.contact!.id)).marketingConsent).toBe(false);
    const [record] = await database(env.DB).select().from(contactMerges).where(eq(contactMerges.fromContactId, optedIn.json.id));
    expect(record!.fromSnapshot).toMatchObject({ marketingConsent: true });
  });
});
