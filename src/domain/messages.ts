// Messages in D1: the record. A message is stored before anyone is told it exists.
// This is the threads module: the only one that reads or writes the messages table; every other
// module asks it by a function named for what it needs.
import { and, asc, desc, eq, exists, inArray, isNotNull, ne, notExists, sql, type SQLWrapper } from "drizzle-orm";
import type { Db } from "../db/client";
import { messages, type Channel, type Conversation, type Message, type MessageAuthor, type MessageStatus } from "../db/schema";
import { notFound } from "../errors";
import type { MessageView } from "../wire";
import { touchForMessage } from "./conversations";
import { newId } from "./ids";

/** The longest message anyone may write, whichever way it arrives (agent API, widget). */
export const MAX_MESSAGE_LENGTH = 10_000;

export type NewMessage = {
  direction: "in" | "out";
  channel: Channel;
  body: string;
  author: MessageAuthor;
  externalId?: string | null;
  status?: MessageStatus | null;
  meta?: Record<string, unknown>;
  createdAt?: number;
};

/**
 * Stores a message in its conversation and updates the conversation in the same transaction.
 * A message whose (channel, externalId) is already stored is not stored again: `duplicate` says so.
 */
export async function storeMessage(db: Db, conversation: Conversation, input: NewMessage) {
  const createdAt = input.createdAt ?? Date.now();
  const message: Message = {
    id: newId(createdAt),
    conversationId: conversation.id,
    direction: input.direction,
    channel: input.channel,
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
  const touch = touchForMessage(db, conversation, message);
  const [inserted] = await db.batch([
    db.insert(messages).values(message).onConflictDoNothing().returning({ id: messages.id }),
    ...touch.statements,
  ]);
  if (inserted.length === 0) {
    // Already stored: a provider's retry. Nothing changed.
    const existing = await findByExternalId(db, input.channel, input.externalId!);
    return { message: existing!, conversation, duplicate: true as const };
  }
  return { message, conversation: touch.next, duplicate: false as const };
}

export async function findByExternalId(db: Db, channel: Channel, externalId: string): Promise<Message | null> {
  return (await db.query.messages.findFirst({ where: and(eq(messages.channel, channel), eq(messages.externalId, externalId)) })) ?? null;
}

export async function setMessageStatus(db: Db, id: string, status: MessageStatus, reason: string | null = null, externalId?: string) {
  const [row] = await db
    .update(messages)
    .set({ status, statusReason: reason, ...(externalId ? { externalId } : {}) })
    .where(eq(messages.id, id))
    .returning();
  if (!row) throw notFound("Message");
  return row;
}

/** Replaces a message's meta (outbound email records the headers it was sent with there). */
export async function setMessageMeta(db: Db, id: string, meta: Record<string, unknown>): Promise<void> {
  await db.update(messages).set({ meta }).where(eq(messages.id, id));
}

/** A message of this conversation, or null: a client's "last seen" id is trusted only within its thread. */
export async function findInThread(db: Db, conversationId: string, id: string): Promise<Message | null> {
  return (await db.query.messages.findFirst({ where: and(eq(messages.id, id), eq(messages.conversationId, conversationId)) })) ?? null;
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

/** The newest `limit` chat messages of the conversation, oldest first. */
export async function chatTail(db: Db, conversationId: string, limit: number): Promise<Message[]> {
  const rows = await db
    .select()
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), eq(messages.channel, "chat")))
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

/** SQL condition: the message row exists (false after an insert that was a duplicate, in the same batch). */
export function isStored(db: Db, id: string) {
  return exists(db.select({ id: messages.id }).from(messages).where(eq(messages.id, id)));
}

/** The stored message's (conversation, channel, time), shaped as a conversation_channels row to insert from; none if not stored. */
export function channelActivityOf(db: Db, id: string) {
  return db
    .select({ conversationId: messages.conversationId, channel: messages.channel, lastMessageAt: messages.createdAt })
    .from(messages)
    .where(eq(messages.id, id));
}

export type MessagePage = { before?: { at: number; id: string }; after?: { at: number; id: string }; limit: number; channel?: Channel };

/** A page of a thread (or of its messages on one channel), oldest first within the page. Without a cursor: the newest `limit` messages. */
export async function listMessages(db: Db, conversationId: string, page: MessagePage) {
  const inThread = and(eq(messages.conversationId, conversationId), page.channel ? eq(messages.channel, page.channel) : undefined);
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

export function messageView(message: Message): MessageView {
  return {
    id: message.id,
    conversationId: message.conversationId,
    direction: message.direction,
    channel: message.channel,
    body: message.body,
    author: { type: message.authorType, id: message.authorId, name: message.authorName },
    createdAt: message.createdAt,
    externalId: message.externalId,
    status: message.status,
    statusReason: message.statusReason,
    meta: message.meta,
  };
}
