// Accessibility in Chromium: axe-core over every page of the agent UI with real content in it,
// every tab of every tab strip, the erase dialog, and the widget open on a customer's website,
// in English, Italian and Russian. A serious or critical finding fails, named by rule and element.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { hostPage, openBrowser, OWNER, postSignedByTwilio, screenshot, startParley, widgetSnippet, type Parley, type Session, type TestBrowser } from "./harness";

const PORT = 8897;
const WAIT = { timeout: 15_000 };
const AXE = readFileSync(join(import.meta.dirname, "..", "..", "node_modules", "axe-core", "axe.min.js"), "utf8");
const STANDARDS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"];
// Two languages: the words change, and with them names, lengths and what the markup must still say.
const LANGUAGES = ["en", "it"] as const;
type Language = (typeof LANGUAGES)[number];
const TWILIO = { accountSid: "AC0123456789abcdef", authToken: "twilio auth token", fromNumber: "+14155550100" };
const BRUNO = "+14155550123";

let parley: Parley;
let browser: TestBrowser;
let owner: Session;
let chatId: string;
let anaId: string;

/** Resolves once the page has not changed for half a second: its data fetched and drawn. */
async function settled(page: Page) {
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const observer = new MutationObserver(() => {
          clearTimeout(timer);
          timer = setTimeout(done, 500);
        });
        const done = () => {
          observer.disconnect();
          resolve();
        };
        let timer = setTimeout(done, 500);
        observer.observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
      }),
  );
}

/**
 * axe-core's serious and critical findings on the page (or inside `include`, shadow roots and all),
 * one line each: rule, impact, the element's selector and what is wrong with it. Injected through
 * the DevTools protocol, which the page's Content-Security-Policy does not govern.
 */
async function findings(page: Page, include?: string): Promise<string[]> {
  await settled(page);
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(AXE);
  return page.evaluate(
    async ({ include, standards }) => {
      const axe = (window as any).axe;
      const { violations } = await axe.run(include ? { include: [include] } : document, { runOnly: standards });
      return violations.flatMap((rule: any) =>
        rule.nodes
          .filter((node: any) => node.impact === "serious" || node.impact === "critical")
          .map((node: any) => `${rule.id} (${node.impact}) ${node.target.join(" ")}: ${node.failureSummary.replace(/\s+/g, " ")}`),
      );
    },
    { include, standards: STANDARDS },
  );
}

/** Scans what the page shows now; a screenshot of it is kept to look at. */
async function scan(page: Page, name: string, include?: string) {
  const found = await findings(page, include);
  await screenshot(page, `a11y-${name}`);
  return found.map((line) => `${name}: ${line}`);
}

/** Scans each tab of the page's first tab strip in turn: the panel behind every tab. */
async function scanTabs(page: Page, name: string) {
  const tabs = page.getByRole("tablist").first().getByRole("tab");
  await tabs.first().waitFor(WAIT);
  const found: string[] = [];
  for (let i = 0; i < (await tabs.count()); i++) {
    await tabs.nth(i).click();
    const id = (await tabs.nth(i).getAttribute("id"))?.replace(/^tab-/, "") ?? String(i);
    found.push(...(await scan(page, `${name}-${id}`)));
  }
  return found;
}

/** A page whose browser prefers `language`: the sign-in and setup pages speak it before anyone is known. */
async function pageIn(language: Language) {
  return (await browser.newContext({ locale: language, viewport: { width: 1280, height: 800 } })).newPage();
}

/** An inbound SMS as Twilio posts it. */
async function textIn(from: string, body: string) {
  const sms = { MessageSid: `SM${crypto.randomUUID().replace(/-/g, "")}`, AccountSid: TWILIO.accountSid, From: from, To: TWILIO.fromNumber, Body: body, NumMedia: "0" };
  expect((await postSignedByTwilio(`${parley.url}/webhooks/sms`, TWILIO.authToken, sms)).status).toBeLessThan(300);
}

/** A workspace in use: a chat with replies and a note, an SMS, contacts, a saved response, a workflow, a webhook, a token, a teammate. */
async function seed() {
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await parley.api(method, path, { as: owner, body });
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.json)}`).toBeLessThan(300);
    return res.json;
  };
  await call("PUT", "/api/settings", { sms: { ...TWILIO, credits: 10, publicBaseUrl: parley.url } });
  await call("POST", "/api/users", { email: "sam@parley.test", password: "sam's password", name: "Sam Agent", role: "agent" });
  chatId = await parley.visitorWrites("Hi, can I change my plan before the trial ends?", { email: "ana@example.com", fullName: "Ana Lima" });
  await call("POST", `/api/conversations/${chatId}/messages`, { channel: "chat", body: "Of course! Which plan would you like?" });
  await call("POST", `/api/conversations/${chatId}/notes`, { body: "Ana asked about plans last month too." });
  await parley.visitorWrites("Is anyone there? My order has not arrived.", { email: "carla@example.com", fullName: "Carla Neri" });
  await textIn(BRUNO, "Has my order shipped yet?");
  anaId = (await call("GET", "/api/contacts?q=ana@example.com")).items[0].id;
  await call("POST", "/api/contacts", { firstName: "Dora", lastName: "Vale", email: "dora@example.com" });
  await call("POST", "/api/saved-responses", { category: "Greetings", name: "Welcome", body: "Hi {{contact.first_name | there}}, how can I help?" });
  await call("POST", "/api/workflows", { template: "welcome-ask-email", enabled: false });
  await call("POST", "/api/webhooks", { url: "https://crm.example.com/parley", secret: "a webhook secret of some length", events: ["conversation.created", "message.created"] });
  await call("POST", "/api/tokens", { name: "CRM sync" });
}

beforeAll(async () => {
  parley = await startParley({ port: PORT });
  browser = await openBrowser();
});

afterAll(async () => {
  await browser?.close();
  await parley?.stop();
});

describe("accessibility (axe-core: WCAG 2.1 A and AA, best practices)", () => {
  it("finds nothing serious on first-run setup, before anyone has signed up", async () => {
    const found: string[] = [];
    for (const language of LANGUAGES) {
      const page = await pageIn(language);
      await page.goto(parley.url);
      await page.locator("main.welcome form").waitFor(WAIT);
      expect(await page.evaluate(() => document.documentElement.lang)).toBe(language);
      found.push(...(await scan(page, `${language}-setup`)));
      await page.close();
    }
    expect(found).toEqual([]);
    owner = await parley.signUpOwner();
    await seed();
  });

  for (const language of LANGUAGES) {
    describe(`in ${language}`, () => {
      let page: Page;

      beforeAll(async () => {
        expect((await parley.api("PATCH", "/api/me", { as: owner, body: { locale: language } })).status).toBe(200);
        page = await pageIn(language);
      });

      afterAll(() => page?.close());

      it("finds nothing serious on the sign-in page, nor with its error shown", async () => {
        await page.goto(parley.url);
        await page.locator("main.welcome form").waitFor(WAIT);
        const found = await scan(page, `${language}-sign-in`);
        await page.locator("input[type=email]").fill(OWNER.email);
        await page.locator("input[type=password]").fill("not the password");
        await page.locator("main.welcome button[type=submit]").click();
        await page.locator(".form-error").waitFor(WAIT);
        found.push(...(await scan(page, `${language}-sign-in-refused`)));
        expect(found).toEqual([]);
        await page.locator("input[type=password]").fill(OWNER.password);
        await page.locator("main.welcome button[type=submit]").click();
        await page.locator("header.top nav").waitFor(WAIT);
      });

      it("finds nothing serious in the inbox, its list and an open conversation with the composer's saved responses", async () => {
        await page.goto(`${parley.url}/inbox`);
        await page.locator(".rows .row").nth(1).waitFor(WAIT);
        const found = await scan(page, `${language}-inbox`);
        await page.goto(`${parley.url}/inbox/${chatId}`);
        await page.getByRole("log").getByText("Of course! Which plan would you like?").waitFor(WAIT);
        await page.locator(".saved summary").click();
        await page.locator("#saved-response").waitFor(WAIT);
        found.push(...(await scan(page, `${language}-conversation`)));
        // The note mode tints the composer: its colours are checked too.
        await page.locator(".composer-mode .mode-note").click();
        found.push(...(await scan(page, `${language}-conversation-note`)));
        await page.locator(".composer-mode .mode-reply").click();
        expect(found).toEqual([]);
      });

      it("finds nothing serious on a phone-sized inbox and conversation", async () => {
        await page.setViewportSize({ width: 390, height: 800 });
        await page.goto(`${parley.url}/inbox`);
        await page.locator(".rows .row").nth(1).waitFor(WAIT);
        const found = await scan(page, `${language}-inbox-phone`);
        await page.goto(`${parley.url}/inbox/${chatId}`);
        await page.getByRole("log").getByText("Of course! Which plan would you like?").waitFor(WAIT);
        found.push(...(await scan(page, `${language}-conversation-phone`)));
        await page.setViewportSize({ width: 1280, height: 800 });
        expect(found).toEqual([]);
      });

      it("finds nothing serious in the SMS inbox and an SMS conversation", async () => {
        await page.goto(`${parley.url}/sms`);
        const bruno = page.locator(".rows .row a").filter({ hasText: BRUNO });
        await bruno.waitFor(WAIT);
        const found = await scan(page, `${language}-sms`);
        await bruno.click();
        await page.getByRole("log").getByText("Has my order shipped yet?").waitFor(WAIT);
        found.push(...(await scan(page, `${language}-sms-conversation`)));
        expect(found).toEqual([]);
      });

      it("finds nothing serious on the contacts, a contact's every tab, and the erase dialog", async () => {
        await page.goto(`${parley.url}/contacts`);
        await page.getByRole("link", { name: "Dora Vale" }).waitFor(WAIT);
        const found = await scanTabs(page, `${language}-contacts`);
        await page.goto(`${parley.url}/contacts/${anaId}`);
        await page.getByRole("heading", { name: "Ana Lima", level: 1 }).waitFor(WAIT);
        found.push(...(await scanTabs(page, `${language}-contact`)));
        await page.getByRole("tablist").first().getByRole("tab").first().click();
        await page.locator(".privacy-action button.danger").click();
        await page.locator("dialog.erase-dialog").waitFor(WAIT);
        found.push(...(await scan(page, `${language}-contact-erase-dialog`)));
        await page.keyboard.press("Escape");
        expect(found).toEqual([]);
      });

      it("finds nothing serious on the profile page", async () => {
        await page.goto(`${parley.url}/profile`);
        await page.locator(".page.profile form").first().waitFor(WAIT);
        expect(await scan(page, `${language}-profile`)).toEqual([]);
      });

      it("finds nothing serious behind any tab of Settings", async () => {
        await page.goto(`${parley.url}/settings`);
        expect(await scanTabs(page, `${language}-settings`)).toEqual([]);
      });

      it("finds nothing serious in the widget open on a customer's website, before and after the pre-chat form", async () => {
        const host = await hostPage(widgetSnippet(parley.url, [`Parley.push(["locale", "${language}"]);`]));
        const visitor = await browser.newPage({ width: 420 });
        try {
          await visitor.goto(host.url);
          const widget = visitor.locator("parley-chat");
          await widget.locator("button.launcher").click();
          await widget.locator("form.pre input[name=email]").waitFor(WAIT);
          // Only the widget: the host page's own (deliberately hostile) styles are not Parley's to answer for.
          const found = await scan(visitor, `${language}-widget-pre-chat`, "parley-chat");
          await widget.locator("form.pre input[name=email]").fill(`visitor-${language}@example.com`);
          await widget.locator("form.pre input[name=fullName]").fill("Vera Visitor");
          await widget.locator("form.pre button[type=submit]").click();
          await widget.locator("form.composer textarea").fill("Hello, is the shop open on Sundays?");
          await widget.locator("form.composer button[type=submit]").click();
          await widget.getByText("Hello, is the shop open on Sundays?").waitFor(WAIT);
          found.push(...(await scan(visitor, `${language}-widget-chat`, "parley-chat")));
          expect(found).toEqual([]);
        } finally {
          await visitor.close();
          await host.stop();
        }
      });
    });
  }
});
