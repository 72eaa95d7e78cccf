// How the rest of the system reaches the live parts: publishing what changed (called after the
// write to D1, never before) and handing them WebSocket upgrades the Worker has authenticated.
import type { Env } from "../env";
import type { InboxEvent, Role, RoomEvent } from "./protocol";

const INBOX_NAME = "inbox";

export function inboxFeed(env: Env) {
  return env.INBOX.get(env.INBOX.idFromName(INBOX_NAME));
}

export function conversationRoom(env: Env, conversationId: string) {
  return env.ROOMS.get(env.ROOMS.idFromName(conversationId));
}

/** One call to the inbox however many events: they reach agents in the order given. */
export async function publishToInbox(env: Env, ...events: InboxEvent[]): Promise<void> {
  await inboxFeed(env).publish(...events);
}

export async function publishToRoom(env: Env, conversationId: string, event: RoomEvent): Promise<void> {
  await conversationRoom(env, conversationId).publish(event);
}

/** Who a forwarded upgrade is. Only the Worker builds these URLs, after checking the caller. */
export type Guest = { role: Role; id: string; name: string | null; conversationId: string; after: string | null };

export function joinRoom(env: Env, upgrade: Request, guest: Guest): Promise<Response> {
  const url = new URL("https://room/join");
  for (const [key, value] of Object.entries(guest)) if (value !== null) url.searchParams.set(key, value);
  return conversationRoom(env, guest.conversationId).fetch(new Request(url, upgrade));
}

export function guestOf(request: Request): Guest {
  const params = new URL(request.url).searchParams;
  return {
    role: params.get("role") === "visitor" ? "visitor" : "agent",
    id: params.get("id") ?? "",
    name: params.get("name"),
    conversationId: params.get("conversationId") ?? "",
    after: params.get("after"),
  };
}

export function joinInbox(env: Env, upgrade: Request): Promise<Response> {
  return inboxFeed(env).fetch(upgrade);
}
