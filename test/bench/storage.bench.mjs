// What D1 grows by, per stored message: a chat message with a 1 KB body, and the typical 10 KB
// email of the email section. Read from the database file after the run with SQLite's dbstat (the
// pages each table and index takes, as D1 stores them), against the same file before the run.
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";
import { typicalMail } from "./email.bench.mjs";
import { migratedDatabases, withWranglerDev } from "./wrangler-dev.mjs";

const PORT = 8790;
const VISITORS = 100;
const PER_VISITOR = 10;
const BODY_BYTES = 1024;
const MAILS = 200;
const SETTLE_MS = 60_000;

export default async function storage() {
  const chat = await measure("test/bench/chat.wrangler.toml", fillWithChat);
  const email = await measure("test/bench/email.wrangler.toml", fillWithMail);
  const row = (kind, m, bodyBytes) => ({
    kind,
    stored: m.count,
    "messages table, B each": m.grew("messages") / m.count,
    "its indexes, B each": m.grew((name) => name.startsWith("sqlite_autoindex_messages") || name.startsWith("messages_")) / m.count,
    "whole D1, B each": m.grew(() => true) / m.count,
    "R2, B each": m.r2 / m.count,
    "body B": bodyBytes,
    "D1 per 100,000 (MB)": ((m.grew(() => true) / m.count) * 100_000) / 1e6,
  });
  return [
    {
      title: "D1 bytes per stored message (pages of each table and index, dbstat), and R2 bytes",
      rows: [
        row(`chat, ${BODY_BYTES} B body (${VISITORS} visitors x ${PER_VISITOR})`, chat, BODY_BYTES),
        row(`email, typical ${(typicalMail().length / 1024).toFixed(1)} KB mail`, email, typicalMail().length),
      ],
      note: `"whole D1" includes each conversation's contact, identities, visitor and index rows (chat: one conversation per ${PER_VISITOR} messages; email: one per mail). D1's limit is 10 GB per database.`,
    },
  ];
}

async function measure(config, fill) {
  const dir = mkdtempSync(join(tmpdir(), "parley-bench-storage-"));
  try {
    const { DB: file } = migratedDatabases({ config, bindings: ["DB"], persistTo: dir });
    const before = pageBytes(file);
    const count = await withWranglerDev({ config, port: PORT, persistTo: dir }, fill);
    const after = pageBytes(file);
    const grew = (match) => {
      const test = typeof match === "string" ? (name) => name === match : match;
      return Object.keys(after)
        .filter(test)
        .reduce((sum, name) => sum + after[name] - (before[name] ?? 0), 0);
    };
    return { count, grew, r2: blobBytes(join(dir, "v3/r2")) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function pageBytes(file) {
  // wrangler dev has exited: fold its write-ahead log into the file first.
  const db = new DatabaseSync(file);
  db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
  const rows = db.prepare("SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name").all();
  db.close();
  return Object.fromEntries(rows.map((r) => [r.name, r.bytes]));
}

/** What the local R2 keeps of the objects themselves (its blobs), not its own index of them. */
function blobBytes(dir) {
  try {
    return readdirSync(dir, { recursive: true }).reduce((sum, f) => {
      const stat = statSync(join(dir, String(f)));
      return stat.isFile() && String(f).split("/").includes("blobs") ? sum + stat.size : sum;
    }, 0);
  } catch {
    return 0;
  }
}

/** Visitors each writing PER_VISITOR messages of BODY_BYTES through the widget's HTTP API (the first opens the thread). */
async function fillWithChat(http) {
  const body = "x".repeat(BODY_BYTES);
  await Promise.all(
    Array.from({ length: VISITORS }, async (_, v) => {
      const { token } = await (await fetch(`${http}/api/widget/visitors`, { method: "POST" })).json();
      for (let i = 0; i < PER_VISITOR; i++) {
        const sent = await fetch(`${http}/api/widget/messages`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-visitor-token": token },
          body: JSON.stringify({ clientId: `m${v}-${i}`, body }),
        });
        if (sent.status !== 201) throw new Error(`chat message: ${sent.status} ${await sent.text()}`);
      }
    }),
  );
  const total = VISITORS * PER_VISITOR;
  const until = Date.now() + SETTLE_MS;
  while ((await (await fetch(`${http}/bench/d1-messages`)).json()).n < total && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  return total;
}

/** The typical mail, MAILS times (each with a Message-ID of its own), through the Worker's email() handler. */
async function fillWithMail(http) {
  const response = await fetch(`${http}/store?runs=${MAILS}&inflight=1`, { method: "POST", body: JSON.stringify([typicalMail().toString("base64")]) });
  if (!response.ok) throw new Error(`store: ${response.status} ${await response.text()}`);
  // The rooms write what they keep right after; wrangler dev stops gracefully, and they have had the time.
  await new Promise((r) => setTimeout(r, 2_000));
  return (await response.json()).mails;
}
