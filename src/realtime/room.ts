// One conversation's live room: the visitor's widget socket and the agents watching it.
// Sockets hibernate; everything the room needs after waking is in its storage (the conversation,
// whether the visitor is shown online, the visitor's rate window) or in each socket's attachment.
import { DurableObject } from "cloudflare:workers";
import { database } from "../db/client";
import {
  admit,
  bodyRefusal,
  missedSince,
  receiveFromVisitor,
  setVisitorOnline,
  shownToVisitor,
  visitorMessageView,
  type VisitorMessageView,
} from "../domain/chat";
import { messageView } from "../domain/messages";
import type { Env } from "../env";
import { closeTagged, guestTags } from "./access";
import { presenceChanged } from "./events";
import { guestOf } from "./notify";
import { closeQuietly, refuseNonUpgrade, send, sendAll } from "./sockets";
import { errorFrame, parseClientFrame, PING, PONG, type AgentRoomFrame, type ErrorCode, type Role, type RoomEvent, type VisitorFrame } from "./protocol";

/** A reload reconnects within this: agents see no offline/online flicker. */
const GRACE_MS = 2_000;
/** The widget pings every 5 s; a visitor socket quiet for this long is gone (a dropped network). */
const SILENT_AFTER_MS = 12_000;
const CHECK_EVERY_MS = 4_000;

type Attachment = { role: Role; id: string; name: string | null; seen: number };

export type VisitorSays = { conversationId: string; visitorId: string; clientId: string; body: string };
export type Receipt = { message: VisitorMessageView } | { refusal: { code: ErrorCode; message: string } };

export class ConversationRoom extends DurableObject<Env> {
  /** Visitor messages are stored one after another: the order they are sent is the order everyone sees. */
  private messages = new Lane();
  private presence = new Lane();

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
  }

  override async fetch(request: Request): Promise<Response> {
    const refused = refuseNonUpgrade(request);
    if (refused) return refused;
    const guest = guestOf(request);
    this.ctx.storage.kv.put("conversation", guest.conversationId);
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server, guestTags(guest));
    server.serializeAttachment({ role: guest.role, id: guest.id, name: guest.name, seen: Date.now() } satisfies Attachment);
    // Accepted first, so nothing published while the thread is read from D1 is missed (clients drop repeats by id).
    const missed = (await missedSince(database(this.env.DB), guest.conversationId, guest.after, guest.role)).map(messageView);
    const ready = { type: "ready" as const, conversationId: guest.conversationId, visitorOnline: this.shownOnline() };
    send(server, guest.role === "visitor" ? { ...ready, messages: missed.map(visitorMessageView) } : { ...ready, messages: missed });
    if (guest.role === "visitor") {
      this.ctx.waitUntil(this.setPresence(true));
      if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now() + CHECK_EVERY_MS);
    }
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    const me = ws.deserializeAttachment() as Attachment;
    me.seen = Date.now();
    ws.serializeAttachment(me);
    const read = parseClientFrame(raw);
    if ("error" in read) return send(ws, read.error);
    const frame = read.frame;
    switch (frame.type) {
      case "ping":
        return ws.send(PONG);
      case "typing":
        return this.broadcastTyping(ws, me, frame.typing);
      case "message": {
        if (me.role !== "visitor") {
          return send(ws, errorFrame("not_allowed", "Agents reply with POST /api/conversations/:id/messages.", frame.clientId));
        }
        const conversationId = this.ctx.storage.kv.get<string>("conversation")!;
        const receipt = await this.receive({ conversationId, visitorId: me.id, clientId: frame.clientId, body: frame.body });
        return send(ws, "refusal" in receipt ? errorFrame(receipt.refusal.code, receipt.refusal.message, frame.clientId) : { type: "ack", clientId: frame.clientId, messageId: receipt.message.id });
      }
    }
  }

  /** A visitor's message, from their socket or the widget's HTTP call: checked, limited, stored once, announced. */
  async receive(says: VisitorSays): Promise<Receipt> {
    const refusal = bodyRefusal(says.body);
    if (refusal) return { refusal };
    const key = `sent:${says.visitorId}`;
    const admitted = admit(this.ctx.storage.kv.get<number[]>(key) ?? [], Date.now());
    if ("refusal" in admitted) return admitted;
    this.ctx.storage.kv.put(key, admitted.window);
    return this.messages.run(async () => {
      try {
        const { message, duplicate } = await receiveFromVisitor(this.env, says, { inRoom: true });
        const view = messageView(message);
        // Told here rather than through this room's own stub: a resend was told the first time.
        if (!duplicate) await this.publish({ type: "message.created", message: view });
        return { message: visitorMessageView(view) };
      } catch (error) {
        console.error("visitor message not stored", error);
        return { refusal: { code: "not_stored" as const, message: "The message could not be stored; send it again." } };
      }
    });
  }

  /** Tells everyone in the room about a message now in D1: agents see all of it, the visitor what is theirs to see. */
  async publish(event: RoomEvent): Promise<void> {
    sendAll(this.ctx.getWebSockets("agent"), event satisfies AgentRoomFrame);
    if (event.type === "message.created" && shownToVisitor(event.message)) {
      sendAll(this.ctx.getWebSockets("visitor"), { type: "message.created", message: visitorMessageView(event.message) } satisfies VisitorFrame);
    }
  }

  /** Closes the agents' sockets whose access ended (see access.ts). */
  async endAccess(tags: string[]): Promise<void> {
    closeTagged(this.ctx, tags);
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    closeQuietly(ws, code, reason);
    if ((ws.deserializeAttachment() as Attachment).role === "visitor") await this.ctx.storage.setAlarm(Date.now() + GRACE_MS);
  }

  override async webSocketError(ws: WebSocket): Promise<void> {
    await this.webSocketClose(ws, 1011, "socket error");
  }

  /** Closes visitor sockets gone silent, and shows the visitor offline once none is left. */
  override async alarm(): Promise<void> {
    const now = Date.now();
    for (const ws of this.openVisitorSockets()) {
      if (now - this.lastHeard(ws) >= SILENT_AFTER_MS) ws.close(4001, "No ping from the widget.");
    }
    if (this.openVisitorSockets().length > 0) await this.ctx.storage.setAlarm(now + CHECK_EVERY_MS);
    else await this.setPresence(false);
  }

  private openVisitorSockets(): WebSocket[] {
    return this.ctx.getWebSockets("visitor").filter((ws) => ws.readyState === WebSocket.OPEN);
  }

  private lastHeard(ws: WebSocket): number {
    const seen = (ws.deserializeAttachment() as Attachment).seen;
    return Math.max(seen, this.ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? 0);
  }

  private shownOnline(): boolean {
    return this.ctx.storage.kv.get<boolean>("online") ?? false;
  }

  /** Visitor presence as D1, the room's agents and the inbox see it; changes applied in order. */
  private setPresence(online: boolean): Promise<void> {
    return this.presence.run(async () => {
      const conversationId = this.ctx.storage.kv.get<string>("conversation");
      if (!conversationId || this.shownOnline() === online) return;
      await setVisitorOnline(database(this.env.DB), conversationId, online);
      this.ctx.storage.kv.put("online", online);
      sendAll(this.ctx.getWebSockets("agent"), { type: "presence", online } satisfies AgentRoomFrame);
      await presenceChanged(this.env, conversationId, online);
    });
  }

  private broadcastTyping(from: WebSocket, who: Attachment, typing: boolean) {
    const frame = { type: "typing", from: who.role, name: who.role === "agent" ? who.name : null, typing } satisfies AgentRoomFrame;
    sendAll(this.ctx.getWebSockets().filter((ws) => ws !== from), frame);
  }
}

/** Runs tasks one at a time, in the order they were given. */
class Lane {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const next = this.tail.then(task, task);
    this.tail = next.catch(() => undefined);
    return next;
  }
}
