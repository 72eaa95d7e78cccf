// Draft latency of the built-in assistant on a 100-entry FAQ and 3 pages, measured two ways in one
// run, each beside a baseline taken in the same run:
// - HTTP: POST /api/conversations/:id/draft on the real Worker under `wrangler dev` (settings and
//   the thread read from D1, the pages' passages from D1, ranking, the draft), against
//   GET /api/conversations/:id/messages on the same conversation (signed in, the same thread read
//   from D1): what a draft costs beyond reading the thread;
// - Node: the ranking and the draft alone (src/domain/assistant.ts, bundled), on the same FAQ and the
//   passages the Worker stored, against the same on a 10-entry FAQ and no pages.
// The pages are served by this process on loopback and read by the Worker as in production.
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { pathToFileURL } from "node:url";
import { signUp } from "./chat.bench.mjs";
import { percentile, ratio, roundRobin, timed } from "./stats.mjs";
import { frozenWorker, migratedDatabases, ROOT, withWranglerDev } from "./wrangler-dev.mjs";

const PORT = 8881;
const PAGES_PORT = 8882;
const CONFIG = "test/bench/webhooks.wrangler.toml";
const RUNS = 200;
const WARMUP = 20;
const NODE_RUNS = 500;

const TOPICS = ["shipping", "returns", "payment", "sizes", "gift cards", "accounts", "warranty", "stores", "orders", "newsletters"];
const ASKED = "How long does delivery to Madeira take, and is it free?";

/** A hundred FAQ pairs about a shop, ten on each topic, none about the islands (the pages are). */
const FAQ = Array.from({ length: 100 }, (_, i) => {
  const topic = TOPICS[i % TOPICS.length];
  return {
    question: `Question ${i + 1} about ${topic}: how does ${topic} work for order type ${i}?`,
    answer: `For ${topic} on order type ${i}, our team handles it within ${(i % 5) + 1} working days; see your account for details.`,
  };
});

/** Three pages of about twenty paragraphs each; one of them answers the question asked. */
function page(n) {
  const paragraphs = Array.from(
    { length: 20 },
    (_, i) => `<p>Section ${i + 1} of page ${n}: ${TOPICS[(n + i) % TOPICS.length]} policies, with examples and the small print customers ask about most often, explained in full.</p>`,
  );
  if (n === 1) paragraphs.splice(7, 0, "<p>Deliveries to the islands, Madeira and the Azores, take 7 to 10 working days and are free over 50 euros.</p>");
  return `<!doctype html><html><head><title>Help page ${n}</title><script>var x = 1;</script></head><body><nav>Home Shop Help</nav><main>${paragraphs.join("")}</main><footer>Casa Azul</footer></body></html>`;
}

export default async function assistant() {
  const dir = mkdtempSync(join(tmpdir(), "parley-bench-assistant-"));
  const pages = createServer((req, res) => {
    const n = Number(req.url?.match(/^\/help\/(\d)$/)?.[1]);
    if (!n) return res.writeHead(404).end();
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page(n));
  });
  await new Promise((done) => pages.listen(PAGES_PORT, "127.0.0.1", done));
  try {
    const notes = [`machine load average (1 min) at the start: ${loadavg()[0].toFixed(2)}`];
    const { DB: file } = migratedDatabases({ config: CONFIG, bindings: ["DB"], persistTo: dir });
    const frozen = frozenWorker(CONFIG, dir);
    const http = await withWranglerDev({ config: frozen, port: PORT, persistTo: dir }, (url) => overHttp(url, notes));
    const node = await inNode(file, dir);
    notes.push(`at the end: ${loadavg()[0].toFixed(2)}`);
    return [
      {
        title: "Draft reply, built-in assistant, 100 FAQ pairs and 3 pages (ms)",
        rows: [
          { path: "HTTP: GET thread (baseline)", p50: http.baseline.p50, p95: http.baseline.p95, "vs baseline p50": "1.00x" },
          { path: "HTTP: POST draft", p50: http.draft.p50, p95: http.draft.p95, "vs baseline p50": ratio(http.draft.p50, http.baseline.p50) },
          { path: "Node: rank + draft, 10 FAQ (baseline)", p50: node.small.p50, p95: node.small.p95, "vs baseline p50": "1.00x" },
          { path: "Node: rank + draft, 100 FAQ + 3 pages", p50: node.draft.p50, p95: node.draft.p95, "vs baseline p50": ratio(node.draft.p50, node.small.p50) },
        ],
        note: [
          `${RUNS} requests each over HTTP after ${WARMUP} untimed, taken in turn; ${NODE_RUNS} calls each in Node. Passages stored from the 3 pages: ${node.passages}.`,
          `Every draft was grounded on the page that answers "${ASKED}".`,
          ...notes,
        ].join("\n"),
      },
    ];
  } finally {
    pages.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function overHttp(url, notes) {
  const cookie = await signUp(url);
  const json = (method, path, body) =>
    fetch(`${url}${path}`, { method, headers: { cookie, "content-type": "application/json" }, body: body && JSON.stringify(body) }).then(async (res) => {
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return res.json();
    });
  const urls = [1, 2, 3].map((n) => `http://127.0.0.1:${PAGES_PORT}/help/${n}`);
  await json("PUT", "/api/settings", { ai: { drafts: true, acknowledged: true, role: "friendly", faq: FAQ, urls } });
  const read = await json("POST", "/api/ai/pages/refresh");
  const failed = read.items.filter((p) => p.error || !p.passages);
  if (failed.length) throw new Error(`pages not read: ${JSON.stringify(failed)}`);
  notes.push(`pages read by the Worker: ${read.items.map((p) => `${p.title} (${p.passages} passages)`).join(", ")}`);

  const visitor = await fetch(`${url}/api/widget/visitors`, { method: "POST" }).then((r) => r.json());
  const first = await fetch(`${url}/api/widget/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-visitor-token": visitor.token },
    body: JSON.stringify({ clientId: randomBytes(8).toString("hex"), body: ASKED }),
  }).then((r) => r.json());
  const id = first.conversationId;
  const samples = await roundRobin(
    {
      baseline: timed(() => json("GET", `/api/conversations/${id}/messages`)),
      draft: timed(async () => {
        const draft = await json("POST", `/api/conversations/${id}/draft`);
        if (draft.sources[0]?.url !== urls[0]) throw new Error(`draft not grounded on the islands page: ${JSON.stringify(draft)}`);
      }),
    },
    { runs: RUNS, warmup: WARMUP },
  );
  return Object.fromEntries(Object.entries(samples).map(([name, ms]) => [name, { p50: percentile(ms, 50), p95: percentile(ms, 95) }]));
}

/** The assistant's own code, bundled for Node, on the FAQ and the passages the Worker stored. */
async function inNode(file, dir) {
  const bundle = join(dir, "assistant.mjs");
  execFileSync(join(ROOT, "node_modules/.bin/esbuild"), [join(ROOT, "src/domain/assistant.ts"), "--bundle", "--format=esm", "--platform=node", `--outfile=${bundle}`], { stdio: "pipe" });
  const { retrieve, draftReply } = await import(pathToFileURL(bundle).href);
  const db = new DatabaseSync(file, { readOnly: true });
  const passages = db
    .prepare("SELECT url, title, passages FROM knowledge_pages")
    .all()
    .flatMap((row) => JSON.parse(row.passages).map((text) => ({ url: row.url, title: row.title, text })));
  db.close();
  const knowledge = { faq: FAQ, passages };
  const time = (fn) => {
    const ms = [];
    for (let i = 0; i < NODE_RUNS + 50; i++) {
      const start = performance.now();
      fn();
      if (i >= 50) ms.push(performance.now() - start);
    }
    return { p50: percentile(ms, 50), p95: percentile(ms, 95) };
  };
  return {
    passages: passages.length,
    small: time(() => draftReply("friendly", retrieve({ faq: FAQ.slice(0, 10), passages: [] }, ASKED), "Ana")),
    draft: time(() => draftReply("friendly", retrieve(knowledge, ASKED), "Ana")),
  };
}
