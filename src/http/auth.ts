import type { Context } from "hono";
import { getCookie, setCookie, deleteCookie } from "hono/cookie";
import { database } from "../db/client";
import type { User } from "../db/schema";
import { SESSION_DAYS, userForApiToken, userForSession } from "../domain/sessions";
import type { AppEnv } from "../env";
import { forbidden, unauthorized } from "../errors";

export type Access = "public" | "agent" | "admin";

export const SESSION_COOKIE = "parley_session";

/** The signed-in user of a request: the session cookie, or `Authorization: Bearer <api token>`. */
export async function authenticate(c: Context<AppEnv>): Promise<User | null> {
  const db = database(c.env.DB);
  const bearer = c.req.header("authorization")?.match(/^Bearer\s+(\S+)$/i)?.[1];
  if (bearer) return userForApiToken(db, bearer);
  const session = getCookie(c, SESSION_COOKIE);
  return session ? userForSession(db, session) : null;
}

/** Refuses the request unless its user may use an endpoint of this access level. */
export async function requireAccess(c: Context<AppEnv>, access: Access): Promise<void> {
  if (access === "public") return;
  const user = await authenticate(c);
  if (!user) throw unauthorized();
  if (access === "admin" && user.role !== "admin") throw forbidden();
  c.set("user", user);
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
