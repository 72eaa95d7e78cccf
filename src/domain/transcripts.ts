// The chat thread of a conversation, sent to the contact by email: on its own (a transcript), or
// below an email reply in a conversation that began as a chat (see channels/email/outbound.ts).
import { database } from "../db/client";
import type { User } from "../db/schema";
import type { Env } from "../env";
import { ApiError, conflict } from "../errors";
import { conversationRoom } from "../realtime/notify";
import { requireConversation } from "./conversations";
import { hasChatMessages } from "./messages";
import { sendReply } from "./replies";

/** Emails the chat thread to the conversation's contact; stored in the thread as an outbound email. */
export async function emailTranscript(env: Env, conversationId: string, agent: User) {
  const db = database(env.DB);
  await requireConversation(db, conversationId, agent);
  // The chat may still be on its way from the room to D1.
  if (!(await conversationRoom(env, conversationId).settle())) {
    throw new ApiError(503, "unavailable", "The thread cannot be read just now; try again in a moment.");
  }
  if (!(await hasChatMessages(db, conversationId))) throw conflict("no_chat_messages", "This conversation has no chat messages to send.");
  return sendReply(env, { conversationId, channel: "email", body: "Chat transcript sent by email.", agent, meta: { transcript: true } });
}
