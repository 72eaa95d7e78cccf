// Messages in D1: the record everyone reads. A message is first kept by its conversation's room
// (realtime/journal.ts), which writes it here right after through `writeThread`.
// This is the threads module: the only one that reads or writes the messages table; every other
// module asks it by a function named for what it needs.
import { and, asc, count, desc, eq, exists, inArray, isNotNull, lte, max, ne, notExists, sql, type SQLWrapper } from "drizzle-orm";
import type { Db } from "../db/client";
import { conversations, messages, type Channel, type Message, type MessageAuthor, type MessageStatus } from "../db/schema";
import type { ConversationView, MessageView } from "../wire";
import { roomFieldStatements, roomFieldStatementsIfStored } from "./conversations";
import { newId } from "./ids";

/** The longest message anyone may write, whichever way it arrives (agent API, widget). */
export const MAX_MESSAGE_LENGTH = 10_000;

export type NewMessage = {
  /** Chosen before, by a sender that must find the message again (a workflow waking up). */
  id?: string;
  direction: "in" | "out";
  channel: Channel;
  kind?: Message["kind"];
  body: string;
  author: MessageAuthor;
  externalId?: string | null;
  status?: MessageStatus | null;
  meta?: Record<string, unknown>;
  createdAt?: number;
};

/** A new message of the conversation, not yet stored anywhere. */
export function composeMessage(conversationId: string, input: NewMessage): Message {
  const createdAt = input.createdAt ?? Date.now();
  return {
    id: input.id ?? newId(createdAt),
    conversationId,
    direction: input.direction,
    channel: input.channel,
    kind: input.kind ?? "message",
    body: input.body,
    authorType: input.author.type,
    authorId: input.author.id,
    authorName: input.author.name,
    externalId: input.externalId ?? null,
    status: input.status ?? null,
    statusReason: null,
    meta: input.meta ?? {},
    createdAt,
  };
}

/**
 * Stores a message whose provider id D1's unique index must decide (a redelivery, maybe of a mail
 * that opened a thread of its own), with the conversation as it is after it, in one transaction.
 * Returns the message stored first when this one is a repeat (then nothing changed).
 */
export async function claimMessage(db: Db, message: Message, conversation: ConversationView): Promise<Message | null> {
  const [inserted] = await db.batch([db.insert(messages).values(message).onConflictDoNothing().returning({ id: messages.id }), ...roomFieldStatementsIfStored(db, conversation, message.id)]);
  if (inserted.length) return null;
  const first = message.externalId ? await findByExternalId(db, message.channel, message.externalId) : null;
  if (!first) throw new Error(`message ${message.id} was neither stored nor found`);
  return first;
}

/** A message's delivery report (and the headers it went with), from whichever channel reports it. */
export type MessageChange = {
  id: string;
  status: MessageStatus;
  statusReason: string | null;
  externalId?: string | null;
  meta?: Record<string, unknown>;
};

/** How far a reply got: a later report never moves it back (a late "sent" after "delivered"), and failed is final. */
const PROGRESS: Record<MessageStatus, number> = { queued: 0, sent: 1, delivered: 2, failed: 3 };

const progresses = (message: Pick<Message, "status">, change: Pick<MessageChange, "status">) => message.status === null || PROGRESS[change.status] > PROGRESS[message.status];

/** Whether `change` takes the message further than it is, or brings the provider's id for it (a send the provider only queued). */
export function movesOn(message: Pick<Message, "status" | "externalId">, change: Pick<MessageChange, "status" | "externalId">): boolean {
  return progresses(message, change) || (!!change.externalId && !message.externalId);
}

export function applyChange(message: Message, change: MessageChange): Message {
  const further = progresses(message, change);
  return {
    ...message,
    status: further ? change.status : message.status,
    statusReason: further ? change.statusReason : message.statusReason,
    externalId: change.externalId ?? message.externalId,
    meta: change.meta ?? message.meta,
  };
}

/** What a conversation's room holds and D1 lacks: new messages and changes in the order they happened, and the conversation. */
export type ThreadWrites = { messages: Message[]; changes: MessageChange[]; conversation: ConversationView | null };

/**
 * Writes a room's journal to D1 as one transaction, new messages before the changes to them.
 * Same ids and whole values: applying it twice changes nothing.
 */
export async function writeThread(db: Db, writes: ThreadWrites): Promise<void> {
  const statements = [
    ...writes.messages.map((message) =>
      db
        .insert(messages)
        // A visitor's message is written by whoever the conversation is with by the time it reaches
        // D1: a merge in between moved the conversation, and moved what D1 already held.
        .values({
          ...message,
          authorId: message.direction === "in" && message.authorType === "contact" ? sql`(SELECT contact_id FROM conversations WHERE id = ${message.conversationId})` : message.authorId,
        })
        .onConflictDoNothing(),
    ),
    ...writes.changes.map((change) =>
      db
        .update(messages)
        .set({
          status: change.status,
          statusReason: change.statusReason,
          ...(change.externalId ? { externalId: unlessTaken(change.externalId) } : {}),
          ...(change.meta ? { meta: change.meta } : {}),
        })
        .where(eq(messages.id, change.id)),
    ),
    ...(writes.conversation ? roomFieldStatements(db, writes.conversation) : []),
  ];
  const [first, ...rest] = statements;
  if (first) await db.batch([first, ...rest]);
}

/**
 * The provider's id for the message being updated, unless another message of its channel has it: a
 * provider repeating an id must not stop the room's writes (its batch would fail on every retry).
 */
function unlessTaken(externalId: string) {
  return sql`(CASE WHEN EXISTS (SELECT 1 FROM messages AS other WHERE other.channel = "messages"."channel" AND other.external_id = ${externalId} AND other.id <> "messages"."id") THEN "messages"."external_id" ELSE ${externalId} END)`;
}

export async function findByExternalId(db: Db, channel: Channel, externalId: string): Promise<Message | null> {
  return (await db.query.messages.findFirst({ where: and(eq(messages.channel, channel), eq(messages.externalId, externalId)) })) ?? null;
}

/** A message of this conversation, or null: a client's "last seen" id is trusted only within its thread. */
export async function findInThread(db: Db, conversationId: string, id: string): Promise<Message | null> {
  return (await db.query.messages.findFirst({ where: and(eq(messages.id, id), eq(messages.conversationId, conversationId)) })) ?? null;
}

/** Replies on `channel` to `party` still marked sent that were made by `until` (a provider's read watermark, ms). */
export async function sentUntil(db: Db, channel: Channel, party: string, until: number): Promise<Message[]> {
  const rows = await db
    .select({ message: messages })
    .from(messages)
    .innerJoin(conversations, eq(conversations.id, messages.conversationId))
    .where(and(eq(conversations.party, party), eq(messages.channel, channel), eq(messages.direction, "out"), eq(messages.status, "sent"), lte(messages.createdAt, until)));
  return rows.map((row) => row.message);
}

/** Where and when the person was last heard from on each channel of the conversation. */
export type ChannelFacts = {
  /** When they last wrote on each channel (ms): where a reply finds them, and whether a provider's window is open. */
  lastInbound: Partial<Record<Channel, number>>;
  /** The address the latest message on each channel went to or came from (`meta.address`: the number that texted). */
  addresses: Partial<Record<Channel, string>>;
};

export async function channelFacts(db: Db, conversationId: string): Promise<ChannelFacts> {
  // SQLite gives the other columns of an aggregate query from the row holding the max: each
  // (channel, direction)'s latest address comes with its latest time.
  const rows = await db
    .select({ channel: messages.channel, direction: messages.direction, at: max(messages.createdAt), address: sql<string | null>`json_extract(${messages.meta}, '$.address')` })
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), ne(messages.kind, "note")))
    .groupBy(messages.channel, messages.direction);
  const facts: ChannelFacts = { lastInbound: {}, addresses: {} };
  const addressAt: Partial<Record<Channel, number>> = {};
  for (const row of rows) {
    const at = row.at ?? 0;
    if (row.direction === "in") facts.lastInbound[row.channel] = at;
    if (row.address && at >= (addressAt[row.channel] ?? -1)) {
      facts.addresses[row.channel] = row.address;
      addressAt[row.channel] = at;
    }
  }
  return facts;
}

/** The conversation's latest email with a Message-ID, either way, other than `exceptId` (the reply being sent). */
export async function lastEmailWithId(db: Db, conversationId: string, exceptId: string): Promise<Message | null> {
  const [row] = await db
    .select()
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), eq(messages.channel, "email"), isNotNull(messages.externalId), ne(messages.id, exceptId)))
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(1);
  return row ?? null;
}

/** The newest `limit` messages of the thread (notes left out), oldest first, with what its room holds that D1 lacks. */
export async function recentThread(db: Db, conversationId: string, pending: Message[], limit = 20): Promise<Message[]> {
  const stored = await db
    .select()
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), ne(messages.kind, "note")))
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(limit);
  return withPending(
    stored.reverse(),
    pending.filter((m) => m.kind !== "note"),
  ).slice(-limit);
}

/** Every message of these conversations, notes too, oldest first: what an export gives. */
export async function wholeThreads(db: Db, conversationIds: string[]): Promise<Message[]> {
  if (!conversationIds.length) return [];
  return db.select().from(messages).where(inArray(messages.conversationId, conversationIds)).orderBy(asc(messages.createdAt), asc(messages.id));
}

/** The person's words gone from these threads: every body and meta emptied, their name off what they wrote. How many messages. */
export async function eraseThreads(db: Db, conversationIds: string[]): Promise<number> {
  if (!conversationIds.length) return 0;
  const [erased] = await db.batch([
    db.update(messages).set({ body: "", meta: ERASED_META }).where(inArray(messages.conversationId, conversationIds)).returning({ id: messages.id }),
    db
      .update(messages)
      .set({ authorId: null, authorName: null })
      .where(and(inArray(messages.conversationId, conversationIds), eq(messages.authorType, "contact"))),
  ]);
  return erased.length;
}

/** What an erased message carries instead of its channel specifics. */
export const ERASED_META = { erased: true };

/** How many messages of the thread D1 has, notes left out. */
export async function countMessages(db: Db, conversationId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), ne(messages.kind, "note")));
  return row?.n ?? 0;
}

/** The newest `limit` chat messages of the conversation, oldest first (agents' notes are not the chat). */
export async function chatTail(db: Db, conversationId: string, limit: number): Promise<Message[]> {
  const rows = await db
    .select()
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), eq(messages.channel, "chat"), ne(messages.kind, "note")))
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(limit);
  return rows.reverse();
}

export async function hasChatMessages(db: Db, conversationId: string): Promise<boolean> {
  const [any] = await db
    .select({ id: messages.id })
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), eq(messages.channel, "chat")))
    .limit(1);
  return !!any;
}

/** Email Message-ID -> the conversation holding that email, for those of `externalIds` stored. */
export async function conversationsOfEmails(db: Db, externalIds: string[]): Promise<Map<string, string>> {
  const rows = await db
    .select({ externalId: messages.externalId, conversationId: messages.conversationId })
    .from(messages)
    .where(and(eq(messages.channel, "email"), inArray(messages.externalId, externalIds)));
  return new Map(rows.map((r) => [r.externalId!, r.conversationId]));
}

/**
 * A merge's statement (for its batch): what contact `fromId` wrote in `conversationIds` becomes
 * `intoId`'s. Bounded to those conversations so it reads through the thread index.
 */
export function moveAuthorship(db: Db, fromId: string, intoId: string, conversationIds: SQLWrapper) {
  return db
    .update(messages)
    .set({ authorId: intoId })
    .where(and(inArray(messages.conversationId, conversationIds), eq(messages.authorType, "contact"), eq(messages.authorId, fromId)));
}

/** SQL condition: the conversation has no message. A condition, so a delete can check and act in one statement. */
export function isEmpty(db: Db, conversationId: string) {
  return notExists(db.select({ id: messages.id }).from(messages).where(eq(messages.conversationId, conversationId)));
}

/** SQL condition: the message row exists (false after an insert that was a repeat, in the same batch). */
export function isStored(db: Db, id: string) {
  return exists(db.select({ id: messages.id }).from(messages).where(eq(messages.id, id)));
}

/** The stored message's (conversation, channel, time), shaped as a conversation_channels row to insert from; none if not stored. */
export function channelActivityOf(db: Db, id: string) {
  return db.select({ conversationId: messages.conversationId, channel: messages.channel, lastMessageAt: messages.createdAt }).from(messages).where(eq(messages.id, id));
}

export type MessagePage = {
  before?: { at: number; id: string };
  after?: { at: number; id: string };
  limit: number;
  channel?: Channel;
  /** Leaves agents' notes out (what the person is shown). */
  withoutNotes?: boolean;
};

/** A page of a thread (or of its messages on one channel), oldest first within the page. Without a cursor: the newest `limit` messages. */
export async function listMessages(db: Db, conversationId: string, page: MessagePage) {
  const inThread = and(eq(messages.conversationId, conversationId), page.channel ? eq(messages.channel, page.channel) : undefined, page.withoutNotes ? ne(messages.kind, "note") : undefined);
  if (page.after) {
    const { at, id } = page.after;
    const rows = await db
      .select()
      .from(messages)
      .where(and(inThread, sql`(${messages.createdAt}, ${messages.id}) > (${at}, ${id})`))
      .orderBy(asc(messages.createdAt), asc(messages.id))
      .limit(page.limit);
    return { items: rows, older: null };
  }
  const cursor = page.before;
  const rows = await db
    .select()
    .from(messages)
    .where(and(inThread, cursor ? sql`(${messages.createdAt}, ${messages.id}) < (${cursor.at}, ${cursor.id})` : undefined))
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(page.limit + 1);
  const items = rows.slice(0, page.limit).reverse();
  const first = items[0];
  return { items, older: rows.length > page.limit && first ? { at: first.createdAt, id: first.id } : null };
}

/** The thread's order everywhere: by time, then by id (ids are time-ordered). */
export function byThreadOrder(a: Pick<Message, "createdAt" | "id">, b: Pick<Message, "createdAt" | "id">): number {
  return a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** What D1 has of a thread and what its room holds that D1 lacks yet, as one thread: each message once, in order. */
export function withPending(stored: Message[], pending: Message[]): Message[] {
  const ids = new Set(stored.map((m) => m.id));
  return [...stored, ...pending.filter((m) => !ids.has(m.id))].sort(byThreadOrder);
}

export function messageView(message: Message): MessageView {
  return {
    id: message.id,
    conversationId: message.conversationId,
    direction: message.direction,
    channel: message.channel,
    kind: message.kind,
    body: message.body,
    author: { type: message.authorType, id: message.authorId, name: message.authorName },
    createdAt: message.createdAt,
    externalId: message.externalId,
    status: message.status,
    statusReason: message.statusReason,
    meta: message.meta,
  };
}
