// Saved responses: kept by category, with personalization tags filled in when an agent inserts one.
import { beforeAll, describe, expect, it } from "vitest";
import { admin, agent, call, type Session } from "./helpers";
import { from, receive } from "./inbound";

let andy: Session;
beforeAll(async () => {
  await admin();
  andy = await agent("Andy Agent");
});

const save = async (body: { category: string; name: string; body: string }) => {
  const res = await call("POST", "/api/saved-responses", { as: andy, body });
  expect(res.status, JSON.stringify(res.json)).toBe(201);
  return res.json;
};
const render = async (id: string, conversationId: string) => call("POST", `/api/saved-responses/${id}/render`, { as: andy, body: { conversationId } });

describe("saved responses", () => {
  it("are listed by category then name, and filtered by category", async () => {
    await save({ category: "Shipping", name: "Where is my order", body: "It is on its way." });
    await save({ category: "Billing", name: "Refund", body: "Your refund is processed." });
    await save({ category: "Shipping", name: "Customs", body: "Customs can take a week." });
    const all = (await call("GET", "/api/saved-responses", { as: andy })).json.items;
    expect(all.map((r: any) => [r.category, r.name])).toEqual([
      ["Billing", "Refund"],
      ["Shipping", "Customs"],
      ["Shipping", "Where is my order"],
    ]);
    const shipping = (await call("GET", "/api/saved-responses?category=Shipping", { as: andy })).json.items;
    expect(shipping.map((r: any) => r.name)).toEqual(["Customs", "Where is my order"]);
  });

  it("can be changed and deleted; an unknown one is 404", async () => {
    const saved = await save({ category: "Misc", name: "Hours", body: "We open at 9." });
    const changed = await call("PATCH", `/api/saved-responses/${saved.id}`, { as: andy, body: { body: "We open at 8." } });
    expect(changed.json).toMatchObject({ id: saved.id, category: "Misc", name: "Hours", body: "We open at 8." });
    expect((await call("DELETE", `/api/saved-responses/${saved.id}`, { as: andy })).json).toEqual({ ok: true });
    expect((await call("GET", "/api/saved-responses?category=Misc", { as: andy })).json.items).toEqual([]);
    for (const [method, body] of [
      ["PATCH", { name: "x" }],
      ["DELETE", undefined],
    ] as const) {
      const res = await call(method, `/api/saved-responses/${saved.id}`, { as: andy, body });
      expect(res.status).toBe(404);
    }
  });

  it("refuse an unknown tag when saved, with 400 naming the tag and the ones that exist", async () => {
    for (const body of ["Hi {{contact.firstname}}", "Hi {{ customer }}", "Hi {{Contact.First_Name}}", "Hi {{}}"]) {
      const res = await call("POST", "/api/saved-responses", { as: andy, body: { category: "Greetings", name: "Hi", body } });
      expect(res.status, body).toBe(400);
      expect(res.json.error.details[0]).toMatchObject({ path: "body", message: expect.stringContaining("contact.first_name") });
    }
    const saved = await save({ category: "Greetings", name: "Hi", body: "Hi {{contact.first_name}}" });
    const patched = await call("PATCH", `/api/saved-responses/${saved.id}`, { as: andy, body: { body: "Hi {{agent.nmae}}" } });
    expect(patched.status).toBe(400);
    expect(patched.json.error.message).toContain("{{agent.nmae}}");
  });

  it("fill in the contact's names and the calling agent's name", async () => {
    const saved = await save({
      category: "Greetings",
      name: "Welcome",
      body: "Hi {{contact.first_name}}! This is {{ agent.name }}. Is {{contact.name}} right?",
    });
    const chat = await receive("chat", [from.email("ana.lima@example.com"), from.visitor("browser-ana-sr")], { profile: { firstName: "Ana", lastName: "Lima" } });
    const res = await render(saved.id, chat.conversation.id);
    expect(res.json).toEqual({ body: "Hi Ana! This is Andy Agent. Is Ana Lima right?" });
    const bea = await agent("Bea Agent");
    const asBea = await call("POST", `/api/saved-responses/${saved.id}/render`, { as: bea, body: { conversationId: chat.conversation.id } });
    expect(asBea.json.body).toContain("This is Bea Agent.");
  });

  it("use the fallback when the contact or the field is missing", async () => {
    const saved = await save({ category: "Greetings", name: "Fallback", body: "Hi {{contact.first_name | there}}, {{ contact.name|friend }}." });
    const anonymous = await receive("chat", [from.visitor("browser-nobody-sr")]);
    expect((await render(saved.id, anonymous.conversation.id)).json.body).toBe("Hi there, friend.");
    const noName = await receive("email", [from.email("noname@example.com")], { thread: "new" });
    expect((await render(saved.id, noName.conversation.id)).json.body).toBe("Hi there, friend.");
  });

  it("insert what a visitor typed as text: a name that looks like a tag is not filled in again", async () => {
    const saved = await save({ category: "Greetings", name: "Plain", body: "Hello {{contact.first_name}}" });
    const chat = await receive("chat", [from.email("tricky@example.com"), from.visitor("browser-tricky")], { profile: { firstName: "{{agent.email}}" } });
    expect((await render(saved.id, chat.conversation.id)).json.body).toBe("Hello {{agent.email}}");
  });

  it("answer 404 when rendering for an unknown conversation or response", async () => {
    const saved = await save({ category: "Greetings", name: "Any", body: "Hello" });
    expect((await render(saved.id, "missing")).status).toBe(404);
    const chat = await receive("chat", [from.visitor("browser-404")]);
    expect((await render("missing", chat.conversation.id)).status).toBe(404);
  });
});
