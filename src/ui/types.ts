// The shapes of the public API as the UI reads them (see GET /api/openapi.json).

import type { Channel, ContactView as Contact, ConversationView as Conversation, MessageView as Message, ReplyOptions } from "../wire";

/** Contacts, conversations, messages and how a reply can go: the server's own shapes (src/wire.ts; types only, nothing of it is bundled). */
export type { Channel, Contact, Conversation, Message, ReplyOptions };
export type ReplyChannel = ReplyOptions["channels"][number];

/** The workspace's SMS account as admins see it (GET /api/sms). */
export type SmsAccount = { credits: number; unread: number; fromNumber: string };

export type Role = "admin" | "agent";

export type User = { id: string; email: string; name: string; role: Role; disabled: boolean; createdAt: number };

export type ContactWithIdentities = Contact & { identities: { kind: string; value: string; proven: boolean }[] };

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
};
/** A PUT names what it changes, key by key within a section. */
export type SettingsPatch = { [K in keyof Settings]?: Settings[K] extends object ? Partial<Settings[K]> : Settings[K] };

export type ApiToken = { id: string; name: string; userId: string; createdAt: number; lastUsedAt: number | null };

/** Frames on /api/live, and on an agent's room socket (/api/conversations/:id/live): the server's own. */
export type { InboxEvent as LiveEvent, AgentRoomFrame as RoomFrame } from "../realtime/protocol";
