// What a business keeps about a contact beyond the basics: its own fields, and the marketing lists
// the person opted in to, with when and how consent was given.
import { beforeAll, describe, expect, it } from "vitest";
import { admin, agent, call, type Session } from "./helpers";

let andy: Session;
beforeAll(async () => {
  await admin();
  andy = await agent("Andy Agent");
});

const add = async (body: Record<string, unknown>) => (await call("POST", "/api/contacts", { as: andy, body })).json;
const patch = (id: string, body: Record<string, unknown>) => call("PATCH", `/api/contacts/${id}`, { as: andy, body });

describe("custom fields", () => {
  it("are set on creation, changed and removed field by field, and typed as given", async () => {
    const contact = await add({ email: "fields@example.com", customFields: { plan: "Pro", seats: 12, trial: false } });
    expect(contact.customFields).toEqual({ plan: "Pro", seats: 12, trial: false });
    const changed = await patch(contact.id, { customFields: { seats: 15, trial: null, renewal: "2027-01-01" } });
    expect(changed.json.customFields).toEqual({ plan: "Pro", seats: 15, renewal: "2027-01-01" });
    // Two changes at once both hold: each is merged into what is stored.
    await Promise.all([patch(contact.id, { customFields: { a: "1" } }), patch(contact.id, { customFields: { b: "2" } })]);
    expect((await call("GET", `/api/contacts/${contact.id}`, { as: andy })).json.customFields).toMatchObject({ plan: "Pro", a: "1", b: "2" });
  });

  it("refuse names that are not names, values that are not plain, and more than 50", async () => {
    const contact = await add({ email: "bad.fields@example.com" });
    for (const customFields of [{ "has space": "x" }, { "": "x" }, { nested: { a: 1 } }, { list: [1] }, { long: "x".repeat(1001) }]) {
      expect((await patch(contact.id, { customFields })).status).toBe(400);
    }
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`f${i}`, i]));
    expect((await patch(contact.id, { customFields: many })).status).toBe(200);
    expect((await patch(contact.id, { customFields: { one_more: 1 } })).status).toBe(400);
  });

  it("are kept by a CRM's upsert, and a merge keeps the surviving contact's over the other's", async () => {
    const synced = await call("POST", "/api/contacts/upsert", { as: andy, body: { match: "email", email: "synced.fields@example.com", customFields: { tier: "gold" } } });
    expect(synced.json.customFields).toEqual({ tier: "gold" });
    const other = await add({ phone: "+14155550190", customFields: { tier: "silver", region: "EU" } });
    const merged = await call("POST", `/api/contacts/${synced.json.id}/merge`, { as: andy, body: { from: other.id } });
    expect(merged.json.customFields).toEqual({ tier: "gold", region: "EU" });
  });
});

describe("marketing lists", () => {
  it("record an explicit opt-in with when and how, on a channel the contact can be reached on, and an opt-out", async () => {
    const contact = await add({ email: "lists@example.com" });
    const before = Date.now();
    const joined = await call("PUT", `/api/contacts/${contact.id}/lists/Newsletter`, { as: andy, body: { channel: "email", source: "Ticked the box at checkout" } });
    expect(joined.status).toBe(200);
    expect(joined.json.lists).toEqual([{ list: "Newsletter", channel: "email", consentedAt: expect.any(Number), source: "Ticked the box at checkout" }]);
    expect(joined.json.lists[0].consentedAt).toBeGreaterThanOrEqual(before);

    const sms = await call("PUT", `/api/contacts/${contact.id}/lists/Offers`, { as: andy, body: { channel: "sms", source: "Said yes on the phone" } });
    expect(sms).toMatchObject({ status: 409, json: { error: { code: "no_phone_number" } } });
    expect((await call("PUT", `/api/contacts/${contact.id}/lists/Newsletter`, { as: andy, body: { channel: "email", source: "" } })).status).toBe(400);
    expect((await call("PUT", `/api/contacts/${contact.id}/lists/${encodeURIComponent("no/slashes?")}`, { as: andy, body: { channel: "email", source: "x" } })).status).toBe(400);

    const inUse = (await call("GET", "/api/lists", { as: andy })).json.items;
    expect(inUse).toEqual(expect.arrayContaining([{ list: "Newsletter", channel: "email", members: expect.any(Number) }]));

    const left = await call("DELETE", `/api/contacts/${contact.id}/lists/Newsletter`, { as: andy });
    expect(left.json.lists).toEqual([]);
    expect((await call("DELETE", `/api/contacts/${contact.id}/lists/%E0%A4%A`, { as: andy })).status).toBeLessThan(500);
  });

  it("move with the person when two contacts are merged", async () => {
    const keep = await add({ email: "keep.lists@example.com" });
    const other = await add({ phone: "+14155550191" });
    await call("PUT", `/api/contacts/${other.id}/lists/Offers`, { as: andy, body: { channel: "sms", source: "Texted JOIN" } });
    await call("POST", `/api/contacts/${keep.id}/merge`, { as: andy, body: { from: other.id } });
    const merged = await call("GET", `/api/contacts/${keep.id}`, { as: andy });
    expect(merged.json.lists).toEqual([expect.objectContaining({ list: "Offers", channel: "sms", source: "Texted JOIN" })]);
  });
});
