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

/** Frames on /api/live (src/realtime/protocol.ts). */
export type LiveEvent =
  | { type: "conversation.created"; conversation: Conversation }
  | { type: "conversation.updated"; conversation: Conversation }
  | { type: "message.created"; conversationId: string; message: Message }
  | { type: "message.updated"; conversationId: string; message: Message }
  | { type: "presence"; conversationId: string; online: boolean };

/** Frames on an agent's room socket, /api/conversations/:id/live (src/realtime/protocol.ts). */
export type RoomFrame =
  | { type: "ready"; conversationId: string; messages: Message[]; visitorOnline: boolean }
  | { type: "message.created"; message: Message }
  | { type: "message.updated"; message: Message }
  | { type: "typing"; from: "visitor" | "agent"; name: string | null; typing: boolean }
  | { type: "presence"; online: boolean }
  | { type: "ack" | "pong" | "error" };
