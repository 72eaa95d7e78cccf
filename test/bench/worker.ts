// Bench-only entry (test/bench/wrangler.toml). Every request goes to the real Worker with env.DB
// set to the inbox the `x-bench-db` header names, so one server holds both sizes and the bench can
// take their samples in turn. /__bench/* times the conversation list inside workerd, without HTTP:
// - GET /__bench/sql?db&q: the SQL listConversations sends, and the page it returns;
// - POST /__bench/time {db, q, what, batch}: the mean of `batch` calls of
//   "list" (listConversations, as GET /api/conversations calls it), "statement" (its one SQL
//   statement straight to D1, no drizzle) or "floor" (SELECT 1: the cost of any D1 call).
import { database } from "../../src/db/client";
import { listConversations, type ConversationFilter } from "../../src/domain/conversations";
import { loadSettings } from "../../src/domain/settings";
import type { Env } from "../../src/env";
import worker from "../../src/index";

type BenchEnv = Omit<Env, "DB"> & Record<string, D1Database>;
type Statement = { sql: string; params: unknown[] };
type Timing = { db: string; q: string | null; batch: number; what: "list" | "statement" | "floor" };

export default {
  async fetch(request: Request, env: BenchEnv, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/__bench/sql") {
      const d1 = bound(env, url.searchParams.get("db"));
      const sent: Statement[] = [];
      const page = await listConversations(database(recording(d1, sent)), await filterFor(d1, url.searchParams.get("q")));
      return Response.json({ statements: sent, ids: page.items.map((i) => i.id) });
    }
    if (url.pathname === "/__bench/time") {
      const { db, q, batch, what } = await request.json<Timing>();
      const call = await callFor(bound(env, db), q, what);
      // The Workers clock moves in whole milliseconds, hence a mean over a batch.
      const start = performance.now();
      for (let i = 0; i < batch; i++) await call();
      return Response.json({ ms: (performance.now() - start) / batch });
    }
    return worker.fetch(request, { ...env, DB: bound(env, request.headers.get("x-bench-db")) } as Env, ctx);
  },
};

function bound(env: BenchEnv, name: string | null): D1Database {
  const d1 = name ? env[name] : undefined;
  if (!d1) throw new Error(`No D1 binding named ${name}`);
  return d1;
}

/** The filter GET /api/conversations builds from its default query (status open, 25 a page). */
async function filterFor(d1: D1Database, q: string | null): Promise<ConversationFilter> {
  const search = q ? { q, defaultCountry: (await loadSettings(database(d1))).defaultCountry } : undefined;
  return { status: "open", limit: 25, search };
}

async function callFor(d1: D1Database, q: string | null, what: Timing["what"]): Promise<() => Promise<unknown>> {
  if (what === "floor") return () => d1.prepare("SELECT 1").raw();
  const filter = await filterFor(d1, q);
  if (what === "list") {
    const db = database(d1);
    return () => listConversations(db, filter);
  }
  const sent: Statement[] = [];
  await listConversations(database(recording(d1, sent)), filter);
  const [{ sql, params }] = sent as [Statement];
  return () =>
    d1
      .prepare(sql)
      .bind(...params)
      .raw();
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
