// Browser tests drive the real thing: `wrangler dev` on its own port and storage, Debian's
// Chromium through playwright-core, and a host page served from another origin.
//
//   const parley = await startParley({ port: 8788 });  // fresh D1 + DOs, migrations applied
//   const owner = await parley.signUpOwner();           // first admin; { cookie } for parley.api
//   await parley.api("POST", "/api/users", { as: owner, body: {...} });
//   const host = await hostPage(widgetSnippet(parley.url)); // another origin pasting the widget
//   const browser = await openBrowser();
//   const page = await browser.newPage();                // isolated context (own localStorage)
//   await page.goto(host.url);
//   await screenshot(page, "widget-open");               // into <tmpdir>/shots, outside the repo
//   await browser.close(); await host.stop(); await parley.stop();
//
// Every port must be one the test owns: several people run wrangler dev on one machine.
import { spawn, type ChildProcess } from "node:child_process";
import { createHmac } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core";

const ROOT = join(import.meta.dirname, "..", "..");
const WRANGLER = join(ROOT, "node_modules", ".bin", "wrangler");

export const OWNER = { email: "owner@parley.test", password: "correct horse", name: "Olivia Owner" };

export type Session = { cookie?: string; token?: string };
export type ApiAnswer = { status: number; json: any; headers: Headers };

export type Parley = {
  /** e.g. http://127.0.0.1:8788 */
  url: string;
  /** A JSON call to the running Worker, as a CRM or a signed-in agent would make it. */
  api(method: string, path: string, opts?: { body?: unknown; as?: Session }): Promise<ApiAnswer>;
  /** Creates the first admin through first-run setup and returns their session. */
  signUpOwner(): Promise<Session>;
  /** Signs `who` in through the UI's own form, and waits for the signed-in app. */
  signIn(page: Page, who: { email: string; password: string }): Promise<void>;
  /** A website visitor through the widget's HTTP API: a token, the pre-chat form if given, a first message. Their conversation's id. */
  visitorWrites(text: string, form?: { email: string; fullName: string }): Promise<string>;
  stop(): Promise<void>;
};

/** Starts the Worker with fresh local storage (migrations applied first) and waits until it answers. */
export async function startParley({ port }: { port: number }): Promise<Parley> {
  const persist = mkdtempSync(join(tmpdir(), "parley-browser-"));
  await run(WRANGLER, ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persist]);
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    WRANGLER,
    ["dev", "--local", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(port + 10_000), "--persist-to", persist, "--show-interactive-dev-session=false", "--log-level", "warn"],
    { cwd: ROOT, env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1" }, detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  const stop = async () => {
    await stopProcess(child);
    rmSync(persist, { recursive: true, force: true });
  };
  try {
    await waitUntil(
      async () => {
        if (child.exitCode !== null) throw new Error(`wrangler dev exited:\n${output}`);
        const res = await fetch(`${url}/api/setup`).catch(() => null);
        return res?.status === 200;
      },
      90_000,
      () => `wrangler dev did not answer on ${url}:\n${output}`,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  const api: Parley["api"] = async (method, path, opts = {}) => {
    const headers: Record<string, string> = {};
    if (opts.body !== undefined) headers["content-type"] = "application/json";
    if (opts.as?.cookie) headers.cookie = opts.as.cookie;
    if (opts.as?.token) headers.authorization = `Bearer ${opts.as.token}`;
    const res = await fetch(url + path, { method, headers, body: opts.body === undefined ? undefined : JSON.stringify(opts.body) });
    const text = await res.text();
    let json: any = text;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, json, headers: res.headers };
  };
  const signUpOwner = async () => {
    const res = await api("POST", "/api/setup", { body: OWNER });
    const cookie = res.headers.get("set-cookie")?.split(";")[0];
    if (res.status !== 201 || !cookie) throw new Error(`setup failed: ${res.status} ${JSON.stringify(res.json)}`);
    return { cookie };
  };
  const signIn: Parley["signIn"] = async (page, who) => {
    await page.goto(url);
    await page.getByLabel("Email").fill(who.email);
    await page.getByLabel("Password").fill(who.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("navigation", { name: "Main" }).waitFor({ timeout: 15_000 });
  };
  const visitorWrites: Parley["visitorWrites"] = async (text, form) => {
    const { json } = await api("POST", "/api/widget/visitors");
    const headers = { "content-type": "application/json", "x-visitor-token": json.token };
    if (form) await fetch(`${url}/api/widget/prechat`, { method: "POST", headers, body: JSON.stringify(form) });
    const res = await fetch(`${url}/api/widget/messages`, { method: "POST", headers, body: JSON.stringify({ clientId: crypto.randomUUID(), body: text }) });
    if (res.status !== 201) throw new Error(`the visitor's message was refused: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { conversationId: string }).conversationId;
  };
  return { url, api, signUpOwner, signIn, visitorWrites, stop };
}

export type TestBrowser = {
  /** A page in its own context: its own cookies and localStorage, like a separate browser profile (1280 x 800 unless told). */
  newPage(viewport?: { width?: number; height?: number }): Promise<Page>;
  /** A context to open several pages that share storage (a reload, a second tab); `options` as Playwright takes them (a locale, a phone's viewport). */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  close(): Promise<void>;
};

/** Debian's Chromium, headless. */
export async function openBrowser(): Promise<TestBrowser> {
  const browser: Browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  return {
    newPage: async ({ width = 1280, height = 800 } = {}) => (await browser.newContext({ viewport: { width, height } })).newPage(),
    newContext: (options) => browser.newContext(options),
    close: () => browser.close(),
  };
}

/** Serves `html` at `/` from its own origin (another port), as a customer's website would, with `headers` (a Content-Security-Policy) if given. */
export async function hostPage(html: string, headers: Record<string, string> = {}): Promise<{ url: string; stop(): Promise<void> }> {
  const server = createServer((req, res) => {
    if (req.url === "/" || req.url?.startsWith("/?")) {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8", ...headers }).end(html);
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** A host page with the contract's snippet pasted in; `commands` are extra `Parley.push(...)` lines. */
export function widgetSnippet(parleyUrl: string, commands: string[] = []): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Acme Store</title>
<style>* { all: revert; font-family: serif !important; color: red !important; } button { display: none !important; }</style>
</head><body>
<h1>Acme Store</h1>
<p>A customer's website. Its CSS is hostile on purpose: the widget must not care.</p>
<script src="${parleyUrl}/widget.js" defer></script>
<script>
  window.Parley = window.Parley || { q: [], push(a) { this.q.push(a) } };
  ${commands.join("\n  ")}
</script>
</body></html>`;
}

/** A form POST signed as Twilio signs its webhooks: HMAC-SHA1 with the auth token over the URL and the sorted parameters. */
export function postSignedByTwilio(url: string, authToken: string, params: Record<string, string>): Promise<Response> {
  const signed = Object.keys(params)
    .sort()
    .reduce((text, key) => text + key + params[key], url);
  const signature = createHmac("sha1", authToken).update(signed).digest("base64");
  return fetch(url, { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature }, body: new URLSearchParams(params) });
}

/** Saves a screenshot outside the repo and returns its path: the whole page, or only what the viewport shows. */
export async function screenshot(page: Page, name: string, { fullPage = true } = {}): Promise<string> {
  const dir = join(tmpdir(), "shots");
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}

export async function waitUntil(check: () => Promise<boolean>, timeoutMs: number, explain: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(explain());
}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1" }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} failed:\n${output}`))));
  });
}

/** Ends wrangler and the workerd it started (its own process group), waiting for them to go. */
async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || !child.pid) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  process.kill(-child.pid, "SIGTERM");
  const timer = setTimeout(() => child.pid && process.kill(-child.pid, "SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

/**
 * The server answers the page's next request `matching` at once, but the answer is held back on
 * its way: `answered` is what it said, `deliver()` lets it reach the page and waits until the page
 * has taken it in.
 */
export async function holdAnswer<Said>(page: Page, matching: (url: URL) => boolean) {
  let answered!: (body: Said) => void;
  const said = new Promise<Said>((resolve) => (answered = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let held = false;
  await page.route(matching, async (route) => {
    // Only the next one: later requests (the page's own reload after a change) go as usual.
    if (held) return route.fallback();
    held = true;
    const response = await route.fetch();
    answered(await response.json());
    await released;
    await route.fulfill({ response });
  });
  return {
    answered: said,
    async deliver() {
      const finished = page.waitForEvent("requestfinished", (request) => matching(new URL(request.url())));
      release();
      await finished;
      // The page's handlers run once the body is read: a moment later.
      await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 200)));
      await page.unroute(matching);
    },
  };
}
