// Internal notes end to end, in Chromium: an agent switches the composer to Note and writes one;
// it shows in the thread as a note (to a second agent too, live), while the visitor chatting
// through the widget on another website never sees it, nor the agent typing it, even after a reload.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { hostPage, openBrowser, OWNER, screenshot, startParley, widgetSnippet, type Parley, type TestBrowser } from "./harness";

const PORT = 8835;
const SAM = { email: "sam@parley.test", password: "sam's password", name: "Sam Agent" };
const WAIT = { timeout: 15_000 };
const NOTE = "Customer is a VIP, offer free shipping";
const REPLY = "Good news, Ana: shipping is on us for this order.";
const NOTE_BOX = "Write an internal note (only your team sees it)";

let parley: Parley;
let browser: TestBrowser;
let host: Awaited<ReturnType<typeof hostPage>>;
let owner: Page; // Olivia, writing the note
let sam: Page; // Sam, another agent with the same conversation open
let visitor: Page; // Ana, on the customer's website

const conversations = (page: Page) => page.getByRole("region", { name: "Conversations" });
const row = (page: Page, name: string): Locator => conversations(page).getByRole("link").filter({ hasText: name });
const thread = (page: Page) => page.getByRole("log", { name: "Messages" });
const composer = (page: Page, name: "Reply" | "Note") => page.getByRole("form", { name, exact: true });
const modeButton = (page: Page, name: "Reply" | "Note") => page.getByRole("group", { name: "Write" }).getByRole("button", { name, exact: true });
const widgetLog = (page: Page) => page.getByRole("log", { name: "Messages" });

async function openConversation(page: Page, name: string, text: string) {
  await row(page, name).click();
  await thread(page).getByText(text).waitFor(WAIT);
}

beforeAll(async () => {
  parley = await startParley({ port: PORT });
  const session = await parley.signUpOwner();
  const created = await parley.api("POST", "/api/users", { as: session, body: { ...SAM, role: "agent" } });
  if (created.status !== 201) throw new Error(`could not add Sam: ${created.status} ${JSON.stringify(created.json)}`);
  browser = await openBrowser();
  host = await hostPage(widgetSnippet(parley.url));
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await parley?.stop();
});

describe("internal notes", () => {
  it("lets the visitor chat from the website while two agents open the conversation", async () => {
    visitor = await browser.newPage({ width: 420 });
    await visitor.goto(host.url);
    await visitor.getByRole("button", { name: "Open chat" }).click();
    await visitor.getByLabel("Email").fill("ana@example.com");
    await visitor.getByLabel("Full name").fill("Ana Lima");
    await visitor.getByRole("button", { name: "Start chat" }).click();
    await visitor.getByRole("textbox", { name: "Message" }).fill("Hi, how much is shipping to Lisbon?");
    await visitor.getByRole("button", { name: "Send" }).click();
    await widgetLog(visitor).getByText("how much is shipping").waitFor(WAIT);

    owner = await browser.newPage();
    await parley.signIn(owner, OWNER);
    await openConversation(owner, "Ana Lima", "Hi, how much is shipping to Lisbon?");
    sam = await browser.newPage();
    await parley.signIn(sam, SAM);
    await openConversation(sam, "Ana Lima", "Hi, how much is shipping to Lisbon?");

    // The composer starts on Reply, with the channel to answer on.
    await expect.poll(() => modeButton(owner, "Reply").getAttribute("aria-pressed"), WAIT).toBe("true");
    expect(await modeButton(owner, "Note").getAttribute("aria-pressed")).toBe("false");
    await expect.poll(() => composer(owner, "Reply").getByLabel("Channel").inputValue(), WAIT).toBe("chat");
  });

  it("switches the composer to Note: no channel, a sticky-note box, an Add note button", async () => {
    await modeButton(owner, "Note").click();
    const form = composer(owner, "Note");
    await form.waitFor(WAIT);
    expect(await modeButton(owner, "Note").getAttribute("aria-pressed")).toBe("true");
    expect(await modeButton(owner, "Reply").getAttribute("aria-pressed")).toBe("false");
    expect(await form.getByLabel("Channel").count()).toBe(0);
    const box = form.getByRole("textbox", { name: NOTE_BOX });
    expect(await box.getAttribute("placeholder")).toBe(NOTE_BOX);
    expect(await form.getByRole("button", { name: "Add note" }).isDisabled()).toBe(true);
    expect(await form.getByRole("button", { name: "Send" }).count()).toBe(0);
    // Tinted like a sticky note, unlike the reply box.
    const tint = await box.evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(tint).not.toBe("rgb(255, 255, 255)");

    // Writing a note does not tell the visitor the agent is typing.
    await box.pressSequentially(NOTE, { delay: 15 });
    await owner.waitForTimeout(1500);
    expect(await visitor.getByText("is typing").count()).toBe(0);
    await screenshot(owner, "ui-notes-composer-note-1280");
  });

  it("adds the note with Ctrl+Enter: the thread shows it as a note, and the composer stays on Note", async () => {
    const form = composer(owner, "Note");
    await form.getByRole("textbox", { name: NOTE_BOX }).press("Control+Enter");

    const note = thread(owner).getByRole("listitem", { name: "Note by Olivia Owner" });
    await note.getByText(NOTE).waitFor(WAIT);
    await note.getByText("Note", { exact: true }).waitFor(WAIT);
    // Never sent: no channel, no delivery status.
    expect(await note.getByText("Web Chat").count()).toBe(0);
    expect(await note.getByText(/^(Sent|Delivered|Sending…|Not delivered)$/).count()).toBe(0);
    expect(await note.evaluate((el) => getComputedStyle(el).alignSelf)).toBe("flex-end");

    await expect.poll(() => form.getByRole("textbox", { name: NOTE_BOX }).inputValue(), WAIT).toBe("");
    expect(await modeButton(owner, "Note").getAttribute("aria-pressed")).toBe("true");
    await screenshot(owner, "ui-notes-added-1280");
  });

  it("shows the note live to a second agent, without making it the conversation's preview", async () => {
    const note = thread(sam).getByRole("listitem", { name: "Note by Olivia Owner" });
    await note.getByText(NOTE).waitFor(WAIT);
    await row(sam, "Ana Lima").getByText("how much is shipping").waitFor(WAIT);
    expect(await row(sam, "Ana Lima").getByText("VIP").count()).toBe(0);
    await screenshot(sam, "ui-notes-second-agent-1280");
  });

  it("never shows the note to the visitor, who does see the agent's reply", async () => {
    await modeButton(owner, "Reply").click();
    const form = composer(owner, "Reply");
    await expect.poll(() => form.getByLabel("Channel").inputValue(), WAIT).toBe("chat");
    const box = form.getByRole("textbox", { name: "Reply" });
    await box.fill(REPLY);
    await box.press("Control+Enter");
    await thread(owner).getByText(REPLY).waitFor(WAIT);
    // The reply is a plain message: with its channel, not a note.
    const reply = thread(owner).getByRole("listitem").filter({ hasText: REPLY });
    await reply.getByText("Web Chat").waitFor(WAIT);
    expect(await thread(owner).getByRole("listitem", { name: "Note by Olivia Owner" }).count()).toBe(1);

    await widgetLog(visitor).getByText(REPLY).waitFor(WAIT);
    const seen = await widgetLog(visitor).textContent();
    expect(seen).toContain("how much is shipping");
    expect(seen).not.toContain("VIP");
    expect(seen).not.toContain("free shipping");
    await screenshot(visitor, "ui-notes-visitor-420");
    await screenshot(owner, "ui-notes-after-reply-1280");
  });

  it("still keeps the note from the visitor after they reload the page", async () => {
    await visitor.reload();
    const open = visitor.getByRole("button", { name: "Open chat" });
    await Promise.race([open.waitFor(WAIT), widgetLog(visitor).getByText(REPLY).waitFor(WAIT)]);
    if (await open.isVisible()) await open.click();
    await widgetLog(visitor).getByText(REPLY).waitFor(WAIT);
    const seen = await widgetLog(visitor).textContent();
    expect(seen).toContain("how much is shipping");
    expect(seen).not.toContain("VIP");
    expect(seen).not.toContain("free shipping");
    await screenshot(visitor, "ui-notes-visitor-reloaded-420");
  });
});
