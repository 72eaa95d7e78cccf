// The tables of Parley. Migrations in migrations/ are generated from this file by drizzle-kit.
// Times are epoch milliseconds; ids are time-ordered strings (see src/domain/ids.ts).
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { LANGUAGES } from "../domain/languages";
import { AUTHOR_TYPES, CHANNELS, MESSAGE_KINDS, MESSAGE_STATUSES, type MessageView } from "../wire";

export const ROLES = ["admin", "agent"] as const;
export type Role = (typeof ROLES)[number];

export type Channel = (typeof CHANNELS)[number];

export const IDENTITY_KINDS = ["email", "phone", "external", "visitor", "messenger"] as const;
export type IdentityKind = (typeof IDENTITY_KINDS)[number];

export type CustomFields = Record<string, string | number | boolean>;

export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

export const users = sqliteTable("users", {
  id: text("id").primaryKey(),
  email: text("email").notNull().unique(),
  name: text("name").notNull(),
  role: text("role", { enum: ROLES }).notNull(),
  passwordHash: text("password_hash").notNull(),
  disabled: integer("disabled", { mode: "boolean" }).notNull().default(false),
  /** The language the agent chose for the UI; null follows their browser. */
  locale: text("locale", { enum: LANGUAGES }),
  createdAt: integer("created_at").notNull(),
});

// Session and token secrets are never stored; only their SHA-256 is.
export const sessions = sqliteTable(
  "sessions",
  {
    tokenHash: text("token_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id),
    expiresAt: integer("expires_at").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("sessions_user").on(t.userId)],
);

export const apiTokens = sqliteTable("api_tokens", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  tokenHash: text("token_hash").notNull().unique(),
  userId: text("user_id")
    .notNull()
    .references(() => users.id),
  lastUsedAt: integer("last_used_at"),
  createdAt: integer("created_at").notNull(),
});

export const contacts = sqliteTable(
  "contacts",
  {
    id: text("id").primaryKey(),
    firstName: text("first_name"),
    lastName: text("last_name"),
    email: text("email"),
    phone: text("phone"),
    account: text("account"),
    tags: text("tags", { mode: "json" }).$type<string[]>().notNull().default(sql`'[]'`),
    // The business's own fields (plan, seats, renewal date...): names to plain values.
    customFields: text("custom_fields", { mode: "json" }).$type<CustomFields>().notNull().default(sql`'{}'`),
    marketingConsent: integer("marketing_consent", { mode: "boolean" }).notNull().default(false),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  // Emails and phones are searched among identities (every one a person is known by), not here.
  (t) => [
    index("contacts_first_name").on(sql`${t.firstName} COLLATE NOCASE`),
    index("contacts_last_name").on(sql`${t.lastName} COLLATE NOCASE`),
    index("contacts_created").on(t.createdAt, t.id),
    index("contacts_updated").on(t.updatedAt, t.id),
  ],
);

// Every way we know a person: an email, a phone, a CRM id, a widget visitor, a Messenger id.
// An identity belongs to at most one contact.
export const identities = sqliteTable(
  "identities",
  {
    kind: text("kind", { enum: IDENTITY_KINDS }).notNull(),
    value: text("value").notNull(),
    contactId: text("contact_id")
      .notNull()
      .references(() => contacts.id),
    // How it was learned: proven (mail from it, a signed identify, an agent) or only claimed (a
    // pre-chat form, an unsigned identify). A claim never counts against a proof: see domain/contacts.ts.
    proven: integer("proven", { mode: "boolean" }).notNull().default(true),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.kind, t.value] }), index("identities_contact").on(t.contactId)],
);

export const conversations = sqliteTable(
  "conversations",
  {
    id: text("id").primaryKey(),
    contactId: text("contact_id").references(() => contacts.id),
    // Who the conversation is with before a contact is known: "visitor:<id>" or "messenger:<psid>".
    party: text("party"),
    // What the channel calls the party until a contact exists: a Messenger profile's name.
    partyName: text("party_name"),
    // The language the person wrote from (the widget's), for what Parley sends them on the business's behalf.
    locale: text("locale", { enum: LANGUAGES }),
    status: text("status", { enum: ["open", "complete"] })
      .notNull()
      .default("open"),
    unread: integer("unread", { mode: "boolean" }).notNull().default(false),
    unreadCount: integer("unread_count").notNull().default(0),
    assigneeId: text("assignee_id").references(() => users.id),
    // When it was last assigned: round-robin gives the next one to whoever waited longest.
    assignedAt: integer("assigned_at"),
    channels: text("channels", { mode: "json" }).$type<Channel[]>().notNull().default(sql`'[]'`),
    subject: text("subject"),
    preview: text("preview").notNull().default(""),
    // "<owner>|<channel>" on a thread opened as the sender's latest on a channel: two messages from a
    // new sender arriving together open one thread, not two.
    threadKey: text("thread_key").unique(),
    // Secret part of the reply+<token>@ address that threads email replies back here.
    replyToken: text("reply_token").notNull().unique(),
    identityVerified: integer("identity_verified", { mode: "boolean" }),
    // SMS conversations: only admins see them, their messages and their counts.
    adminsOnly: integer("admins_only", { mode: "boolean" }).notNull().default(false),
    // Kept by the conversation's room: true while the visitor's widget socket is open.
    visitorOnline: integer("visitor_online", { mode: "boolean" }).notNull().default(false),
    // When the person's data was erased: the thread stays as a stub, its messages without bodies.
    erasedAt: integer("erased_at"),
    lastMessageAt: integer("last_message_at").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    index("conversations_activity").on(t.lastMessageAt, t.id),
    index("conversations_status_activity").on(t.status, t.lastMessageAt, t.id),
    index("conversations_unread_activity").on(t.unread, t.lastMessageAt, t.id),
    index("conversations_status_unread_activity").on(t.status, t.unread, t.lastMessageAt, t.id),
    index("conversations_contact_activity").on(t.contactId, t.lastMessageAt, t.id),
    index("conversations_party").on(t.party),
    index("conversations_assignee_activity").on(t.assigneeId, t.lastMessageAt, t.id),
  ],
);

// One row per channel a conversation has used, so the channel filter has an index. It repeats the
// conversation's last activity so a channel's inbox is read in order instead of sorted whole.
export const conversationChannels = sqliteTable(
  "conversation_channels",
  {
    conversationId: text("conversation_id")
      .notNull()
      .references(() => conversations.id),
    channel: text("channel", { enum: CHANNELS }).notNull(),
    lastMessageAt: integer("last_message_at").notNull().default(0),
  },
  (t) => [
    primaryKey({ columns: [t.channel, t.conversationId] }),
    index("conversation_channels_activity").on(t.channel, t.lastMessageAt, t.conversationId),
    index("conversation_channels_conversation").on(t.conversationId),
  ],
);

export type MessageAuthor = MessageView["author"];

export const messages = sqliteTable(
  "messages",
  {
    id: text("id").primaryKey(),
    conversationId: text("conversation_id")
      .notNull()
      .references(() => conversations.id),
    direction: text("direction", { enum: ["in", "out"] }).notNull(),
    channel: text("channel", { enum: CHANNELS }).notNull(),
    // A note is for agents only: never shown to the person, never sent on any channel.
    kind: text("kind", { enum: MESSAGE_KINDS }).notNull().default("message"),
    body: text("body").notNull(),
    authorType: text("author_type", { enum: AUTHOR_TYPES }).notNull(),
    authorId: text("author_id"),
    authorName: text("author_name"),
    // The provider's id (email Message-ID, Messenger mid, SMS sid, widget client id): a retry stores nothing new.
    externalId: text("external_id"),
    status: text("status", { enum: MESSAGE_STATUSES }),
    statusReason: text("status_reason"),
    // Channel specifics: email subject and headers, quoted text, attachments, auto-reply marks.
    meta: text("meta", { mode: "json" }).$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("messages_external").on(t.channel, t.externalId), index("messages_conversation").on(t.conversationId, t.createdAt, t.id)],
);

export const attachments = sqliteTable(
  "attachments",
  {
    id: text("id").primaryKey(),
    messageId: text("message_id")
      .notNull()
      .references(() => messages.id),
    filename: text("filename").notNull(),
    contentType: text("content_type").notNull(),
    size: integer("size").notNull(),
    storageKey: text("storage_key").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("attachments_message").on(t.messageId)],
);

// A widget visitor: the browser's 30-day token, stored hashed.
export const visitors = sqliteTable("visitors", {
  id: text("id").primaryKey(),
  tokenHash: text("token_hash").notNull().unique(),
  // How the visitor said who they are through `identify`: true with a valid hash, false without
  // one (no identity secret set), null if never. Copied onto the conversations they start.
  identityVerified: integer("identity_verified", { mode: "boolean" }),
  lastSeenAt: integer("last_seen_at").notNull(),
  createdAt: integer("created_at").notNull(),
});

export const savedResponses = sqliteTable(
  "saved_responses",
  {
    id: text("id").primaryKey(),
    category: text("category").notNull(),
    name: text("name").notNull(),
    body: text("body").notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("saved_responses_category").on(t.category, t.name)],
);

// One row per top-level settings section ("chatForm", "email", "sms", ...), value as JSON.
export const settings = sqliteTable("settings", {
  key: text("key").primaryKey(),
  value: text("value", { mode: "json" }).notNull(),
  updatedAt: integer("updated_at").notNull(),
});

// What each phone number said about SMS (STOP, START and their synonyms), and when: nothing is
// sent to a number that opted out. Kept by number, not by contact: the number is what said it.
export const smsConsent = sqliteTable("sms_consent", {
  phone: text("phone").primaryKey(),
  optedOut: integer("opted_out", { mode: "boolean" }).notNull(),
  keyword: text("keyword").notNull(),
  changedAt: integer("changed_at").notNull(),
});

// The credits each outbound SMS took, so a failed send gives them back once, however often it is reported.
export const smsCharges = sqliteTable("sms_charges", {
  messageId: text("message_id").primaryKey(),
  credits: integer("credits").notNull(),
  chargedAt: integer("charged_at").notNull(),
  refundedAt: integer("refunded_at"),
});

// A CRM's subscription to Parley's events: each event of a kind it names becomes one delivery.
export const webhookSubscriptions = sqliteTable("webhook_subscriptions", {
  id: text("id").primaryKey(),
  url: text("url").notNull(),
  secret: text("secret").notNull(),
  events: text("events", { mode: "json" }).$type<string[]>().notNull(),
  enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
  createdAt: integer("created_at").notNull(),
});

// One event for one subscription, kept until delivered or given up on: its body is fixed when the
// event happens, so every attempt sends the same bytes. An event reaches a subscription once.
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    subscriptionId: text("subscription_id")
      .notNull()
      .references(() => webhookSubscriptions.id, { onDelete: "cascade" }),
    eventId: text("event_id").notNull(),
    type: text("type").notNull(),
    payload: text("payload").notNull(),
    status: text("status", { enum: ["pending", "delivered", "dead"] })
      .notNull()
      .default("pending"),
    attempts: integer("attempts").notNull().default(0),
    lastStatus: integer("last_status"),
    lastError: text("last_error"),
    nextAttemptAt: integer("next_attempt_at"),
    // While an attempt is under way: no other consumer sends it meanwhile.
    leaseUntil: integer("lease_until"),
    createdAt: integer("created_at").notNull(),
    deliveredAt: integer("delivered_at"),
  },
  (t) => [uniqueIndex("webhook_deliveries_event").on(t.subscriptionId, t.eventId), index("webhook_deliveries_log").on(t.subscriptionId, t.createdAt, t.id)],
);

// Marketing lists a contact opted in to, each on one channel, with when and how consent was given.
export const contactLists = sqliteTable(
  "contact_lists",
  {
    contactId: text("contact_id")
      .notNull()
      .references(() => contacts.id, { onDelete: "cascade" }),
    list: text("list").notNull(),
    channel: text("channel", { enum: ["email", "sms"] }).notNull(),
    consentedAt: integer("consented_at").notNull(),
    source: text("source").notNull(),
  },
  (t) => [primaryKey({ columns: [t.contactId, t.list] }), index("contact_lists_list").on(t.list, t.channel)],
);

// What a merge removed, so nothing is lost: the absorbed contact as it was.
export const contactMerges = sqliteTable(
  "contact_merges",
  {
    id: text("id").primaryKey(),
    intoContactId: text("into_contact_id").notNull(),
    fromContactId: text("from_contact_id").notNull(),
    fromSnapshot: text("from_snapshot", { mode: "json" }).notNull(),
    reason: text("reason").notNull(),
    mergedBy: text("merged_by"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("contact_merges_into").on(t.intoContactId)],
);

export type User = typeof users.$inferSelect;
export type Contact = typeof contacts.$inferSelect;
export type Conversation = typeof conversations.$inferSelect;
export type Message = typeof messages.$inferSelect;
export type SavedResponse = typeof savedResponses.$inferSelect;

// A workflow as admins made it; `steps` are checked by the workflow schema before they are stored.
export const workflows = sqliteTable("workflows", {
  id: text("id").primaryKey(),
  name: text("name").notNull(),
  enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
  channels: text("channels", { mode: "json" }).$type<("chat" | "messenger" | "sms")[]>().notNull(),
  steps: text("steps", { mode: "json" }).$type<import("../domain/workflows").Step[]>().notNull(),
  version: integer("version").notNull().default(1),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

// A page whose text grounds the assistant's drafts (settings.ai.urls): its passages as last fetched,
// and what went wrong the last time it was fetched, if anything did.
export const knowledgePages = sqliteTable("knowledge_pages", {
  url: text("url").primaryKey(),
  title: text("title"),
  passages: text("passages", { mode: "json" }).$type<string[]>().notNull(),
  fetchedAt: integer("fetched_at"),
  triedAt: integer("tried_at").notNull(),
  error: text("error"),
});

// A contact deleted without erasure, as it was, for 30 days: restoring it brings back the contact,
// its identities, lists and conversations. Purged daily once older.
export const deletedContacts = sqliteTable(
  "deleted_contacts",
  {
    id: text("id").primaryKey(),
    snapshot: text("snapshot", { mode: "json" }).$type<import("../domain/privacy").DeletedSnapshot>().notNull(),
    deletedBy: text("deleted_by").notNull(),
    deletedAt: integer("deleted_at").notNull(),
  },
  (t) => [index("deleted_contacts_at").on(t.deletedAt)],
);

// Sensitive actions, for admins to read: who did what, when, to what. Never the personal data itself.
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: text("id").primaryKey(),
    at: integer("at").notNull(),
    actorId: text("actor_id"),
    actorName: text("actor_name"),
    action: text("action").notNull(),
    subject: text("subject"),
    details: text("details", { mode: "json" }).$type<Record<string, unknown>>().notNull().default(sql`'{}'`),
  },
  (t) => [index("audit_log_at").on(t.at, t.id)],
);
