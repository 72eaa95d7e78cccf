import type { Context } from "hono";
import { z } from "zod";
import { audit } from "../domain/audit";
import { database } from "../db/client";
import { verifyPasswordOf } from "../domain/passwords";
import { startSession } from "../domain/sessions";
import { LANGUAGES } from "../domain/languages";
import { createUser, findUserByEmail, hasAnyUser, publicUser, updateUser } from "../domain/users";
import type { AppEnv } from "../env";
import { ApiError, conflict } from "../errors";
import { setSessionCookie, signOut } from "../http/auth";
import { clientOf, spend } from "../http/limits";
import { ApiRouter } from "../http/router";
import { Email, Name, Ok, Password, User } from "./schemas";

export const authRoutes = new ApiRouter("/api");

const Setup = z.object({ email: Email, password: Password, name: Name });
const Login = z.object({ email: Email, password: z.string().min(1).max(200) });

authRoutes.get(
  "/setup",
  {
    summary: "Whether the first admin still has to be created",
    access: "public",
    response: z.object({ needed: z.boolean() }),
  },
  async (c) => c.json({ needed: !(await hasAnyUser(database(c.env.DB))) }),
);

authRoutes.post(
  "/setup",
  {
    summary: "Create the first admin and sign them in (409 once any user exists)",
    access: "public",
    body: Setup,
    response: User,
    status: 201,
  },
  async (c, { body }) => {
    const db = database(c.env.DB);
    if (await hasAnyUser(db)) throw conflict("already_set_up", "Parley is already set up; sign in instead.");
    const user = await createUser(db, { ...body, role: "admin" });
    setSessionCookie(c, await startSession(db, user.id));
    return c.json(publicUser(user), 201);
  },
);

authRoutes.post(
  "/auth/login",
  {
    summary: "Sign in; sets the session cookie (429 after too many attempts a minute, per account and per client)",
    access: "public",
    body: Login,
    response: User,
  },
  async (c, { body }) => {
    await spendLoginAttempt(c, body.email);
    const db = database(c.env.DB);
    const user = await findUserByEmail(db, body.email);
    const active = user && !user.disabled ? user : undefined;
    // An unknown or disabled account costs the same hashing as a known one: timing tells nobody which exist.
    const valid = await verifyPasswordOf(body.password, active?.passwordHash);
    if (!active || !valid) {
      // Only a known account's failures are recorded: an unknown email is nobody's to audit.
      if (user) await audit(db, null, "auth.sign_in_failed", user.id, { client: clientOf(c) });
      throw new ApiError(401, "invalid_credentials", "That email and password do not match.");
    }
    setSessionCookie(c, await startSession(db, active.id));
    await audit(db, active, "auth.signed_in", active.id, { client: clientOf(c) });
    return c.json(publicUser(active));
  },
);

/** Guessing is slowed per client and per account (known or not, so the answer does not tell). */
async function spendLoginAttempt(c: Context<AppEnv>, email: string) {
  const message = "Too many sign-in attempts; wait a minute and try again.";
  await spend(c.env, "LOGIN_PER_CLIENT", clientOf(c), message);
  await spend(c.env, "LOGIN_PER_ACCOUNT", email, message);
}

authRoutes.post("/auth/logout", { summary: "Sign out; the session's live sockets close", access: "public", response: Ok }, async (c) => {
  await signOut(c);
  return c.json({ ok: true });
});

authRoutes.get("/me", { summary: "The signed-in user", access: "agent", response: User }, (c) => c.json(publicUser(c.var.user)));

authRoutes.patch(
  "/me",
  {
    summary: "The signed-in user's own profile: their name, and the UI's language (null follows the browser)",
    access: "agent",
    body: z
      .object({ name: Name, locale: z.enum(LANGUAGES).nullable() })
      .partial()
      .strict(),
    response: User,
  },
  async (c, { body }) => c.json(publicUser(await updateUser(database(c.env.DB), c.var.user.id, body))),
);
