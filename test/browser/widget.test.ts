// A customer's website embeds the widget; a visitor fills the pre-chat form and chats with an
// agent who answers through the API; after a reload the thread is still there. What the visitor
// writes offline waits in the page's storage and is delivered once, in order, when they are back.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { hostPage, openBrowser, OWNER, screenshot, startParley, waitUntil, widgetSnippet, type Parley, type Session, type TestBrowser } from "./harness";

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
/** The visitor's messages the widget shows as not acknowledged yet, by text. */
const waitingIn = (page: Page) =>
  page
    .getByRole("log", { name: "Messages" })
    .locator(".m")
    .filter({ has: page.getByText("Waiting to send", { exact: true }).filter({ visible: true }) })
    .locator("p")
    .allTextContents();
const bodiesIn = async (conversationId: string) => ((await parley.api("GET", `/api/conversations/${conversationId}/messages`, { as: owner })).json.items as any[]).map((m) => m.body);
const conversationsOf = async (email: string) => ((await parley.api("GET", "/api/conversations?status=all", { as: owner })).json.items as any[]).filter((c) => c.contact?.email === email);

/** The visitor's conversation, once the inbox has it (the widget shows a message as it sends it). */
async function conversationOf(email: string) {
  await expect.poll(async () => (await conversationsOf(email)).length).toBe(1);
  return (await conversationsOf(email))[0];
}

async function startChat(page: Page, email: string, fullName: string) {
  await page.goto(host.url);
  await page.getByRole("button", { name: "Open chat" }).click();
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Full name").fill(fullName);
  await page.getByRole("button", { name: "Start chat" }).click();
  await page.getByRole("textbox", { name: "Message" }).waitFor();
}

async function write(page: Page, text: string) {
  await page.getByRole("textbox", { name: "Message" }).fill(text);
  await page.getByRole("button", { name: "Send" }).click();
}

/** Whether the host page's storage still holds `text` anywhere: delivered messages must not stay there. */
const kept = (page: Page, text: string) => page.evaluate((text) => Object.values(localStorage).some((value) => value.includes(text)), text);

/** Uncaught errors and the widget's own warnings: a lost network must cause neither. */
function problemsOn(page: Page): string[] {
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(error.message));
  page.on("console", (message) => message.text().startsWith("Parley:") && problems.push(message.text()));
  return problems;
}

async function theirConversation() {
  let found: any;
  await waitUntil(
    async () => {
      found = (await parley.api("GET", "/api/conversations?status=all", { as: owner })).json.items[0];
      return Boolean(found);
    },
    10_000,
    () => "no conversation reached the inbox",
  );
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
    await expect.poll(() => messagesIn(page).allTextContents()).toEqual(["Hi! Where is my order <b>#1234</b>?", "It ships today. <img src=x onerror=alert(1)>", "Great, thanks!"]);
    expect(await page.getByLabel("Email").count()).toBe(0);
    await screenshot(page, "widget-after-reload");

    const thread = await parley.api("GET", `/api/conversations/${conversation.id}/messages`, { as: owner });
    expect(thread.json.items.map((m: any) => m.body)).toEqual(["Hi! Where is my order <b>#1234</b>?", "It ships today. <img src=x onerror=alert(1)>", "Great, thanks!"]);
    expect(problems).toEqual([]);

    await context.close();
    await expect.poll(async () => (await parley.api("GET", `/api/conversations/${conversation.id}`, { as: owner })).json.visitorOnline, { timeout: 10_000 }).toBe(false);
  });

  it("takes identify from the host page: a signed-in customer chats without the form, marked not verified", async () => {
    const signedIn = await hostPage(widgetSnippet(parley.url, ['Parley.push(["identify", { email: "cy@example.com", name: "Cy Young" }]);', 'Parley.push(["open"]);']));
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
    await startChat(page, "bo@example.com", "Bo Berg");
    await write(page, "First message");
    await expect.poll(() => messagesIn(page).allTextContents()).toEqual(["First message"]);
    const bo = await conversationOf("bo@example.com");

    await context.setOffline(true);
    await write(page, "Written while offline");
    await parley.api("POST", `/api/conversations/${bo.id}/messages`, { as: owner, body: { channel: "chat", body: "Reply while you were away" } });
    await context.setOffline(false);

    await expect.poll(() => messagesIn(page).allTextContents(), { timeout: 30_000 }).toEqual(["First message", "Reply while you were away", "Written while offline"]);
    expect(await bodiesIn(bo.id)).toEqual(["First message", "Reply while you were away", "Written while offline"]);
    await context.close();
  });

  it("keeps what a visitor wrote offline through closing the page, and delivers it once, in order, when they come back", async () => {
    const context = await browser.newContext();
    const before = await context.newPage();
    const problems = problemsOn(before);
    await startChat(before, "cai@example.com", "Cai Chen");
    await write(before, "Hello, anyone there?");
    const cai = await conversationOf("cai@example.com");
    await expect.poll(() => bodiesIn(cai.id)).toEqual(["Hello, anyone there?"]);

    await context.setOffline(true);
    await write(before, "My train is entering a tunnel");
    await write(before, "Order #1234 arrived broken");
    await expect.poll(() => waitingIn(before)).toEqual(["My train is entering a tunnel", "Order #1234 arrived broken"]);
    expect(await kept(before, "entering a tunnel")).toBe(true);
    expect(await messagesIn(before).allTextContents()).toEqual(["Hello, anyone there?", "My train is entering a tunnel", "Order #1234 arrived broken"]);
    await screenshot(before, "widget-offline-waiting");
    // A page cannot load offline: the visitor closes the tab and comes back later, to the same browser storage.
    await before.close();
    await context.setOffline(false);

    const after = await context.newPage();
    problems.push(...problemsOn(after));
    await after.goto(host.url);
    await after.getByRole("button", { name: "Open chat" }).click();
    const thread = ["Hello, anyone there?", "My train is entering a tunnel", "Order #1234 arrived broken"];
    await expect.poll(() => bodiesIn(cai.id)).toEqual(thread);
    await expect.poll(() => messagesIn(after).allTextContents()).toEqual(thread);
    expect(await waitingIn(after)).toEqual([]);
    await expect.poll(() => kept(after, "entering a tunnel")).toBe(false);
    expect(await kept(after, "arrived broken")).toBe(false);
    await screenshot(after, "widget-offline-delivered");

    // Nothing is left to send again: another visit sends nothing more.
    await after.reload();
    await after.getByRole("button", { name: "Open chat" }).click();
    await expect.poll(() => messagesIn(after).allTextContents()).toEqual(thread);
    await after.waitForTimeout(1_000);
    expect(await bodiesIn(cai.id)).toEqual(thread);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("sends what was written while the socket was down once the network is back, each once, in order", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = problemsOn(page);
    await startChat(page, "dee@example.com", "Dee Dunn");
    await write(page, "Is the shop open on Sunday?");
    const dee = await conversationOf("dee@example.com");
    await expect.poll(() => bodiesIn(dee.id)).toEqual(["Is the shop open on Sunday?"]);

    await context.setOffline(true);
    await write(page, "I mean this Sunday");
    await write(page, "And is parking free?");
    await expect.poll(() => waitingIn(page)).toEqual(["I mean this Sunday", "And is parking free?"]);
    expect(await bodiesIn(dee.id)).toEqual(["Is the shop open on Sunday?"]);
    await context.setOffline(false);

    const thread = ["Is the shop open on Sunday?", "I mean this Sunday", "And is parking free?"];
    await expect.poll(() => bodiesIn(dee.id), { timeout: 30_000 }).toEqual(thread);
    await expect.poll(() => waitingIn(page)).toEqual([]);
    expect(await messagesIn(page).allTextContents()).toEqual(thread);
    expect(await kept(page, "parking")).toBe(false);
    await screenshot(page, "widget-offline-back");
    await page.waitForTimeout(1_000);
    expect(await bodiesIn(dee.id)).toEqual(thread);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("delivers a first message written offline once, opening one conversation, even when the answer to it is lost", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const problems = problemsOn(page);
    await startChat(page, "eli@example.com", "Eli Eze");
    await context.setOffline(true);
    await write(page, "Hi, I could not check out");
    await write(page, "The card form keeps spinning");
    await expect.poll(() => waitingIn(page)).toEqual(["Hi, I could not check out", "The card form keeps spinning"]);
    await screenshot(page, "widget-offline-first");

    // Back online, the first try reaches the server and opens the conversation, but its answer is lost:
    // the widget sends the same message again, which must not open a second conversation.
    let lostAnswer: number | null = null;
    await page.route(`${parley.url}/api/widget/messages`, async (route) => {
      if (route.request().method() !== "POST" || lostAnswer !== null) return route.continue();
      lostAnswer = (await route.fetch()).status();
      await route.abort("connectionreset");
    });
    await context.setOffline(false);

    const thread = ["Hi, I could not check out", "The card form keeps spinning"];
    await expect.poll(() => messagesIn(page).allTextContents(), { timeout: 30_000 }).toEqual(thread);
    await expect.poll(() => waitingIn(page)).toEqual([]);
    expect(lostAnswer).toBe(201);
    const eli = await conversationOf("eli@example.com");
    await expect.poll(() => bodiesIn(eli.id)).toEqual(thread);
    await page.waitForTimeout(1_000);
    expect(await conversationsOf("eli@example.com")).toHaveLength(1);
    expect(await bodiesIn(eli.id)).toEqual(thread);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("shows right-to-left words (Arabic, Hebrew) the right way round, in the widget and to the agent", async () => {
    const page = await browser.newPage();
    await startChat(page, "rania@example.com", "Rania Haddad");
    const arabic = "مرحبا، أين طلبي رقم 1042؟";
    await write(page, arabic);
    await write(page, "Thanks!");
    const direction = (locator: ReturnType<Page["locator"]>) => locator.evaluate((el) => getComputedStyle(el).direction);
    // Polled: a bubble is drawn again when its message is acknowledged, and a replaced one has no style.
    await expect.poll(() => direction(messagesIn(page).filter({ hasText: arabic }))).toBe("rtl");
    await expect.poll(() => direction(messagesIn(page).filter({ hasText: "Thanks!" }))).toBe("ltr");

    const rania = await conversationOf("rania@example.com");
    const agent = await browser.newPage();
    await parley.signIn(agent, OWNER);
    await agent.goto(`${parley.url}/inbox/${rania.id}`);
    const bubble = agent.locator(".message p.body", { hasText: arabic });
    await bubble.waitFor();
    expect(await direction(bubble)).toBe("rtl");
    expect(await direction(agent.locator(".message p.body", { hasText: "Thanks!" }))).toBe("ltr");
    await screenshot(agent, "widget-rtl-agent");
    await agent.context().close();
    await page.context().close();
  });

  it("still chats where the page's storage refuses to keep anything (private mode)", async () => {
    const context = await browser.newContext();
    await context.addInitScript(() => {
      Storage.prototype.setItem = () => {
        throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
      };
    });
    const page = await context.newPage();
    const problems = problemsOn(page);
    await startChat(page, "fay@example.com", "Fay Fox");
    await write(page, "Hello from a private window");
    await write(page, "Still there?");
    const fay = await conversationOf("fay@example.com");
    const thread = ["Hello from a private window", "Still there?"];
    await expect.poll(() => bodiesIn(fay.id)).toEqual(thread);
    await expect.poll(() => messagesIn(page).allTextContents()).toEqual(thread);
    expect(await waitingIn(page)).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});
