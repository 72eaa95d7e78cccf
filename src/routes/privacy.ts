// Privacy: a contact's export and erasure (admins), restoring a deleted contact, and the audit log.
import { z } from "zod";
import { database } from "../db/client";
import { AUDITED, auditPage } from "../domain/audit";
import { contactView } from "../domain/contacts";
import { deletedContactsList, eraseContact, exportContact, restoreContact, RESTORE_DAYS } from "../domain/privacy";
import { ApiRouter } from "../http/router";
import { ContactSchema, ConversationSchema, MessageSchema } from "../wire";
import { announce } from "./contacts";
import { Cursor, encodeCursor, Limit } from "./schemas";

export const privacyRoutes = new ApiRouter("/api");

const Export = z.object({
  exportedAt: z.number(),
  contact: ContactSchema,
  identities: z.array(z.object({ kind: z.string(), value: z.string(), proven: z.boolean(), createdAt: z.number() })),
  lists: z.array(z.object({ list: z.string(), channel: z.string(), consentedAt: z.number(), source: z.string() })),
  merged: z.array(z.object({ contactId: z.string(), was: z.unknown(), reason: z.string(), mergedAt: z.number() })),
  conversations: z.array(ConversationSchema.omit({ contact: true }).extend({ messages: z.array(MessageSchema) })),
  attachments: z.array(z.object({ id: z.string(), messageId: z.string(), filename: z.string(), contentType: z.string(), size: z.number(), createdAt: z.number() })),
});

privacyRoutes.get(
  "/contacts/:id/export",
  {
    summary:
      "Everything Parley holds about the contact, as JSON: profile, identities, lists, merges, every conversation with every message (notes too), and the list of files. Recorded in the audit log",
    access: "admin",
    response: Export,
  },
  async (c, { params }) => {
    const data = await exportContact(c.env, params.id!, c.var.user);
    c.header("content-disposition", `attachment; filename="contact-${params.id}.json"`);
    return c.json(data);
  },
);

privacyRoutes.post(
  "/contacts/:id/erase",
  {
    summary: `Erase the contact (the right to erasure), live or deleted in the last ${RESTORE_DAYS} days: profile, identities, lists, merge records, and the words and files of every message in their conversations are removed, with the payloads of webhook deliveries about them; the threads stay as stubs that name nobody. 404 for the contact afterwards. Recorded in the audit log`,
    access: "admin",
    response: z.object({ conversations: z.number(), messages: z.number(), attachments: z.number() }),
  },
  async (c, { params }) => c.json(await eraseContact(c.env, params.id!, c.var.user)),
);

privacyRoutes.get(
  "/deleted-contacts",
  {
    summary: `Contacts deleted in the last ${RESTORE_DAYS} days, newest first: each can be restored until \`restorableUntil\``,
    access: "agent",
    response: z.object({ items: z.array(z.object({ contact: ContactSchema, deletedAt: z.number(), deletedBy: z.string(), restorableUntil: z.number() })) }),
  },
  async (c) => c.json({ items: await deletedContactsList(database(c.env.DB)) }),
);

privacyRoutes.post(
  "/deleted-contacts/:id/restore",
  {
    summary:
      "Restore a deleted contact with its identities, lists and conversations. An identity another contact proved meanwhile merges that contact in; one only someone else's is listed in `keptElsewhere`. 404 past the 30 days",
    access: "agent",
    response: z.object({ contact: ContactSchema, conversations: z.number(), keptElsewhere: z.array(z.object({ kind: z.string(), value: z.string() })) }),
  },
  async (c, { params }) => {
    const restored = await restoreContact(database(c.env.DB), params.id!, c.var.user);
    await announce(c.env, restored.conversationIds);
    return c.json({ contact: contactView(restored.contact), conversations: restored.conversationIds.length, keptElsewhere: restored.keptElsewhere });
  },
);

privacyRoutes.get(
  "/audit",
  {
    summary: `The audit log, newest first: ${AUDITED.join(", ")}; who, when, and what was acted on (by id)`,
    access: "admin",
    query: z.object({ cursor: Cursor.optional(), limit: Limit }),
    response: z.object({
      items: z.array(
        z.object({
          id: z.string(),
          at: z.number(),
          actorId: z.string().nullable(),
          actorName: z.string().nullable(),
          action: z.string(),
          subject: z.string().nullable(),
          details: z.record(z.string(), z.unknown()),
        }),
      ),
      nextCursor: z.string().nullable(),
    }),
  },
  async (c, { query }) => {
    const page = await auditPage(database(c.env.DB), { cursor: query.cursor, limit: query.limit });
    return c.json({ items: page.items, nextCursor: encodeCursor(page.next) });
  },
);
