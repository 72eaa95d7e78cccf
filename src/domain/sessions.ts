// Sessions (the UI's cookie) and API tokens (Bearer). Only hashes of the secrets are stored.
import { and, eq, gt, ne } from "drizzle-orm";
import type { Db } from "../db/client";
import { apiTokens, sessions, users, type User } from "../db/schema";
import { notFound } from "../errors";
import { newId, randomToken, sha256Hex } from "./ids";

export const SESSION_DAYS = 30;
const DAY = 86_400_000;
const LAST_USED_PRECISION_MS = 60_000;

/** What a request was signed in with: a session (known by its secret's hash) or an API token (by its id). */
export type Credential = { kind: "session" | "token"; id: string };
export type SignedIn = { user: User; credential: Credential };

/** A credential as the live sockets it opens are tagged with; never the secret itself. */
export const credentialKey = (credential: Credential) => `${credential.kind}:${credential.id}`;

const sessionCredential = (tokenHash: string): Credential => ({ kind: "session", id: tokenHash });

export async function startSession(db: Db, userId: string): Promise<string> {
  const token = randomToken(32);
  const now = Date.now();
  await db.insert(sessions).values({ tokenHash: await sha256Hex(token), userId, createdAt: now, expiresAt: now + SESSION_DAYS * DAY });
  return token;
}

/** Ends the session of this secret; what it was, or null if it had already ended. */
export async function endSession(db: Db, token: string): Promise<Credential | null> {
  const [ended] = await db
    .delete(sessions)
    .where(eq(sessions.tokenHash, await sha256Hex(token)))
    .returning({ tokenHash: sessions.tokenHash });
  return ended ? sessionCredential(ended.tokenHash) : null;
}

/** Ends every session of a user but `keep` (the caller's own, when it is one of them); the ones ended. */
export async function endSessionsOf(db: Db, userId: string, keep?: Credential): Promise<Credential[]> {
  const kept = keep?.kind === "session" ? ne(sessions.tokenHash, keep.id) : undefined;
  const ended = await db
    .delete(sessions)
    .where(and(eq(sessions.userId, userId), kept))
    .returning({ tokenHash: sessions.tokenHash });
  return ended.map((row) => sessionCredential(row.tokenHash));
}

export async function userForSession(db: Db, token: string): Promise<SignedIn | null> {
  const tokenHash = await sha256Hex(token);
  const [row] = await db
    .select({ user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, tokenHash), gt(sessions.expiresAt, Date.now())));
  return row && !row.user.disabled ? { user: row.user, credential: sessionCredential(tokenHash) } : null;
}

export async function createApiToken(db: Db, userId: string, name: string) {
  const secret = `pk_${randomToken(32)}`;
  const row = { id: newId(), name, userId, tokenHash: await sha256Hex(secret), createdAt: Date.now(), lastUsedAt: null };
  await db.insert(apiTokens).values(row);
  return { id: row.id, name, createdAt: row.createdAt, token: secret };
}

export async function listApiTokens(db: Db) {
  return db.select({ id: apiTokens.id, name: apiTokens.name, userId: apiTokens.userId, createdAt: apiTokens.createdAt, lastUsedAt: apiTokens.lastUsedAt }).from(apiTokens).orderBy(apiTokens.createdAt);
}

export async function revokeApiToken(db: Db, id: string): Promise<Credential> {
  const deleted = await db.delete(apiTokens).where(eq(apiTokens.id, id)).returning({ id: apiTokens.id });
  if (deleted.length === 0) throw notFound("Token");
  return { kind: "token", id };
}

/** A token acts as the user who created it, with that user's current role. */
export async function userForApiToken(db: Db, secret: string): Promise<SignedIn | null> {
  const tokenHash = await sha256Hex(secret);
  const [row] = await db
    .select({ user: users, id: apiTokens.id, lastUsedAt: apiTokens.lastUsedAt })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(eq(apiTokens.tokenHash, tokenHash));
  if (!row || row.user.disabled) return null;
  const now = Date.now();
  // "Last used" is for spotting stale tokens: minute precision is enough, and spares a write per request.
  if (now - (row.lastUsedAt ?? 0) > LAST_USED_PRECISION_MS) {
    await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.id));
  }
  return { user: row.user, credential: { kind: "token", id: row.id } };
}
