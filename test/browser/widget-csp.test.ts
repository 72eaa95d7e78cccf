// A customer's website with a strict Content-Security-Policy (no 'unsafe-inline' anywhere) that
// allows Parley's origin for scripts and connections, as the README says, and nothing more: the
// widget loads in the visitor's language, wears the brand and chats live without one violation.
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hostPage, openBrowser, screenshot, startParley, type Parley, type Session, type TestBrowser } from "./harness";

const PORT = 8889;

let parley: Parley;
let owner: Session;
let host: { url: string; stop(): Promise<void> };
let browser: TestBrowser;

beforeAll(async () => {
  parley = await startParley({ port: PORT });
  owner = await parley.signUpOwner();
  await parley.api("PUT", "/api/settings", { as: owner, body: { chatForm: { fullName: "required" }, appearance: { color: "#0b7285", position: "left" } } });
  const worker = new URL(parley.url);
  const policy = `default-src 'self'; script-src 'self' ${worker.origin}; style-src 'self'; connect-src 'self' ${worker.origin} ws://${worker.host}`;
  // Nothing inline: the page pastes only the script tag, and the widget makes its own Parley queue.
  host = await hostPage(
    `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Boutique</title></head><body><h1>Boutique</h1><script src="${parley.url}/widget.js" defer></script></body></html>`,
    { "content-security-policy": policy },
  );
  browser = await openBrowser();
});

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await parley?.stop();
});

/** What the policy refused on the page: its violation events, and what Chromium logs about them. */
async function refusalsOn(page: Page) {
  const logged: string[] = [];
  page.on("console", (message) => /Content Security Policy/i.test(message.text()) && logged.push(message.text()));
  await page.addInitScript(() => {
    const seen: string[] = ((window as any).violations = []);
    document.addEventListener("securitypolicyviolation", (event) => seen.push(`${event.effectiveDirective} ${event.blockedURI}`), true);
  });
  return async () => [...logged, ...(await page.evaluate(() => (window as any).violations as string[]))];
}

describe("the widget under a strict Content-Security-Policy", () => {
  it("opens, is positioned and coloured, takes the pre-chat form and chats live, with nothing refused", async () => {
    const context = await browser.newContext({ locale: "fr-FR" });
    const page = await context.newPage();
    const refused = await refusalsOn(page);
    const problems: string[] = [];
    page.on("pageerror", (error) => problems.push(error.message));
    await page.goto(host.url);

    const launcher = page.getByRole("button", { name: "Ouvrir le chat", exact: true });
    await launcher.waitFor();
    const style = await page.locator("parley-chat .launcher").evaluate((el) => {
      const { position, left, bottom, backgroundColor } = getComputedStyle(el);
      return { position, left, bottom, backgroundColor };
    });
    expect(style).toEqual({ position: "fixed", left: "20px", bottom: "20px", backgroundColor: "rgb(11, 114, 133)" });

    await launcher.click();
    await page.getByRole("dialog", { name: "Discutez avec nous", exact: true }).waitFor();
    await page.getByLabel("E-mail", { exact: true }).fill("strict@example.com");
    await page.getByLabel("Nom complet", { exact: true }).fill("Sam Strict");
    await page.getByRole("button", { name: "Démarrer le chat", exact: true }).click();
    const message = page.getByRole("textbox", { name: "Message", exact: true });
    await message.fill("Bonjour, ma commande est en retard.");
    await page.getByRole("button", { name: "Envoyer", exact: true }).click();

    const messages = page.getByRole("log").locator("p");
    await expect.poll(() => messages.allTextContents()).toEqual(["Bonjour, ma commande est en retard."]);
    const find = async () => ((await parley.api("GET", "/api/conversations?status=all", { as: owner })).json.items as any[]).find((c) => c.contact?.email === "strict@example.com");
    await expect.poll(find).toBeTruthy();
    const conversation = await find();
    // The reply arrives over the socket (connect-src ws://): there is no other way for it to come.
    await expect.poll(async () => (await parley.api("GET", `/api/conversations/${conversation.id}`, { as: owner })).json.visitorOnline).toBe(true);
    await parley.api("POST", `/api/conversations/${conversation.id}/messages`, { as: owner, body: { channel: "chat", body: "Elle part aujourd’hui." } });
    await expect.poll(() => messages.allTextContents()).toEqual(["Bonjour, ma commande est en retard.", "Elle part aujourd’hui."]);
    await screenshot(page, "widget-csp");

    expect(await refused()).toEqual([]);
    expect(problems).toEqual([]);

    // The policy is really enforced and heard: an inline style attribute is refused and recorded.
    await page.evaluate(() => document.body.setAttribute("style", "color: red"));
    await expect.poll(async () => (await refused()).some((refusal) => refusal.startsWith("style-src-attr"))).toBe(true);
    await context.close();
  });
});
