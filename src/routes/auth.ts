import { z } from "zod";
import { database } from "../db/client";
import { verifyPassword } from "../domain/passwords";
import { endSession, startSession } from "../domain/sessions";
import { createUser, findUserByEmail, hasAnyUser, publicUser } from "../domain/users";
import { ApiError, conflict } from "../errors";
import { clearSessionCookie, setSessionCookie, SESSION_COOKIE } from "../http/auth";
import { ApiRouter } from "../http/router";
import { getCookie } from "hono/cookie";
import { Email, Name, Ok, Password, User } from "./schemas";

export const authRoutes = new ApiRouter("/api");

const Setup = z.object({ email: Email, password: Password, name: Name });
const Login = z.object({ email: Email, password: z.string().min(1).max(200) });

authRoutes.get("/setup", {
  summary: "Whether the first admin still has to be created",
  access: "public",
  response: z.object({ needed: z.boolean() }),
}, async (c) => c.json({ needed: !(await hasAnyUser(database(c.env.DB))) }));

authRoutes.post("/setup", {
  summary: "Create the first admin and sign them in (409 once any user exists)",
  access: "public",
  body: Setup,
  response: User,
  status: 201,
}, async (c, { body }) => {
  const db = database(c.env.DB);
  if (await hasAnyUser(db)) throw conflict("already_set_up", "Parley is already set up; sign in instead.");
  const user = await createUser(db, { ...body, role: "admin" });
  setSessionCookie(c, await startSession(db, user.id));
  return c.json(publicUser(user), 201);
});

authRoutes.post("/auth/login", {
  summary: "Sign in; sets the session cookie",
  access: "public",
  body: Login,
  response: User,
}, async (c, { body }) => {
  const db = database(c.env.DB);
  const user = await findUserByEmail(db, body.email);
  const valid = user && !user.disabled && (await verifyPassword(body.password, user.passwordHash));
  if (!user || !valid) throw new ApiError(401, "invalid_credentials", "That email and password do not match.");
  setSessionCookie(c, await startSession(db, user.id));
  return c.json(publicUser(user));
});

authRoutes.post("/auth/logout", { summary: "Sign out", access: "public", response: Ok }, async (c) => {
  const token = getCookie(c, SESSION_COOKIE);
  if (token) await endSession(database(c.env.DB), token);
  clearSessionCookie(c);
  return c.json({ ok: true });
});

authRoutes.get("/me", { summary: "The signed-in user", access: "agent", response: User }, (c) => c.json(publicUser(c.var.user)));
