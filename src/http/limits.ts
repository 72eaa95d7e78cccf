// Abuse limits through the Workers rate-limiting binding: who is counted, and under which key.
// Counts are per Cloudflare location, which is what an abuse limit needs (not a quota).
import type { Context } from "hono";
import type { AppEnv, Env } from "../env";
import { rateLimited } from "../errors";

/** The caller's address as Cloudflare's edge saw it (set by the edge, not by the client). */
export function clientOf(c: Context<AppEnv>): string {
  return c.req.header("cf-connecting-ip") ?? "unknown";
}

type Limiter = keyof Pick<Env, "LOGIN_PER_ACCOUNT" | "LOGIN_PER_CLIENT" | "WIDGET_PER_CLIENT">;

/** Counts one use of `key` against `limiter`; 429 once the minute's allowance is spent. */
export async function spend(env: Env, limiter: Limiter, key: string, message: string): Promise<void> {
  const { success } = await env[limiter].limit({ key });
  if (!success) throw rateLimited(message);
}
