// Settings → Assistant in Chromium: the owner writes the FAQ, acknowledges that AI can be wrong,
// turns drafts on and picks a tone; then the composer's "Draft reply" answers from that FAQ. Then
// the owner chooses Workers AI (not bound locally, so the built-in assistant answers and says why),
// writes a brand kit and lists pages served by the test itself, one of them missing; drafts cite
// the page read, and "Summarize" adds the assistant's note, which the visitor's widget never shows.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { hostPage, openBrowser, OWNER, screenshot, startParley, widgetSnippet, type Parley, type Session, type TestBrowser } from "./harness";

const PORT = 8855;
const WAIT = { timeout: 15_000 };
const FAQ = [
  { question: "Can I return an item?", answer: "Yes: returns are free within 30 days of delivery." },
  { question: "How long does shipping take?", answer: "Orders arrive in 3 to 5 days." },
];

// A help page of the business's website: the Worker reads its title and paragraphs, not its nav or footer.
const HELP_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Acme gift cards</title></head><body>
<nav>Home · Shop · Help</nav>
<h1>Gift cards</h1>
<p>Acme gift cards never expire. They can be spent online and in every Acme shop, and what is left carries over to the next order.</p>
<p>A lost gift card can be replaced while you still have its number: write to us with it.</p>
<footer>© Acme Ltd</footer>
</body></html>`;
const MODEL = "@cf/meta/llama-3.2-3b-instruct";
const BRAND_KIT = "Acme sells running shoes online across Europe. We write like a friend who runs: short sentences, first names, no jargon.";
// Locally there is no Workers AI: wrangler.toml declares the binding, and local development has no model behind it.
const NO_BINDING = /Workers AI is not available here \(local development has no model\)\./;

let parley: Parley;
let browser: TestBrowser;
let owner: Session;
let page: Page;
let helpSite: Awaited<ReturnType<typeof hostPage>>;
let shop: Awaited<ReturnType<typeof hostPage>>;

beforeAll(async () => {
  parley = await startParley({ port: PORT });
  owner = await parley.signUpOwner();
  browser = await openBrowser();
  page = await browser.newPage();
  await parley.signIn(page, OWNER);
  helpSite = await hostPage(HELP_PAGE);
  shop = await hostPage(widgetSnippet(parley.url));
});

afterAll(async () => {
  await browser?.close();
  await helpSite?.stop();
  await shop?.stop();
  await parley?.stop();
});

const ai = async () => (await parley.api("GET", "/api/settings", { as: owner })).json.ai;

/** The whole Settings tab: the app scrolls inside <main>, so a full-page shot needs a tall window. */
async function tallScreenshot(name: string) {
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: size.width, height: 3000 });
  await screenshot(page, name);
  await page.setViewportSize(size);
}

describe("Settings → Assistant", () => {
  it("while drafts are off, the composer offers no Draft reply", async () => {
    const id = await parley.visitorWrites("Hi, the shoes don't fit, can I send them back?", { email: "rui@example.com", fullName: "Rui Costa" });
    await page.goto(`${parley.url}/inbox/${id}`);
    await page.getByRole("form", { name: "Reply" }).waitFor(WAIT);
    await page.getByRole("log", { name: "Messages" }).getByText("can I send them back?").waitFor(WAIT);
    expect(await page.getByRole("button", { name: "Draft reply" }).count()).toBe(0);
  });

  it("saves the FAQ, the acknowledgement, drafts and tone, and the composer then drafts from the FAQ", async () => {
    await page.goto(`${parley.url}/settings`);
    await page.getByRole("tab", { name: "Assistant" }).click(WAIT);
    const drafts = page.getByRole("switch", { name: "Draft replies" });
    await drafts.waitFor(WAIT);
    expect(await drafts.isDisabled()).toBe(true);

    // The FAQ: two pairs added, then saved.
    const add = page.getByRole("form", { name: "Add question" });
    for (const f of FAQ) {
      await add.getByLabel("New question").fill(f.question);
      await add.getByLabel("New answer").fill(f.answer);
      await add.getByRole("button", { name: "Add question" }).click();
    }
    await page.getByLabel("Question 2", { exact: true }).waitFor(WAIT);
    expect(await page.getByLabel("Answer 1", { exact: true }).inputValue()).toBe(FAQ[0]!.answer);
    await page.getByRole("button", { name: "Save FAQ" }).click();
    await expect.poll(async () => (await ai()).faq, WAIT).toEqual(FAQ);

    // The acknowledgement enables the switch; drafts on.
    await page.getByLabel("I understand AI can be wrong and that agents check every draft before sending it").check();
    await expect.poll(async () => (await ai()).acknowledged, WAIT).toBe(true);
    await expect.poll(() => drafts.isEnabled(), WAIT).toBe(true);
    await drafts.check();
    await expect.poll(async () => (await ai()).drafts, WAIT).toBe(true);

    await page.getByLabel("Tone").selectOption({ label: "Professional" });
    await expect.poll(async () => (await ai()).role, WAIT).toBe("professional");
    await screenshot(page, "ui-assistant-settings-1-saved");

    // A reload shows what is stored.
    await page.reload();
    await page.getByLabel("Question 2", { exact: true }).waitFor(WAIT);
    expect(await page.getByLabel("Question 2", { exact: true }).inputValue()).toBe(FAQ[1]!.question);
    expect(await page.getByRole("switch", { name: "Draft replies" }).isChecked()).toBe(true);
    expect(await page.getByLabel("Tone").inputValue()).toBe("professional");
    await screenshot(page, "ui-assistant-settings-0-reloaded");

    // A widget chat, and the composer's Draft reply fills in the FAQ's answer.
    const id = await parley.visitorWrites("can I return an item?");
    await page.goto(`${parley.url}/inbox/${id}`);
    await page.getByRole("log", { name: "Messages" }).getByText("can I return an item?").waitFor(WAIT);
    await page.getByRole("button", { name: "Draft reply" }).click(WAIT);
    const box = page.getByRole("textbox", { name: "Reply" });
    await expect.poll(() => box.inputValue(), WAIT).toContain(FAQ[0]!.answer);
    // Its source is named, and nothing goes out until the agent sends it.
    await page.getByText("Draft from the FAQ “Can I return an item?”. Check it before sending.").waitFor(WAIT);
    await page.getByText("Drafted by the built-in assistant.").waitFor(WAIT);
    expect(await page.getByText("Drafted by the built-in assistant:").count()).toBe(0);
    expect((await parley.api("GET", `/api/conversations/${id}/messages`, { as: owner })).json.items).toHaveLength(1);
    await screenshot(page, "ui-assistant-settings-2-drafted");
  });

  it("withdrawing the acknowledgement turns drafts off", async () => {
    await page.goto(`${parley.url}/settings/assistant`);
    const ack = page.getByLabel("I understand AI can be wrong and that agents check every draft before sending it");
    await ack.uncheck(WAIT);
    await expect.poll(async () => (await ai()).drafts, WAIT).toBe(false);
    await expect.poll(() => page.getByRole("switch", { name: "Draft replies" }).isDisabled(), WAIT).toBe(true);
    expect(await page.getByRole("switch", { name: "Draft replies" }).isChecked()).toBe(false);
  });
});

describe("Settings → Assistant: model, brand kit, pages and summaries", () => {
  const section = (name: string) => page.getByRole("region", { name, exact: true });
  const pageRow = (text: string | RegExp) => page.getByRole("list", { name: "What the assistant read" }).getByRole("listitem").filter({ hasText: text });

  it("an admin chooses Workers AI and a model, writes the brand kit, lists pages and sees what was read of each", async () => {
    await page.goto(`${parley.url}/settings/assistant`);
    const model = section("Model");
    await model.getByText("Whenever the model fails or is slow, the built-in assistant answers instead").waitFor(WAIT);
    expect(await page.getByText(/still to come|are coming/i).count()).toBe(0);
    expect(await model.getByLabel("Built-in assistant (no model; answers from your FAQ and pages)").isChecked()).toBe(true);
    expect(await model.getByLabel("Model", { exact: true }).count()).toBe(0);

    // The endpoint's fields show only for it, and each kind of model keeps its own name.
    await model.getByLabel("OpenAI-compatible endpoint").check();
    expect(await model.getByLabel("API base URL").inputValue()).toBe("https://api.openai.com/v1");
    await model.getByLabel("API key").waitFor(WAIT);
    expect(await model.getByLabel("Model", { exact: true }).inputValue()).toBe("");
    await model.getByLabel("Workers AI").check();
    expect(await model.getByLabel("API base URL").count()).toBe(0);
    const name = model.getByLabel("Model", { exact: true });
    expect(await name.inputValue()).toBe("@cf/meta/llama-3.1-8b-instruct");
    await model.getByText("A Workers AI catalogue name such as @cf/meta/llama-3.1-8b-instruct").waitFor(WAIT);
    await name.fill("llama-3");
    await model.getByRole("button", { name: "Save model" }).click();
    await model.getByRole("alert").getByText("starts with @cf/ or @hf/").waitFor(WAIT);
    await name.fill(MODEL);
    await model.getByRole("button", { name: "Save model" }).click();
    await expect.poll(async () => [(await ai()).provider, (await ai()).model], WAIT).toEqual(["workers-ai", MODEL]);
    expect(await model.getByRole("alert").count()).toBe(0);

    // The brand kit, counted as it is typed.
    const kit = section("Brand kit");
    await kit.getByRole("textbox", { name: "Brand kit" }).fill(BRAND_KIT);
    await kit.getByText(`${BRAND_KIT.length} / 4000 characters`).waitFor(WAIT);
    await kit.getByRole("button", { name: "Save brand kit" }).click();
    await expect.poll(async () => (await ai()).brandKit, WAIT).toBe(BRAND_KIT);

    // The server's refusal names the row it means.
    const pages = section("Pages");
    await pages.getByLabel("Page 1", { exact: true }).fill("not a web address");
    await pages.getByRole("button", { name: "Save pages" }).click();
    await pages
      .getByRole("alert")
      .getByText(/^Not saved\. Page 1: /)
      .waitFor(WAIT);
    expect(await pages.getByLabel("Page 1", { exact: true }).getAttribute("aria-invalid")).toBe("true");
    expect((await ai()).urls).toEqual([]);

    // Rows up to three; one page served here, one that is not there.
    const missing = `${helpSite.url}gone`;
    await pages.getByLabel("Page 1", { exact: true }).fill(helpSite.url);
    await pages.getByRole("button", { name: "Add a page" }).click();
    await pages.getByLabel("Page 2", { exact: true }).fill(missing);
    await pages.getByRole("button", { name: "Add a page" }).click();
    await pages.getByLabel("Page 3", { exact: true }).fill("https://example.com/unwanted");
    expect(await pages.getByRole("button", { name: "Add a page" }).isDisabled()).toBe(true);
    await pages.getByRole("button", { name: "Remove page 3" }).click();
    expect(await pages.getByLabel("Page 3", { exact: true }).count()).toBe(0);
    await pages.getByRole("button", { name: "Save pages" }).click();
    await expect.poll(async () => (await ai()).urls, WAIT).toEqual([helpSite.url, missing]);

    // Read in the background: the statuses come as the tab asks again.
    const read = pageRow("Acme gift cards");
    await read.getByText(/^\d+ passages?, read /).waitFor({ timeout: 30_000 });
    expect(await read.getByRole("link", { name: "Acme gift cards" }).getAttribute("href")).toBe(helpSite.url);
    const failed = pageRow(missing).getByText("Could not read: The page answered 404 Not Found");
    await failed.waitFor({ timeout: 30_000 });
    await pageRow(missing)
      .getByText(/\(tried .+\)/)
      .waitFor(WAIT);
    expect(await failed.evaluate((el) => getComputedStyle(el).color)).toBe("rgb(217, 45, 32)");

    const triedBefore = (await parley.api("GET", "/api/ai/pages", { as: owner })).json.items.map((p: { triedAt: number }) => p.triedAt);
    await pages.getByRole("button", { name: "Read pages again" }).click();
    await page.getByText("Pages read again.").waitFor(WAIT);
    const triedAfter = (await parley.api("GET", "/api/ai/pages", { as: owner })).json.items.map((p: { triedAt: number }) => p.triedAt);
    expect(triedAfter.every((at: number, i: number) => at > triedBefore[i])).toBe(true);

    await section("Summaries").getByLabel("Add a summary note every tenth message").check();
    await expect.poll(async () => (await ai()).summaries, WAIT).toBe(true);
    await tallScreenshot("ui-assistant-settings-3-model-pages");

    // A reload shows what is stored.
    await page.reload();
    await section("Model").getByLabel("Workers AI").waitFor(WAIT);
    expect(await section("Model").getByLabel("Workers AI").isChecked()).toBe(true);
    expect(await section("Model").getByLabel("Model", { exact: true }).inputValue()).toBe(MODEL);
    expect(await section("Brand kit").getByRole("textbox", { name: "Brand kit" }).inputValue()).toBe(BRAND_KIT);
    expect(await section("Pages").getByLabel("Page 2", { exact: true }).inputValue()).toBe(missing);
    expect(await section("Summaries").getByLabel("Add a summary note every tenth message").isChecked()).toBe(true);
    await pageRow("Acme gift cards")
      .getByText(/passages?, read/)
      .waitFor(WAIT);
    await tallScreenshot("ui-assistant-settings-4-reloaded");
  });

  it("with Workers AI chosen but not bound, Draft reply comes from the built-in assistant, says why, and links the page it used", async () => {
    const on = await parley.api("PUT", "/api/settings", { as: owner, body: { ai: { acknowledged: true, drafts: true } } });
    expect(on.status).toBe(200);
    const id = await parley.visitorWrites("Hello, do your gift cards expire?");
    await page.goto(`${parley.url}/inbox/${id}`);
    await page.getByRole("log", { name: "Messages" }).getByText("do your gift cards expire?").waitFor(WAIT);
    await page.getByRole("button", { name: "Draft reply" }).click(WAIT);
    const box = page.getByRole("textbox", { name: "Reply" });
    await expect.poll(() => box.inputValue(), WAIT).toContain("gift cards never expire");

    const note = page.getByRole("status").filter({ hasText: "Draft from" });
    await note.getByText(new RegExp(`^Drafted by the built-in assistant: ${NO_BINDING.source}`)).waitFor(WAIT);
    const link = note.getByRole("link", { name: "Acme gift cards" });
    expect(await link.getAttribute("href")).toBe(helpSite.url);
    expect(await link.getAttribute("target")).toBe("_blank");
    expect(await link.getAttribute("rel")).toContain("noopener");
    await note.getByText("Draft from the page Acme gift cards. Check it before sending.").waitFor(WAIT);
    // Said once: the "Drafted by …" line is left out when the notice says who drafted it and why.
    expect(await note.getByText("Drafted by").count()).toBe(1);
    await screenshot(page, "ui-assistant-settings-5-fallback-draft");
  });

  it("Summarize adds the assistant's summary note once, and the visitor's widget never shows it", async () => {
    const visitor = await browser.newPage({ width: 420 });
    await visitor.goto(shop.url);
    await visitor.getByRole("button", { name: "Open chat" }).click();
    await visitor.getByLabel("Email").fill("mia@example.com");
    await visitor.getByLabel("Full name").fill("Mia Jones");
    await visitor.getByRole("button", { name: "Start chat" }).click();
    await visitor.getByRole("textbox", { name: "Message" }).fill("Can I pay for order 1042 with a gift card?");
    await visitor.getByRole("button", { name: "Send" }).click();
    const widgetLog = visitor.getByRole("log", { name: "Messages" });
    await widgetLog.getByText("order 1042").waitFor(WAIT);

    await page.goto(`${parley.url}/inbox`);
    await page.getByRole("region", { name: "Conversations" }).getByRole("link").filter({ hasText: "Mia Jones" }).click(WAIT);
    const thread = page.getByRole("log", { name: "Messages" });
    await thread.getByText("order 1042").waitFor(WAIT);
    const reply = "Yes, we will take it off the gift card by tomorrow.";
    await page.getByRole("textbox", { name: "Reply" }).fill(reply);
    await page.getByRole("button", { name: "Send", exact: true }).click();
    await widgetLog.getByText(reply).waitFor(WAIT);

    await page.getByRole("button", { name: "Summarize" }).click();
    const summary = thread.getByRole("listitem", { name: "Summary note by Assistant" });
    await summary.getByText(/^Summary of the last \d+ messages:/).waitFor(WAIT);
    await summary.getByText("Summary", { exact: true }).waitFor(WAIT);
    await summary.getByText("Assistant", { exact: true }).waitFor(WAIT);
    await summary.getByText("Note", { exact: true }).waitFor(WAIT);
    await summary.getByText(new RegExp(`^Written by the built-in assistant: ${NO_BINDING.source}`)).waitFor(WAIT);
    expect(await summary.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe("rgb(255, 246, 204)");
    // The POST's answer and the room's message.created are one note.
    await page.waitForTimeout(1500);
    expect(await thread.getByRole("listitem", { name: "Summary note by Assistant" }).count()).toBe(1);
    await screenshot(page, "ui-assistant-settings-6-summary");
    await page.setViewportSize({ width: 760, height: 900 });
    await screenshot(page, "ui-assistant-settings-7-summary-760");
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.reload();
    await thread.getByText(/^Summary of the last \d+ messages:/).waitFor(WAIT);
    expect(await thread.getByRole("listitem", { name: "Summary note by Assistant" }).count()).toBe(1);

    await visitor.reload();
    const open = visitor.getByRole("button", { name: "Open chat" });
    await Promise.race([open.waitFor(WAIT), widgetLog.getByText(reply).waitFor(WAIT)]);
    if (await open.isVisible()) await open.click();
    await widgetLog.getByText(reply).waitFor(WAIT);
    const seen = await widgetLog.textContent();
    expect(seen).toContain("order 1042");
    expect(seen).not.toContain("Summary of the last");
    expect(seen).not.toContain("Assistant");
    await screenshot(visitor, "ui-assistant-settings-8-visitor-420");
  });
});
