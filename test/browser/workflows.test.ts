// Workflows in Chromium: an admin adds the "ask for email" template in Settings, adds and moves a
// step, rewrites the greeting and keeps it to chat; the server's refusals (an empty message, a
// branch moved behind its target) show at the step and save nothing. Then a visitor on a customer's
// website is greeted by the bot, and the agent sees the run beside the conversation: what it did,
// line by line, and, live, that it stopped when the agent replied.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { hostPage, openBrowser, OWNER, screenshot, startParley, widgetSnippet, type Parley, type Session, type TestBrowser } from "./harness";

const PORT = 8875;
const WAIT = { timeout: 15_000 };
const TEMPLATE = "Welcome message and ask for email";
const GREETING = "Hello from Acme! A teammate will be with you in a minute.";
const QUESTION = "So we can follow up if we get cut off, what is your email address?";

let parley: Parley;
let browser: TestBrowser;
let owner: Session;
let admin: Page;
let host: Awaited<ReturnType<typeof hostPage>>;
let workflowId: string;

const panel = () => admin.getByRole("tabpanel", { name: "Workflows" });
const card = (name: string) => panel().getByRole("region", { name, exact: true });
const editor = () => panel().getByRole("form", { name: /^(Edit workflow|New workflow)/ });
/** The step's fieldset, by its place: "Step 2: Branch". */
const step = (n: number) => editor().getByRole("group", { name: new RegExp(`^Step ${n}:`) });
const legends = () => editor().locator("fieldset.step-form > legend").allTextContents();
const chosen = (select: Locator) => select.locator("option:checked").textContent();
const stored = async () => (await parley.api("GET", `/api/workflows/${workflowId}`, { as: owner })).json;
const thread = (page: Page) => page.getByRole("log", { name: "Messages" });
const automation = (page: Page) => page.getByRole("complementary", { name: "Automation" });

/** The app scrolls inside <main>: a page as tall as what it holds, for a screenshot of all of it. */
async function wholeMain(page: Page, name: string) {
  const size = page.viewportSize()!;
  const height = await page.locator("main").evaluate((el) => el.scrollHeight + el.getBoundingClientRect().top);
  await page.setViewportSize({ width: size.width, height: Math.ceil(height) });
  await screenshot(page, name);
  await page.setViewportSize(size);
}

/** The column beside the thread, all of it. */
async function wholeSide(page: Page, name: string) {
  const side = page.locator(".conversation-side");
  const size = page.viewportSize()!;
  const extra = await side.evaluate((el) => el.scrollHeight - el.clientHeight);
  await page.setViewportSize({ width: size.width, height: size.height + Math.max(0, extra) });
  await screenshot(page, name);
  await page.setViewportSize(size);
}

beforeAll(async () => {
  parley = await startParley({ port: PORT });
  owner = await parley.signUpOwner();
  browser = await openBrowser();
  admin = await browser.newPage();
  // Delete asks to confirm.
  admin.on("dialog", (dialog) => dialog.accept());
  await parley.signIn(admin, OWNER);
  host = await hostPage(widgetSnippet(parley.url));
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await parley?.stop();
});

describe("Settings → Workflows", () => {
  it("adds the email template, enabled on every channel, and lists its steps", async () => {
    await admin.goto(`${parley.url}/settings`);
    await admin.getByRole("tab", { name: "Workflows" }).click(WAIT);
    await panel().getByText("No workflows yet").waitFor(WAIT);
    await panel()
      .getByRole("button", { name: `Use template: ${TEMPLATE}` })
      .click();

    await card(TEMPLATE).waitFor(WAIT);
    expect(await card(TEMPLATE).getByRole("listitem").allTextContents()).toEqual([
      "Message: Hi! Thanks for getting in…",
      "Branch: If email is set",
      "Ask: So we can follow up if we…",
      "Assign: Round-robin",
    ]);
    for (const channel of ["Web Chat", "Messenger", "SMS"]) await card(TEMPLATE).getByText(channel, { exact: true }).waitFor(WAIT);
    expect(await card(TEMPLATE).getByRole("switch", { name: "Enabled" }).isChecked()).toBe(true);
    await card(TEMPLATE).getByText("Version 1").waitFor(WAIT);

    const { items } = (await parley.api("GET", "/api/workflows", { as: owner })).json;
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ name: TEMPLATE, enabled: true, version: 1, trigger: { channels: ["chat", "messenger", "sms"] } });
    workflowId = items[0].id;
  });

  it("edits it: a tag step added and moved up, the greeting rewritten, chat only; a reload shows the saved version", async () => {
    await card(TEMPLATE).getByRole("button", { name: "Edit" }).click();
    await editor().waitFor(WAIT);
    expect(new URL(admin.url()).pathname).toBe(`/settings/workflows/${workflowId}`);
    expect(await legends()).toEqual(["Step 1: Message", "Step 2: Branch", "Step 3: Ask", "Step 4: Assign"]);
    expect(await step(1).getByLabel("Message", { exact: true }).inputValue()).toMatch(/^Hi! Thanks for getting in touch/);
    expect(await chosen(step(2).getByLabel("If the contact's"))).toBe("Email");
    expect(await chosen(step(2).getByLabel("Condition"))).toBe("is set");
    // A branch goes forward only: its choices are the steps after it, and the end.
    expect(await step(2).getByLabel("Then go to").locator("option").allTextContents()).toEqual(["3. Ask: So we can follow up if we…", "4. Assign: Round-robin", "End"]);
    expect(await chosen(step(2).getByLabel("Then go to"))).toBe("4. Assign: Round-robin");
    expect(await chosen(step(3).getByLabel("Answer expected"))).toBe("An email address");
    expect(await chosen(step(4).getByLabel("Assign to"))).toBe("Round-robin among online teammates");

    await editor().getByRole("button", { name: "Add step" }).click();
    await step(5).getByLabel("Type").selectOption({ label: "Tag the contact" });
    await step(5).getByLabel("Tag", { exact: true }).fill("website-chat");
    await step(5).getByRole("button", { name: "Move up" }).click();
    expect(await legends()).toEqual(["Step 1: Message", "Step 2: Branch", "Step 3: Ask", "Step 4: Tag", "Step 5: Assign"]);
    // The focus follows the step it moved.
    expect(
      await step(4)
        .getByRole("button", { name: "Move up" })
        .evaluate((b) => b === document.activeElement),
    ).toBe(true);
    expect(await chosen(step(2).getByLabel("Then go to"))).toBe("5. Assign: Round-robin");

    await step(1).getByLabel("Message", { exact: true }).fill(GREETING);
    await editor().getByLabel("Messenger", { exact: true }).uncheck();
    await editor().getByLabel("SMS", { exact: true }).uncheck();
    await editor().getByText("Unsaved changes").waitFor(WAIT);
    await screenshot(admin, "workflows-1-editor");
    await wholeMain(admin, "workflows-1-editor-whole");
    await editor().getByRole("button", { name: "Save workflow" }).click();
    await editor().getByText("Version 2").waitFor(WAIT);
    await editor()
      .getByText("Unsaved changes")
      .waitFor({ state: "detached", ...WAIT });

    const saved = await stored();
    expect(saved).toMatchObject({ version: 2, enabled: true, trigger: { channels: ["chat"] } });
    expect(saved.steps.map((s: any) => s.type)).toEqual(["message", "branch", "ask", "tag", "assign"]);
    expect(saved.steps[0].body).toBe(GREETING);
    expect(saved.steps[1]).toMatchObject({ id: "known", goTo: "assign" });
    expect(saved.steps[3]).toMatchObject({ type: "tag", tag: "website-chat" });

    await admin.reload();
    await editor().waitFor(WAIT);
    await expect.poll(legends, WAIT).toEqual(["Step 1: Message", "Step 2: Branch", "Step 3: Ask", "Step 4: Tag", "Step 5: Assign"]);
    expect(await step(1).getByLabel("Message", { exact: true }).inputValue()).toBe(GREETING);
    expect(await step(4).getByLabel("Tag", { exact: true }).inputValue()).toBe("website-chat");
    expect(await editor().getByLabel("Chat", { exact: true }).isChecked()).toBe(true);
    expect(await editor().getByLabel("Messenger", { exact: true }).isChecked()).toBe(false);
    expect(await editor().getByLabel("SMS", { exact: true }).isChecked()).toBe(false);
  });

  it("shows the server's refusal at the step, and saves nothing: an empty message, then a branch moved behind its target", async () => {
    await step(1).getByLabel("Message", { exact: true }).fill("");
    await editor().getByRole("button", { name: "Save workflow" }).click();
    await step(1).getByRole("alert").getByText("Write something.").waitFor(WAIT);
    expect(await step(1).getAttribute("class")).toContain("invalid");
    await editor().locator(".editor-save").getByRole("alert").getByText("Not saved. Step 1: Write something.").waitFor(WAIT);
    expect(await step(2).getByRole("alert").count()).toBe(0);
    await screenshot(admin, "workflows-2-refused-empty");
    expect((await stored()).version).toBe(2);

    // Writing in the step takes its complaint away.
    await step(1).getByLabel("Message", { exact: true }).fill(GREETING);
    expect(await step(1).getByRole("alert").count()).toBe(0);

    // The Assign step, which the branch goes to, moved up before the branch.
    await step(5).getByRole("button", { name: "Move up" }).click();
    await step(4).getByRole("button", { name: "Move up" }).click();
    await step(3).getByRole("button", { name: "Move up" }).click();
    expect(await legends()).toEqual(["Step 1: Message", "Step 2: Assign", "Step 3: Branch", "Step 4: Ask", "Step 5: Tag"]);
    // The choice stays what it was, said to be behind, rather than changing by itself.
    expect(await chosen(step(3).getByLabel("Then go to"))).toBe("2. Assign: Round-robin (not after this step)");
    await step(3).getByText("A branch can only go to a later step or the end").waitFor(WAIT);
    await editor().getByRole("button", { name: "Save workflow" }).click();
    await step(3).getByRole("alert").getByText("A branch goes to a later step, or to the end.").waitFor(WAIT);
    expect(await step(3).getAttribute("class")).toContain("invalid");
    await screenshot(admin, "workflows-3-refused-branch");

    const unchanged = await stored();
    expect(unchanged.version).toBe(2);
    expect(unchanged.steps.map((s: any) => s.id)).toEqual(["welcome", "known", "ask", "step-5", "assign"]);
    expect(unchanged.steps[0].body).toBe(GREETING);

    // A reload drops what was not saved.
    await admin.reload();
    await expect.poll(legends, WAIT).toEqual(["Step 1: Message", "Step 2: Branch", "Step 3: Ask", "Step 4: Tag", "Step 5: Assign"]);
  });

  it("turns a workflow off and on from the list, builds one from scratch, and deletes it", async () => {
    await editor().getByRole("button", { name: "Back to workflows" }).click();
    const toggle = card(TEMPLATE).getByRole("switch", { name: "Enabled" });
    await toggle.uncheck(WAIT);
    await expect.poll(async () => (await stored()).enabled, WAIT).toBe(false);
    await toggle.check();
    await expect.poll(async () => (await stored()).enabled, WAIT).toBe(true);
    expect(await card(TEMPLATE).getByRole("listitem").allTextContents()).toEqual([
      "Message: Hello from Acme! A teammate…",
      "Branch: If email is set",
      "Ask: So we can follow up if we…",
      "Tag: website-chat",
      "Assign: Round-robin",
    ]);

    await panel().getByRole("button", { name: "New workflow" }).click();
    await editor().waitFor(WAIT);
    await editor().getByLabel("Name", { exact: true }).fill("After hours");
    await editor().getByLabel("Chat", { exact: true }).uncheck();
    await editor().getByLabel("SMS", { exact: true }).check();
    await step(1).getByLabel("Message", { exact: true }).fill("We're closed; we answer from 9 tomorrow.");
    await editor().getByRole("button", { name: "Add step" }).click();
    await step(2).getByLabel("Type").selectOption({ label: "Wait" });
    await step(2).getByLabel("Wait (minutes)").fill("30");
    await editor().getByRole("button", { name: "Add step" }).click();
    await step(3).getByLabel("Type").selectOption({ label: "Mark the conversation complete" });
    await editor().getByRole("button", { name: "Save workflow" }).click();
    await admin.getByRole("form", { name: "Edit workflow After hours" }).waitFor(WAIT);

    const { items } = (await parley.api("GET", "/api/workflows", { as: owner })).json;
    expect(items).toHaveLength(2);
    const after = items[1];
    expect(after).toMatchObject({ name: "After hours", enabled: true, version: 1, trigger: { channels: ["sms"] } });
    expect(after.steps.map((s: any) => s.type)).toEqual(["message", "wait", "complete"]);
    expect(after.steps[1].minutes).toBe(30);
    expect(new URL(admin.url()).pathname).toBe(`/settings/workflows/${after.id}`);

    await editor().getByRole("button", { name: "Back to workflows" }).click();
    await card("After hours").getByText("Wait: 30 min").waitFor(WAIT);
    await wholeMain(admin, "workflows-0-list");
    await card("After hours").getByRole("button", { name: "Delete" }).click();
    await card("After hours").waitFor({ state: "detached", ...WAIT });
    expect((await parley.api("GET", "/api/workflows", { as: owner })).json.items.map((w: any) => w.name)).toEqual([TEMPLATE]);
  });
});

describe("a workflow in a conversation", () => {
  it("greets the visitor in the widget; the agent sees the run's log and the bot's message", async () => {
    const visitor = await browser.newPage({ width: 420 });
    await visitor.goto(host.url);
    await visitor.getByRole("button", { name: "Open chat" }).click();
    await visitor.getByLabel("Email").fill("ana@example.com");
    await visitor.getByLabel("Full name").fill("Ana Lima");
    await visitor.getByRole("button", { name: "Start chat" }).click();
    await visitor.getByRole("textbox", { name: "Message" }).fill("Hi, do you ship to Lisbon?");
    await visitor.getByRole("button", { name: "Send" }).click();
    await thread(visitor).getByText(GREETING).waitFor(WAIT);
    // Ana gave her email in the form: the workflow does not ask for it.
    expect(await thread(visitor).getByText(QUESTION).count()).toBe(0);
    await screenshot(visitor, "workflows-4-widget");

    await admin.goto(`${parley.url}/inbox`);
    await admin.getByRole("region", { name: "Conversations" }).getByRole("link").filter({ hasText: "Ana Lima" }).click();
    const run = automation(admin);
    await run.getByText("Finished").first().waitFor(WAIT);
    await run.getByRole("link", { name: TEMPLATE }).waitFor(WAIT);
    const log = run.getByRole("list", { name: "What the workflow did" });
    await expect.poll(() => log.getByRole("listitem").allTextContents(), WAIT).toContainEqual(expect.stringContaining("Finished."));
    const lines = await log.getByRole("listitem").allInnerTexts();
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringContaining(`Sent: "${GREETING}"`),
        expect.stringContaining('Has email: yes, so on to "assign".'),
        expect.stringMatching(/Assigned to Olivia Owner \(round-robin\)\.|No teammate is online/),
      ]),
    );
    // The branch went past the ask and the tag, straight to the assignment.
    expect(lines.filter((l) => /Tagged|Asked|So we can follow up/.test(l))).toEqual([]);
    // Each line with its time.
    expect(await log.getByRole("listitem").first().locator("time").count()).toBe(1);

    const greeting = thread(admin).locator(".message.bot").filter({ hasText: GREETING });
    await greeting.getByText("Bot", { exact: true }).waitFor(WAIT);
    const looks = await greeting.evaluate((el) => getComputedStyle(el).backgroundColor);
    const visitorLooks = await thread(admin)
      .locator(".message.in")
      .first()
      .evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(looks).not.toBe(visitorLooks);
    await screenshot(admin, "workflows-5-conversation");
    await wholeSide(admin, "workflows-5-conversation-side");
    await visitor.close();
  });

  it("shows a run asking an anonymous visitor, then, live, that it stopped when the agent replied", async () => {
    const id = await parley.visitorWrites("Hello? Anyone there?");
    await admin.goto(`${parley.url}/inbox/${id}`);
    const run = automation(admin);
    await run
      .locator(".run-status")
      .getByText(/^Asking, moves on without an answer at/)
      .waitFor(WAIT);
    const log = run.getByRole("list", { name: "What the workflow did" });
    await log.getByText("Has email: no.").waitFor(WAIT);
    await log.getByText(`Sent: "${QUESTION.slice(0, 40)}`).waitFor(WAIT);
    await expect.poll(() => thread(admin).locator(".message.bot").count(), WAIT).toBe(2);
    await admin.getByRole("status").filter({ hasText: "Live" }).waitFor(WAIT);

    const box = admin.getByRole("form", { name: "Reply" }).getByRole("textbox", { name: "Reply" });
    await box.fill("Hi, I'm Olivia. How can I help?");
    await box.press("Control+Enter");
    // No reload: the room's run.updated frame brings it.
    await run.locator(".run-status").getByText("Stopped: Olivia Owner replied").waitFor(WAIT);
    await run.locator(".run-state").getByText("Stopped").waitFor(WAIT);
    await log.getByText("Stopped: Olivia Owner replied.").waitFor(WAIT);
    expect((await parley.api("GET", `/api/conversations/${id}/automation`, { as: owner })).json.run).toMatchObject({ status: "stopped", workflowId });
    await screenshot(admin, "workflows-6-stopped");
  });

  it("fits a 400 px wide phone: the run folds under the contact, and the editor's steps stack", async () => {
    await admin.setViewportSize({ width: 400, height: 800 });
    const overflow = () => admin.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    // Whether the panels start folded is decided as the conversation opens.
    await admin.reload();
    const run = automation(admin);
    await run.getByText("Stopped", { exact: true }).waitFor(WAIT);
    // Folded at first, like the contact: the thread keeps the room.
    expect(await run.getByRole("list", { name: "What the workflow did" }).isVisible()).toBe(false);
    await run.getByRole("heading", { name: "Automation" }).click();
    await run.getByRole("list", { name: "What the workflow did" }).getByText("Stopped: Olivia Owner replied.").waitFor(WAIT);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot(admin, "workflows-7-400-conversation");

    await admin.goto(`${parley.url}/settings/workflows/${workflowId}`);
    await step(3).waitFor(WAIT);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await step(3).scrollIntoViewIfNeeded();
    await screenshot(admin, "workflows-8-400-editor");
    await admin.setViewportSize({ width: 1280, height: 800 });
  });
});
