import { z } from "zod";
import { database } from "../db/client";
import { channelIsAdminsOnly, listConversations, loadConversationView, requireConversation, type ConversationAction } from "../domain/conversations";
import { actAndTell, announceState, assignAndTell, nextOnline } from "../domain/routing";
import { attachPerson, contactView } from "../domain/contacts";
import { listMessages, MAX_MESSAGE_LENGTH, messageView, withPending } from "../domain/messages";
import { addNote, replyOptions, sendReply } from "../domain/replies";
import { loadSettings } from "../domain/settings";
import { publishEvent } from "../domain/subscriptions";
import { requireActiveUser } from "../domain/users";
import { conflict, forbidden, notFound } from "../errors";
import { ApiRouter } from "../http/router";
import { conversationRoom } from "../realtime/notify";
import { ChannelSchema, ConversationSchema, MessageSchema, ReplyOptionsSchema } from "../wire";
import { ContactFields } from "./contacts";
import { Cursor, encodeCursor, Id, Limit, QueryBool } from "./schemas";

export const conversationRoutes = new ApiRouter("/api");

conversationRoutes.get(
  "/conversations",
  {
    summary: "The inbox: newest activity first; q matches the contact's first name, last name, email or phone in any format",
    access: "agent",
    query: z.object({
      status: z.enum(["open", "complete", "all"]).default("open"),
      q: z.string().trim().max(200).optional(),
      channel: ChannelSchema.optional(),
      unread: QueryBool.optional(),
      assignee: z
        .union([z.enum(["me", "none"]), Id])
        .optional()
        .meta({ description: "me, none (unassigned), or a user id" }),
      cursor: Cursor.optional(),
      limit: Limit,
    }),
    response: z.object({ items: z.array(ConversationSchema), nextCursor: z.string().nullable() }),
  },
  async (c, { query }) => {
    const db = database(c.env.DB);
    if (query.channel && channelIsAdminsOnly(query.channel) && c.var.user.role !== "admin") throw forbidden("SMS conversations are for admins only.");
    const search = query.q ? { q: query.q, defaultCountry: (await loadSettings(db)).defaultCountry } : undefined;
    const assignee = query.assignee === "me" ? c.var.user.id : query.assignee === "none" ? null : query.assignee;
    const page = await listConversations(db, { ...query, search, viewer: c.var.user, assignee });
    return c.json({ items: page.items, nextCursor: encodeCursor(page.next) });
  },
);

conversationRoutes.get("/conversations/:id", { summary: "One conversation", access: "agent", response: ConversationSchema }, async (c, { params }) =>
  c.json(await loadConversationView(database(c.env.DB), params.id!, c.var.user)),
);

conversationRoutes.get(
  "/conversations/:id/messages",
  {
    summary: "A page of the thread, oldest first; `cursor` (from `olderCursor`) gives the page before it. The newest page includes what the conversation's room has acked and D1 has not written yet",
    access: "agent",
    query: z.object({ cursor: Cursor.optional(), limit: Limit.pipe(z.number().max(100)).default(50) }),
    response: z.object({ items: z.array(MessageSchema), olderCursor: z.string().nullable() }),
  },
  async (c, { params, query }) => {
    const db = database(c.env.DB);
    await requireConversation(db, params.id!, c.var.user);
    const [page, pending] = await Promise.all([listMessages(db, params.id!, { before: query.cursor, limit: query.limit }), query.cursor ? [] : conversationRoom(c.env, params.id!).pending()]);
    const thread = withPending(page.items, pending);
    const items = thread.slice(-query.limit);
    const first = items[0];
    const older = (page.older || thread.length > items.length) && first ? { at: first.createdAt, id: first.id } : null;
    return c.json({ items: items.map(messageView), olderCursor: encodeCursor(older) });
  },
);

conversationRoutes.post(
  "/conversations/:id/messages",
  {
    summary:
      "Reply. Without `channel`: chat while the visitor is online, else the provider channel the person last wrote on (Messenger, SMS), else email when an address is known; 409 with a reason code when the channel cannot reach the person (outside_messaging_window, sms_opted_out, ...); SMS: 402 insufficient_credits, 400 sms_too_long, 403 for agents",
    access: "agent",
    body: z.object({
      channel: ChannelSchema.optional(),
      body: z.string().trim().min(1, "Write a message.").max(MAX_MESSAGE_LENGTH, `Keep messages under ${MAX_MESSAGE_LENGTH} characters.`),
    }),
    response: MessageSchema,
    status: 201,
  },
  async (c, { body, params }) => {
    return c.json(await sendReply(c.env, { conversationId: params.id!, channel: body.channel, body: body.body, agent: c.var.user, origin: new URL(c.req.url).origin }), 201);
  },
);

conversationRoutes.post(
  "/conversations/:id/notes",
  {
    summary: 'An internal note: a message with kind "note", shown to agents only, never to the person and never sent on any channel; the conversation\'s activity and unread state stay as they were',
    access: "agent",
    body: z.object({ body: z.string().trim().min(1, "Write the note.").max(MAX_MESSAGE_LENGTH) }),
    response: MessageSchema,
    status: 201,
  },
  async (c, { body, params }) => c.json(await addNote(c.env, { conversationId: params.id!, body: body.body, agent: c.var.user }), 201),
);

conversationRoutes.get(
  "/conversations/:id/reply-options",
  {
    summary:
      "How a reply can go now: each channel that concerns the conversation, with why it cannot reach the person (a reason code and sentence) and when a provider's reply window closes; `default` is where a reply without a channel goes",
    access: "agent",
    response: ReplyOptionsSchema,
  },
  async (c, { params }) => c.json(await replyOptions(c.env, { conversationId: params.id!, agent: c.var.user, origin: new URL(c.req.url).origin })),
);

const NamedPerson = ContactFields.pick({ email: true, phone: true, firstName: true, lastName: true })
  .partial()
  .strict()
  .refine((person) => person.email || person.phone, { path: ["email"], message: "Give an email or a phone number." })
  // The refinement, as the OpenAPI document says it.
  .meta({ anyOf: [{ required: ["email"] }, { required: ["phone"] }] });

conversationRoutes.put(
  "/conversations/:id/contact",
  {
    summary:
      "Say who the person behind a conversation is. With a contact already, what is given is added to that contact (409 when it belongs to another: merge instead). For an anonymous visitor or a Messenger sender, the conversation (and the sender's other anonymous ones) join the contact with that email or phone, created or merged by the identity rules. 400 without an email or phone",
    access: "agent",
    body: NamedPerson,
    response: ConversationSchema,
  },
  async (c, { body, params }) => {
    await requireConversation(database(c.env.DB), params.id!, c.var.user);
    const started = Date.now();
    const contact = await attachPerson(database(c.env.DB), params.id!, body);
    const made = contact.createdAt >= started;
    await publishEvent(c.env, made ? "contact.created" : "contact.updated", { contact: contactView(contact) }, made ? contact.id : undefined);
    return c.json(await announceState(c.env, params.id!));
  },
);

conversationRoutes.put(
  "/conversations/:id/assignee",
  {
    summary:
      "Assign the conversation to a teammate (an active user), or to nobody with null; every agent sees the change live. 400 invalid_assignee for an unknown or disabled user, or an agent for an SMS conversation",
    access: "agent",
    body: z.object({ userId: Id.nullable() }),
    response: ConversationSchema,
  },
  async (c, { body, params }) => {
    const db = database(c.env.DB);
    const assignee = body.userId === null ? null : await requireActiveUser(db, body.userId, "userId");
    return c.json(await assignAndTell(c.env, params.id!, assignee, { viewer: c.var.user, by: c.var.user.id }));
  },
);

conversationRoutes.post(
  "/conversations/:id/assign-next",
  {
    summary:
      "Round-robin: assign to the teammate online now (with the live inbox open, and able to see the conversation) who has the fewest open conversations, of those the one assigned to longest ago. 409 no_agent_online when nobody is",
    access: "agent",
    response: ConversationSchema,
  },
  async (c, { params }) => {
    const conversation = await requireConversation(database(c.env.DB), params.id!, c.var.user);
    const next = await nextOnline(c.env, conversation);
    if (!next) throw conflict("no_agent_online", "No teammate who can take it has the inbox open now.");
    return c.json(await assignAndTell(c.env, params.id!, next, { viewer: c.var.user, by: c.var.user.id }));
  },
);

const actions: Record<ConversationAction, string> = {
  read: "Mark read for every agent",
  complete: "Mark complete for every agent; a new message reopens it",
  reopen: "Reopen",
};

for (const [action, summary] of Object.entries(actions) as [ConversationAction, string][]) {
  conversationRoutes.post(`/conversations/:id/${action}`, { summary, access: "agent", response: ConversationSchema }, async (c, { params }) => {
    await requireConversation(database(c.env.DB), params.id!, c.var.user);
    const conversation = await actAndTell(c.env, params.id!, action, c.var.user.id);
    if (!conversation) throw notFound("Conversation");
    return c.json(conversation);
  });
}
