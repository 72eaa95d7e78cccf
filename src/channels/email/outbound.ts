// Email replies through the send_email binding (Cloudflare Email Sending).
// A reply goes from the inbound address, with Reply-To reply+<token>@ the same domain so the answer
// threads back here, and In-Reply-To / References per RFC 5322 §3.6.4 so mail clients thread it.
// Email Sending assigns the Message-ID itself (it may not be set in `headers`) and returns it:
// that id is stored as the message's externalId, which is what a client's In-Reply-To names later.
import { database, type Db } from "../../db/client";
import type { Message } from "../../db/schema";
import { chatTail, lastEmailWithId } from "../../domain/messages";
import { displayName } from "../../domain/pipeline";
import { businessText, languageOf, type TextKey } from "../../domain/texts";
import type { OutboundAdapter, ReplyContext } from "../outbound";
import { messageIds } from "./read";
import { replyAddress } from "./threading";

/** The most recent part of a long chat that an email carries. */
const MAX_CHAT_MESSAGES = 500;
// Email Sending refuses header values over 2,048 bytes: keep the first id and as many recent ones as fit.
const MAX_REFERENCES_CHARS = 1_900;
const MAX_REASON_CHARS = 500;
// A header value is one line: a line break in a name or subject would start a header of its own
// ("Bcc: ..."). Line breaks and other control characters, with the spaces around them, become a space.
const CONTROL = /\s*[\x00-\x1f\x7f-\x9f\u2028\u2029]+\s*/g;

export type SentHeaders = {
  subject: string;
  from: { email: string; name: string };
  to: string;
  replyTo: string;
  inReplyTo: string | null;
  references: string[];
  chatMessages: number;
};

export const emailAdapter: OutboundAdapter = {
  readsThread: true,

  unreachable: ({ contact, settings }) => {
    if (!contact?.email) return "no_email_address";
    if (!settings.email.inboundAddress) return "email_not_configured";
    return null;
  },

  async send(env, ctx, message) {
    const db = database(env.DB);
    const { builder, record } = await composeEmail(db, ctx, message);
    const meta = { ...message.meta, email: record };
    try {
      const result = await env.EMAIL.send(builder);
      return { status: "sent", externalId: messageIds(result.messageId)[0] ?? result.messageId, meta };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      return { status: "failed", reason: reason.slice(0, MAX_REASON_CHARS) || "The mail provider refused the message.", meta };
    }
  },
};

export async function composeEmail(db: Db, ctx: ReplyContext, message: Message) {
  const { conversation, contact, settings } = ctx;
  // Signed by whoever wrote the reply: a teammate, or the workflow's bot.
  const sender = message.authorName ?? "Support";
  const inbound = settings.email.inboundAddress;
  const workspace = settings.email.fromName.trim();
  const transcript = message.meta.transcript === true;
  // The email this reply answers: the conversation's latest email with a Message-ID, either way.
  const parent = await lastEmailWithId(db, conversation.id, message.id);
  const chat = transcript || conversation.channels.includes("chat") ? await chatTail(db, conversation.id, MAX_CHAT_MESSAGES) : [];

  const parentHeaders = (parent?.meta.email ?? {}) as { subject?: string | null; references?: string[]; inReplyTo?: string[] | string | null };
  const parentRefs = parentHeaders.references?.length ? parentHeaders.references : singleId(parentHeaders.inReplyTo);
  const references = parent?.externalId ? boundReferences([...parentRefs, parent.externalId]) : [];
  const topic = parentHeaders.subject ?? conversation.subject;
  // In the person's language: the mail's framing is Parley's words, not the agent's.
  const language = languageOf(settings, conversation.locale);
  const said = (key: TextKey) => businessText(settings, language, key, workspace || sender);
  const chatTitle = said("chatTitle");
  const subject = transcript ? said("transcriptSubject") : topic ? `Re: ${withoutReplyPrefix(topic)}` : chatTitle;

  const name = contact ? displayName(contact) : null;
  const headers = folded({
    subject,
    from: { email: inbound, name: workspace ? `${sender} from ${workspace}` : sender },
    to: { email: contact!.email!, name: name !== contact!.email ? name : null },
    replyTo: replyAddress(conversation.replyToken, inbound),
    inReplyTo: parent?.externalId ?? null,
    references,
  });
  const record: SentHeaders = { ...headers, to: headers.to.email, chatMessages: chat.length };
  const lead = transcript ? said("transcriptHeader") : message.body;
  const builder = {
    from: headers.from,
    to: headers.to.name ? { email: headers.to.email, name: headers.to.name } : headers.to.email,
    replyTo: headers.replyTo,
    subject: headers.subject,
    text: textBody(lead, chat, chatTitle),
    html: htmlBody(lead, chat, chatTitle),
    ...(headers.inReplyTo ? { headers: { "In-Reply-To": `<${headers.inReplyTo}>`, References: headers.references.map((id) => `<${id}>`).join(" ") } } : {}),
  };
  return { builder, record };
}

/** Every value the mail's headers are made of, each on one line without control characters. */
function folded<T>(headers: T): T {
  const fold = (value: unknown): unknown => {
    if (typeof value === "string") return value.replace(CONTROL, " ").trim();
    if (Array.isArray(value)) return value.map(fold);
    if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, fold(v)]));
    return value;
  };
  return fold(headers) as T;
}

function singleId(inReplyTo: string[] | string | null | undefined): string[] {
  const ids = Array.isArray(inReplyTo) ? inReplyTo : inReplyTo ? [inReplyTo] : [];
  return ids.length === 1 ? ids : [];
}

/** RFC 5322 allows trimming References; the first (the thread's root) and the latest matter most. */
export function boundReferences(ids: string[]): string[] {
  const kept = [...new Set(ids)];
  const length = () => kept.reduce((n, id) => n + id.length + 3, 0);
  while (kept.length > 2 && length() > MAX_REFERENCES_CHARS) kept.splice(1, 1);
  return kept;
}

/** "Re: Re: AW: Order" -> "Order": the subject stays "Re: Order" however long the thread. */
export function withoutReplyPrefix(subject: string): string {
  return subject.replace(/^(\s*(re|aw|sv|antw|fwd?|wg|tr)(\[\d+\])?\s*:\s*)+/i, "").trim() || subject.trim();
}

function speaker(message: Message): string {
  return message.authorName ?? (message.direction === "in" ? "You" : "Support");
}

function when(message: Message): string {
  return `${new Date(message.createdAt).toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

function textBody(lead: string, chat: Message[], chatTitle: string): string {
  if (chat.length === 0) return lead;
  const lines = chat.map((m) => `[${when(m)}] ${speaker(m)}: ${m.body}`);
  return `${lead}\n\n----- ${chatTitle} -----\n${lines.join("\n")}`;
}

function htmlBody(lead: string, chat: Message[], chatTitle: string): string {
  const paragraphs = (text: string) =>
    text
      .split(/\n{2,}/)
      .map((p) => `<p>${escapeHtml(p).replace(/\n/g, "<br>")}</p>`)
      .join("\n");
  if (chat.length === 0) return paragraphs(lead);
  const lines = chat.map((m) => `<p><strong>${escapeHtml(speaker(m))}</strong> <small>${when(m)}</small><br>${escapeHtml(m.body).replace(/\n/g, "<br>")}</p>`).join("\n");
  return `${paragraphs(lead)}\n<hr>\n<h3>${escapeHtml(chatTitle)}</h3>\n${lines}`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);
}
