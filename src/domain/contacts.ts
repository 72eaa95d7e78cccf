// The identity rules: who a person is, whichever channel they wrote from.
// Rules (each has a story in test/contacts.test.ts):
// - An email, phone or CRM id names a person: the first time one arrives, a contact is created.
// - A widget visitor or Messenger id only points at a person: alone it creates no contact, and
//   conversations held with it join the contact it is later attached to.
// - When identities that name a person belong to two contacts, the two are one person: the
//   younger is merged into the older (conversations and identities move, the merge is recorded).
// - Contacts created from conversations are not opted in to marketing.
// Claims are not proofs. Every identity is learned either as a proof (mail from that address, an
// SMS from that number, a Messenger id, a signed `identify`, an agent) or as a claim (the pre-chat
// form, an unsigned `identify`):
// - A claim may create a contact (its identities held as claims), or link the claimer's own browser
//   and anonymous conversations to the contact it names. It never merges contacts, never adds an
//   identity or a field to an existing contact, never moves anyone else's conversations.
// - A claim never outranks a proof: a claimed identity counts as nobody's when the same identity is
//   proven, and the proof takes it (off the contact the claim made) for the proven person. A proof
//   through the claimer's own browser (a signed `identify`, an agent naming the visitor) confirms it.
import { and, asc, count, desc, eq, inArray, isNull, notInArray, or, sql, type SQL } from "drizzle-orm";
import type { AnySQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Db } from "../db/client";
import { contactLists, contactMerges, contacts, conversations, identities, type Contact, type CustomFields } from "../db/schema";
import { ApiError, badRequest, conflict, notFound } from "../errors";
import { emailIdentity, externalIdentity, identityFromParty, namesAPerson, partyOf, phoneIdentity, type Identity } from "./identities";
import { newId } from "./ids";
import { moveAuthorship } from "./messages";
import { phonesMeant, toE164 } from "./phones";
import { loadSettings } from "./settings";

export type Profile = { firstName?: string | null; lastName?: string | null; account?: string | null };

const key = (i: Identity) => `${i.kind}:${i.value}`;

/** How the sender's identities were learned. */
export type Evidence = "proof" | "claim";

/**
 * The contact these identities belong to: found, created, or (for a proof) made one by merging.
 * Returns null when none of them names a person and none is attached to a contact yet.
 */
export async function resolveContact(db: Db, sender: Identity[], profile: Profile = {}, evidence: Evidence = "proof"): Promise<Contact | null> {
  const resolve = evidence === "proof" ? proveOnce : claimOnce;
  try {
    return await resolve(db, sender, profile);
  } catch (error) {
    // Two deliveries raced to create or merge the same person (or an agent deleted them meanwhile): the
    // second look finds what the first made.
    if (isConstraintViolation(error) || isMergedMeanwhile(error)) return resolve(db, sender, profile);
    throw error;
  }
}

async function proveOnce(db: Db, sender: Identity[], profile: Profile): Promise<Contact | null> {
  const owners = await ownersOf(db, sender);
  const person = sender.filter(namesAPerson);
  // What was only claimed belongs to nobody as far as a proof is concerned, unless the proof comes
  // through the claimer's own browser: then the person who claimed is the person who proved.
  const claimer = sender
    .filter((i) => !namesAPerson(i))
    .map((i) => owners.get(key(i))?.contact.id)
    .find((id) => id !== undefined);
  const personOwners = oldestFirst(person.map((i) => provenOwner(owners, i) ?? claimedBy(owners, i, claimer)));
  let contact: Contact;
  if (personOwners.length === 0) {
    if (person.length === 0) {
      const pointer = sender.map((i) => owners.get(key(i))).find((o) => o !== undefined);
      if (!pointer) return null;
      // A browser that only claimed to be someone fills nothing in on their contact.
      return pointer.proven ? fillBlanks(db, pointer.contact, profile, []) : pointer.contact;
    }
    contact = await insertContact(db, profile, person, { owners });
  } else {
    const [oldest, ...younger] = personOwners;
    let survivor = oldest!;
    for (const other of younger) survivor = await mergeContacts(db, survivor.id, other.id, { reason: "same identity" });
    contact = await fillBlanks(db, survivor, profile, person);
  }
  const attached = await attachIdentities(db, contact.id, sender, owners, "proof");
  await adoptAnonymousConversations(db, contact.id, attached, "proof");
  return contact;
}

/**
 * A claim names the contact owning its first identity that has an owner (the email before the
 * phone), or creates one holding everything claimed as claims. Only the claimer's own browser is
 * linked to a contact that already exists, and only as a claim.
 */
async function claimOnce(db: Db, sender: Identity[], profile: Profile): Promise<Contact | null> {
  const owners = await ownersOf(db, sender);
  const person = sender.filter(namesAPerson);
  const named = person.map((i) => owners.get(key(i))?.contact).find((c) => c !== undefined);
  const contact = named ?? (person.length ? await insertContact(db, profile, person, { proven: false }) : null);
  if (!contact) return null;
  const pointers = sender.filter((i) => !namesAPerson(i) && !owners.has(key(i)));
  const attached = await attachIdentities(db, contact.id, pointers, owners, "claim");
  await adoptAnonymousConversations(db, contact.id, attached, "claim");
  return contact;
}

/** Moves everything of `fromId` to `intoId` in one transaction and records what `fromId` was. */
export async function mergeContacts(db: Db, intoId: string, fromId: string, how: { reason: string; mergedBy?: string }): Promise<Contact> {
  if (intoId === fromId) throw conflict("same_contact", "A contact cannot be merged into itself.");
  const into = await getContactRow(db, intoId);
  const from = await getContactRow(db, fromId);
  if (!into) throw notFound("Contact");
  if (!from) throw notFound("Contact to merge");
  const merged = {
    firstName: into.firstName ?? from.firstName,
    lastName: into.lastName ?? from.lastName,
    email: into.email ?? from.email,
    phone: into.phone ?? from.phone,
    account: into.account ?? from.account,
    tags: unique([...into.tags, ...from.tags]),
    customFields: { ...from.customFields, ...into.customFields },
    // Consent is never implied: it holds only if the surviving contact gave it.
    marketingConsent: into.marketingConsent,
    updatedAt: Date.now(),
  };
  const fromConversations = db.select({ id: conversations.id }).from(conversations).where(eq(conversations.contactId, fromId));
  const stillThere = (id: string) => sql`(SELECT ${contacts.id} FROM ${contacts} WHERE ${contacts.id} = ${id})`;
  try {
    await db.batch([
      // The record goes first and reads both contacts: if another merge just removed one, its NOT NULL
      // column refuses the whole transaction instead of merging into nothing.
      db.insert(contactMerges).values({
        id: newId(),
        intoContactId: stillThere(intoId),
        fromContactId: stillThere(fromId),
        fromSnapshot: from,
        reason: how.reason,
        mergedBy: how.mergedBy ?? null,
        createdAt: Date.now(),
      }),
      // What the person wrote stays theirs: its author is the surviving contact.
      moveAuthorship(db, fromId, intoId, fromConversations),
      db.update(conversations).set({ contactId: intoId }).where(eq(conversations.contactId, fromId)),
      db.update(identities).set({ contactId: intoId }).where(eq(identities.contactId, fromId)),
      // The lists the other opted in to, with how: consent given for an address that is now this contact's.
      db
        .update(contactLists)
        .set({ contactId: intoId })
        .where(and(eq(contactLists.contactId, fromId), notInArray(contactLists.list, db.select({ list: contactLists.list }).from(contactLists).where(eq(contactLists.contactId, intoId))))),
      db.update(contacts).set(merged).where(eq(contacts.id, intoId)),
      db.delete(contacts).where(eq(contacts.id, fromId)),
    ]);
  } catch (error) {
    if (isConstraintViolation(error)) throw conflict(MERGED_MEANWHILE, "One of these contacts was just merged with another; reload and try again.");
    throw error;
  }
  return { ...into, ...merged };
}

const MERGED_MEANWHILE = "merged_meanwhile";

function isMergedMeanwhile(error: unknown): boolean {
  return error instanceof ApiError && (error.code === MERGED_MEANWHILE || error.status === 404);
}

export type FieldChanges = Record<string, string | number | boolean | null>;
export const MAX_CUSTOM_FIELDS = 50;

/** The fields with the changes made: null removes one. */
function withChanges(fields: CustomFields, changes: FieldChanges = {}): CustomFields {
  const out: CustomFields = { ...fields };
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) delete out[name];
    else out[name] = value;
  }
  return out;
}

export type ContactInput = Profile & {
  email?: string | null;
  phone?: string | null;
  /** A CRM's own id for the person: an identity like an email, never a field shown. */
  externalId?: string | null;
  /** Fields to set; a field set to null is removed. */
  customFields?: FieldChanges;
  tags?: string[];
  marketingConsent?: boolean;
};

/**
 * A contact an agent adds by hand: the agent vouches for it. Its email or phone must not be proven
 * for someone else; one only claimed elsewhere is taken.
 */
export async function createContact(db: Db, given: ContactInput): Promise<Contact> {
  const input = await normalized(db, given);
  const person = identitiesOf(input);
  const owners = await refuseTaken(db, person, null);
  try {
    const contact = await insertContact(db, input, person, { tags: input.tags, customFields: input.customFields, marketingConsent: input.marketingConsent, owners });
    await attachIdentities(
      db,
      contact.id,
      person.filter((i) => owners.has(key(i))),
      owners,
      "proof",
    );
    return contact;
  } catch (error) {
    throw await raceLost(error, db, person, null);
  }
}

/**
 * Changes what an agent sent; a new email or phone becomes one of the contact's identities in the
 * same transaction (or is taken from a contact that only claimed it).
 */
export async function updateContact(db: Db, id: string, given: ContactInput): Promise<Contact> {
  const contact = await getContactRow(db, id);
  if (!contact) throw notFound("Contact");
  const input = await normalized(db, given);
  const added = identitiesOf(input);
  const owners = await refuseTaken(db, added, id);
  const { externalId: _identityOnly, customFields, ...fields } = input;
  if (customFields && Object.keys(withChanges(contact.customFields, customFields)).length > MAX_CUSTOM_FIELDS) {
    throw badRequest("invalid_input", `A contact holds at most ${MAX_CUSTOM_FIELDS} custom fields.`, [{ path: "customFields", message: "Too many fields." }]);
  }
  const changes: Record<string, unknown> = Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined));
  // Merged by D1 itself (JSON merge patch: null removes), so two changes at once both hold.
  if (customFields) changes.customFields = sql`json_patch(${contacts.customFields}, ${JSON.stringify(customFields)})`;
  const now = Date.now();
  try {
    const [updated] = await db.batch([
      db
        .update(contacts)
        .set({ ...changes, updatedAt: now })
        .where(eq(contacts.id, id))
        .returning(),
      ...added.filter((i) => !owners.has(key(i))).map((i) => db.insert(identities).values({ ...i, contactId: id, createdAt: now })),
    ]);
    await attachIdentities(
      db,
      id,
      added.filter((i) => owners.has(key(i))),
      owners,
      "proof",
    );
    if (updated[0]) return updated[0];
  } catch (error) {
    throw await raceLost(error, db, added, id);
  }
  throw notFound("Contact");
}

export type UpsertMatch = "email" | "phone" | "externalId";

/**
 * A CRM's sync: the contact known by the `match` field's value, changed to what is given, or made
 * with it. One call, whichever side saw the person first.
 */
export async function upsertContact(db: Db, match: UpsertMatch, given: ContactInput): Promise<{ contact: Contact; created: boolean }> {
  const input = await normalized(db, given);
  const value = input[match];
  if (!value) {
    throw badRequest("invalid_input", `Give the ${match} to match the contact by.`, [{ path: match, code: "missing_match", message: `Required to match by ${match}.` }]);
  }
  const identity = match === "email" ? emailIdentity(value) : match === "phone" ? phoneIdentity(value) : externalIdentity(value);
  // Only a proof names the contact: one who only claimed it (a pre-chat form) gives it up to a new one.
  const owner = (await ownersOf(db, [identity])).get(key(identity));
  if (owner?.proven) return { contact: await updateContact(db, owner.contact.id, given), created: false };
  return { contact: await createContact(db, given), created: true };
}

/** Contacts changed since `since` (ms), oldest change first, by keyset pages: what a CRM syncs. */
export async function contactsChangedSince(db: Db, since: number, page: { cursor?: Cursor; limit: number }) {
  const rows = await db
    .select()
    .from(contacts)
    .where(and(sql`${contacts.updatedAt} >= ${since}`, page.cursor ? sql`(${contacts.updatedAt}, ${contacts.id}) > (${page.cursor.at}, ${page.cursor.id})` : undefined))
    .orderBy(asc(contacts.updatedAt), asc(contacts.id))
    .limit(page.limit + 1);
  const items = rows.slice(0, page.limit);
  const last = items[items.length - 1];
  return { items, next: rows.length > page.limit && last ? { at: last.updatedAt, id: last.id } : null };
}

export type ListChannel = "email" | "sms";

/** The marketing lists the contact opted in to, with when and how. */
export function listsOf(db: Db, contactId: string) {
  return db
    .select({ list: contactLists.list, channel: contactLists.channel, consentedAt: contactLists.consentedAt, source: contactLists.source })
    .from(contactLists)
    .where(eq(contactLists.contactId, contactId))
    .orderBy(asc(contactLists.list));
}

/**
 * Records the contact's explicit opt-in to a list on a channel, and how it was given. The contact
 * must have an address there: consent to texts needs a number to text.
 */
export async function optIn(db: Db, contactId: string, list: string, channel: ListChannel, source: string): Promise<void> {
  const contact = await getContactRow(db, contactId);
  if (!contact) throw notFound("Contact");
  if (channel === "email" && !contact.email) throw conflict("no_email_address", "This contact has no email address: add one before subscribing them by email.");
  if (channel === "sms" && !contact.phone) throw conflict("no_phone_number", "This contact has no phone number: add one before subscribing them by SMS.");
  const row = { contactId, list, channel, consentedAt: Date.now(), source };
  await db
    .insert(contactLists)
    .values(row)
    .onConflictDoUpdate({ target: [contactLists.contactId, contactLists.list], set: { channel, consentedAt: row.consentedAt, source } });
}

export async function optOut(db: Db, contactId: string, list: string): Promise<void> {
  if (!(await getContactRow(db, contactId))) throw notFound("Contact");
  await db.delete(contactLists).where(and(eq(contactLists.contactId, contactId), eq(contactLists.list, list)));
}

/** Every list in use, with how many have opted in. */
export function listsInUse(db: Db) {
  return db.select({ list: contactLists.list, channel: contactLists.channel, members: count() }).from(contactLists).groupBy(contactLists.list, contactLists.channel).orderBy(asc(contactLists.list));
}

/** Deletes the contact and its identities; its conversations stay, without a contact. */
/** A contact as stored, with every identity and list: what a deletion keeps for a restore, and an export gives. */
export type ContactRecord = { contact: Contact; identities: (typeof identities.$inferSelect)[]; lists: (typeof contactLists.$inferSelect)[] };

export async function contactRecord(db: Db, id: string): Promise<ContactRecord> {
  const contact = await getContactRow(db, id);
  if (!contact) throw notFound("Contact");
  const [held, lists] = await Promise.all([db.select().from(identities).where(eq(identities.contactId, id)), db.select().from(contactLists).where(eq(contactLists.contactId, id))]);
  return { contact, identities: held, lists };
}

/** Removes the contact, its identities (free for anyone again) and lists; its conversations stay, without a contact. */
export async function deleteContact(db: Db, id: string): Promise<void> {
  await db.batch([
    db.update(conversations).set({ contactId: null }).where(eq(conversations.contactId, id)),
    db.delete(contactLists).where(eq(contactLists.contactId, id)),
    db.delete(identities).where(eq(identities.contactId, id)),
    db.delete(contacts).where(eq(contacts.id, id)),
  ]);
}

/**
 * A deleted contact back as it was. Its identities come back unless someone else holds them now:
 * a contact that proved one of them meanwhile (the person wrote again) is merged into it, as a
 * proof arriving for two contacts merges them; one only claimed elsewhere is taken back. Returns
 * the contact and the identities left with someone else (a claim of theirs against a proof).
 */
export async function reinstateContact(db: Db, record: ContactRecord): Promise<{ contact: Contact; kept: Identity[] }> {
  if (await getContactRow(db, record.contact.id)) throw conflict("contact_exists", "This contact exists already.");
  await db.batch([db.insert(contacts).values(record.contact), ...record.lists.map((list) => db.insert(contactLists).values(list).onConflictDoNothing())]);
  const wanted = record.identities.map(({ kind, value }) => ({ kind, value }));
  const owners = await ownersOf(db, wanted);
  const kept: Identity[] = [];
  let contact = record.contact;
  for (const row of record.identities) {
    const owner = owners.get(key(row));
    if (!owner) {
      await db.insert(identities).values(row).onConflictDoNothing();
    } else if (owner.contact.id === contact.id) {
    } else if (owner.proven && row.proven) {
      contact = await mergeContacts(db, contact.id, owner.contact.id, { reason: "restored" });
    } else if (!owner.proven) {
      await db
        .update(identities)
        .set({ contactId: contact.id, proven: row.proven })
        .where(and(eq(identities.kind, row.kind), eq(identities.value, row.value)));
    } else {
      kept.push({ kind: row.kind, value: row.value });
    }
  }
  return { contact, kept };
}

export async function getContactRow(db: Db, id: string): Promise<Contact | null> {
  return (await db.query.contacts.findFirst({ where: eq(contacts.id, id) })) ?? null;
}

export async function identitiesOfContact(db: Db, contactId: string) {
  return db.select({ kind: identities.kind, value: identities.value, proven: identities.proven }).from(identities).where(eq(identities.contactId, contactId)).orderBy(asc(identities.createdAt));
}

/**
 * Which contacts a search term finds: first or last name starting with it (or a full name, first
 * then last), any email they are known by starting with it, or, when it reads as a phone number in
 * any common format, the contact known by that number. Emails and phones are searched among the
 * identities, so an address a merge brought along still finds the person.
 */
export function contactMatch(term: string, defaultCountry: string): SQL {
  const text = term.trim();
  const [first, ...rest] = text.split(/\s+/);
  const conditions = [startsWith(contacts.firstName, text), startsWith(contacts.lastName, text), knownBy("email", sql`GLOB ${globPrefix(text.toLowerCase())}`)];
  if (first && rest.length) conditions.push(and(startsWith(contacts.firstName, first), startsWith(contacts.lastName, rest.join(" ")))!);
  const phones = phonesMeant(text, defaultCountry);
  if (phones.length)
    conditions.push(
      knownBy(
        "phone",
        sql`IN (${sql.join(
          phones.map((phone) => sql`${phone}`),
          sql`, `,
        )})`,
      ),
    );
  return or(...conditions)!;
}

/** Case-insensitive prefix match that the column's NOCASE index serves. */
function startsWith(column: AnySQLiteColumn, prefix: string): SQL {
  return sql`${column} LIKE ${`${prefix.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`} ESCAPE '\\'`;
}

/** A prefix for GLOB (case-sensitive, so the identities' primary key serves it); its wildcards taken literally. */
function globPrefix(prefix: string): string {
  return `${prefix.replace(/[[*?]/g, (ch) => `[${ch}]`)}*`;
}

function knownBy(kind: "email" | "phone", valueMatch: SQL): SQL {
  return sql`${contacts.id} IN (SELECT ${identities.contactId} FROM ${identities} WHERE ${identities.kind} = ${kind} AND ${identities.value} ${valueMatch})`;
}

export async function searchContacts(db: Db, opts: { q?: string; defaultCountry: string; cursor?: Cursor; limit: number }) {
  const where = and(opts.q ? contactMatch(opts.q, opts.defaultCountry) : undefined, opts.cursor ? afterCursor(opts.cursor) : undefined);
  const rows = await db
    .select()
    .from(contacts)
    .where(where)
    .orderBy(desc(contacts.createdAt), desc(contacts.id))
    .limit(opts.limit + 1);
  const page = rows.slice(0, opts.limit);
  const last = page[page.length - 1];
  return { items: page, next: rows.length > opts.limit && last ? { at: last.createdAt, id: last.id } : null };
}

export type Cursor = { at: number; id: string };

function afterCursor(cursor: Cursor): SQL {
  return sql`(${contacts.createdAt}, ${contacts.id}) < (${cursor.at}, ${cursor.id})`;
}

/**
 * An agent says who the person behind a conversation is. For a conversation with a contact, what the
 * agent gives is added to that contact. For an anonymous visitor or a Messenger sender, the email or
 * phone and the conversation's party resolve by the rules above (an agent's word is a proof), so the
 * conversation, and the party's other anonymous conversations, join that contact.
 */
export async function attachPerson(db: Db, conversationId: string, given: ContactInput): Promise<Contact> {
  const conversation = await db.query.conversations.findFirst({ where: eq(conversations.id, conversationId) });
  if (!conversation) throw notFound("Conversation");
  // An erased thread names nobody, and stays so: no one is attached to it again.
  if (conversation.erasedAt !== null) throw conflict("conversation_erased", "This conversation was erased with its contact's data; it cannot be given a contact again.");
  if (conversation.contactId) return updateContact(db, conversation.contactId, given);
  const input = await normalized(db, given);
  const person = identitiesOf(input);
  if (person.length === 0) {
    throw badRequest("invalid_input", "Give an email or a phone number to know this person by.", [{ path: "email", code: "missing_identity", message: "Give an email or a phone number." }]);
  }
  const party = conversation.party ? identityFromParty(conversation.party) : null;
  const contact = (await resolveContact(db, party ? [...person, party] : person, input))!;
  // The party may have pointed at someone else before: this conversation is with the person just named.
  await db.update(conversations).set({ contactId: contact.id }).where(eq(conversations.id, conversationId));
  return contact;
}

/**
 * The person behind an anonymous conversation types their email or phone (to a workflow's question):
 * a claim. The conversation joins the contact it names, created if new, and is shown not verified;
 * no contact is merged or changed. Null when the conversation already has a contact: a typed answer
 * is not enough to add anything to it.
 */
export async function claimPerson(db: Db, conversationId: string, person: Identity): Promise<Contact | null> {
  const conversation = await db.query.conversations.findFirst({ where: eq(conversations.id, conversationId) });
  if (!conversation) throw notFound("Conversation");
  if (conversation.contactId) return null;
  const party = conversation.party ? identityFromParty(conversation.party) : null;
  const contact = (await resolveContact(db, party ? [person, party] : [person], {}, "claim"))!;
  await db.update(conversations).set({ contactId: contact.id, identityVerified: false }).where(eq(conversations.id, conversationId));
  return contact;
}

/** Contact fields as stored: email lower-cased, phone in E.164, blanks as null. A phone that is not one is a 400 naming the field. */
async function normalized(db: Db, input: ContactInput): Promise<ContactInput> {
  const out: ContactInput = { ...input };
  for (const field of ["firstName", "lastName", "account"] as const) {
    if (input[field] !== undefined) out[field] = clean(input[field]);
  }
  if (input.email !== undefined) out.email = clean(input.email)?.toLowerCase() ?? null;
  if (input.phone !== undefined) out.phone = await phoneOf(db, input.phone);
  if (input.tags !== undefined) out.tags = unique(input.tags.map((tag) => clean(tag)));
  if (input.externalId !== undefined) out.externalId = clean(input.externalId);
  return out;
}

async function phoneOf(db: Db, typed: string | null): Promise<string | null> {
  const phone = clean(typed);
  if (!phone) return null;
  const e164 = toE164(phone, (await loadSettings(db)).defaultCountry);
  if (e164) return e164;
  throw badRequest("invalid_input", `phone: "${phone}" is not a valid phone number.`, [
    { path: "phone", code: "invalid_phone", message: "Not a valid phone number; include the country code, e.g. +44 20 7946 0958." },
  ]);
}

/** The person identities in a contact's own fields. */
function identitiesOf(input: ContactInput): Identity[] {
  const found: Identity[] = [];
  if (input.email) found.push(emailIdentity(input.email));
  if (input.phone) found.push(phoneIdentity(input.phone));
  if (input.externalId) found.push(externalIdentity(input.externalId));
  return found;
}

/** 409 when one of these identities is proven for a contact other than `self`; else who owns them. */
async function refuseTaken(db: Db, wanted: Identity[], self: string | null): Promise<Owners> {
  const owners = await ownersOf(db, wanted);
  for (const identity of wanted) {
    const owner = provenOwner(owners, identity);
    if (owner && owner.id !== self) {
      throw conflict("identity_in_use", `The ${identity.kind} ${identity.value} belongs to another contact (${owner.id}); merge the two instead.`);
    }
  }
  return owners;
}

/**
 * A write that lost a race: for an identity, the 409 `refuseTaken` would have given; against a delete
 * of the contact itself, a 404; any other error is itself.
 */
async function raceLost(error: unknown, db: Db, wanted: Identity[], self: string | null): Promise<unknown> {
  if (!isConstraintViolation(error)) return error;
  await refuseTaken(db, wanted, self);
  if (self && !(await getContactRow(db, self))) return notFound("Contact");
  return error;
}

async function insertContact(
  db: Db,
  profile: Profile,
  person: Identity[],
  extra: { tags?: string[]; customFields?: FieldChanges; marketingConsent?: boolean; proven?: boolean; owners?: Owners } = {},
): Promise<Contact> {
  const now = Date.now();
  const contact: Contact = {
    id: newId(now),
    firstName: clean(profile.firstName),
    lastName: clean(profile.lastName),
    account: clean(profile.account),
    ...identityFields(person),
    tags: extra.tags ?? [],
    customFields: withChanges({}, extra.customFields),
    marketingConsent: extra.marketingConsent ?? false,
    createdAt: now,
    updatedAt: now,
  };
  const proven = extra.proven ?? true;
  // Identities someone only claimed are taken afterwards (attachIdentities), not inserted twice.
  const unowned = person.filter((i) => !extra.owners?.has(key(i)));
  // One transaction: if another delivery took one of these identities first, nothing is created.
  await db.batch([db.insert(contacts).values(contact), ...unowned.map((i) => db.insert(identities).values({ ...i, contactId: contact.id, proven, createdAt: now }))]);
  return contact;
}

/** The contact's own email and phone fields, from the identities it is created with. */
function identityFields(person: Identity[]): Pick<Contact, "email" | "phone"> {
  return {
    email: person.find((i) => i.kind === "email")?.value ?? null,
    phone: person.find((i) => i.kind === "phone")?.value ?? null,
  };
}

/** Fills what the contact does not know yet; never overwrites what an agent or the person gave. */
async function fillBlanks(db: Db, contact: Contact, profile: Profile, person: Identity[]): Promise<Contact> {
  const given = identityFields(person);
  const next = {
    firstName: contact.firstName ?? clean(profile.firstName),
    lastName: contact.lastName ?? clean(profile.lastName),
    account: contact.account ?? clean(profile.account),
    email: contact.email ?? given.email,
    phone: contact.phone ?? given.phone,
  };
  const changed = (Object.keys(next) as (keyof typeof next)[]).some((k) => next[k] !== contact[k]);
  if (!changed) return contact;
  const updatedAt = Date.now();
  await db
    .update(contacts)
    .set({ ...next, updatedAt })
    .where(eq(contacts.id, contact.id));
  return { ...contact, ...next, updatedAt };
}

/**
 * Gives the contact every identity it does not own yet (or owns only as a claim, for a proof), and
 * says which those were. A browser or Messenger id that pointed at someone else now points here: the
 * person who just identified is the one using it. An identity a proof takes from a contact that only
 * claimed it leaves that contact's fields too.
 */
async function attachIdentities(db: Db, contactId: string, sender: Identity[], owners: Owners, evidence: Evidence): Promise<Identity[]> {
  const now = Date.now();
  const proven = evidence === "proof";
  const attached: Identity[] = [];
  for (const identity of sender) {
    const owner = owners.get(key(identity));
    if (owner?.contact.id === contactId && (owner.proven || !proven)) continue;
    attached.push(identity);
    if (!owner) {
      await db
        .insert(identities)
        .values({ ...identity, contactId, proven, createdAt: now })
        .onConflictDoNothing();
      continue;
    }
    const row = and(eq(identities.kind, identity.kind), eq(identities.value, identity.value));
    await db.update(identities).set({ contactId, proven }).where(row);
    const field = identity.kind === "email" || identity.kind === "phone" ? identity.kind : null;
    if (field && owner.contact.id !== contactId && owner.contact[field] === identity.value) {
      await db
        .update(contacts)
        .set({ [field]: null, updatedAt: now })
        .where(eq(contacts.id, owner.contact.id));
    }
  }
  return attached;
}

/**
 * Conversations held with a browser or Messenger id before it pointed at anyone join the contact it
 * now points at; joined by a claim, they are shown as not verified.
 */
async function adoptAnonymousConversations(db: Db, contactId: string, newlyAttached: Identity[], evidence: Evidence) {
  const parties = newlyAttached.filter((i) => !namesAPerson(i)).map(partyOf);
  if (parties.length === 0) return;
  await db
    .update(conversations)
    .set(evidence === "claim" ? { contactId, identityVerified: false } : { contactId })
    .where(and(isNull(conversations.contactId), inArray(conversations.party, parties)));
}

type Owners = Map<string, { contact: Contact; proven: boolean }>;

/** The contact each of these identities belongs to, and whether it was proven, read in one query. */
async function ownersOf(db: Db, wanted: Identity[]): Promise<Owners> {
  if (wanted.length === 0) return new Map();
  const rows = await db
    .select({ kind: identities.kind, value: identities.value, proven: identities.proven, contact: contacts })
    .from(identities)
    .innerJoin(contacts, eq(contacts.id, identities.contactId))
    .where(or(...wanted.map((i) => and(eq(identities.kind, i.kind), eq(identities.value, i.value)))));
  return new Map(rows.map((r) => [key(r), { contact: r.contact, proven: r.proven }]));
}

function claimedBy(owners: Owners, identity: Identity, contactId: string | undefined): Contact | undefined {
  const owner = owners.get(key(identity));
  return owner && owner.contact.id === contactId ? owner.contact : undefined;
}

function provenOwner(owners: Owners, identity: Identity): Contact | undefined {
  const owner = owners.get(key(identity));
  return owner?.proven ? owner.contact : undefined;
}

/** Distinct contacts, the oldest first: the one a merge keeps. */
function oldestFirst(found: (Contact | undefined)[]): Contact[] {
  const byId = new Map(found.filter((c): c is Contact => c !== undefined).map((c) => [c.id, c]));
  return [...byId.values()].sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function clean(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function unique<T>(values: (T | undefined | null)[]): T[] {
  return [...new Set(values.filter((v): v is T => v !== undefined && v !== null))];
}

/** A unique key or foreign key refused the write: someone else's write got there first. */
function isConstraintViolation(error: unknown): boolean {
  return /constraint failed/i.test(String((error as { cause?: unknown })?.cause ?? error));
}

/** The contact as the API shows it. */
export function contactView(contact: Contact) {
  const name = [contact.firstName, contact.lastName].filter(Boolean).join(" ") || null;
  return { ...contact, name };
}
