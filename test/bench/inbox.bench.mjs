// The conversation list (GET /api/conversations) at 10k and 100k conversations of 10 messages
// each, with its default filters and with q = a phone number typed in national format, measured
// three ways in one run, each on the same local D1 files:
// - HTTP: the real Worker's fetch (src/index.ts, behind the bench entry that picks the inbox) under
//   `wrangler dev` with the app's assets routing, signed in, request to parsed response;
// - workerd: listConversations on env.DB inside workerd, no HTTP (see test/bench/worker.ts);
// - SQLite: the very statement the Worker sent, on the bare file through node:sqlite.
// Both inboxes are served at once, so every way takes its samples of both sizes in turn.
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { parsePhoneNumber } from "libphonenumber-js";
import { seedInbox } from "./seed-inbox.mjs";
import { percentile, ratio, roundRobin, timed } from "./stats.mjs";
import { migratedDatabases, withWranglerDev } from "./wrangler-dev.mjs";

const PORT = 8791;
const CONFIG = "test/bench/wrangler.toml";
const INBOXES = [
  { size: 10_000, binding: "DB_10K" },
  { size: 100_000, binding: "DB_100K" },
];
const RUNS = 200;
const WARMUP = 30;
// The Workers clock moves in whole milliseconds: each workerd sample is the mean of a batch.
const WORKERD_BATCH = 10;
const FLOOR = "floor: any request / D1 call";

export default async function inbox() {
  const dir = mkdtempSync(join(tmpdir(), "parley-bench-inbox-"));
  try {
    const notes = [`machine load average (1 min) at the start: ${loadavg()[0].toFixed(2)}`];
    const files = migratedDatabases({ config: CONFIG, bindings: INBOXES.map((i) => i.binding), persistTo: dir });
    const now = Date.now();
    for (const { size, binding } of INBOXES) {
      const start = performance.now();
      seedInbox(files[binding], { conversations: size, now });
      notes.push(`seeding ${size.toLocaleString("en")} conversations took ${((performance.now() - start) / 1000).toFixed(1)} s`);
    }
    const typed = phoneToSearch(files[INBOXES[0].binding]);
    const queries = [
      { name: "default filters", q: null },
      { name: `q=${typed}`, q: typed },
    ];
    const served = await withWranglerDev({ config: CONFIG, port: PORT, persistTo: dir }, (url) => onServer(url, queries));
    const bare = await onBareSqlite(files, served.sent);
    notes.push(`at the end: ${loadavg()[0].toFixed(2)}`);

    const rows = [];
    for (const { size, binding } of INBOXES) {
      for (const { name, q } of queries) {
        const sent = served.sent[binding][name];
        // The three ways must be measuring the same page.
        if (q !== null && sent.ids.length === 0) throw new Error(`${name} found no conversation at ${size}`);
        if (String(served.ids[binding][name]) !== String(sent.ids) || String(bare.ids[binding][name]) !== String(sent.ids)) {
          throw new Error(`${name} at ${size}: HTTP, workerd and SQLite returned different pages`);
        }
        const key = `${binding} ${name}`;
        rows.push({ query: name, size, http: served.ms[`HTTP ${key}`], list: served.ms[`list ${key}`], statement: served.ms[`statement ${key}`], sqlite: bare.ms[key] });
      }
      const key = `${binding} ${FLOOR}`;
      rows.push({ query: FLOOR, size, http: served.ms[`HTTP ${key}`], statement: served.ms[`statement ${key}`], sqlite: bare.ms[key] });
    }
    return report(rows, bare.plans, notes);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * On the running server: the SQL each list sends, then, in turn, GET /api/conversations (and a
 * request that touches no D1), listConversations inside workerd, its bare statement, SELECT 1.
 */
async function onServer(url, queries) {
  const sent = {};
  const ids = {};
  const samplers = {};
  for (const { binding } of INBOXES) {
    const cookie = await signIn(url, binding);
    const get =
      (path, status = 200) =>
      async () => {
        const res = await fetch(`${url}${path}`, { headers: { cookie, "x-bench-db": binding } });
        if (res.status !== status) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
        return res.json();
      };
    const inWorkerd = (q, what) => async () => (await postJson(`${url}/__bench/time`, { db: binding, q, what, batch: WORKERD_BATCH })).ms;
    sent[binding] = {};
    ids[binding] = {};
    for (const { name, q } of queries) {
      const search = q === null ? "" : `q=${encodeURIComponent(q)}`;
      sent[binding][name] = await getJson(`${url}/__bench/sql?db=${binding}&${search}`);
      if (sent[binding][name].statements.length !== 1) throw new Error(`${name}: expected one statement, got ${sent[binding][name].statements.length}`);
      const list = get(`/api/conversations${search && `?${search}`}`);
      ids[binding][name] = (await list()).items.map((item) => item.id);
      samplers[`HTTP ${binding} ${name}`] = timed(list);
      samplers[`list ${binding} ${name}`] = inWorkerd(q, "list");
      samplers[`statement ${binding} ${name}`] = inWorkerd(q, "statement");
    }
    samplers[`HTTP ${binding} ${FLOOR}`] = timed(get("/api/bench-floor", 404));
    samplers[`statement ${binding} ${FLOOR}`] = inWorkerd(null, "floor");
  }
  return { sent, ids, ms: await roundRobin(samplers, { runs: RUNS, warmup: WARMUP }) };
}

/** The statements the Worker sent, run on the same files through node:sqlite, with their plans. */
async function onBareSqlite(files, sent) {
  const opened = [];
  try {
    const ids = {};
    const plans = {};
    const samplers = {};
    for (const { size, binding } of INBOXES) {
      const db = new DatabaseSync(files[binding], { readOnly: true });
      opened.push(db);
      ids[binding] = {};
      for (const [name, { statements, ids: expected }] of Object.entries(sent[binding])) {
        const [{ sql, params }] = statements;
        const statement = db.prepare(sql);
        statement.setReturnArrays(true);
        ids[binding][name] = statement
          .all(...params)
          .slice(0, expected.length)
          .map((row) => row[0]);
        const plan = db
          .prepare(`EXPLAIN QUERY PLAN ${sql}`)
          .all(...params)
          .map((r) => r.detail)
          .join("; ");
        plans[name] = plans[name] && plans[name] !== plan ? `${plans[name]}\n  at ${size.toLocaleString("en")}: ${plan}` : plan;
        samplers[`${binding} ${name}`] = timed(() => statement.all(...params));
      }
      const one = db.prepare("SELECT 1");
      samplers[`${binding} ${FLOOR}`] = timed(() => one.all());
    }
    return { ids, plans, ms: await roundRobin(samplers, { runs: RUNS, warmup: WARMUP }) };
  } finally {
    for (const db of opened) db.close();
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

/** The first admin of the inbox `binding` names, signed in: their session cookie. */
async function signIn(url, binding) {
  const res = await fetch(`${url}/api/setup`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-bench-db": binding },
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

function report(rows, plans, notes) {
  const p50 = (ms) => percentile(ms, 50);
  const p95 = (ms) => percentile(ms, 95);
  const both = (ms) => (ms ? `${p50(ms).toFixed(2)} / ${p95(ms).toFixed(2)}` : "");
  const against = (ms, base) => (ms ? ratio(p95(ms), p95(base)) : "");
  const [small, large] = INBOXES.map((i) => i.size);
  const at = (query, size) => rows.find((r) => r.query === query && r.size === size);
  const grow = (query, way) => {
    const [from, to] = [at(query, small)[way], at(query, large)[way]];
    return to ? `${ratio(p95(to), p95(from))} (${ratio(p50(to), p50(from))})` : "";
  };
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
        "HTTP: GET /api/conversations through wrangler dev to the real Worker's fetch, signed in, request to parsed JSON.",
        "workerd: listConversations(env.DB) inside workerd, no HTTP. D1 statement: the one SQL statement it sends, straight to env.DB.",
        `  The Workers clock ticks in whole ms, so each workerd sample is the mean of ${WORKERD_BATCH} calls.`,
        "SQLite: the same statement and parameters on the same file through node:sqlite.",
        "Floor rows: HTTP = an unknown /api path (404, no D1 call); D1 statement and SQLite = SELECT 1.",
        `${RUNS} samples each after ${WARMUP} warm-up, taken in turn across queries and sizes so a busy moment weighs on all alike.`,
        `Data: contacts, identities, channels and messages seeded straight into the local D1 files; ${notes.join("; ")}.`,
      ].join("\n"),
    },
    {
      title: "Against bare SQLite: p95 / SQLite p95 (goal: within 2x)",
      rows: rows
        .filter((r) => r.query !== FLOOR)
        .map((r) => ({
          query: r.query,
          conversations: r.size,
          HTTP: against(r.http, r.sqlite),
          workerd: against(r.list, r.sqlite),
          "D1 statement": against(r.statement, r.sqlite),
          "D1 statement - D1 floor, p50 ms": p50(r.statement) - p50(at(FLOOR, r.size).statement),
          "SQLite p50 ms": p50(r.sqlite),
        })),
    },
    {
      title: `Growth: p95 (p50) at ${large.toLocaleString("en")} / at ${small.toLocaleString("en")} (goal: p95 within 1.3x)`,
      rows: queries.map((query) => ({
        query,
        HTTP: grow(query, "http"),
        workerd: grow(query, "list"),
        "D1 statement": grow(query, "statement"),
        SQLite: grow(query, "sqlite"),
      })),
      note: Object.entries(plans)
        .map(([query, plan]) => `Query plan, ${query}: ${plan}`)
        .join("\n"),
    },
  ];
}
