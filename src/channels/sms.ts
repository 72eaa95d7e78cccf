// Two-way SMS through Twilio: what its webhooks say, read into messages, consent and delivery
// reports; and replies through its Messages API, each segment paid for with a credit.
import { z } from "zod";
import { database } from "../db/client";
import type { MessageStatus } from "../db/schema";
import { refundCredits, spendCredits } from "../domain/credits";
import type { SmsConsent } from "../domain/consent";
import { phoneIdentity } from "../domain/identities";
import type { InboundMessage } from "../domain/pipeline";
import { toE164 } from "../domain/phones";
import { smsSize, SMS_MAX_CHARS } from "../domain/segments";
import { ApiError, badRequest } from "../errors";
import type { OutboundAdapter, ReplyContext } from "./outbound";

/** Twilio's signature: base64 HMAC-SHA1, with the auth token, of the URL it called followed by every parameter's name and value, sorted by name. */
export function twilioSignedText(url: string, params: URLSearchParams): string {
  const pairs = [...params].sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  return url + pairs.map(([name, value]) => name + value).join("");
}

/**
 * The URLs Twilio may have signed for this request: as called, and with the port written out or
 * left off (Twilio's own libraries accept both, since proxies add or drop it).
 */
export function signedUrlCandidates(url: string): string[] {
  // Strings, not URL objects: those drop a default port written out.
  const parts = /^(https?):\/\/([^/:?#]+)(:\d+)?(.*)$/i.exec(url);
  if (!parts) return [url];
  const [, scheme, host, port, rest] = parts;
  const other = port ? `${scheme}://${host}${rest}` : `${scheme}://${host}:${scheme!.toLowerCase() === "https" ? 443 : 80}${rest}`;
  return [url, other];
}

const TwilioInbound = z.object({
  MessageSid: z.string().min(1).max(64),
  From: z.string().min(1).max(40),
  Body: z.string().max(20_000).default(""),
  NumMedia: z.coerce.number().int().min(0).max(20).default(0),
  /** Set by Twilio's Advanced Opt-Out when the text was a keyword it knows. */
  OptOutType: z.string().optional(),
});

// The keywords carriers and Twilio honour, case-insensitive, alone in the message.
const OPT_OUT = new Set(["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "REVOKE"]);
const OPT_IN = new Set(["START", "YES", "UNSTOP"]);

/** What one inbound SMS tells: the message, and the number's consent if it said a keyword. */
export type SmsNews = { message: InboundMessage; phone: string; consent: SmsConsent | null };

/** Null when the body is not an inbound message from a phone number (a short code Parley cannot answer, say). */
export function smsNews(params: URLSearchParams, defaultCountry: string, receivedAt: number): SmsNews | null {
  const parsed = TwilioInbound.safeParse(Object.fromEntries(params));
  if (!parsed.success) return null;
  const { MessageSid, From, Body, NumMedia, OptOutType } = parsed.data;
  const phone = toE164(From, defaultCountry);
  if (!phone) return null;
  const media = Array.from({ length: NumMedia }, (_, i) => ({ url: params.get(`MediaUrl${i}`), contentType: params.get(`MediaContentType${i}`) })).filter(
    (m): m is { url: string; contentType: string | null } => !!m.url,
  );
  const body = [Body, ...media.map((m) => `[${m.contentType ?? "media"}] ${m.url}`)].filter(Boolean).join("\n");
  return {
    phone,
    consent: consentSaid(Body, OptOutType, receivedAt),
    message: {
      channel: "sms",
      sender: [phoneIdentity(phone)],
      evidence: "proof",
      thread: "latest",
      externalId: MessageSid,
      body,
      meta: { address: phone, ...(media.length ? { media } : {}) },
      receivedAt,
    },
  };
}

function consentSaid(body: string, optOutType: string | undefined, at: number): SmsConsent | null {
  const word = body.trim().toUpperCase();
  const type = optOutType?.toUpperCase();
  if (type === "STOP" || OPT_OUT.has(word)) return { optedOut: true, keyword: word || "STOP", changedAt: at };
  if (type === "START" || OPT_IN.has(word)) return { optedOut: false, keyword: word || "START", changedAt: at };
  return null;
}

const TwilioStatus = z.object({ MessageSid: z.string().min(1).max(64), MessageStatus: z.string().max(40), ErrorCode: z.string().max(20).optional() });

// Twilio's statuses, as far as a reply has got.
const STATUSES: Record<string, MessageStatus> = {
  accepted: "queued",
  scheduled: "queued",
  queued: "queued",
  sending: "queued",
  sent: "sent",
  delivered: "delivered",
  read: "delivered",
  undelivered: "failed",
  failed: "failed",
  canceled: "failed",
};

/** A status callback as a delivery report; `refund` when Twilio did not send it (it bills undelivered messages, not failed ones). */
export function smsStatusReport(params: URLSearchParams): { sid: string; status: MessageStatus; reason: string | null; refund: boolean } | null {
  const parsed = TwilioStatus.safeParse(Object.fromEntries(params));
  const status = parsed.success ? STATUSES[parsed.data.MessageStatus] : undefined;
  if (!parsed.success || !status) return null;
  const { MessageSid, MessageStatus, ErrorCode } = parsed.data;
  const reason = status === "failed" ? `Twilio: ${MessageStatus}${ErrorCode ? ` (error ${ErrorCode})` : ""}.` : null;
  return { sid: MessageSid, status, reason, refund: MessageStatus === "failed" || MessageStatus === "canceled" };
}

// Outbound.
const SendAnswer = z.object({ sid: z.string(), status: z.string() });
const SendRefusal = z.object({ code: z.number().optional(), message: z.string() });

/** The number the conversation reaches its person at: the one that texted, or that was texted. */
const numberOf = (ctx: ReplyContext) => ctx.addresses.sms ?? null;

export const smsAdapter: OutboundAdapter = {
  unreachable: (ctx) => {
    const { accountSid, authToken, fromNumber } = ctx.settings.sms;
    if (!accountSid || !authToken || !fromNumber) return "channel_not_connected";
    if (!numberOf(ctx)) return "no_sms_number";
    return ctx.smsConsent?.optedOut ? "sms_opted_out" : null;
  },
  admit: async (env, ctx, message) => {
    const size = smsSize(message.body);
    if (size.characters > SMS_MAX_CHARS) throw badRequest("sms_too_long", `An SMS holds at most ${SMS_MAX_CHARS} characters; this one has ${size.characters}.`);
    if (!(await spendCredits(database(env.DB), message.id, size.segments))) {
      throw new ApiError(402, "insufficient_credits", `This SMS needs ${size.segments} credit${size.segments === 1 ? "" : "s"}; ${ctx.settings.sms.credits} left. Top up in SMS.`);
    }
    return {
      meta: { address: numberOf(ctx), sms: { segments: size.segments, encoding: size.encoding } },
      release: () => refundCredits(database(env.DB), message.id),
    };
  },
  send: async (env, ctx, message) => {
    const { accountSid, authToken, fromNumber, apiBaseUrl } = ctx.settings.sms;
    const form = new URLSearchParams({ To: numberOf(ctx)!, From: fromNumber, Body: message.body });
    if (ctx.publicBaseUrl) form.set("StatusCallback", `${ctx.publicBaseUrl}/webhooks/sms/status`);
    const failed = async (reason: string) => {
      await refundCredits(database(env.DB), message.id);
      return { status: "failed" as const, reason };
    };
    try {
      const response = await fetch(`${apiBaseUrl.replace(/\/+$/, "")}/2010-04-01/Accounts/${encodeURIComponent(accountSid)}/Messages.json`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", authorization: `Basic ${btoa(`${accountSid}:${authToken}`)}` },
        body: form,
      });
      const answer: unknown = await response.json().catch(() => null);
      const sent = SendAnswer.safeParse(answer);
      if (response.ok && sent.success) return { status: STATUSES[sent.data.status] === "sent" ? "sent" : "queued", externalId: sent.data.sid };
      const refused = SendRefusal.safeParse(answer);
      return failed(refused.success ? `${refused.data.message}${refused.data.code ? ` (Twilio error ${refused.data.code})` : ""}` : `Twilio answered ${response.status}.`);
    } catch (error) {
      return failed(`Twilio could not be reached: ${error instanceof Error ? error.message : String(error)}`);
    }
  },
};
