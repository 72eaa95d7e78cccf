// Widget visitors: a browser known by an unguessable token it keeps for 30 days (rolling), and
// the person it turns out to be once it gives an email (pre-chat form or `identify`).
// A token reaches only the conversations held with its own visitor identity.
import { and, desc, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { conversations, identities, visitors, type Contact, type Conversation } from "../db/schema";
import { forbidden, unauthorized } from "../errors";
import { getContactRow, resolveContact, type Profile } from "./contacts";
import { emailIdentity, partyOf, phoneIdentity, visitorIdentity, type Identity } from "./identities";
import { newId, randomToken, sha256Hex } from "./ids";
import { fromHex, hmacVerifies } from "./signatures";

export type Visitor = typeof visitors.$inferSelect;

const DAY_MS = 86_400_000;
export const VISITOR_TOKEN_DAYS = 30;
/** lastSeenAt is written at most this often: the expiry rolls without a write per request. */
const ROLL_EVERY_MS = 60 * 60_000;

export async function createVisitor(db: Db): Promise<{ visitor: Visitor; token: string }> {
  const token = randomToken(32);
  const now = Date.now();
  const visitor: Visitor = { id: newId(now), tokenHash: await sha256Hex(token), identityVerified: null, lastSeenAt: now, createdAt: now };
  await db.insert(visitors).values(visitor);
  return { visitor, token };
}

/** The visitor holding `token`; 401 when it is unknown or unused for 30 days. Using it extends it. */
export async function visitorForToken(db: Db, token: string | null | undefined): Promise<Visitor> {
  if (!token) throw unauthorized("This chat needs a visitor token; start a new chat.");
  const visitor = await db.query.visitors.findFirst({ where: eq(visitors.tokenHash, await sha256Hex(token)) });
  const now = Date.now();
  if (!visitor || now - visitor.lastSeenAt > VISITOR_TOKEN_DAYS * DAY_MS) {
    throw unauthorized("This chat has expired or is unknown; start a new chat.");
  }
  if (now - visitor.lastSeenAt > ROLL_EVERY_MS) {
    await db.update(visitors).set({ lastSeenAt: now }).where(eq(visitors.id, visitor.id));
    return { ...visitor, lastSeenAt: now };
  }
  return visitor;
}

const partyOfVisitor = (visitorId: string) => partyOf(visitorIdentity(visitorId));

/** The visitor's most recent conversation: the thread the widget shows. */
export async function visitorConversation(db: Db, visitorId: string): Promise<Conversation | null> {
  const [row] = await db
    .select()
    .from(conversations)
    .where(eq(conversations.party, partyOfVisitor(visitorId)))
    .orderBy(desc(conversations.lastMessageAt))
    .limit(1);
  return row ?? null;
}

/** 403 unless the conversation was held with this visitor (an unknown id gets the same answer: no probing). */
export async function requireOwnConversation(db: Db, visitorId: string, conversationId: string): Promise<Conversation> {
  const found = await db.query.conversations.findFirst({
    where: and(eq(conversations.id, conversationId), eq(conversations.party, partyOfVisitor(visitorId))),
  });
  if (!found) throw forbidden("This conversation is not yours.");
  return found;
}

/** The contact the visitor has been attached to, if any. */
export async function visitorContact(db: Db, visitorId: string): Promise<Contact | null> {
  const identity = visitorIdentity(visitorId);
  const row = await db.query.identities.findFirst({ where: and(eq(identities.kind, identity.kind), eq(identities.value, identity.value)) });
  return row ? getContactRow(db, row.contactId) : null;
}

export type Person = { email: string; phone?: string | null; profile?: Profile };

/**
 * Attaches the visitor to the person they say they are. With `verified` (an `identify` the host site
 * signed) it is a proof: the contact is found, created or merged by the identity rules, and the
 * visitor and its conversations are marked verified. Otherwise (the pre-chat form, an unsigned
 * `identify`) it is a claim: it links only this visitor and its anonymous conversations, shown not verified.
 */
export async function attachVisitor(db: Db, visitor: Visitor, person: Person, verified: boolean): Promise<Contact> {
  const sender: Identity[] = [emailIdentity(person.email), ...(person.phone ? [phoneIdentity(person.phone)] : []), visitorIdentity(visitor.id)];
  const contact = (await resolveContact(db, sender, person.profile, verified ? "proof" : "claim"))!;
  if (verified) {
    await db.batch([
      db.update(visitors).set({ identityVerified: true }).where(eq(visitors.id, visitor.id)),
      db
        .update(conversations)
        .set({ identityVerified: true })
        .where(eq(conversations.party, partyOfVisitor(visitor.id))),
    ]);
  } else if (visitor.identityVerified === null) {
    // Copied onto the conversations this visitor opens from now on.
    await db.update(visitors).set({ identityVerified: false }).where(eq(visitors.id, visitor.id));
  }
  return contact;
}

/**
 * The visitor a statement of who is writing applies to: this one, unless this browser already belongs
 * to someone the statement does not name (another login, or another person at a shared computer):
 * they get a fresh visitor, so neither sees the other's thread and neither is taken for the other.
 * `current`: whom the chosen visitor was attached to before.
 */
export async function visitorFor(db: Db, visitor: Visitor, person: Person): Promise<{ visitor: Visitor; token?: string; current: Contact | null }> {
  const current = await visitorContact(db, visitor.id);
  if (!current) return { visitor, current };
  const email = emailIdentity(person.email);
  const same = await db.query.identities.findFirst({
    where: and(eq(identities.contactId, current.id), eq(identities.kind, email.kind), eq(identities.value, email.value)),
  });
  return same ? { visitor, current } : { ...(await createVisitor(db)), current: null };
}

/** Whether `hash` is the hex HMAC-SHA256 of `email` under the workspace's identity secret (compared in constant time). */
export function verifyIdentityHash(secret: string, email: string, hash: string): Promise<boolean> {
  return hmacVerifies("SHA-256", secret, email, fromHex(hash));
}

/** "Ana Maria Lima" -> first "Ana", last "Maria Lima". */
export function splitName(fullName: string | null | undefined): Profile {
  const parts = fullName?.trim().split(/\s+/).filter(Boolean) ?? [];
  return { firstName: parts[0] ?? null, lastName: parts.slice(1).join(" ") || null };
}
