// The workspace inbox: one Durable Object that fans inbox changes out to every signed-in agent.
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import type { InboxEvent } from "./protocol";

export class InboxFeed extends DurableObject<Env> {
  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("Expected a WebSocket upgrade.", { status: 426 });
    }
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1], ["agent"]);
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  async publish(event: InboxEvent): Promise<void> {
    const frame = JSON.stringify(event);
    for (const socket of this.ctx.getWebSockets("agent")) {
      try {
        socket.send(frame);
      } catch {
        socket.close(1011, "send failed");
      }
    }
  }
}
