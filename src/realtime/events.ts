// What changed, told to whoever is live: the conversation's room (its visitor and the agents
// watching it) and the agents' inbox feed. Every place that changes a message or a conversation
// calls one of these by name, once the change is stored. Telling is best effort: the change is
// stored, so a caller told it failed would refuse or resend what is kept (a mail, a reply already
// sent), and every live client reads the record again when it reconnects.
import type { Env } from "../env";
import type { ConversationView, MessageView } from "../wire";
import { conversationRoom, inboxFeed } from "./notify";
import type { InboxEvent, RoomEvent } from "./protocol";

/**
 * A new message, and the conversation as it now is. `room: false` when nobody can be in the room
 * yet (the message opened the conversation) or the room is the caller and tells its sockets itself.
 */
export async function messageCreated(env: Env, conversation: ConversationView, message: MessageView, opts: { room?: boolean } = {}): Promise<void> {
  await Promise.all([
    opts.room === false ? undefined : toRoom(env, conversation.id, { type: "message.created", message }),
    toInbox(env, { type: "message.created", conversationId: conversation.id, message }, { type: "conversation.updated", conversation }),
  ]);
}

/** A message whose delivery status changed. */
export async function messageUpdated(env: Env, message: MessageView): Promise<void> {
  await Promise.all([
    toRoom(env, message.conversationId, { type: "message.updated", message }),
    toInbox(env, { type: "message.updated", conversationId: message.conversationId, message }),
  ]);
}

/** A conversation's state or contact changed (read, complete, reopen, who it is with). */
export async function conversationChanged(env: Env, ...conversations: ConversationView[]): Promise<void> {
  if (conversations.length === 0) return;
  await toInbox(env, ...conversations.map((conversation) => ({ type: "conversation.updated" as const, conversation })));
}

/** Whether the visitor's widget is connected. */
export async function presenceChanged(env: Env, conversationId: string, online: boolean): Promise<void> {
  await toInbox(env, { type: "presence", conversationId, online });
}

/** One call to the inbox however many events: they reach agents in the order given. */
async function toInbox(env: Env, ...events: InboxEvent[]): Promise<void> {
  await inboxFeed(env).publish(...events).catch(notTold);
}

async function toRoom(env: Env, conversationId: string, event: RoomEvent): Promise<void> {
  await conversationRoom(env, conversationId).publish(event).catch(notTold);
}

function notTold(error: unknown) {
  console.error("change stored but not told live", error);
}
