// SMS consent, by phone number: what the number last said (STOP, START or a synonym) and when.
import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { smsConsent } from "../db/schema";

export type SmsConsent = { optedOut: boolean; keyword: string; changedAt: number };

/** Keeps what the number said; a report older than the one kept changes nothing (deliveries can come out of order). */
export async function recordSmsConsent(db: Db, phone: string, consent: SmsConsent): Promise<void> {
  await db
    .insert(smsConsent)
    .values({ phone, ...consent })
    .onConflictDoUpdate({
      target: smsConsent.phone,
      set: { optedOut: consent.optedOut, keyword: consent.keyword, changedAt: consent.changedAt },
      setWhere: sql`${smsConsent.changedAt} <= ${consent.changedAt}`,
    });
}

export async function smsConsentOf(db: Db, phone: string): Promise<SmsConsent | null> {
  const row = await db.query.smsConsent.findFirst({ where: eq(smsConsent.phone, phone) });
  return row ? { optedOut: row.optedOut, keyword: row.keyword, changedAt: row.changedAt } : null;
}
