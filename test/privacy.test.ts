// A person's data: exported whole, erased for good (rooms, D1, files, the webhook log; the threads
// left as stubs), deleted and restored with its whole history within 30 days; and the audit log of
// sensitive actions, which names what was acted on and never holds the data itself.
import { env } from "cloudflare:workers";
import { createScheduledController, runInDurableObject } from "cloudflare:test";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Env } from "../src/env";
import worker from "../src/index";
import { clientId, newVisitor, startChat, widget } from "./chat";
import { admin, agent, call, OWNER, signIn, type Session } from "./helpers";
import { deliver, INBOUND, mail } from "./mail";
import { ACCOUNT, AUTH_TOKEN, texted, TWILIO } from "./providers";

let owner: Session;
let andy: Session;
beforeAll(async () => {
  owner = await admin();
  andy = await agent("Andy Agent");
  await call("PUT", "/api/settings", {
    as: owner,
    body: { email: { inboundAddress: INBOUND }, sms: { accountSid: ACCOUNT, authToken: AUTH_TOKEN, fromNumber: "+14155550100", credits: 10, apiBaseUrl: TWILIO } },
  });
});

const room = (conversationId: string) => env.ROOMS.get(env.ROOMS.idFromName(conversationId));
const contactByEmail = async (email: string) => (await call("GET", `/api/contacts?q=${encodeURIComponent(email)}`, { as: owner })).json.items[0];
const conversationsOf = async (contactId: string) => (await call("GET", `/api/contacts/${contactId}/conversations`, { as: owner })).json.items as { id: string }[];
const thread = async (conversationId: string) =>
  (await call("GET", `/api/conversations/${conversationId}/messages`, { as: owner })).json.items as { body: string; kind: string; meta: Record<string, unknown>; author: { name: string | null } }[];

/** A mail with a file, from `from`: a conversation with an attachment in R2. */
function mailWithFile(from: string, text: string) {
  const boundary = "b1";
  return mail({
    from,
    headers: { "Content-Type": `multipart/mixed; boundary="${boundary}"` },
    body: [
      `--${boundary}`,
      "Content-Type: text/plain; charset=utf-8",
      "",
      text,
      `--${boundary}`,
      'Content-Type: text/plain; name="invoice.txt"',
      "Content-Disposition: attachment",
      "",
      "Invoice 77: 120 euros",
      `--${boundary}--`,
    ].join("\n"),
  });
}

/** A person who wrote by mail (with a file) and by chat, with an agent's note: their contact id. */
async function personWithHistory(email: string) {
  expect((await deliver(mailWithFile(`Maria Silva <${email}>`, "My address is Rua Augusta 12, Lisboa."))).rejected).toBeNull();
  const contact = await contactByEmail(email);
  const token = await newVisitor();
  await widget(token, "POST", "/prechat", { email, fullName: "Maria Silva" });
  const chat = await startChat(token, "My card ending 4242 was charged twice.");
  await widget(token, "POST", "/messages", { clientId: clientId(), body: "Please refund one." });
  await call("POST", `/api/conversations/${chat}/notes`, { as: andy, body: { body: "Maria is a regular; refund approved." } });
  return { contactId: contact.id as string, chat, token };
}

describe("export", () => {
  it("gives admins everything held about the contact, and records that it was taken", async () => {
    const { contactId, chat } = await personWithHistory("export@example.com");
    expect((await call("GET", `/api/contacts/${contactId}/export`, { as: andy })).status).toBe(403);
    const res = await call("GET", `/api/contacts/${contactId}/export`, { as: owner });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="contact-${contactId}.json"`);
    const data = res.json;
    expect(data.contact).toMatchObject({ id: contactId, email: "export@example.com", firstName: "Maria" });
    expect(data.identities).toEqual(expect.arrayContaining([expect.objectContaining({ kind: "email", value: "export@example.com" }), expect.objectContaining({ kind: "visitor" })]));
    expect(data.conversations).toHaveLength(2);
    const bodies = data.conversations.flatMap((c: { messages: { body: string }[] }) => c.messages.map((m) => m.body));
    expect(bodies).toEqual(expect.arrayContaining(["My address is Rua Augusta 12, Lisboa.", "My card ending 4242 was charged twice.", "Please refund one.", "Maria is a regular; refund approved."]));
    expect(data.conversations.find((c: { id: string }) => c.id === chat).messages.map((m: { kind: string }) => m.kind)).toEqual(["message", "message", "note"]);
    expect(data.attachments).toEqual([expect.objectContaining({ filename: "invoice.txt", contentType: "text/plain" })]);
    const log = (await call("GET", "/api/audit", { as: owner })).json.items;
    expect(log[0]).toMatchObject({ action: "contact.exported", subject: contactId, actorName: OWNER.name, details: { conversations: 2, messages: 4 } });
  });
});

describe("erasure", () => {
  it("removes the person's data everywhere it is kept and leaves their threads as stubs that name nobody", async () => {
    const { contactId, chat, token } = await personWithHistory("erase@example.com");
    const conversations = (await conversationsOf(contactId)).map((c) => c.id);
    const mailThread = conversations.find((id) => id !== chat)!;
    const [file] = (await env.DB.prepare("SELECT a.storage_key FROM attachments a JOIN messages m ON m.id = a.message_id WHERE m.conversation_id = ?").bind(mailThread).all<{ storage_key: string }>())
      .results;
    expect(await env.ATTACHMENTS.get(file!.storage_key)).not.toBeNull();
    const subscription = await call("POST", "/api/webhooks", { as: owner, body: { url: "https://crm.example/hook", secret: "sixteen characters!", events: ["message.created", "contact.updated"] } });
    vi.spyOn(globalThis, "fetch").mockImplementation(async () => new Response("down", { status: 503 }));
    await widget(token, "POST", "/messages", { clientId: clientId(), body: "One more: my phone is 912 345 678." });
    await vi.waitFor(async () => expect((await env.DB.prepare("SELECT count(*) AS n FROM webhook_deliveries WHERE payload LIKE '%912 345 678%'").first<{ n: number }>())!.n).toBe(1));

    expect((await call("POST", `/api/contacts/${contactId}/erase`, { as: andy })).status).toBe(403);
    const erased = await call("POST", `/api/contacts/${contactId}/erase`, { as: owner });
    expect(erased).toMatchObject({ status: 200, json: { conversations: 2, messages: 5, attachments: 1 } });
    vi.restoreAllMocks();

    expect((await call("GET", `/api/contacts/${contactId}`, { as: owner })).status).toBe(404);
    expect(await contactByEmail("erase@example.com")).toBeUndefined();
    for (const id of conversations) {
      const conversation = (await call("GET", `/api/conversations/${id}`, { as: owner })).json;
      expect(conversation).toMatchObject({ contact: null, erased: true, preview: "", subject: null, partyName: null });
      const messages = await thread(id);
      expect(messages.length).toBeGreaterThan(0);
      for (const m of messages) expect(m).toMatchObject({ body: "", meta: { erased: true } });
      // The room's own copy of the thread, from which a reconnecting client is served, holds no words either.
      const held = await runInDurableObject(room(id), (_i, state) => state.storage.sql.exec<{ payload: string | null }>("SELECT payload FROM journal WHERE kind = 'message'").toArray());
      for (const row of held) expect(row.payload ?? "").not.toMatch(/Augusta|4242|refund|912 345/);
    }
    expect(await env.ATTACHMENTS.get(file!.storage_key)).toBeNull();
    const leftInLog = await env.DB.prepare("SELECT status, payload FROM webhook_deliveries WHERE subscription_id = ?").bind(subscription.json.id).all<{ status: string; payload: string }>();
    for (const row of leftInLog.results) expect(row.payload).not.toMatch(/912 345|erase@example/);
    expect(leftInLog.results.map((r) => r.status)).not.toContain("pending");
    const log = (await call("GET", "/api/audit", { as: owner })).json.items;
    expect(log[0]).toMatchObject({ action: "contact.erased", subject: contactId, actorName: OWNER.name, details: { conversations: 2, messages: 5, attachments: 1 } });
    expect(JSON.stringify(log[0])).not.toMatch(/erase@example|Maria/);

    // An erased thread stays nobody's.
    expect(await call("PUT", `/api/conversations/${chat}/contact`, { as: owner, body: { email: "someone@example.com" } })).toMatchObject({
      status: 409,
      json: { error: { code: "conversation_erased" } },
    });

    // The address is nobody's now: a new mail from it makes a new contact.
    await deliver(mail({ from: "Maria <erase@example.com>", subject: "Back again" }));
    expect((await contactByEmail("erase@example.com")).id).not.toBe(contactId);
    await call("DELETE", `/api/webhooks/${subscription.json.id}`, { as: owner });
  });
});

describe("deleting and restoring", () => {
  it("keeps the conversations reachable, and brings the contact back whole, SMS history too, merging whoever proved their number meanwhile", async () => {
    await texted("+14155550177", "Hi, it's Rui. Is my order ready?");
    const rui = (await call("GET", `/api/contacts?q=${encodeURIComponent("+14155550177")}`, { as: owner })).json.items[0];
    await call("PATCH", `/api/contacts/${rui.id}`, { as: owner, body: { firstName: "Rui", email: "rui@example.com", tags: ["vip"] } });
    await call("PUT", `/api/contacts/${rui.id}/lists/newsletter`, { as: owner, body: { channel: "email", source: "asked in person" } });
    const [sms] = await conversationsOf(rui.id);

    expect((await call("DELETE", `/api/contacts/${rui.id}`, { as: andy })).status).toBe(200);
    expect((await call("GET", `/api/contacts/${rui.id}`, { as: owner })).status).toBe(404);
    expect((await call("GET", `/api/conversations/${sms!.id}`, { as: owner })).json).toMatchObject({ contact: null });
    expect((await thread(sms!.id)).map((m) => m.body)).toEqual(["Hi, it's Rui. Is my order ready?"]);
    const listed = (await call("GET", "/api/deleted-contacts", { as: andy })).json.items;
    expect(listed[0]).toMatchObject({ contact: { id: rui.id, firstName: "Rui" } });
    expect(listed[0].restorableUntil - listed[0].deletedAt).toBe(30 * 86_400_000);

    // Rui texts again while deleted: his number, proven anew, makes a new contact.
    await texted("+14155550177", "Hello? Anyone?");
    const again = (await call("GET", `/api/contacts?q=${encodeURIComponent("+14155550177")}`, { as: owner })).json.items[0];
    expect(again.id).not.toBe(rui.id);

    const restored = await call("POST", `/api/deleted-contacts/${rui.id}/restore`, { as: andy });
    expect(restored.status).toBe(200);
    expect(restored.json).toMatchObject({ contact: { id: rui.id, firstName: "Rui", email: "rui@example.com", phone: "+14155550177", tags: ["vip"] }, keptElsewhere: [] });
    expect((await call("GET", `/api/contacts/${again.id}`, { as: owner })).status).toBe(404);
    const whole = (await call("GET", `/api/contacts/${rui.id}`, { as: owner })).json;
    expect(whole.lists).toEqual([expect.objectContaining({ list: "newsletter", channel: "email" })]);
    const bodies = (await Promise.all((await conversationsOf(rui.id)).map((c) => thread(c.id)))).flat().map((m) => m.body);
    expect(bodies).toEqual(expect.arrayContaining(["Hi, it's Rui. Is my order ready?", "Hello? Anyone?"]));
    expect((await call("GET", "/api/deleted-contacts", { as: andy })).json.items.map((i: { contact: { id: string } }) => i.contact.id)).not.toContain(rui.id);
  });

  it("is final after 30 days: no restore, and the daily cron forgets the copy", async () => {
    const made = await call("POST", "/api/contacts", { as: owner, body: { firstName: "Old", email: "old@example.com" } });
    await call("DELETE", `/api/contacts/${made.json.id}`, { as: owner });
    await env.DB.prepare("UPDATE deleted_contacts SET deleted_at = ? WHERE id = ?")
      .bind(Date.now() - 31 * 86_400_000, made.json.id)
      .run();
    expect((await call("POST", `/api/deleted-contacts/${made.json.id}/restore`, { as: owner })).status).toBe(404);
    await worker.scheduled(createScheduledController({ cron: "17 3 * * *" }), env as unknown as Env);
    expect(await env.DB.prepare("SELECT id FROM deleted_contacts WHERE id = ?").bind(made.json.id).first()).toBeNull();
  });
});

describe("the audit log", () => {
  it("records sign-ins, roles, tokens and settings by who and when, never the secrets; admins only", async () => {
    await call("POST", "/api/auth/login", { body: { email: OWNER.email, password: "wrong password" } });
    await signIn(OWNER.email, OWNER.password);
    const bea = await call("POST", "/api/users", { as: owner, body: { email: "bea@parley.test", name: "Bea", password: "a long password", role: "agent" } });
    await call("PATCH", `/api/users/${bea.json.id}`, { as: owner, body: { role: "admin" } });
    const token = await call("POST", "/api/tokens", { as: owner, body: { name: "CRM" } });
    await call("DELETE", `/api/tokens/${token.json.id}`, { as: owner });
    await call("PUT", "/api/settings", { as: owner, body: { sms: { authToken: "a brand new secret token" }, defaultCountry: "PT" } });
    // A whole section sent back as the form read it (the secret masked) changes nothing, and logs nothing.
    const sms = (await call("GET", "/api/settings", { as: owner })).json.sms;
    expect((await call("PUT", "/api/settings", { as: owner, body: { sms } })).status).toBe(200);

    expect((await call("GET", "/api/audit", { as: andy })).status).toBe(403);
    const items = (await call("GET", "/api/audit?limit=7", { as: owner })).json.items as { action: string; actorName: string | null; subject: string | null; details: Record<string, unknown> }[];
    expect(items.map((i) => i.action)).toEqual(["settings.changed", "token.revoked", "token.created", "user.changed", "user.created", "auth.signed_in", "auth.sign_in_failed"]);
    expect(items[0]).toMatchObject({ actorName: OWNER.name });
    expect((items[0]!.details.changed as string[]).sort()).toEqual(["defaultCountry", "sms.authToken"]);
    expect(items[3]).toMatchObject({ subject: bea.json.id, details: { role: "admin" } });
    expect(items[6]).toMatchObject({ actorName: null });
    expect(JSON.stringify(items)).not.toMatch(/a brand new secret token|wrong password|a long password/);
    await call("PUT", "/api/settings", { as: owner, body: { defaultCountry: "US" } });
  });
});
