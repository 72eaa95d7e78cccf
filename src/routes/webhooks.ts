// Providers' webhooks. Each body is read raw and its signature checked before anything in it is
// used: a body that is not signed with the workspace's secret is 401 and nothing of it is kept.
import { Hono, type Context } from "hono";
import { messengerNews, MessengerWebhook, profileName } from "../channels/messenger";
import { signedUrlCandidates, smsNews, smsStatusReport, twilioSignedText } from "../channels/sms";
import { database } from "../db/client";
import { messengerIdentity, partyOf } from "../domain/identities";
import { sentUntil } from "../domain/messages";
import { ingest } from "../domain/pipeline";
import { updateDelivery } from "../domain/replies";
import { recordSmsConsent } from "../domain/consent";
import { loadConversationView, nameParty, SYSTEM_VIEWER } from "../domain/conversations";
import { refundCredits } from "../domain/credits";
import { loadSettings, type Settings } from "../domain/settings";
import { fromBase64, fromHex, hmacVerifies } from "../domain/signatures";
import type { AppEnv, Env } from "../env";
import { conversationChanged } from "../realtime/events";
import { errorBody } from "../errors";

/** Meta sends at most a few hundred events per body, Twilio a form of a few fields; anything far larger is neither. */
const MAX_WEBHOOK_BYTES = 1024 * 1024;

export const webhookRoutes = new Hono<AppEnv>();

// Meta's subscription check: it echoes the challenge only for the verify token set in Settings.
webhookRoutes.get("/webhooks/messenger", async (c) => {
  const { verifyToken } = (await loadSettings(database(c.env.DB))).messenger;
  const mode = c.req.query("hub.mode");
  const token = c.req.query("hub.verify_token");
  const challenge = c.req.query("hub.challenge");
  if (!verifyToken || mode !== "subscribe" || token !== verifyToken || !challenge) {
    return c.json(errorBody("forbidden", "The verify token does not match the one in Settings."), 403);
  }
  return c.text(challenge);
});

webhookRoutes.post("/webhooks/messenger", async (c) => {
  const raw = await signedBody(c, async (bytes) => {
    const { appSecret } = (await loadSettings(database(c.env.DB))).messenger;
    const signature = c.req.header("x-hub-signature-256") ?? "";
    return signature.startsWith("sha256=") && hmacVerifies("SHA-256", appSecret, bytes, fromHex(signature.slice("sha256=".length)));
  });
  if (raw instanceof Response) return raw;
  // Meta retries anything but a quick 200: a signed body is answered 200 even when nothing in it is stored.
  const parsed = MessengerWebhook.safeParse(parseJson(raw));
  if (!parsed.success) {
    console.error("messenger webhook: signed body of an unknown shape", parsed.error.message);
    return c.json({ received: 0 });
  }
  const news = messengerNews(parsed.data);
  for (const message of news.messages) {
    const kept = await ingest(c.env, message);
    // A new person's conversation shows their profile's name until an agent makes them a contact.
    if (kept.created && !kept.contact && message.sentBy === undefined) await nameFromProfile(c.env, kept.conversation.id, message.sender[0]!.value);
  }
  for (const mid of news.delivered) await updateDelivery(c.env, "messenger", mid, "delivered");
  for (const { psid, watermark } of news.read) {
    for (const reply of await sentUntil(database(c.env.DB), "messenger", partyOf(messengerIdentity(psid)), watermark)) {
      if (reply.externalId) await updateDelivery(c.env, "messenger", reply.externalId, "delivered");
    }
  }
  return c.json({ received: news.messages.length });
});

// Twilio: inbound SMS, and status callbacks for the ones Parley sent. Both are form posts signed
// over the URL Twilio called and the form's fields; both are answered 200 once signed.
webhookRoutes.post("/webhooks/sms", async (c) => {
  const db = database(c.env.DB);
  const settings = await loadSettings(db);
  const params = await twilioForm(c, settings);
  if (params instanceof Response) return params;
  const news = smsNews(params, settings.defaultCountry, Date.now());
  if (!news) console.error("sms webhook: signed body that is not a message from a phone number");
  else {
    const kept = await ingest(c.env, news.message);
    // A redelivery says nothing new: its consent was recorded the first time (it must not undo a later START).
    if (news.consent && !kept.duplicate) await recordSmsConsent(db, news.phone, news.consent);
  }
  return c.body(EMPTY_TWIML, 200, { "content-type": "text/xml; charset=utf-8" });
});

webhookRoutes.post("/webhooks/sms/status", async (c) => {
  const params = await twilioForm(c, await loadSettings(database(c.env.DB)));
  if (params instanceof Response) return params;
  const report = smsStatusReport(params);
  if (report) {
    const reply = await updateDelivery(c.env, "sms", report.sid, report.status, report.reason);
    if (reply && report.refund) await refundCredits(database(c.env.DB), reply.id);
  }
  return c.body(null, 204);
});

const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>';

async function nameFromProfile(env: Env, conversationId: string, psid: string) {
  const db = database(env.DB);
  const name = await profileName((await loadSettings(db)).messenger, psid);
  if (!name) return;
  await nameParty(db, conversationId, name);
  await conversationChanged(env, await loadConversationView(db, conversationId, SYSTEM_VIEWER));
}

/** The form Twilio posted, once its signature is checked; else the 401 (or 413) to answer. */
async function twilioForm(c: Context<AppEnv>, settings: Settings): Promise<URLSearchParams | Response> {
  let params = new URLSearchParams();
  const raw = await signedBody(c, async (bytes) => {
    params = new URLSearchParams(new TextDecoder().decode(bytes));
    const signature = fromBase64(c.req.header("x-twilio-signature") ?? "");
    const called = new URL(c.req.url);
    const url = settings.sms.publicBaseUrl ? `${settings.sms.publicBaseUrl.replace(/\/+$/, "")}${called.pathname}${called.search}` : c.req.url;
    for (const candidate of signedUrlCandidates(url)) {
      if (await hmacVerifies("SHA-1", settings.sms.authToken, twilioSignedText(candidate, params), signature)) return true;
    }
    return false;
  });
  return raw instanceof Response ? raw : params;
}

/** The body's bytes when `verified` accepts them; else the 401 (or 413) to answer. */
async function signedBody(c: Context<AppEnv>, verified: (bytes: Uint8Array) => Promise<boolean>): Promise<Uint8Array | Response> {
  const length = Number(c.req.header("content-length") ?? 0);
  if (length > MAX_WEBHOOK_BYTES) return c.json(errorBody("too_large", "Webhook bodies are limited to 1 MB."), 413);
  const bytes = new Uint8Array(await c.req.arrayBuffer());
  if (bytes.length > MAX_WEBHOOK_BYTES) return c.json(errorBody("too_large", "Webhook bodies are limited to 1 MB."), 413);
  if (!(await verified(bytes))) return c.json(errorBody("unauthorized", "The signature does not match this body."), 401);
  return bytes;
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
}
