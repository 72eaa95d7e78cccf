// Facebook Messenger: what Meta's webhook says, read into the messages the pipeline stores, and
// replies through Meta's Send API. A person is their page-scoped id; no contact is made for them
// until an agent adds one.
import { z } from "zod";
import { identityFromParty, messengerIdentity } from "../domain/identities";
import type { InboundMessage } from "../domain/pipeline";
import type { Settings } from "../domain/settings";
import type { OutboundAdapter, ReplyContext } from "./outbound";

const Attachment = z.object({
  type: z.string(),
  payload: z.object({ url: z.string().optional(), title: z.string().optional() }).passthrough().nullish(),
});

const Event = z.object({
  sender: z.object({ id: z.string().min(1) }),
  recipient: z.object({ id: z.string() }),
  timestamp: z.number().optional(),
  message: z
    .object({
      mid: z.string().min(1),
      text: z.string().optional(),
      is_echo: z.boolean().optional(),
      metadata: z.string().optional(),
      quick_reply: z.object({ payload: z.string() }).optional(),
      attachments: z.array(Attachment).optional(),
    })
    .optional(),
  postback: z.object({ mid: z.string().optional(), title: z.string().optional(), payload: z.string().optional() }).optional(),
  delivery: z.object({ mids: z.array(z.string()).optional(), watermark: z.number() }).optional(),
  read: z.object({ watermark: z.number() }).optional(),
});

export const MessengerWebhook = z.object({
  object: z.string(),
  entry: z.array(z.object({ messaging: z.array(z.unknown()).optional() })).default([]),
});

type MessengerEvent = z.infer<typeof Event>;

/** What one webhook body tells: the people's messages, and how far they have our replies. */
export type MessengerNews = {
  messages: InboundMessage[];
  /** Our replies Meta delivered, by their mid. */
  delivered: string[];
  /** Each person read everything we sent them up to `watermark` (ms). */
  read: { psid: string; watermark: number }[];
};

/** In Meta's order; events Parley does not keep are left out. */
export function messengerNews(body: z.infer<typeof MessengerWebhook>): MessengerNews {
  const news: MessengerNews = { messages: [], delivered: [], read: [] };
  if (body.object !== "page") return news;
  for (const raw of body.entry.flatMap((entry) => entry.messaging ?? [])) {
    const parsed = Event.safeParse(raw);
    if (!parsed.success) continue;
    const event = parsed.data;
    news.messages.push(...inbound(event));
    news.delivered.push(...(event.delivery?.mids ?? []));
    if (event.read) news.read.push({ psid: event.sender.id, watermark: event.read.watermark });
  }
  return news;
}

/**
 * Marks what Parley sends (Meta echoes a message's metadata back): an echo without it was sent from
 * Meta's own inbox, and is kept as the page's reply.
 */
const SENT_BY_PARLEY = "parley";

function inbound(event: MessengerEvent): InboundMessage[] {
  const echo = event.message?.is_echo;
  if (echo && event.message?.metadata === SENT_BY_PARLEY) return [];
  const what = said(event);
  if (!what) return [];
  return [
    {
      channel: "messenger",
      // An echo goes from the page to the person: the person is its recipient.
      sender: [messengerIdentity(echo ? event.recipient.id : event.sender.id)],
      thread: "open",
      externalId: what.mid,
      body: what.body,
      meta: what.meta,
      receivedAt: event.timestamp,
      ...(echo ? { sentBy: "Page" } : {}),
    },
  ];
}

/** What was said: the text, the option the person chose, or the attachments as links. */
function said(event: MessengerEvent): { mid: string; body: string; meta?: Record<string, unknown> } | null {
  const { message, postback } = event;
  if (message) {
    const attachments = (message.attachments ?? []).map((a) => ({ type: a.type, url: a.payload?.url ?? null, title: a.payload?.title ?? null }));
    const links = attachments.map((a) => `[${a.type}] ${a.url ?? a.title ?? ""}`.trim());
    const body = [message.text, ...links].filter(Boolean).join("\n");
    return { mid: message.mid, body, meta: attachments.length ? { attachments } : undefined };
  }
  // A postback (a button) has an id of its own only in newer payloads; its time tells it apart otherwise.
  if (postback) return { mid: postback.mid ?? `postback:${event.sender.id}:${event.timestamp ?? 0}`, body: postback.title ?? postback.payload ?? "" };
  return null;
}

const Profile = z.object({ first_name: z.string().max(200).optional(), last_name: z.string().max(200).optional() });
const PROFILE_TIMEOUT_MS = 3_000;

/**
 * The person's name from their Messenger profile, when the page's token may read it (Meta's User
 * Profile API); null otherwise. Shown until the person is a contact.
 */
export async function profileName(settings: Settings["messenger"], psid: string): Promise<string | null> {
  if (!settings.pageAccessToken) return null;
  const url = new URL(`${settings.graphApiBaseUrl.replace(/\/+$/, "")}/${encodeURIComponent(psid)}`);
  url.searchParams.set("fields", "first_name,last_name");
  url.searchParams.set("access_token", settings.pageAccessToken);
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(PROFILE_TIMEOUT_MS) });
    const profile = Profile.safeParse(await response.json().catch(() => null));
    if (!response.ok || !profile.success) return null;
    return [profile.data.first_name, profile.data.last_name].filter(Boolean).join(" ") || null;
  } catch {
    return null;
  }
}

// Outbound: Meta's Send API. A page may answer within 24 hours of the person's last message; with
// the HUMAN_AGENT permission (Settings), an agent may answer until 7 days, tagged as a person's reply.
const STANDARD_WINDOW_MS = 24 * 3_600_000;
const HUMAN_AGENT_WINDOW_MS = 7 * 24 * 3_600_000;

/** How a reply may go now: Meta's messaging type (and tag), or null when the window has closed. */
function replyWindow({ lastInbound, settings, now }: ReplyContext): { messaging_type: "RESPONSE" } | { messaging_type: "MESSAGE_TAG"; tag: "HUMAN_AGENT" } | null {
  const since = now - (lastInbound.messenger ?? -Infinity);
  if (since <= STANDARD_WINDOW_MS) return { messaging_type: "RESPONSE" };
  if (settings.messenger.humanAgent && since <= HUMAN_AGENT_WINDOW_MS) return { messaging_type: "MESSAGE_TAG", tag: "HUMAN_AGENT" };
  return null;
}

/** When the last window open to this conversation closes: 24 hours after the person's last message, or 7 days with the tag. */
function windowClosesAt({ lastInbound, settings }: ReplyContext): number | null {
  const last = lastInbound.messenger;
  if (last === undefined) return null;
  return last + (settings.messenger.humanAgent ? HUMAN_AGENT_WINDOW_MS : STANDARD_WINDOW_MS);
}

/** The page-scoped id of the person the conversation is with, if they came on Messenger. */
function personOf({ conversation }: ReplyContext): string | null {
  const identity = conversation.party ? identityFromParty(conversation.party) : null;
  return identity?.kind === "messenger" ? identity.value : null;
}

const SendAnswer = z.object({ message_id: z.string() });
const SendRefusal = z.object({ error: z.object({ message: z.string(), code: z.number().optional() }) });

export const messengerAdapter: OutboundAdapter = {
  unreachable: (ctx) => {
    if (!ctx.settings.messenger.pageId || !ctx.settings.messenger.pageAccessToken) return "channel_not_connected";
    if (!personOf(ctx)) return "no_messenger_person";
    return replyWindow(ctx) ? null : "outside_messaging_window";
  },
  closesAt: windowClosesAt,
  send: async (_env, ctx, message) => {
    const { pageId, pageAccessToken, graphApiBaseUrl } = ctx.settings.messenger;
    const body = { recipient: { id: personOf(ctx) }, ...replyWindow(ctx), message: { text: message.body, metadata: SENT_BY_PARLEY } };
    try {
      const response = await fetch(`${graphApiBaseUrl.replace(/\/+$/, "")}/${encodeURIComponent(pageId)}/messages`, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${pageAccessToken}` },
        body: JSON.stringify(body),
      });
      const answer: unknown = await response.json().catch(() => null);
      const sent = SendAnswer.safeParse(answer);
      if (response.ok && sent.success) return { status: "sent", externalId: sent.data.message_id };
      const refused = SendRefusal.safeParse(answer);
      const { message: said, code } = refused.success ? refused.data.error : { message: `Messenger answered ${response.status}.`, code: undefined };
      return { status: "failed", reason: code === undefined ? said : `${said} (Meta error ${code})` };
    } catch (error) {
      return { status: "failed", reason: `Messenger could not be reached: ${error instanceof Error ? error.message : String(error)}` };
    }
  },
};
