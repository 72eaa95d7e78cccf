// SMS credits: one per segment sent. The balance is the `credits` key of the sms settings section;
// every change to it is one D1 statement that reads and writes it together, so two admins sending
// at once cannot spend the same credit, and a refund is given once per message however often a
// failure is reported.
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { settings, smsCharges } from "../db/schema";
import { DEFAULT_SETTINGS } from "./settings";

const balance = sql`json_extract(${settings.value}, '$.credits')`;
const isSms = eq(settings.key, "sms");

/** Takes `credits` for the message; false (and nothing taken) when the balance is short. */
export async function spendCredits(db: Db, messageId: string, credits: number): Promise<boolean> {
  const [spent] = await db.batch([
    db
      .update(settings)
      .set({ value: sql`json_set(${settings.value}, '$.credits', ${balance} - ${credits})`, updatedAt: Date.now() })
      .where(and(isSms, sql`${balance} >= ${credits}`))
      .returning({ key: settings.key }),
    // Recorded only when the statement before took the credits.
    db.insert(smsCharges).select(sql`SELECT ${messageId}, ${credits}, ${Date.now()}, NULL WHERE changes() > 0`),
  ]);
  return spent.length > 0;
}

/** Gives back what the message was charged, once. */
export async function refundCredits(db: Db, messageId: string): Promise<void> {
  const charged = db.select({ credits: smsCharges.credits }).from(smsCharges).where(eq(smsCharges.messageId, messageId));
  await db.batch([
    db
      .update(smsCharges)
      .set({ refundedAt: Date.now() })
      .where(and(eq(smsCharges.messageId, messageId), isNull(smsCharges.refundedAt))),
    // Given only when the statement before marked the charge refunded, now.
    db
      .update(settings)
      .set({ value: sql`json_set(${settings.value}, '$.credits', ${balance} + (${charged}))`, updatedAt: Date.now() })
      .where(and(isSms, sql`changes() > 0`)),
  ]);
}

/** Adds to the balance (an admin's top-up, a refund); the new balance. */
export async function addCredits(db: Db, credits: number): Promise<number> {
  const now = Date.now();
  const [row] = await db
    .insert(settings)
    .values({ key: "sms", value: { ...DEFAULT_SETTINGS.sms, credits }, updatedAt: now })
    .onConflictDoUpdate({ target: settings.key, set: { value: sql`json_set(${settings.value}, '$.credits', coalesce(${balance}, 0) + ${credits})`, updatedAt: now } })
    .returning({ credits: balance });
  return Number(row?.credits ?? 0);
}
