// The one path every inbound message takes, whichever channel brought it:
// normalize (the adapter) -> resolve the contact -> find or open the conversation
// -> store once (unique external id) -> tell the room and the inbox.
import { database } from "../db/client";
import type { Channel, Contact, Conversation } from "../db/schema";
import type { Env } from "../env";
import { messageCreated } from "../realtime/events";
import { resolveContact, type Evidence, type Profile } from "./contacts";
import { conversationView, dropIfEmpty, getConversationRow, openConversationFor, type Thread } from "./conversations";
import { namesAPerson, partyOf, type Identity } from "./identities";
import { messageView, storeMessage } from "./messages";

export type InboundMessage = {
  channel: Channel;
  /** Everything the channel knows of the sender: an email, a phone, a widget visitor, a Messenger id. */
  sender: Identity[];
  profile?: Profile;
  /** How far the channel proves the sender (a mail whose From failed authentication is only a claim). */
  evidence?: Evidence;
  thread: Thread;
  /** The provider's id of this message; a second delivery with the same id stores nothing. */
  externalId?: string | null;
  body: string;
  subject?: string | null;
  /**
   * How the widget's identify proved the sender, kept on a conversation this message opens; a sender
   * only claimed opens one shown not verified.
   */
  identityVerified?: boolean | null;
  meta?: Record<string, unknown>;
  receivedAt?: number;
};

/** `inRoom`: the conversation's room is the caller, and tells its own sockets. */
export async function ingest(env: Env, inbound: InboundMessage, opts: { inRoom?: boolean } = {}) {
  const db = database(env.DB);
  // A redelivery is caught when the message is stored (unique external id), not looked up first:
  // every first delivery saves a round trip, and a redelivery resolves to the same contact anyway.
  // A thread the channel already knows is read while the contact is resolved: one round trip fewer.
  const [contact, thread] = await Promise.all([
    resolveContact(db, inbound.sender, inbound.profile, inbound.evidence),
    typeof inbound.thread === "object" ? getConversationRow(db, inbound.thread.conversationId) : null,
  ]);
  const known = thread && !strangerTo(thread, contact, inbound.sender) ? thread : null;
  const anonymous = inbound.sender.find((i) => !namesAPerson(i));
  const { conversation, created } = known
    ? { conversation: known, created: false }
    : await openConversationFor(
        db,
        { contactId: contact?.id ?? null, party: anonymous ? partyOf(anonymous) : null },
        inbound.channel,
        known || !thread ? inbound.thread : "new",
        { subject: inbound.subject ?? null, identityVerified: inbound.identityVerified ?? (inbound.evidence === "claim" ? false : null) },
      );
  const stored = await storeMessage(db, conversation, {
    direction: "in",
    channel: inbound.channel,
    body: inbound.body,
    author: { type: "contact", id: contact?.id ?? null, name: contact ? displayName(contact) : null },
    externalId: inbound.externalId,
    meta: inbound.meta,
    createdAt: inbound.receivedAt,
  });
  if (stored.duplicate) {
    // Delivered before, or twice at once: the other delivery stored it, maybe in a thread it opened.
    if (created) await dropIfEmpty(db, conversation.id);
    return { ...stored, conversation: (await getConversationRow(db, stored.message.conversationId))!, contact };
  }
  // A conversation this message just opened has nobody in its room yet.
  const room = !created && !opts.inRoom;
  await messageCreated(env, conversationView(stored.conversation, contact), messageView(stored.message), { room });
  return { ...stored, contact };
}

/**
 * A thread linked to a contact only by a visitor's claim is not the thread of a person who proves
 * another identity (their answer to a reply sent there, say): they get a thread of their own, so
 * nothing they write reaches the claimer's conversation.
 */
function strangerTo(thread: Conversation, contact: Contact | null, sender: Identity[]): boolean {
  return thread.identityVerified === false && sender.some(namesAPerson) && contact !== null && thread.contactId !== contact.id;
}

export function displayName(contact: Contact): string | null {
  return [contact.firstName, contact.lastName].filter(Boolean).join(" ") || contact.email || contact.phone;
}
