// The contacts API as a CRM or an agent uses it: add, read, change, delete, search, merge.
import { beforeAll, describe, expect, it } from "vitest";
import { admin, agent, call, type Session } from "./helpers";
import { from, receive } from "./inbound";

let owner: Session;
let andy: Session;
beforeAll(async () => {
  owner = await admin();
  andy = await agent("Andy Agent");
});

const add = async (body: Record<string, unknown>) => {
  const res = await call("POST", "/api/contacts", { as: andy, body });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json;
};
const search = async (q: string) => ((await call("GET", `/api/contacts?q=${encodeURIComponent(q)}`, { as: andy })).json.items as { id: string }[]).map((c) => c.id);

describe("adding, reading, changing and deleting a contact", () => {
  it("adds a contact with its phone stored in E.164 and reads it back with its identities", async () => {
    const created = await add({ firstName: " Rosa ", lastName: "Diaz", email: "Rosa.Diaz@Example.com", phone: "+44 20 7946 0000", account: "Acme", tags: ["vip"] });
    expect(created).toMatchObject({
      firstName: "Rosa",
      lastName: "Diaz",
      name: "Rosa Diaz",
      email: "rosa.diaz@example.com",
      phone: "+442079460000",
      account: "Acme",
      tags: ["vip"],
      marketingConsent: false,
    });
    const read = await call("GET", `/api/contacts/${created.id}`, { as: andy });
    expect(read.json).toMatchObject(created);
    expect(read.json.identities).toEqual(
      expect.arrayContaining([
        { kind: "email", value: "rosa.diaz@example.com", proven: true },
        { kind: "phone", value: "+442079460000", proven: true },
      ]),
    );
  });

  it("changes only the fields sent, and reads a phone typed without a country in the workspace's default country", async () => {
    const created = await add({ firstName: "Sam", email: "sam@example.com" });
    const changed = await call("PATCH", `/api/contacts/${created.id}`, { as: andy, body: { lastName: "Okafor", phone: "(415) 555-2680" } });
    expect(changed.status).toBe(200);
    expect(changed.json).toMatchObject({ firstName: "Sam", lastName: "Okafor", email: "sam@example.com", phone: "+14155552680" });
    const cleared = await call("PATCH", `/api/contacts/${created.id}`, { as: andy, body: { phone: "", lastName: null } });
    expect(cleared.json).toMatchObject({ firstName: "Sam", lastName: null, phone: null });
  });

  it("refuses an invalid email or phone with a 400 that names the field and says why", async () => {
    const badEmail = await call("POST", "/api/contacts", { as: andy, body: { email: "not-an-email" } });
    expect(badEmail.status).toBe(400);
    expect(badEmail.json.error.code).toBe("invalid_input");
    expect(badEmail.json.error.details).toContainEqual(expect.objectContaining({ path: "email", message: expect.stringMatching(/email/i) }));

    const created = await add({ firstName: "Tom" });
    const badPhone = await call("PATCH", `/api/contacts/${created.id}`, { as: andy, body: { phone: "12" } });
    expect(badPhone.status).toBe(400);
    expect(badPhone.json.error.message).toMatch(/phone/);
    expect(badPhone.json.error.details).toContainEqual(expect.objectContaining({ path: "phone", message: expect.stringMatching(/phone number/i) }));
    expect((await call("GET", `/api/contacts/${created.id}`, { as: andy })).json.phone).toBeNull();
  });

  it("refuses with 409 identity_in_use an email or phone that belongs to another contact, and changes nothing", async () => {
    const una = await add({ firstName: "Una", email: "una@example.com", phone: "+14155552681" });
    const vic = await add({ firstName: "Vic", email: "vic@example.com" });
    for (const body of [{ email: "UNA@example.com" }, { phone: "415-555-2681" }]) {
      const res = await call("PATCH", `/api/contacts/${vic.id}`, { as: andy, body: { firstName: "Victor", ...body } });
      expect(res.status).toBe(409);
      expect(res.json.error.code).toBe("identity_in_use");
      expect(res.json.error.message).toContain(una.id);
    }
    expect((await call("GET", `/api/contacts/${vic.id}`, { as: andy })).json).toMatchObject({ firstName: "Vic", email: "vic@example.com", phone: null });
    const duplicate = await call("POST", "/api/contacts", { as: andy, body: { email: "una@example.com" } });
    expect(duplicate.status).toBe(409);
    // Giving a contact back its own email is no conflict.
    expect((await call("PATCH", `/api/contacts/${una.id}`, { as: andy, body: { email: "una@example.com" } })).status).toBe(200);
  });

  it("lets only one of two agents adding the same person at the same moment succeed; the other gets 409", async () => {
    const [a, b] = await Promise.all([
      call("POST", "/api/contacts", { as: andy, body: { firstName: "Twin", email: "twin@example.com" } }),
      call("POST", "/api/contacts", { as: andy, body: { firstName: "Twin", email: "TWIN@example.com" } }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    expect([a, b].find((r) => r.status === 409)!.json.error.code).toBe("identity_in_use");
    expect(await search("twin@")).toHaveLength(1);

    const [left, right] = [await add({ firstName: "Left" }), await add({ firstName: "Right" })];
    const patched = await Promise.all([left, right].map((c) => call("PATCH", `/api/contacts/${c.id}`, { as: andy, body: { phone: "+14155552685" } })));
    expect(patched.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(await search("+1 415 555 2685")).toHaveLength(1);
  });

  it("answers a change and a delete of the same contact at the same moment without a 500; the contact ends deleted", async () => {
    for (const body of [{ email: "gone@example.com" }, { firstName: "Gone" }]) {
      const c = await add({ firstName: "Soon" });
      const [patched, deleted] = await Promise.all([call("PATCH", `/api/contacts/${c.id}`, { as: andy, body }), call("DELETE", `/api/contacts/${c.id}`, { as: andy })]);
      expect([200, 404]).toContain(patched.status);
      expect(deleted.status).toBe(200);
      expect((await call("GET", `/api/contacts/${c.id}`, { as: andy })).status).toBe(404);
      expect(await search("gone@")).toEqual([]);
    }
  });

  it("deletes a contact but keeps their conversations, now without a contact", async () => {
    const mail = await receive("email", [from.email("wes@example.com")], { thread: "new" });
    const res = await call("DELETE", `/api/contacts/${mail.contact!.id}`, { as: andy });
    expect(res.json).toEqual({ ok: true });
    expect((await call("GET", `/api/contacts/${mail.contact!.id}`, { as: andy })).status).toBe(404);
    const kept = await call("GET", `/api/conversations/${mail.conversation.id}`, { as: andy });
    expect(kept.json).toMatchObject({ id: mail.conversation.id, contact: null });
    expect((await call("GET", `/api/conversations/${mail.conversation.id}/messages`, { as: andy })).json.items).toHaveLength(1);
    expect((await call("DELETE", `/api/contacts/${mail.contact!.id}`, { as: andy })).status).toBe(404);
    // The address is free again: the next mail from it makes a new contact.
    const next = await receive("email", [from.email("wes@example.com")], { thread: "new" });
    expect(next.contact!.id).not.toBe(mail.contact!.id);
  });

  it("answers 404 for a contact that does not exist", async () => {
    for (const [method, path] of [
      ["GET", "/api/contacts/nope"],
      ["PATCH", "/api/contacts/nope"],
      ["DELETE", "/api/contacts/nope"],
      ["GET", "/api/contacts/nope/conversations"],
    ] as const) {
      const res = await call(method, path, { as: andy, body: method === "PATCH" ? { firstName: "X" } : undefined });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.json.error.code).toBe("not_found");
    }
  });
});

describe("a contact's conversations", () => {
  it("lists every conversation of the contact on every channel, newest activity first", async () => {
    const byMail = await receive("email", [from.email("xena@example.com")], { thread: "new" });
    const byChat = await receive("chat", [from.email("xena@example.com"), from.visitor("browser-xena")]);
    const byText = await receive("sms", [from.email("xena@example.com"), from.phone("+14155552682")]);
    const res = await call("GET", `/api/contacts/${byMail.contact!.id}/conversations`, { as: owner });
    expect(res.json.items.map((c: any) => c.id)).toEqual([byText.conversation.id, byChat.conversation.id, byMail.conversation.id]);
    expect(res.json.items.map((c: any) => c.channels)).toEqual([["sms"], ["chat"], ["email"]]);
    // SMS conversations are admins' only: an agent sees the others.
    const agents = await call("GET", `/api/contacts/${byMail.contact!.id}/conversations`, { as: andy });
    expect(agents.json.items.map((c: any) => c.id)).toEqual([byChat.conversation.id, byMail.conversation.id]);
  });
});

describe("searching contacts", () => {
  let yara: { id: string }, zeno: { id: string }, percent: { id: string };
  beforeAll(async () => {
    yara = await add({ firstName: "Yara", lastName: "Quist", email: "yq@shop.example", phone: "+5511912345678" });
    zeno = await add({ firstName: "Zeno", lastName: "Yarrow", email: "zeno@example.com", phone: "+442079460958" });
    percent = await add({ firstName: "100%_Deals", email: "deals@example.com" });
  });

  it("finds by the start of a first name, last name or email, in any case", async () => {
    expect((await search("yar")).sort()).toEqual([yara.id, zeno.id].sort());
    expect(await search("QUI")).toEqual([yara.id]);
    expect(await search("zeno@ex")).toEqual([zeno.id]);
    expect(await search("ara")).toEqual([]);
  });

  it("finds a phone typed in any common format", async () => {
    for (const typed of ["+55 11 91234-5678", "+55 (11) 91234 5678", "+5511912345678"]) expect(await search(typed), typed).toEqual([yara.id]);
    for (const typed of ["+44 20 7946 0958", "+44 (0)20 7946 0958", "+44 20-7946-0958"]) {
      expect(await search(typed), typed).toEqual([zeno.id]);
    }
    // Digits with the country code and no plus, as people copy a number out of a spreadsheet.
    expect(await search("442079460958")).toEqual([zeno.id]);
    expect(await search("5511912345678")).toEqual([yara.id]);
  });

  it("finds a full name typed first then last", async () => {
    expect(await search("Yara Qu")).toEqual([yara.id]);
    expect(await search("yara  quist")).toEqual([yara.id]);
    expect(await search("Quist Yara")).toEqual([]);
  });

  it("finds a person by an email or phone a merge brought along, not only the ones on their card", async () => {
    const keep = await add({ firstName: "Abel", email: "abel@work.example" });
    const other = await add({ email: "abel.home@example.com", phone: "+14155552684" });
    await call("POST", `/api/contacts/${keep.id}/merge`, { as: andy, body: { from: other.id } });
    const card = (await call("GET", `/api/contacts/${keep.id}`, { as: andy })).json;
    expect(card.email).toBe("abel@work.example");
    expect(await search("abel.home@")).toEqual([keep.id]);
    expect(await search("(415) 555-2684")).toEqual([keep.id]);
  });

  it("reads % and _ as the characters they are", async () => {
    expect(await search("100%_")).toEqual([percent.id]);
    expect(await search("%")).toEqual([]);
    expect(await search("_")).toEqual([]);
    expect(await search("*")).toEqual([]);
    expect(await search("[a-z]")).toEqual([]);
  });

  it("pages through every contact once, newest first", async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await call("GET", `/api/contacts?limit=2${cursor ? `&cursor=${cursor}` : ""}`, { as: andy });
      expect(page.json.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.json.items.map((c: any) => c.id));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual([...seen].sort().reverse());
    expect(seen).toEqual(expect.arrayContaining([yara.id, zeno.id, percent.id]));
  });
});

describe("merging two contacts", () => {
  it("moves the other contact's conversations and identities here, unions the tags, fills blanks and loses nothing", async () => {
    // Ada also texts, and SMS conversations are admins': an admin merges here.
    const andy = owner;
    const keep = await receive("email", [from.email("ada@example.com")], { thread: "new", body: "From Ada's mail" });
    await call("PATCH", `/api/contacts/${keep.contact!.id}`, { as: andy, body: { tags: ["vip", "wholesale"] } });
    const other = await receive("sms", [from.phone("+14155552683")], { body: "From Ada's phone", profile: { firstName: "Ada" } });
    await call("PATCH", `/api/contacts/${other.contact!.id}`, { as: andy, body: { tags: ["wholesale", "late-payer"] } });

    const merged = await call("POST", `/api/contacts/${keep.contact!.id}/merge`, { as: andy, body: { from: other.contact!.id } });
    expect(merged.status).toBe(200);
    expect(merged.json).toMatchObject({ id: keep.contact!.id, firstName: "Ada", email: "ada@example.com", phone: "+14155552683" });
    expect([...merged.json.tags].sort()).toEqual(["late-payer", "vip", "wholesale"]);

    const read = await call("GET", `/api/contacts/${keep.contact!.id}`, { as: andy });
    expect(read.json.identities).toEqual(
      expect.arrayContaining([
        { kind: "email", value: "ada@example.com", proven: true },
        { kind: "phone", value: "+14155552683", proven: true },
      ]),
    );
    const threads = (await call("GET", `/api/contacts/${keep.contact!.id}/conversations`, { as: andy })).json.items.map((c: any) => c.id);
    expect(threads.sort()).toEqual([keep.conversation.id, other.conversation.id].sort());
    expect((await call("GET", `/api/contacts/${other.contact!.id}`, { as: andy })).status).toBe(404);
    // What Ada wrote by text is still hers, under the surviving contact.
    const texts = (await call("GET", `/api/conversations/${other.conversation.id}/messages`, { as: andy })).json.items;
    expect(texts.map((m: any) => [m.body, m.author.id])).toEqual([["From Ada's phone", keep.contact!.id]]);
    // The next text from that phone goes to the surviving contact.
    expect((await receive("sms", [from.phone("+14155552683")])).contact!.id).toBe(keep.contact!.id);
  });

  it("lets only one of two opposite merges made at the same moment happen; the other is refused and nobody is lost", async () => {
    for (const withEmail of [true, false]) {
      const a = await add({ firstName: "Ann", email: withEmail ? "ann.race@example.com" : null });
      const b = await add({ firstName: "Ben", email: withEmail ? "ben.race@example.com" : null });
      const [ab, ba] = await Promise.all([
        call("POST", `/api/contacts/${a.id}/merge`, { as: andy, body: { from: b.id } }),
        call("POST", `/api/contacts/${b.id}/merge`, { as: andy, body: { from: a.id } }),
      ]);
      // The loser is refused: 409 if it read both before the winner wrote, 404 if it came after.
      const [winner, loser] = [ab, ba].sort((x, y) => x.status - y.status);
      expect(winner!.status).toBe(200);
      expect(["merged_meanwhile", "not_found"]).toContain(loser!.json.error.code);
      expect((await call("GET", `/api/contacts/${winner!.json.id}`, { as: andy })).status).toBe(200);
    }
  });

  it("refuses to merge a contact into itself with 409, and unknown contacts with 404", async () => {
    const c = await add({ firstName: "Solo" });
    const self = await call("POST", `/api/contacts/${c.id}/merge`, { as: andy, body: { from: c.id } });
    expect(self.status).toBe(409);
    expect(self.json.error.code).toBe("same_contact");
    expect((await call("POST", `/api/contacts/${c.id}/merge`, { as: andy, body: { from: "missing" } })).status).toBe(404);
    expect((await call("POST", `/api/contacts/missing/merge`, { as: andy, body: { from: c.id } })).status).toBe(404);
    expect((await call("GET", `/api/contacts/${c.id}`, { as: andy })).status).toBe(200);
  });
});
