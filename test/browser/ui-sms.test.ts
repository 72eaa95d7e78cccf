// SMS and Messenger in the agent UI, in Chromium: an admin's SMS inbox fed by Twilio's signed
// webhook, the composer's counters and credits, sending through a stand-in for Twilio, a campaign
// and the reply to it, an agent who sees none of it; and a Messenger conversation's reply window.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { openBrowser, OWNER, postSignedByTwilio, screenshot, startParley, type Parley, type Session, type TestBrowser } from "./harness";

const PORT = 8795;
const WAIT = { timeout: 15_000 };
const SAM = { email: "sam@parley.test", password: "sam's password", name: "Sam Agent" };
const TWILIO = { accountSid: "AC0123456789abcdef", authToken: "twilio auth token", fromNumber: "+14155550100" };
const APP_SECRET = "meta app secret";
const ANA = "+14155550123";

let parley: Parley;
let browser: TestBrowser;
let owner: Session;
let admin: Page;
let twilio: TwilioStandIn;

/** What Twilio's Messages API received, one entry a request. */
type Sent = { path: string; authorization: string | undefined; form: URLSearchParams };
type TwilioStandIn = { url: string; sent: Sent[]; stop(): Promise<void> };

/** A stand-in for Twilio's REST API: it keeps what it is sent; a body with "REFUSE" in it is refused as Twilio refuses a bad number. */
async function startTwilio(): Promise<TwilioStandIn> {
  const sent: Sent[] = [];
  const server: Server = createServer((req, res) => {
    let raw = "";
    req.on("data", (d) => (raw += d));
    req.on("end", () => {
      const form = new URLSearchParams(raw);
      sent.push({ path: req.url ?? "", authorization: req.headers.authorization, form });
      if (form.get("Body")?.includes("REFUSE")) {
        res.writeHead(400, { "content-type": "application/json" }).end(JSON.stringify({ code: 21211, message: "The 'To' number is not a valid phone number.", status: 400 }));
      } else {
        res.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ sid: `SM${String(sent.length).padStart(32, "0")}`, status: "queued" }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, sent, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** An inbound SMS as Twilio posts it: form-encoded, signed with the auth token over the URL and the sorted parameters. */
async function textIn(from: string, body: string, extra: Record<string, string> = {}) {
  const params: Record<string, string> = {
    MessageSid: `SM${crypto.randomUUID().replace(/-/g, "")}`,
    AccountSid: TWILIO.accountSid,
    From: from,
    To: TWILIO.fromNumber,
    Body: body,
    NumMedia: "0",
    ...extra,
  };
  const res = await postSignedByTwilio(`${parley.url}/webhooks/sms`, TWILIO.authToken, params);
  expect(res.status, await res.clone().text()).toBeLessThan(300);
}

/** A Messenger message as Meta posts it, signed with the app secret over the raw body. */
async function messengerIn(psid: string, mid: string, text: string, timestamp = Date.now(), extra: Record<string, unknown> = {}) {
  await messengerEvent({ sender: { id: psid }, recipient: { id: "PAGE" }, timestamp, message: { mid, text, ...extra } });
}

async function messengerEvent(event: Record<string, unknown>) {
  const body = JSON.stringify({ object: "page", entry: [{ id: "PAGE", time: Date.now(), messaging: [event] }] });
  const signature = `sha256=${createHmac("sha256", APP_SECRET).update(body).digest("hex")}`;
  const res = await fetch(`${parley.url}/webhooks/messenger`, { method: "POST", headers: { "content-type": "application/json", "x-hub-signature-256": signature }, body });
  expect(res.status).toBe(200);
}

const nav = (page: Page) => page.getByRole("navigation", { name: "Main" });
const conversations = (page: Page) => page.getByRole("region", { name: "Conversations" });
const row = (page: Page, text: string): Locator => conversations(page).getByRole("link").filter({ hasText: text });
const thread = (page: Page) => page.getByRole("log", { name: "Messages" });
const reply = (page: Page) => page.getByRole("form", { name: "Reply" });
const account = (page: Page) => page.getByRole("region", { name: "SMS account" });

beforeAll(async () => {
  twilio = await startTwilio();
  parley = await startParley({ port: PORT });
  owner = await parley.signUpOwner();
  const settings = await parley.api("PUT", "/api/settings", {
    as: owner,
    body: {
      sms: { ...TWILIO, credits: 10, apiBaseUrl: twilio.url, publicBaseUrl: parley.url },
      messenger: { pageId: "PAGE", appSecret: APP_SECRET, verifyToken: "verify", pageAccessToken: "page token", graphApiBaseUrl: `${twilio.url}/graph` },
    },
  });
  expect(settings.status, JSON.stringify(settings.json)).toBe(200);
  const sam = await parley.api("POST", "/api/users", { as: owner, body: SAM });
  expect(sam.status).toBe(201);
  browser = await openBrowser();
  admin = await browser.newPage({ height: 860 });
  await parley.signIn(admin, OWNER);
});

afterAll(async () => {
  await browser?.close();
  await parley?.stop();
  await twilio?.stop();
});

describe("the SMS inbox", () => {
  it("shows an inbound SMS live, with the unread count on the SMS nav item", async () => {
    await nav(admin).getByRole("link", { name: "SMS" }).click();
    await account(admin).getByText("10", { exact: true }).waitFor(WAIT);
    await account(admin).getByText(TWILIO.fromNumber).waitFor(WAIT);
    await admin.getByText("No conversations here.").waitFor(WAIT);
    await screenshot(admin, "ui-sms-empty");

    await textIn(ANA, "Hi, has my order shipped yet?");
    const ana = row(admin, ANA);
    await ana.waitFor(WAIT);
    await ana.getByText("1 unread").waitFor(WAIT);
    await ana.getByText("SMS", { exact: true }).waitFor(WAIT);
    await nav(admin).getByRole("link", { name: "SMS, 1 unread" }).waitFor(WAIT);
    await screenshot(admin, "ui-sms-unread");
  });

  it("opens the conversation, reads it, and counts the SMS as the admin types", async () => {
    await row(admin, ANA).click();
    await thread(admin).getByText("Hi, has my order shipped yet?").waitFor(WAIT);
    await thread(admin).locator(".message .channel.sms").first().waitFor(WAIT);
    // Opened is read: the nav's count goes.
    await nav(admin).getByRole("link", { name: "SMS", exact: true }).waitFor(WAIT);

    const form = reply(admin);
    await expect.poll(() => form.getByLabel("Channel").inputValue(), WAIT).toBe("sms");
    await form.getByText("10 credits left").waitFor(WAIT);
    const box = form.getByRole("textbox", { name: "Reply" });
    await box.fill("a".repeat(160));
    await form.getByText("160 characters · 1 SMS (GSM-7)").waitFor(WAIT);
    await box.press("a");
    await form.getByText("161 characters · 2 SMS (GSM-7)").waitFor(WAIT);
    await box.fill("Shipped today 😀");
    await form.getByText("15 characters · 1 SMS (UCS-2)").waitFor(WAIT);
    await box.fill("b".repeat(321));
    await form.getByText("321 characters · 3 SMS (GSM-7)").waitFor(WAIT);
    await form.getByText("Over 320 characters").waitFor(WAIT);
    await screenshot(admin, "ui-sms-counting-long");
    await box.fill("c".repeat(1601));
    await form.getByRole("alert").filter({ hasText: "at most 1,600 characters" }).waitFor(WAIT);
    expect(await form.getByRole("button", { name: "Send" }).isDisabled()).toBe(true);
    await screenshot(admin, "ui-sms-too-long");
  });

  it("sends through Twilio: the stand-in gets To, From and Body, and a credit is spent", async () => {
    const form = reply(admin);
    const box = form.getByRole("textbox", { name: "Reply" });
    await box.fill("Yes! It left our warehouse this morning.");
    await form.getByText("40 characters · 1 SMS (GSM-7)").waitFor(WAIT);
    await form.getByRole("button", { name: "Send" }).click();

    await thread(admin).getByText("Yes! It left our warehouse this morning.").waitFor(WAIT);
    await expect.poll(() => twilio.sent.length, WAIT).toBe(1);
    await row(admin, ANA).getByText("It left our warehouse").waitFor(WAIT);
    const [sent] = twilio.sent;
    expect(sent!.path).toBe(`/2010-04-01/Accounts/${TWILIO.accountSid}/Messages.json`);
    expect(sent!.authorization).toBe(`Basic ${Buffer.from(`${TWILIO.accountSid}:${TWILIO.authToken}`).toString("base64")}`);
    expect(Object.fromEntries(sent!.form)).toMatchObject({ To: ANA, From: TWILIO.fromNumber, Body: "Yes! It left our warehouse this morning." });

    const mine = thread(admin).getByRole("listitem").filter({ hasText: "Yes! It left our warehouse" });
    await mine.getByText("1 SMS", { exact: true }).waitFor(WAIT);
    await form.getByText("9 credits left").waitFor(WAIT);
    await account(admin).getByText("9", { exact: true }).waitFor(WAIT);
    expect((await parley.api("GET", "/api/sms", { as: owner })).json).toMatchObject({ credits: 9 });
    await screenshot(admin, "ui-sms-sent");
  });

  it("shows Twilio's refusal on the failed message, and the server's 402 when credits run short", async () => {
    const form = reply(admin);
    const box = form.getByRole("textbox", { name: "Reply" });
    await box.fill("REFUSE this one please");
    await form.getByRole("button", { name: "Send" }).click();
    const failed = thread(admin).getByRole("listitem").filter({ hasText: "REFUSE this one please" });
    await failed.getByText("Not delivered", { exact: true }).waitFor(WAIT);
    await failed.getByText("The 'To' number is not a valid phone number.", { exact: false }).waitFor(WAIT);
    // Twilio did not take it: the credit comes back.
    await form.getByText("9 credits left").waitFor(WAIT);

    await parley.api("PUT", "/api/settings", { as: owner, body: { sms: { credits: 1 } } });
    await box.fill("d".repeat(200));
    await form.getByText("200 characters · 2 SMS (GSM-7)").waitFor(WAIT);
    await form.getByRole("button", { name: "Send" }).click();
    await form
      .getByRole("alert")
      .filter({ hasText: /credit/i })
      .waitFor(WAIT);
    await form.getByRole("link", { name: "Top up SMS credits" }).waitFor(WAIT);
    await screenshot(admin, "ui-sms-402");
    expect(twilio.sent.length).toBe(2);
  });

  it("tops up the balance from the SMS page", async () => {
    const panel = account(admin);
    await panel.getByText("Top up").click();
    await panel.getByLabel("Credits to add").fill("25");
    await panel.getByRole("button", { name: "Add credits" }).click();
    await panel.getByText("26", { exact: true }).waitFor(WAIT);
    await reply(admin).getByText("26 credits left").waitFor(WAIT);
    expect((await parley.api("GET", "/api/sms", { as: owner })).json).toMatchObject({ credits: 26 });
    await screenshot(admin, "ui-sms-topped-up");
  });

  it("sends a new SMS as a campaign and opens its conversation; the reply to it says what it answers", async () => {
    await account(admin).getByRole("link", { name: "New SMS" }).click();
    const form = admin.getByRole("form", { name: "New SMS" });
    await form.getByLabel("To").fill("(415) 555-0199");
    await form.getByLabel("Campaign name").fill("Spring sale");
    await form.getByLabel("Message").fill("Spring sale: 20% off everything this weekend. Reply STOP to opt out.");
    await form.getByText("68 characters · 1 SMS (GSM-7)").waitFor(WAIT);
    await screenshot(admin, "ui-sms-new");
    await form.getByRole("button", { name: "Send SMS" }).click();

    await thread(admin).getByText("Spring sale: 20% off everything this weekend.").waitFor(WAIT);
    expect(new URL(admin.url()).pathname).toMatch(/^\/sms\/[\w-]+$/);
    await expect.poll(() => twilio.sent.length, WAIT).toBe(3);
    expect(Object.fromEntries(twilio.sent[2]!.form)).toMatchObject({ To: "+14155550199", From: TWILIO.fromNumber });
    await thread(admin).getByText("Campaign “Spring sale”").waitFor(WAIT);

    await textIn("+14155550199", "Does it include shoes?", { NumMedia: "1", MediaUrl0: "https://api.twilio.test/media/ME1", MediaContentType0: "image/jpeg" });
    const answer = thread(admin).getByRole("listitem").filter({ hasText: "Does it include shoes?" });
    await answer.getByRole("figure", { name: "In reply to campaign “Spring sale”" }).getByText("20% off everything").waitFor(WAIT);
    const media = answer.getByRole("link", { name: "Image (JPEG)" });
    expect(await media.getAttribute("href")).toBe("https://api.twilio.test/media/ME1");
    await row(admin, "+14155550199").waitFor(WAIT);
    await screenshot(admin, "ui-sms-campaign-reply");
  });

  it("finds SMS conversations by phone in another format", async () => {
    const search = conversations(admin).getByRole("searchbox", { name: "Search conversations" });
    await search.fill("415 555 0123");
    await row(admin, ANA).waitFor(WAIT);
    await row(admin, "+14155550199").waitFor({ state: "detached", ...WAIT });
    await search.fill("");
    await row(admin, "+14155550199").waitFor(WAIT);
  });

  it("offers no SMS to an opted-out number, and says why", async () => {
    await textIn(ANA, "STOP");
    await row(admin, ANA).click();
    await thread(admin).getByText("STOP", { exact: true }).waitFor(WAIT);
    // Every SMS conversation is read now: the nav's count goes.
    await nav(admin).getByRole("link", { name: "SMS", exact: true }).waitFor(WAIT);
    const form = reply(admin);
    await form.getByText("SMS cannot be used now.").waitFor(WAIT);
    expect(await form.getByRole("option", { name: "SMS (unavailable)" }).isDisabled()).toBe(true);
    expect(await form.getByRole("button", { name: "Send" }).isDisabled()).toBe(true);
    await screenshot(admin, "ui-sms-opted-out");
  });

  it("fits a 360 px wide phone: the SMS list, then the conversation with a way back", async () => {
    const phone = await browser.newPage({ width: 360, height: 860 });
    await parley.signIn(phone, OWNER);
    await phone.goto(`${parley.url}/sms`);
    await row(phone, ANA).waitFor(WAIT);
    // Nothing wider than the screen, the page itself or the SMS column inside it.
    const overflow = () =>
      phone.evaluate(() => Math.max(document.documentElement.scrollWidth, document.querySelector(".side")?.scrollWidth ?? 0, document.querySelector("main")!.scrollWidth) - window.innerWidth);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot(phone, "ui-sms-360");
    await row(phone, "+14155550199").click();
    await thread(phone).getByText("Does it include shoes?").waitFor(WAIT);
    expect(await account(phone).isVisible()).toBe(false);
    await reply(phone).getByRole("textbox", { name: "Reply" }).fill("Yes, shoes too 👟");
    await reply(phone).getByText("16 characters · 1 SMS (UCS-2)").waitFor(WAIT);
    expect(await overflow()).toBeLessThanOrEqual(0);
    await screenshot(phone, "ui-sms-conversation-360");
    await phone.getByRole("link", { name: "← SMS" }).click();
    await account(phone).waitFor({ state: "visible", ...WAIT });
  });

  it("shows an agent no SMS: no nav item, no SMS conversation in their inbox, and no SMS page", async () => {
    const sam = await browser.newPage({ height: 860 });
    await parley.signIn(sam, SAM);
    await conversations(sam).waitFor(WAIT);
    await sam.getByText("No conversations here.").waitFor(WAIT);
    expect(await nav(sam).getByRole("link", { name: "SMS" }).count()).toBe(0);
    // A new SMS while Sam watches does not reach his inbox either.
    await textIn("+14155550177", "Anyone there?");
    await row(admin, "+14155550177").waitFor(WAIT);
    await filterAll(sam);
    expect(await conversations(sam).getByRole("link").count()).toBe(0);
    await sam.goto(`${parley.url}/sms`);
    await sam.getByText("SMS is for admins.").waitFor(WAIT);
    await screenshot(sam, "ui-sms-agent");
  });
});

async function filterAll(page: Page) {
  await page.getByRole("group", { name: "Show" }).getByRole("button", { name: "All" }).click();
  await page.getByText("No conversations here.").waitFor(WAIT);
}

/** The id of the conversation holding a message with this text, as the API lists them. */
async function conversationWith(text: string): Promise<string> {
  let found: string | undefined;
  await expect
    .poll(async () => {
      const { json } = await parley.api("GET", "/api/conversations?status=all&limit=100", { as: owner });
      for (const c of json.items as { id: string }[]) {
        const { json: page } = await parley.api("GET", `/api/conversations/${c.id}/messages`, { as: owner });
        if ((page.items as { body: string }[]).some((m) => m.body === text)) return (found = c.id);
      }
      return null;
    }, WAIT)
    .not.toBeNull();
  return found!;
}

describe("Messenger in the composer", () => {
  it("replies on Messenger by default and shows how long its window stays open", async () => {
    await messengerIn("psid-lee", "m_lee_1", "Hi! Do you deliver on Sundays?");
    await nav(admin).getByRole("link", { name: "Inbox" }).click();
    await row(admin, "Messenger user").click();
    await thread(admin).getByText("Hi! Do you deliver on Sundays?").waitFor(WAIT);
    const form = reply(admin);
    await expect.poll(() => form.getByLabel("Channel").inputValue(), WAIT).toBe("messenger");
    await form.getByText(/Messenger window: (23|24) h left/).waitFor(WAIT);
    await thread(admin).locator(".message .channel.messenger").first().waitFor(WAIT);

    // A photo: a link to Meta's copy, not a line of URL in the text.
    await messengerIn("psid-lee", "m_lee_2", "This is the address", Date.now(), { attachments: [{ type: "image", payload: { url: "https://cdn.fbsbx.test/photo.jpg" } }] });
    const photo = thread(admin).getByRole("listitem").filter({ hasText: "This is the address" });
    expect(await photo.getByRole("link", { name: "Image" }).getAttribute("href")).toBe("https://cdn.fbsbx.test/photo.jpg");
    expect(await photo.locator(".body").textContent()).toBe("This is the address");
    // A reply a Page admin wrote in Meta's own inbox comes back as an echo: the Page's, in the thread.
    await messengerEvent({ sender: { id: "PAGE" }, recipient: { id: "psid-lee" }, timestamp: Date.now(), message: { mid: "m_page_1", text: "We deliver Sundays 10-4.", is_echo: true } });
    const echo = thread(admin).getByRole("listitem").filter({ hasText: "We deliver Sundays 10-4." });
    await echo.getByText("Page", { exact: true }).waitFor(WAIT);
    expect(await echo.getAttribute("class")).toContain("out");
    await screenshot(admin, "ui-messenger-window");
  });

  it("says the window has closed for a person who wrote more than 24 hours ago, and offers no Messenger reply", async () => {
    await messengerIn("psid-kim", "m_kim_1", "Hello from last week", Date.now() - 25 * 3_600_000);
    const id = await conversationWith("Hello from last week");
    await admin.goto(`${parley.url}/inbox/${id}`);
    await thread(admin).getByText("Hello from last week").waitFor(WAIT);
    const form = reply(admin);
    await form.getByText("Messenger window closed.").waitFor(WAIT);
    expect(await form.getByRole("option", { name: "Messenger (unavailable)" }).isDisabled()).toBe(true);
    expect(await form.getByRole("button", { name: "Send" }).isDisabled()).toBe(true);
    await screenshot(admin, "ui-messenger-closed");
  });
});

describe("channel settings", () => {
  it("shows the SMS connection in Settings, the token write-only, and saves it", async () => {
    await nav(admin).getByRole("link", { name: "Settings" }).click();
    await admin.getByRole("tab", { name: "SMS" }).click();
    const form = admin.getByRole("form", { name: "SMS settings" });
    expect(await form.getByLabel("Account SID").inputValue()).toBe(TWILIO.accountSid);
    expect(await form.getByLabel("SMS number").inputValue()).toBe(TWILIO.fromNumber);
    expect(await form.getByLabel("Auth token").inputValue()).toBe("");
    await form.getByLabel("SMS number").fill("+1 (415) 555-0111");
    await form.getByRole("button", { name: "Save SMS settings" }).click();
    await admin.getByText("SMS settings saved.").waitFor(WAIT);
    const saved = (await parley.api("GET", "/api/settings", { as: owner })).json.sms;
    expect(saved).toMatchObject({ accountSid: TWILIO.accountSid, fromNumber: "+14155550111", apiBaseUrl: twilio.url, authToken: expect.stringMatching(/^•+$/) });
    await screenshot(admin, "ui-settings-sms");
  });
});
