// A visitor reads the widget in their language, the one the host page chose or else their
// browser's, and it wears the workspace's brand, changed in the settings while the page stays
// open. Keyboard users get a proper dialog; on a phone it takes the whole screen.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LANGUAGES, type Language } from "../../src/domain/languages";
import { EN } from "../../widget/src/words";
import { hostPage, openBrowser, OWNER, screenshot, startParley, widgetSnippet, type Parley, type Session, type TestBrowser } from "./harness";

const PORT = 8887;

const WORDS = Object.fromEntries(
  LANGUAGES.map((language) => [language, language === "en" ? EN : JSON.parse(readFileSync(join(import.meta.dirname, "../../widget/locales", `${language}.json`), "utf8"))]),
) as Record<Language, typeof EN>;

let parley: Parley;
let owner: Session;
let host: { url: string; stop(): Promise<void> };
let browser: TestBrowser;
/** Each language's built-in business texts (the greeting, the welcome a workflow sends). */
let defaults: Record<Language, Record<string, string>>;

beforeAll(async () => {
  parley = await startParley({ port: PORT });
  owner = await parley.signUpOwner();
  await parley.api("PUT", "/api/settings", { as: owner, body: { chatForm: { phone: "optional", account: "optional", fullName: "optional" } } });
  defaults = (await parley.api("GET", "/api/settings/texts", { as: owner })).json.defaults;
  // The host page chooses the language named in its address, if any, as a site with its own language switch would.
  host = await hostPage(widgetSnippet(parley.url, ['const chosen = new URLSearchParams(location.search).get("locale");', 'if (chosen) Parley.push(["locale", chosen]);']));
  browser = await openBrowser();
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await parley?.stop();
});

const launcher = (page: Page, language: Language = "en") => page.getByRole("button", { name: WORDS[language].openChat, exact: true });
const messagesIn = (page: Page) => page.getByRole("log").locator("p");
/** What has the keyboard focus inside the widget: its accessible label, its field name, or its text. */
const focused = (page: Page) =>
  page.evaluate(() => {
    const el = document.querySelector("parley-chat")?.shadowRoot?.activeElement as HTMLInputElement | null;
    return el && (el.getAttribute("aria-label") || el.name || el.textContent);
  });
const computed = (page: Page, selector: string, property: string) =>
  page
    .locator(selector)
    .first()
    .evaluate((el, property) => getComputedStyle(el).getPropertyValue(property), property);

async function introduce(page: Page, email: string, language: Language = "en") {
  await page.getByLabel(WORDS[language].email, { exact: true }).fill(email);
  await page.getByRole("button", { name: WORDS[language].startChat, exact: true }).click();
  await page.getByRole("textbox", { name: WORDS[language].message, exact: true }).waitFor();
}

async function write(page: Page, text: string, language: Language = "en") {
  await page.getByRole("textbox", { name: WORDS[language].message, exact: true }).fill(text);
  await page.getByRole("button", { name: WORDS[language].send, exact: true }).click();
}

async function conversationOf(email: string) {
  const find = async () => ((await parley.api("GET", "/api/conversations?status=all", { as: owner })).json.items as any[]).find((c) => c.contact?.email === email);
  await expect.poll(find).toBeTruthy();
  return find();
}

const placeholders = (text: string) => [...text.matchAll(/\{\w+\}/g)].map(([name]) => name).sort();

describe("the widget in the visitor's language", () => {
  it("has every sentence in every language, with the English keys and placeholders and nothing else", () => {
    for (const language of LANGUAGES) {
      const words = WORDS[language];
      expect(Object.keys(words).sort(), language).toEqual(Object.keys(EN).sort());
      for (const [key, english] of Object.entries(EN)) {
        const text = words[key as keyof typeof EN];
        expect(typeof text === "string" && text.trim() !== "", `${language}.${key}`).toBe(true);
        expect(placeholders(text), `${language}.${key}`).toEqual(placeholders(english));
      }
    }
  });

  it("speaks each of the seven languages the host page chooses, and opens the chat in it", async () => {
    await parley.api("POST", "/api/workflows", { as: owner, body: { template: "welcome-ask-email" } });
    for (const language of LANGUAGES) {
      const words = WORDS[language];
      const page = await browser.newPage();
      await page.goto(`${host.url}?locale=${language}`);
      await launcher(page, language).click();
      const dialog = page.getByRole("dialog", { name: words.chatWithUs, exact: true });
      await dialog.waitFor();
      await page.getByLabel(words.email, { exact: true }).waitFor();
      for (const label of [words.phone, words.account, words.fullName]) expect(await page.getByLabel(label, { exact: true }).isVisible(), `${language}: ${label}`).toBe(true);
      expect(await page.getByText(defaults[language].prechatIntro!, { exact: true }).isVisible()).toBe(true);
      expect(await page.locator("parley-chat .p").getAttribute("lang")).toBe(language);
      if (language === "ru") await screenshot(page, "widget-lang-ru-prechat");

      await introduce(page, `visitor-${language}@example.com`, language);
      expect(await page.getByRole("button", { name: words.send, exact: true }).isVisible()).toBe(true);
      await write(page, `Hello in ${language}`, language);
      // The first message says which language it was written in: the workflow's welcome comes back in it.
      await expect.poll(() => messagesIn(page).allTextContents()).toEqual([`Hello in ${language}`, defaults[language].welcome]);
      if (language === "ru") await screenshot(page, "widget-lang-ru");
      await page.context().close();
    }
  });

  it("follows the browser's language when the page chooses none, and the workspace's when the browser's is not one it has", async () => {
    const german = await browser.newContext({ locale: "de-DE" });
    const page = await german.newPage();
    await page.goto(host.url);
    await launcher(page, "de").click();
    await page.getByRole("dialog", { name: WORDS.de.chatWithUs, exact: true }).waitFor();
    await page.getByLabel(WORDS.de.phone, { exact: true }).waitFor();
    await german.close();

    await parley.api("PUT", "/api/settings", { as: owner, body: { locale: "pt" } });
    const japanese = await browser.newContext({ locale: "ja-JP" });
    const other = await japanese.newPage();
    await other.goto(host.url);
    await launcher(other, "pt").click();
    await other.getByRole("dialog", { name: WORDS.pt.chatWithUs, exact: true }).waitFor();
    await other.getByLabel(WORDS.pt.fullName, { exact: true }).waitFor();
    await japanese.close();
    await parley.api("PUT", "/api/settings", { as: owner, body: { locale: "en" } });
  });

  it("says the pre-chat form's refusals in the visitor's language: a missing phone apart from one that is no number", async () => {
    await parley.api("PUT", "/api/settings", { as: owner, body: { chatForm: { phone: "required" } } });
    try {
      const page = await browser.newPage();
      await page.goto(host.url);
      await page.evaluate(() => (window as any).Parley.push(["locale", "it"]));
      await launcher(page, "it").click();
      await page.getByLabel(WORDS.it.email, { exact: true }).fill("refused@example.com");
      await page.getByRole("button", { name: WORDS.it.startChat, exact: true }).click();
      await page.getByText(WORDS.it.needPhone, { exact: true }).waitFor();
      await page.getByLabel(WORDS.it.phone, { exact: true }).fill("12");
      await page.getByRole("button", { name: WORDS.it.startChat, exact: true }).click();
      await page.getByText(WORDS.it.badPhone, { exact: true }).waitFor();
      await page.context().close();
    } finally {
      await parley.api("PUT", "/api/settings", { as: owner, body: { chatForm: { phone: "optional" } } });
    }
  });

  it("switches language while open, keeping what was typed and the whole thread", async () => {
    const page = await browser.newPage();
    await page.goto(host.url);
    await launcher(page).click();
    await page.getByLabel("Email", { exact: true }).fill("switcher@example.com");
    await page.evaluate(() => (window as any).Parley.push(["locale", "it"]));
    await page.getByLabel(WORDS.it.phone, { exact: true }).waitFor();
    expect(await page.getByLabel(WORDS.it.email, { exact: true }).inputValue()).toBe("switcher@example.com");
    await page.getByRole("button", { name: WORDS.it.startChat, exact: true }).click();
    await write(page, "Ciao, una domanda", "it");
    const conversation = await conversationOf("switcher@example.com");
    await parley.api("POST", `/api/conversations/${conversation.id}/messages`, { as: owner, body: { channel: "chat", body: "Certo, dimmi pure." } });
    const thread = ["Ciao, una domanda", defaults.it.welcome, "Certo, dimmi pure."];
    await expect.poll(() => messagesIn(page).allTextContents()).toEqual(thread);

    await page.evaluate(() => (window as any).Parley.push(["locale", "fr"]));
    await page.getByRole("button", { name: WORDS.fr.send, exact: true }).waitFor();
    expect(await page.getByRole("dialog", { name: WORDS.fr.chatWithUs, exact: true }).isVisible()).toBe(true);
    expect(await page.getByRole("textbox", { name: WORDS.fr.message, exact: true }).getAttribute("placeholder")).toBe(WORDS.fr.writeMessage);
    expect(await page.getByRole("log", { name: WORDS.fr.messages }).isVisible()).toBe(true);
    expect(await messagesIn(page).allTextContents()).toEqual(thread);
    await page.getByRole("button", { name: WORDS.fr.closeChat, exact: true }).click();
    expect(await launcher(page, "fr").isVisible()).toBe(true);
    await page.context().close();
  });
});

describe("the widget in the workspace's brand", () => {
  const appearance = {
    color: "#0b7285",
    position: "left",
    launcherLabel: "Need help?",
    teamName: "Acme Support",
    greeting: "Hi! Ask us anything about your order.",
    awayText: "We are offline; we answer by email.",
  };

  it("takes the colour, side, launcher label, team name, greeting and away text on the next open, without a reload", async () => {
    const page = await browser.newPage();
    await page.goto(host.url);
    await launcher(page).click();
    await introduce(page, "brand@example.com");
    await write(page, "Before the rebrand");
    await page.getByRole("button", { name: "Close chat" }).click();
    expect(await page.getByRole("dialog", { name: "Chat with us" }).isVisible()).toBe(false);

    expect((await parley.api("PUT", "/api/settings", { as: owner, body: { appearance } })).status).toBe(200);
    await launcher(page).click();
    const dialog = page.getByRole("dialog", { name: "Acme Support", exact: true });
    await dialog.waitFor();
    const teal = "rgb(11, 114, 133)";
    expect(await computed(page, "parley-chat header", "background-color")).toBe(teal);
    expect(await computed(page, "parley-chat .m.v", "background-color")).toBe(teal);
    expect(await computed(page, "parley-chat .m.v", "color")).toBe("rgb(255, 255, 255)");
    expect(await computed(page, "parley-chat .composer button", "background-color")).toBe(teal);
    expect(await page.getByText(appearance.greeting, { exact: true }).isVisible()).toBe(true);
    // No agent is signed in: the visitor is told when to expect an answer.
    expect(await page.getByText(appearance.awayText, { exact: true }).isVisible()).toBe(true);
    await screenshot(page, "widget-brand-open");

    await page.keyboard.press("Escape");
    const button = launcher(page);
    expect(await button.isVisible()).toBe(true);
    expect(await button.textContent()).toBe(appearance.launcherLabel);
    expect(await computed(page, "parley-chat .launcher", "background-color")).toBe(teal);
    const box = (await button.boundingBox())!;
    expect(box.x).toBe(20);
    expect(box.width).toBeGreaterThan(56);
    await screenshot(page, "widget-brand-left");

    // An agent at work: the away text goes, on the next open.
    const agent = await browser.newPage();
    await parley.signIn(agent, OWNER);
    await expect.poll(async () => (await parley.api("GET", "/api/widget/config")).json.online).toBe(true);
    await button.click();
    await dialog.waitFor();
    await page.getByText(appearance.greeting, { exact: true }).waitFor();
    await expect.poll(() => page.getByText(appearance.awayText, { exact: true }).isVisible()).toBe(false);
    await agent.context().close();
    await page.context().close();
    await parley.api("PUT", "/api/settings", { as: owner, body: { appearance: { color: "#3b5bdb", position: "right", launcherLabel: "", teamName: "", greeting: "", awayText: "" } } });
  });
});

describe("the widget for keyboard users", () => {
  it("is a modal dialog: focus moves in, Tab and Shift+Tab stay inside, Escape closes it and gives focus back to the launcher", async () => {
    const page = await browser.newPage();
    await page.goto(host.url);
    await launcher(page).focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Chat with us" });
    await dialog.waitFor();
    expect(await dialog.getAttribute("aria-modal")).toBe("true");
    await expect.poll(() => focused(page)).toBe("email");
    const tab = async (key: string) => {
      await page.keyboard.press(key);
      return focused(page);
    };

    // The form's last control leads back to its first, and back again.
    for (const expected of ["phone", "account", "fullName", "Start chat", "Close chat"]) expect(await tab("Tab")).toBe(expected);
    expect(await tab("Shift+Tab")).toBe("Start chat");
    // Focus shows, in a colour that stands out on what is behind it: on the brand-coloured header, the text colour on the brand.
    expect(await tab("Tab")).toBe("Close chat");
    expect(await computed(page, "parley-chat .x", "outline-style")).toBe("solid");
    expect(await computed(page, "parley-chat .x", "outline-color")).toBe("rgb(255, 255, 255)");

    await introduce(page, "keys@example.com");
    expect(await focused(page)).toBe("Message");
    for (const expected of ["Send", "Close chat", "Message", "Send"]) expect(await tab("Tab")).toBe(expected);
    for (const expected of ["Message", "Close chat", "Send"]) expect(await tab("Shift+Tab")).toBe(expected);
    expect(await computed(page, "parley-chat .composer button", "outline-color")).toBe("rgb(59, 91, 219)");

    await page.keyboard.press("Escape");
    expect(await dialog.isVisible()).toBe(false);
    expect(await focused(page)).toBe("Open chat");
    await page.context().close();
  });
});

describe("the widget on a phone", () => {
  it("fills the screen while open, holds the page behind it still, and keeps the text box above the keyboard", async () => {
    const long = await hostPage(
      widgetSnippet(parley.url)
        .replace("<head>", '<head><meta name="viewport" content="width=device-width, initial-scale=1">')
        .replace("</body>", `${"<p>A long page of products.</p>".repeat(200)}</body>`),
    );
    const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
    const page = await phone.newPage();
    await page.goto(long.url);
    const scrolled = () => page.evaluate(() => window.scrollY);
    await launcher(page).tap();
    const dialog = page.getByRole("dialog", { name: "Chat with us" });
    await dialog.waitFor();
    expect(await dialog.boundingBox()).toEqual({ x: 0, y: 0, width: 390, height: 844 });
    expect(await computed(page, "parley-chat .panel", "border-radius")).toBe("0px");
    await introduce(page, "phone@example.com");
    await page.mouse.wheel(0, 800);
    await page.waitForTimeout(300);
    expect(await scrolled()).toBe(0);
    await screenshot(page, "widget-phone", { fullPage: false });

    // The on-screen keyboard takes the lower part of the visual viewport (headless Chromium has none to raise: it is played here).
    await page.evaluate(() => {
      Object.defineProperty(visualViewport, "height", { get: () => 500 });
      visualViewport!.dispatchEvent(new Event("resize"));
    });
    expect((await dialog.boundingBox())?.height).toBe(500);
    const composer = (await page.getByRole("button", { name: "Send" }).boundingBox())!;
    expect(composer.y + composer.height).toBeLessThanOrEqual(500);
    await screenshot(page, "widget-phone-keyboard", { fullPage: false });

    await page.getByRole("button", { name: "Close chat" }).tap();
    await page.mouse.wheel(0, 800);
    await expect.poll(scrolled).toBeGreaterThan(0);
    await phone.close();
    await long.stop();
  });
});
