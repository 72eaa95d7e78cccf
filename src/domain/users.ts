import { and, count, eq, inArray } from "drizzle-orm";
import type { Db } from "../db/client";
import { users, type Role, type User } from "../db/schema";
import { badRequest, conflict, notFound } from "../errors";
import { newId } from "./ids";
import type { Language } from "./languages";
import { hashPassword } from "./passwords";

export type NewUser = { email: string; name: string; password: string; role: Role };

/** What of a user may leave the server. */
export function publicUser(user: User) {
  return { id: user.id, email: user.email, name: user.name, role: user.role, disabled: user.disabled, locale: user.locale ?? null, createdAt: user.createdAt };
}

export async function hasAnyUser(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(users);
  return (row?.n ?? 0) > 0;
}

export async function createUser(db: Db, input: NewUser): Promise<User> {
  const email = input.email.trim().toLowerCase();
  const existing = await db.query.users.findFirst({ where: eq(users.email, email) });
  if (existing) throw conflict("email_taken", "A user with this email already exists.");
  const user: User = {
    id: newId(),
    email,
    name: input.name.trim(),
    role: input.role,
    passwordHash: await hashPassword(input.password),
    disabled: false,
    locale: null,
    createdAt: Date.now(),
  };
  await db.insert(users).values(user);
  return user;
}

export async function findUserByEmail(db: Db, email: string) {
  return db.query.users.findFirst({ where: eq(users.email, email.trim().toLowerCase()) });
}

/** A user who can work conversations now; a 400 naming the field for anyone else. */
export async function requireActiveUser(db: Db, id: string, field: string): Promise<User> {
  const user = await db.query.users.findFirst({ where: eq(users.id, id) });
  if (user && !user.disabled) return user;
  const why = user ? `${user.name} can no longer sign in: choose another teammate.` : "No teammate has that id.";
  throw badRequest("invalid_assignee", why, [{ path: field, message: why }]);
}

/** Those of `ids` who are active users. */
export async function activeUsers(db: Db, ids: string[]): Promise<User[]> {
  if (!ids.length) return [];
  return db
    .select()
    .from(users)
    .where(and(inArray(users.id, ids), eq(users.disabled, false)));
}

/** The team as agents see it (to assign conversations): active users, by name. */
export async function listTeammates(db: Db) {
  return db.select({ id: users.id, name: users.name, role: users.role }).from(users).where(eq(users.disabled, false)).orderBy(users.name);
}

export async function listUsers(db: Db) {
  return db.select().from(users).orderBy(users.createdAt);
}

export type UserChanges = Partial<{ name: string; role: Role; password: string; disabled: boolean; locale: Language | null }>;

export async function updateUser(db: Db, id: string, changes: UserChanges): Promise<User> {
  const user = await db.query.users.findFirst({ where: eq(users.id, id) });
  if (!user) throw notFound("User");
  const demotes = (changes.role && changes.role !== "admin") || changes.disabled;
  if (user.role === "admin" && demotes && (await activeAdminCount(db)) <= 1) {
    throw conflict("last_admin", "The workspace needs at least one active admin.");
  }
  const { password, ...rest } = changes;
  const next = { ...rest, ...(password ? { passwordHash: await hashPassword(password) } : {}) };
  if (Object.keys(next).length === 0) return user;
  const [updated] = await db.update(users).set(next).where(eq(users.id, id)).returning();
  return updated!;
}

async function activeAdminCount(db: Db): Promise<number> {
  const admins = await db.select().from(users).where(eq(users.role, "admin"));
  return admins.filter((u) => !u.disabled).length;
}
