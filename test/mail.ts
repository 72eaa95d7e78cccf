/// <reference types="vite/client" />
// Mail the way Cloudflare Email Routing hands it to the Worker: the default export's email()
// handler with a message whose raw is a stream of the .eml bytes. And the send_email binding,
// watched where the Worker calls it.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { expect } from "vitest";
import worker from "../src/index";
import { call, type Session } from "./helpers";

export const INBOUND = "support@parley.test";

export type Delivery = { rejected: string | null };

/**
 * Delivers raw mail to the Worker's email() handler, as Email Routing does. `bindings` stand in
 * for the Worker's own during this delivery (a bucket that fails, say).
 */
export async function deliver(raw: string | Uint8Array, envelope: { from?: string; to?: string; rawSize?: number } = {}, bindings: Partial<typeof env> = {}): Promise<Delivery> {
  const bytes = typeof raw === "string" ? new TextEncoder().encode(raw) : raw;
  let rejected: string | null = null;
  const message = {
    from: envelope.from ?? "bounces@sender.example",
    to: envelope.to ?? INBOUND,
    headers: new Headers(),
    raw: new Blob([bytes]).stream(),
    rawSize: envelope.rawSize ?? bytes.byteLength,
    canBeForwarded: true,
    setReject(reason: string) {
      rejected = reason;
    },
    forward: async () => {
      throw new Error("Parley never forwards inbound mail");
    },
    reply: async () => {
      throw new Error("Parley never answers inbound mail automatically");
    },
  } as unknown as ForwardableEmailMessage;
  const ctx = createExecutionContext();
  await (worker as ExportedHandler<typeof env>).email!(message, { ...env, ...bindings }, ctx);
  await waitOnExecutionContext(ctx);
  return { rejected };
}

/**
 * Email Routing's verdict on a mail it took in, as it writes it on top of the mail: DKIM, DMARC and
 * SPF all passed for `domain`. Without one, a mail's From is only a claim.
 */
export function authenticatedAs(domain: string, checks = "dkim=pass header.d=$ header.s=s1 header.b=Ab1; dmarc=pass header.from=$ policy.dmarc=reject") {
  const spf = `spf=pass (mx.cloudflare.net: domain of bounces@$ designates 192.0.2.25 as permitted sender) smtp.mailfrom=bounces@$`;
  return { "ARC-Authentication-Results": `i=1; mx.cloudflare.net; ${checks}; ${spf}; arc=none smtp.remote-ip=192.0.2.25`.replaceAll("$", domain) };
}

/** A plain RFC 5322 message; `headers` are written as given, after the defaults they override. */
export function mail(opts: { from?: string; to?: string; subject?: string; messageId?: string | null; headers?: Record<string, string>; body?: string }) {
  const headers: Record<string, string> = {
    From: opts.from ?? "Ana Lima <ana@example.com>",
    To: opts.to ?? INBOUND,
    Subject: opts.subject ?? "Order 1042",
    Date: "Sun, 22 Nov 2026 09:00:00 +0000",
    "MIME-Version": "1.0",
    "Content-Type": "text/plain; charset=utf-8",
    ...(opts.messageId === null ? {} : { "Message-ID": `<${opts.messageId ?? `${crypto.randomUUID()}@mail.example.com`}>` }),
    ...opts.headers,
  };
  const head = Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join("\r\n");
  return `${head}\r\n\r\n${(opts.body ?? "Hello, where is my order?").replace(/\r?\n/g, "\r\n")}\r\n`;
}

/** The attachments bucket, except that its `nth` put (counting from 1) fails, as R2 sometimes does. */
export function bucketFailingPut(nth: number): R2Bucket {
  let puts = 0;
  return withMethod(env.ATTACHMENTS, "put", (real) => (...args: Parameters<R2Bucket["put"]>) => {
    if (++puts === nth) return Promise.reject(new Error("R2 put failed: we encountered an internal error"));
    return real(...args);
  });
}

/** Conversation rooms whose store of a mail fails, as when D1 refuses the write (the room stores mail in D1 first). */
export function roomsFailingToStore(): typeof env.ROOMS {
  const failing = { claim: () => Promise.reject(new Error("D1_ERROR: Network connection lost.")) };
  return { get: () => failing, idFromName: () => ({}) } as unknown as typeof env.ROOMS;
}

function withMethod<T extends object, K extends keyof T>(binding: T, name: K, wrap: (real: T[K]) => T[K]): T {
  const real = (binding[name] as (...args: unknown[]) => unknown).bind(binding) as T[K];
  return new Proxy(binding, {
    get: (target, key) => {
      if (key === name) return wrap(real);
      const value = Reflect.get(target, key);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

export type SentEmail = { builder: any; messageId: string | null; error: string | null };

/**
 * Watches env.EMAIL: every send the Worker makes is noted, then handed to the local send_email
 * binding (which answers with the Message-ID it gave the mail), or refused with `refuse`.
 */
export function watchOutbox(opts: { refuse?: string } = {}) {
  const sent: SentEmail[] = [];
  const real = env.EMAIL;
  const watched: SendEmail = {
    async send(builder: any) {
      const entry: SentEmail = { builder, messageId: null, error: null };
      sent.push(entry);
      if (opts.refuse) {
        entry.error = opts.refuse;
        throw new Error(opts.refuse);
      }
      const result = await real.send(builder);
      entry.messageId = result.messageId;
      return result;
    },
  };
  Object.defineProperty(env, "EMAIL", { value: watched, configurable: true, writable: true });
  return {
    sent,
    restore: () => Object.defineProperty(env, "EMAIL", { value: real, configurable: true, writable: true }),
  };
}

// The real mail in fixtures/email/, loaded as base64 data URLs so 8-bit bytes arrive exactly as on disk.
const files = import.meta.glob("./fixtures/email/**/*.eml", { query: "?url&inline", import: "default", eager: true }) as Record<string, string>;
export const corpus = Object.entries(files)
  .map(([path, url]) => ({ name: path.replace("./fixtures/email/", ""), bytes: Uint8Array.from(atob(url.slice(url.indexOf(",") + 1)), (c) => c.charCodeAt(0)) }))
  .sort((a, b) => a.name.localeCompare(b.name));

export function fixture(name: string): Uint8Array {
  const found = corpus.find((f) => f.name === name);
  if (!found) throw new Error(`no fixture ${name}`);
  return found.bytes;
}

export type StoredMail = { id: string; conversationId: string; body: string; author: { type: string; name: string | null }; externalId: string; meta: Record<string, any> };

/** Delivers mail that is new to this test file, and reads back through the agent API the one message it added. */
export async function deliverFixture(as: Session, raw: string | Uint8Array, envelope: { from?: string; to?: string } = { from: "relay@fixtures.example" }) {
  const before = await newestMessageId();
  const delivery = await deliver(raw, envelope);
  const id = await newestMessageId();
  expect(id, "a new message was stored").not.toBe(before);
  const row = await env.DB.prepare("SELECT conversation_id FROM messages WHERE id = ?").bind(id).first<{ conversation_id: string }>();
  const thread = await call("GET", `/api/conversations/${row!.conversation_id}/messages?limit=100`, { as });
  const conversation = await call("GET", `/api/conversations/${row!.conversation_id}`, { as });
  return { delivery, message: (thread.json.items as StoredMail[]).find((m) => m.id === id)!, conversation: conversation.json };
}

async function newestMessageId() {
  return (await env.DB.prepare("SELECT id FROM messages ORDER BY id DESC LIMIT 1").first<{ id: string }>())?.id ?? null;
}
