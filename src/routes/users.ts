import { z } from "zod";
import { database } from "../db/client";
import { audit } from "../domain/audit";
import { createApiToken, listApiTokens, revokeApiToken } from "../domain/sessions";
import { createUser, listTeammates, listUsers, publicUser, updateUser } from "../domain/users";
import { signOutEverywhere, signOutOtherSessions } from "../http/auth";
import { ApiRouter } from "../http/router";
import { endLiveAccess } from "../realtime/access";
import { Email, Name, Ok, Password, Role, User } from "./schemas";

export const userRoutes = new ApiRouter("/api");

userRoutes.get("/users", { summary: "List users", access: "admin", response: z.object({ items: z.array(User) }) }, async (c) => {
  const users = await listUsers(database(c.env.DB));
  return c.json({ items: users.map(publicUser) });
});

userRoutes.get(
  "/teammates",
  {
    summary: "The active users, by name: whom a conversation can be assigned to",
    access: "agent",
    response: z.object({ items: z.array(z.object({ id: z.string(), name: z.string(), role: Role })) }),
  },
  async (c) => c.json({ items: await listTeammates(database(c.env.DB)) }),
);

userRoutes.post(
  "/users",
  {
    summary: "Add an agent or admin",
    access: "admin",
    body: z.object({ email: Email, name: Name, password: Password, role: Role.default("agent") }),
    response: User,
    status: 201,
  },
  async (c, { body }) => {
    const db = database(c.env.DB);
    const user = await createUser(db, body);
    await audit(db, c.var.user, "user.created", user.id, { role: user.role });
    return c.json(publicUser(user), 201);
  },
);

userRoutes.patch(
  "/users/:id",
  {
    summary: "Change a user's name, role, password, or disable them (a new password signs them out elsewhere; disabling, everywhere)",
    access: "admin",
    body: z.object({ name: Name, role: Role, password: Password, disabled: z.boolean() }).partial().strict(),
    response: User,
  },
  async (c, { body, params }) => {
    const db = database(c.env.DB);
    const user = await updateUser(db, params.id!, body);
    // Which fields changed, never the password itself.
    await audit(db, c.var.user, "user.changed", user.id, {
      ...(body.role && { role: body.role }),
      ...(body.disabled !== undefined && { disabled: body.disabled }),
      ...(body.name && { name: true }),
      ...(body.password && { password: true }),
    });
    if (body.disabled) await signOutEverywhere(c.env, user.id);
    else if (body.password) await signOutOtherSessions(c.env, user.id, c.var.credential);
    // Live sockets were let in for the role they had: they reconnect as the new one (an agent no longer hears SMS).
    if (body.role) await endLiveAccess(c.env, { userId: user.id });
    return c.json(publicUser(user));
  },
);

const Token = z.object({ id: z.string(), name: z.string(), userId: z.string(), createdAt: z.number(), lastUsedAt: z.number().nullable() });

userRoutes.get("/tokens", { summary: "List API tokens", access: "admin", response: z.object({ items: z.array(Token) }) }, async (c) => c.json({ items: await listApiTokens(database(c.env.DB)) }));

userRoutes.post(
  "/tokens",
  {
    summary: "Create an API token; the token is shown only in this answer",
    access: "admin",
    body: z.object({ name: Name }),
    response: z.object({ id: z.string(), name: z.string(), createdAt: z.number(), token: z.string() }),
    status: 201,
  },
  async (c, { body }) => {
    const db = database(c.env.DB);
    const token = await createApiToken(db, c.var.user.id, body.name);
    await audit(db, c.var.user, "token.created", token.id, { name: token.name });
    return c.json(token, 201);
  },
);

userRoutes.delete("/tokens/:id", { summary: "Revoke an API token; its live sockets close", access: "admin", response: Ok }, async (c, { params }) => {
  const db = database(c.env.DB);
  const revoked = await revokeApiToken(db, params.id!);
  await audit(db, c.var.user, "token.revoked", params.id!);
  await endLiveAccess(c.env, { credentials: [revoked] });
  return c.json({ ok: true });
});
