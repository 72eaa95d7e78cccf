// Which conversation an inbound mail continues, in this order:
// 1. the reply+<token>@ address our replies carry in Reply-To;
// 2. any Message-ID in In-Reply-To or References that Parley received or sent (References too,
//    because some clients rewrite In-Reply-To);
// 3. none: a new conversation.
import { inArray } from "drizzle-orm";
import type { Db } from "../../db/client";
import { conversations } from "../../db/schema";
import type { Thread } from "../../domain/conversations";
import { conversationsOfEmails } from "../../domain/messages";

export type Threading = { thread: Thread; by: "reply-address" | "references" | null };

// D1 binds at most 100 parameters per statement: candidates are looked up this many at a time.
// read.ts bounds how many addresses and Message-IDs a mail names, so that is a few statements at most.
const MAX_LOOKUP = 90;
const REPLY_ADDRESS = /^reply\+([a-z0-9]{8,64})@/i;

export function replyAddress(token: string, inboundAddress: string): string {
  return `reply+${token}@${inboundAddress.split("@")[1]}`;
}

/** `messageIds` in order of preference: In-Reply-To first, then References newest first. */
export async function findThread(db: Db, recipients: string[], messageIds: string[]): Promise<Threading> {
  const tokens = recipients.map((r) => REPLY_ADDRESS.exec(r.trim())?.[1]?.toLowerCase()).filter((t): t is string => !!t);
  const byToken = await firstFound(tokens, async (chunk) => {
    const rows = await db.select({ token: conversations.replyToken, id: conversations.id }).from(conversations).where(inArray(conversations.replyToken, chunk));
    return new Map(rows.map((r) => [r.token, r.id]));
  });
  if (byToken) return { thread: { conversationId: byToken }, by: "reply-address" };
  const byReference = await firstFound(messageIds, (chunk) => conversationsOfEmails(db, chunk));
  if (byReference) return { thread: { conversationId: byReference }, by: "references" };
  return { thread: "new", by: null };
}

/** What `lookup` finds for the first candidate, in the candidates' order, asking a chunk at a time. */
async function firstFound(candidates: string[], lookup: (chunk: string[]) => Promise<Map<string, string>>): Promise<string | null> {
  const unique = [...new Set(candidates)];
  for (let at = 0; at < unique.length; at += MAX_LOOKUP) {
    const chunk = unique.slice(at, at + MAX_LOOKUP);
    const found = await lookup(chunk);
    const first = chunk.find((candidate) => found.has(candidate));
    if (first) return found.get(first)!;
  }
  return null;
}
