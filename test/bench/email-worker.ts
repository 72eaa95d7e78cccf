// Bench-only Worker (test/bench/email.wrangler.toml). POST /parse and POST /store take a JSON array
// of base64 mails and go through all of them `runs` times, `inflight` at a time, timed inside workerd:
// - parse: PostalMime.parse of each mail, nothing else (the baseline);
// - read: the email channel's reading of it, up to what it hands the pipeline, without storage;
// - store: the Worker's email() handler with the mail as Email Routing hands it over (parse,
//   contact, thread, attachments to R2, D1 rows, live feed).
// Each pass gives every mail a fresh Message-ID first, in both modes, so none is a redelivery.
import PostalMime from "postal-mime";
import { readMail } from "../../src/channels/email/read";
import { splitReply } from "../../src/channels/email/text";
import worker from "../../src/index";
import type { Env } from "../../src/env";

export { ConversationRoom } from "../../src/realtime/room";
export { InboxFeed } from "../../src/realtime/inbox";

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    const runs = Number(url.searchParams.get("runs") ?? "1");
    const inflight = Number(url.searchParams.get("inflight") ?? "1");
    const mails = ((await request.json()) as string[]).map((b64) => Uint8Array.from(atob(b64), (c) => c.charCodeAt(0)));
    const counted = countingRoundTrips(env.DB);
    const handlers: Record<string, (raw: Uint8Array) => Promise<unknown>> = {
      "/parse": (raw) => PostalMime.parse(raw),
      // The email channel's own reading, without storage: parse, repair, decode, split off quote and signature.
      "/read": async (raw) => splitReply((await readMail(raw, "sender@bench.example")).text),
      "/store": (raw) => deliver(raw, { ...env, DB: counted.d1 }),
      // The floor under any store: one D1 round trip.
      "/floor": () => env.DB.prepare("SELECT 1").raw(),
    };
    const handle = handlers[url.pathname];
    if (!handle) return new Response("not found", { status: 404 });
    const total = runs * mails.length;
    let next = 0;
    // `inflight` mails at once, as Email Routing delivers mail that arrives together.
    const lane = async () => {
      for (let i = next++; i < total; i = next++) await handle(withFreshMessageId(mails[i % mails.length]!, `${Date.now()}.${i}.${crypto.randomUUID()}`));
    };
    const start = performance.now();
    await Promise.all(Array.from({ length: inflight }, lane));
    return Response.json({ ms: performance.now() - start, mails: total, d1RoundTrips: counted.count() });
  },
};

const encoder = new TextEncoder();

/** The first Message-ID header wins, so one put in front makes the mail new. */
function withFreshMessageId(mail: Uint8Array, id: string): Uint8Array {
  const header = encoder.encode(`Message-ID: <${id}@bench.parley>\r\n`);
  const out = new Uint8Array(header.length + mail.length);
  out.set(header);
  out.set(mail, header.length);
  return out;
}

/** The D1 binding, counting round trips: each statement run, and each batch as one. */
function countingRoundTrips(d1: D1Database) {
  let trips = 0;
  const RUNS = new Set(["first", "all", "run", "raw"]);
  const real = new WeakMap<object, D1PreparedStatement>();
  const statement = (stmt: D1PreparedStatement): D1PreparedStatement => {
    const proxy = new Proxy(stmt, {
      get(target, key) {
        const value = Reflect.get(target, key, target);
        if (key === "bind") return (...params: unknown[]) => statement(target.bind(...params));
        if (typeof key === "string" && RUNS.has(key)) trips++;
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    real.set(proxy, stmt);
    return proxy;
  };
  const wrapped = new Proxy(d1, {
    get(target, key) {
      if (key === "prepare") return (sql: string) => statement(target.prepare(sql));
      if (key === "batch")
        return (statements: D1PreparedStatement[]) => {
          trips++;
          return target.batch(statements.map((s) => real.get(s) ?? s));
        };
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { d1: wrapped, count: () => trips };
}

async function deliver(raw: Uint8Array, env: Env) {
  let rejected: string | null = null;
  const message = {
    from: "sender@bench.example",
    to: "support@bench.example",
    headers: new Headers(),
    raw: new Blob([raw]).stream(),
    rawSize: raw.byteLength,
    canBeForwarded: false,
    setReject: (reason: string) => (rejected = reason),
    forward: async () => ({ messageId: "" }),
    reply: async () => ({ messageId: "" }),
  } as unknown as ForwardableEmailMessage;
  await (worker as ExportedHandler<Env>).email!(message, env, {} as ExecutionContext);
  if (rejected) throw new Error(`bench mail refused: ${rejected}`);
}
