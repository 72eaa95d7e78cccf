// `npm run soak [-- --short]`: Parley under load and faults on this machine, against `wrangler dev`
// on loopback, bounded in time. Widget visitors on real sockets write at a lively pace, agents
// watch the live feed and rooms and reply, mail and Messenger and SMS webhooks arrive, each
// delivered twice and some late. Meanwhile: visitor sockets dropped at random, rooms reset, D1
// failing for a few seconds, and the whole `wrangler dev` killed with SIGKILL and started again on
// the same state. Then everything is read back from D1 and counted: what was acknowledged, stored,
// lost, doubled, out of order within a visitor's thread, 5xx answers, and what a client was told of
// that D1 lacks. Exits 1 when anything was lost, doubled or out of order, or any 5xx was seen.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { CHANNELS } from "../bench/webhooks.bench.mjs";
import { percentile } from "../bench/stats.mjs";
import { frozenWorker, migratedDatabases, startWranglerDev } from "../bench/wrangler-dev.mjs";

const SHORT = process.argv.includes("--short");
const PLAN = SHORT ? { visitors: 120, agents: 5, seconds: 50, paceMs: 4_000, roomsWatched: 5 } : { visitors: 1_000, agents: 20, seconds: 180, paceMs: 20_000, roomsWatched: 10 };
const PORT = 8911;
const CONFIG = "test/soak/wrangler.toml";
const INBOUND = "support@parley.test";
const PING_MS = 5_000;
const ACK_TIMEOUT_MS = 8_000;
const SETUP_CONCURRENCY = 20;
const OWNER = { email: "soak@parley.test", password: "soak password", name: "Soak Owner" };

const counts = { fiveXX: 0, fiveXXPaths: new Map(), retryLater: 0, networkErrors: 0, socketsDropped: 0, reconnects: 0, roomsReset: 0, resends: 0 };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const begun = Date.now();
/** Where the run is, on stderr, so a slow phase shows while it runs. */
const progress = (text) => console.error(`[soak ${((Date.now() - begun) / 1000).toFixed(0).padStart(4)} s] ${text}`);
const jitter = (ms) => ms * (0.5 + Math.random());

let server;
let stopping = false;

/** A request to the Worker, tried again while it cannot answer (killed, restarting); 5xx answers are counted. */
async function request(path, init = {}, { retryWhile = () => false } = {}) {
  for (let attempt = 0; ; attempt++) {
    try {
      const res = await fetch(`${server.baseUrl}${path}`, init);
      // A 503 with Retry-After is Parley saying D1 refused for a moment: the sender tries again, as providers do.
      if (res.status === 503 && res.headers.get("retry-after")) counts.retryLater++;
      else if (res.status >= 500) {
        counts.fiveXX++;
        counts.fiveXXPaths.set(path.split("?")[0], (counts.fiveXXPaths.get(path.split("?")[0]) ?? 0) + 1);
      }
      if (!retryWhile(res) || attempt > 40) return res;
    } catch {
      counts.networkErrors++;
      if (attempt > 120) throw new Error(`${path}: the Worker did not answer`);
    }
    await sleep(250 + attempt * 50);
  }
}

const json = async (path, init, options) => {
  const res = await request(path, init, options);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, headers: res.headers };
};
const asJson = (method, body, cookie) => ({ method, headers: { "content-type": "application/json", ...(cookie && { cookie }) }, body: body && JSON.stringify(body) });

async function inBatches(count, make) {
  const made = [];
  for (let i = 0; i < count; i += SETUP_CONCURRENCY) made.push(...(await Promise.all(Array.from({ length: Math.min(SETUP_CONCURRENCY, count - i) }, (_, j) => make(i + j)))));
  return made;
}

/** A socket that reconnects by itself until `close()`, and pings as the widget does. */
function liveSocket(path, headers, onFrame) {
  let socket = null;
  let closed = false;
  const connect = () => {
    if (closed) return;
    const ws = new WebSocket(`${server.baseUrl.replace("http", "ws")}${path()}`, { headers });
    socket = ws;
    const pinger = setInterval(() => ws.readyState === WebSocket.OPEN && ws.send('{"type":"ping"}'), PING_MS);
    ws.onmessage = (event) => onFrame(JSON.parse(event.data), handle);
    let retried = false;
    const retry = () => {
      clearInterval(pinger);
      if (closed || retried) return;
      retried = true;
      counts.reconnects++;
      setTimeout(connect, jitter(600));
    };
    ws.onclose = retry;
    // A connection refused (the Worker down) ends in an error and no close event: try again from there too.
    ws.onerror = () => ws.readyState !== WebSocket.OPEN && retry();
  };
  const handle = {
    open: () => socket?.readyState === WebSocket.OPEN,
    send: (frame) => {
      if (!handle.open()) return false;
      socket.send(JSON.stringify(frame));
      return true;
    },
    drop: () => {
      if (!handle.open()) return;
      counts.socketsDropped++;
      socket.close();
    },
    close: () => {
      closed = true;
      socket?.close();
    },
  };
  connect();
  return handle;
}

// What each client was told, and when, for the read-back.
const acked = new Map(); // chat clientId -> { sentAt, ackedAt, messageId }
const toldAgents = new Map(); // message id -> first time an agent's socket had it
const sentAt = new Map(); // chat clientId -> when the visitor first sent it
const webhookIds = { messenger: new Set(), sms: new Set(), email: new Set() };
const agentReplies = new Set();

/** A widget visitor: introduced by the form, first message over HTTP, then a socket; writes one message after another, each once acked. */
async function visitor(i) {
  const { body: created } = await json("/api/widget/visitors", { method: "POST" });
  const token = created.token;
  const headers = { "content-type": "application/json", "x-visitor-token": token };
  await json("/api/widget/prechat", { method: "POST", headers, body: JSON.stringify({ email: `visitor${i}@soak.example` }) });
  const first = `v${i}-0`;
  sentAt.set(first, Date.now());
  const opened = await json("/api/widget/messages", { method: "POST", headers, body: JSON.stringify({ clientId: first, body: `Visitor ${i}, message 0` }) }, { retryWhile: (r) => r.status >= 500 });
  if (opened.status !== 201) throw new Error(`visitor ${i}: first message ${opened.status} ${JSON.stringify(opened.body)}`);
  acked.set(first, { sentAt: sentAt.get(first), ackedAt: Date.now(), messageId: opened.body.message.id });
  const conversationId = opened.body.conversationId;
  const waiting = new Map();
  const socket = liveSocket(
    () => `/api/widget/live?${new URLSearchParams({ token, conversation: conversationId })}`,
    {},
    (frame) => {
      if (frame.type === "ack") waiting.get(frame.clientId)?.(frame.messageId);
    },
  );
  return { i, conversationId, socket, waiting, next: 1 };
}

/** Sends the visitor's next message and waits for its ack, sending it again (same clientId) on a timeout or a new socket. */
async function say(v) {
  const clientId = `v${v.i}-${v.next++}`;
  const frame = { type: "message", clientId, body: `Visitor ${v.i}, message ${v.next - 1}` };
  sentAt.set(clientId, Date.now());
  const ack = new Promise((resolve) => v.waiting.set(clientId, resolve));
  for (;;) {
    while (!v.socket.open()) await sleep(100);
    v.socket.send(frame);
    const messageId = await Promise.race([ack, sleep(ACK_TIMEOUT_MS).then(() => null)]);
    if (messageId) {
      v.waiting.delete(clientId);
      acked.set(clientId, { sentAt: sentAt.get(clientId), ackedAt: Date.now(), messageId });
      return;
    }
    counts.resends++;
  }
}

async function agentsOnline(cookie, conversations) {
  const agents = await inBatches(PLAN.agents, async (n) => {
    const email = `agent${n}@soak.example`;
    await json("/api/users", asJson("POST", { email, name: `Agent ${n}`, password: "agent password", role: n === 0 ? "admin" : "agent" }, cookie));
    const login = await request("/api/auth/login", asJson("POST", { email, password: "agent password" }));
    const session = login.headers.get("set-cookie").split(";")[0];
    const note = (frame) => {
      const message = frame.message;
      if (frame.type === "message.created" && message && !toldAgents.has(message.id)) toldAgents.set(message.id, Date.now());
    };
    const sockets = [liveSocket(() => "/api/live", { cookie: session }, note)];
    for (let k = 0; k < PLAN.roomsWatched; k++) {
      const { conversationId } = conversations[(n * PLAN.roomsWatched + k) % conversations.length];
      sockets.push(liveSocket(() => `/api/conversations/${conversationId}/live`, { cookie: session }, note));
    }
    return { cookie: session, sockets };
  });
  return agents;
}

/** Each webhook delivered twice: once now, once a little later (after newer ones: out of order). */
async function deliverTwice(kind, n) {
  const made = CHANNELS[kind].request(`${server.baseUrl}${CHANNELS[kind].webhook}`, n);
  const send = () => request(CHANNELS[kind].webhook, { method: "POST", headers: made.headers, body: made.body }, { retryWhile: (r) => r.status >= 500 });
  const first = await send();
  if (first.status === 200) webhookIds[kind].add(made.id);
  setTimeout(() => void send(), jitter(3_000));
}

function mail(n) {
  const messageId = `<soak-${n}-${randomBytes(6).toString("hex")}@mail.soak.example>`;
  const raw = [
    `From: Person ${n % 40} <person${n % 40}@mail.soak.example>`,
    `To: ${INBOUND}`,
    `Subject: Soak ${n}`,
    `Message-ID: ${messageId}`,
    "Date: Tue, 01 Dec 2026 10:00:00 +0000",
    "Content-Type: text/plain; charset=utf-8",
    "",
    `Mail ${n}: is my order on its way?`,
    "",
  ].join("\r\n");
  return { messageId: messageId.slice(1, -1), raw };
}

async function mailTwice(n) {
  const { messageId, raw } = mail(n);
  const send = () =>
    request(`/cdn-cgi/handler/email?from=${encodeURIComponent(`person${n % 40}@mail.soak.example`)}&to=${INBOUND}`, { method: "POST", body: raw }, { retryWhile: (r) => r.status >= 500 });
  const first = await send();
  if (first.ok) webhookIds.email.add(messageId);
  setTimeout(() => void send(), jitter(3_000));
}

/** Runs `fn` every `ms` until the run stops. */
function every(ms, fn) {
  return (async () => {
    while (!stopping) {
      await sleep(jitter(ms));
      if (!stopping) await fn().catch(() => undefined);
    }
  })();
}

export async function soak() {
  const dir = mkdtempSync(join(tmpdir(), "parley-soak-"));
  const started = Date.now();
  const notes = [
    `plan: ${JSON.stringify(PLAN)}`,
    `load average at the start: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  ];
  try {
    if (
      await fetch(`http://localhost:${PORT}`).then(
        () => true,
        () => false,
      )
    )
      throw new Error(`Port ${PORT} is taken: another soak or a stale wrangler dev is running.`);
    migratedDatabases({ config: CONFIG, bindings: ["DB"], persistTo: dir });
    const config = frozenWorker(CONFIG, dir);
    server = await startWranglerDev({ config, port: PORT, persistTo: dir });
    progress("wrangler dev serving; setting up");
    const setup = await json("/api/setup", asJson("POST", OWNER));
    const cookie = setup.headers.get("set-cookie").split(";")[0];
    await json("/api/settings", asJson("PUT", { email: { inboundAddress: INBOUND }, ...CHANNELS.messenger.settings, ...CHANNELS.sms.settings }, cookie));

    const visitors = await inBatches(PLAN.visitors, visitor);
    progress(`${visitors.length} visitors chatting`);
    const agents = await agentsOnline(cookie, visitors);
    progress(`${agents.length} agents online; running for ${PLAN.seconds} s`);
    notes.push(`setup: ${PLAN.visitors} visitors and ${PLAN.agents} agents in ${((Date.now() - started) / 1000).toFixed(0)} s`);

    const runUntil = Date.now() + PLAN.seconds * 1_000;
    const faults = [];
    const writers = visitors.map(async (v) => {
      while (Date.now() < runUntil) {
        await sleep(jitter(PLAN.paceMs));
        if (Date.now() < runUntil) await say(v);
      }
    });
    let n = 0;
    const background = [
      every(1_000, () => deliverTwice("messenger", n++)),
      every(1_000, () => deliverTwice("sms", n++)),
      every(1_500, () => mailTwice(n++)),
      every(3_000, async () => {
        const agent = agents[Math.floor(Math.random() * agents.length)];
        const { conversationId } = visitors[Math.floor(Math.random() * visitors.length)];
        const reply = await json(`/api/conversations/${conversationId}/messages`, asJson("POST", { channel: "chat", body: `Reply ${n++}` }, agent.cookie));
        if (reply.status === 201) agentReplies.add(reply.body.id);
      }),
      every(2_000, async () => {
        for (const v of visitors) if (Math.random() < 0.02) v.socket.drop();
      }),
      every(10_000, async () => progress(`${acked.size} visitor messages acknowledged, ${visitors.filter((v) => !v.socket.open()).length} sockets down, ${counts.resends} resends`)),
      every(5_000, async () => {
        for (let k = 0; k < 3; k++) {
          const { conversationId } = visitors[Math.floor(Math.random() * visitors.length)];
          await request("/__soak/evict", asJson("POST", { conversationId }));
          counts.roomsReset++;
        }
      }),
    ];
    faults.push(
      (async () => {
        await sleep(PLAN.seconds * 300);
        await request("/__soak/d1-fail", asJson("POST", { ms: 4_000 }));
        progress("D1 failing for 4 s");
        notes.push(`D1 failed for 4 s at ${((Date.now() - started) / 1000).toFixed(0)} s`);
      })(),
      (async () => {
        await sleep(PLAN.seconds * 600);
        const killedAt = Date.now();
        progress("killing wrangler dev (SIGKILL)");
        await server.kill();
        server = await startWranglerDev({ config, port: PORT, persistTo: dir });
        progress("wrangler dev serving again");
        notes.push(`wrangler dev killed (SIGKILL) at ${((killedAt - started) / 1000).toFixed(0)} s, serving again after ${((Date.now() - killedAt) / 1000).toFixed(1)} s`);
      })(),
    );
    await Promise.all(writers);
    progress("visitors done writing");
    await Promise.all(faults);
    stopping = true;
    await Promise.all(background);
    // Late redeliveries land, the rooms write what D1 still lacks.
    await sleep(5_000);
    const told = new Set(toldAgents.keys());
    progress("settling");
    const stored = await settled(visitors, cookie);
    for (const v of visitors) v.socket.close();
    for (const a of agents) for (const s of a.sockets) s.close();
    return report(stored, visitors, told, notes, started);
  } finally {
    stopping = true;
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** D1's messages once they stop changing (the rooms' alarms and outboxes have written what they held). */
async function settled(visitors, cookie) {
  let last = -1;
  for (let round = 0; round < 60; round++) {
    // Waking each room makes it write anything it still owes D1.
    await inBatches(visitors.length, (k) => request(`/api/conversations/${visitors[k].conversationId}/messages`, { headers: { cookie } }));
    const { body } = await json("/__soak/d1");
    if (body.messages.length === last) return body.messages;
    last = body.messages.length;
    await sleep(2_000);
  }
  throw new Error("D1 never settled");
}

function report(stored, visitors, told, notes, started) {
  const chat = stored.filter((m) => m.channel === "chat" && m.direction === "in");
  const byClient = new Map();
  for (const m of chat) {
    const clientId = m.external_id?.split(":")[1];
    byClient.set(clientId, [...(byClient.get(clientId) ?? []), m]);
  }
  const ids = new Set(stored.map((m) => m.id));
  const lostChat = [...acked.keys()].filter((clientId) => !byClient.has(clientId));
  const doubledChat = [...byClient.values()].filter((list) => list.length > 1).length;
  let outOfOrder = 0;
  for (const v of visitors) {
    const mine = chat.filter((m) => m.conversation_id === v.conversationId).map((m) => Number(m.external_id.split("-").at(-1)));
    if (mine.some((seq, k) => k > 0 && seq < mine[k - 1])) outOfOrder++;
  }
  const byExternal = (channel) => {
    const seen = new Map();
    for (const m of stored.filter((s) => s.channel === channel && s.direction === "in")) seen.set(m.external_id, (seen.get(m.external_id) ?? 0) + 1);
    return seen;
  };
  const providers = ["messenger", "sms", "email"].map((channel) => {
    const seen = byExternal(channel);
    return {
      channel,
      acknowledged: webhookIds[channel].size,
      stored: seen.size,
      lost: [...webhookIds[channel]].filter((id) => !seen.has(id)).length,
      doubled: [...seen.values()].filter((c) => c > 1).length,
    };
  });
  const replies = {
    channel: "agent replies (chat)",
    acknowledged: agentReplies.size,
    stored: [...agentReplies].filter((id) => ids.has(id)).length,
    lost: [...agentReplies].filter((id) => !ids.has(id)).length,
    doubled: 0,
  };
  const rows = [{ channel: "widget chat", acknowledged: acked.size, stored: byClient.size, lost: lostChat.length, doubled: doubledChat }, ...providers, replies];
  const toldMissing = [...told].filter((id) => !ids.has(id)).length;
  const ackMs = [...acked.values()].map((a) => a.ackedAt - a.sentAt);
  const deliveryMs = [...acked.values()].filter((a) => toldAgents.has(a.messageId)).map((a) => toldAgents.get(a.messageId) - a.sentAt);
  const lost = rows.reduce((sum, r) => sum + r.lost, 0);
  const doubled = rows.reduce((sum, r) => sum + r.doubled, 0);
  console.log(`\n# soak${SHORT ? " (short)" : ""}: ${((Date.now() - started) / 1000).toFixed(0)} s`);
  console.table(rows);
  console.log(
    [
      `lost: ${lost}, doubled: ${doubled}, out of order (visitors' threads): ${outOfOrder}, 5xx answers: ${counts.fiveXX}${counts.fiveXX ? ` ${JSON.stringify(Object.fromEntries(counts.fiveXXPaths))}` : ""}`,
      `503 "try again" answers while D1 failed (each sent again, nothing lost): ${counts.retryLater}`,
      `told to an agent but not in D1 after settling: ${toldMissing}`,
      `visitor send -> ack: p50 ${percentile(ackMs, 50)} ms, p95 ${percentile(ackMs, 95)} ms, p99 ${percentile(ackMs, 99)} ms (${ackMs.length} messages)`,
      `visitor send -> an agent's socket: p50 ${percentile(deliveryMs, 50)} ms, p99 ${percentile(deliveryMs, 99)} ms (${deliveryMs.length} seen by watching agents)`,
      `faults: ${counts.socketsDropped} visitor sockets dropped, ${counts.roomsReset} rooms reset, ${counts.reconnects} reconnects, ${counts.resends} resends after no ack, ${counts.networkErrors} requests refused while the Worker was down`,
      ...notes,
      `load average at the end: ${loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
    ].join("\n"),
  );
  return lost + doubled + outOfOrder + counts.fiveXX + toldMissing === 0;
}

// Stopped from outside (a CI timeout, Ctrl-C): wrangler dev runs in a process group of its own and must go too.
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    stopping = true;
    void Promise.resolve(server?.kill()).finally(() => process.exit(1));
  });
}

const ok = await soak().catch((error) => {
  console.error(error);
  return false;
});
process.exit(ok ? 0 : 1);
