// The shapes of the public API as the UI reads them (see GET /api/openapi.json).

import type { Channel, ContactView as Contact, ConversationView as Conversation, MessageView as Message } from "../wire";

/** Contacts, conversations and messages: the server's own shapes (src/wire.ts; types only, nothing of it is bundled). */
export type { Channel, Contact, Conversation, Message };

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
};

export type ApiToken = { id: string; name: string; userId: string; createdAt: number; lastUsedAt: number | null };

/** Frames on /api/live, and on an agent's room socket (/api/conversations/:id/live): the server's own. */
export type { InboxEvent as LiveEvent, AgentRoomFrame as RoomFrame } from "../realtime/protocol";
