// The one path every inbound message takes, whichever channel brought it:
// normalize (the adapter) -> resolve the contact -> find or open the conversation (in D1)
// -> hand it to the conversation's room, which keeps it once, tells everyone and writes it to D1.
import { database } from "../db/client";
import type { Channel, Contact, Conversation, MessageAuthor } from "../db/schema";
import type { Env } from "../env";
import { conversationRoom } from "../realtime/notify";
import { dropFiles, recordFiles, type KeptFile } from "./attachments";
import { contactView, resolveContact, type Evidence, type Profile } from "./contacts";
import { conversationView, dropIfEmpty, getConversationRow, openConversationFor, type Thread } from "./conversations";
import { namesAPerson, partyOf, type Identity } from "./identities";
import type { Language } from "./languages";
import { composeMessage } from "./messages";
import { publishEvent } from "./subscriptions";

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
  /** The language the sender wrote from, kept on a conversation this message opens. */
  locale?: Language;
  meta?: Record<string, unknown>;
  receivedAt?: number;
  /**
   * A message the business sent to the person from outside Parley (a page admin in Meta's own
   * inbox): kept as outbound, by this name, in the person's conversation.
   */
  sentBy?: string;
  /** Files already put in R2 for this message: recorded with it once it is stored, removed if it is a repeat or is refused. */
  files?: KeptFile[];
};

/**
 * Channels whose message ids are unique only within the sender's own thread (a widget's client
 * ids): the thread's room alone tells a resend, and D1 follows. A provider's id (a Message-ID, a
 * Messenger mid, an SMS sid) may come back on a delivery that opened a thread of its own, so D1's
 * unique index decides, as the room stores it.
 */
const DEDUPED_IN_ROOM: ReadonlySet<Channel> = new Set(["chat"]);

export async function ingest(env: Env, inbound: InboundMessage) {
  const files = inbound.files ?? [];
  const started = Date.now();
  const result = await store(env, inbound).catch(async (error: unknown) => {
    // Refused: its files must not stay behind without it.
    await dropFiles(env, files);
    throw error;
  });
  if (!result.duplicate) await tellSubscribers(env, result, started);
  if (!files.length) return result;
  try {
    if (result.duplicate) await dropFiles(env, files);
    else await recordFiles(database(env.DB), result.message.id, files);
  } catch (error) {
    // Stored, now or by an earlier delivery: refusing it now would tell the sender it was lost.
    console.error("Inbound message stored, but its files could not be recorded:", error);
  }
  return result;
}

async function store(env: Env, inbound: InboundMessage) {
  const db = database(env.DB);
  // A thread opened for this message starts at its time (a provider's event time may be earlier than now).
  const sentAt = inbound.receivedAt ?? Date.now();
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
    : await openConversationFor(db, { contactId: contact?.id ?? null, party: anonymous ? partyOf(anonymous) : null }, inbound.channel, known || !thread ? inbound.thread : "new", {
        subject: inbound.subject ?? null,
        identityVerified: inbound.identityVerified ?? (inbound.evidence === "claim" ? false : null),
        locale: inbound.locale ?? null,
        lastMessageAt: sentAt,
      });
  const message = composeMessage(conversation.id, {
    direction: inbound.sentBy ? "out" : "in",
    channel: inbound.channel,
    body: inbound.body,
    author: inbound.sentBy ? { type: "agent", id: null, name: inbound.sentBy } : inboundAuthor(contact),
    status: inbound.sentBy ? "sent" : null,
    externalId: inbound.externalId,
    meta: inbound.meta,
    createdAt: sentAt,
  });
  const room = conversationRoom(env, conversation.id);
  const view = conversationView(conversation, contact);
  const kept = DEDUPED_IN_ROOM.has(inbound.channel) ? await room.record(message, view) : await room.claim(message, view);
  if (kept.duplicate && kept.message.conversationId !== conversation.id) {
    // Delivered before, or twice at once: the other delivery stored it, in a thread it opened.
    if (created) await dropIfEmpty(db, conversation.id);
    return { ...kept, conversation: (await getConversationRow(db, kept.message.conversationId))!, contact, created: false };
  }
  return { ...kept, conversation, contact, created };
}

/** What a CRM hears of the contact and conversation a new message made (its room tells of the message itself). */
async function tellSubscribers(env: Env, { conversation, contact, created }: Awaited<ReturnType<typeof store>>, started: number) {
  // Made by this message (a second report of the same contact or thread is the same event).
  if (contact && contact.createdAt >= started) await publishEvent(env, "contact.created", { contact: contactView(contact) }, contact.id);
  if (created) await publishEvent(env, "conversation.created", { conversation: conversationView(conversation, contact) }, conversation.id);
}

/**
 * A thread linked to a contact only by a visitor's claim is not the thread of a person who proves
 * another identity (their answer to a reply sent there, say): they get a thread of their own, so
 * nothing they write reaches the claimer's conversation.
 */
function strangerTo(thread: Conversation, contact: Contact | null, sender: Identity[]): boolean {
  return thread.identityVerified === false && sender.some(namesAPerson) && contact !== null && thread.contactId !== contact.id;
}

/** Who wrote an inbound message: the contact it came from, by the name agents know them by. */
export function inboundAuthor(contact: Person | null): MessageAuthor {
  return { type: "contact", id: contact?.id ?? null, name: contact ? displayName(contact) : null };
}

type Person = Pick<Contact, "id" | "firstName" | "lastName" | "email" | "phone">;

export function displayName(contact: Omit<Person, "id">): string | null {
  return [contact.firstName, contact.lastName].filter(Boolean).join(" ") || contact.email || contact.phone;
}
