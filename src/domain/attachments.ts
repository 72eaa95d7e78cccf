// Files that came with a message: bytes in R2, one row each in D1, a summary in the message's meta.
// They are kept before the message is stored (so the message lists them from the start) and
// recorded against it once it is; a message that turned out to be a duplicate, or could not be
// stored, drops them again.
import { eq, inArray } from "drizzle-orm";
import type { Db } from "../db/client";
import { attachments, messages } from "../db/schema";
import type { Env } from "../env";
import { notFound } from "../errors";
import { newId } from "./ids";

export type IncomingFile = { filename: string; contentType: string; content: Uint8Array; inline?: boolean; contentId?: string | null };

/** What a message's meta lists of each file. */
export type AttachmentSummary = { id: string; filename: string; contentType: string; size: number; inline?: boolean };

export type KeptFile = AttachmentSummary & { storageKey: string; createdAt: number };

/** A file R2 did not take, and why. */
export type LostFile = { filename: string; reason: string };

// R2 allows about 2 KB of custom metadata per object; a name is also a D1 row and a header when served.
const MAX_FILENAME_CHARS = 200;
const EXTENSION = /\.[^.\s]{1,16}$/u;
// RFC 6838: type and subtype of at most 127 characters each, from a small alphabet. It is served as a header.
const MIME_TYPE = /^[a-z0-9][\w!#$&^.+-]{0,126}\/[a-z0-9][\w!#$&^.+-]{0,126}$/i;
const CONTROL = /[\x00-\x1f\x7f-\x9f\u2028\u2029]+/g;
const MAX_REASON_CHARS = 200;

/**
 * Puts each file in R2. One that R2 refuses is reported in `lost` rather than failing the others,
 * so the message can be stored with what was kept and a note on what was not.
 */
export async function keepFiles(env: Env, files: IncomingFile[]): Promise<{ kept: KeptFile[]; lost: LostFile[] }> {
  const settled = await Promise.allSettled(files.map((file) => keepFile(env, file)));
  const kept: KeptFile[] = [];
  const lost: LostFile[] = [];
  settled.forEach((result, i) => {
    if (result.status === "fulfilled") kept.push(result.value);
    else lost.push({ filename: boundedFilename(files[i]!.filename), reason: errorText(result.reason).slice(0, MAX_REASON_CHARS) });
  });
  return { kept, lost };
}

async function keepFile(env: Env, file: IncomingFile): Promise<KeptFile> {
  const now = Date.now();
  const id = newId(now);
  const storageKey = `attachments/${id}`;
  const filename = boundedFilename(file.filename);
  const contentType = MIME_TYPE.test(file.contentType) ? file.contentType : "application/octet-stream";
  await env.ATTACHMENTS.put(storageKey, file.content, { httpMetadata: { contentType }, customMetadata: { filename } });
  return {
    id,
    filename,
    contentType,
    size: file.content.byteLength,
    ...(file.inline ? { inline: true } : {}),
    storageKey,
    createdAt: now,
  };
}

/** At most MAX_FILENAME_CHARS characters, cut between characters (never inside one) and keeping the extension. */
function boundedFilename(name: string): string {
  const clean = name.replace(CONTROL, " ").trim() || "attachment";
  const chars = Array.from(clean);
  if (chars.length <= MAX_FILENAME_CHARS) return clean;
  const extension = EXTENSION.exec(clean)?.[0] ?? "";
  const stem = chars
    .slice(0, MAX_FILENAME_CHARS - 1 - Array.from(extension).length)
    .join("")
    .trimEnd();
  return `${stem}…${extension}`;
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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

/** The files of these conversations' messages, as an export lists them (not their bytes). */
export async function attachmentsIn(db: Db, conversationIds: string[]) {
  if (!conversationIds.length) return [];
  return db
    .select({ id: attachments.id, messageId: attachments.messageId, filename: attachments.filename, contentType: attachments.contentType, size: attachments.size, createdAt: attachments.createdAt })
    .from(attachments)
    .innerJoin(messages, eq(messages.id, attachments.messageId))
    .where(inArray(messages.conversationId, conversationIds));
}

/** Removes the files of these conversations' messages, bytes and rows. How many. */
export async function eraseAttachmentsIn(db: Db, env: Env, conversationIds: string[]): Promise<number> {
  if (!conversationIds.length) return 0;
  const rows = await db
    .select({ id: attachments.id, storageKey: attachments.storageKey })
    .from(attachments)
    .innerJoin(messages, eq(messages.id, attachments.messageId))
    .where(inArray(messages.conversationId, conversationIds));
  if (!rows.length) return 0;
  await env.ATTACHMENTS.delete(rows.map((r) => r.storageKey));
  await db.delete(attachments).where(
    inArray(
      attachments.id,
      rows.map((r) => r.id),
    ),
  );
  return rows.length;
}
