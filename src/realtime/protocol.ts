// What travels over the live sockets. Every frame is JSON with a `type`.
import type { ConversationView } from "../domain/conversations";
import type { MessageView } from "../domain/messages";

/** Pushed to agents on /api/live. */
export type InboxEvent =
  | { type: "conversation.updated"; conversation: ConversationView }
  | { type: "message.created"; conversationId: string; message: MessageView }
  | { type: "message.updated"; conversationId: string; message: MessageView }
  | { type: "presence"; conversationId: string; online: boolean };

/** Pushed to everyone in one conversation's room. */
export type RoomEvent =
  | { type: "message.created"; message: MessageView }
  | { type: "message.updated"; message: MessageView };
