// The shapes of the public API as the UI reads them (see GET /api/openapi.json).

export type Channel = "chat" | "email" | "messenger" | "sms";
export type Role = "admin" | "agent";

export type User = { id: string; email: string; name: string; role: Role; disabled: boolean; createdAt: number };

export type Contact = {
  id: string;
  firstName: string | null;
  lastName: string | null;
  name: string | null;
  email: string | null;
  phone: string | null;
  account: string | null;
  tags: string[];
  marketingConsent: boolean;
  createdAt: number;
  updatedAt: number;
};

export type ContactWithIdentities = Contact & { identities: { kind: string; value: string; proven: boolean }[] };

export type Conversation = {
  id: string;
  status: "open" | "complete";
  unread: boolean;
  unreadCount: number;
  channels: Channel[];
  subject: string | null;
  lastMessageAt: number;
  preview: string;
  visitorOnline: boolean;
  identityVerified: boolean | null;
  assigneeId: string | null;
  createdAt: number;
  contact: Contact | null;
};

export type Message = {
  id: string;
  conversationId: string;
  direction: "in" | "out";
  channel: Channel;
  body: string;
  author: { type: "contact" | "agent" | "system"; id: string | null; name: string | null };
  createdAt: number;
  externalId: string | null;
  status: "queued" | "sent" | "delivered" | "failed" | null;
  statusReason: string | null;
  /** Channel-specific and free-form: attachments, an email's quoted text, notes. */
  meta: Record<string, unknown>;
};

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
