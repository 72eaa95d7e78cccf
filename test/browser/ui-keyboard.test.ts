// An agent's day with the keyboard alone, in Chromium: sign in, skip to the inbox, open the visitor
// who is waiting, read, answer with a saved response, take the conversation and complete it, edit a
// contact, look at Settings, sign out. Tab, Shift+Tab, Enter, Space, arrows and Escape only; at each
// stop the test says what has focus, and that the focus can be seen.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { hostPage, openBrowser, OWNER, screenshot, startParley, waitUntil, widgetSnippet, type Parley, type Session, type TestBrowser } from "./harness";

const PORT = 8899;
const WAIT = { timeout: 15_000 };
const QUESTION = "Hi, can I change my plan before the trial ends?";

let parley: Parley;
let browser: TestBrowser;
let host: Awaited<ReturnType<typeof hostPage>>;
let owner: Session;
let agent: Page;
let visitor: Page;
let conversationId: string;
let contactId: string;

/** What has focus, as the accessibility tree names it: `button "Send"`, `textbox "Email"`; "body" when nothing has. */
async function focused(page: Page): Promise<string> {
  if (await page.evaluate(() => document.activeElement === null || document.activeElement === document.body)) return "body";
  const snapshot = await page.locator(":focus").first().ariaSnapshot();
  return snapshot.split("\n")[0]!.replace(/^- /, "");
}

/** Whether the focused element shows it: an outline or a ring drawn by `:focus-visible`. */
function focusShows(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body || !el.matches(":focus-visible")) return false;
    const style = getComputedStyle(el);
    return (style.outlineStyle !== "none" && Number.parseFloat(style.outlineWidth) > 0) || style.boxShadow !== "none";
  });
}

/** Presses Tab (Shift+Tab going `back`) until `target` has focus; every stop on the way must show its focus. */
async function tabTo(page: Page, target: RegExp, { back = false, max = 60 } = {}) {
  const stops: string[] = [];
  const unseen: string[] = [];
  for (let i = 0; i < max && !target.test(stops.at(-1) ?? ""); i++) {
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
    stops.push(await focused(page));
    if (!(await focusShows(page))) unseen.push(stops.at(-1)!);
  }
  const route = `Tab stops on the way:\n${stops.join("\n")}`;
  expect(unseen, `focus not visible on the way. ${route}`).toEqual([]);
  expect(stops.at(-1), route).toMatch(target);
}

/** Presses `key` on what has focus, which must show it. */
async function press(page: Page, key: string) {
  expect(await focusShows(page), `${await focused(page)} shows its focus`).toBe(true);
  await page.keyboard.press(key);
}

beforeAll(async () => {
  parley = await startParley({ port: PORT });
  owner = await parley.signUpOwner();
  await parley.api("POST", "/api/saved-responses", { as: owner, body: { category: "Greetings", name: "Welcome", body: "Hi {{contact.first_name | there}}, happy to help." } });
  browser = await openBrowser();
  host = await hostPage(widgetSnippet(parley.url));
  // Ana waits on the customer's website, the chat still open: she sees the answer there.
  visitor = await browser.newPage({ width: 420 });
  await visitor.goto(host.url);
  await visitor.getByRole("button", { name: "Open chat" }).click();
  await visitor.getByLabel("Email").fill("ana@example.com");
  await visitor.getByLabel("Full name").fill("Ana Lima");
  await visitor.getByRole("button", { name: "Start chat" }).click();
  await visitor.getByRole("textbox", { name: "Message" }).fill(QUESTION);
  await visitor.getByRole("button", { name: "Send" }).click();
  const waiting = async () => (await parley.api("GET", "/api/conversations", { as: owner })).json.items;
  await waitUntil(
    async () => (await waiting()).length === 1,
    WAIT.timeout,
    () => "Ana's conversation did not arrive",
  );
  conversationId = (await waiting())[0].id;
  contactId = (await parley.api("GET", "/api/contacts?q=ana@example.com", { as: owner })).json.items[0].id;
  agent = await browser.newPage();
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await parley?.stop();
});

describe("a day in the inbox with the keyboard alone", () => {
  it("signs in and skips past the navigation to the inbox", async () => {
    await agent.goto(parley.url);
    await agent.getByRole("heading", { name: "Sign in to Parley" }).waitFor(WAIT);
    await tabTo(agent, /^textbox "Email"/);
    await agent.keyboard.type(OWNER.email);
    await tabTo(agent, /^textbox "Password"/);
    await agent.keyboard.type(OWNER.password);
    await press(agent, "Enter");
    await agent.getByRole("navigation", { name: "Main" }).waitFor(WAIT);

    // The skip link is the first stop, shown as it takes focus.
    await tabTo(agent, /^link "Skip to content"/, { max: 1 });
    expect(await agent.getByRole("link", { name: "Skip to content" }).isVisible()).toBe(true);
    await screenshot(agent, "ui-keyboard-skip-link");
    await press(agent, "Enter");
    // The main region takes focus (no ring: it is where reading starts, not a control), and Tab goes on inside it.
    await expect.poll(() => agent.evaluate(() => document.activeElement?.id)).toBe("main");
    await tabTo(agent, /^searchbox "Search conversations"/, { max: 1 });
  });

  it("opens the waiting conversation from the list and reads it", async () => {
    await tabTo(agent, /^link "Ana Lima/);
    await screenshot(agent, "ui-keyboard-row");
    await press(agent, "Enter");
    await expect.poll(() => new URL(agent.url()).pathname, WAIT).toBe(`/inbox/${conversationId}`);
    await agent.getByRole("heading", { name: "Ana Lima", level: 2 }).first().waitFor(WAIT);
    expect(await focused(agent)).toMatch(/^link "Ana Lima/);
    // The thread is a stop of its own: a keyboard scrolls it.
    await tabTo(agent, /^log "Messages"/);
    await agent.getByRole("log", { name: "Messages" }).getByText(QUESTION).waitFor(WAIT);
    await press(agent, "End");
    await screenshot(agent, "ui-keyboard-thread");
  });

  it("answers with a saved response, which reaches the visitor's chat", async () => {
    await tabTo(agent, /Saved responses/);
    await press(agent, "Space");
    await tabTo(agent, /^combobox "Category"/, { max: 1 });
    await tabTo(agent, /^combobox "Response"/, { max: 1 });
    await tabTo(agent, /^button "Insert"/, { max: 1 });
    await screenshot(agent, "ui-keyboard-saved-response");
    await press(agent, "Enter");
    // The text lands in the box, and the focus with it.
    const box = agent.getByRole("textbox", { name: "Reply" });
    await expect.poll(() => box.inputValue(), WAIT).toBe("Hi Ana, happy to help.");
    // The composer moves focus on the next frame after filling the box: on a busy machine, later.
    await expect.poll(() => focused(agent), WAIT).toMatch(/^textbox "Reply"/);
    await agent.keyboard.press("End");
    await agent.keyboard.type(" Which plan would you like?");
    // On Web Chat, Enter sends.
    await press(agent, "Enter");

    const answer = "Hi Ana, happy to help. Which plan would you like?";
    await agent.getByRole("log", { name: "Messages" }).getByText(answer).waitFor(WAIT);
    await visitor.getByRole("log", { name: "Messages" }).getByText(answer).waitFor(WAIT);
    const sent = (await parley.api("GET", `/api/conversations/${conversationId}/messages`, { as: owner })).json.items.at(-1);
    expect(sent).toMatchObject({ body: answer, channel: "chat", direction: "out" });
  });

  it("takes the conversation and marks it complete", async () => {
    const me = (await parley.api("GET", "/api/me", { as: owner })).json;
    await tabTo(agent, /^button "Assign to me"/, { back: true });
    await press(agent, "Enter");
    await expect.poll(async () => (await parley.api("GET", `/api/conversations/${conversationId}`, { as: owner })).json.assignee, WAIT).toBe(me.id);
    // The picker now names the agent; the focus stays in the header, on the way to Complete.
    await agent
      .getByRole("combobox", { name: "Assignee" })
      .getByRole("option", { name: `You (${OWNER.name})`, selected: true })
      .waitFor({ state: "attached", ...WAIT });
    await tabTo(agent, /^button "Complete"/, { max: 4 });
    await press(agent, "Enter");
    await expect.poll(async () => (await parley.api("GET", `/api/conversations/${conversationId}`, { as: owner })).json.status, WAIT).toBe("complete");
    // The same button now reopens it, and keeps the focus.
    await expect.poll(() => focused(agent), WAIT).toMatch(/^button "Reopen"/);
    await screenshot(agent, "ui-keyboard-completed");
  });

  it("adds the visitor's phone from the contact beside the conversation", async () => {
    await tabTo(agent, /^button "Add phone"/);
    await press(agent, "Enter");
    // The field that replaces the button takes the focus: nothing to hunt for.
    await expect.poll(() => focused(agent), WAIT).toMatch(/^textbox "Phone"/);
    await agent.keyboard.type("+14155550123");
    await press(agent, "Enter");
    await expect.poll(async () => (await parley.api("GET", `/api/contacts/${contactId}`, { as: owner })).json.phone, WAIT).toBe("+14155550123");
  });

  it("edits a contact's field and saves it", async () => {
    await tabTo(agent, /^link "Contacts"/, { back: true });
    await press(agent, "Enter");
    await expect.poll(() => new URL(agent.url()).pathname, WAIT).toBe("/contacts");
    await agent.getByRole("link", { name: "Ana Lima" }).waitFor(WAIT);
    await tabTo(agent, /^link "Ana Lima"/);
    await press(agent, "Enter");
    await agent.getByRole("heading", { name: "Ana Lima", level: 1 }).waitFor(WAIT);
    await tabTo(agent, /^textbox "Account"/);
    await agent.keyboard.type("ACME-42");
    await tabTo(agent, /^button "Save"/);
    await press(agent, "Enter");
    await agent.getByText("Contact saved.").waitFor(WAIT);
    expect((await parley.api("GET", `/api/contacts/${contactId}`, { as: owner })).json.account).toBe("ACME-42");
    await screenshot(agent, "ui-keyboard-contact-saved");
  });

  it("switches a Settings tab with the arrow keys, then signs out", async () => {
    await tabTo(agent, /^link "Settings"/, { back: true });
    await press(agent, "Enter");
    await expect.poll(() => new URL(agent.url()).pathname, WAIT).toBe("/settings");
    // The tab strip is one stop, on the selected tab; the arrows move along it.
    await tabTo(agent, /^tab "Chat form" \[selected\]/);
    await press(agent, "ArrowRight");
    await expect.poll(() => new URL(agent.url()).pathname, WAIT).toBe("/settings/appearance");
    await expect.poll(() => focused(agent), WAIT).toMatch(/^tab "Appearance" \[selected\]/);
    expect(await focusShows(agent)).toBe(true);
    await screenshot(agent, "ui-keyboard-settings-tab");

    await tabTo(agent, /^button "Sign out"/, { back: true });
    await press(agent, "Enter");
    await agent.getByRole("heading", { name: "Sign in to Parley" }).waitFor(WAIT);
    expect(await agent.getByRole("navigation", { name: "Main" }).count()).toBe(0);
  });
});
