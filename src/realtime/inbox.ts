// The workspace inbox: one Durable Object that fans inbox changes out to every signed-in agent.
// It only sends; the one thing a client may send is a ping, answered without waking it.
// It also keeps which conversation rooms each agent credential has joined, so that ending access
// reaches the sockets held there (see access.ts).
import { DurableObject } from "cloudflare:workers";
import { SESSION_DAYS } from "../domain/sessions";
import type { Env } from "../env";
import { closeTagged, holderTags, userOfTag, type Holder } from "./access";
import { conversationRoom, holderOf, roleOf } from "./notify";
import { errorFrame, PING, PONG, type Audience, type InboxEvent, type InboxFrame } from "./protocol";
import { closeQuietly, refuseNonUpgrade, send, sendAll } from "./sockets";

/** A join not renewed for this long is forgotten: no session lasts longer. */
const JOINS_KEPT_MS = SESSION_DAYS * 86_400_000;

export class InboxFeed extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
    ctx.storage.sql.exec(`CREATE TABLE IF NOT EXISTS joins (
      tag TEXT NOT NULL, conversation_id TEXT NOT NULL, joined_at INTEGER NOT NULL, PRIMARY KEY (tag, conversation_id))`);
    ctx.storage.sql.exec("CREATE INDEX IF NOT EXISTS joins_at ON joins (joined_at)");
  }

  override async fetch(request: Request): Promise<Response> {
    const refused = refuseNonUpgrade(request);
    if (refused) return refused;
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server, [...audiencesOf(request), ...holderTags(holderOf(request))]);
    send(server, { type: "ready" } satisfies InboxFrame);
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    let type: unknown;
    try {
      type = typeof raw === "string" ? (JSON.parse(raw) as { type?: unknown })?.type : undefined;
    } catch {
      // reported below
    }
    if (type === "ping") return ws.send(PONG);
    send(ws, errorFrame("invalid_frame", 'The live feed only sends; the one frame it takes is {"type":"ping"}.'));
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    closeQuietly(ws, code, reason);
  }

  /** Notes that an agent's socket is about to be held by a conversation's room. */
  async rememberJoin(holder: Holder, conversationId: string): Promise<void> {
    const now = Date.now();
    for (const tag of holderTags(holder)) {
      this.ctx.storage.sql.exec("INSERT INTO joins VALUES (?, ?, ?) ON CONFLICT DO UPDATE SET joined_at = excluded.joined_at", tag, conversationId, now);
    }
    this.ctx.storage.sql.exec("DELETE FROM joins WHERE joined_at < ?", now - JOINS_KEPT_MS);
  }

  /** Closes the sockets with any of these tags, here and in every room they joined. */
  async endAccess(tags: string[]): Promise<void> {
    closeTagged(this.ctx, tags);
    const tagged = JSON.stringify(tags);
    const rooms = this.ctx.storage.sql.exec<{ conversation_id: string }>("SELECT DISTINCT conversation_id FROM joins WHERE tag IN (SELECT value FROM json_each(?))", tagged).toArray();
    await Promise.all(rooms.map((room) => conversationRoom(this.env, room.conversation_id).endAccess(tags)));
    this.ctx.storage.sql.exec("DELETE FROM joins WHERE tag IN (SELECT value FROM json_each(?))", tagged);
  }

  /** The users with a live feed open: who is at work now. */
  async onlineUsers(): Promise<string[]> {
    const users = this.ctx.getWebSockets("agents").flatMap((ws) => this.ctx.getTags(ws).map(userOfTag));
    return [...new Set(users.filter((id): id is string => id !== null))];
  }

  /** Sends the events to every socket of the audience, in order. */
  async publish(audience: Audience, ...events: InboxEvent[]): Promise<void> {
    sendAll(this.ctx.getWebSockets(audience), ...events.map((event) => event satisfies InboxFrame));
  }
}

/** The audiences a socket belongs to: every agent's, and admins' for an admin. A role change ends the socket (the client opens a new one). */
const audiencesOf = (request: Request): Audience[] => (roleOf(request) === "admin" ? ["agents", "admins"] : ["agents"]);
