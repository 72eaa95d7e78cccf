// Web chat: what a widget visitor may send, how it enters the one inbound path, and what of a
// message the visitor gets to see.
import type { Db } from "../db/client";
import type { Channel, Message } from "../db/schema";
import type { Env } from "../env";
import type { Role } from "../realtime/protocol";
import type { MessageView, VisitorMessageView } from "../wire";
import { visitorIdentity } from "./identities";
import type { Language } from "./languages";
import { findInThread, listMessages, MAX_MESSAGE_LENGTH } from "./messages";
import { ingest } from "./pipeline";

/** Faster than anyone types; a script flooding the inbox is refused (429 / an error frame) and loses nothing it was told was stored. */
export const VISITOR_MESSAGES_PER_MINUTE = 30;
const MINUTE_MS = 60_000;

export type ChatRefusal = { code: "empty" | "too_long" | "rate_limited"; message: string };

export function bodyRefusal(body: string): ChatRefusal | null {
  if (body.trim() === "") return { code: "empty", message: "Write a message." };
  if (body.length > MAX_MESSAGE_LENGTH) return { code: "too_long", message: `Keep messages under ${MAX_MESSAGE_LENGTH} characters.` };
  return null;
}

/**
 * Sliding one-minute window over the times a visitor's messages were accepted. Returns the window
 * to keep with this message added, or the refusal.
 */
export function admit(sentAt: number[], now: number): { window: number[] } | { refusal: ChatRefusal } {
  const recent = sentAt.filter((t) => now - t < MINUTE_MS);
  if (recent.length < VISITOR_MESSAGES_PER_MINUTE) return { window: [...recent, now] };
  const wait = Math.ceil((MINUTE_MS - (now - recent[0]!)) / 1000);
  return { refusal: { code: "rate_limited", message: `Too many messages at once; wait ${wait} s and send again.` } };
}

/**
 * The chat channel's id for a visitor's message: their client id, kept apart from every other
 * visitor's. It is unique within the visitor's own thread, so the thread's room alone tells a resend.
 */
export const chatExternalId = (visitorId: string, clientId: string) => `${visitorId}:${clientId}`;

export type VisitorMessageInput = {
  visitorId: string;
  clientId: string;
  body: string;
  /** Recorded on a conversation this message opens (see visitors.identityVerified). */
  identityVerified?: boolean | null;
  /** The widget's language, recorded on a conversation this message opens. */
  locale?: Language;
};

/**
 * The visitor's first message, through the inbound pipeline, which opens their thread; a resend of
 * the same client id is stored once. Later ones go straight to the thread's room (ConversationRoom.receive).
 */
export async function openChat(env: Env, input: VisitorMessageInput): Promise<Message> {
  const { message } = await ingest(env, {
    channel: "chat",
    sender: [visitorIdentity(input.visitorId)],
    // A visitor has one chat thread: several first messages sent at once all open the same one.
    thread: "latest",
    externalId: chatExternalId(input.visitorId, input.clientId),
    body: input.body,
    identityVerified: input.identityVerified ?? null,
    locale: input.locale,
  });
  return message;
}

/**
 * What of a thread the visitor's widget shows: their chat and the agents' chat replies. Never a
 * message of another channel (the thread may hold mail between agents and whoever the contact
 * really is), since a chat visitor has proven nothing beyond their own browser.
 */
const VISITOR_CHANNEL: Channel = "chat";

export function shownToVisitor(message: Pick<Message, "channel" | "kind">): boolean {
  return message.channel === VISITOR_CHANNEL && message.kind !== "note";
}

/** A message as the widget shows it: who wrote it and what, nothing internal. */
export function visitorMessageView(message: MessageView): VisitorMessageView {
  const fromVisitor = message.direction === "in";
  const clientId = fromVisitor && message.channel === "chat" ? (message.externalId?.split(":")[1] ?? null) : null;
  return {
    id: message.id,
    clientId,
    from: fromVisitor ? ("visitor" as const) : ("agent" as const),
    name: fromVisitor ? null : message.author.name,
    body: message.body,
    createdAt: message.createdAt,
  };
}
/** Named here too for the conversation's room, which takes the view from this module. */
export type { VisitorMessageView };

/** Newest messages shown when a client has seen none of the thread yet. */
export const FIRST_PAGE = 50;
const PAGE = 100;

/**
 * What a client missed: every message after the one it names, oldest first; the newest page when
 * it names none (or one not in this conversation). A visitor is given only what `shownToVisitor`.
 */
export async function missedSince(db: Db, conversationId: string, lastSeenId: string | null, role: Role): Promise<Message[]> {
  const channel = role === "visitor" ? VISITOR_CHANNEL : undefined;
  const withoutNotes = role === "visitor";
  const seen = lastSeenId ? await findInThread(db, conversationId, lastSeenId) : null;
  if (!seen) return (await listMessages(db, conversationId, { limit: FIRST_PAGE, channel, withoutNotes })).items;
  const missed: Message[] = [];
  let after = { at: seen.createdAt, id: seen.id };
  for (;;) {
    const { items } = await listMessages(db, conversationId, { after, limit: PAGE, channel, withoutNotes });
    missed.push(...items);
    const last = items[items.length - 1];
    if (items.length < PAGE || !last) return missed;
    after = { at: last.createdAt, id: last.id };
  }
}
