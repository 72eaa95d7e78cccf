// Settings → Appearance and Texts in Chromium: the owner changes the widget's colour, side, label,
// team name, greeting and away text and sees the preview follow before saving; a colour text cannot
// be read on says so and cannot be saved; saving persists, and so does the workspace language. In
// Texts the owner gives Italian its own greeting, then resets it to the default. Throughout, the
// strict CSP (no inline styles) is never violated.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { contrastRatio, textOn } from "../../src/domain/contrast";
import { openBrowser, OWNER, screenshot, startParley, type Parley, type Session, type TestBrowser } from "./harness";

const PORT = 8893;
const WAIT = { timeout: 15_000 };
const TEAL = "#0b7285";
const SUN = "#f5c542";
/** A bright orange: 4.3:1 with the dark ink, less with white. (A light grey such as #9aa0a6 passes: dark ink reads 5.9:1 on it.) */
const ORANGE = "#e8590c";
const WHITE = "rgb(255, 255, 255)";
const INK = "rgb(29, 36, 51)";
const LOOK = { color: TEAL, position: "left", launcherLabel: "Talk to us", teamName: "Acme Support", greeting: "Welcome to Acme!", awayText: "We're out until 9 tomorrow: leave a message." };

let parley: Parley;
let browser: TestBrowser;
let owner: Session;
let page: Page;
const violations: string[] = [];

const rgb = (hex: string) => `rgb(${[1, 3, 5].map((at) => Number.parseInt(hex.slice(at, at + 2), 16)).join(", ")})`;
const stored = async () => (await parley.api("GET", "/api/settings", { as: owner })).json;
const form = () => page.getByRole("form", { name: "Appearance" });
const preview = () => page.getByRole("region", { name: "Preview" });
const style = (part: Locator, property: string) => part.evaluate((el, name) => getComputedStyle(el).getPropertyValue(name), property);
const header = () => preview().locator(".preview-header");
const visitorBubble = () => preview().locator(".preview-message.visitor");
const launcher = () => preview().locator(".preview-launcher");

/** Which side of the preview's page the launcher sits on. */
async function launcherSide(): Promise<"left" | "right"> {
  const stage = (await preview().locator(".preview-stage").boundingBox())!;
  const button = (await launcher().boundingBox())!;
  return button.x - stage.x < stage.x + stage.width - (button.x + button.width) ? "left" : "right";
}

/** The whole tab: the app scrolls inside <main>, so a full-page shot needs a tall window. */
async function tallScreenshot(name: string) {
  const size = page.viewportSize()!;
  await page.setViewportSize({ width: size.width, height: 2400 });
  await screenshot(page, name);
  await page.setViewportSize(size);
}

beforeAll(async () => {
  parley = await startParley({ port: PORT });
  owner = await parley.signUpOwner();
  browser = await openBrowser();
  page = await browser.newPage();
  // Every CSP violation on any page this tab loads, reported back here.
  await page.exposeFunction("reportViolation", (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => (window as unknown as { reportViolation(text: string): void }).reportViolation(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
  });
  await parley.signIn(page, OWNER);
});

afterAll(async () => {
  await browser?.close();
  await parley?.stop();
});

describe("Settings → Appearance", () => {
  it("the preview follows colour, side, label, team name, greeting and away text before anything is saved", async () => {
    const answer = await page.goto(`${parley.url}/settings/appearance`);
    expect(answer?.headers()["content-security-policy"]).toContain("style-src 'self'");
    await form().waitFor(WAIT);
    // The defaults: the widget's blue with white text, on the right, its own title and the English greeting.
    expect(await style(header(), "background-color")).toBe(rgb("#3b5bdb"));
    expect(await launcherSide()).toBe("right");
    await expect.poll(() => preview().locator(".preview-message.agent").first().textContent()).toBe("Hi! How can we help?");
    expect(await header().textContent()).toContain("Chat with us");

    // The picker and the hex field follow each other; header, bubble and launcher take the colour, text what reads on it.
    await form().getByLabel("Brand colour", { exact: true }).fill(TEAL);
    expect(await form().getByLabel("Brand colour as a hex code").inputValue()).toBe(TEAL);
    await expect.poll(() => style(header(), "background-color")).toBe(rgb(TEAL));
    expect(await style(header(), "color")).toBe(WHITE);
    expect(await style(visitorBubble(), "background-color")).toBe(rgb(TEAL));
    expect(await style(visitorBubble(), "color")).toBe(WHITE);
    expect(await style(launcher(), "background-color")).toBe(rgb(TEAL));
    await form().getByLabel("Brand colour as a hex code").fill(SUN);
    expect(await form().getByLabel("Brand colour", { exact: true }).inputValue()).toBe(SUN);
    await expect.poll(() => style(visitorBubble(), "background-color")).toBe(rgb(SUN));
    expect(await style(visitorBubble(), "color")).toBe(INK);
    expect(await style(header(), "color")).toBe(INK);
    const ratio = (Math.floor(contrastRatio(SUN, textOn(SUN)) * 10) / 10).toFixed(1);
    await page.getByText(`Text on it: ${ratio}:1. Meets WCAG AA (4.5:1).`).waitFor(WAIT);

    await form().getByRole("radio", { name: "Left" }).check();
    await expect.poll(launcherSide).toBe("left");
    await form().getByLabel("Launcher label").fill(LOOK.launcherLabel);
    await expect.poll(() => launcher().textContent()).toBe(LOOK.launcherLabel);
    await form().getByLabel("Team name").fill(LOOK.teamName);
    await expect.poll(() => header().textContent()).toContain(LOOK.teamName);
    await form().getByLabel("Greeting").fill(LOOK.greeting);
    await expect.poll(() => preview().locator(".preview-message.agent").first().textContent()).toBe(LOOK.greeting);

    // The away text shows while the preview pretends nobody is online.
    await form().getByLabel("Away message").fill(LOOK.awayText);
    expect(await preview().getByText(LOOK.awayText).count()).toBe(0);
    await preview().getByRole("switch", { name: "No agent online" }).check();
    await preview().getByText(LOOK.awayText).waitFor(WAIT);
    await page.getByText("Unsaved changes").waitFor(WAIT);
    await tallScreenshot("ui-appearance-1-preview");

    // Nothing of it is stored yet.
    expect((await stored()).appearance).toMatchObject({ color: "#3b5bdb", position: "right", teamName: "" });
  });

  it("a colour text cannot be read on says why and cannot be saved; the server refuses it too", async () => {
    await form().getByLabel("Brand colour as a hex code").fill(ORANGE);
    const ratio = (Math.floor(contrastRatio(ORANGE, textOn(ORANGE)) * 10) / 10).toFixed(1);
    await page.getByText(`Text on it: ${ratio}:1. Too low for WCAG AA (4.5:1)`).waitFor(WAIT);
    expect(await form().getByRole("button", { name: "Save appearance" }).isDisabled()).toBe(true);
    expect(await form().getByLabel("Brand colour as a hex code").getAttribute("aria-invalid")).toBe("true");
    await tallScreenshot("ui-appearance-2-low-contrast");

    const refused = await parley.api("PUT", "/api/settings", { as: owner, body: { appearance: { color: ORANGE } } });
    expect(refused.status).toBe(400);
    expect(refused.json.error.details[0].path).toBe("appearance.color");

    // Should the server still refuse a colour, its sentence shows on the colour field.
    await form().getByLabel("Brand colour as a hex code").fill(TEAL);
    const sentence = "Text on this colour would be hard to read.";
    await page.route("**/api/settings", (route) =>
      route.request().method() === "PUT"
        ? route.fulfill({
            status: 400,
            json: { error: { code: "invalid_input", message: `Invalid settings. appearance.color: ${sentence}`, details: [{ path: "appearance.color", message: sentence }] } },
          })
        : route.fallback(),
    );
    await form().getByRole("button", { name: "Save appearance" }).click();
    await form().getByRole("alert").filter({ hasText: sentence }).waitFor(WAIT);
    expect(await form().getByRole("alert").count()).toBe(1);
    await page.unroute("**/api/settings");

    // Half a hex code is not a colour either.
    await form().getByLabel("Brand colour as a hex code").fill("#0b72");
    await page.getByText("Write the colour as # and six hex digits, such as #3b5bdb.").waitFor(WAIT);
    expect(await form().getByRole("button", { name: "Save appearance" }).isDisabled()).toBe(true);
  });

  it("Save stores it all, and a reload shows what is stored", async () => {
    await form().getByLabel("Brand colour as a hex code").fill(TEAL);
    await form().getByRole("button", { name: "Save appearance" }).click();
    await page.getByText("Appearance saved.").waitFor(WAIT);
    await expect.poll(async () => (await stored()).appearance).toEqual(LOOK);

    await page.reload();
    await form().waitFor(WAIT);
    expect(await form().getByLabel("Team name").inputValue()).toBe(LOOK.teamName);
    expect(await form().getByRole("radio", { name: "Left" }).isChecked()).toBe(true);
    expect(await style(header(), "background-color")).toBe(rgb(TEAL));
    expect(await launcherSide()).toBe("left");
    // The widget gets the same, with the text colour to use on the brand colour.
    const config = (await parley.api("GET", "/api/widget/config")).json;
    expect(config.appearance).toMatchObject({ ...LOOK, onColor: "#ffffff" });
  });
});

describe("Settings → Texts", () => {
  const texts = () => page.getByRole("form", { name: "Texts" });

  it("Italian gets its own greeting, and Reset to default gives it back the default", async () => {
    await page.getByRole("tab", { name: "Texts" }).click();
    await texts().getByLabel("Language").selectOption({ label: "Italiano" });
    const greeting = texts().getByLabel("Greeting", { exact: true });
    await expect.poll(() => greeting.getAttribute("placeholder")).toBe("Ciao! Come possiamo aiutarti?");
    // One named field for each text the server lists, in its order.
    const { keys } = (await parley.api("GET", "/api/settings/texts", { as: owner })).json;
    const names = await texts()
      .locator("textarea")
      .evaluateAll((boxes) => boxes.map((box) => (box as HTMLTextAreaElement).labels?.[0]?.textContent?.trim() ?? ""));
    expect(names).toHaveLength(keys.length);
    expect(names.every(Boolean), names.join(" | ")).toBe(true);
    expect(await greeting.inputValue()).toBe("");
    await greeting.fill("Benvenuti da Acme!");
    await texts().getByRole("button", { name: "Save texts" }).click();
    await page.getByText("Texts saved.").waitFor(WAIT);
    await expect.poll(async () => (await stored()).texts.it?.greeting).toBe("Benvenuti da Acme!");
    expect((await parley.api("GET", "/api/widget/config?locale=it")).json.appearance.greeting).toBe("Benvenuti da Acme!");
    await tallScreenshot("ui-appearance-3-texts");

    await texts().getByRole("button", { name: "Reset to default: Greeting" }).click();
    expect(await greeting.inputValue()).toBe("");
    await texts().getByRole("button", { name: "Save texts" }).click();
    await expect.poll(async () => (await stored()).texts.it?.greeting).toBe("");
    expect((await parley.api("GET", "/api/widget/config?locale=it")).json.appearance.greeting).toBe("Ciao! Come possiamo aiutarti?");
  });

  it("in the workspace language, greeting and away text are Appearance's, shown read-only with the way there", async () => {
    await texts().getByLabel("Language").selectOption({ label: "English" });
    const greeting = texts().getByLabel("Greeting", { exact: true });
    await expect.poll(() => greeting.inputValue()).toBe(LOOK.greeting);
    expect(await greeting.getAttribute("readonly")).not.toBeNull();
    expect(await texts().getByLabel("Away message").inputValue()).toBe(LOOK.awayText);
    await texts().getByRole("link", { name: "Appearance" }).first().click();
    await form().waitFor(WAIT);
  });
});

describe("the workspace language", () => {
  it("is saved from Appearance, and the greeting's default follows it", async () => {
    await form().getByLabel("Greeting").fill("");
    await form().getByLabel("Workspace language").selectOption({ label: "Deutsch" });
    await expect.poll(() => form().getByLabel("Greeting").getAttribute("placeholder")).toBe("Hallo! Wie können wir helfen?");
    await expect.poll(() => preview().locator(".preview-message.agent").first().textContent()).toBe("Hallo! Wie können wir helfen?");
    await form().getByRole("button", { name: "Save appearance" }).click();
    await expect.poll(async () => (await stored()).locale).toBe("de");
    expect((await stored()).appearance.greeting).toBe("");
  });

  it("an admin who reads German gets both tabs in German", async () => {
    expect((await parley.api("PATCH", "/api/me", { as: owner, body: { locale: "de" } })).status).toBe(200);
    await page.goto(`${parley.url}/settings/appearance`);
    await page.getByRole("form", { name: "Darstellung" }).getByLabel("Sprache des Arbeitsbereichs").waitFor(WAIT);
    await page.getByRole("region", { name: "Vorschau" }).waitFor(WAIT);
    await tallScreenshot("ui-appearance-4-german");
    await page.getByRole("tab", { name: "Texte" }).click();
    await page.getByRole("form", { name: "Texte" }).getByLabel("Begrüßung", { exact: true }).waitFor(WAIT);
    await tallScreenshot("ui-appearance-5-german-texts");
  });

  it("no page broke the Content Security Policy", () => {
    expect(violations).toEqual([]);
  });
});
