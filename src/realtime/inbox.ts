// The workspace inbox: one Durable Object that fans inbox changes out to every signed-in agent.
// It only sends; the one thing a client may send is a ping, answered without waking it.
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import { errorFrame, PING, PONG, type InboxEvent, type InboxFrame } from "./protocol";
import { closeQuietly, refuseNonUpgrade, send, sendAll } from "./sockets";

export class InboxFeed extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
  }

  override async fetch(request: Request): Promise<Response> {
    const refused = refuseNonUpgrade(request);
    if (refused) return refused;
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server, ["agent"]);
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
    send(ws, errorFrame("invalid_frame", "The live feed only sends; the one frame it takes is {\"type\":\"ping\"}."));
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    closeQuietly(ws, code, reason);
  }

  /** Sends the events to every agent, in order. */
  async publish(...events: InboxEvent[]): Promise<void> {
    sendAll(this.ctx.getWebSockets("agent"), ...events.map((event) => event satisfies InboxFrame));
  }
}
