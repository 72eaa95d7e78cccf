// A customer's website embeds the widget; a visitor fills the pre-chat form and chats with an
// agent who answers through the API; after a reload the thread is still there.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { hostPage, openBrowser, screenshot, startParley, waitUntil, widgetSnippet, type Parley, type Session, type TestBrowser } from "./harness";

const PORT = 8788;

let parley: Parley;
let owner: Session;
let host: { url: string; stop(): Promise<void> };
let browser: TestBrowser;

beforeAll(async () => {
  parley = await startParley({ port: PORT });
  owner = await parley.signUpOwner();
  await parley.api("PUT", "/api/settings", { as: owner, body: { chatForm: { phone: "optional", account: "optional", fullName: "required" } } });
  host = await hostPage(widgetSnippet(parley.url));
  browser = await openBrowser();
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await parley?.stop();
});

const messagesIn = (page: Page) => page.getByRole("log", { name: "Messages" }).locator("p");

async function theirConversation() {
  let found: any;
  await waitUntil(async () => {
    found = (await parley.api("GET", "/api/conversations?status=all", { as: owner })).json.items[0];
    return Boolean(found);
  }, 10_000, () => "no conversation reached the inbox");
  return found;
}

describe("the widget on a customer's website", () => {
  it("lets a visitor introduce themselves, chat with an agent, and find the thread again after a reload", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(error.message));
    await page.goto(host.url);
    expect(new URL(host.url).origin).not.toBe(parley.url);
    await page.getByRole("button", { name: "Open chat" }).waitFor();
    await screenshot(page, "widget-closed");

    await page.getByRole("button", { name: "Open chat" }).click();
    await expect.poll(() => page.getByLabel("Email").isVisible()).toBe(true);
    for (const label of ["Phone number", "Account", "Full name"]) expect(await page.getByLabel(label).isVisible()).toBe(true);
    await screenshot(page, "widget-prechat");

    // A mistake first: the form says what is wrong, next to the field.
    await page.getByLabel("Email").fill("ana@example.com");
    await page.getByLabel("Phone number").fill("12");
    await page.getByRole("button", { name: "Start chat" }).click();
    await expect.poll(() => page.getByText(/include the country code/).isVisible()).toBe(true);
    await expect.poll(() => page.getByText("Enter your full name.").isVisible()).toBe(true);
    await screenshot(page, "widget-prechat-errors");

    await page.getByLabel("Phone number").fill("(415) 555-0132");
    await page.getByLabel("Full name").fill("Ana Lima");
    await page.getByLabel("Account").fill("Acme Inc");
    await page.getByRole("button", { name: "Start chat" }).click();

    const message = page.getByRole("textbox", { name: "Message" });
    await message.fill("Hi! Where is my order <b>#1234</b>?");
    await page.getByRole("button", { name: "Send" }).click();
    await expect.poll(() => messagesIn(page).allTextContents()).toEqual(["Hi! Where is my order <b>#1234</b>?"]);

    const conversation = await theirConversation();
    expect(conversation.contact).toMatchObject({ email: "ana@example.com", phone: "+14155550132", firstName: "Ana", lastName: "Lima", account: "Acme Inc" });
    await expect.poll(async () => (await parley.api("GET", `/api/conversations/${conversation.id}`, { as: owner })).json.visitorOnline).toBe(true);

    const reply = await parley.api("POST", `/api/conversations/${conversation.id}/messages`, { as: owner, body: { channel: "chat", body: "It ships today. <img src=x onerror=alert(1)>" } });
    expect(reply.status).toBe(201);
    await expect.poll(() => messagesIn(page).allTextContents()).toEqual(["Hi! Where is my order <b>#1234</b>?", "It ships today. <img src=x onerror=alert(1)>"]);
    expect(await page.getByText("Olivia Owner").isVisible()).toBe(true);

    await message.fill("Great, thanks!");
    await message.press("Enter");
    await expect.poll(() => messagesIn(page).count()).toBe(3);
    await screenshot(page, "widget-chatting");

    await page.reload();
    await page.getByRole("button", { name: "Open chat" }).click();
    await expect.poll(() => messagesIn(page).allTextContents()).toEqual([
      "Hi! Where is my order <b>#1234</b>?",
      "It ships today. <img src=x onerror=alert(1)>",
      "Great, thanks!",
    ]);
    expect(await page.getByLabel("Email").count()).toBe(0);
    await screenshot(page, "widget-after-reload");

    const thread = await parley.api("GET", `/api/conversations/${conversation.id}/messages`, { as: owner });
    expect(thread.json.items.map((m: any) => m.body)).toEqual([
      "Hi! Where is my order <b>#1234</b>?",
      "It ships today. <img src=x onerror=alert(1)>",
      "Great, thanks!",
    ]);
    expect(problems).toEqual([]);

    await context.close();
    await expect
      .poll(async () => (await parley.api("GET", `/api/conversations/${conversation.id}`, { as: owner })).json.visitorOnline, { timeout: 10_000 })
      .toBe(false);
  });

  it("takes identify from the host page: a signed-in customer chats without the form, marked not verified", async () => {
    const signedIn = await hostPage(
      widgetSnippet(parley.url, ['Parley.push(["identify", { email: "cy@example.com", name: "Cy Young" }]);', 'Parley.push(["open"]);']),
    );
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(signedIn.url);
    const message = page.getByRole("textbox", { name: "Message" });
    await expect.poll(() => message.isVisible()).toBe(true);
    expect(await page.getByLabel("Email").count()).toBe(0);
    await message.fill("Hello from my account page");
    await page.getByRole("button", { name: "Send" }).click();
    await expect.poll(() => messagesIn(page).allTextContents()).toEqual(["Hello from my account page"]);
    // The identify call and the first message race on a slow machine: the contact may join the chat just after it opens.
    const cys = async () => (await parley.api("GET", "/api/conversations?status=all", { as: owner })).json.items.find((c: any) => c.contact?.email === "cy@example.com");
    await expect.poll(cys).toMatchObject({ identityVerified: false, contact: { firstName: "Cy", lastName: "Young" } });
    await context.close();
    await signedIn.stop();
  });

  it("keeps the visitor's unsent message through a dropped connection and delivers a reply sent meanwhile", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(host.url);
    await page.getByRole("button", { name: "Open chat" }).click();
    await page.getByLabel("Email").fill("bo@example.com");
    await page.getByLabel("Full name").fill("Bo Berg");
    await page.getByRole("button", { name: "Start chat" }).click();
    await page.getByRole("textbox", { name: "Message" }).fill("First message");
    await page.getByRole("button", { name: "Send" }).click();
    await expect.poll(() => messagesIn(page).allTextContents()).toEqual(["First message"]);
    // The widget shows a message as it sends it: wait until the first one is stored.
    const findBo = async () => ((await parley.api("GET", "/api/conversations?status=all", { as: owner })).json.items as any[]).find((c) => c.contact?.email === "bo@example.com");
    await expect.poll(findBo).toBeTruthy();
    const bo = await findBo();

    await context.setOffline(true);
    await page.getByRole("textbox", { name: "Message" }).fill("Written while offline");
    await page.getByRole("button", { name: "Send" }).click();
    await parley.api("POST", `/api/conversations/${bo.id}/messages`, { as: owner, body: { channel: "chat", body: "Reply while you were away" } });
    await context.setOffline(false);

    await expect
      .poll(() => messagesIn(page).allTextContents(), { timeout: 30_000 })
      .toEqual(["First message", "Reply while you were away", "Written while offline"]);
    const thread = await parley.api("GET", `/api/conversations/${bo.id}/messages`, { as: owner });
    expect(thread.json.items.map((m: any) => m.body)).toEqual(["First message", "Reply while you were away", "Written while offline"]);
    await context.close();
  });
});
