// Settings → Assistant in Chromium: the owner writes the FAQ, acknowledges that AI can be wrong,
// turns drafts on and picks a tone; then the composer's "Draft reply" answers from that FAQ.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { openBrowser, OWNER, screenshot, startParley, type Parley, type Session, type TestBrowser } from "./harness";

const PORT = 8855;
const WAIT = { timeout: 15_000 };
const FAQ = [
  { question: "Can I return an item?", answer: "Yes: returns are free within 30 days of delivery." },
  { question: "How long does shipping take?", answer: "Orders arrive in 3 to 5 days." },
];

let parley: Parley;
let browser: TestBrowser;
let owner: Session;
let page: Page;

beforeAll(async () => {
  parley = await startParley({ port: PORT });
  owner = await parley.signUpOwner();
  browser = await openBrowser();
  page = await browser.newPage();
  await parley.signIn(page, OWNER);
});

afterAll(async () => {
  await browser?.close();
  await parley?.stop();
});

const ai = async () => (await parley.api("GET", "/api/settings", { as: owner })).json.ai;

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

    await page.getByText("Advanced").click();
    await page.getByText("Workers AI and OpenAI-compatible endpoints are coming; drafts use the built-in assistant meanwhile").waitFor(WAIT);
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
    await page.getByText("Draft from the FAQ: “Can I return an item?”. Check it before sending.").waitFor(WAIT);
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
