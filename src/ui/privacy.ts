// A person's data as the privacy API hands it to the UI: erasure counts, contacts deleted and
// restorable, the audit log. Kept apart from types.ts, whose shapes are the wider API's.
import { contactName } from "./format";
import { formatDate } from "./i18n";
import type { Contact } from "./types";

/** What POST /api/contacts/:id/erase emptied. */
export type Erased = { conversations: number; messages: number; attachments: number };

/** GET /api/deleted-contacts: `deletedBy` is a user's id; times in ms. */
export type DeletedContact = { contact: Contact; deletedAt: number; deletedBy: string; restorableUntil: number };

/** POST /api/deleted-contacts/:id/restore: `keptElsewhere` are addresses another contact holds now, so not restored to this one. */
export type Restored = { contact: Contact; conversations: number; keptElsewhere: { kind: string; value: string }[] };

/** GET /api/audit: `actorName` is null for the system (a failed sign-in, a workflow); `subject` is an id. */
export type AuditEntry = { id: string; at: number; actorId: string | null; actorName: string | null; action: string; subject: string | null; details: Record<string, unknown> };

/** How long a deleted contact can be restored (the server's RESTORE_DAYS). */
export const RESTORE_DAYS = 30;

/**
 * What an admin types to confirm erasing the contact: their email, else their name, else their id.
 * Typing it shows they read whose data goes, not just that a button was there.
 */
export function erasePhrase(contact: Contact): string {
  return contact.email ?? contactName(contact) ?? contact.id;
}

/** "22 Dec 2026": a day, where a time of day would be false precision. */
export function day(at: number): string {
  return formatDate(at, { dateStyle: "medium" });
}
