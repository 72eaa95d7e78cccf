// The workspace inbox: one Durable Object that fans inbox changes out to every signed-in agent.
// It only sends; the one thing a client may send is a ping, answered without waking it.
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import { errorFrame, PING, PONG, type InboxEvent, type InboxFrame } from "./protocol";

export class InboxFeed extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(PING, PONG));
  }

  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("Expected a WebSocket upgrade.", { status: 426 });
    }
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server, ["agent"]);
    server.send(JSON.stringify({ type: "ready" } satisfies InboxFrame));
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
    ws.send(JSON.stringify(errorFrame("invalid_frame", "The live feed only sends; the one frame it takes is {\"type\":\"ping\"}.")));
  }

  override async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    try {
      ws.close(code, reason);
    } catch {
      // already closed
    }
  }

  /** Sends the events to every agent, in order. */
  async publish(...events: InboxEvent[]): Promise<void> {
    const frames = events.map((event) => JSON.stringify(event satisfies InboxFrame));
    for (const socket of this.ctx.getWebSockets("agent")) {
      try {
        for (const frame of frames) socket.send(frame);
      } catch {
        // Closed meanwhile; the agent's page reloads the inbox when it reconnects.
      }
    }
  }
}
