// The shapes of contacts, conversations and messages as the API and the live sockets send them,
// each written once. The routes document them, the domain's views return them, and the agent UI
// and the widget import their types (`import type` only). Nothing but zod is imported here, so
// nothing else comes along into whatever reads this module.
import { z } from "zod";

export const CHANNELS = ["chat", "email", "messenger", "sms"] as const;
export const MESSAGE_STATUSES = ["queued", "sent", "delivered", "failed"] as const;
/** A note is written by agents for agents: never shown to the person, never sent. */
export const MESSAGE_KINDS = ["message", "note"] as const;
/** Who wrote a message: the person, a teammate, a workflow, or Parley itself. */
export const AUTHOR_TYPES = ["contact", "agent", "bot", "system"] as const;

export const ChannelSchema = z.enum(CHANNELS);
export type Channel = z.infer<typeof ChannelSchema>;

export const ContactSchema = z.object({
  id: z.string(),
  firstName: z.string().nullable(),
  lastName: z.string().nullable(),
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  account: z.string().nullable(),
  tags: z.array(z.string()),
  /** The business's own fields: names to plain values. */
  customFields: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])),
  marketingConsent: z.boolean(),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type ContactView = z.infer<typeof ContactSchema>;

export const ConversationSchema = z.object({
  id: z.string(),
  status: z.enum(["open", "complete"]),
  unread: z.boolean(),
  unreadCount: z.number(),
  channels: z.array(ChannelSchema),
  subject: z.string().nullable(),
  lastMessageAt: z.number(),
  preview: z.string(),
  visitorOnline: z.boolean(),
  identityVerified: z.boolean().nullable(),
  /** What the channel calls the person until a contact exists (a Messenger profile's name), or null. */
  partyName: z.string().nullable(),
  /** An SMS conversation: only admins see it. */
  adminsOnly: z.boolean(),
  /** The user the conversation is assigned to, or null. */
  assignee: z.string().nullable(),
  /** The person's data was erased: the thread is a stub, its messages without bodies. */
  erased: z.boolean(),
  createdAt: z.number(),
  contact: ContactSchema.nullable(),
});
export type ConversationView = z.infer<typeof ConversationSchema>;

/** A message as agents (and the API) see it. */
export const MessageSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  direction: z.enum(["in", "out"]),
  channel: ChannelSchema,
  kind: z.enum(MESSAGE_KINDS),
  body: z.string(),
  author: z.object({ type: z.enum(AUTHOR_TYPES), id: z.string().nullable(), name: z.string().nullable() }),
  createdAt: z.number(),
  externalId: z.string().nullable(),
  status: z.enum(MESSAGE_STATUSES).nullable(),
  statusReason: z.string().nullable(),
  /** Channel-specific and free-form: attachments, an email's quoted text, notes. */
  meta: z.record(z.string(), z.unknown()),
});
export type MessageView = z.infer<typeof MessageSchema>;

/** A message as the widget shows it: who wrote it and what, nothing internal. */
export const VisitorMessageSchema = z.object({
  id: z.string(),
  clientId: z.string().nullable(),
  from: z.enum(["visitor", "agent"]),
  name: z.string().nullable(),
  body: z.string(),
  createdAt: z.number(),
});
export type VisitorMessageView = z.infer<typeof VisitorMessageSchema>;

/**
 * How a reply can go now, channel by channel, as the composer offers it: `reason` (a code, with a
 * sentence in `message`) says why a channel cannot be used; `closesAt` is when a provider's window
 * for replies ends (Messenger). `default` is where a reply without a channel goes.
 */
export const ReplyOptionsSchema = z.object({
  default: ChannelSchema.nullable(),
  channels: z.array(
    z.object({
      channel: ChannelSchema,
      reason: z.string().nullable(),
      message: z.string().nullable(),
      closesAt: z.number().nullable(),
    }),
  ),
  /** SMS credits left, when SMS is offered. */
  smsCredits: z.number().nullable(),
  /** Whether the assistant drafts replies (Settings): the composer offers "Draft reply". */
  drafts: z.boolean(),
});
export type ReplyOptions = z.infer<typeof ReplyOptionsSchema>;

/** A workflow's run through a conversation, as agents see it on the conversation. */
export const RunSchema = z.object({
  id: z.string(),
  workflowId: z.string(),
  workflowName: z.string(),
  version: z.number(),
  status: z.enum(["running", "asking", "waiting", "done", "stopped"]),
  /** The step the run is at (the question asked, the wait), null once past the last. */
  step: z.string().nullable(),
  /** When the question asked times out, or the wait ends. */
  until: z.number().nullable(),
  /** What the run did, oldest first: sent, asked, answered, skipped, saved, assigned, stopped. */
  /** Each line in English (`text`), and as a `code` with its `vars` for a UI to say in its own language. */
  log: z.array(
    z.object({
      at: z.number(),
      stepId: z.string().nullable(),
      text: z.string(),
      code: z.string().optional(),
      vars: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
    }),
  ),
  startedAt: z.number(),
  endedAt: z.number().nullable(),
});
export type RunView = z.infer<typeof RunSchema>;
