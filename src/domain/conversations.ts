// Conversations: which thread a message belongs to, and the shared inbox state (read, complete).
import { and, desc, eq, exists, inArray, lt, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import { contacts, conversationChannels, conversations, messages, type Channel, type Contact, type Conversation, type Message } from "../db/schema";
import { notFound } from "../errors";
import { contactMatch, contactView } from "./contacts";
import { newId, randomToken } from "./ids";

/**
 * Where a new message goes:
 * - `{ conversationId }`: a thread the channel already knows (the widget's, an email reply's);
 * - `"latest"`: the person's most recent conversation on this channel, else a new one;
 * - `"new"`: always a new conversation (a fresh email).
 */
export type Thread = { conversationId: string } | "latest" | "new";

export type Party = { contactId: string | null; party: string | null };

export async function openConversationFor(
  db: Db,
  who: Party,
  channel: Channel,
  thread: Thread,
  fields: Partial<Conversation> = {},
): Promise<Conversation> {
  if (typeof thread === "object") {
    const found = await getConversationRow(db, thread.conversationId);
    if (found) return found;
  } else if (thread === "latest") {
    const found = await latestConversationOn(db, who, channel);
    if (found) return found;
  }
  return createConversation(db, who, fields);
}

export async function createConversation(db: Db, who: Party, fields: Partial<Conversation> = {}): Promise<Conversation> {
  const now = Date.now();
  const conversation: Conversation = {
    id: newId(now),
    contactId: who.contactId,
    party: who.party,
    status: "open",
    unread: false,
    unreadCount: 0,
    assigneeId: null,
    channels: [],
    subject: null,
    preview: "",
    replyToken: randomToken(20),
    identityVerified: null,
    visitorOnline: false,
    lastMessageAt: now,
    createdAt: now,
    ...fields,
  };
  await db.insert(conversations).values(conversation);
  return conversation;
}

async function latestConversationOn(db: Db, who: Party, channel: Channel): Promise<Conversation | null> {
  const owner = who.contactId ? eq(conversations.contactId, who.contactId) : who.party ? eq(conversations.party, who.party) : null;
  if (!owner) return null;
  const [row] = await db
    .select({ conversation: conversations })
    .from(conversations)
    .innerJoin(conversationChannels, and(eq(conversationChannels.conversationId, conversations.id), eq(conversationChannels.channel, channel)))
    .where(owner)
    .orderBy(desc(conversations.lastMessageAt))
    .limit(1);
  return row?.conversation ?? null;
}

export async function getConversationRow(db: Db, id: string): Promise<Conversation | null> {
  return (await db.query.conversations.findFirst({ where: eq(conversations.id, id) })) ?? null;
}

export async function requireConversation(db: Db, id: string): Promise<Conversation> {
  const found = await getConversationRow(db, id);
  if (!found) throw notFound("Conversation");
  return found;
}

/**
 * The conversation's state after a message: newest activity, preview, channel, and for an inbound
 * message, unread and open again. The update applies only if the message row exists, so batched
 * after an insert that was a duplicate it changes nothing.
 */
export function touchForMessage(db: Db, conversation: Conversation, message: Pick<Message, "id" | "channel" | "body" | "direction" | "createdAt">) {
  const channels = conversation.channels.includes(message.channel) ? conversation.channels : [...conversation.channels, message.channel];
  const inbound = message.direction === "in";
  const next: Partial<Conversation> = {
    channels,
    preview: previewOf(message.body),
    lastMessageAt: Math.max(conversation.lastMessageAt, message.createdAt),
    ...(inbound ? { unread: true, unreadCount: conversation.unreadCount + 1, status: "open" as const } : {}),
  };
  return {
    next: { ...conversation, ...next },
    statements: [
      db
        .update(conversations)
        .set(inbound ? { ...next, unreadCount: sql`${conversations.unreadCount} + 1` } : next)
        .where(and(eq(conversations.id, conversation.id), exists(db.select({ id: messages.id }).from(messages).where(eq(messages.id, message.id))))),
      db.insert(conversationChannels).values({ conversationId: conversation.id, channel: message.channel }).onConflictDoNothing(),
    ] as const,
  };
}

const PREVIEW_LENGTH = 140;

export function previewOf(body: string): string {
  const flat = body.replace(/\s+/g, " ").trim();
  return flat.length > PREVIEW_LENGTH ? `${flat.slice(0, PREVIEW_LENGTH - 1)}…` : flat;
}

/** Read and unread are shared by every agent. */
export async function markRead(db: Db, id: string): Promise<Conversation> {
  return setState(db, id, { unread: false, unreadCount: 0 });
}

export async function markComplete(db: Db, id: string): Promise<Conversation> {
  return setState(db, id, { status: "complete" });
}

export async function reopen(db: Db, id: string): Promise<Conversation> {
  return setState(db, id, { status: "open" });
}

async function setState(db: Db, id: string, changes: Partial<Conversation>): Promise<Conversation> {
  const [row] = await db.update(conversations).set(changes).where(eq(conversations.id, id)).returning();
  if (!row) throw notFound("Conversation");
  return row;
}

export type ConversationFilter = {
  status: "open" | "complete" | "all";
  search?: { q: string; defaultCountry: string };
  channel?: Channel;
  unread?: boolean;
  contactId?: string;
  cursor?: { at: number; id: string };
  limit: number;
};

/** Newest activity first, by keyset pages: the cost of a page does not grow with the inbox. */
export async function listConversations(db: Db, filter: ConversationFilter) {
  const conditions: (SQL | undefined)[] = [
    filter.status === "all" ? undefined : eq(conversations.status, filter.status),
    filter.unread === undefined ? undefined : eq(conversations.unread, filter.unread),
    filter.contactId ? eq(conversations.contactId, filter.contactId) : undefined,
    filter.channel
      ? inArray(
          conversations.id,
          db.select({ id: conversationChannels.conversationId }).from(conversationChannels).where(eq(conversationChannels.channel, filter.channel)),
        )
      : undefined,
    filter.search
      ? inArray(
          conversations.contactId,
          db.select({ id: contacts.id }).from(contacts).where(contactMatch(filter.search.q, filter.search.defaultCountry)),
        )
      : undefined,
    filter.cursor
      ? or(
          lt(conversations.lastMessageAt, filter.cursor.at),
          and(eq(conversations.lastMessageAt, filter.cursor.at), lt(conversations.id, filter.cursor.id)),
        )
      : undefined,
  ];
  const rows = await db
    .select({ conversation: conversations, contact: contacts })
    .from(conversations)
    .leftJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(and(...conditions))
    .orderBy(desc(conversations.lastMessageAt), desc(conversations.id))
    .limit(filter.limit + 1);
  const page = rows.slice(0, filter.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => conversationView(r.conversation, r.contact)),
    next: rows.length > filter.limit && last ? { at: last.conversation.lastMessageAt, id: last.conversation.id } : null,
  };
}

export async function conversationWithContact(db: Db, id: string) {
  const [row] = await db
    .select({ conversation: conversations, contact: contacts })
    .from(conversations)
    .leftJoin(contacts, eq(contacts.id, conversations.contactId))
    .where(eq(conversations.id, id));
  if (!row) throw notFound("Conversation");
  return row;
}

export async function loadConversationView(db: Db, id: string) {
  const row = await conversationWithContact(db, id);
  return conversationView(row.conversation, row.contact);
}

export function conversationView(conversation: Conversation, contact: Contact | null) {
  return {
    id: conversation.id,
    status: conversation.status,
    unread: conversation.unread,
    unreadCount: conversation.unreadCount,
    channels: conversation.channels,
    subject: conversation.subject,
    lastMessageAt: conversation.lastMessageAt,
    preview: conversation.preview,
    visitorOnline: conversation.visitorOnline,
    identityVerified: conversation.identityVerified,
    assigneeId: conversation.assigneeId,
    createdAt: conversation.createdAt,
    contact: contact ? contactView(contact) : null,
  };
}
export type ConversationView = ReturnType<typeof conversationView>;
