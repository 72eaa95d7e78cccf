// Messages in D1: the record. A message is stored before anyone is told it exists.
import { and, asc, desc, eq, sql } from "drizzle-orm";
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
