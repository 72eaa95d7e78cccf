// Conversations: which thread a message belongs to, and the shared inbox state (read, complete).
import { and, count, desc, eq, exists, inArray, isNull, sql } from "drizzle-orm";
import type { AnySQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Db } from "../db/client";
import { contacts, conversationChannels, conversations, type Channel, type Contact, type Conversation, type Message, type User } from "../db/schema";
import { badRequest, forbidden, notFound } from "../errors";
import type { ConversationView } from "../wire";
import { contactMatch, contactView } from "./contacts";
import { newId, randomToken } from "./ids";
import { channelActivityOf, isEmpty, isStored } from "./messages";

/**
 * Where a new message goes:
 * - `{ conversationId }`: a thread the channel already knows (the widget's, an email reply's);
 * - `"latest"`: the person's most recent conversation on this channel (reopened if complete), else a new one;
 * - `"open"`: the same while it is open; once it is complete, a new one (a Messenger person's next question);
 * - `"new"`: always a new conversation (a fresh email).
 */
export type Thread = { conversationId: string } | "latest" | "open" | "new";

export type Party = { contactId: string | null; party: string | null };

/** Whoever asks to see a conversation: only admins see SMS conversations (their messages, their counts). */
export type Viewer = Pick<User, "role">;

/** Conversations opened on these channels are admins' only, whatever joins them later. */
const ADMINS_ONLY_CHANNELS: ReadonlySet<Channel> = new Set(["sms"]);

/** The system's own reads (telling rooms what D1 changed) see every conversation. */
export const SYSTEM_VIEWER: Viewer = { role: "admin" };

export function mayView(viewer: Viewer, conversation: Pick<Conversation, "adminsOnly">): boolean {
  return !conversation.adminsOnly || viewer.role === "admin";
}

/** Refuses a viewer who may not see the conversation. */
export function requireViewable<C extends Pick<Conversation, "adminsOnly">>(viewer: Viewer, conversation: C): C {
  if (!mayView(viewer, conversation)) throw forbidden("SMS conversations are for admins only.");
  return conversation;
}

/** Whether a channel's conversations are all admins' only, so its inbox is too. */
export const channelIsAdminsOnly = (channel: Channel) => ADMINS_ONLY_CHANNELS.has(channel);

/** The conversation a message goes to; `created` says it was opened for this message. */
export async function openConversationFor(db: Db, who: Party, channel: Channel, thread: Thread, fields: Partial<Conversation> = {}): Promise<{ conversation: Conversation; created: boolean }> {
  const keyed = thread === "latest" || thread === "open";
  const found = typeof thread === "object" ? await getConversationRow(db, thread.conversationId) : keyed ? await latestConversationOn(db, who, channel) : null;
  if (found && !(thread === "open" && found.status === "complete")) return { conversation: found, created: false };
  // The complete thread gives its key up to the one opening now.
  if (found)
    await db
      .update(conversations)
      .set({ threadKey: null })
      .where(and(eq(conversations.id, found.id), eq(conversations.status, "complete")));
  // Two messages from a new sender arriving together: the first opens the thread, the second joins it.
  const key = keyed ? threadKey(who, channel) : null;
  fields = { ...fields, adminsOnly: ADMINS_ONLY_CHANNELS.has(channel) };
  const opened = await createConversation(db, who, { ...fields, threadKey: key });
  if (opened || !key) return { conversation: opened!, created: true };
  const existing = await db.query.conversations.findFirst({ where: eq(conversations.threadKey, key) });
  const sameOwner = existing && (who.party ? existing.party === who.party : existing.contactId === who.contactId);
  if (existing && sameOwner) return { conversation: existing, created: false };
  // The keyed thread has since been given to someone else: this sender gets a thread of their own.
  return { conversation: (await createConversation(db, who, fields))!, created: true };
}

/**
 * Whose latest thread it is: a browser's or Messenger id's own (whoever it points at, its threads are
 * its own: a visitor never lands in a thread of another browser of the same person), else the contact's.
 */
function threadKey(who: Party, channel: Channel): string | null {
  const owner = who.party ?? (who.contactId ? `contact:${who.contactId}` : null);
  return owner ? `${owner}|${channel}` : null;
}

/** Removes a conversation opened for a message that turned out to be stored already, if it is still empty. */
export async function dropIfEmpty(db: Db, id: string): Promise<void> {
  await db.delete(conversations).where(and(eq(conversations.id, id), isEmpty(db, id)));
}

/** A new conversation; null when its thread key is already taken. */
export async function createConversation(db: Db, who: Party, fields: Partial<Conversation> = {}): Promise<Conversation | null> {
  const now = Date.now();
  const conversation: Conversation = {
    id: newId(now),
    contactId: who.contactId,
    party: who.party,
    partyName: null,
    locale: null,
    status: "open",
    unread: false,
    unreadCount: 0,
    assigneeId: null,
    assignedAt: null,
    channels: [],
    subject: null,
    preview: "",
    replyToken: randomToken(20),
    identityVerified: null,
    adminsOnly: false,
    visitorOnline: false,
    erasedAt: null,
    lastMessageAt: now,
    createdAt: now,
    threadKey: null,
    ...fields,
  };
  const inserted = await db.insert(conversations).values(conversation).onConflictDoNothing({ target: conversations.threadKey }).returning({ id: conversations.id });
  return inserted.length ? conversation : null;
}

async function latestConversationOn(db: Db, who: Party, channel: Channel): Promise<Conversation | null> {
  const owner = who.party ? eq(conversations.party, who.party) : who.contactId ? eq(conversations.contactId, who.contactId) : null;
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

export async function requireConversation(db: Db, id: string, viewer: Viewer): Promise<Conversation> {
  const found = await getConversationRow(db, id);
  if (!found) throw notFound("Conversation");
  return requireViewable(viewer, found);
}

/**
 * The conversation after a message: newest activity, preview, channel, and for an inbound message,
 * unread and open again. Kept by the conversation's room, which writes it to D1 whole.
 */
export function afterMessage(conversation: ConversationView, message: Pick<Message, "channel" | "kind" | "body" | "direction" | "createdAt">): ConversationView {
  // A note is between agents: the conversation's activity, preview and channels stay the person's.
  if (message.kind === "note") return conversation;
  const inbound = message.direction === "in";
  return {
    ...conversation,
    channels: conversation.channels.includes(message.channel) ? conversation.channels : [...conversation.channels, message.channel],
    preview: message.createdAt >= conversation.lastMessageAt ? previewOf(message.body) : conversation.preview,
    lastMessageAt: Math.max(conversation.lastMessageAt, message.createdAt),
    ...(inbound ? { unread: true, unreadCount: conversation.unreadCount + 1, status: "open" as const } : {}),
  };
}

const PREVIEW_LENGTH = 140;

export function previewOf(body: string): string {
  const flat = body.replace(/\s+/g, " ").trim();
  return flat.length > PREVIEW_LENGTH ? `${flat.slice(0, PREVIEW_LENGTH - 1)}…` : flat;
}

/** What agents do to a conversation; read and unread are shared by every agent. */
export const CONVERSATION_ACTIONS = {
  read: (c: ConversationView): ConversationView => ({ ...c, unread: false, unreadCount: 0 }),
  complete: (c: ConversationView): ConversationView => ({ ...c, status: "complete" }),
  reopen: (c: ConversationView): ConversationView => ({ ...c, status: "open" }),
};
export type ConversationAction = keyof typeof CONVERSATION_ACTIONS;

/**
 * The fields the conversation's room keeps (it is their one writer: messages, agents' actions and
 * the visitor's presence change them); the rest (contact, subject, verification) D1 keeps.
 */
type RoomFields = Pick<ConversationView, "status" | "unread" | "unreadCount" | "channels" | "preview" | "lastMessageAt" | "visitorOnline">;

function roomFields(c: ConversationView): RoomFields {
  return { status: c.status, unread: c.unread, unreadCount: c.unreadCount, channels: c.channels, preview: c.preview, lastMessageAt: c.lastMessageAt, visitorOnline: c.visitorOnline };
}

/** The conversation as D1 has it, with what the room keeps taken from the room. */
export function withRoomFields(fromD1: ConversationView, inRoom: ConversationView): ConversationView {
  return { ...fromD1, ...roomFields(inRoom) };
}

/**
 * The room's fields written to D1 whole, for the room's outbox batch: writing them twice changes
 * nothing. Each channel's row carries the conversation's activity, for the channel inbox's index.
 */
export function roomFieldStatements(db: Db, conversation: ConversationView) {
  const fields = roomFields(conversation);
  return [
    db.update(conversations).set(fields).where(eq(conversations.id, conversation.id)),
    ...(fields.channels.length
      ? [
          db
            .insert(conversationChannels)
            .values(fields.channels.map((channel) => ({ conversationId: conversation.id, channel, lastMessageAt: fields.lastMessageAt })))
            .onConflictDoUpdate({ target: [conversationChannels.channel, conversationChannels.conversationId], set: { lastMessageAt: sql`excluded.last_message_at` } }),
        ]
      : []),
  ];
}

/**
 * The same, for a batch that inserts `messageId` first: each statement applies only if that insert
 * did (a provider's id already stored makes the insert a no-op, and then nothing changes).
 */
export function roomFieldStatementsIfStored(db: Db, conversation: ConversationView, messageId: string) {
  const stored = isStored(db, messageId);
  return [
    db
      .update(conversations)
      .set(roomFields(conversation))
      .where(and(eq(conversations.id, conversation.id), stored)),
    db.insert(conversationChannels).select(channelActivityOf(db, messageId)).onConflictDoNothing(),
    db
      .update(conversationChannels)
      .set({ lastMessageAt: conversation.lastMessageAt })
      .where(and(eq(conversationChannels.conversationId, conversation.id), stored)),
  ] as const;
}

export type ConversationFilter = {
  status: "open" | "complete" | "all";
  search?: { q: string; defaultCountry: string };
  channel?: Channel;
  unread?: boolean;
  contactId?: string;
  cursor?: { at: number; id: string };
  limit: number;
  /** Who the list is for; without one (the system's own reads), every conversation. */
  viewer?: Viewer;
  /** Only the conversations assigned to this user; null: only the unassigned. */
  assignee?: string | null;
};

/**
 * Newest activity first, by keyset pages: the cost of a page does not grow with the inbox. Each
 * shape of filter starts from the index that yields its rows in order, or from the few rows it names.
 */
export async function listConversations(db: Db, filter: ConversationFilter) {
  const onConversation = [
    filter.status === "all" ? undefined : eq(conversations.status, filter.status),
    filter.unread === undefined ? undefined : eq(conversations.unread, filter.unread),
    filter.contactId ? eq(conversations.contactId, filter.contactId) : undefined,
    filter.viewer && filter.viewer.role !== "admin" ? eq(conversations.adminsOnly, false) : undefined,
    filter.assignee === undefined ? undefined : filter.assignee === null ? isNull(conversations.assigneeId) : eq(conversations.assigneeId, filter.assignee),
  ];
  const before = (at: AnySQLiteColumn, id: AnySQLiteColumn) => (filter.cursor ? sql`(${at}, ${id}) < (${filter.cursor.at}, ${filter.cursor.id})` : undefined);
  const onChannel = (channel: Channel) =>
    exists(
      db
        .select({ id: conversationChannels.conversationId })
        .from(conversationChannels)
        .where(and(eq(conversationChannels.channel, channel), eq(conversationChannels.conversationId, conversations.id))),
    );
  const selected = db.select({ conversation: conversations, contact: contacts });
  const limit = filter.limit + 1;
  let rows: { conversation: Conversation; contact: Contact | null }[];
  if (filter.search) {
    // A search names few contacts: start from them and read their conversations through the
    // contact index (CROSS JOIN keeps SQLite from walking the whole inbox looking for them).
    rows = await selected
      .from(contacts)
      .crossJoin(conversations)
      .where(
        and(
          eq(conversations.contactId, contacts.id),
          contactMatch(filter.search.q, filter.search.defaultCountry),
          ...onConversation,
          filter.channel ? onChannel(filter.channel) : undefined,
          before(conversations.lastMessageAt, conversations.id),
        ),
      )
      .orderBy(desc(conversations.lastMessageAt), desc(conversations.id))
      .limit(limit);
  } else if (filter.channel) {
    // The channel's rows carry the conversation's activity, so its index gives them in order.
    rows = await selected
      .from(conversationChannels)
      .crossJoin(conversations)
      .leftJoin(contacts, eq(contacts.id, conversations.contactId))
      .where(
        and(
          eq(conversationChannels.channel, filter.channel),
          eq(conversations.id, conversationChannels.conversationId),
          ...onConversation,
          before(conversationChannels.lastMessageAt, conversationChannels.conversationId),
        ),
      )
      .orderBy(desc(conversationChannels.lastMessageAt), desc(conversationChannels.conversationId))
      .limit(limit);
  } else {
    rows = await selected
      .from(conversations)
      .leftJoin(contacts, eq(contacts.id, conversations.contactId))
      .where(and(...onConversation, before(conversations.lastMessageAt, conversations.id)))
      .orderBy(desc(conversations.lastMessageAt), desc(conversations.id))
      .limit(limit);
  }
  const page = rows.slice(0, filter.limit);
  const last = page[page.length - 1];
  return {
    items: page.map((r) => conversationView(r.conversation, r.contact)),
    next: rows.length > filter.limit && last ? { at: last.conversation.lastMessageAt, id: last.conversation.id } : null,
  };
}

/**
 * Assigns the conversation to a teammate, or to nobody. An SMS conversation goes to admins only:
 * whoever it is assigned to must be able to see it.
 */
export async function assignConversation(db: Db, id: string, assignee: User | null, viewer: Viewer): Promise<void> {
  const conversation = await requireConversation(db, id, viewer);
  if (assignee && !mayView(assignee, conversation)) {
    throw badRequest("invalid_assignee", `${assignee.name} is not an admin, and SMS conversations are for admins only.`, [{ path: "userId", message: "Not an admin." }]);
  }
  await db
    .update(conversations)
    .set({ assigneeId: assignee?.id ?? null, assignedAt: assignee ? Date.now() : null })
    .where(eq(conversations.id, id));
}

/**
 * Round-robin among the teammates online now (`online`, who may see the conversation): the one
 * with the fewest open conversations, and of those the one assigned to longest ago. Null when
 * nobody is online.
 */
export async function nextAssignee(db: Db, online: User[]): Promise<User | null> {
  if (!online.length) return null;
  const load = await db
    .select({ userId: conversations.assigneeId, open: count(), lastAssigned: sql<number | null>`max(${conversations.assignedAt})` })
    .from(conversations)
    .where(
      and(
        eq(conversations.status, "open"),
        inArray(
          conversations.assigneeId,
          online.map((u) => u.id),
        ),
      ),
    )
    .groupBy(conversations.assigneeId);
  const of = new Map(load.map((row) => [row.userId, row]));
  const ranked = [...online].sort((a, b) => {
    const [x, y] = [of.get(a.id), of.get(b.id)];
    return (x?.open ?? 0) - (y?.open ?? 0) || (x?.lastAssigned ?? 0) - (y?.lastAssigned ?? 0) || a.name.localeCompare(b.name);
  });
  return ranked[0]!;
}

/** A restored contact's conversations are theirs again, unless someone else's meanwhile. */
export async function relinkConversations(db: Db, contactId: string, ids: string[]): Promise<string[]> {
  if (!ids.length) return [];
  const relinked = await db
    .update(conversations)
    .set({ contactId })
    .where(and(inArray(conversations.id, ids), isNull(conversations.contactId)))
    .returning({ id: conversations.id });
  return relinked.map((r) => r.id);
}

/** Erased: the thread stays, as a stub that names nobody (no contact, party, name, subject or preview). */
export async function redactConversations(db: Db, ids: string[]): Promise<void> {
  if (!ids.length) return;
  await db.update(conversations).set({ contactId: null, party: null, partyName: null, subject: null, preview: "", threadKey: null, erasedAt: Date.now() }).where(inArray(conversations.id, ids));
}

/** Names the party of a conversation as its channel knows them (a Messenger profile). */
export async function nameParty(db: Db, id: string, name: string): Promise<void> {
  await db.update(conversations).set({ partyName: name }).where(eq(conversations.id, id));
}

/** How many of the channel's conversations are unread. */
export async function unreadOn(db: Db, channel: Channel): Promise<number> {
  const [row] = await db
    .select({ unread: count() })
    .from(conversationChannels)
    .innerJoin(conversations, eq(conversations.id, conversationChannels.conversationId))
    .where(and(eq(conversationChannels.channel, channel), eq(conversations.unread, true)));
  return row?.unread ?? 0;
}

export async function conversationWithContact(db: Db, id: string, viewer: Viewer) {
  const row = await withContact(db, id);
  if (!row) throw notFound("Conversation");
  requireViewable(viewer, row.conversation);
  return row;
}

/** The conversation as D1 has it, or null. */
export async function findConversationView(db: Db, id: string): Promise<ConversationView | null> {
  const row = await withContact(db, id);
  return row ? conversationView(row.conversation, row.contact) : null;
}

export async function loadConversationView(db: Db, id: string, viewer: Viewer) {
  const row = await conversationWithContact(db, id, viewer);
  return conversationView(row.conversation, row.contact);
}

async function withContact(db: Db, id: string) {
  const [row] = await db.select({ conversation: conversations, contact: contacts }).from(conversations).leftJoin(contacts, eq(contacts.id, conversations.contactId)).where(eq(conversations.id, id));
  return row ?? null;
}

export function conversationView(conversation: Conversation, contact: Contact | null): ConversationView {
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
    partyName: conversation.partyName,
    adminsOnly: conversation.adminsOnly,
    assignee: conversation.assigneeId,
    erased: conversation.erasedAt !== null,
    createdAt: conversation.createdAt,
    contact: contact ? contactView(contact) : null,
  };
}
