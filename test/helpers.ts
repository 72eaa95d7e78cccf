// Talking to the Worker the way a browser or a CRM does: HTTP in, JSON out.
import { env, exports } from "cloudflare:workers";
import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import worker from "../src/index";
import type { Env } from "../src/env";

export type Session = { cookie?: string; token?: string };

/** `bindings` replace the Worker's own for this call (a model behind the AI binding, say). */
export async function call(method: string, path: string, opts: { body?: unknown; as?: Session; raw?: BodyInit; headers?: Record<string, string>; bindings?: Partial<Env> } = {}) {
  // Each call comes from a client address of its own, so the per-client abuse limits count only where a test names one.
  const headers: Record<string, string> = { "cf-connecting-ip": anyClient(), ...opts.headers };
  if (opts.body !== undefined) headers["content-type"] = "application/json";
  if (opts.as?.cookie) headers.cookie = opts.as.cookie;
  if (opts.as?.token) headers.authorization = `Bearer ${opts.as.token}`;
  const request = new Request(`https://parley.test${path}`, { method, headers, body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)) });
  const response = opts.bindings ? await withBindings(request, opts.bindings) : await exports.default.fetch(request);
  const text = await response.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = text;
  }
  return { status: response.status, json, headers: response.headers };
}

async function withBindings(request: Request, bindings: Partial<Env>): Promise<Response> {
  const ctx = createExecutionContext();
  const response = await worker.fetch(request, { ...(env as unknown as Env), ...bindings }, ctx);
  await waitOnExecutionContext(ctx);
  return response;
}

/** A documentation-range IPv6 address no other call is likely to have. */
export const anyClient = () =>
  `2001:db8::${crypto
    .getRandomValues(new Uint16Array(3))
    .reduce((text, n) => `${text}:${n.toString(16)}`, "")
    .slice(1)}`;

function sessionFrom(headers: Headers): Session {
  const cookie = headers.get("set-cookie")?.split(";")[0];
  if (!cookie) throw new Error("no session cookie was set");
  return { cookie };
}

export const OWNER = { email: "owner@parley.test", password: "correct horse", name: "Olivia Owner" };

/** A fresh session of a user, as the sign-in form makes one. */
export async function signIn(email: string, password: string): Promise<Session> {
  const login = await call("POST", "/api/auth/login", { body: { email, password } });
  if (login.status !== 200) throw new Error(`could not sign in ${email}: ${JSON.stringify(login.json)}`);
  return sessionFrom(login.headers);
}

// Sign-ins count against a per-account limit (10 a minute): the owner and agents of a test file
// keep the session they were given for as long as it still works.
const kept = new Map<string, Session>();

async function keptSession(email: string, start: () => Promise<Session>): Promise<Session> {
  const session = kept.get(email);
  if (session && (await call("GET", "/api/me", { as: session })).status === 200) return session;
  const started = await start();
  kept.set(email, started);
  return started;
}

/** The workspace's first admin, created through first-run setup, else signed in (storage lives per test file). */
export function admin(): Promise<Session> {
  return keptSession(OWNER.email, async () => {
    const setup = await call("POST", "/api/setup", { body: OWNER });
    return setup.status === 201 ? sessionFrom(setup.headers) : signIn(OWNER.email, OWNER.password);
  });
}

/** A signed-in teammate (created by the admin): an agent, or another admin. */
export function agent(name = "Andy Agent", role: "agent" | "admin" = "agent"): Promise<Session> {
  const email = `${name.toLowerCase().replace(/\W+/g, ".")}@parley.test`;
  return keptSession(email, async () => {
    const created = await call("POST", "/api/users", { as: await admin(), body: { email, name, password: "agent password", role } });
    if (created.status !== 201 && created.status !== 409) throw new Error(`could not add agent: ${JSON.stringify(created.json)}`);
    return signIn(email, "agent password");
  });
}
