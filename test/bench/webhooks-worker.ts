// Bench-only Worker (test/bench/webhooks.wrangler.toml): the whole product, plus each provider's
// signature check alone as the baseline of its webhook. POST /bench/verify/messenger and
// POST /bench/verify/sms read the body and verify its signature as Meta (X-Hub-Signature-256,
// HMAC-SHA256 of the raw body) and Twilio (X-Twilio-Signature, HMAC-SHA1 of the URL and the sorted
// form params) sign it, with WebCrypto, against the secret the bench gave this Worker's env; then
// answer 200 (401 when it does not verify) and store nothing. With ?settings=1 the secret is read
// from the workspace's Settings in D1 first, as the product's webhooks do before they verify.
import { database } from "../../src/db/client";
import { loadSettings } from "../../src/domain/settings";
import type { Env } from "../../src/env";
import worker from "../../src/index";

export { ConversationRoom } from "../../src/realtime/room";
export { InboxFeed } from "../../src/realtime/inbox";

type BenchEnv = Env & { BENCH_MESSENGER_APP_SECRET: string; BENCH_SMS_AUTH_TOKEN: string };

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    const provider = url.pathname.match(/^\/bench\/verify\/(messenger|sms)$/)?.[1];
    if (!provider || request.method !== "POST") return worker.fetch(request, env, ctx);
    const fromSettings = url.searchParams.has("settings") ? await loadSettings(database(env.DB)) : null;
    if (provider === "messenger") {
      const secret = fromSettings ? fromSettings.messenger.appSecret : env.BENCH_MESSENGER_APP_SECRET;
      if (!(await metaSigned(request, secret))) return new Response("bad signature", { status: 401 });
      return Response.json({ received: 0 });
    }
    const secret = fromSettings ? fromSettings.sms.authToken : env.BENCH_SMS_AUTH_TOKEN;
    if (!(await twilioSigned(request, secret))) return new Response("bad signature", { status: 401 });
    return new Response("<Response></Response>", { headers: { "content-type": "text/xml" } });
  },
  email: worker.email,
} satisfies ExportedHandler<BenchEnv>;

const encoder = new TextEncoder();

const hmacKey = (secret: string, hash: "SHA-256" | "SHA-1") => crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash }, false, ["verify"]);

/** X-Hub-Signature-256: "sha256=" and the hex HMAC-SHA256 of the body's bytes under the app secret. */
async function metaSigned(request: Request, secret: string): Promise<boolean> {
  const body = await request.arrayBuffer();
  const hex = request.headers.get("x-hub-signature-256")?.match(/^sha256=((?:[0-9a-f]{2}){32})$/i)?.[1];
  if (!secret || !hex) return false;
  const signature = Uint8Array.from(hex.match(/../g)!, (pair) => parseInt(pair, 16));
  return crypto.subtle.verify("HMAC", await hmacKey(secret, "SHA-256"), signature, body);
}

/** X-Twilio-Signature: base64 HMAC-SHA1, under the auth token, of the URL requested and every param's name and value, sorted. */
async function twilioSigned(request: Request, token: string): Promise<boolean> {
  const params = [...new URLSearchParams(await request.text())].sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  const header = request.headers.get("x-twilio-signature");
  if (!token || !header) return false;
  let signature: Uint8Array;
  try {
    signature = Uint8Array.from(atob(header), (c) => c.charCodeAt(0));
  } catch {
    return false;
  }
  const signed = request.url + params.map(([name, value]) => name + value).join("");
  return crypto.subtle.verify("HMAC", await hmacKey(token, "SHA-1"), signature, encoder.encode(signed));
}
