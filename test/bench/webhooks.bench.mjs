// Provider webhooks under load: requests handled per second on POST /webhooks/messenger and
// POST /webhooks/sms, INFLIGHT at a time, each request signed as Meta or Twilio signs it and
// carrying one new message from one of PEOPLE people (one in REDELIVER_EVERY is a redelivery of
// a message already answered), against the same signature check alone in the same workerd, same
// run, same load: a bench route that verifies the signature with WebCrypto and stores nothing
// (test/bench/webhooks-worker.ts), with the secret in its env, and again with the secret read
// from Settings in D1 first, as the webhooks do. The paths take their turns in ROUNDS rounds.
// Checks: every request answered 2xx, and the API then shows each channel's messages once each:
// as many as unique ids sent (conversations ?channel=...&status=all, and their messages).
import { createHmac, randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { signUp } from "./chat.bench.mjs";
import { percentile, ratio } from "./stats.mjs";
import { frozenWorker, migratedDatabases, withWranglerDev } from "./wrangler-dev.mjs";

const PORT = 8871;
const CONFIG = "test/bench/webhooks.wrangler.toml";
const INFLIGHT = 8;
/** Timed requests per path and channel, sent in ROUNDS turns. */
const REQUESTS = 600;
const ROUNDS = 4;
/** Untimed requests per path and channel before the first round. */
const WARMUP = 30;
const PEOPLE = 200;
const REDELIVER_EVERY = 40;
const READ_BACK_CONCURRENCY = 8;

const MESSENGER = { appSecret: randomBytes(16).toString("hex"), pageId: "104857600000001", pageAccessToken: "bench-page-access-token" };
const SMS = { accountSid: `AC${randomBytes(16).toString("hex")}`, authToken: randomBytes(16).toString("hex"), fromNumber: "+14155550100" };

/** How each provider signs what it sends, and where. */
export const CHANNELS = {
  messenger: {
    name: "Messenger",
    webhook: "/webhooks/messenger",
    settings: { messenger: MESSENGER },
    /** Message `n` of a stream, from person n % PEOPLE, as Meta sends it. */
    request(url, n) {
      const id = `m_${randomBytes(24).toString("base64url")}`;
      const now = Date.now();
      const event = {
        sender: { id: String(7_100_000_000_000_000 + (n % PEOPLE)) },
        recipient: { id: MESSENGER.pageId },
        timestamp: now,
        message: { mid: id, text: `Hello, this is bench message ${n}. Is my order on its way?` },
      };
      const body = JSON.stringify({ object: "page", entry: [{ id: MESSENGER.pageId, time: now, messaging: [event] }] });
      const signature = `sha256=${createHmac("sha256", MESSENGER.appSecret).update(body).digest("hex")}`;
      return { url, id, body, headers: { "content-type": "application/json", "x-hub-signature-256": signature } };
    },
  },
  sms: {
    name: "SMS",
    webhook: "/webhooks/sms",
    settings: { sms: SMS },
    /** Message `n` of a stream, from person n % PEOPLE, as Twilio sends it. */
    request(url, n) {
      const id = `SM${randomBytes(16).toString("hex")}`;
      const params = {
        ToCountry: "US",
        SmsMessageSid: id,
        NumMedia: "0",
        SmsSid: id,
        SmsStatus: "received",
        Body: `Hello, this is bench message ${n}. Is my order on its way?`,
        To: SMS.fromNumber,
        NumSegments: "1",
        MessageSid: id,
        AccountSid: SMS.accountSid,
        From: `+1415555${String(1000 + (n % PEOPLE)).padStart(4, "0")}`,
        ApiVersion: "2010-04-01",
      };
      const signed =
        url +
        Object.keys(params)
          .sort()
          .map((name) => name + params[name])
          .join("");
      const signature = createHmac("sha1", SMS.authToken).update(signed).digest("base64");
      return { url, id, body: new URLSearchParams(params).toString(), headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signature } };
    },
  },
};

/** What each channel is measured on: its bare check, the check with the secret read from D1, the webhook. */
const PATHS = {
  verify: { label: "signature check alone", route: (channel) => `/bench/verify/${channel}` },
  settings: { label: "Settings read (D1) + signature check", route: (channel) => `/bench/verify/${channel}?settings=1` },
  webhook: { label: "webhook (checked and stored)", route: (channel) => CHANNELS[channel].webhook },
};

export default async function webhooks() {
  const dir = mkdtempSync(join(tmpdir(), "parley-bench-webhooks-"));
  try {
    migratedDatabases({ config: CONFIG, bindings: ["DB"], persistTo: dir });
    // Bundled once: others edit src/ meanwhile, and a reload mid-run would answer requests 503.
    const config = frozenWorker(CONFIG, dir);
    const notes = [`machine load average (1 min) at the start: ${loadavg()[0].toFixed(2)}`];
    const vars = { BENCH_MESSENGER_APP_SECRET: MESSENGER.appSecret, BENCH_SMS_AUTH_TOKEN: SMS.authToken };
    const { figures, stored } = await withWranglerDev({ config, port: PORT, persistTo: dir, vars }, async (base) => {
      const cookie = await signUp(base);
      await putSettings(base, cookie, Object.assign({}, ...Object.values(CHANNELS).map((c) => c.settings)));
      const streams = {};
      for (const channel of Object.keys(CHANNELS)) {
        for (const path of Object.keys(PATHS)) streams[`${channel} ${path}`] = stream(base, channel, path);
      }
      // Is each webhook served by this build? Its first request tells (404: not yet).
      const missing = {};
      for (const channel of Object.keys(CHANNELS)) {
        const probe = await streams[`${channel} webhook`].probe();
        if (probe.status === 404) missing[channel] = `POST ${CHANNELS[channel].webhook} answered 404, not served by this build (${probe.text.trim().slice(0, 120)}): only its baselines were measured.`;
      }
      // The baselines are the bench's own routes: measured even when the webhook is not served.
      const running = Object.values(streams).filter((s) => !(s.path === "webhook" && missing[s.channel]));
      for (const s of running) await s.run(WARMUP, { timed: false });
      for (let round = 0; round < ROUNDS; round++) {
        for (const s of running) await s.run(REQUESTS / ROUNDS, { timed: true });
      }
      const stored = {};
      for (const channel of Object.keys(CHANNELS)) {
        if (!missing[channel]) stored[channel] = await readBack(base, cookie, channel);
      }
      return { figures: { streams, missing }, stored };
    });
    notes.push(`at the end: ${loadavg()[0].toFixed(2)}`);
    return report(figures, stored, notes);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One path's requests for one channel: each run sends `count` of them, INFLIGHT at a time. */
function stream(base, channel, path) {
  const url = `${base}${PATHS[path].route(channel)}`;
  const redelivers = path === "webhook";
  let n = 0;
  const answered = []; // requests answered 2xx, that a redelivery may send again
  const s = {
    channel,
    path,
    ms: [],
    elapsed: 0,
    statuses: {},
    refusals: [],
    unique: new Set(),
    redeliveries: 0,
    async probe() {
      const request = CHANNELS[channel].request(url, n++);
      const { status, text } = await send(request);
      s.count(request, status, text);
      return { status, text };
    },
    async run(count, { timed }) {
      const requests = Array.from({ length: count }, (_, i) => {
        if (redelivers && i % REDELIVER_EVERY === REDELIVER_EVERY - 1 && answered.length) {
          s.redeliveries++;
          return answered[Math.floor(Math.random() * answered.length)];
        }
        return CHANNELS[channel].request(url, n++);
      });
      const result = await inFlight(requests, INFLIGHT);
      if (timed) {
        s.ms.push(...result.ms);
        s.elapsed += result.elapsed;
      }
      result.answers.forEach(({ status, text }, i) => void s.count(requests[i], status, text));
    },
    count(request, status, text) {
      s.statuses[status] = (s.statuses[status] ?? 0) + 1;
      if (status >= 200 && status < 300) {
        answered.push(request);
        s.unique.add(request.id);
      } else if (s.refusals.length < 3) {
        s.refusals.push(`${status} ${text.slice(0, 200)}`);
      }
    },
  };
  return s;
}

async function send({ url, body, headers }) {
  const response = await fetch(url, { method: "POST", headers, body });
  return { status: response.status, text: await response.text() };
}

/** Sends every request, `inflight` at a time: each one's time and answer, and the whole run's time. */
async function inFlight(requests, inflight) {
  const ms = new Array(requests.length);
  const answers = new Array(requests.length);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < requests.length; i = next++) {
      const start = performance.now();
      answers[i] = await send(requests[i]);
      ms[i] = performance.now() - start;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: inflight }, lane));
  return { ms, answers, elapsed: performance.now() - start };
}

async function putSettings(base, cookie, settings) {
  const res = await fetch(`${base}/api/settings`, { method: "PUT", headers: { cookie, "content-type": "application/json" }, body: JSON.stringify(settings) });
  if (!res.ok) throw new Error(`PUT /api/settings: ${res.status} ${await res.text()}`);
}

/** What the API shows of `channel`: its conversations (all statuses) and every message in them. */
async function readBack(base, cookie, channel) {
  const get = async (path) => {
    const res = await fetch(`${base}${path}`, { headers: { cookie } });
    if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const conversations = [];
  for (let cursor = null, first = true; first || cursor; first = false) {
    const page = await get(`/api/conversations?${new URLSearchParams({ channel, status: "all", limit: "100", ...(cursor && { cursor }) })}`);
    conversations.push(...page.items.map((c) => c.id));
    cursor = page.nextCursor;
  }
  const ids = [];
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < conversations.length; i = next++) {
      for (let cursor = null, first = true; first || cursor; first = false) {
        const page = await get(`/api/conversations/${conversations[i]}/messages?${new URLSearchParams({ limit: "100", ...(cursor && { cursor }) })}`);
        ids.push(...page.items.filter((m) => m.direction === "in" && m.channel === channel).map((m) => m.externalId));
        cursor = page.olderCursor;
      }
    }
  };
  await Promise.all(Array.from({ length: READ_BACK_CONCURRENCY }, lane));
  return { conversations: conversations.length, ids };
}

function report({ streams, missing }, stored, notes) {
  const failures = [];
  const rows = [];
  const checks = [];
  for (const [channel, { name }] of Object.entries(CHANNELS)) {
    const of = (path) => streams[`${channel} ${path}`];
    const perSecond = (s) => s.ms.length / (s.elapsed / 1000);
    const bare = perSecond(of("verify"));
    for (const path of Object.keys(PATHS)) {
      const s = of(path);
      const notServed = path === "webhook" && missing[channel];
      const sent = Object.values(s.statuses).reduce((a, b) => a + b, 0);
      const refused =
        sent -
        Object.entries(s.statuses)
          .filter(([status]) => status >= 200 && status < 300)
          .reduce((a, [, n]) => a + n, 0);
      if (!notServed && refused) failures.push(`${name} ${PATHS[path].label}: ${refused} of ${sent} requests not 2xx, e.g. ${s.refusals.join(" | ")}`);
      rows.push({
        channel: name,
        path: PATHS[path].label,
        "requests/s": notServed ? "not served" : perSecond(s),
        "p50 ms": notServed ? "" : percentile(s.ms, 50),
        "p99 ms": notServed ? "" : percentile(s.ms, 99),
        "/ signature alone": notServed ? "" : ratio(perSecond(s), bare),
        "timed requests": notServed ? 0 : s.ms.length,
        "not 2xx (all sent)": notServed ? `${refused} of ${sent}` : refused,
      });
    }
    const webhook = of("webhook");
    if (missing[channel]) {
      checks.push({ channel: name, "unique ids answered 2xx": "", redeliveries: "", "messages stored": "", conversations: "", "stored once each": "not served (404)" });
      continue;
    }
    const { ids, conversations } = stored[channel];
    const kept = new Set(ids);
    const twice = ids.length - kept.size;
    const lost = [...webhook.unique].filter((id) => !kept.has(id)).length;
    const strangers = [...kept].filter((id) => !webhook.unique.has(id)).length;
    const ok = ids.length === webhook.unique.size && !twice && !lost && !strangers;
    if (!ok) failures.push(`${name}: ${ids.length} messages stored for ${webhook.unique.size} unique ids answered 2xx (${twice} stored twice, ${lost} missing, ${strangers} not sent)`);
    checks.push({
      channel: name,
      "unique ids answered 2xx": webhook.unique.size,
      redeliveries: webhook.redeliveries,
      "messages stored": ids.length,
      conversations,
      "stored once each": ok ? "yes" : "NO",
    });
  }
  if (failures.length) throw new Error(`webhook checks failed:\n${failures.join("\n")}\nfigures: ${JSON.stringify(rows)}`);
  return [
    {
      title: `Provider webhooks: requests handled per second, ${INFLIGHT} in flight, vs the same signature check alone`,
      rows,
      note: [
        `${REQUESTS.toLocaleString("en")} timed requests per row, in ${ROUNDS} rounds taking turns across rows, after ${WARMUP} untimed each; latency is request to full answer, in Node.`,
        `Each request carries one new message from one of ${PEOPLE} people (Messenger page-scoped ids; SMS phone numbers), signed as Meta (X-Hub-Signature-256) or Twilio (X-Twilio-Signature) sign it;`,
        `  on the webhooks one request in ${REDELIVER_EVERY} is a redelivery of one already answered (stored once).`,
        `"signature check alone": a bench route in the same Worker verifying the same signature with WebCrypto, secret in env, storing nothing;`,
        `  "Settings read (D1) +": the same with the secret read from Settings first, as the webhooks do. Local D1 and Durable Objects under wrangler dev.`,
        notes.join("; "),
        ...Object.values(missing),
      ].join("\n"),
    },
    {
      title: "Stored once each: what the API shows afterwards (GET /api/conversations?channel=...&status=all and their messages)",
      rows: checks,
    },
  ];
}
