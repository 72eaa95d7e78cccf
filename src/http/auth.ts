import type { Context, MiddlewareHandler } from "hono";
import { getCookie, setCookie, deleteCookie } from "hono/cookie";
import { database } from "../db/client";
import { endSession, endSessionsOf, SESSION_DAYS, userForApiToken, userForSession, type Credential, type SignedIn } from "../domain/sessions";
import type { AppEnv, Env } from "../env";
import { ApiError, forbidden, unauthorized } from "../errors";
import { endLiveAccess } from "../realtime/access";

export type Access = "public" | "agent" | "admin";

export const SESSION_COOKIE = "parley_session";

/** The signed-in user of a request: the session cookie, or `Authorization: Bearer <api token>`. */
export async function authenticate(c: Context<AppEnv>): Promise<SignedIn | null> {
  const db = database(c.env.DB);
  const bearer = bearerOf(c);
  if (bearer) return userForApiToken(db, bearer);
  const session = getCookie(c, SESSION_COOKIE);
  return session ? userForSession(db, session) : null;
}

const bearerOf = (c: Context) => c.req.header("authorization")?.match(/^Bearer\s+(\S+)$/i)?.[1];

/** Refuses the request unless its user may use an endpoint of this access level. */
export async function requireAccess(c: Context<AppEnv>, access: Access): Promise<void> {
  if (access === "public") return;
  const signedIn = await authenticate(c);
  if (!signedIn) throw unauthorized();
  if (access === "admin" && signedIn.user.role !== "admin") throw forbidden();
  c.set("user", signedIn.user);
  c.set("credential", signedIn.credential);
}

/**
 * A browser sends the session cookie with a request whichever page made it, so the agent API's
 * writes and socket upgrades are refused when the browser says another origin asked (a forged
 * form post, fetch or WebSocket). Callers that send neither header are not browsers: nothing
 * rides along with their requests. Bearer calls carry their credential on purpose, and the
 * widget's API is cross-origin by design and takes no cookie.
 */
export const sameOriginBrowsers: MiddlewareHandler<AppEnv> = async (c, next) => {
  const acts = !["GET", "HEAD", "OPTIONS"].includes(c.req.method) || c.req.header("upgrade") !== undefined;
  if (acts && !bearerOf(c) && !c.req.path.startsWith("/api/widget/") && fromElsewhere(c)) {
    throw new ApiError(403, "cross_origin", "Parley's own pages make this request; it cannot come from another site.");
  }
  await next();
};

function fromElsewhere(c: Context): boolean {
  const origin = c.req.header("origin");
  if (origin !== undefined && origin !== new URL(c.req.url).origin) return true;
  const site = c.req.header("sec-fetch-site");
  return site !== undefined && site !== "same-origin" && site !== "none";
}

export function setSessionCookie(c: Context, token: string) {
  setCookie(c, SESSION_COOKIE, token, {
    httpOnly: true,
    secure: true,
    sameSite: "Strict",
    path: "/",
    maxAge: SESSION_DAYS * 86_400,
  });
}

export function clearSessionCookie(c: Context) {
  deleteCookie(c, SESSION_COOKIE, { path: "/", secure: true });
}

/** Signing out: the cookie's session ends, and so do the live sockets it opened. */
export async function signOut(c: Context<AppEnv>): Promise<void> {
  const token = getCookie(c, SESSION_COOKIE);
  const ended = token ? await endSession(database(c.env.DB), token) : null;
  if (ended) await endLiveAccess(c.env, { credentials: [ended] });
  clearSessionCookie(c);
}

/** A disabled user: every session and every live socket ends, their API tokens' included. */
export async function signOutEverywhere(env: Env, userId: string): Promise<void> {
  await endSessionsOf(database(env.DB), userId);
  await endLiveAccess(env, { userId });
}

/** A changed password: every other session of the user ends, with its live sockets; `keep` (the caller's own) stays. */
export async function signOutOtherSessions(env: Env, userId: string, keep: Credential): Promise<void> {
  const ended = await endSessionsOf(database(env.DB), userId, keep);
  await endLiveAccess(env, { credentials: ended });
}
