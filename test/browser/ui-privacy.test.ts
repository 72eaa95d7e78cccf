// A person's data in Chromium: an admin exports a contact's data as a file and erases another
// contact through a dialog that must be confirmed by typing their email; an agent deletes a contact
// and restores it from Recently deleted; the audit log in Settings shows who did what, for admins only.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { readFile } from "node:fs/promises";
import { openBrowser, OWNER, screenshot, startParley, type Parley, type Session, type TestBrowser } from "./harness";

const PORT = 8865;
const WAIT = { timeout: 15_000 };
const INES = { email: "ines@parley.test", password: "ines password", name: "Ines Agent" };
const MARIA = { email: "maria@example.com", fullName: "Maria Silva" };
const RUI = { email: "rui@example.com", fullName: "Rui Costa" };
const BEA = { email: "bea@example.com", fullName: "Bea Santos" };
const TOM = { email: "tom@example.com", fullName: "Tom Becker" };

let parley: Parley;
let browser: TestBrowser;
let owner: Session;
let admin: Page;
let agent: Page;
/** Each person's contact id and their one conversation (a chat from the website). */
const people: Record<string, { contactId: string; conversationId: string }> = {};

const contactIdOf = async (email: string) => (await parley.api("GET", `/api/contacts?q=${encodeURIComponent(email)}`, { as: owner })).json.items[0].id as string;
const messagesOf = async (conversationId: string) =>
  (await parley.api("GET", `/api/conversations/${conversationId}/messages`, { as: owner })).json.items as { body: string; meta: Record<string, unknown> }[];
const dialog = () => admin.getByRole("dialog", { name: "Erase Rui Costa?" });
const auditRow = (text: string) => admin.getByRole("table").getByRole("row").filter({ hasText: text });

/** A visitor chats from the website with the pre-chat form, and an agent answers. */
async function chatWith(person: { email: string; fullName: string }, text: string, reply: string) {
  const conversationId = await parley.visitorWrites(text, person);
  const answered = await parley.api("POST", `/api/conversations/${conversationId}/messages`, { as: owner, body: { channel: "chat", body: reply } });
  expect(answered.status, JSON.stringify(answered.json)).toBe(201);
  people[person.email] = { contactId: await contactIdOf(person.email), conversationId };
}

beforeAll(async () => {
  parley = await startParley({ port: PORT });
  owner = await parley.signUpOwner();
  const created = await parley.api("POST", "/api/users", { as: owner, body: { ...INES, role: "agent" } });
  if (created.status !== 201) throw new Error(`could not add Ines: ${created.status} ${JSON.stringify(created.json)}`);
  await chatWith(MARIA, "My address is Rua Augusta 12, Lisboa.", "Thanks Maria, noted.");
  await chatWith(RUI, "My card ending 4242 was charged twice.", "Sorry Rui, refunding one now.");
  await chatWith(BEA, "Do you ship to Porto?", "We do, Bea.");
  await chatWith(TOM, "Please forget me.", "We will, Tom.");
  browser = await openBrowser();
  admin = await browser.newPage();
  await parley.signIn(admin, OWNER);
});

afterAll(async () => {
  await browser?.close();
  await parley?.stop();
});

describe("an admin exports a contact's data", () => {
  it("downloads one JSON file, named as the server names it, with the contact and every message", async () => {
    const { contactId } = people[MARIA.email]!;
    await admin.goto(`${parley.url}/contacts/${contactId}`);
    const privacy = admin.getByRole("region", { name: "Privacy" });
    await privacy.waitFor(WAIT);
    await privacy.scrollIntoViewIfNeeded();
    await screenshot(admin, "privacy-contact-admin");

    const [download] = await Promise.all([admin.waitForEvent("download", WAIT), privacy.getByRole("button", { name: "Export data" }).click()]);
    expect(download.suggestedFilename()).toBe(`contact-${contactId}.json`);
    const data = JSON.parse(await readFile((await download.path())!, "utf8"));
    expect(data.contact).toMatchObject({ id: contactId, email: MARIA.email });
    const bodies = data.conversations.flatMap((c: { messages: { body: string }[] }) => c.messages.map((m) => m.body));
    expect(bodies).toEqual(expect.arrayContaining(["My address is Rua Augusta 12, Lisboa.", "Thanks Maria, noted."]));
    await admin.getByText(`Exported Maria Silva's data as contact-${contactId}.json.`).waitFor(WAIT);
  });
});

describe("an admin erases a contact", () => {
  it("says what goes, and only erases once the contact's email is typed", async () => {
    const { contactId } = people[RUI.email]!;
    await admin.goto(`${parley.url}/contacts/${contactId}`);
    await admin.getByRole("button", { name: "Erase contact…" }).click();
    await dialog().waitFor(WAIT);
    await dialog().getByText("This cannot be undone.").waitFor(WAIT);
    const erase = dialog().getByRole("button", { name: "Erase permanently" });
    const confirmation = dialog().getByLabel(`Type ${RUI.email} to confirm`);
    expect(await erase.isDisabled()).toBe(true);
    await confirmation.fill("rui@example");
    expect(await erase.isDisabled()).toBe(true);
    await screenshot(admin, "privacy-erase-dialog");
    await admin.setViewportSize({ width: 360, height: 740 });
    await screenshot(admin, "privacy-erase-dialog-360");
    await admin.setViewportSize({ width: 1280, height: 800 });

    // Escape closes it without erasing anything.
    await admin.keyboard.press("Escape");
    await dialog().waitFor({ state: "detached", ...WAIT });
    expect((await parley.api("GET", `/api/contacts/${contactId}`, { as: owner })).status).toBe(200);

    await admin.getByRole("button", { name: "Erase contact…" }).click();
    await confirmation.fill(RUI.email);
    expect(await erase.isEnabled()).toBe(true);
    await erase.click();
    await admin.waitForURL(`${parley.url}/contacts`, WAIT);
    await admin.getByText("Rui Costa was erased. Emptied: 1 conversation, 2 messages, 0 files.").waitFor(WAIT);
    await admin.getByRole("table").getByRole("cell", { name: MARIA.email }).waitFor(WAIT);
    expect(await admin.getByRole("table").getByText(RUI.email).count()).toBe(0);
  });

  it("leaves the conversation in the inbox naming nobody, its messages without words", async () => {
    const { contactId, conversationId } = people[RUI.email]!;
    expect((await parley.api("GET", `/api/contacts/${contactId}`, { as: owner })).status).toBe(404);
    const messages = await messagesOf(conversationId);
    expect(messages).toHaveLength(2);
    for (const m of messages) expect(m).toMatchObject({ body: "", meta: { erased: true } });
    const conversation = (await parley.api("GET", `/api/conversations/${conversationId}`, { as: owner })).json;
    expect(conversation).toMatchObject({ contact: null, erased: true, preview: "" });

    await admin.goto(`${parley.url}/inbox/${conversationId}?status=all`);
    await admin.getByRole("log", { name: "Messages" }).waitFor(WAIT);
    await admin.getByRole("region", { name: "Conversations" }).getByRole("link").filter({ hasText: "Maria Silva" }).waitFor(WAIT);
    expect(await admin.getByText("Rui Costa").count()).toBe(0);
    expect(await admin.getByText("charged twice").count()).toBe(0);
    await screenshot(admin, "privacy-erased-in-inbox");
  });
});

describe("an agent deletes a contact and restores it", () => {
  it("sees no privacy actions, is told the deletion can be undone for 30 days, and finds it under Recently deleted", async () => {
    const { contactId } = people[BEA.email]!;
    agent = await browser.newPage();
    await parley.signIn(agent, INES);
    await agent.goto(`${parley.url}/contacts/${contactId}`);
    await agent.getByRole("heading", { name: "Bea Santos" }).waitFor(WAIT);
    expect(await agent.getByRole("region", { name: "Privacy" }).count()).toBe(0);
    expect(await agent.getByRole("button", { name: "Export data" }).count()).toBe(0);
    expect(await agent.getByRole("button", { name: /Erase/ }).count()).toBe(0);

    let asked = "";
    agent.once("dialog", (d) => {
      asked = d.message();
      d.accept();
    });
    await agent.getByRole("button", { name: "Delete contact" }).click();
    await agent.waitForURL(`${parley.url}/contacts`, WAIT);
    expect(asked).toContain("For 30 days you can restore them");
    await agent.getByText("Bea Santos deleted. You can restore them for 30 days from Recently deleted.").waitFor(WAIT);
    expect((await parley.api("GET", `/api/contacts/${contactId}`, { as: owner })).status).toBe(404);

    await agent.getByRole("tab", { name: "Recently deleted (1)" }).click();
    const item = agent.getByRole("list", { name: "Recently deleted contacts" }).getByRole("listitem").filter({ hasText: "Bea Santos" });
    await item.waitFor(WAIT);
    await item.getByText(/Deleted .* by you · restorable until/).waitFor(WAIT);
    expect(await item.getByRole("button", { name: /Erase/ }).count()).toBe(0);
    await screenshot(agent, "privacy-recently-deleted");
  });

  it("restores the contact with their conversation, and links to them", async () => {
    const { contactId, conversationId } = people[BEA.email]!;
    await agent.getByRole("button", { name: "Restore Bea Santos" }).click();
    const restored = agent.getByRole("status").filter({ hasText: "Bea Santos is back, with 1 conversation." });
    await restored.waitFor(WAIT);
    await agent.getByText("No contacts were deleted in the last 30 days.").waitFor(WAIT);
    await agent.getByRole("tab", { name: "Recently deleted", exact: true }).waitFor(WAIT);
    await screenshot(agent, "privacy-restored");

    const conversations = (await parley.api("GET", `/api/contacts/${contactId}/conversations`, { as: owner })).json.items as { id: string }[];
    expect(conversations.map((c) => c.id)).toEqual([conversationId]);
    expect((await messagesOf(conversationId)).map((m) => m.body)).toEqual(["Do you ship to Porto?", "We do, Bea."]);

    await restored.getByRole("link", { name: "Open Bea Santos" }).click();
    await agent.getByRole("heading", { name: "Bea Santos" }).waitFor(WAIT);
    await agent.getByRole("tab", { name: "Conversations" }).click();
    await agent.getByRole("tabpanel").getByRole("link").filter({ hasText: "Web Chat" }).waitFor(WAIT);
  });
});

describe("the audit log", () => {
  it("shows the admin's export and erasure, the agent's deletion and restore, page after page", async () => {
    // Enough newer entries that the contacts' ones are on the second page.
    for (let i = 0; i < 50; i++) {
      const res = await parley.api("PUT", "/api/settings", { as: owner, body: { defaultCountry: i % 2 ? "PT" : "US" } });
      expect(res.status).toBe(200);
    }
    await admin.goto(`${parley.url}/settings`);
    await admin.getByRole("tab", { name: "Audit log" }).click();
    await admin.waitForURL(`${parley.url}/settings/audit`, WAIT);
    await auditRow("Changed settings: defaultCountry").first().waitFor(WAIT);
    expect(await auditRow("Erased contact").count()).toBe(0);

    await admin.getByRole("button", { name: "Load more" }).click();
    const erased = auditRow("Erased contact");
    await erased.waitFor(WAIT);
    await erased.getByText(people[RUI.email]!.contactId).waitFor(WAIT);
    await erased.getByText("Olivia Owner").waitFor(WAIT);
    expect(await erased.getByRole("link").count()).toBe(0); // nobody left to link to

    const exported = auditRow("Exported contact");
    await exported.getByText("Olivia Owner").waitFor(WAIT);
    expect(await exported.getByRole("link", { name: "Maria Silva" }).getAttribute("href")).toBe(`/contacts/${people[MARIA.email]!.contactId}`);
    await auditRow("Deleted contact").getByText("Ines Agent").waitFor(WAIT);
    await auditRow("Restored contact").getByRole("link", { name: "Bea Santos" }).waitFor(WAIT);
    await auditRow("Signed in").filter({ hasText: "Ines Agent" }).waitFor(WAIT);
    await auditRow("Added agent Ines Agent").waitFor(WAIT);
    await erased.scrollIntoViewIfNeeded();
    await screenshot(admin, "privacy-audit-log");
  });

  it("reads as blocks on a 360 px phone, nothing wider than the screen", async () => {
    await admin.setViewportSize({ width: 360, height: 740 });
    try {
      await admin.reload();
      await auditRow("Changed settings").first().waitFor(WAIT);
      expect(await admin.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
      await screenshot(admin, "privacy-audit-log-360");
    } finally {
      await admin.setViewportSize({ width: 1280, height: 800 });
    }
  });

  it("is for admins only: an agent has no Settings, so no audit log, and the API refuses", async () => {
    expect(await agent.getByRole("link", { name: "Settings" }).count()).toBe(0);
    await agent.goto(`${parley.url}/settings/audit`);
    await agent.getByText("Settings are for admins.").waitFor(WAIT);
    expect(await agent.getByRole("tab", { name: "Audit log" }).count()).toBe(0);
    const cookie = (await agent.context().cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    expect((await parley.api("GET", "/api/audit", { as: { cookie } })).status).toBe(403);
  });
});

describe("an admin erases a contact someone deleted", () => {
  it("does it from Recently deleted, without waiting out the 30 days", async () => {
    const { contactId, conversationId } = people[TOM.email]!;
    expect((await parley.api("DELETE", `/api/contacts/${contactId}`, { as: owner })).status).toBe(200);
    await admin.goto(`${parley.url}/contacts?view=deleted`);
    await admin.getByRole("tab", { name: "Recently deleted (1)", selected: true }).waitFor(WAIT);
    await admin.getByRole("button", { name: "Erase Tom Becker" }).click();
    const tom = admin.getByRole("dialog", { name: "Erase Tom Becker?" });
    await tom.getByLabel(`Type ${TOM.email} to confirm`).fill(TOM.email);
    await tom.getByRole("button", { name: "Erase permanently" }).click();
    await admin.getByText("Tom Becker was erased. Emptied: 1 conversation, 2 messages, 0 files.").waitFor(WAIT);
    await admin.getByText("No contacts were deleted in the last 30 days.").waitFor(WAIT);
    expect((await parley.api("GET", "/api/deleted-contacts", { as: owner })).json.items).toEqual([]);
    expect((await parley.api("POST", `/api/deleted-contacts/${contactId}/restore`, { as: owner })).status).toBe(404);
    expect((await messagesOf(conversationId)).map((m) => m.body)).toEqual(["", ""]);
  });
});
