import { z } from "zod";
import { database, type Db } from "../db/client";
import {
  contactView,
  createContact,
  getContactRow,
  identitiesOfContact,
  mergeContacts,
  contactsChangedSince,
  listsInUse,
  listsOf,
  MAX_CUSTOM_FIELDS,
  optIn,
  optOut,
  searchContacts,
  updateContact,
  upsertContact,
} from "../domain/contacts";
import { listConversations, loadConversationView, SYSTEM_VIEWER } from "../domain/conversations";
import { audit } from "../domain/audit";
import { conversationIdsOf, deleteWithRestore, RESTORE_DAYS } from "../domain/privacy";
import { loadSettings } from "../domain/settings";
import type { Env } from "../env";
import { notFound } from "../errors";
import { publishEvent } from "../domain/subscriptions";
import { ApiRouter } from "../http/router";
import { parseInput } from "../http/validation";
import { conversationChanged } from "../realtime/events";
import { ContactSchema, ConversationSchema } from "../wire";
import { Cursor, Email, encodeCursor, Limit, Ok } from "./schemas";

export const contactRoutes = new ApiRouter("/api");

const Text = z.string().trim().max(200);
export const ContactFields = z.object({
  firstName: Text.nullable(),
  lastName: Text.nullable(),
  email: Email.nullable(),
  phone: z.string().trim().max(40).nullable().meta({ description: "Any common format; stored in E.164" }),
  account: Text.nullable(),
  tags: z.array(z.string().trim().min(1).max(50)).max(50),
  customFields: z
    .record(z.string().regex(/^[\w-]{1,40}$/, "A field's name is 1 to 40 letters, digits, _ or -."), z.union([z.string().max(1_000), z.number().finite(), z.boolean(), z.null()]))
    .refine((fields) => Object.keys(fields).length <= MAX_CUSTOM_FIELDS, `At most ${MAX_CUSTOM_FIELDS} custom fields.`)
    .meta({ description: "Fields to set; a field set to null is removed" }),
  marketingConsent: z.boolean(),
});

const ListName = z
  .string()
  .trim()
  .regex(/^[\w -]{1,60}$/, "A list's name is 1 to 60 letters, digits, spaces, _ or -.");
const ContactWithIdentities = ContactSchema.extend({
  identities: z.array(z.object({ kind: z.string(), value: z.string(), proven: z.boolean() })),
  lists: z.array(z.object({ list: z.string(), channel: z.enum(["email", "sms"]), consentedAt: z.number(), source: z.string() })),
});

/** The contact with every identity known for them and the lists they opted in to. */
async function wholeContact(db: Db, id: string) {
  const contact = await getContactRow(db, id);
  if (!contact) throw notFound("Contact");
  const [known, lists] = await Promise.all([identitiesOfContact(db, contact.id), listsOf(db, contact.id)]);
  return { ...contactView(contact), identities: known, lists };
}

contactRoutes.get(
  "/contacts",
  {
    summary: "List or search contacts (q: first name, last name, email, or a phone in any format); with updatedSince (ms), the contacts changed since then, oldest change first, for a CRM's sync",
    access: "agent",
    query: z.object({ q: z.string().trim().max(200).optional(), updatedSince: z.coerce.number().int().min(0).optional(), cursor: Cursor.optional(), limit: Limit }),
    response: z.object({ items: z.array(ContactSchema), nextCursor: z.string().nullable() }),
  },
  async (c, { query }) => {
    const db = database(c.env.DB);
    if (query.updatedSince !== undefined) {
      const changed = await contactsChangedSince(db, query.updatedSince, { cursor: query.cursor, limit: query.limit });
      return c.json({ items: changed.items.map(contactView), nextCursor: encodeCursor(changed.next) });
    }
    const { defaultCountry } = await loadSettings(db);
    const page = await searchContacts(db, { q: query.q || undefined, cursor: query.cursor, limit: query.limit, defaultCountry });
    return c.json({ items: page.items.map(contactView), nextCursor: encodeCursor(page.next) });
  },
);

contactRoutes.post(
  "/contacts",
  {
    summary: "Add a contact",
    access: "agent",
    body: ContactFields.partial().strict(),
    response: ContactSchema,
    status: 201,
  },
  async (c, { body }) => {
    const contact = contactView(await createContact(database(c.env.DB), body));
    await publishEvent(c.env, "contact.created", { contact }, contact.id);
    return c.json(contact, 201);
  },
);

contactRoutes.post(
  "/contacts/upsert",
  {
    summary:
      "A CRM's sync in one call: the contact known by the email, phone or external id named in `match` is changed to what is given (201 and a new contact when none is). An email or phone proven for another contact is 409",
    access: "agent",
    body: ContactFields.partial()
      .extend({ match: z.enum(["email", "phone", "externalId"]), externalId: z.string().trim().min(1).max(200).nullable().optional() })
      .strict(),
    response: ContactSchema,
  },
  async (c, { body }) => {
    const { match, ...fields } = body;
    const { contact, created } = await upsertContact(database(c.env.DB), match, fields);
    const view = contactView(contact);
    await publishEvent(c.env, created ? "contact.created" : "contact.updated", { contact: view }, created ? contact.id : undefined);
    return c.json(view, created ? 201 : 200);
  },
);

contactRoutes.get(
  "/contacts/:id",
  {
    summary: "A contact, with every identity known for them (`proven: false` marks one only claimed: a pre-chat form, an unsigned identify) and the marketing lists they opted in to",
    access: "agent",
    response: ContactWithIdentities,
  },
  async (c, { params }) => c.json(await wholeContact(database(c.env.DB), params.id!)),
);

contactRoutes.put(
  "/contacts/:id/lists/:list",
  {
    summary: "Record the contact's explicit opt-in to a marketing list on a channel, with how consent was given; 409 no_email_address / no_phone_number without an address there",
    access: "agent",
    body: z.object({ channel: z.enum(["email", "sms"]), source: z.string().trim().min(1, "Say how consent was given.").max(200) }),
    response: ContactWithIdentities,
  },
  async (c, { body, params }) => {
    const db = database(c.env.DB);
    await optIn(db, params.id!, parseInput(ListName, params.list, "list"), body.channel, body.source);
    const contact = await wholeContact(db, params.id!);
    await publishEvent(c.env, "contact.updated", { contact });
    return c.json(contact);
  },
);

contactRoutes.delete(
  "/contacts/:id/lists/:list",
  {
    summary: "Take the contact off a marketing list (they opted out)",
    access: "agent",
    response: ContactWithIdentities,
  },
  async (c, { params }) => {
    const db = database(c.env.DB);
    await optOut(db, params.id!, parseInput(ListName, params.list, "list"));
    const contact = await wholeContact(db, params.id!);
    await publishEvent(c.env, "contact.updated", { contact });
    return c.json(contact);
  },
);

contactRoutes.get(
  "/lists",
  {
    summary: "Every marketing list in use, by channel, with how many contacts opted in",
    access: "agent",
    response: z.object({ items: z.array(z.object({ list: z.string(), channel: z.enum(["email", "sms"]), members: z.number() })) }),
  },
  async (c) => c.json({ items: await listsInUse(database(c.env.DB)) }),
);

contactRoutes.patch(
  "/contacts/:id",
  {
    summary: "Change a contact; an email or phone that belongs to another contact is 409 (merge instead)",
    access: "agent",
    body: ContactFields.partial().strict(),
    response: ContactSchema,
  },
  async (c, { body, params }) => {
    const db = database(c.env.DB);
    const updated = contactView(await updateContact(db, params.id!, body));
    await announce(c.env, await conversationIdsOf(db, updated.id));
    await publishEvent(c.env, "contact.updated", { contact: updated });
    return c.json(updated);
  },
);

contactRoutes.delete(
  "/contacts/:id",
  {
    summary: `Delete a contact; their conversations stay, without a contact. It can be restored, with its identities, lists and conversations, for ${RESTORE_DAYS} days (POST /api/deleted-contacts/:id/restore); to remove a person's data for good, erase them instead`,
    access: "agent",
    response: Ok,
  },
  async (c, { params }) => {
    const held = await deleteWithRestore(database(c.env.DB), params.id!, c.var.user);
    await announce(c.env, held);
    return c.json({ ok: true });
  },
);

/** Each conversation's room (and every agent) takes the contact as it now is, or its absence. */
export async function announce(env: Env, conversationIds: string[]): Promise<void> {
  const db = database(env.DB);
  await conversationChanged(env, ...(await Promise.all(conversationIds.map((id) => loadConversationView(db, id, SYSTEM_VIEWER)))));
}

const MERGE_ANNOUNCED = 50;

contactRoutes.post(
  "/contacts/:id/merge",
  {
    summary: "Merge another contact into this one: its conversations and identities move here",
    access: "agent",
    body: z.object({ from: z.string().min(1).max(64) }),
    response: ContactSchema,
  },
  async (c, { body, params }) => {
    const db = database(c.env.DB);
    const merged = await mergeContacts(db, params.id!, body.from, { reason: "merged by agent", mergedBy: c.var.user.id });
    await audit(db, c.var.user, "contact.merged", merged.id, { from: body.from });
    // The moved conversations are now with the contact kept (the most recent ones: a resync shows the rest).
    const moved = await listConversations(db, { status: "all", contactId: merged.id, limit: MERGE_ANNOUNCED });
    await conversationChanged(c.env, ...moved.items);
    await publishEvent(c.env, "contact.merged", { contact: contactView(merged), mergedFrom: body.from }, `${merged.id}:${body.from}`);
    return c.json(contactView(merged));
  },
);

contactRoutes.get(
  "/contacts/:id/conversations",
  {
    summary: "Every conversation of a contact, on every channel, newest activity first",
    access: "agent",
    query: z.object({ cursor: Cursor.optional(), limit: Limit }),
    response: z.object({ items: z.array(ConversationSchema), nextCursor: z.string().nullable() }),
  },
  async (c, { params, query }) => {
    const db = database(c.env.DB);
    if (!(await getContactRow(db, params.id!))) throw notFound("Contact");
    const page = await listConversations(db, { status: "all", contactId: params.id, cursor: query.cursor, limit: query.limit, viewer: c.var.user });
    return c.json({ items: page.items, nextCursor: encodeCursor(page.next) });
  },
);
