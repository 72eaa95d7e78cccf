// A CRM keeping its contacts and Parley's in step: one upsert call, and the changes since a time.
import { beforeAll, describe, expect, it } from "vitest";
import { admin, call, type Session } from "./helpers";
import { from, receive } from "./inbound";

let crm: Session;
beforeAll(async () => {
  const owner = await admin();
  const token = await call("POST", "/api/tokens", { as: owner, body: { name: "CRM sync" } });
  crm = { token: token.json.token };
});

const upsert = (body: Record<string, unknown>) => call("POST", "/api/contacts/upsert", { as: crm, body });

describe("upserting a contact", () => {
  it("makes the contact the first time (201) and changes that same contact after (200), by email", async () => {
    const made = await upsert({ match: "email", email: "Sync.Ana@Example.com", firstName: "Ana", tags: ["lead"] });
    expect(made).toMatchObject({ status: 201, json: { email: "sync.ana@example.com", firstName: "Ana", tags: ["lead"] } });
    const changed = await upsert({ match: "email", email: "sync.ana@example.com", lastName: "Lima", tags: ["customer"] });
    expect(changed).toMatchObject({ status: 200, json: { id: made.json.id, firstName: "Ana", lastName: "Lima", tags: ["customer"] } });
  });

  it("matches a phone written in any format, and a CRM's own id", async () => {
    const byPhone = await upsert({ match: "phone", phone: "+1 (415) 555-0170", firstName: "Pat" });
    expect(byPhone.json.phone).toBe("+14155550170");
    expect((await upsert({ match: "phone", phone: "415-555-0170", account: "Acme" })).json).toMatchObject({ id: byPhone.json.id, account: "Acme" });

    const byId = await upsert({ match: "externalId", externalId: "crm-0042", firstName: "Kim" });
    expect(byId.status).toBe(201);
    const again = await upsert({ match: "externalId", externalId: "crm-0042", email: "kim@example.com" });
    expect(again).toMatchObject({ status: 200, json: { id: byId.json.id, email: "kim@example.com" } });
    const read = await call("GET", `/api/contacts/${byId.json.id}`, { as: crm });
    expect(read.json.identities).toEqual(expect.arrayContaining([{ kind: "external", value: "crm-0042", proven: true }]));
  });

  it("refuses a match without its value, and a phone that is not one", async () => {
    expect(await upsert({ match: "email", firstName: "Nobody" })).toMatchObject({ status: 400, json: { error: { code: "invalid_input" } } });
    expect((await upsert({ match: "phone", phone: "call me" })).status).toBe(400);
    expect((await upsert({ match: "id", email: "a@example.com" })).status).toBe(400);
  });

  it("does not take over a contact that only claimed the email: the CRM's person is a contact of their own", async () => {
    const claimer = await receive("chat", [from.visitor("browser-claims-sync"), from.email("claimed.sync@example.com")], { evidence: "claim" });
    const crmPerson = await upsert({ match: "email", email: "claimed.sync@example.com", firstName: "Real" });
    expect(crmPerson.status).toBe(201);
    expect(crmPerson.json.id).not.toBe(claimer.contact!.id);
  });
});

describe("contacts changed since a time", () => {
  it("lists every change once, oldest first, across pages, a contact changed again coming later", async () => {
    const since = Date.now();
    const names = ["First", "Second", "Third"];
    const made: string[] = [];
    for (const name of names) made.push((await upsert({ match: "email", email: `${name.toLowerCase()}.since@example.com`, firstName: name })).json.id);
    await new Promise((r) => setTimeout(r, 5));
    await upsert({ match: "email", email: "first.since@example.com", lastName: "Again" });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await call("GET", `/api/contacts?updatedSince=${since}&limit=2${cursor ? `&cursor=${cursor}` : ""}`, { as: crm });
      expect(page.status).toBe(200);
      seen.push(...page.json.items.map((c: { id: string }) => c.id));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(seen.filter((id) => made.includes(id))).toEqual([made[1], made[2], made[0]]);
    expect((await call("GET", `/api/contacts?updatedSince=${Date.now() + 60_000}`, { as: crm })).json.items).toEqual([]);
  });
});
