// Files that came with a message: bytes in R2, one row each in D1, a summary in the message's meta.
// They are kept before the message is stored (so the message lists them from the start) and
// recorded against it once it is; a message that turned out to be a duplicate drops them again.
import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { attachments } from "../db/schema";
import type { Env } from "../env";
import { notFound } from "../errors";
import { newId } from "./ids";

export type IncomingFile = { filename: string; contentType: string; content: Uint8Array; inline?: boolean; contentId?: string | null };

/** What a message's meta lists of each file. */
export type AttachmentSummary = { id: string; filename: string; contentType: string; size: number; inline?: boolean };

export type KeptFile = AttachmentSummary & { storageKey: string; createdAt: number };

export async function keepFiles(env: Env, files: IncomingFile[]): Promise<KeptFile[]> {
  return Promise.all(
    files.map(async (file) => {
      const now = Date.now();
      const id = newId(now);
      const storageKey = `attachments/${id}`;
      await env.ATTACHMENTS.put(storageKey, file.content, {
        httpMetadata: { contentType: file.contentType },
        customMetadata: { filename: file.filename },
      });
      return {
        id,
        filename: file.filename,
        contentType: file.contentType,
        size: file.content.byteLength,
        ...(file.inline ? { inline: true } : {}),
        storageKey,
        createdAt: now,
      };
    }),
  );
}

export function summaries(kept: KeptFile[]): AttachmentSummary[] {
  return kept.map(({ storageKey: _key, createdAt: _at, ...summary }) => summary);
}

export async function recordFiles(db: Db, messageId: string, kept: KeptFile[]): Promise<void> {
  const [first, ...rest] = kept.map((file) =>
    db.insert(attachments).values({
      id: file.id,
      messageId,
      filename: file.filename,
      contentType: file.contentType,
      size: file.size,
      storageKey: file.storageKey,
      createdAt: file.createdAt,
    }),
  );
  if (first) await db.batch([first, ...rest]);
}

export async function dropFiles(env: Env, kept: KeptFile[]): Promise<void> {
  if (kept.length) await env.ATTACHMENTS.delete(kept.map((f) => f.storageKey));
}

/** A stored file with its bytes, for a signed-in agent. */
export async function openAttachment(db: Db, env: Env, id: string) {
  const row = await db.query.attachments.findFirst({ where: eq(attachments.id, id) });
  if (!row) throw notFound("Attachment");
  const object = await env.ATTACHMENTS.get(row.storageKey);
  if (!object) throw notFound("Attachment content");
  return { row, body: object.body };
}
