// The conversation list (GET /api/conversations) at 10k and 100k conversations of 10 messages
// each, with its default filters and with q = a phone number typed in national format, measured
// three ways in one run on the same local D1 file:
// - HTTP: the real Worker (wrangler.toml) under `wrangler dev`, signed in, request to response;
// - workerd: listConversations on env.DB inside workerd (test/bench/worker.ts), no HTTP;
// - SQLite: the very statement the Worker sent, on the bare file through node:sqlite.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { parsePhoneNumber } from "libphonenumber-js";
import { seedInbox } from "./seed-inbox.mjs";
import { percentile, ratio, timeCalls } from "./stats.mjs";
import { migratedDatabase, withWranglerDev } from "./wrangler-dev.mjs";

const PORT = 8791;
const SIZES = [10_000, 100_000];
const RUNS = 300;
const WARMUP = 50;
// The Workers clock moves in whole milliseconds: each workerd sample is the mean of a batch.
const WORKERD_BATCH = 10;
const WORKERD_RUNS = 100;
const FLOOR = "SELECT 1 (any D1 call)";

export default async function inbox() {
  const dir = mkdtempSync(join(tmpdir(), "parley-bench-inbox-"));
  try {
    const file = migratedDatabase(dir);
    const now = Date.now();
    const rows = [];
    const plans = new Map();
    const seeding = [];
    let cookie = null;
    let typed = null;
    for (const [step, size] of SIZES.entries()) {
      const start = performance.now();
      seedInbox(file, { from: SIZES[step - 1] ?? 0, to: size, now });
      seeding.push(`${size.toLocaleString("en")}: ${((performance.now() - start) / 1000).toFixed(1)} s`);
      typed ??= phoneToSearch(file);
      const queries = [
        { name: "default filters", q: null },
        { name: `q=${typed}`, q: typed },
      ];

      const inWorkerd = await withWranglerDev({ config: "test/bench/wrangler.toml", port: PORT, persistTo: dir }, async (url) => {
        const time = async (q, what) => {
          await postJson(`${url}/time`, { q, what, runs: WARMUP, batch: 1 });
          return (await postJson(`${url}/time`, { q, what, runs: WORKERD_RUNS, batch: WORKERD_BATCH })).ms;
        };
        const floor = await time(null, "floor");
        const out = [];
        for (const { q } of queries) {
          const sent = await getJson(`${url}/sql${q === null ? "" : `?q=${encodeURIComponent(q)}`}`);
          out.push({ ...sent, list: await time(q, "list"), statement: await time(q, "statement") });
        }
        return { floor, queries: out };
      });

      const overHttp = await withWranglerDev({ config: "wrangler.toml", port: PORT, persistTo: dir }, async (url) => {
        cookie ??= await signIn(url);
        const out = [];
        for (const { q } of queries) {
          const path = `${url}/api/conversations${q === null ? "" : `?q=${encodeURIComponent(q)}`}`;
          const get = async () => {
            const res = await fetch(path, { headers: { cookie } });
            if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
            return res.json();
          };
          out.push({ ids: (await get()).items.map((i) => i.id), ms: await timeCalls(get, { runs: RUNS, warmup: WARMUP }) });
        }
        return out;
      });

      const db = new DatabaseSync(file, { readOnly: true });
      try {
        for (const [i, query] of queries.entries()) {
          const worker = inWorkerd.queries[i];
          if (worker.statements.length !== 1) throw new Error(`Expected one statement for ${query.name}, got ${worker.statements.length}`);
          const [{ sql, params }] = worker.statements;
          const statement = db.prepare(sql);
          statement.setReturnArrays(true);
          const bare = await timeCalls(() => statement.all(...params), { runs: RUNS, warmup: WARMUP });
          // The three ways must be measuring the same page.
          const bareIds = statement.all(...params).slice(0, worker.ids.length).map((row) => row[0]);
          if (query.q !== null && worker.ids.length === 0) throw new Error(`${query.name} found no conversation`);
          if (String(overHttp[i].ids) !== String(worker.ids) || String(bareIds) !== String(worker.ids)) {
            throw new Error(`${query.name}: HTTP, workerd and SQLite returned different pages`);
          }
          plans.set(query.name, db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params).map((r) => r.detail).join("; "));
          rows.push({ query: query.name, size, http: overHttp[i].ms, list: worker.list, statement: worker.statement, sqlite: bare });
        }
        const one = db.prepare("SELECT 1");
        rows.push({ query: FLOOR, size, statement: inWorkerd.floor, sqlite: await timeCalls(() => one.all(), { runs: RUNS, warmup: WARMUP }) });
      } finally {
        db.close();
      }
    }
    return report(rows, plans, seeding);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A national-format number (the default country's) of a contact with an open conversation. */
function phoneToSearch(file) {
  const db = new DatabaseSync(file, { readOnly: true });
  try {
    const { phone } = db
      .prepare(
        `SELECT c.phone FROM contacts c JOIN conversations v ON v.contact_id = c.id
         WHERE v.status = 'open' AND c.phone LIKE '+1%' ORDER BY c.phone LIMIT 1`,
      )
      .get();
    return parsePhoneNumber(phone).formatNational();
  } finally {
    db.close();
  }
}

async function signIn(url) {
  const res = await fetch(`${url}/api/setup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "bench@example.com", password: "bench-password", name: "Bench" }),
  });
  if (res.status !== 201) throw new Error(`POST /api/setup: ${res.status} ${await res.text()}`);
  return res.headers.get("set-cookie").split(";")[0];
}

async function postJson(url, body) {
  return getJson(url, { method: "POST", body: JSON.stringify(body) });
}

async function getJson(url, init) {
  const res = await fetch(url, init);
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

function report(rows, plans, seeding) {
  const p95 = (ms) => percentile(ms, 95);
  const both = (ms) => (ms ? `${percentile(ms, 50).toFixed(2)} / ${p95(ms).toFixed(2)}` : "");
  const against = (ms, base) => (ms ? ratio(p95(ms), p95(base)) : "");
  const [small, large] = SIZES;
  const at = (query, size) => rows.find((r) => r.query === query && r.size === size);
  const grow = (query, way) => (at(query, large)[way] ? ratio(p95(at(query, large)[way]), p95(at(query, small)[way])) : "");
  const queries = [...new Set(rows.map((r) => r.query))];
  return [
    {
      title: "Conversation list, p50 / p95 milliseconds (10 messages per conversation)",
      rows: rows.map((r) => ({
        query: r.query,
        conversations: r.size,
        HTTP: both(r.http),
        workerd: both(r.list),
        "D1 statement": both(r.statement),
        SQLite: both(r.sqlite),
      })),
      note: [
        `HTTP: GET /api/conversations on the real Worker under wrangler dev, signed in, request to parsed JSON (${RUNS} runs after ${WARMUP} warm-up).`,
        `workerd: listConversations(env.DB) inside workerd, no HTTP. D1 statement: the one SQL statement it sends, straight to env.DB.`,
        `  The Workers clock ticks in whole ms, so each workerd sample is the mean of ${WORKERD_BATCH} calls (${WORKERD_RUNS} samples).`,
        `SQLite: the same statement and parameters on the same file through node:sqlite (${RUNS} runs).`,
        `Seeding (conversations with contacts, identities, channels, messages): ${seeding.join(", ")}.`,
      ].join("\n"),
    },
    {
      title: "Against bare SQLite: p95 / SQLite p95 (goal: within 2x)",
      rows: rows.map((r) => ({
        query: r.query,
        conversations: r.size,
        HTTP: against(r.http, r.sqlite),
        workerd: against(r.list, r.sqlite),
        "D1 statement": against(r.statement, r.sqlite),
      })),
    },
    {
      title: `Growth: p95 at ${large.toLocaleString("en")} / p95 at ${small.toLocaleString("en")} (goal: within 1.3x)`,
      rows: queries.map((query) => ({
        query,
        HTTP: grow(query, "http"),
        workerd: grow(query, "list"),
        "D1 statement": grow(query, "statement"),
        SQLite: grow(query, "sqlite"),
      })),
      note: [...plans].map(([query, plan]) => `Query plan at ${large.toLocaleString("en")}, ${query}: ${plan}`).join("\n"),
    },
  ];
}
