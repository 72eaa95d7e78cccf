// Web chat under load: 1,000 conversations at once, each with the visitor's widget socket and an
// agent's socket on the conversation's room (and one agent's inbox feed open), against a bare
// Durable Object relay with the same topology measured in the same run, and the same relay writing
// each message to its storage first (test/bench/chat-worker.ts), one path at a time.
// - latency: visitor sends -> agent's socket has it (kept in the room's journal first, for the
//   product), with every conversation writing one message every 15 s;
// - throughput: every visitor sends a burst back to back; messages delivered per second;
// - D1's lag behind the rooms meanwhile: D1's message count polled against the acks the visitors got.
// Plus the widget's size as shipped (public/widget.js, minified and gzipped).
// `N=100 npm run bench -- chat` gives a quick look with fewer conversations.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { percentile, ratio } from "./stats.mjs";
import { frozenWorker, migratedDatabases, ROOT, withWranglerDev } from "./wrangler-dev.mjs";

const PORT = 8788;
const CONFIG = "test/bench/chat.wrangler.toml";
const CONVERSATIONS = Number(process.env.N ?? 1_000);
// A visitor writes about every 15 s in a lively chat: 1,000 of them offer ~67 messages a second.
const PACE_MS = 15_000;
const PACED_ROUNDS = 3;
const BURST = 5;
const SETUP_CONCURRENCY = 50;
const DELIVERY_TIMEOUT_MS = 120_000;
const PING_MS = 5_000;
const D1_POLL_MS = 50;
const SETTLE_MS = 5_000;
/** When each product visitor's message was acked (stored in its room), for D1's lag. */
const ackTimes = [];
/** Sockets the server closed before the bench was done with them (each one a failure to report). */
let closedEarly = 0;
/** Sockets that failed to open on the first try during setup. */
let reopened = 0;
const WIDGET_GOAL_BYTES = 8 * 1024;

export default async function chat() {
  const dir = mkdtempSync(join(tmpdir(), "parley-bench-chat-"));
  try {
    const widget = widgetSize();
    migratedDatabases({ config: CONFIG, bindings: ["DB"], persistTo: dir });
    const config = frozenWorker(CONFIG, dir);
    const notes = [`machine load average (1 min) at the start: ${loadavg()[0].toFixed(2)}`];
    const figures = await withWranglerDev({ config, port: PORT, persistTo: dir }, async (http) => {
      const ws = http.replace(/^http/, "ws");
      const cookie = await signUp(http);
      const inbox = await open(`${ws}/api/live`, { cookie }, (f) => f.type === "ready");
      // One path at a time, each with only its own sockets open: the relay, the relay that stores
      // first, then the product (measuring D1's lag behind it). Paced, then burst, on the same sockets.
      const result = { paced: {}, burst: {}, lag: {} };
      const paths = {
        echo: (i) => echoPair(ws, "echo", i),
        storing: (i) => echoPair(ws, "storing-echo", i),
        product: () => chatPair(http, ws, cookie),
      };
      for (const [path, make] of Object.entries(paths)) {
        const pairs = await inBatches(CONVERSATIONS, make);
        // The rooms write their setup (first messages, presence) to D1 after answering: let that finish first.
        if (path === "product") await untilD1Has(http, CONVERSATIONS);
        for (const [phase, run] of [
          ["paced", paced],
          ["burst", burst],
        ]) {
          const measured = path === "product" ? await withD1Lag(http, () => run(pairs)) : { result: await run(pairs) };
          result[phase][path] = measured.result;
          if (measured.lag) result.lag[phase] = measured.lag;
        }
        for (const pair of pairs) pair.close();
      }
      inbox.close();
      return result;
    });
    notes.push(`at the end: ${loadavg()[0].toFixed(2)}`, `sockets closed by the server during the run: ${closedEarly}`, `sockets opened on a second try: ${reopened}`);
    const { paced: p, burst: b, lag } = figures;
    return [
      {
        title: `Visitor -> agent delivery, ${CONVERSATIONS.toLocaleString("en")} conversations (a visitor and an agent socket each), one message per conversation every ${PACE_MS / 1000} s (ms)`,
        rows: [
          { path: "bare Durable Object relay", p50: p.echo.p50, p99: p.echo.p99, max: p.echo.max, "msg/s offered": p.echo.rate, "not delivered": p.echo.lost },
          { path: "relay writing each message to its storage first", p50: p.storing.p50, p99: p.storing.p99, max: p.storing.max, "msg/s offered": p.storing.rate, "not delivered": p.storing.lost },
          { path: "Parley room (kept in its journal, then sent)", p50: p.product.p50, p99: p.product.p99, max: p.product.max, "msg/s offered": p.product.rate, "not delivered": p.product.lost },
          { path: "Parley / bare", p50: ratio(p.product.p50, p.echo.p50), p99: ratio(p.product.p99, p.echo.p99), max: "", "msg/s offered": "", "not delivered": "" },
        ],
        note: `Goals: p50 within 1.3x and p99 within 2x of the bare relay. "not delivered": not on the agent's socket within ${DELIVERY_TIMEOUT_MS / 1000} s.\n${notes.join("; ")}`,
      },
      {
        title: `Sustained throughput: every visitor sends ${BURST} messages back to back (${(CONVERSATIONS * BURST).toLocaleString("en")} in all)`,
        rows: [
          { path: "bare Durable Object relay", "msg/s delivered": b.echo.rate, p50: b.echo.p50, p99: b.echo.p99, "not delivered": b.echo.lost },
          { path: "relay writing each message to its storage first", "msg/s delivered": b.storing.rate, p50: b.storing.p50, p99: b.storing.p99, "not delivered": b.storing.lost },
          { path: "Parley room (kept in its journal, then sent)", "msg/s delivered": b.product.rate, p50: b.product.p50, p99: b.product.p99, "not delivered": b.product.lost },
          { path: "Parley / bare", "msg/s delivered": ratio(b.product.rate, b.echo.rate), p50: "", p99: "", "not delivered": "" },
        ],
        note: "Goal: at least half the bare relay's messages per second.",
      },
      {
        title: "How far D1 lags behind the rooms (ms from a visitor's ack to D1 holding as many messages)",
        rows: [
          { phase: "paced", p50: lag.paced.p50, p99: lag.paced.p99, "caught up after last ack": lag.paced.catchUp, "acked, not in D1 at the end": lag.paced.missing },
          { phase: "burst", p50: lag.burst.p50, p99: lag.burst.p99, "caught up after last ack": lag.burst.catchUp, "acked, not in D1 at the end": lag.burst.missing },
        ],
        note: `D1's message count polled every ${D1_POLL_MS} ms during each phase; the n-th ack is matched with the first poll showing n more messages than at the start. The API's thread pages and the inbox list read D1.`,
      },
      {
        title: "Widget as shipped (public/widget.js)",
        rows: [{ file: "widget.js", "minified bytes": widget.raw, "gzipped bytes": widget.gzipped, "gzipped KB": widget.gzipped / 1024, goal: `<= ${WIDGET_GOAL_BYTES / 1024} KB` }],
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function widgetSize() {
  execFileSync("npm", ["run", "build", "--silent"], { cwd: ROOT, stdio: "pipe" });
  const raw = readFileSync(join(ROOT, "public/widget.js"));
  return { raw: raw.length, gzipped: gzipSync(raw, { level: 9 }).length };
}

export async function signUp(http) {
  const res = await fetch(`${http}/api/setup`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: "bench@parley.test", password: "bench password", name: "Bench Agent" }),
  });
  if (res.status !== 201) throw new Error(`setup: ${res.status} ${await res.text()}`);
  return res.headers.get("set-cookie").split(";")[0];
}

/**
 * A socket, once `ready` says a frame shows it is live (or on open without `ready`). Product
 * sockets ping as the widget does: the room closes a visitor socket it has not heard from.
 */
async function open(url, headers, ready) {
  // Opening 2,000 sockets at once, the local runtime now and then drops one: try again, and count it.
  for (let attempt = 1; ; attempt++) {
    try {
      return await openOnce(url, headers, ready);
    } catch (error) {
      if (attempt === 5) throw error;
      reopened++;
      await sleep(250 * attempt);
    }
  }
}

function openOnce(url, headers, ready) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    const listeners = new Set();
    const pinger = ready && setInterval(() => socket.readyState === WebSocket.OPEN && socket.send('{"type":"ping"}'), PING_MS);
    let closedByUs = false;
    socket.onclose = () => {
      clearInterval(pinger);
      if (!closedByUs) closedEarly++;
    };
    socket.onmessage = (event) => {
      const frame = JSON.parse(event.data);
      if (ready?.(frame)) resolve(wrap());
      for (const listener of listeners) listener(frame);
    };
    socket.onopen = () => !ready && resolve(wrap());
    socket.onerror = () => reject(new Error(`could not open ${url}`));
    const wrap = () => ({
      send: (f) => socket.send(JSON.stringify(f)),
      onFrame: (l) => listeners.add(l),
      close: () => {
        closedByUs = true;
        socket.close();
      },
    });
  });
}

/** One conversation of the relay: what the visitor sends reaches the agent's socket as it was sent. */
async function echoPair(ws, kind, i) {
  const url = `${ws}/bench/${kind}/room-${i}`;
  const visitor = await open(url, {});
  const agent = await open(url, {});
  return pair(visitor, agent, (frame) => frame.clientId);
}

/** One conversation of the product: a visitor who wrote once, their widget socket and an agent watching. */
async function chatPair(http, ws, cookie) {
  const created = await fetch(`${http}/api/widget/visitors`, { method: "POST" });
  if (created.status !== 201) throw new Error(`new visitor: ${created.status} ${await created.text()}`);
  const { token } = await created.json();
  const first = await fetch(`${http}/api/widget/messages`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-visitor-token": token },
    body: JSON.stringify({ clientId: "hello", body: "Hello" }),
  });
  if (first.status !== 201) throw new Error(`first message: ${first.status} ${await first.text()}`);
  const { conversationId } = await first.json();
  const ready = (f) => f.type === "ready";
  const visitor = await open(`${ws}/api/widget/live?${new URLSearchParams({ token, conversation: conversationId })}`, {}, ready);
  visitor.onFrame((f) => f.type === "ack" && ackTimes.push(performance.now()));
  const agent = await open(`${ws}/api/conversations/${conversationId}/live`, { cookie }, ready);
  return pair(visitor, agent, (frame) => frame.type === "message.created" && frame.message.externalId?.split(":")[1]);
}

const d1Messages = async (http) => (await (await fetch(`${http}/bench/d1-messages`)).json()).n;

async function untilD1Has(http, count) {
  const deadline = performance.now() + DELIVERY_TIMEOUT_MS;
  while ((await d1Messages(http)) < count && performance.now() < deadline) await sleep(100);
  await sleep(SETTLE_MS);
}

/**
 * Runs `run` while polling how many messages D1 holds, then waits until D1 has every message the
 * visitors were acked: how far D1 lagged behind, and how long it took to catch up after the last ack.
 */
async function withD1Lag(http, run) {
  const count = () => d1Messages(http);
  const base = await count();
  ackTimes.length = 0;
  const polls = [];
  let polling = true;
  const poller = (async () => {
    while (polling) {
      const n = await count();
      polls.push({ at: performance.now(), n });
      await sleep(D1_POLL_MS);
    }
  })();
  const result = await run();
  const deadline = performance.now() + DELIVERY_TIMEOUT_MS;
  // An ack leaves the room just after the agent's frame: wait for the last few.
  while (ackTimes.length < result.delivered + result.lost && performance.now() < deadline) await sleep(D1_POLL_MS);
  const target = base + ackTimes.length;
  while ((polls.at(-1)?.n ?? base) < target && performance.now() < deadline) await sleep(D1_POLL_MS);
  polling = false;
  await poller;
  const acked = [...ackTimes].sort((a, b) => a - b);
  const lags = [];
  let p = 0;
  for (let i = 0; i < acked.length; i++) {
    while (p < polls.length && polls[p].n < base + i + 1) p++;
    if (p === polls.length) break;
    lags.push(Math.max(0, polls[p].at - acked[i]));
  }
  const caughtUp = polls.find((poll) => poll.n >= target);
  return {
    result,
    lag: { p50: percentile(lags, 50), p99: percentile(lags, 99), catchUp: caughtUp ? Math.max(0, caughtUp.at - acked.at(-1)) : "not within the timeout", missing: target - (polls.at(-1)?.n ?? base) },
  };
}

let sequence = 0;

/** Sends as the visitor; `delivered(clientId, at)` is called when the agent's socket has the message. */
function pair(visitor, agent, clientIdOf) {
  const waiting = new Map();
  agent.onFrame((frame) => {
    const id = clientIdOf(frame);
    const done = id && waiting.get(id);
    if (done) {
      waiting.delete(id);
      done(performance.now());
    }
  });
  return {
    send() {
      const clientId = `b${(sequence++).toString(36)}`;
      const sentAt = performance.now();
      const delivered = new Promise((resolve) => waiting.set(clientId, (at) => resolve({ sentAt, at })));
      visitor.send({ type: "message", clientId, body: `bench message ${clientId}` });
      return delivered;
    },
    close() {
      visitor.close();
      agent.close();
    },
  };
}

async function inBatches(count, make) {
  const made = [];
  for (let i = 0; i < count; i += SETUP_CONCURRENCY) {
    made.push(...(await Promise.all(Array.from({ length: Math.min(SETUP_CONCURRENCY, count - i) }, (_, j) => make(i + j)))));
  }
  return made;
}

/** Every conversation sends one message each PACE_MS (starting at a random point of the first period). */
async function paced(pairs) {
  const deliveries = [];
  const start = performance.now();
  await Promise.all(
    pairs.map(async (p) => {
      await sleep(Math.random() * PACE_MS);
      for (let round = 0; round < PACED_ROUNDS; round++) {
        deliveries.push(p.send());
        await sleep(PACE_MS);
      }
    }),
  );
  const offeredFor = (performance.now() - start) / 1000;
  return { ...(await settle(deliveries)), rate: deliveries.length / offeredFor };
}

/** Every conversation sends BURST messages at once; throughput is deliveries over the time they took. */
async function burst(pairs) {
  const deliveries = [];
  for (const p of pairs) for (let n = 0; n < BURST; n++) deliveries.push(p.send());
  const figures = await settle(deliveries);
  return { ...figures, rate: figures.delivered / ((figures.last - figures.first) / 1000) };
}

async function settle(deliveries) {
  const timeout = new Promise((resolve) => setTimeout(() => resolve(null), DELIVERY_TIMEOUT_MS));
  const results = await Promise.all(deliveries.map((d) => Promise.race([d, timeout])));
  const done = results.filter(Boolean);
  const ms = done.map((r) => r.at - r.sentAt);
  return {
    p50: percentile(ms, 50),
    p99: percentile(ms, 99),
    max: Math.max(...ms),
    delivered: done.length,
    lost: deliveries.length - done.length,
    first: Math.min(...done.map((r) => r.sentAt)),
    last: Math.max(...done.map((r) => r.at)),
  };
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
