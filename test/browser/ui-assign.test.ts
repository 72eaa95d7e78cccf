// Assignment in the agent inbox, in Chromium: two agents in their own browsers share conversations;
// one takes a chat ("Assign to me"), the other sees who has it live, the Mine and Unassigned filters
// follow assignments as they happen, and the picker hands conversations over or gives the server's refusal.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { holdAnswer, openBrowser, OWNER, screenshot, startParley, type Parley, type Session, type TestBrowser } from "./harness";

const PORT = 8805;
const WAIT = { timeout: 15_000 };
const BEA = { email: "bea@parley.test", password: "bea's password", name: "Bea Agent" };
const CAL = { email: "cal@parley.test", password: "cal's password", name: "Cal Leaver" };

let parley: Parley;
let browser: TestBrowser;
let owner: Session;
let olivia: Page; // the admin, agent A
let bea: Page; // agent B, in another browser
let beaId: string;
let calId: string;
let ana: string; // the conversations' ids
let bruno: string;

const conversations = (page: Page) => page.getByRole("region", { name: "Conversations" });
const row = (page: Page, name: string): Locator => conversations(page).getByRole("link").filter({ hasText: name });
const assigneeFilter = (page: Page, name: "Mine" | "Unassigned" | "All") => page.getByRole("group", { name: "Assignee" }).getByRole("button", { name });
/** The open conversation's assignee picker (the list's filter of the same name is a group of buttons). */
const picker = (page: Page) => page.getByRole("combobox", { name: "Assignee" });
const assignToMe = (page: Page) => page.getByRole("button", { name: "Assign to me" });
const pickedName = (page: Page) => picker(page).locator("option:checked").textContent();
const param = (page: Page, name: string) => new URL(page.url()).searchParams.get(name);

beforeAll(async () => {
  parley = await startParley({ port: PORT });
  owner = await parley.signUpOwner();
  for (const user of [BEA, CAL]) {
    const created = await parley.api("POST", "/api/users", { as: owner, body: { ...user, role: "agent" } });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    if (user === BEA) beaId = created.json.id;
    if (user === CAL) calId = created.json.id;
  }
  browser = await openBrowser();
  olivia = await browser.newPage();
  bea = await browser.newPage();
  await parley.signIn(olivia, OWNER);
  await parley.signIn(bea, BEA);
  for (const page of [olivia, bea]) await page.getByRole("status").filter({ hasText: "Live" }).waitFor(WAIT);
});

afterAll(async () => {
  await browser?.close();
  await parley?.stop();
});

describe("assignment", () => {
  it("lets an agent take a new chat with Assign to me; the other agent sees who has it, live", async () => {
    ana = await parley.visitorWrites("My order arrived damaged.", { email: "ana@example.com", fullName: "Ana Lima" });
    bruno = await parley.visitorWrites("Do you ship to Portugal?", { email: "bruno@example.com", fullName: "Bruno Costa" });
    for (const page of [olivia, bea]) {
      await row(page, "Ana Lima").waitFor(WAIT);
      await row(page, "Bruno Costa").waitFor(WAIT);
      // Nobody has them yet, and the list says no one's name.
      expect(await conversations(page).getByText("Assigned to").count()).toBe(0);
      expect(await assigneeFilter(page, "All").getAttribute("aria-pressed")).toBe("true");
    }

    await row(olivia, "Ana Lima").click();
    await olivia.getByRole("heading", { name: "Ana Lima" }).first().waitFor(WAIT);
    await expect.poll(() => pickedName(olivia), WAIT).toBe("Unassigned");
    // The picker offers nobody, then you, then the others by name (Cal, disabled later, too).
    expect(await picker(olivia).locator("option").allTextContents()).toEqual(["Unassigned", "You (Olivia Owner)", "Bea Agent", "Cal Leaver"]);
    await screenshot(olivia, "ui-assign-1-olivia-before");

    await assignToMe(olivia).click();
    await expect.poll(() => pickedName(olivia), WAIT).toBe("You (Olivia Owner)");
    await assignToMe(olivia).waitFor({ state: "detached", ...WAIT });
    await olivia.getByText("Assigned to you.").waitFor(WAIT);
    await row(olivia, "Ana Lima").getByText("Assigned to You").waitFor(WAIT);
    await screenshot(olivia, "ui-assign-2-olivia-assigned-to-me");

    // Bea has not reloaded: the live feed tells her list who has it.
    await row(bea, "Ana Lima").getByText("Assigned to Olivia Owner").waitFor(WAIT);
    expect(await row(bea, "Bruno Costa").getByText("Assigned to").count()).toBe(0);
    await screenshot(bea, "ui-assign-3-bea-sees-olivia");
  });

  it("filters by assignee, kept in the address: Unassigned drops the taken chat, Mine lists it", async () => {
    await assigneeFilter(bea, "Unassigned").click();
    await expect.poll(() => param(bea, "assignee"), WAIT).toBe("none");
    await row(bea, "Bruno Costa").waitFor(WAIT);
    await expect.poll(() => row(bea, "Ana Lima").count(), WAIT).toBe(0);
    expect(await assigneeFilter(bea, "Unassigned").getAttribute("aria-pressed")).toBe("true");
    await screenshot(bea, "ui-assign-4-bea-unassigned");

    await assigneeFilter(olivia, "Mine").click();
    await expect.poll(() => param(olivia, "assignee"), WAIT).toBe("me");
    await row(olivia, "Ana Lima").waitFor(WAIT);
    await expect.poll(() => row(olivia, "Bruno Costa").count(), WAIT).toBe(0);
    // A reload (or a shared link) keeps the filter and the open conversation.
    await olivia.reload();
    await row(olivia, "Ana Lima").waitFor(WAIT);
    expect(await assigneeFilter(olivia, "Mine").getAttribute("aria-pressed")).toBe("true");
    expect(await row(olivia, "Bruno Costa").count()).toBe(0);
    await expect.poll(() => pickedName(olivia), WAIT).toBe("You (Olivia Owner)");
    await olivia.getByRole("status").filter({ hasText: "Live" }).waitFor(WAIT);
    await screenshot(olivia, "ui-assign-5-olivia-mine");
  });

  it("lets the other agent take it over with the picker; it leaves the first agent's Mine live", async () => {
    await assigneeFilter(bea, "Mine").click();
    await bea.getByText("Nothing assigned to you.").waitFor(WAIT);
    await bea.goto(`${parley.url}/inbox/${ana}?assignee=me`);
    await bea.getByRole("heading", { name: "Ana Lima" }).first().waitFor(WAIT);
    await expect.poll(() => pickedName(bea), WAIT).toBe("Olivia Owner");
    await assignToMe(bea).waitFor(WAIT);
    await bea.getByRole("status").filter({ hasText: "Live" }).waitFor(WAIT);

    await picker(bea).selectOption({ label: "You (Bea Agent)" });
    await bea.getByText("Assigned to you.").waitFor(WAIT);
    await expect.poll(() => pickedName(bea), WAIT).toBe("You (Bea Agent)");
    // Her own Mine list takes it in at once.
    await row(bea, "Ana Lima").getByText("Assigned to You").waitFor(WAIT);
    await screenshot(bea, "ui-assign-6-bea-took-it");

    // Olivia's Mine list drops it without a reload; her open conversation shows Bea has it.
    await row(olivia, "Ana Lima").waitFor({ state: "detached", ...WAIT });
    await olivia.getByText("Nothing assigned to you.").waitFor(WAIT);
    await expect.poll(() => pickedName(olivia), WAIT).toBe("Bea Agent");
    await assignToMe(olivia).waitFor(WAIT);
    await screenshot(olivia, "ui-assign-7-olivia-mine-dropped");
    expect((await parley.api("GET", `/api/conversations/${ana}`, { as: owner })).json.assignee).not.toBeNull();
  });

  it("assigns to a teammate, whose Mine list gains it live, and unassigns back into Unassigned", async () => {
    await assigneeFilter(olivia, "All").click();
    await row(olivia, "Bruno Costa").click();
    await olivia.getByRole("heading", { name: "Bruno Costa" }).first().waitFor(WAIT);
    await picker(olivia).selectOption({ label: "Bea Agent" });
    await olivia.getByText("Assigned to Bea Agent.").waitFor(WAIT);
    await row(olivia, "Bruno Costa").getByText("Assigned to Bea Agent").waitFor(WAIT);
    await row(olivia, "Ana Lima").getByText("Assigned to Bea Agent").waitFor(WAIT);

    // Bea is on Mine, looking at Ana: Bruno joins her list live.
    await row(bea, "Bruno Costa").getByText("Assigned to You").waitFor(WAIT);
    await screenshot(bea, "ui-assign-8-bea-mine-gains");

    await assigneeFilter(bea, "Unassigned").click();
    await bea.getByText("Every open conversation has an assignee.").waitFor(WAIT);
    await picker(olivia).selectOption({ label: "Unassigned" });
    await olivia.getByText("Unassigned.", { exact: true }).waitFor(WAIT);
    await row(bea, "Bruno Costa").waitFor(WAIT);
    expect(await row(bea, "Bruno Costa").getByText("Assigned to").count()).toBe(0);
    await assignToMe(olivia).waitFor(WAIT);
    await screenshot(bea, "ui-assign-9-bea-unassigned-gains");
  });

  it("shows the server's refusal for a teammate disabled since, and keeps the conversation's assignee", async () => {
    const disabled = await parley.api("PATCH", `/api/users/${calId}`, { as: owner, body: { disabled: true } });
    expect(disabled.status).toBe(200);
    // Olivia's picker was filled before Cal left: choosing Cal is refused by the server.
    await picker(olivia).selectOption({ label: "Cal Leaver" });
    await olivia.getByText("Cal Leaver can no longer sign in: choose another teammate.").waitFor(WAIT);
    await expect.poll(() => pickedName(olivia), WAIT).toBe("Unassigned");
    // The refusal refreshes the team: Cal is no longer offered.
    await expect.poll(() => picker(olivia).locator("option").allTextContents(), WAIT).toEqual(["Unassigned", "You (Olivia Owner)", "Bea Agent"]);
    expect((await parley.api("GET", `/api/conversations/${bruno}`, { as: owner })).json.assignee).toBeNull();
    await screenshot(olivia, "ui-assign-10-refused");
  });

  it("fits a 360 px wide phone: the filters in the list, the picker in the conversation's header", async () => {
    await olivia.setViewportSize({ width: 360, height: 740 });
    const overflow = () => olivia.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    await olivia.goto(`${parley.url}/inbox?assignee=none`);
    await row(olivia, "Bruno Costa").waitFor(WAIT);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot(olivia, "ui-assign-11-360-list");
    await row(olivia, "Bruno Costa").click();
    await expect.poll(() => pickedName(olivia), WAIT).toBe("Unassigned");
    await assignToMe(olivia).click();
    await expect.poll(() => pickedName(olivia), WAIT).toBe("You (Olivia Owner)");
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot(olivia, "ui-assign-12-360-conversation");
    // Back in the Unassigned list, the conversation just taken is gone.
    await olivia.getByRole("link", { name: "← Inbox" }).click();
    await olivia.getByText("Every open conversation has an assignee.").waitFor(WAIT);
  });

  it("keeps a teammate's assignment made while its own answer to opening the conversation was on the way", async () => {
    await olivia.setViewportSize({ width: 1280, height: 800 });
    const carla = await parley.visitorWrites("Are you open on Sundays?", { email: "carla@example.com", fullName: "Carla Dias" });
    await olivia.goto(`${parley.url}/inbox`);
    await row(olivia, "Carla Dias").waitFor(WAIT);
    // Opening it marks it read: the server answers (nobody has it), and that answer is held back.
    const read = await holdAnswer<{ assignee: string | null }>(olivia, (url) => url.pathname === `/api/conversations/${carla}/read`);
    await row(olivia, "Carla Dias").click();
    expect((await read.answered).assignee).toBeNull();
    // Meanwhile Bea is given it; Olivia's feed tells her.
    await assignToBea(carla);
    await expect.poll(() => pickedName(olivia), WAIT).toBe("Bea Agent");
    await row(olivia, "Carla Dias").getByText("Assigned to Bea Agent").waitFor(WAIT);

    // The older answer arrives last: it must not undo what the feed told.
    await read.deliver();
    expect(await pickedName(olivia)).toBe("Bea Agent");
    expect(await row(olivia, "Carla Dias").getByText("Assigned to Bea Agent").count()).toBe(1);
    await screenshot(olivia, "ui-assign-13-older-answer");
  });

  it("keeps to the feed when the conversation it opens comes back older than the feed's news", async () => {
    const eva = await parley.visitorWrites("Do you gift-wrap?", { email: "eva@example.com", fullName: "Eva Moura" });
    // Read already (by a teammate): opening it asks the server for nothing more than the conversation.
    expect((await parley.api("POST", `/api/conversations/${eva}/read`, { as: owner })).status).toBe(200);
    await row(olivia, "Eva Moura").waitFor(WAIT);
    const opened = await holdAnswer<{ assignee: string | null; unread: boolean }>(olivia, (url) => url.pathname === `/api/conversations/${eva}`);
    await row(olivia, "Eva Moura").click();
    expect(await opened.answered).toMatchObject({ assignee: null, unread: false });
    // Bea is given it while that answer is on its way; the feed shows it in the open conversation.
    await assignToBea(eva);
    await expect.poll(() => pickedName(olivia), WAIT).toBe("Bea Agent");

    await opened.deliver();
    expect(await pickedName(olivia)).toBe("Bea Agent");
    expect(await row(olivia, "Eva Moura").getByText("Assigned to Bea Agent").count()).toBe(1);
  });

  it("keeps to the feed when a list it filters comes back older than the feed's news", async () => {
    const dan = await parley.visitorWrites("Can I change my delivery address?", { email: "dan@example.com", fullName: "Dan Reis" });
    await olivia.goto(`${parley.url}/inbox`);
    await row(olivia, "Dan Reis").waitFor(WAIT);
    // The Unassigned list is read by the server (Dan is in it) and held back on its way.
    const unassigned = await holdAnswer<{ items: { id: string }[] }>(olivia, (url) => url.pathname === "/api/conversations" && url.searchParams.get("assignee") === "none");
    await assigneeFilter(olivia, "Unassigned").click();
    expect((await unassigned.answered).items.map((c) => c.id)).toContain(dan);
    // Meanwhile Bea is given Dan's conversation: Olivia's feed tells her, and it leaves Unassigned.
    await assignToBea(dan);
    await row(olivia, "Dan Reis").waitFor({ state: "detached", ...WAIT });

    // The list arrives, Bruno (Olivia's) gone from it: Dan stays out, as the feed said.
    await unassigned.deliver();
    await row(olivia, "Bruno Costa").waitFor({ state: "detached", ...WAIT });
    expect(await row(olivia, "Dan Reis").count()).toBe(0);
    await screenshot(olivia, "ui-assign-14-older-list");
  });
});

/** The admin gives the conversation to Bea (Olivia's page hears of it from the feed). */
async function assignToBea(id: string) {
  expect((await parley.api("PUT", `/api/conversations/${id}/assignee`, { as: owner, body: { userId: beaId } })).status).toBe(200);
}
