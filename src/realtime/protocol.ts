// What travels over the live sockets, in one place. Every frame is JSON with a `type`.
//
// Room sockets (one conversation): the visitor's widget (/api/widget/live) and agents watching
// it (/api/conversations/:id/live). Inbox socket (/api/live): every signed-in agent.
// On connect a room sends `ready` with what the client missed since the message id it names.
import { z } from "zod";
import type { ConversationView, MessageView, RunView, VisitorMessageView } from "../wire";

/** Sent by any client to keep its socket alive; answered with PONG without waking the object. */
export const PING = JSON.stringify({ type: "ping" });
export const PONG = JSON.stringify({ type: "pong" });

export type Role = "visitor" | "agent";

/** Frames a client sends on a room socket. Only visitors send messages; agents reply through the API. */
export const ClientFrame = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("message"),
    /** The client's own id for the message: a resend after a dropped connection is stored once. */
    clientId: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[\w-]+$/, "clientId may hold letters, digits, - and _ only."),
    body: z.string(),
  }),
  z.object({ type: z.literal("typing"), typing: z.boolean() }),
  z.object({ type: z.literal("ping") }),
]);
export type ClientFrame = z.infer<typeof ClientFrame>;

export type ErrorCode = "invalid_frame" | "empty" | "too_long" | "rate_limited" | "not_allowed" | "not_stored";

export type ErrorFrame = { type: "error"; code: ErrorCode; message: string; clientId?: string };

/** What a room sends; visitors see messages as VisitorMessageView, agents as MessageView. */
export type RoomFrame<M> =
  | { type: "ready"; conversationId: string; messages: M[]; visitorOnline: boolean }
  | { type: "message.created"; message: M }
  | { type: "message.updated"; message: M }
  /** The client's message is stored (also sent for a resend of one stored earlier). */
  | { type: "ack"; clientId: string; messageId: string }
  | { type: "typing"; from: Role; name: string | null; typing: boolean }
  | { type: "presence"; online: boolean }
  | ErrorFrame;
export type VisitorFrame = RoomFrame<VisitorMessageView>;
export type AgentRoomFrame = RoomFrame<MessageView> | { type: "run.updated"; run: RunView };

/** Pushed to agents on /api/live. A conversation the agent has not seen yet arrives as conversation.updated too. */
export type InboxEvent =
  | { type: "conversation.updated"; conversation: ConversationView }
  | { type: "message.created"; conversationId: string; message: MessageView }
  | { type: "message.updated"; conversationId: string; message: MessageView }
  | { type: "presence"; conversationId: string; online: boolean };
/** Who an inbox event is for: every agent (admins too), or admins only (an SMS conversation's). */
export type Audience = "agents" | "admins";
export type InboxFrame = InboxEvent | { type: "ready" } | ErrorFrame;

/** Reads a client frame; a malformed one gives the error frame to send back (the socket stays open). */
export function parseClientFrame(raw: string | ArrayBuffer): { frame: ClientFrame } | { error: ErrorFrame } {
  if (typeof raw !== "string") return { error: errorFrame("invalid_frame", "Frames are JSON text, not binary.") };
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { error: errorFrame("invalid_frame", "That frame is not valid JSON.") };
  }
  const parsed = ClientFrame.safeParse(json);
  if (parsed.success) return { frame: parsed.data };
  const issue = parsed.error.issues[0];
  const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
  const clientId = typeof (json as { clientId?: unknown })?.clientId === "string" ? (json as { clientId: string }).clientId : undefined;
  return { error: errorFrame("invalid_frame", `Unexpected frame. ${where}${issue?.message ?? ""}`.trim(), clientId) };
}

export function errorFrame(code: ErrorCode, message: string, clientId?: string): ErrorFrame {
  return clientId === undefined ? { type: "error", code, message } : { type: "error", code, message, clientId };
}
