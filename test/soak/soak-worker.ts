// Soak-only Worker (test/soak/wrangler.toml): the whole product with two fault seams the soak
// drives from outside:
// - POST /__soak/d1-fail {ms}: every D1 call fails for that long, in the Worker and in the rooms;
// - POST /__soak/evict {conversationId}: the conversation's room is reset, as an eviction or a
//   crash of that object does (its in-memory state gone, its storage kept).
// GET /__soak/d1 reads back what D1 holds, for the soak's count once the run has settled.
import worker from "../../src/index";
import type { Env } from "../../src/env";
import { ConversationRoom as ProductRoom } from "../../src/realtime/room";

export { InboxFeed } from "../../src/realtime/inbox";

let d1FailsUntil = 0;
const REAL = Symbol("real statement");

function refuseWhileFailing(): void {
  if (Date.now() < d1FailsUntil) throw new Error("D1_ERROR: unavailable (soak fault)");
}

function statement(real: D1PreparedStatement): D1PreparedStatement {
  return new Proxy(real, {
    get(target, prop) {
      if (prop === REAL) return target;
      const value = Reflect.get(target, prop) as unknown;
      if (typeof value !== "function") return value;
      if (prop === "bind") return (...args: unknown[]) => statement(target.bind(...args));
      return async (...args: unknown[]) => {
        refuseWhileFailing();
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** D1 as the product sees it, failing on demand. */
function faultyD1(real: D1Database): D1Database {
  return new Proxy(real, {
    get(target, prop) {
      if (prop === "prepare") return (query: string) => statement(target.prepare(query));
      if (prop === "batch")
        return async (statements: D1PreparedStatement[]) => {
          refuseWhileFailing();
          return target.batch(statements.map((s) => (s as unknown as Record<symbol, D1PreparedStatement>)[REAL] ?? s));
        };
      if (prop === "exec")
        return async (query: string) => {
          refuseWhileFailing();
          return target.exec(query);
        };
      const value = Reflect.get(target, prop) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

const withFaults = (env: Env): Env => ({ ...env, DB: faultyD1(env.DB) });

export class ConversationRoom extends ProductRoom {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, withFaults(env));
  }

  /** Resets the object: what it holds in memory is gone, its storage stays. */
  async soakEvict(): Promise<void> {
    this.ctx.abort("soak: evicted");
  }
}

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (url.pathname === "/__soak/d1-fail") {
      const { ms } = await request.json<{ ms: number }>();
      d1FailsUntil = Date.now() + ms;
      return Response.json({ failingUntil: d1FailsUntil });
    }
    if (url.pathname === "/__soak/evict") {
      const { conversationId } = await request.json<{ conversationId: string }>();
      const room = env.ROOMS.get(env.ROOMS.idFromName(conversationId)) as unknown as ConversationRoom;
      await room.soakEvict().catch(() => undefined);
      return Response.json({ evicted: conversationId });
    }
    if (url.pathname === "/__soak/d1") {
      const { results } = await env.DB.prepare("SELECT id, conversation_id, channel, external_id, direction, author_type, created_at FROM messages ORDER BY created_at, id").all();
      return Response.json({ messages: results });
    }
    return worker.fetch(request, withFaults(env), ctx);
  },
  email: (message, env) => worker.email(message, withFaults(env)),
} satisfies ExportedHandler<Env>;
