// Bench-only Worker (test/bench/wrangler.toml): times the conversation list inside workerd against
// the local D1, without the HTTP layer, and reports the SQL it sends so the bench can run the same
// statement on the bare SQLite file. POST /time { q, runs, batch, what }:
// - "list": listConversations, as GET /api/conversations calls it;
// - "statement": that list's one SQL statement sent straight to env.DB (no drizzle);
// - "floor": `SELECT 1` through env.DB, the cost of any D1 call.
import { database } from "../../src/db/client";
import { listConversations, type ConversationFilter } from "../../src/domain/conversations";
import { loadSettings } from "../../src/domain/settings";

type Env = { DB: D1Database };
type Statement = { sql: string; params: unknown[] };
type Timing = { q: string | null; runs: number; batch: number; what: "list" | "statement" | "floor" };

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/sql") {
      const sent: Statement[] = [];
      const page = await listConversations(database(recording(env.DB, sent)), await filterFor(env, url.searchParams.get("q")));
      return Response.json({ statements: sent, ids: page.items.map((i) => i.id) });
    }
    const { q, runs, batch, what } = await request.json<Timing>();
    const call = await callFor(env, q, what);
    // The Workers clock moves in whole milliseconds, so each sample is the mean of `batch` calls.
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      for (let j = 0; j < batch; j++) await call();
      ms.push((performance.now() - start) / batch);
    }
    return Response.json({ ms });
  },
};

/** The filter GET /api/conversations builds from its default query (status open, 25 a page). */
async function filterFor(env: Env, q: string | null): Promise<ConversationFilter> {
  const search = q ? { q, defaultCountry: (await loadSettings(database(env.DB))).defaultCountry } : undefined;
  return { status: "open", limit: 25, search };
}

async function callFor(env: Env, q: string | null, what: Timing["what"]): Promise<() => Promise<unknown>> {
  if (what === "floor") return () => env.DB.prepare("SELECT 1").raw();
  const filter = await filterFor(env, q);
  const db = database(env.DB);
  if (what === "list") return () => listConversations(db, filter);
  const sent: Statement[] = [];
  await listConversations(database(recording(env.DB, sent)), filter);
  const [{ sql, params }] = sent as [Statement];
  return () => env.DB.prepare(sql).bind(...params).raw();
}

/** The D1 binding, noting every statement and its parameters as drizzle binds them. */
function recording(d1: D1Database, sent: Statement[]): D1Database {
  return new Proxy(d1, {
    get(target, prop) {
      if (prop !== "prepare") return Reflect.get(target, prop, target);
      return (sql: string) => {
        const statement = target.prepare(sql);
        return new Proxy(statement, {
          get(stmt, key) {
            if (key !== "bind") return Reflect.get(stmt, key, stmt);
            return (...params: unknown[]) => {
              sent.push({ sql, params });
              return stmt.bind(...params);
            };
          },
        });
      };
    },
  });
}
