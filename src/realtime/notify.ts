// How the rest of the system reaches the live parts: their Durable Objects, and the WebSocket
// upgrades the Worker has authenticated. What changed is told through events.ts.
import type { Env } from "../env";
import type { Holder } from "./access";
import type { Role as UserRole } from "../db/schema";
import type { Role } from "./protocol";
import type { ConversationRoom } from "./room";

const INBOX_NAME = "inbox";

export function inboxFeed(env: Env) {
  return env.INBOX.get(env.INBOX.idFromName(INBOX_NAME));
}

/**
 * A conversation's room as its callers use it. Typed from the class itself: the platform's stub
 * types cannot carry a message's free-form `meta` (structured clone carries it fine).
 */
export type RoomStub = Pick<ConversationRoom, "receive" | "record" | "claim" | "updateMessage" | "act" | "current" | "adopt" | "settle" | "pending" | "automation" | "erase" | "endAccess"> & {
  fetch(request: Request): Promise<Response>;
};

export function conversationRoom(env: Env, conversationId: string): RoomStub {
  return env.ROOMS.get(env.ROOMS.idFromName(conversationId)) as unknown as RoomStub;
}

/**
 * Who a forwarded upgrade is. Only the Worker builds these URLs, after checking the caller; an
 * agent's `credential` is the key of the session or token that signed them in.
 */
export type Guest = { role: Role; id: string; name: string | null; conversationId: string; after: string | null; credential: string | null };

/** Whom an agent's socket depends on; null for a visitor's. */
export function guestHolder(guest: Guest): Holder | null {
  return guest.role === "agent" && guest.credential ? { userId: guest.id, credential: guest.credential } : null;
}

/** An agent's join is remembered by the inbox first, so ending their access reaches this room too. */
export async function joinRoom(env: Env, upgrade: Request, guest: Guest): Promise<Response> {
  const holder = guestHolder(guest);
  if (holder) await inboxFeed(env).rememberJoin(holder, guest.conversationId);
  return conversationRoom(env, guest.conversationId).fetch(new Request(forwarded("https://room/join", guest), upgrade));
}

export function guestOf(request: Request): Guest {
  const params = new URL(request.url).searchParams;
  return {
    role: params.get("role") === "visitor" ? "visitor" : "agent",
    id: params.get("id") ?? "",
    name: params.get("name"),
    conversationId: params.get("conversationId") ?? "",
    after: params.get("after"),
    credential: params.get("credential"),
  };
}

export function joinInbox(env: Env, upgrade: Request, holder: Holder, role: UserRole): Promise<Response> {
  return inboxFeed(env).fetch(new Request(forwarded("https://inbox/join", { ...holder, role }), upgrade));
}

/** The user's role a forwarded inbox upgrade names. */
export function roleOf(request: Request): UserRole {
  return new URL(request.url).searchParams.get("role") === "admin" ? "admin" : "agent";
}

export function holderOf(request: Request): Holder {
  const params = new URL(request.url).searchParams;
  return { userId: params.get("userId") ?? "", credential: params.get("credential") ?? "" };
}

function forwarded(base: string, fields: Record<string, string | null>): URL {
  const url = new URL(base);
  for (const [key, value] of Object.entries(fields)) if (value !== null) url.searchParams.set(key, value);
  return url;
}
