// Contacts, the contact panel, long threads, settings and small screens, in Chromium.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { createHmac } from "node:crypto";
import { holdAnswer, hostPage, openBrowser, OWNER, screenshot, startParley, widgetSnippet, type Parley, type Session, type TestBrowser } from "./harness";

const PORT = 8790;
const WAIT = { timeout: 15_000 };

let parley: Parley;
let browser: TestBrowser;
let owner: Session;
let page: Page;

/** Mail as Email Routing hands it to the Worker (wrangler dev's local email endpoint). */
async function receiveMail(from: string, subject: string, body: string, file?: { name: string; text: string }) {
  const address = from.match(/<(.+)>/)?.[1] ?? from;
  const head = [`From: ${from}`, "To: support@parley.test", `Subject: ${subject}`, `Message-ID: <${crypto.randomUUID()}@mail.example>`, "Date: Sun, 22 Nov 2026 09:00:00 +0000"];
  const content = file
    ? [
        'Content-Type: multipart/mixed; boundary="part"',
        "",
        "--part",
        "Content-Type: text/plain; charset=utf-8",
        "",
        body,
        "--part",
        `Content-Type: text/plain; name="${file.name}"`,
        `Content-Disposition: attachment; filename="${file.name}"`,
        "",
        file.text,
        "--part--",
      ]
    : ["Content-Type: text/plain; charset=utf-8", "", body];
  const raw = [...head, ...content, ""].join("\r\n");
  const res = await fetch(`${parley.url}/cdn-cgi/handler/email?from=${encodeURIComponent(address)}&to=support@parley.test`, { method: "POST", body: raw });
  expect(res.ok).toBe(true);
}

const contactsTable = () => page.getByRole("table");
const panel = () => page.getByRole("complementary", { name: "Contact" });
const thread = () => page.getByRole("log", { name: "Messages" });
const conversationRow = (name: string) => page.getByRole("region", { name: "Conversations" }).getByRole("link").filter({ hasText: name });

let chatWithAna: string;

beforeAll(async () => {
  parley = await startParley({ port: PORT });
  owner = await parley.signUpOwner();
  browser = await openBrowser();
  page = await browser.newPage();
  await page.setViewportSize({ width: 1280, height: 800 });
  page.on("dialog", (dialog) => dialog.accept());

  await receiveMail("Ana Lima <ana@example.com>", "Invoice question", "Where is my invoice for October?");
  chatWithAna = await parley.visitorWrites("Hello from the website", { email: "ana@example.com", fullName: "Ana Lima" });
  await receiveMail("Ana Lima <ana.lima@work.example>", "From my work address", "Writing from work this time.");
  await parley.visitorWrites("Is anyone there?");
  await parley.signIn(page, OWNER);
});

afterAll(async () => {
  await browser?.close();
  await parley?.stop();
});

describe("contacts", () => {
  it("edits a contact and finds them again by a phone number typed in another format", async () => {
    await page.getByRole("link", { name: "Contacts" }).click();
    await contactsTable().getByRole("cell", { name: "ana@example.com" }).waitFor(WAIT);
    await contactsTable().getByRole("row").filter({ hasText: "ana@example.com" }).getByRole("link").click();
    await page.getByRole("heading", { name: "Ana Lima" }).waitFor(WAIT);

    const form = page.getByRole("form", { name: "Edit contact" });
    await form.getByLabel("Phone").fill("(415) 555-0123");
    await form.getByLabel("Account").fill("Acme Corp");
    await form.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => form.getByLabel("Phone").inputValue(), WAIT).toBe("+14155550123");

    await page.getByRole("link", { name: "← Contacts" }).click();
    await page.getByRole("searchbox", { name: "Search contacts" }).fill("415.555.0123");
    await expect.poll(() => contactsTable().getByRole("row").count(), WAIT).toBe(2); // the header and Ana
    await contactsTable().getByRole("cell", { name: "Acme Corp" }).waitFor(WAIT);
  });

  it("lists every conversation on every channel, and merging a duplicate brings theirs in", async () => {
    await contactsTable().getByRole("link", { name: "Ana Lima" }).click();
    await page.getByRole("tab", { name: "Conversations" }).click();
    const list = page.getByRole("tabpanel");
    await list.getByRole("link").filter({ hasText: "Web Chat" }).waitFor(WAIT);
    await list.getByRole("link").filter({ hasText: "Invoice question" }).getByText("Email").waitFor(WAIT);
    expect(await list.getByRole("link").count()).toBe(2);

    await page.getByRole("tab", { name: "Merge" }).click();
    await page.getByRole("searchbox", { name: "Find the contact to merge" }).fill("work.example");
    await page.getByRole("button", { name: "Merge Ana Lima into this one" }).click();
    await page.getByRole("tab", { name: "Conversations", selected: true }).waitFor(WAIT);
    await list.getByRole("link").filter({ hasText: "From my work address" }).waitFor(WAIT);
    expect(await list.getByRole("link").count()).toBe(3);

    await page.getByRole("tab", { name: "Details" }).click();
    await page.getByRole("listitem").filter({ hasText: "ana.lima@work.example" }).waitFor(WAIT);
    await page.getByRole("link", { name: "← Contacts" }).click();
    await contactsTable().getByRole("cell", { name: "ana@example.com" }).waitFor(WAIT);
    expect(await contactsTable().getByRole("cell", { name: "ana.lima@work.example" }).count()).toBe(0);
  });
});

describe("the contact panel", () => {
  it("names an anonymous visitor by email, then tags them and records their consent", async () => {
    // Email replies need the workspace's address: the composer offers only what the server says can be sent now.
    await parley.api("PUT", "/api/settings", { as: owner, body: { email: { inboundAddress: "support@parley.test", fromName: "Parley Support" } } });
    await page.getByRole("link", { name: "Inbox" }).click();
    // Keyboard only: focus the conversation and open it with Enter.
    await conversationRow("Website visitor").focus();
    await page.keyboard.press("Enter");
    await thread().getByText("Is anyone there?").waitFor(WAIT);
    await panel().getByRole("heading", { name: "Anonymous visitor" }).waitFor(WAIT);
    const channel = page.getByRole("form", { name: "Reply" }).getByLabel("Channel");
    // The channels the server lists for this conversation (reply-options): Email, without an address, is offered disabled.
    await expect.poll(() => channel.locator("option").allTextContents(), WAIT).toEqual(["Web Chat", "Email (unavailable)"]);
    expect(await channel.locator("option", { hasText: "Email" }).isDisabled()).toBe(true);

    await panel().getByRole("button", { name: "Add email" }).click();
    await panel().getByRole("textbox", { name: "Email" }).fill("bruno@example.com");
    await panel().getByRole("button", { name: "Save" }).click();
    await panel().getByRole("link", { name: "bruno@example.com" }).waitFor(WAIT);
    // Now that an address is known, Email is offered (the visitor is offline: it is preselected).
    await expect.poll(() => channel.locator("option").allTextContents(), WAIT).toEqual(["Web Chat", "Email"]);
    expect(await channel.inputValue()).toBe("email");

    await panel().getByRole("textbox", { name: "New tag" }).fill("vip");
    await page.keyboard.press("Enter");
    await panel().getByRole("button", { name: "Remove tag vip" }).waitFor(WAIT);
    await panel().getByRole("textbox", { name: "New tag" }).fill("trial");
    await panel().getByRole("button", { name: "Add tag" }).click();
    await panel().getByRole("button", { name: "Remove tag trial" }).waitFor(WAIT);
    await panel().getByRole("button", { name: "Remove tag vip" }).click();
    await panel()
      .getByRole("button", { name: "Remove tag vip" })
      .waitFor({ state: "detached", ...WAIT });
    await panel().getByRole("checkbox", { name: "Marketing consent" }).check();
    await expect.poll(async () => (await parley.api("GET", "/api/contacts?q=bruno", { as: owner })).json.items[0]?.marketingConsent, WAIT).toBe(true);

    await page.reload();
    await panel().getByRole("button", { name: "Remove tag trial" }).waitFor(WAIT);
    expect(await panel().getByRole("button", { name: "Remove tag vip" }).count()).toBe(0);
    expect(await panel().getByRole("checkbox", { name: "Marketing consent" }).isChecked()).toBe(true);
    await panel().getByRole("link", { name: "Full profile" }).click();
    await page.getByRole("heading", { name: "bruno@example.com" }).waitFor(WAIT);
  });
});

describe("a visitor who named themselves in the chat form", () => {
  it("is shown not verified, and a phone the agent adds goes to that contact, who keeps the thread", async () => {
    const chat = await parley.visitorWrites("Can you call me back?", { email: "dora@example.com", fullName: "Dora Diaz" });
    await page.getByRole("link", { name: "Inbox" }).click();
    await conversationRow("Dora Diaz").click();
    await panel().getByText("Identity not verified").waitFor(WAIT);

    await panel().getByRole("button", { name: "Add phone" }).click();
    await panel().getByRole("textbox", { name: "Phone" }).fill("+1 415 555 0199");
    await panel().getByRole("button", { name: "Save" }).click();
    await panel().getByRole("link", { name: "+14155550199" }).waitFor(WAIT);
    await panel().getByRole("heading", { name: "Dora Diaz" }).waitFor(WAIT);
    await screenshot(page, "panel-phone-added-to-claimed-contact");

    const [dora] = (await parley.api("GET", "/api/contacts?q=dora@example.com", { as: owner })).json.items;
    expect(dora).toMatchObject({ email: "dora@example.com", phone: "+14155550199", firstName: "Dora" });
    const theirs = (await parley.api("GET", `/api/contacts/${dora.id}/conversations`, { as: owner })).json.items.map((c: { id: string }) => c.id);
    expect(theirs).toEqual([chat]);
  });
});

describe("an agent whose access ends while the inbox is open", () => {
  it("is taken to the sign-in page by the live feed, without a reload", async () => {
    const agent = { email: "gone.agent@parley.test", password: "agent password 1" };
    const created = await parley.api("POST", "/api/users", { as: owner, body: { ...agent, name: "Gone Agent", role: "agent" } });
    const theirs = await browser.newPage();
    try {
      await parley.signIn(theirs, agent);
      await parley.api("PATCH", `/api/users/${created.json.id}`, { as: owner, body: { disabled: true } });
      await theirs.getByRole("button", { name: "Sign in" }).waitFor(WAIT);
      await screenshot(theirs, "signed-out-by-disabling");
    } finally {
      await theirs.close();
    }
  });
});

describe("the inbox search", () => {
  it("finds conversations by the contact's email or a phone typed in any format, and keeps the search in the address", async () => {
    await page.getByRole("link", { name: "Inbox" }).click();
    const search = page.getByRole("searchbox", { name: "Search conversations" });
    await search.fill("bruno@example");
    await conversationRow("bruno@example.com").waitFor(WAIT);
    await expect.poll(() => page.getByRole("region", { name: "Conversations" }).getByRole("link").count(), WAIT).toBe(1);

    await search.fill("+1 415-555-0123");
    await conversationRow("Ana Lima").first().waitFor(WAIT);
    expect(await conversationRow("bruno@example.com").count()).toBe(0);
    await expect.poll(() => new URL(page.url()).searchParams.get("q"), WAIT).toBe("+1 415-555-0123");
    await page.reload();
    expect(await search.inputValue()).toBe("+1 415-555-0123");
    await search.fill("");
    await conversationRow("bruno@example.com").waitFor(WAIT);
  });
});

describe("identity", () => {
  it("marks a visitor the website vouched for with a valid hash as verified", async () => {
    const secret = "a-long-identity-secret-for-tests";
    await parley.api("PUT", "/api/settings", { as: owner, body: { identitySecret: secret } });
    const hash = createHmac("sha256", secret).update("carla@example.com").digest("hex");
    const site = await hostPage(widgetSnippet(parley.url, [`Parley.push(["identify", { email: "carla@example.com", name: "Carla Dias", hash: "${hash}" }]);`]));
    const carla = await browser.newPage();
    try {
      await carla.goto(site.url);
      await carla.getByRole("button", { name: "Open chat" }).click();
      await carla.getByRole("textbox", { name: "Message" }).fill("Signed in and writing.");
      await carla.getByRole("button", { name: "Send" }).click();

      await conversationRow("Carla Dias").click();
      await panel().getByText("Identity verified").waitFor(WAIT);
      await panel().getByRole("link", { name: "carla@example.com" }).waitFor(WAIT);
    } finally {
      await carla.close();
      await site.stop();
      await parley.api("PUT", "/api/settings", { as: owner, body: { identitySecret: "" } });
    }
  });
});

describe("a long thread", () => {
  it("opens at its newest messages and loads earlier pages as the agent scrolls up", async () => {
    for (let i = 1; i <= 120; i++) {
      const res = await parley.api("POST", `/api/conversations/${chatWithAna}/messages`, { as: owner, body: { channel: "chat", body: `Reply number ${i}` } });
      expect(res.status, JSON.stringify(res.json)).toBe(201);
    }
    await page.goto(`${parley.url}/inbox/${chatWithAna}`);
    await thread().getByText("Reply number 120", { exact: true }).waitFor(WAIT);
    expect(await thread().getByRole("listitem").count()).toBeLessThanOrEqual(51);
    expect(await thread().getByText("Hello from the website").count()).toBe(0);

    // Scrolling to the top fetches the page before, and the one before that, until the start.
    for (let i = 0; i < 5 && !(await thread().getByText("Start of the conversation").count()); i++) {
      await thread().evaluate((el) => (el.scrollTop = 0));
      await page.waitForTimeout(400);
    }
    await thread().getByText("Start of the conversation").waitFor(WAIT);
    await thread().getByText("Hello from the website").waitFor(WAIT);
    await thread().getByText("Reply number 1", { exact: true }).waitFor(WAIT);
  });
});

describe("the chat transcript", () => {
  it("emails the chat thread to the contact and shows the email in the thread", async () => {
    await parley.api("PUT", "/api/settings", { as: owner, body: { email: { inboundAddress: "support@parley.test", fromName: "Parley Support" } } });
    await page.goto(`${parley.url}/inbox/${chatWithAna}`);
    await page.getByRole("button", { name: "Email transcript" }).click();
    await page.getByText("Transcript sent to ana@example.com.").waitFor(WAIT);
    const sent = (await parley.api("GET", `/api/conversations/${chatWithAna}/messages`, { as: owner })).json.items.at(-1);
    expect(sent).toMatchObject({ direction: "out", channel: "email" });
    await thread().getByRole("listitem").last().getByText("Email", { exact: true }).waitFor(WAIT);
  });
});

describe("an email with a file and a quoted reply", () => {
  it("shows the new text, the quoted part folded away, and the file to download", async () => {
    await receiveMail("Tom Becker <tom@becker.example>", "Receipt", "Here it is.\n\nOn Sat, 21 Nov 2026 at 10:00, Parley Support <support@parley.test> wrote:\n> Could you send us the receipt?", {
      name: "receipt.txt",
      text: "Total: 42 EUR",
    });
    await page.goto(`${parley.url}/inbox`);
    await conversationRow("Tom Becker").click();
    const message = thread().getByRole("listitem").filter({ hasText: "Here it is." });
    await message.waitFor(WAIT);
    const quoted = message.getByText("Could you send us the receipt?");
    expect(await quoted.isVisible()).toBe(false);
    await message.getByText("Quoted text").click();
    await quoted.waitFor({ state: "visible", ...WAIT });

    const file = message.getByRole("link", { name: "receipt.txt" });
    const download = await page.request.get(new URL((await file.getAttribute("href"))!, parley.url).href);
    expect(download.status()).toBe(200);
    expect((await download.text()).trim()).toBe("Total: 42 EUR");
  });
});

describe("settings", () => {
  it("sets the chat form's fields, which the widget then asks for", async () => {
    await page.goto(`${parley.url}/settings`);
    const form = page.getByRole("form", { name: "Chat form fields" });
    await form.getByLabel("Phone number").selectOption({ label: "Required" });
    await form.getByLabel("Account").selectOption({ label: "Optional" });
    await form.getByLabel("Full name").selectOption({ label: "Removed" });
    await form.getByRole("button", { name: "Save chat form" }).click();
    await page.getByText("Chat form saved.").waitFor(WAIT);
    expect((await parley.api("GET", "/api/widget/config")).json.chatForm).toEqual({ phone: "required", account: "optional", fullName: "off" });
  });

  it("lists a user added while the first list of users was still on its way", async () => {
    const first = await holdAnswer<{ items: { email: string }[] }>(page, (url) => url.pathname === "/api/users");
    await page.getByRole("tab", { name: "Users" }).click();
    expect((await first.answered).items.map((user) => user.email)).not.toContain("lea@parley.test");
    const addUser = page.getByRole("form", { name: "Add a user" });
    await addUser.getByLabel("Name").fill("Lea Agent");
    await addUser.getByLabel("Email").fill("lea@parley.test");
    await addUser.getByLabel("Password").fill("lea's password");
    await addUser.getByRole("button", { name: "Add user" }).click();
    await page.getByRole("cell", { name: "lea@parley.test" }).waitFor(WAIT);
    // The first list, older than the change, arrives last: Lea stays listed.
    await first.deliver();
    expect(await page.getByRole("cell", { name: "lea@parley.test" }).count()).toBe(1);
  });

  it("shows a new API token once; it works until it is revoked", async () => {
    await page.getByRole("tab", { name: "API tokens" }).click();
    await page.getByRole("form", { name: "New API token" }).getByLabel("Token name").fill("CRM sync");
    await page.getByRole("button", { name: "Create token" }).click();
    const token = await page.getByRole("textbox", { name: "New API token" }).inputValue();
    expect(token.length).toBeGreaterThan(20);
    expect((await parley.api("GET", "/api/conversations", { as: { token } })).status).toBe(200);

    await page.reload();
    await page.getByText("CRM sync").waitFor(WAIT);
    expect(await page.content()).not.toContain(token);
    await page.getByRole("button", { name: "Revoke CRM sync" }).click();
    await page.getByText("No tokens yet.").waitFor(WAIT);
    expect((await parley.api("GET", "/api/conversations", { as: { token } })).status).toBe(401);
  });

  it("keeps the identity secret write-only and offers the embed snippet for this Worker", async () => {
    await page.getByRole("tab", { name: "Identity" }).click();
    await page.getByRole("button", { name: "Generate" }).click();
    const secret = await page.getByLabel("New identity secret").inputValue();
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    await page.getByRole("button", { name: "Save secret" }).click();
    // Masked whole: not even its last characters are shown.
    await page.getByText("Current secret: ••••••••", { exact: true }).waitFor(WAIT);
    expect(await page.content()).not.toContain(secret);

    await page.getByRole("tab", { name: "Embed" }).click();
    const snippet = await page.getByLabel("Embed snippet").textContent();
    expect(snippet).toContain(`<script src="${parley.url}/widget.js" defer></script>`);
    expect(snippet).toContain('Parley.push(["identify"');
  });

  it("is for admins only: an agent sees no settings", async () => {
    await parley.api("POST", "/api/users", { as: owner, body: { email: "ines@parley.test", name: "Ines Agent", password: "ines password", role: "agent" } });
    const agent = await browser.newPage();
    await parley.signIn(agent, { email: "ines@parley.test", password: "ines password" });
    expect(await agent.getByRole("link", { name: "Settings" }).count()).toBe(0);
    await agent.goto(`${parley.url}/settings`);
    await agent.getByText("Settings are for admins.").waitFor(WAIT);
    await agent.close();
  });
});

describe("on a 360 px wide phone", () => {
  it("shows the list, then the conversation with a way back, with nothing wider than the screen", async () => {
    await page.setViewportSize({ width: 360, height: 740 });
    await page.goto(`${parley.url}/inbox`);
    await conversationRow("Ana Lima").first().waitFor(WAIT);
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot(page, "ui-inbox-360");

    await conversationRow("Invoice question").or(conversationRow("Where is my invoice")).first().click();
    await thread().getByText("Where is my invoice for October?").waitFor(WAIT);
    expect(await page.getByRole("region", { name: "Conversations" }).isVisible()).toBe(false);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot(page, "ui-conversation-360");

    await page.getByRole("link", { name: "← Inbox" }).click();
    await page.getByRole("region", { name: "Conversations" }).waitFor({ state: "visible", ...WAIT });
  });
});
