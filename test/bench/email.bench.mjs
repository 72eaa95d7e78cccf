// Inbound email: mails stored per second through the Worker's email() handler (parse, contact,
// thread, attachments to R2, D1 rows, live feed), next to bare postal-mime parsing of the same mails
// in the same workerd, in the same run. Two workloads: a typical 10 KB mail, and the whole fixture
// corpus (test/fixtures/email/, 112 real mails). Goal: storing at least half the bare parse rate.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { migratedDatabases, ROOT, withWranglerDev } from "./wrangler-dev.mjs";

const PORT = 8789;
const CONFIG = "test/bench/email.wrangler.toml";
const ROUNDS = 5;
const INFLIGHT = 16;
const FLOOR_RUNS = 200;
// Mails handled per request, per mode: enough that one request takes a fair while.
const PASSES = {
  "typical 10 KB": { parse: 400, read: 400, store: 80 },
  "fixture corpus": { parse: 8, read: 8, store: 2 },
};

export default async function email() {
  const dir = mkdtempSync(join(tmpdir(), "parley-bench-email-"));
  try {
    migratedDatabases({ config: CONFIG, bindings: ["DB"], persistTo: dir });
    const workloads = { "typical 10 KB": [typicalMail()], "fixture corpus": corpus() };
    const loadAtStart = loadavg()[0];
    const modes = [
      { mode: "parse", inflight: 1 },
      { mode: "read", inflight: 1 },
      { mode: "store", inflight: 1 },
      { mode: "store", inflight: INFLIGHT },
    ];
    const totals = await withWranglerDev({ config: CONFIG, port: PORT, persistTo: dir }, async (url) => {
      const sums = {};
      for (let round = -1; round < ROUNDS; round++) {
        for (const [name, mails] of Object.entries(workloads)) {
          for (const { mode, inflight } of modes) {
            const runs = round < 0 ? 1 : PASSES[name][mode]; // round -1 warms up
            const { ms, mails: handled, d1RoundTrips } = await post(`${url}/${mode}?runs=${runs}&inflight=${inflight}`, mails);
            if (round < 0) continue;
            const sum = (sums[`${name} ${mode} ${inflight}`] ??= { ms: 0, mails: 0, trips: 0 });
            sum.ms += ms;
            sum.mails += handled;
            sum.trips += d1RoundTrips;
          }
        }
        if (round >= 0) {
          const { ms, mails: trips } = await post(`${url}/floor?runs=${FLOOR_RUNS}`, [Buffer.alloc(0)]);
          const floor = (sums.floor ??= { ms: 0, trips: 0 });
          floor.ms += ms;
          floor.trips += trips;
        }
      }
      return sums;
    });
    const rows = Object.entries(workloads).map(([name, mails]) => {
      const perSecond = (mode, inflight) => {
        const { mails: handled, ms } = totals[`${name} ${mode} ${inflight}`];
        return handled / (ms / 1000);
      };
      const parse = perSecond("parse", 1);
      const read = perSecond("read", 1);
      const stored = perSecond("store", 1);
      const storedTogether = perSecond("store", INFLIGHT);
      return {
        workload: name,
        mails: mails.length,
        "avg KB": mails.reduce((n, m) => n + m.length, 0) / mails.length / 1024,
        "parse /s": parse,
        "read /s": read,
        "read / parse": read / parse,
        "stored /s": stored,
        "stored / parse": stored / parse,
        [`stored /s, ${INFLIGHT} at once`]: storedTogether,
        [`${INFLIGHT} at once / parse`]: storedTogether / parse,
        "D1 trips/mail": totals[`${name} store 1`].trips / totals[`${name} store 1`].mails,
      };
    });
    const floorPerSecond = totals.floor.trips / (totals.floor.ms / 1000);
    return [
      {
        title: "Inbound email: mails stored per second vs bare postal-mime parsing, inside workerd",
        rows,
        note: [
          `Goal: stored / parse >= 0.50. ${ROUNDS} rounds after a warm-up, modes alternating; local D1, R2 and Durable Objects under wrangler dev.`,
          `"read" is the email channel's own work without storage (parse, header repair, charset and HTML handling, quote and signature split).`,
          `"stored" runs the Worker's email() handler: that, plus contact, thread, attachments to R2, D1 rows, live feed.`,
          `"D1 trips/mail" counts the Worker's own; the conversation's room stores the message and the conversation in one more.`,
          `Floor in the same run: ${floorPerSecond.toFixed(0)} D1 round trips (SELECT 1) per second, so ${(floorPerSecond / rows[0]["D1 trips/mail"]).toFixed(0)} mails/s at most for the typical mail's D1 trips alone.`,
          `Machine load average (1 min) ${loadAtStart.toFixed(2)} at the start, ${loadavg()[0].toFixed(2)} at the end.`,
        ].join("\n"),
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** wrangler dev rebuilds when a source file changes (others may be editing): such a request is sent again. */
async function post(url, mails) {
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(url, { method: "POST", body: JSON.stringify(mails.map((m) => m.toString("base64"))) });
    if (response.ok) return response.json();
    const text = await response.text();
    if (!(response.status === 503 && /restarted/.test(text)) || attempt === 5) throw new Error(`${url}: ${response.status} ${text}`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}

function corpus() {
  const base = join(ROOT, "test/fixtures/email");
  return readdirSync(base, { recursive: true })
    .filter((f) => String(f).endsWith(".eml"))
    .sort()
    .map((f) => readFileSync(join(base, String(f))));
}

/** A typical customer mail of about 10 KB: relay headers, DKIM, and a text and an HTML part. */
export function typicalMail() {
  const paragraph =
    "Hello, I ordered the walnut desk (order 1042) two weeks ago and the tracking page still says " + "“label created”. Could you check with the carrier? I need it before the 30th — thank you! ";
  const text = Array.from({ length: 20 }, () => paragraph).join("\n\n");
  const html = `<html><head><style>p{font-family:Arial}</style></head><body>${Array.from({ length: 20 }, () => `<p>${paragraph}</p>`).join("")}<div>-- <br>Ana Lima</div></body></html>`;
  const received = Array.from(
    { length: 4 },
    (_, i) =>
      `Received: from mx${i}.mail.example.com (mx${i}.mail.example.com [192.0.2.${i + 10}])\r\n\tby relay.parley.test with ESMTPS id ${"A".repeat(12)}${i}\r\n\tfor <support@parley.test>; Sun, 22 Nov 2026 09:00:0${i} +0000`,
  );
  const dkim = `DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s=s1; h=from:to:subject:date:message-id;\r\n\tbh=${"b".repeat(44)};\r\n\tb=${"c".repeat(340)}`;
  const mail = [
    ...received,
    dkim,
    "From: Ana Lima <ana@example.com>",
    "To: Acme Support <support@parley.test>",
    "Subject: =?UTF-8?Q?Where_is_my_desk=3F_=E2=80=94_order_1042?=",
    "Date: Sun, 22 Nov 2026 09:00:00 +0000",
    "MIME-Version: 1.0",
    'Content-Type: multipart/alternative; boundary="alt"',
    "",
    "--alt",
    "Content-Type: text/plain; charset=utf-8",
    "Content-Transfer-Encoding: 8bit",
    "",
    `${text}\r\n\r\n-- \r\nAna Lima`,
    "--alt",
    "Content-Type: text/html; charset=utf-8",
    "Content-Transfer-Encoding: 8bit",
    "",
    html,
    "--alt--",
    "",
  ].join("\r\n");
  return Buffer.from(mail, "utf8");
}
