// The agent inbox end to end, in Chromium: first-run setup, a visitor chatting through the widget
// on another website, two agents sharing one inbox live, saved responses, complete and reopen.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Locator, Page, WebSocketRoute } from "playwright-core";
import { hostPage, openBrowser, OWNER, screenshot, startParley, widgetSnippet, type Parley, type TestBrowser } from "./harness";

const PORT = 8801;
const SAM = { email: "sam@parley.test", password: "sam's password", name: "Sam Agent" };
const WAIT = { timeout: 15_000 };

let parley: Parley;
let browser: TestBrowser;
let host: Awaited<ReturnType<typeof hostPage>>;
let owner: Page; // Olivia, the admin, on a wide screen
let sam: Page; // Sam, a second agent, in another browser
let visitor: Page; // Ana, on the customer's website

const conversations = (page: Page) => page.getByRole("region", { name: "Conversations" });
const row = (page: Page, name: string): Locator => conversations(page).getByRole("link").filter({ hasText: name });
const thread = (page: Page) => page.getByRole("log", { name: "Messages" });
/** The open conversation, named by who it is with. */
const opened = (page: Page, name: string) => page.getByRole("region", { name, exact: true });
const filter = (page: Page, name: "Open" | "Complete" | "All") => page.getByRole("group", { name: "Show" }).getByRole("button", { name });

/** The visitor opens the chat on the customer's website, fills the pre-chat form, and writes. */
async function visitorStartsChat(page: Page, person: { email: string; fullName: string }, text: string) {
  await page.goto(host.url);
  await page.getByRole("button", { name: "Open chat" }).click();
  await page.getByLabel("Email").fill(person.email);
  await page.getByLabel("Full name").fill(person.fullName);
  await page.getByRole("button", { name: "Start chat" }).click();
  await visitorWrites(page, text);
}

async function visitorWrites(page: Page, text: string) {
  await page.getByRole("textbox", { name: "Message" }).fill(text);
  await page.getByRole("button", { name: "Send" }).click();
}

beforeAll(async () => {
  parley = await startParley({ port: PORT });
  browser = await openBrowser();
  host = await hostPage(widgetSnippet(parley.url));
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await parley?.stop();
});

describe("the agent inbox", () => {
  it("offers first-run setup on a fresh install, then signs the admin out and back in", async () => {
    owner = await browser.newPage();
    await owner.goto(parley.url);
    await owner.getByRole("heading", { name: "Welcome to Parley" }).waitFor(WAIT);
    await owner.getByLabel("Your name").fill(OWNER.name);
    await owner.getByLabel("Email").fill(OWNER.email);
    await owner.getByLabel("Password").fill(OWNER.password);
    await owner.getByRole("button", { name: "Create admin account" }).click();
    await owner.getByRole("link", { name: "Settings" }).waitFor(WAIT);
    expect(new URL(owner.url()).pathname).toBe("/inbox");

    await owner.getByRole("button", { name: "Sign out" }).click();
    await owner.getByRole("heading", { name: "Sign in to Parley" }).waitFor(WAIT);
    // Setup happens once: a second visit to a set-up workspace asks to sign in.
    await owner.goto(`${parley.url}/setup`);
    await owner.getByRole("heading", { name: "Sign in to Parley" }).waitFor(WAIT);
    await parley.signIn(owner, OWNER);
    await owner.getByRole("region", { name: "Conversations" }).waitFor(WAIT);
  });

  it("lets the admin add an agent and a saved response with personalization tags in settings", async () => {
    await owner.getByRole("link", { name: "Settings" }).click();
    await owner.getByRole("tab", { name: "Users" }).click();
    const addUser = owner.getByRole("form", { name: "Add a user" });
    await addUser.getByLabel("Name").fill(SAM.name);
    await addUser.getByLabel("Email").fill(SAM.email);
    await addUser.getByLabel("Password").fill(SAM.password);
    await addUser.getByRole("button", { name: "Add user" }).click();
    await owner.getByRole("cell", { name: SAM.email }).waitFor(WAIT);

    await owner.getByRole("tab", { name: "Saved responses" }).click();
    const add = owner.getByRole("form", { name: "New saved response" });
    await add.getByLabel("Category").fill("Greetings");
    await add.getByLabel("Name").fill("Welcome");
    await add.getByLabel("Text").fill("Hi {{contact.first_name | there}}, I'm {{agent.first_name}}. How can I help?");
    await add.getByRole("button", { name: "Add saved response" }).click();
    await owner.getByRole("region", { name: "Category Greetings" }).waitFor(WAIT);
    await owner.getByRole("link", { name: "Inbox" }).click();
  });

  it("shows a visitor's new chat live, unread and online, to every agent; opening it reads it for all", async () => {
    sam = await browser.newPage();
    await parley.signIn(sam, SAM);
    visitor = await browser.newPage({ width: 420 });

    await visitorStartsChat(visitor, { email: "ana@example.com", fullName: "Ana Lima" }, "Hi, can I change my plan before the trial ends?");

    // Neither agent reloads: the conversation arrives over the live feed.
    for (const agent of [owner, sam]) {
      const ana = row(agent, "Ana Lima");
      await ana.waitFor(WAIT);
      await ana.getByText("1 unread").waitFor(WAIT);
      await ana.getByRole("img", { name: "Online" }).waitFor(WAIT);
      await ana.getByText("Web Chat").waitFor(WAIT);
      await ana.getByText("can I change my plan").waitFor(WAIT);
    }
    await screenshot(owner, "ui-inbox-unread-1280");
    // An agent in another tab sees someone is waiting from the tab's title.
    await expect.poll(() => sam.title(), WAIT).toBe("(1) Parley");

    await row(owner, "Ana Lima").click();
    await thread(owner).getByText("Hi, can I change my plan before the trial ends?").waitFor(WAIT);
    await owner.getByRole("heading", { name: "Ana Lima" }).first().waitFor(WAIT);
    // Read is shared: Sam's unread dot goes away without a reload.
    await row(sam, "Ana Lima")
      .getByText("1 unread")
      .waitFor({ state: "detached", ...WAIT });
    await expect.poll(() => sam.title(), WAIT).toBe("Parley");
    expect(await row(owner, "Ana Lima").getByText("unread").count()).toBe(0);
  });

  it("answers with a saved response whose tags are filled in, on Web Chat while the visitor is online", async () => {
    const reply = owner.getByRole("form", { name: "Reply" });
    // The composer asks the server where a reply can go (reply-options) as the conversation opens.
    await expect.poll(() => reply.getByLabel("Channel").inputValue(), WAIT).toBe("chat");
    await reply.getByText("Saved responses").click();
    await reply.getByLabel("Category").selectOption({ label: "Greetings" });
    await reply.getByLabel("Response", { exact: true }).selectOption({ label: "Welcome" });
    await reply.getByRole("button", { name: "Insert" }).click();
    const box = reply.getByRole("textbox", { name: "Reply" });
    await expect.poll(() => box.inputValue(), WAIT).toBe("Hi Ana, I'm Olivia. How can I help?");
    await reply.getByRole("button", { name: "Send" }).click();

    await thread(owner).getByText("Hi Ana, I'm Olivia. How can I help?").waitFor(WAIT);
    await visitor.getByRole("log", { name: "Messages" }).getByText("Hi Ana, I'm Olivia. How can I help?").waitFor(WAIT);
    // Sam, watching the list, sees the newest message as the preview.
    await row(sam, "Ana Lima").getByText("How can I help?").waitFor(WAIT);
  });

  it("shows each side when the other is typing", async () => {
    await visitor.getByRole("textbox", { name: "Message" }).pressSequentially("Let me check", { delay: 20 });
    await owner.getByText("Ana Lima is typing…").waitFor(WAIT);
    const box = owner.getByRole("form", { name: "Reply" }).getByRole("textbox", { name: "Reply" });
    await box.pressSequentially("One moment", { delay: 20 });
    await visitor.getByText("Olivia Owner is typing…").waitFor(WAIT);
    await box.fill("");
    await visitor.getByRole("textbox", { name: "Message" }).fill("");
  });

  it("marks the conversation complete, and a new visitor message reopens it", async () => {
    const ana = opened(owner, "Ana Lima");
    await ana.getByRole("button", { name: "Complete" }).click();
    await ana.getByRole("button", { name: "Reopen" }).waitFor(WAIT);
    // The open list no longer holds it; the complete list shows it with its checkmark.
    await row(sam, "Ana Lima").waitFor({ state: "detached", ...WAIT });
    await filter(sam, "Complete").click();
    await row(sam, "Ana Lima").getByRole("img", { name: "Complete" }).waitFor(WAIT);

    await visitorWrites(visitor, "Actually, one more question.");
    await ana.getByRole("button", { name: "Complete" }).waitFor(WAIT);
    await thread(owner).getByText("Actually, one more question.").waitFor(WAIT);
    await row(sam, "Ana Lima").waitFor({ state: "detached", ...WAIT });
    await filter(sam, "Open").click();
    await row(sam, "Ana Lima").getByText("one more question").waitFor(WAIT);
  });

  it("recovers by itself after the live connection drops, and shows what it missed meanwhile", async () => {
    const page = await browser.newPage();
    // Between the page and the Worker sits a link the test can cut: while it is down, every
    // attempt to reconnect fails, as it would on a lost network or during a deploy.
    let linkUp = true;
    const sockets: WebSocketRoute[] = [];
    await page.context().routeWebSocket(/\/api\/(live|conversations\/[^/]+\/live)$/, (ws) => {
      if (!linkUp) return ws.close({ code: 1011, reason: "link down" });
      ws.connectToServer();
      sockets.push(ws);
    });
    await parley.signIn(page, SAM);
    await row(page, "Ana Lima").click();
    await thread(page).getByText("Actually, one more question.").waitFor(WAIT);
    await page.getByRole("status").filter({ hasText: "Live" }).waitFor(WAIT);

    linkUp = false;
    for (const ws of sockets.splice(0)) await ws.close({ code: 1011, reason: "link down" });
    await page.getByRole("status").filter({ hasText: "Reconnecting" }).waitFor(WAIT);
    await visitorWrites(visitor, "Hello? Is anyone still there?");
    linkUp = true;

    await page.getByRole("status").filter({ hasText: "Live" }).waitFor(WAIT);
    await thread(page).getByText("Hello? Is anyone still there?").waitFor(WAIT);
    await row(page, "Ana Lima").getByText("anyone still there").waitFor(WAIT);
  });

  it("shows a visitor's HTML-looking name and words as text, and runs none of it", async () => {
    const mallory = await browser.newPage({ width: 420 });
    const name = "<img src=x onerror=window.__pwned=1>";
    await visitorStartsChat(mallory, { email: "mallory@example.com", fullName: name }, "<b>bold?</b><script>window.__pwned=2</script>");

    const shown = row(owner, name);
    await shown.waitFor(WAIT);
    await shown.click();
    await thread(owner).getByText("<b>bold?</b><script>window.__pwned=2</script>").waitFor(WAIT);
    await owner.getByRole("complementary", { name: "Contact" }).getByText(name).waitFor(WAIT);
    await owner.getByRole("link", { name: "Contacts" }).click();
    await owner.getByRole("link", { name }).waitFor(WAIT);
    expect(await owner.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
    expect(await owner.locator("main img").count()).toBe(0);
  });
});
