// Webhooks in Settings, in Chromium: an admin subscribes a receiving endpoint (a Node server in the
// test, on its own port) with a generated secret, sends a test event and checks it arrived signed
// as a receiver would check it; while the endpoint answers 500 the delivery log shows it pending
// with its attempts and the status, and once it answers 200 "Retry now" delivers it. Then events
// the webhook names (and only those) reach it, its events and secret change, it pauses, and it goes.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Locator, Page } from "playwright-core";
import { createHmac, timingSafeEqual } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { openBrowser, OWNER, screenshot, startParley, type Parley, type Session, type TestBrowser } from "./harness";

const PORT = 8815;
const WAIT = { timeout: 15_000 };
/** A delivery goes through the local queue (batches of up to a second) before it reaches the endpoint. */
const DELIVERY_WAIT = { timeout: 30_000 };

let parley: Parley;
let browser: TestBrowser;
let owner: Session;
let admin: Page;
let endpoint: Endpoint;
let hookUrl: string;
let secret: string;

/** What the endpoint received, one entry a request, and the status it answers with now. */
type Received = { method: string; path: string; headers: IncomingHttpHeaders; raw: Buffer; json: any };
type Endpoint = { url: string; received: Received[]; status: number; stop(): Promise<void> };

/** A CRM's receiving endpoint: it keeps every request and answers `status`. */
async function startEndpoint(): Promise<Endpoint> {
  const state: Endpoint = { url: "", received: [], status: 500, stop: async () => {} };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (d: Buffer) => chunks.push(d));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      let json: any = null;
      try {
        json = JSON.parse(raw.toString("utf8"));
      } catch {
        // kept raw
      }
      state.received.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, raw, json });
      res.writeHead(state.status, { "content-type": "text/plain" }).end(state.status < 300 ? "ok" : "down for maintenance");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  state.url = `http://127.0.0.1:${port}`;
  state.stop = () => new Promise((resolve) => server.close(() => resolve()));
  return state;
}

/**
 * What a receiver does with X-Parley-Signature: take t and v1, compute HMAC-SHA256 of
 * "<t>.<raw body>" with the secret, compare in constant time, and refuse a stale t.
 */
function signatureValid(header: string | string[] | undefined, raw: Buffer, key: string): boolean {
  if (typeof header !== "string") return false;
  const parts = new Map(
    header.split(",").map((part) => {
      const at = part.indexOf("=");
      return [part.slice(0, at).trim(), part.slice(at + 1).trim()] as const;
    }),
  );
  const t = parts.get("t");
  const v1 = parts.get("v1");
  if (!t || !/^\d+$/.test(t) || !v1 || !/^[0-9a-f]+$/.test(v1)) return false;
  if (Math.abs(Date.now() / 1000 - Number(t)) > 300) return false;
  const expected = createHmac("sha256", key)
    .update(Buffer.concat([Buffer.from(`${t}.`, "utf8"), raw]))
    .digest();
  const given = Buffer.from(v1, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** Requests to the endpoint carrying events of `type`. */
const receivedOf = (type: string) => endpoint.received.filter((r) => r.json?.type === type);

const panel = (page: Page) => page.getByRole("tabpanel", { name: "Webhooks" });
const addForm = (page: Page) => panel(page).getByRole("form", { name: "Add webhook" });
const card = (page: Page, url = hookUrl) => panel(page).getByRole("region", { name: `Webhook ${url}` });
const log = (page: Page, url = hookUrl) => card(page, url).getByRole("table", { name: `Deliveries to ${url}` });
const deliveryRow = (page: Page, type: string): Locator => log(page).getByRole("row").filter({ hasText: type });
/** A delivery row's cells: Time, Event, Status, Attempts, Last answer, Next try, Action. */
const cell = (row: Locator, column: number) => row.getByRole("cell").nth(column);
const subscriptions = async () => (await parley.api("GET", "/api/webhooks", { as: owner })).json.items as any[];

beforeAll(async () => {
  endpoint = await startEndpoint();
  hookUrl = `${endpoint.url}/parley-events`;
  parley = await startParley({ port: PORT });
  owner = await parley.signUpOwner();
  browser = await openBrowser();
  admin = await browser.newPage();
  await admin.setViewportSize({ width: 1280, height: 900 });
  await parley.signIn(admin, OWNER);
});

afterAll(async () => {
  await browser?.close();
  await parley?.stop();
  await endpoint?.stop();
});

describe("webhooks in Settings", () => {
  it("opens the Webhooks tab: with no webhook yet, the form to add one", async () => {
    await admin.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Settings" }).click();
    await admin.getByRole("tab", { name: "Webhooks" }).click();
    expect(new URL(admin.url()).pathname).toBe("/settings/webhooks");
    const form = addForm(admin);
    await form.waitFor(WAIT);
    // Every event the API offers, by its exact name, none ticked; the webhook starts enabled.
    for (const name of [
      "contact.created",
      "contact.updated",
      "contact.merged",
      "conversation.created",
      "conversation.assigned",
      "conversation.completed",
      "conversation.reopened",
      "message.created",
      "automation.entered",
    ]) {
      expect(await form.getByRole("checkbox", { name, exact: true }).isChecked()).toBe(false);
    }
    expect(await form.getByRole("checkbox", { name: "Enabled (send events to this endpoint)" }).isChecked()).toBe(true);
    expect(await form.getByLabel("Signing secret", { exact: true }).getAttribute("type")).toBe("password");
    await screenshot(admin, "ui-webhooks-empty");
  });

  it("says in a sentence why a webhook is not added: no event, then the server's refusal of a plain-http URL", async () => {
    const form = addForm(admin);
    await form.getByLabel("Endpoint URL").fill("http://crm.example.com/parley");
    await form.getByLabel("Signing secret", { exact: true }).fill("a secret of twenty chars");
    await form.getByRole("button", { name: "Add webhook" }).click();
    await form.getByRole("alert").filter({ hasText: "Choose at least one event to send." }).waitFor(WAIT);

    // "All events" ticks and clears them together, and shows when only some are ticked.
    const all = form.getByRole("checkbox", { name: "All events" });
    await all.check();
    expect(await form.getByRole("checkbox", { name: "automation.entered", exact: true }).isChecked()).toBe(true);
    await form.getByRole("checkbox", { name: "contact.merged", exact: true }).uncheck();
    expect(await all.isChecked()).toBe(false);
    expect(await all.evaluate((el) => (el as HTMLInputElement).indeterminate)).toBe(true);
    await all.check();
    await all.uncheck();
    expect(await form.getByRole("checkbox", { name: "conversation.created", exact: true }).isChecked()).toBe(false);

    await form.getByRole("checkbox", { name: "conversation.assigned", exact: true }).check();
    await form.getByRole("button", { name: "Add webhook" }).click();
    await form.getByRole("alert").filter({ hasText: "Use an https:// address (http:// only for localhost)." }).waitFor(WAIT);
    expect(await subscriptions()).toEqual([]);
    await screenshot(admin, "ui-webhooks-refused");
  });

  it("adds a webhook to the endpoint with a generated secret, shown so the admin can copy it", async () => {
    const form = addForm(admin);
    await form.getByLabel("Endpoint URL").fill(hookUrl);
    const secretField = form.getByLabel("Signing secret", { exact: true });
    await form.getByRole("button", { name: "Generate" }).click();
    secret = await secretField.inputValue();
    expect(secret).toMatch(/^[0-9a-f]{32}$/);
    expect(await secretField.getAttribute("type")).toBe("text");
    await form.getByRole("button", { name: "Copy" }).waitFor(WAIT);
    // A second press makes another one.
    await form.getByRole("button", { name: "Generate" }).click();
    expect(await secretField.inputValue()).not.toBe(secret);
    secret = await secretField.inputValue();
    await form.getByRole("checkbox", { name: "conversation.completed", exact: true }).check();
    expect(await form.getByRole("checkbox", { name: "conversation.assigned", exact: true }).isChecked()).toBe(true);
    await screenshot(admin, "ui-webhooks-form");
    await form.getByRole("button", { name: "Add webhook" }).click();

    await admin.getByText("Webhook added.").waitFor(WAIT);
    const once = panel(admin).getByRole("alert").filter({ hasText: "will not be shown again" });
    expect(await once.getByLabel("Signing secret of the new webhook").inputValue()).toBe(secret);
    const hook = card(admin);
    await hook.getByText("conversation.assigned", { exact: true }).waitFor(WAIT);
    await hook.getByText("conversation.completed", { exact: true }).waitFor(WAIT);
    expect(await hook.getByRole("switch", { name: "Enabled" }).isChecked()).toBe(true);
    await hook.getByText("No deliveries yet.").waitFor(WAIT);
    // With a webhook in the list, the form folds behind its button.
    await panel(admin).getByRole("button", { name: "Add webhook" }).waitFor(WAIT);
    expect(await addForm(admin).count()).toBe(0);

    const [saved, ...others] = await subscriptions();
    expect(others).toEqual([]);
    expect(saved).toMatchObject({ url: hookUrl, events: ["conversation.assigned", "conversation.completed"], enabled: true, secret: "••••••••" });
    await screenshot(admin, "ui-webhooks-added");
  });

  it("sends a test event: the endpoint gets it signed with the secret; while it answers 500 the log shows it pending, with attempts and the status", async () => {
    endpoint.status = 500;
    await card(admin).getByRole("button", { name: "Send test event" }).click();
    await expect.poll(() => receivedOf("webhook.test").length, DELIVERY_WAIT).toBeGreaterThanOrEqual(1);

    const [first] = receivedOf("webhook.test");
    expect(first!.method).toBe("POST");
    expect(first!.path).toBe("/parley-events");
    expect(first!.headers["content-type"]).toContain("application/json");
    expect(first!.json).toMatchObject({ id: expect.any(String), type: "webhook.test", createdAt: expect.any(Number), data: expect.any(Object) });
    expect(signatureValid(first!.headers["x-parley-signature"], first!.raw, secret)).toBe(true);
    // ...and a receiver would refuse it with another secret, or with the body changed.
    expect(signatureValid(first!.headers["x-parley-signature"], first!.raw, "0123456789abcdef0123456789abcdef")).toBe(false);
    expect(signatureValid(first!.headers["x-parley-signature"], Buffer.from(first!.raw.toString().replace("webhook.test", "webhook.tesT")), secret)).toBe(false);

    const row = deliveryRow(admin, "webhook.test");
    await cell(row, 4).getByText("HTTP 500").waitFor(DELIVERY_WAIT);
    expect(await cell(row, 2).textContent()).toBe("Pending");
    expect(Number(await cell(row, 3).textContent())).toBeGreaterThanOrEqual(1);
    expect(await cell(row, 5).textContent()).toMatch(/^(in \d+ s|in \d+ min|due now)$/);
    await row.getByRole("button", { name: "Retry now" }).waitFor(WAIT);

    const id = (await subscriptions())[0].id;
    const { json } = await parley.api("GET", `/api/webhooks/${id}/deliveries`, { as: owner });
    expect(json.items).toHaveLength(1);
    expect(json.items[0]).toMatchObject({ type: "webhook.test", status: "pending", lastStatus: 500, eventId: first!.json.id });
    expect(json.items[0].attempts).toBeGreaterThanOrEqual(1);
    await screenshot(admin, "ui-webhooks-pending-500");
  });

  it("delivers on Retry now once the endpoint answers 200", async () => {
    endpoint.status = 200;
    const before = receivedOf("webhook.test").length;
    const row = deliveryRow(admin, "webhook.test");
    await row.getByRole("button", { name: "Retry now" }).click();
    await cell(row, 2).getByText("Delivered").waitFor(DELIVERY_WAIT);
    await cell(row, 4).getByText("HTTP 200").waitFor(WAIT);
    expect(await row.getByRole("button", { name: "Retry now" }).count()).toBe(0);
    expect(await cell(row, 5).textContent()).toBe("—");

    // The same event again (its id), signed afresh with the same secret.
    const tries = receivedOf("webhook.test");
    expect(tries.length).toBeGreaterThan(before);
    const last = tries[tries.length - 1]!;
    expect(last.json.id).toBe(tries[0]!.json.id);
    expect(signatureValid(last.headers["x-parley-signature"], last.raw, secret)).toBe(true);
    const id = (await subscriptions())[0].id;
    const { json } = await parley.api("GET", `/api/webhooks/${id}/deliveries`, { as: owner });
    expect(json.items[0]).toMatchObject({ status: "delivered", lastStatus: 200, nextAttemptAt: null, deliveredAt: expect.any(Number) });
    await screenshot(admin, "ui-webhooks-delivered");
  });

  it("sends the events the webhook names, and no others, and the log shows them as they come", async () => {
    const conversationId = await parley.visitorWrites("Where is my parcel?", { email: "ana@example.com", fullName: "Ana Lima" });
    const me = (await parley.api("GET", "/api/me", { as: owner })).json;
    const assigned = await parley.api("PUT", `/api/conversations/${conversationId}/assignee`, { as: owner, body: { userId: me.id } });
    expect(assigned.status, JSON.stringify(assigned.json)).toBe(200);
    expect((await parley.api("POST", `/api/conversations/${conversationId}/complete`, { as: owner })).status).toBe(200);

    await expect.poll(() => receivedOf("conversation.completed").length, DELIVERY_WAIT).toBe(1);
    await expect.poll(() => receivedOf("conversation.assigned").length, DELIVERY_WAIT).toBe(1);
    for (const type of ["conversation.assigned", "conversation.completed"]) {
      const [got] = receivedOf(type);
      expect(signatureValid(got!.headers["x-parley-signature"], got!.raw, secret)).toBe(true);
      expect(got!.json.data.conversation.id).toBe(conversationId);
    }
    // Not subscribed: the new conversation, its contact and its message are not sent.
    expect(endpoint.received.map((r) => r.json?.type).filter((t) => !["webhook.test", "conversation.assigned", "conversation.completed"].includes(t))).toEqual([]);

    // Refreshed on its own: no click.
    await cell(deliveryRow(admin, "conversation.completed"), 2).getByText("Delivered").waitFor(WAIT);
    await cell(deliveryRow(admin, "conversation.assigned"), 2).getByText("Delivered").waitFor(WAIT);
    expect(await log(admin).getByRole("row").count()).toBe(4); // the header and three deliveries
    await screenshot(admin, "ui-webhooks-events");
  });

  it("edits the webhook: another event and a new secret, write-only, that the next delivery is signed with", async () => {
    const hook = card(admin);
    await hook.getByRole("button", { name: "Edit" }).click();
    const form = hook.getByRole("form", { name: `Edit webhook ${hookUrl}` });
    expect(await form.getByLabel("Endpoint URL").inputValue()).toBe(hookUrl);
    const newSecret = form.getByLabel("New signing secret", { exact: true });
    expect(await newSecret.inputValue()).toBe("");
    expect(await newSecret.getAttribute("type")).toBe("password");
    expect(await form.getByRole("checkbox", { name: "conversation.completed", exact: true }).isChecked()).toBe(true);
    await form.getByRole("checkbox", { name: "conversation.reopened", exact: true }).check();
    await form.getByRole("button", { name: "Save webhook" }).scrollIntoViewIfNeeded();
    await screenshot(admin, "ui-webhooks-edit");
    // Saving without a new secret keeps the old one.
    await form.getByRole("button", { name: "Save webhook" }).click();
    await admin.getByText("Webhook saved.").waitFor(WAIT);
    await hook.getByText("conversation.reopened", { exact: true }).waitFor(WAIT);
    expect((await subscriptions())[0].events).toEqual(["conversation.assigned", "conversation.completed", "conversation.reopened"]);

    await hook.getByRole("button", { name: "Edit" }).click();
    await form.getByRole("button", { name: "Generate" }).click();
    const replaced = await newSecret.inputValue();
    expect(replaced).toMatch(/^[0-9a-f]{32}$/);
    await form.getByRole("button", { name: "Save webhook" }).click();
    await admin.getByText("Webhook saved.").first().waitFor(WAIT);
    await form.waitFor({ state: "detached", ...WAIT });
    expect((await subscriptions())[0].secret).toBe("••••••••");

    const before = receivedOf("webhook.test").length;
    await hook.getByRole("button", { name: "Send test event" }).click();
    await expect.poll(() => receivedOf("webhook.test").length, DELIVERY_WAIT).toBe(before + 1);
    const got = receivedOf("webhook.test")[before]!;
    expect(signatureValid(got.headers["x-parley-signature"], got.raw, replaced)).toBe(true);
    expect(signatureValid(got.headers["x-parley-signature"], got.raw, secret)).toBe(false);
    await expect.poll(() => log(admin).getByRole("row").filter({ hasText: "webhook.test" }).filter({ hasText: "Delivered" }).count(), WAIT).toBe(2);
  });

  it("fits a 360 px wide phone: each delivery a block of labelled values, nothing wider than the screen", async () => {
    const context = await browser.newContext();
    try {
      const phone = await context.newPage();
      await phone.setViewportSize({ width: 360, height: 800 });
      await parley.signIn(phone, OWNER);
      await phone.goto(`${parley.url}/settings/webhooks`);
      await deliveryRow(phone, "webhook.test").first().waitFor(WAIT);
      const overflow = () => phone.evaluate(() => Math.max(document.documentElement.scrollWidth, document.querySelector("main")!.scrollWidth) - window.innerWidth);
      expect(await overflow()).toBeLessThanOrEqual(0);
      // Each delivery still reads as a row of named cells.
      const row = deliveryRow(phone, "webhook.test").first();
      expect(await cell(row, 2).textContent()).toContain("Delivered");
      await row.scrollIntoViewIfNeeded();
      await screenshot(phone, "ui-webhooks-360");
    } finally {
      await context.close();
    }
  });

  it("pauses and resumes with its switch", async () => {
    const hook = card(admin);
    const toggle = hook.getByRole("switch", { name: "Enabled" });
    await toggle.uncheck();
    await hook.getByText("Paused: no events are sent").waitFor(WAIT);
    await expect.poll(async () => (await subscriptions())[0].enabled, WAIT).toBe(false);
    await screenshot(admin, "ui-webhooks-paused");
    await toggle.check();
    await hook.getByText("Sending", { exact: false }).first().waitFor(WAIT);
    await expect.poll(async () => (await subscriptions())[0].enabled, WAIT).toBe(true);
  });

  it("deletes it after asking, and not when the admin says no", async () => {
    const hook = card(admin);
    admin.once("dialog", (dialog) => dialog.dismiss());
    await hook.getByRole("button", { name: "Delete" }).click();
    await admin.waitForTimeout(300);
    expect(await subscriptions()).toHaveLength(1);

    let asked = "";
    admin.once("dialog", (dialog) => {
      asked = dialog.message();
      dialog.accept();
    });
    await hook.getByRole("button", { name: "Delete" }).click();
    await admin.getByText("Webhook deleted.").waitFor(WAIT);
    expect(asked).toContain(hookUrl);
    await hook.waitFor({ state: "detached", ...WAIT });
    expect(await subscriptions()).toEqual([]);
    // No webhook left: the form to add one is back.
    await addForm(admin).waitFor(WAIT);
    await screenshot(admin, "ui-webhooks-deleted");
  });
});
