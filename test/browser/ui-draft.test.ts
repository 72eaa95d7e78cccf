// The assistant's "Draft reply" in the composer, in Chromium: the draft from the FAQ lands in the
// reply box to be checked, with what it is drawn from, and nothing is sent until the agent sends it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { openBrowser, OWNER, screenshot, startParley, type Parley, type Session, type TestBrowser } from "./harness";

const PORT = 8845;
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

const composer = () => page.getByRole("form", { name: "Reply" });
const thread = () => page.getByRole("log", { name: "Messages" });

describe("Draft reply", () => {
  it("is offered only when drafts are on, and puts the FAQ's answer in the reply box without sending it", async () => {
    const id = await parley.visitorWrites("Hi, the shoes don't fit, can I send them back?", { email: "rui@example.com", fullName: "Rui Costa" });
    await page.goto(`${parley.url}/inbox/${id}`);
    await composer().waitFor(WAIT);
    await thread().getByText("can I send them back?").waitFor(WAIT);
    expect(await page.getByRole("button", { name: "Draft reply" }).count()).toBe(0);

    const on = await parley.api("PUT", "/api/settings", { as: owner, body: { ai: { acknowledged: true, drafts: true, role: "friendly", faq: FAQ } } });
    expect(on.status).toBe(200);
    await page.reload();
    await page.getByRole("button", { name: "Draft reply" }).click(WAIT);
    const box = page.getByRole("textbox", { name: "Reply" });
    await expect.poll(() => box.inputValue(), WAIT).toContain("Yes: returns are free within 30 days of delivery.");
    expect(await box.inputValue()).toMatch(/^Hi Rui!/);
    await page.getByText("Draft from the FAQ: “Can I return an item?”. Check it before sending.").waitFor(WAIT);
    await screenshot(page, "ui-draft-1-drafted");
    const messages = await parley.api("GET", `/api/conversations/${id}/messages`, { as: owner });
    expect(messages.json.items).toHaveLength(1);
  });
});
