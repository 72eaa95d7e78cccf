// A person's rights over what Parley holds of them: an export of all of it, a deletion that can be
// taken back for 30 days, and erasure (the right to be forgotten): their profile, identities and the
// words and files of their messages removed, their threads left as stubs that name nobody. Each is
// recorded in the audit log, by who and when, never with the data itself.
import { eq, lt } from "drizzle-orm";
import { database, type Db } from "../db/client";
import { contactMerges, deletedContacts } from "../db/schema";
import type { Env } from "../env";
import { notFound } from "../errors";
import { conversationChanged } from "../realtime/events";
import { conversationRoom } from "../realtime/notify";
import { attachmentsIn, eraseAttachmentsIn } from "./attachments";
import { audit, type Actor } from "./audit";
import { contactRecord, contactView, deleteContact, reinstateContact, type ContactRecord } from "./contacts";
import { listConversations, loadConversationView, redactConversations, relinkConversations, SYSTEM_VIEWER } from "./conversations";
import { ERASED_META, eraseThreads, messageView, wholeThreads } from "./messages";
import { redactDeliveries } from "./subscriptions";

/** How long a deleted contact can be restored. */
export const RESTORE_DAYS = 30;
const RESTORE_MS = RESTORE_DAYS * 86_400_000;

export type DeletedSnapshot = ContactRecord & { conversationIds: string[] };

/** Every conversation held with the contact. */
export async function conversationIdsOf(db: Db, contactId: string): Promise<string[]> {
  const ids: string[] = [];
  let cursor: { at: number; id: string } | undefined;
  do {
    const page = await listConversations(db, { status: "all", contactId, cursor, limit: 100 });
    ids.push(...page.items.map((item) => item.id));
    cursor = page.next ?? undefined;
  } while (cursor);
  return ids;
}

/** Everything Parley holds about the contact: profile, identities, lists, every conversation with every message, the files' list. */
export async function exportContact(env: Env, id: string, actor: Actor) {
  const db = database(env.DB);
  const record = await contactRecord(db, id);
  const ids = await conversationIdsOf(db, id);
  // What the rooms hold and D1 does not have yet is part of it.
  await Promise.all(ids.map((conversationId) => conversationRoom(env, conversationId).settle()));
  const [messages, files, merges] = await Promise.all([wholeThreads(db, ids), attachmentsIn(db, ids), db.select().from(contactMerges).where(eq(contactMerges.intoContactId, id))]);
  const conversations = await Promise.all(ids.map((conversationId) => loadConversationView(db, conversationId, SYSTEM_VIEWER)));
  await audit(db, actor, "contact.exported", id, { conversations: ids.length, messages: messages.length });
  return {
    exportedAt: Date.now(),
    contact: contactView(record.contact),
    identities: record.identities.map(({ kind, value, proven, createdAt }) => ({ kind, value, proven, createdAt })),
    lists: record.lists.map(({ list, channel, consentedAt, source }) => ({ list, channel, consentedAt, source })),
    merged: merges.map((m) => ({ contactId: m.fromContactId, was: m.fromSnapshot, reason: m.reason, mergedAt: m.createdAt })),
    conversations: conversations.map(({ contact: _contact, ...conversation }) => ({
      ...conversation,
      messages: messages.filter((m) => m.conversationId === conversation.id).map(messageView),
    })),
    attachments: files,
  };
}

/** Deletes the contact; their conversations stay, without a contact. It can be restored for 30 days. The conversations it held. */
export async function deleteWithRestore(db: Db, id: string, actor: Actor): Promise<string[]> {
  const record = await contactRecord(db, id);
  const conversationIds = await conversationIdsOf(db, id);
  const snapshot: DeletedSnapshot = { ...record, conversationIds };
  await db
    .insert(deletedContacts)
    .values({ id, snapshot, deletedBy: actor?.id ?? "system", deletedAt: Date.now() })
    .onConflictDoUpdate({ target: deletedContacts.id, set: { snapshot, deletedAt: Date.now() } });
  await deleteContact(db, id);
  await audit(db, actor, "contact.deleted", id, { conversations: conversationIds.length });
  return conversationIds;
}

/** A contact deleted in the last 30 days, back with its identities, lists and conversations. */
export async function restoreContact(db: Db, id: string, actor: Actor) {
  const deleted = await db.query.deletedContacts.findFirst({ where: eq(deletedContacts.id, id) });
  if (!deleted || deleted.deletedAt < Date.now() - RESTORE_MS) throw notFound("Deleted contact");
  const { contact, kept } = await reinstateContact(db, deleted.snapshot);
  const conversationIds = await relinkConversations(db, contact.id, deleted.snapshot.conversationIds);
  await db.delete(deletedContacts).where(eq(deletedContacts.id, id));
  await audit(db, actor, "contact.restored", id, { conversations: conversationIds.length, identitiesKeptElsewhere: kept.length });
  return { contact, conversationIds, keptElsewhere: kept };
}

/** Contacts deleted, newest first, while they can still be restored. */
export async function deletedContactsList(db: Db) {
  const rows = await db.select().from(deletedContacts).orderBy(deletedContacts.deletedAt);
  const since = Date.now() - RESTORE_MS;
  return rows
    .filter((row) => row.deletedAt >= since)
    .reverse()
    .map((row) => ({ contact: contactView(row.snapshot.contact), deletedAt: row.deletedAt, deletedBy: row.deletedBy, restorableUntil: row.deletedAt + RESTORE_MS }));
}

/** Past 30 days a deletion is final: the kept copy goes. */
export async function purgeDeleted(db: Db, now = Date.now()): Promise<number> {
  const gone = await db
    .delete(deletedContacts)
    .where(lt(deletedContacts.deletedAt, now - RESTORE_MS))
    .returning({ id: deletedContacts.id });
  return gone.length;
}

/**
 * Erases the contact, live or deleted within 30 days: the words and files of every message in their
 * conversations (in the rooms and in D1), the run logs, the conversations' names and previews, the
 * webhook log's payloads about them, then the contact, identities, lists, merge records and the
 * copy kept for a restore. The threads stay as stubs, so agents' history and counts hold.
 */
export async function eraseContact(env: Env, id: string, actor: Actor) {
  const db = database(env.DB);
  const deleted = await db.query.deletedContacts.findFirst({ where: eq(deletedContacts.id, id) });
  const live = deleted ? null : await contactRecord(db, id);
  const conversationIds = live ? await conversationIdsOf(db, id) : (deleted?.snapshot.conversationIds ?? []);
  for (const conversationId of conversationIds) await conversationRoom(env, conversationId).erase(ERASED_META);
  const messages = await eraseThreads(db, conversationIds);
  const files = await eraseAttachmentsIn(db, env, conversationIds);
  await redactConversations(db, conversationIds);
  await redactDeliveries(db, [id, ...conversationIds]);
  if (live) await deleteContact(db, id);
  await db.batch([
    db.delete(contactMerges).where(eq(contactMerges.intoContactId, id)),
    db.delete(contactMerges).where(eq(contactMerges.fromContactId, id)),
    db.delete(deletedContacts).where(eq(deletedContacts.id, id)),
  ]);
  await conversationChanged(env, ...(await Promise.all(conversationIds.map((conversationId) => loadConversationView(db, conversationId, SYSTEM_VIEWER)))));
  await audit(db, actor, "contact.erased", id, { conversations: conversationIds.length, messages, attachments: files });
  return { conversations: conversationIds.length, messages, attachments: files };
}
