// The audit log: sensitive actions (sign-ins, roles, tokens, settings, merges, exports, erasures),
// who did them and when. It names what was acted on by id and never holds the personal data itself.
import { and, desc, lt, or, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { auditLog } from "../db/schema";
import { newId } from "./ids";

export const AUDITED = [
  "auth.signed_in",
  "auth.sign_in_failed",
  "user.created",
  "user.changed",
  "token.created",
  "token.revoked",
  "settings.changed",
  "contact.merged",
  "contact.exported",
  "contact.deleted",
  "contact.restored",
  "contact.erased",
] as const;
export type Audited = (typeof AUDITED)[number];

/** Who acted: a user, or the system (a workflow, the cron). */
export type Actor = { id: string; name: string } | null;

export async function audit(db: Db, actor: Actor, action: Audited, subject: string | null, details: Record<string, unknown> = {}): Promise<void> {
  const at = Date.now();
  await db.insert(auditLog).values({ id: newId(at), at, actorId: actor?.id ?? null, actorName: actor?.name ?? null, action, subject, details });
}

export async function auditPage(db: Db, page: { cursor?: { at: number; id: string }; limit: number }) {
  const rows = await db
    .select()
    .from(auditLog)
    .where(page.cursor ? or(lt(auditLog.at, page.cursor.at), and(eq(auditLog.at, page.cursor.at), lt(auditLog.id, page.cursor.id))) : undefined)
    .orderBy(desc(auditLog.at), desc(auditLog.id))
    .limit(page.limit + 1);
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  return { items, next: rows.length > page.limit && last ? { at: last.at, id: last.id } : null };
}
