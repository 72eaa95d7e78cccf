// Which conversation an inbound mail continues, in this order:
// 1. the reply+<token>@ address our replies carry in Reply-To;
// 2. any Message-ID in In-Reply-To or References that Parley received or sent (References too,
//    because some clients rewrite In-Reply-To);
// 3. none: a new conversation.
import { and, eq, inArray } from "drizzle-orm";
import type { Db } from "../../db/client";
import { conversations, messages } from "../../db/schema";
import type { Thread } from "../../domain/conversations";

export type Threading = { thread: Thread; by: "reply-address" | "references" | null };

// D1 binds at most 100 parameters per statement.
const MAX_LOOKUP = 90;
const REPLY_ADDRESS = /^reply\+([a-z0-9]{8,64})@/i;

export function replyAddress(token: string, inboundAddress: string): string {
  return `reply+${token}@${inboundAddress.split("@")[1]}`;
}

/** `messageIds` in order of preference: In-Reply-To first, then References newest first. */
export async function findThread(db: Db, recipients: string[], messageIds: string[]): Promise<Threading> {
  const tokens = [...new Set(recipients.map((r) => REPLY_ADDRESS.exec(r.trim())?.[1]?.toLowerCase()).filter((t): t is string => !!t))];
  if (tokens.length) {
    const [row] = await db.select({ id: conversations.id }).from(conversations).where(inArray(conversations.replyToken, tokens)).limit(1);
    if (row) return { thread: { conversationId: row.id }, by: "reply-address" };
  }
  const ids = [...new Set(messageIds)].slice(0, MAX_LOOKUP);
  if (ids.length) {
    const rows = await db
      .select({ externalId: messages.externalId, conversationId: messages.conversationId })
      .from(messages)
      .where(and(eq(messages.channel, "email"), inArray(messages.externalId, ids)));
    const byId = new Map(rows.map((r) => [r.externalId, r.conversationId]));
    const found = ids.find((id) => byId.has(id));
    if (found) return { thread: { conversationId: byId.get(found)! }, by: "references" };
  }
  return { thread: "new", by: null };
}
