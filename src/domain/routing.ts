// Who handles a conversation: assigned by hand or round-robin, completed or reopened; each change is
// told to every agent live and to the CRMs. Agents' routes and workflows both ask here.
import { database } from "../db/client";
import type { User } from "../db/schema";
import type { Env } from "../env";
import { conversationChanged } from "../realtime/events";
import { conversationRoom, inboxFeed } from "../realtime/notify";
import type { ConversationView } from "../wire";
import { assignConversation, loadConversationView, mayView, nextAssignee, SYSTEM_VIEWER, type ConversationAction, type Viewer } from "./conversations";
import { publishEvent, type WebhookEvent } from "./subscriptions";
import { activeUsers } from "./users";

/** Who made a change, as CRMs hear it: a user's id, or `workflow:<id>`. */
export type ChangedBy = { viewer: Viewer; by: string };

/** Assigns (or unassigns, with null), tells every agent and the CRMs; the conversation as it now is. */
export async function assignAndTell(env: Env, id: string, assignee: User | null, who: ChangedBy): Promise<ConversationView> {
  await assignConversation(database(env.DB), id, assignee, who.viewer);
  const conversation = await announceState(env, id);
  await publishEvent(env, "conversation.assigned", { conversation, assignedBy: who.by });
  return conversation;
}

/** Round-robin: the teammate to take the conversation now, among those online who may see it; null when none is. */
export async function nextOnline(env: Env, conversation: Pick<ConversationView, "adminsOnly">): Promise<User | null> {
  const db = database(env.DB);
  const online = (await activeUsers(db, await inboxFeed(env).onlineUsers())).filter((user) => mayView(user, conversation));
  return nextAssignee(db, online);
}

/** Whether any active teammate has Parley open now: the widget shows the away text when none has. */
export async function anyoneOnline(env: Env): Promise<boolean> {
  return (await activeUsers(database(env.DB), await inboxFeed(env).onlineUsers())).length > 0;
}

/** What a CRM hears of each action (read stays between agents). */
const ACTION_EVENTS: Partial<Record<ConversationAction, WebhookEvent>> = { complete: "conversation.completed", reopen: "conversation.reopened" };

/** Read, complete or reopen, kept by the conversation's room; null when there is no such conversation. */
export async function actAndTell(env: Env, id: string, action: ConversationAction, by: string): Promise<ConversationView | null> {
  const conversation = await conversationRoom(env, id).act(id, action);
  const event = ACTION_EVENTS[action];
  if (conversation && event) await publishEvent(env, event, { conversation, by });
  return conversation;
}

/** The conversation as D1 now has it, adopted by its room and shown to every agent. */
export async function announceState(env: Env, id: string): Promise<ConversationView> {
  const [conversation] = await conversationChanged(env, await loadConversationView(database(env.DB), id, SYSTEM_VIEWER));
  return conversation!;
}
