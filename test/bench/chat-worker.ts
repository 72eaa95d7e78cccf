// Bench-only Worker (test/bench/chat.wrangler.toml): the whole product, plus a bare Durable
// Object relay at /bench/echo/:room as the baseline. The relay has the product's room topology
// (a visitor socket and an agent socket in one object, hibernation API) and nothing else: no
// auth, no D1, no inbox.
import { DurableObject } from "cloudflare:workers";
import worker from "../../src/index";
import type { Env } from "../../src/env";

export { ConversationRoom } from "../../src/realtime/room";
export { InboxFeed } from "../../src/realtime/inbox";

type BenchEnv = Env & { ECHO: DurableObjectNamespace<EchoRoom> };

export class EchoRoom extends DurableObject {
  override async fetch(): Promise<Response> {
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    return new Response(null, { status: 101, webSocket: client });
  }

  override webSocketMessage(from: WebSocket, frame: string | ArrayBuffer) {
    for (const ws of this.ctx.getWebSockets()) if (ws !== from) ws.send(frame);
  }

  override webSocketClose(ws: WebSocket, code: number, reason: string) {
    ws.close(code, reason);
  }
}

export default {
  fetch(request, env, ctx) {
    const room = new URL(request.url).pathname.match(/^\/bench\/echo\/([\w-]+)$/)?.[1];
    if (room) return env.ECHO.get(env.ECHO.idFromName(room)).fetch(request);
    return worker.fetch(request, env, ctx);
  },
} satisfies ExportedHandler<BenchEnv>;
