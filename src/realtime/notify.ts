// Tells the live parts of the system that the record (D1) changed. Called after the write, never before.
import type { Env } from "../env";
import type { InboxEvent, RoomEvent } from "./protocol";

const INBOX_NAME = "inbox";

export function inboxFeed(env: Env) {
  return env.INBOX.get(env.INBOX.idFromName(INBOX_NAME));
}

export function conversationRoom(env: Env, conversationId: string) {
  return env.ROOMS.get(env.ROOMS.idFromName(conversationId));
}

export async function publishToInbox(env: Env, event: InboxEvent): Promise<void> {
  await inboxFeed(env).publish(event);
}

export async function publishToRoom(env: Env, conversationId: string, event: RoomEvent): Promise<void> {
  await conversationRoom(env, conversationId).publish(event);
}
