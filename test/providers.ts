// The providers as Parley meets them in tests: Twilio's and Meta's webhooks signed the way each
// computes its signature, and their send APIs intercepted at the fetch boundary.
import { expect, vi } from "vitest";
import { call } from "./helpers";

// Twilio
export const ACCOUNT = "AC0000000000000000000000000000test";
export const AUTH_TOKEN = "twilio auth token";
export const OUR_NUMBER = "+14155550100";
export const TWILIO = "https://twilio.test";
export const WEBHOOK = "https://parley.test/webhooks/sms";
export const STATUS = "https://parley.test/webhooks/sms/status";

export async function twilioSignature(url: string, fields: Record<string, string>, token = AUTH_TOKEN) {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(token), { name: "HMAC", hash: "SHA-1" }, false, ["sign"]);
  const text =
    url +
    Object.keys(fields)
      .sort()
      .map((name) => name + fields[name])
      .join("");
  return btoa(String.fromCharCode(...new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(text)))));
}

export async function postForm(url: string, fields: Record<string, string>, signature: string | null) {
  return call("POST", new URL(url).pathname, {
    raw: new URLSearchParams(fields).toString(),
    headers: { "content-type": "application/x-www-form-urlencoded", ...(signature === null ? {} : { "x-twilio-signature": signature }) },
  });
}

let sids = 0;
/** An inbound SMS as Twilio posts it, signed; the fields sent. */
export async function texted(fromNumber: string, body: string, extra: Record<string, string> = {}) {
  const fields = { AccountSid: ACCOUNT, MessageSid: `SM${(++sids).toString().padStart(32, "0")}`, From: fromNumber, To: OUR_NUMBER, Body: body, NumMedia: "0", ...extra };
  const res = await postForm(WEBHOOK, fields, await twilioSignature(WEBHOOK, fields));
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return { fields, res };
}

let outbound = 0;
/** Twilio's Messages API as the adapter reaches it: every request it got, answered with `answer` (by default, a new sid each). */
export function twilioAnswers(status: number, answer: () => unknown = () => ({ sid: `SMout${++outbound}`, status: "queued" })) {
  const sent: { url: string; headers: Headers; form: URLSearchParams }[] = [];
  const real = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    if (!request.url.startsWith(TWILIO)) return real(input, init);
    sent.push({ url: request.url, headers: request.headers, form: new URLSearchParams(new TextDecoder().decode(await request.arrayBuffer())) });
    return Response.json(answer(), { status });
  });
  return sent;
}

// Meta
export const APP_SECRET = "meta app secret";
export const VERIFY_TOKEN = "verify me";
export const PAGE_ID = "1000001";
export const PAGE_TOKEN = "page access token";
export const GRAPH = "https://graph.test/v21.0";

export async function metaSignature(body: string, secret = APP_SECRET) {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(body)));
  return `sha256=${[...mac].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

export function postToMessenger(body: string, sig: string | null) {
  return call("POST", "/webhooks/messenger", { raw: body, headers: { "content-type": "application/json", ...(sig ? { "x-hub-signature-256": sig } : {}) } });
}

export const messengerEvent = (...messaging: unknown[]) => JSON.stringify({ object: "page", entry: [{ id: PAGE_ID, time: Date.now(), messaging }] });
export const messengerText = (psid: string, mid: string, body: string, extra: Record<string, unknown> = {}) => ({
  sender: { id: psid },
  recipient: { id: PAGE_ID },
  timestamp: Date.now(),
  message: { mid, text: body, ...extra },
});

/** Meta's Send API as the adapter reaches it, at the fetch boundary: what was sent, and Meta's answer. */
export function metaAnswers(status: number, answer: unknown) {
  const sent: { url: string; headers: Headers; body: any }[] = [];
  const real = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    const request = new Request(input, init);
    if (!request.url.startsWith(GRAPH)) return real(input, init);
    sent.push({ url: request.url, headers: request.headers, body: await request.json() });
    return Response.json(answer, { status });
  });
  return sent;
}
