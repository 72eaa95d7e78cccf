// Bench-only Worker (test/bench/chat.wrangler.toml): the whole product, plus a bare Durable
// Object relay at /bench/echo/:room as the baseline. The relay has the product's room topology
// (a visitor socket and an agent socket in one object, hibernation API) and nothing else: no
// auth, no D1, no inbox. /bench/storing-echo/:room is the same relay writing each message to its
// own storage first. /bench/d1-messages counts what D1 holds, for D1's lag behind the rooms.
import { DurableObject } from "cloudflare:workers";
import worker from "../../src/index";
import type { Env } from "../../src/env";
import { closeQuietly } from "../../src/realtime/sockets";

export { ConversationRoom } from "../../src/realtime/room";
export { InboxFeed } from "../../src/realtime/inbox";

type BenchEnv = Env & { ECHO: DurableObjectNamespace<EchoRoom>; STORING_ECHO: DurableObjectNamespace<StoringEchoRoom> };

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
    closeQuietly(ws, code, reason);
  }
}

/** The relay, writing each message to its own storage before passing it on: what "kept before told" costs by itself. */
export class StoringEchoRoom extends EchoRoom {
  constructor(...args: ConstructorParameters<typeof EchoRoom>) {
    super(...args);
    const [ctx] = args;
    ctx.storage.sql.exec("CREATE TABLE IF NOT EXISTS kept (frame TEXT NOT NULL)");
  }

  override webSocketMessage(from: WebSocket, frame: string | ArrayBuffer) {
    this.ctx.storage.sql.exec("INSERT INTO kept VALUES (?)", typeof frame === "string" ? frame : "binary");
    super.webSocketMessage(from, frame);
  }
}

export default {
  async fetch(request, env, ctx) {
    const path = new URL(request.url).pathname;
    const [, kind, room] = path.match(/^\/bench\/(echo|storing-echo)\/([\w-]+)$/) ?? [];
    if (kind && room) {
      const relays = kind === "echo" ? env.ECHO : env.STORING_ECHO;
      return relays.get(relays.idFromName(room)).fetch(request);
    }
    // How many messages D1 has: how far D1 is behind what the rooms acked.
    if (path === "/bench/d1-messages") return Response.json(await env.DB.prepare("SELECT count(*) AS n FROM messages").first());
    return worker.fetch(request, env, ctx);
  },
  email: worker.email,
} satisfies ExportedHandler<BenchEnv>;
