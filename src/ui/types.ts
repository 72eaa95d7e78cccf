// The shapes of the public API as the UI reads them (see GET /api/openapi.json).

import type { Language } from "../domain/languages";
import type { Channel, ContactView as Contact, ConversationView as Conversation, MessageView as Message, ReplyOptions } from "../wire";

/** Contacts, conversations, messages and how a reply can go: the server's own shapes (src/wire.ts; types only, nothing of it is bundled). */
export type { Channel, Contact, Conversation, Message, ReplyOptions };
export type ReplyChannel = ReplyOptions["channels"][number];

/** The workspace's SMS account as admins see it (GET /api/sms). */
export type SmsAccount = { credits: number; unread: number; fromNumber: string };

export type Role = "admin" | "agent";

export type User = { id: string; email: string; name: string; role: Role; disabled: boolean; locale: Language | null; createdAt: number };

/** An active user as every agent sees them (GET /api/teammates): who a conversation can be assigned to. */
export type Teammate = { id: string; name: string; role: Role };

/** What a draft is grounded on: an FAQ answer, or a passage of one of the business's pages. */
export type DraftSource = { type: "faq"; question: string } | { type: "page"; url: string; title: string | null };
/**
 * The assistant's draft of a reply (POST /conversations/:id/draft): never sent by itself. `provider`
 * wrote it; `fallback` says why the built-in assistant answered instead of the model chosen.
 */
export type Draft = { body: string; sources: DraftSource[]; grounded: boolean; provider: AiProvider; fallback: string | null };

/** One of settings.ai.urls as the assistant last read it (GET /api/ai/pages); times in ms. */
export type PageStatus = { url: string; title: string | null; passages: number; fetchedAt: number | null; triedAt: number; error: string | null };

/** A custom field's value as the API keeps it: text, a number or true/false. */
export type CustomFieldValue = string | number | boolean;
/** A contact's custom fields (keys 1–40 letters, digits, `_` or `-`; at most 50). A PATCH merges them: null removes a key. */
export type CustomFields = Record<string, CustomFieldValue>;

/** The channels a marketing list reaches a contact on. */
export type ListChannel = "email" | "sms";
/** A marketing list a contact opted in to: on which channel, when (ms) and how consent was given. */
export type ListMembership = { list: string; channel: ListChannel; consentedAt: number; source: string };
/** A list in use (GET /api/lists), offered as a suggestion. */
export type MarketingList = { list: string; channel: ListChannel; members: number };

/** GET /api/contacts/:id (and the answers of PUT / DELETE /api/contacts/:id/lists/:list). */
export type ContactWithIdentities = Contact & { identities: { kind: string; value: string; proven: boolean }[]; lists: ListMembership[] };

export type Page<T> = { items: T[]; nextCursor: string | null };
export type MessagePage = { items: Message[]; olderCursor: string | null };

export type SavedResponse = { id: string; category: string; name: string; body: string; createdAt: number; updatedAt: number };

export type FieldRule = "optional" | "required" | "off";
export type Settings = {
  chatForm: { phone: FieldRule; account: FieldRule; fullName: FieldRule };
  identitySecret: string;
  defaultCountry: string;
  /** Secrets (tokens) read back masked. */
  messenger: { pageId: string; pageAccessToken: string; appSecret: string; verifyToken: string; humanAgent: boolean; graphApiBaseUrl: string };
  sms: { accountSid: string; authToken: string; fromNumber: string; credits: number; apiBaseUrl: string; publicBaseUrl: string };
  /** The AI assistant's drafts; apiKey reads back masked ("••••••••" or ""). */
  ai: {
    provider: AiProvider;
    drafts: boolean;
    acknowledged: boolean;
    summaries: boolean;
    role: AiRole;
    brandKit: string;
    urls: string[];
    faq: FaqEntry[];
    model: string;
    apiBaseUrl: string;
    apiKey: string;
  };
  /** The workspace's language: the widget's fallback, and the language of appearance's greeting and away text. */
  locale: Language;
  /** How the widget looks; "" texts mean the defaults. */
  appearance: Appearance;
  /** The admin's own words, per language; "" or absent means that language's default. */
  texts: Partial<Record<Language, Partial<Record<TextKey, string>>>>;
};
export type Appearance = { color: string; position: "left" | "right"; launcherLabel: string; teamName: string; greeting: string; awayText: string };
/** What Parley says on the business's behalf (GET /api/settings/texts lists them in display order, with each language's defaults). */
export type TextKey =
  | "prechatIntro"
  | "greeting"
  | "awayText"
  | "welcome"
  | "askEmail"
  | "askPhone"
  | "reaskEmail"
  | "reaskPhone"
  | "reaskText"
  | "transcriptSubject"
  | "transcriptHeader"
  | "chatTitle";
export type AiProvider = "builtin" | "workers-ai" | "openai";
export type AiRole = "friendly" | "professional" | "concise" | "empathetic";
export type FaqEntry = { question: string; answer: string };
/** A PUT names what it changes, key by key within a section. */
export type SettingsPatch = { [K in keyof Settings]?: Settings[K] extends object ? Partial<Settings[K]> : Settings[K] };

export type ApiToken = { id: string; name: string; userId: string; createdAt: number; lastUsedAt: number | null };

/** Frames on /api/live, and on an agent's room socket (/api/conversations/:id/live): the server's own. */
export type { InboxEvent as LiveEvent, AgentRoomFrame as RoomFrame } from "../realtime/protocol";

/** A CRM's subscription to Parley's events (GET /api/webhooks): its secret always reads back masked. */
export type WebhookSubscription = { id: string; url: string; events: string[]; enabled: boolean; secret: string; createdAt: number };
/** What a POST /api/webhooks or a PATCH sends; a PATCH names only what it changes. */
export type WebhookInput = { url: string; secret: string; events: string[]; enabled?: boolean };

/** One event sent to one subscription (GET /api/webhooks/:id/deliveries), retried with backoff for a day until a 2xx. */
export type WebhookDelivery = {
  id: string;
  eventId: string;
  type: string;
  status: "pending" | "delivered" | "dead";
  attempts: number;
  /** The endpoint's HTTP status at the last attempt. */
  lastStatus: number | null;
  lastError: string | null;
  nextAttemptAt: number | null;
  createdAt: number;
  deliveredAt: number | null;
};

/** A conversation's workflow run as agents see it (GET /api/conversations/:id/automation, and `run.updated` on its room). */
export type { RunView as Run } from "../wire";

/** The channels a workflow can listen on: mail is answered by people only. */
export type TriggerChannel = "chat" | "messenger" | "sms";
/** A contact field a step reads or fills: email, phone, firstName, lastName, account or custom.<name>. */
export type ContactField = string;
export type Condition = { field: ContactField; op: "set" | "unset" | "equals"; value?: string };
export type AskExpects = "email" | "phone" | "text";

/** A business text (Settings › Texts) that a step sends in each person's language instead of its own words. */
export type StepText = "welcome" | "askEmail" | "askPhone";

/** One step of a workflow, as GET /api/workflows gives it and a POST or PATCH takes it (`id` may be left out on input). */
export type Step =
  | { id: string; type: "message"; body: string; text?: StepText }
  /** Where to go when the condition holds: a later step's id, or "end"; otherwise the next step. */
  | { id: string; type: "branch"; if: Condition; goTo: string }
  | { id: string; type: "ask"; question: string; expects: AskExpects; saveTo?: ContactField; retries: number; retryMessage?: string; timeoutMinutes: number; text?: StepText }
  | { id: string; type: "tag"; tag: string }
  | { id: string; type: "assign"; to: "round-robin" | { userId: string } }
  | { id: string; type: "complete" }
  | { id: string; type: "wait"; minutes: number };
export type StepType = Step["type"];

/** GET /api/workflows: a trigger and steps; every change is a new version, and runs under way keep the steps they started with. */
export type Workflow = {
  id: string;
  name: string;
  enabled: boolean;
  version: number;
  trigger: { type: "conversation.opened"; channels: TriggerChannel[] };
  steps: Step[];
  createdAt: number;
  updatedAt: number;
};
export type WorkflowTemplate = "welcome-ask-email" | "welcome-ask-phone";
