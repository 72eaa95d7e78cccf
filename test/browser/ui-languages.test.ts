// Every page of the agent UI in each language Parley speaks, in Chromium: <html lang> names the
// language, and none of the English catalogue's sentences is left on screen (text, aria-label,
// title, placeholder). The pages before sign-in follow the browser's language, the signed-in UI
// the agent's own choice. The English walk must find those sentences, so the check can fail.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Page } from "playwright-core";
import { LANGUAGES, type Language } from "../../src/domain/languages";
import type { Catalogue, Translation } from "../../src/ui/catalogue";
import de from "../../src/ui/locales/de";
import en from "../../src/ui/locales/en";
import es from "../../src/ui/locales/es";
import fr from "../../src/ui/locales/fr";
import italian from "../../src/ui/locales/it";
import pt from "../../src/ui/locales/pt";
import ru from "../../src/ui/locales/ru";
import { openBrowser, OWNER, postSignedByTwilio, screenshot, startParley, type Parley, type Session, type TestBrowser } from "./harness";

const PORT = 8883;
const WAIT = { timeout: 15_000 };
const TWILIO = { accountSid: "AC0123456789abcdef", authToken: "twilio auth token", fromNumber: "+14155550100" };
/** The browser's own language for each of ours: what the pages before sign-in should follow. */
const BROWSER_LOCALES: Record<Language, string> = { en: "en-US", it: "it-IT", de: "de-DE", ru: "ru-RU", es: "es-ES", fr: "fr-FR", pt: "pt-PT" };
const TRANSLATED = LANGUAGES.filter((l) => l !== "en");
const CATALOGUES: Record<Exclude<Language, "en">, Translation<Catalogue>> = { it: italian, de, ru, es, fr, pt };
/** Their pages are screenshotted, to look at: one Latin script, one Cyrillic. */
const PHOTOGRAPHED: Language[] = ["it", "ru"];

type Entry = string | Partial<Record<string, string>>;
const forms = (entry: Entry | undefined): string[] => (entry === undefined ? [] : typeof entry === "string" ? [entry] : Object.values(entry).filter((f) => f !== undefined));
const wordCount = (text: string) => text.split(/\s+/).filter((w) => /\p{L}/u.test(w)).length;

/**
 * What would be English left over on a page in `language`: each English sentence of two words or
 * more that the language says differently, cut at its {placeholders} into the fragments of two
 * words or more. A fragment the language's own catalogue also says (a brand, "Workers AI") is
 * not evidence of English, so it is left out.
 */
function englishSentences(language: Exclude<Language, "en">): string[] {
  const theirs = CATALOGUES[language] as Record<string, Entry>;
  const ownWords = Object.values(theirs).flatMap(forms).join("\n").toLowerCase();
  const found = new Set<string>();
  for (const [key, entry] of Object.entries(en as Record<string, Entry>)) {
    const translated = forms(theirs[key]);
    for (const sentence of forms(entry)) {
      if (wordCount(sentence) < 2 || translated.includes(sentence)) continue;
      for (const piece of sentence.split(/\{\w+\}/)) {
        const fragment = piece.trim();
        if (wordCount(fragment) >= 2 && !ownWords.includes(fragment.toLowerCase())) found.add(fragment);
      }
    }
  }
  return [...found];
}

/** The page as a reader and a screen reader get it: its text, and every aria-label, title and placeholder. */
type Screen = { lang: string; all: string; main: string };
const readScreen = (page: Page): Promise<Screen> =>
  page.evaluate(() => {
    const said = (root: Element) =>
      [
        // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point, without what CSS hides
        (root as HTMLElement).innerText,
        ...[...root.querySelectorAll("[aria-label], [title], [placeholder]")].flatMap((el) => ["aria-label", "title", "placeholder"].map((name) => el.getAttribute(name) ?? "")),
        // A closed <select> shows one option; its others are on screen once opened.
        ...[...root.querySelectorAll("option")].map((option) => `${option.text}\n${option.label}`),
      ].join("\n");
    return { lang: document.documentElement.lang, all: said(document.body), main: said(document.querySelector("main") ?? document.body) };
  });

/** The sentences of `sentences` that `text` holds; letter case aside, as CSS may have upper-cased them. */
function foundIn(text: string, sentences: string[]): string[] {
  const lower = text.toLowerCase();
  return sentences.filter((s) => lower.includes(s.toLowerCase()));
}

/**
 * Waits until the page speaks `language` and has stopped changing (lists and panels fill in as
 * their requests answer): the same screen twice in a row with no "Loading…" on it. A page that
 * never settles is read as it stands after a while: what it shows is still checked.
 */
async function settle(page: Page, language: Language) {
  const loading = language === "en" ? en["common.loading"] : CATALOGUES[language]["common.loading"];
  let before = "";
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    await page.waitForTimeout(150);
    const { lang, all } = await readScreen(page);
    if (lang === language && all === before && !all.includes(loading)) return;
    before = all;
  }
}

type Visit = { page: string; screen: Screen };

/** One walk of the UI in one language: each page, and each tab of the pages that have them. */
class Walk {
  readonly visits: Visit[] = [];
  constructor(
    private readonly page: Page,
    private readonly language: Language,
  ) {}

  /** Loads `path` afresh: the UI asks again who is signed in, and in which language. */
  async go(path: string) {
    await this.page.goto(parley.url + path);
  }

  /** Loads `path`, waits for `ready` on screen, and reads it. */
  async load(path: string, ready?: string) {
    await this.go(path);
    if (ready) await this.page.getByText(ready).filter({ visible: true }).first().waitFor(WAIT);
    await this.read();
  }

  /** Clicks through the page's first tab strip and reads each tab; `all` includes the one already shown. */
  async tabs({ all = false } = {}) {
    const strip = this.page.getByRole("tablist").first();
    await strip.waitFor(WAIT);
    const count = await strip.getByRole("tab").count();
    expect(count).toBeGreaterThan(1);
    for (let i = 0; i < count; i++) {
      const tab = strip.getByRole("tab").nth(i);
      if (!all && (await tab.getAttribute("aria-selected")) === "true") continue;
      const id = (await tab.getAttribute("id"))!.replace(/^tab-/, "");
      await tab.click();
      await this.page.locator(`#tab-${id}[aria-selected="true"]`).waitFor(WAIT);
      await this.read(id);
    }
  }

  private async read(tab?: string) {
    await settle(this.page, this.language);
    const url = new URL(this.page.url());
    let name = url.pathname + url.search;
    if (tab && this.visits.some((v) => v.page === name)) name += ` › ${tab}`;
    this.visits.push({ page: name, screen: await readScreen(this.page) });
    if (PHOTOGRAPHED.includes(this.language)) await screenshot(this.page, `languages-${this.language}-${name.replace(/[^\w]+/g, "-").replace(/^-|-$/g, "") || "home"}`);
  }
}

/** What is wrong with each page walked in `language`: the wrong lang, or English found on it. */
function problems(visits: Visit[], language: Exclude<Language, "en">) {
  const sentences = englishSentences(language);
  return visits.map((v) => ({ page: v.page, lang: v.screen.lang, english: foundIn(v.screen.all, sentences) })).filter((p) => p.lang !== language || p.english.length > 0);
}

function report(language: Language, found: ReturnType<typeof problems>): string {
  const lines = found.map((p) => `  ${p.page}${p.lang === language ? "" : ` (lang="${p.lang}")`}: ${p.english.map((s) => JSON.stringify(s)).join(", ")}`);
  return `${found.length} page(s) in "${language}" with English left over:\n${lines.join("\n")}`;
}

let parley: Parley;
let browser: TestBrowser;
let owner: Session;
const seeded = { chat: "", email: "", sms: "", contact: "" };

/** A visitor's chat through the widget's API: the pre-chat form, then each message in turn. */
async function visitorChats(form: { email: string; fullName: string }, messages: string[]): Promise<string> {
  const { json } = await parley.api("POST", "/api/widget/visitors");
  const headers = { "content-type": "application/json", "x-visitor-token": json.token };
  await fetch(`${parley.url}/api/widget/prechat`, { method: "POST", headers, body: JSON.stringify(form) });
  let conversationId = "";
  for (const body of messages) {
    const res = await fetch(`${parley.url}/api/widget/messages`, { method: "POST", headers, body: JSON.stringify({ clientId: crypto.randomUUID(), body }) });
    expect(res.status, await res.clone().text()).toBe(201);
    conversationId = ((await res.json()) as { conversationId: string }).conversationId;
  }
  return conversationId;
}

/** Mail as Email Routing hands it to the Worker (wrangler dev's local email endpoint). */
async function receiveMail(from: string, subject: string, body: string) {
  const address = from.match(/<(.+)>/)?.[1] ?? from;
  const raw = [`From: ${from}`, "To: support@parley.test", `Subject: ${subject}`, `Message-ID: <${crypto.randomUUID()}@mail.example>`, "Content-Type: text/plain; charset=utf-8", "", body, ""].join(
    "\r\n",
  );
  const res = await fetch(`${parley.url}/cdn-cgi/handler/email?from=${encodeURIComponent(address)}&to=support@parley.test`, { method: "POST", body: raw });
  expect(res.ok).toBe(true);
}

/** An inbound SMS as Twilio posts it, signed with the auth token over the URL and the sorted parameters. */
async function textIn(from: string, body: string) {
  const params: Record<string, string> = { MessageSid: `SM${crypto.randomUUID().replace(/-/g, "")}`, AccountSid: TWILIO.accountSid, From: from, To: TWILIO.fromNumber, Body: body, NumMedia: "0" };
  const res = await postSignedByTwilio(`${parley.url}/webhooks/sms`, TWILIO.authToken, params);
  expect(res.status, await res.clone().text()).toBeLessThan(300);
}

/** Every kind of thing a page lists, so that each page shows its content rather than its empty state. */
async function seed() {
  const ok = async (method: string, path: string, body?: unknown) => {
    const res = await parley.api(method, path, { as: owner, body });
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.json)}`).toBeLessThan(300);
    return res.json;
  };
  await ok("PUT", "/api/settings", {
    email: { inboundAddress: "support@parley.test", fromName: "Parley Support" },
    // Nothing is sent in this test: Twilio's address is one where nobody answers.
    sms: { ...TWILIO, credits: 10, apiBaseUrl: "http://127.0.0.1:9", publicBaseUrl: parley.url },
  });
  await ok("POST", "/api/webhooks", { url: "http://127.0.0.1:9/parley-events", secret: "a webhook secret of some length", events: ["conversation.created", "message.created"] });
  // Before the workflow, which would answer the text and so stand in its place in the list.
  await textIn("+14155550123", "Is the shop open on Sunday?");
  // Named by hand: a template's workflow is named once, in the workspace's language then, and stays so (data, not UI).
  await ok("POST", "/api/workflows", { template: "welcome-ask-email", name: "Greeter" });
  await ok("POST", "/api/saved-responses", { category: "Orders", name: "Delivery times", body: "Hi {{contact.first_name}}, parcels arrive in 2 to 3 days." });
  await ok("POST", "/api/tokens", { name: "CRM sync" });
  await ok("POST", "/api/users", { email: "sam@parley.test", name: "Sam Agent", password: "sam's password", role: "agent" });

  seeded.chat = await visitorChats({ email: "ana@example.com", fullName: "Ana Lima" }, ["Hello, my parcel 4471 has not arrived", "It was due on Monday"]);
  await ok("POST", `/api/conversations/${seeded.chat}/messages`, { channel: "chat", body: "Sorry to hear that, Ana: let me look it up." });
  await ok("POST", `/api/conversations/${seeded.chat}/notes`, { body: "Courier ticket 88-120 opened." });
  await receiveMail("Ana Lima <ana@example.com>", "Invoice 2026-031", "Could you send the invoice again, with our VAT number?");
  const conversations = (await ok("GET", "/api/conversations?status=all&limit=50")).items as { id: string; channels: string[] }[];
  seeded.email = conversations.find((c) => c.channels.includes("email"))!.id;
  seeded.sms = conversations.find((c) => c.channels.includes("sms"))!.id;

  const [ana] = (await ok("GET", "/api/contacts?q=ana@example.com")).items;
  seeded.contact = ana.id;
  await ok("PATCH", `/api/contacts/${ana.id}`, { phone: "+14155550199", account: "Acme Corp", tags: ["vip"], customFields: { plan: "pro", seats: 12, renewal: true } });
  await ok("PUT", `/api/contacts/${ana.id}/lists/Newsletter`, { channel: "email", source: "Ticked the box at checkout" });
  const bruno = await ok("POST", "/api/contacts", { firstName: "Bruno", lastName: "Costa", email: "bruno@example.com" });
  await ok("DELETE", `/api/contacts/${bruno.id}`);
}

/** Every page of the signed-in UI, as the owner sees it. */
async function walkSignedIn(page: Page, language: Language): Promise<Visit[]> {
  const walk = new Walk(page, language);
  await walk.load("/inbox", "Ana Lima");
  await walk.load(`/inbox/${seeded.chat}`, "Courier ticket 88-120 opened.");
  await walk.load(`/inbox/${seeded.email}?status=all`, "Could you send the invoice again");
  await walk.load("/sms", "Is the shop open on Sunday?");
  await walk.load(`/sms/${seeded.sms}`, "Is the shop open on Sunday?");
  await walk.load("/sms/new");
  await walk.load("/contacts", "ana@example.com");
  await walk.tabs();
  await walk.load(`/contacts/${seeded.contact}`, "Ticked the box at checkout");
  await walk.tabs();
  await walk.load("/profile");
  await walk.load("/nowhere");
  await walk.go("/settings");
  await walk.tabs({ all: true });
  return walk.visits;
}

/** A page before sign-in (setup, sign-in) in a browser set to `language`, which it should speak. */
async function walkSignedOut(path: string, language: Language): Promise<Visit[]> {
  const context = await browser.newContext({ locale: BROWSER_LOCALES[language] });
  const walk = new Walk(await context.newPage(), language);
  await walk.load(path);
  await context.close();
  return walk.visits;
}

beforeAll(async () => {
  parley = await startParley({ port: PORT });
  browser = await openBrowser();
});

afterAll(async () => {
  await browser?.close();
  await parley?.stop();
});

describe("before anyone signs up", () => {
  it("shows the first-run setup in the browser's language", async () => {
    const visits: Record<Language, Visit[]> = Object.fromEntries(await Promise.all(LANGUAGES.map(async (language) => [language, await walkSignedOut("/setup", language)])));
    expect(visits.en[0]!.screen.lang).toBe("en");
    expect(foundIn(visits.en[0]!.screen.main, englishSentences("it")).length).toBeGreaterThan(0);
    for (const language of TRANSLATED) {
      const found = problems(visits[language], language);
      expect(found, report(language, found)).toEqual([]);
    }
  });
});

describe("signed in", () => {
  let page: Page;

  beforeAll(async () => {
    owner = await parley.signUpOwner();
    await seed();
    // The browser says English throughout: the UI must follow the agent's choice, not the browser.
    // Tall, so that the screenshots show the whole of pages whose main part scrolls.
    const context = await browser.newContext({ locale: BROWSER_LOCALES.en, viewport: { width: 1280, height: 1800 } });
    page = await context.newPage();
    await parley.signIn(page, OWNER);
  });

  it("in English, shows the sentences the other languages' walks look for, on every page", async () => {
    const everyLanguage = [...new Set(TRANSLATED.flatMap(englishSentences))];
    const visits = [...(await walkSignedOut("/login", "en")), ...(await walkSignedIn(page, "en"))];
    const silent = visits.filter((v) => v.screen.lang !== "en" || foundIn(v.screen.main, everyLanguage).length === 0).map((v) => v.page);
    expect(silent, `pages where the English walk found none of the sentences it looks for: ${silent.join(", ")}`).toEqual([]);
  }, 300_000);

  for (const language of TRANSLATED) {
    it(`in ${language}, leaves no English on any page`, async () => {
      const me = await parley.api("PATCH", "/api/me", { as: owner, body: { locale: language } });
      expect(me.json.locale).toBe(language);
      // The team's workspace speaks it too: what Parley says on the business's behalf (Appearance,
      // Texts) is then in it, where in an English workspace it would rightly be English.
      const workspace = await parley.api("PUT", "/api/settings", { as: owner, body: { locale: language } });
      expect(workspace.json.locale).toBe(language);
      const visits = [...(await walkSignedOut("/login", language)), ...(await walkSignedIn(page, language))];
      const found = problems(visits, language);
      expect(found, report(language, found)).toEqual([]);
    }, 300_000);
  }
});

describe("the profile page", () => {
  it("opens from the name in the header, and saving a language shows the whole UI in it", async () => {
    const page = await (await browser.newContext({ locale: BROWSER_LOCALES.en })).newPage();
    await parley.api("PATCH", "/api/me", { as: owner, body: { locale: null } });
    await parley.signIn(page, OWNER);
    await page.getByRole("link", { name: "Your profile" }).click();
    await page.getByRole("heading", { name: "Your profile" }).waitFor(WAIT);
    const language = page.getByLabel("Language");
    expect(await language.inputValue()).toBe("");
    await page.getByRole("option", { name: "Browser default (English)" }).waitFor({ state: "attached" });

    await page.getByLabel("Name").fill("Olivia Owen");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("status").getByText("Profile saved.").waitFor(WAIT);
    await page.getByRole("link", { name: "Your profile: Olivia Owen" }).waitFor(WAIT);

    await language.selectOption("de");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("heading", { name: "Ihr Profil" }).waitFor(WAIT);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe("de");
    await page.getByRole("navigation", { name: "Hauptnavigation" }).getByRole("link", { name: "Kontakte" }).waitFor(WAIT);
    expect((await parley.api("GET", "/api/me", { as: owner })).json.locale).toBe("de");

    await page.getByLabel("Sprache").selectOption("");
    await page.getByRole("button", { name: "Speichern" }).click();
    await page.getByRole("heading", { name: "Your profile" }).waitFor(WAIT);
    expect((await parley.api("GET", "/api/me", { as: owner })).json.locale).toBeNull();
  });
});
