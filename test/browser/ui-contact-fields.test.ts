// Custom fields and marketing lists on the contact page and beside a conversation, and the assignee
// picker's "Next available" (round-robin), in Chromium against a real `wrangler dev`.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Locator, Page } from "playwright-core";
import { openBrowser, OWNER, screenshot, startParley, type Parley, type Session, type TestBrowser } from "./harness";

const PORT = 8825;
const WAIT = { timeout: 15_000 };
const BEA = { email: "bea@parley.test", password: "bea's password", name: "Bea Agent" };
const CAL = { email: "cal@parley.test", password: "cal's password", name: "Cal Agent" };

let parley: Parley;
let browser: TestBrowser;
let owner: Session;
let beaId: string;
const contexts: BrowserContext[] = [];

async function newPage(setUp?: (context: BrowserContext) => Promise<void>): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  await setUp?.(context);
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  page.on("dialog", (dialog) => dialog.accept());
  return page;
}

const picker = (page: Page) => page.getByRole("combobox", { name: "Assignee" });
const pickedName = (page: Page) => picker(page).locator("option:checked").textContent();
const nextAvailable = (page: Page) => page.getByRole("button", { name: "Next available" });
const liveState = (page: Page) => page.getByRole("status").filter({ hasText: "Live" });

beforeAll(async () => {
  parley = await startParley({ port: PORT });
  owner = await parley.signUpOwner();
  for (const user of [BEA, CAL]) {
    const created = await parley.api("POST", "/api/users", { as: owner, body: { ...user, role: "agent" } });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    if (user === BEA) beaId = created.json.id;
  }
  browser = await openBrowser();
});

afterAll(async () => {
  for (const context of contexts) await context.close().catch(() => {});
  await browser?.close();
  await parley?.stop();
});

// First, while nobody has a page open: only the pages opened here make anyone "online".
describe("Next available (round-robin)", () => {
  it("gives the server's sentence when nobody has the inbox open, then assigns to the agent who has", async () => {
    const chat = await parley.visitorWrites("Can someone help with my invoice?", { email: "carla@example.com", fullName: "Carla Mendes" });
    // Cal's page never reaches the real live feed (a stand-in answers it), so the server does not count Cal as online.
    const cal = await newPage((context) =>
      context.routeWebSocket(/\/api\/live(\?|$)/, (ws) => {
        ws.send(JSON.stringify({ type: "ready" }));
        ws.onMessage(() => ws.send(JSON.stringify({ type: "pong" })));
      }),
    );
    await parley.signIn(cal, CAL);
    await cal.goto(`${parley.url}/inbox/${chat}`);
    await cal.getByRole("heading", { name: "Carla Mendes" }).first().waitFor(WAIT);
    await expect.poll(() => pickedName(cal), WAIT).toBe("Unassigned");

    // What the server says when nobody is online (asked as a CRM would: that does not make anyone online).
    const refusal = await parley.api("POST", `/api/conversations/${chat}/assign-next`, { as: owner });
    expect(refusal.status).toBe(409);
    expect(refusal.json.error.code).toBe("no_agent_online");
    await nextAvailable(cal).click();
    await cal.getByText(refusal.json.error.message).waitFor(WAIT);
    await expect.poll(() => pickedName(cal), WAIT).toBe("Unassigned");
    await screenshot(cal, "ui-contact-fields-rr-1-nobody-online");

    // Bea signs in: her page opens the live inbox, so she is the one available.
    const bea = await newPage();
    await parley.signIn(bea, BEA);
    await liveState(bea).waitFor(WAIT);
    await nextAvailable(cal).click();
    await cal.getByText("Next available: assigned to Bea Agent.").waitFor(WAIT);
    await expect.poll(() => pickedName(cal), WAIT).toBe("Bea Agent");
    expect((await parley.api("GET", `/api/conversations/${chat}`, { as: owner })).json.assignee).toBe(beaId);
    await screenshot(cal, "ui-contact-fields-rr-2-assigned-to-bea");
    // Bea's inbox hears of it live.
    await bea.getByRole("region", { name: "Conversations" }).getByRole("link").filter({ hasText: "Carla Mendes" }).getByText("Assigned to You").waitFor(WAIT);
    await screenshot(bea, "ui-contact-fields-rr-3-bea-has-it");
  });
});

describe("custom fields and marketing lists", () => {
  let page: Page;
  let contactId: string;
  const fields = () => page.getByRole("region", { name: "Custom fields" });
  const lists = () => page.getByRole("region", { name: "Marketing lists" });
  const fieldRow = (name: string): Locator =>
    fields()
      .getByRole("row")
      .filter({ has: page.getByRole("rowheader", { name, exact: true }) });
  const stored = async () => (await parley.api("GET", `/api/contacts/${contactId}`, { as: owner })).json;
  const addField = async (name: string, value: string, type?: string) => {
    const form = fields().getByRole("form", { name: "Add field" });
    await form.getByLabel("Name").fill(name);
    if (type) await form.getByLabel("Type").selectOption({ label: type });
    await form.getByLabel("Value").fill(value);
    await form.getByRole("button", { name: "Add field" }).click();
    await fieldRow(name).waitFor(WAIT);
  };

  beforeAll(async () => {
    const created = await parley.api("POST", "/api/contacts", { as: owner, body: { firstName: "Ana", lastName: "Lima", email: "ana@example.com" } });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    contactId = created.json.id;
    page = await newPage();
    await parley.signIn(page, OWNER);
    await page.goto(`${parley.url}/contacts/${contactId}`);
    await page.getByRole("heading", { name: "Ana Lima" }).waitFor(WAIT);
  });

  it("adds custom fields typed as text, number and yes/no, edits one and removes one", async () => {
    await fields().getByText("No custom fields yet").waitFor(WAIT);
    await fields().scrollIntoViewIfNeeded();
    await screenshot(page, "ui-contact-fields-1-empty");

    await addField("plan", "Pro");
    await addField("seats", "12");
    await addField("trial", "true");
    await expect.poll(async () => (await stored()).customFields, WAIT).toEqual({ plan: "Pro", seats: 12, trial: true });
    expect(await fieldRow("seats").getByRole("cell").first().textContent()).toBe("12 Number");
    expect(await fieldRow("trial").getByRole("cell").first().textContent()).toBe("Yes Yes / no");
    // The add form is empty again, ready for the next one.
    expect(await fields().getByRole("form", { name: "Add field" }).getByLabel("Name").inputValue()).toBe("");

    // Text forced where Automatic would store a number; a name in use is refused before asking the server.
    await addField("zip", "01234");
    await addField("account_no", "1234", "Text");
    await expect.poll(async () => (await stored()).customFields, WAIT).toMatchObject({ zip: "01234", account_no: "1234" });
    const form = fields().getByRole("form", { name: "Add field" });
    await form.getByLabel("Name").fill("plan");
    await form.getByLabel("Value").fill("Basic");
    await form.getByRole("button", { name: "Add field" }).click();
    await form.getByRole("alert").getByText("This contact has a field named plan already: edit it above.").waitFor(WAIT);
    await fields().scrollIntoViewIfNeeded();
    await screenshot(page, "ui-contact-fields-2-added");

    await fields().getByRole("button", { name: "Edit field plan" }).click();
    const edit = fields().getByRole("form", { name: "Edit field plan" });
    await edit.getByRole("textbox", { name: "Value of plan" }).fill("Enterprise");
    await screenshot(page, "ui-contact-fields-3-editing");
    await edit.getByRole("button", { name: "Save" }).click();
    await fieldRow("plan").getByRole("cell", { name: "Enterprise" }).waitFor(WAIT);
    // A number field edited as a number stays one.
    await fields().getByRole("button", { name: "Edit field seats" }).click();
    await fields().getByRole("form", { name: "Edit field seats" }).getByRole("textbox", { name: "Value of seats" }).fill("15");
    await page.keyboard.press("Enter");
    await fieldRow("seats").getByRole("cell", { name: "15 Number" }).waitFor(WAIT);

    await fields().getByRole("button", { name: "Remove field trial" }).click();
    await fieldRow("trial").waitFor({ state: "detached", ...WAIT });
    for (const name of ["zip", "account_no"])
      await fields()
        .getByRole("button", { name: `Remove field ${name}` })
        .click();
    await expect.poll(async () => (await stored()).customFields, WAIT).toEqual({ plan: "Enterprise", seats: 15 });
    await page.reload();
    await fieldRow("plan").getByRole("cell", { name: "Enterprise" }).waitFor(WAIT);
    expect(await fields().getByRole("row").count()).toBe(3); // the header, plan and seats
    await fields().scrollIntoViewIfNeeded();
    await screenshot(page, "ui-contact-fields-4-edited-removed");
  });

  it("subscribes to a list with when and how consent was given, refuses SMS without a phone with the server's sentence, unsubscribes", async () => {
    await lists().getByText("Not on any marketing list.").waitFor(WAIT);
    const form = lists().getByRole("form", { name: "Subscribe to a list" });
    const source = "Ticked the box at checkout, 12 May";
    await form.getByLabel("List").fill("Newsletter");
    expect(await form.getByLabel("Channel").inputValue()).toBe("email");
    await form.getByLabel("How was consent given?").fill(source);
    const before = Date.now();
    await form.getByRole("button", { name: "Subscribe" }).click();
    const newsletter = lists().getByRole("listitem").filter({ hasText: "Newsletter" });
    await newsletter.getByText(source).waitFor(WAIT);
    await newsletter.getByText("Email", { exact: true }).waitFor(WAIT);
    // When: the time consent was recorded, in full.
    const at = Date.parse((await newsletter.locator("time").getAttribute("datetime"))!);
    expect(at).toBeGreaterThan(before - 60_000);
    expect(at).toBeLessThan(Date.now() + 60_000);
    expect(await newsletter.locator("time").textContent()).toMatch(/\d{4}/);
    const [membership] = (await stored()).lists;
    expect(membership).toMatchObject({ list: "Newsletter", channel: "email", source });
    expect(await form.getByLabel("List").inputValue()).toBe("");
    // Lists in use are suggested.
    await expect.poll(() => page.locator("#list-suggestions option").evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value)), WAIT).toContain("Newsletter");
    await form.scrollIntoViewIfNeeded();
    await screenshot(page, "ui-contact-fields-5-subscribed");

    // SMS needs a phone number: the server's 409 sentence is shown, and nothing is added.
    const refusal = await parley.api("PUT", `/api/contacts/${contactId}/lists/Text%20offers`, { as: owner, body: { channel: "sms", source: "Said yes on the phone" } });
    expect(refusal.status).toBe(409);
    expect(refusal.json.error.code).toBe("no_phone_number");
    await form.getByLabel("List").fill("Text offers");
    await form.getByLabel("Channel").selectOption({ label: "SMS" });
    await form.getByLabel("How was consent given?").fill("Said yes on the phone");
    await form.getByRole("button", { name: "Subscribe" }).click();
    await form.getByRole("alert").getByText(refusal.json.error.message).waitFor(WAIT);
    expect(await lists().getByRole("listitem").filter({ hasText: "Text offers" }).count()).toBe(0);
    await form.getByRole("alert").scrollIntoViewIfNeeded();
    await screenshot(page, "ui-contact-fields-6-sms-refused");

    // A second list, by email, stays for the contact panel.
    await form.getByLabel("List").fill("Product updates");
    await form.getByLabel("Channel").selectOption({ label: "Email" });
    await form.getByRole("button", { name: "Subscribe" }).click();
    await lists().getByRole("listitem").filter({ hasText: "Product updates" }).getByText("Said yes on the phone").waitFor(WAIT);
    expect(await form.getByRole("alert").count()).toBe(0);

    await lists().getByRole("button", { name: "Unsubscribe from Newsletter" }).click();
    await newsletter.waitFor({ state: "detached", ...WAIT });
    await page.getByText("Unsubscribed from Newsletter.").waitFor(WAIT);
    expect((await stored()).lists.map((m: { list: string }) => m.list)).toEqual(["Product updates"]);
    await form.scrollIntoViewIfNeeded();
    await screenshot(page, "ui-contact-fields-7-unsubscribed");
  });

  it("fits a 360 px wide phone", async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.reload();
    await fieldRow("plan").waitFor(WAIT);
    // Nothing sticks out sideways: not the page, not the scrolling main area.
    const overflow = () =>
      page.evaluate(() => {
        const main = document.querySelector("main")!;
        return Math.max(document.documentElement.scrollWidth - window.innerWidth, main.scrollWidth - main.clientWidth);
      });
    expect(await overflow()).toBeLessThanOrEqual(0);
    await fields().getByRole("button", { name: "Edit field plan" }).click();
    expect(await overflow()).toBeLessThanOrEqual(0);
    await fields().scrollIntoViewIfNeeded();
    await screenshot(page, "ui-contact-fields-8-360-fields");
    await lists().getByRole("form", { name: "Subscribe to a list" }).scrollIntoViewIfNeeded();
    await screenshot(page, "ui-contact-fields-8-360-lists");
    await fields().getByRole("button", { name: "Cancel" }).click();
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it("shows the custom fields and the lists, read-only, in the contact panel beside a conversation", async () => {
    const chat = await parley.visitorWrites("Hi, a question about my plan");
    const named = await parley.api("PUT", `/api/conversations/${chat}/contact`, { as: owner, body: { email: "ana@example.com" } });
    expect(named.status, JSON.stringify(named.json)).toBe(200);
    expect(named.json.contact.id).toBe(contactId);

    await page.goto(`${parley.url}/inbox/${chat}`);
    const panel = page.getByRole("complementary", { name: "Contact" });
    await panel.getByRole("heading", { name: "Ana Lima" }).waitFor(WAIT);
    const panelFields = panel.getByRole("region", { name: "Custom fields" });
    await panelFields.getByRole("term").filter({ hasText: "plan" }).waitFor(WAIT);
    expect(await panelFields.getByRole("term").allTextContents()).toEqual(["plan", "seats"]);
    expect(await panelFields.getByRole("definition").allTextContents()).toEqual(["Enterprise", "15"]);
    expect(await panelFields.getByRole("button").count()).toBe(0); // editing is the profile's
    const panelLists = panel.getByRole("region", { name: "Marketing lists" });
    await panelLists.getByRole("listitem").filter({ hasText: "Product updates" }).getByText("Email").waitFor(WAIT);
    expect(await panelLists.getByRole("listitem").count()).toBe(1);
    await screenshot(page, "ui-contact-fields-9-panel");

    await panel.getByRole("link", { name: "Full profile" }).click();
    await page.getByRole("heading", { name: "Ana Lima", level: 1 }).waitFor(WAIT);
    await fieldRow("seats").waitFor(WAIT);
  });
});
