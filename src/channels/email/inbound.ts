// Inbound mail: read it, decide who wrote it and which conversation it continues, keep its files,
// and hand it to the one inbound pipeline. Bad mail is stored with a note, never dropped or thrown.
import { database } from "../../db/client";
import { dropFiles, keepFiles, recordFiles, summaries, type IncomingFile } from "../../domain/attachments";
import type { Profile } from "../../domain/contacts";
import { emailIdentity } from "../../domain/identities";
import { findByExternalId } from "../../domain/messages";
import { ingest } from "../../domain/pipeline";
import { findUserByEmail } from "../../domain/users";
import type { Env } from "../../env";
import { bouncedMail, markBounced } from "./bounce";
import { attachedOriginal, carriesMail, inlineOriginal, type Original } from "./forward";
import { readMail, type Person, type ReadMail } from "./read";
import { findThread } from "./threading";
import { splitReply } from "./text";

/** Email Routing's own limit; larger mail is refused at the door with a reason. */
export const MAX_MAIL_BYTES = 25 * 1024 * 1024;
// What one message row holds of the text; longer text is kept whole as an attached file.
const MAX_BODY_CHARS = 100_000;
const MAX_FULL_TEXT_CHARS = 200_000;
const MAX_NAME_CHARS = 200;
// Files kept one by one per mail; a mail with more keeps its original whole beside them.
const MAX_FILES = 100;

export type Envelope = { from: string | null; to: string | null };

export async function receiveEmail(env: Env, message: ForwardableEmailMessage): Promise<void> {
  if (message.rawSize > MAX_MAIL_BYTES) {
    const mib = (message.rawSize / 1024 / 1024).toFixed(1);
    message.setReject(`Message too large (${mib} MiB): this address accepts mail up to 25 MiB.`);
    return;
  }
  const raw = new Uint8Array(await new Response(message.raw).arrayBuffer());
  await storeInboundMail(env, raw, { from: message.from || null, to: message.to || null });
}

export async function storeInboundMail(env: Env, raw: Uint8Array, envelope: Envelope) {
  const db = database(env.DB);
  let mail = await readMail(raw, envelope.from);
  let original: Original | null = null;
  // A forward that names no original sender is filed under the forwarder like any mail, so only
  // mail carrying another mail needs to know whether its sender is an agent.
  if (mail.from && carriesMail(mail, raw) && (await findUserByEmail(db, mail.from.address))) {
    const withAttachedMail = await readMail(raw, envelope.from, { rfc822AsAttachments: true });
    original = await attachedOriginal(withAttachedMail);
    if (original) mail = withAttachedMail;
    else original = inlineOriginal(mail.text);
  }

  const problems = [...mail.problems];
  const files = filesOf(mail, original, raw, problems);
  if (files.length && (await findByExternalId(db, "email", mail.messageId))) return; // redelivered: stored already

  const recipients = [envelope.to, ...mail.to.map((p) => p.address), ...mail.cc.map((p) => p.address), ...mail.deliveredTo];
  const bounced = bouncedMail(mail);
  const referenced = [...(bounced ? [bounced.messageId] : []), ...mail.inReplyTo, ...[...mail.references].reverse()];
  if (original?.messageId) referenced.push(original.messageId, ...[...original.references].reverse());
  const threading = await findThread(db, recipients.filter((r): r is string => !!r), referenced);

  // A bounce comes from a mail system, not a person: it becomes no contact.
  const author = mail.automated?.kind === "bounce" ? null : (original?.from ?? mail.from);
  const text = original?.text ?? mail.text;
  const split = splitReply(text);
  if (text.length > MAX_FULL_TEXT_CHARS) {
    problems.push(`The text is ${text.length} characters long; the thread shows the start and the whole text is attached as message.txt.`);
    files.push({ filename: "message.txt", contentType: "text/plain; charset=utf-8", content: new TextEncoder().encode(text) });
  }
  const kept = await keepFiles(env, files);

  const result = await ingest(env, {
    channel: "email",
    sender: author ? [emailIdentity(author.address)] : [],
    profile: author ? profileFrom(author) : undefined,
    thread: threading.thread,
    externalId: mail.messageId,
    body: split.body.slice(0, MAX_BODY_CHARS),
    subject: original ? withoutForwardPrefix(original.subject ?? mail.subject ?? "") : mail.subject,
    meta: {
      email: {
        subject: mail.subject,
        from: mail.from,
        fromSource: mail.fromSource,
        to: mail.to,
        cc: mail.cc,
        date: mail.date,
        messageId: mail.messageId,
        inReplyTo: mail.inReplyTo,
        references: mail.references,
      },
      ...(split.quoted || split.signature || split.body.length > MAX_BODY_CHARS
        ? { fullText: text.slice(0, MAX_FULL_TEXT_CHARS), quoted: split.quoted, signature: split.signature }
        : {}),
      ...(original ? { forwarded: { by: mail.from, note: original.note, originalDate: original.date, originalMessageId: original.messageId } } : {}),
      ...(threading.by ? { threadedBy: threading.by } : {}),
      ...(mail.automated ? { automated: mail.automated } : {}),
      ...(bounced ? { bounced } : {}),
      ...(kept.length ? { attachments: summaries(kept) } : {}),
      ...(problems.length ? { problems } : {}),
    },
  });
  if (result.duplicate) {
    await dropFiles(env, kept);
    return result;
  }
  await recordFiles(db, result.message.id, kept);
  if (bounced) await markBounced(env, db, bounced);
  return result;
}

function filesOf(mail: ReadMail, original: Original | null, raw: Uint8Array, problems: string[]): IncomingFile[] {
  const parts = [...mail.attachments, ...(original?.attachments ?? [])];
  const files: IncomingFile[] = parts.slice(0, MAX_FILES).map((part, i) => ({
    filename: part.filename?.trim() || `attachment-${i + 1}${extensionFor(part.mimeType)}`,
    contentType: part.mimeType || "application/octet-stream",
    content: typeof part.content === "string" ? new TextEncoder().encode(part.content) : new Uint8Array(part.content),
    inline: part.disposition === "inline" || part.related === true,
  }));
  if (parts.length > MAX_FILES) problems.push(`The message has ${parts.length} attachments; the first ${MAX_FILES} are listed and the whole message is attached as original.eml.`);
  if (mail.keepOriginal || parts.length > MAX_FILES) files.push({ filename: "original.eml", contentType: "message/rfc822", content: raw });
  return files;
}

const EXTENSIONS: Record<string, string> = {
  "message/rfc822": ".eml",
  "text/plain": ".txt",
  "text/html": ".html",
  "text/calendar": ".ics",
  "image/png": ".png",
  "image/jpeg": ".jpg",
  "image/gif": ".gif",
  "application/pdf": ".pdf",
};

function extensionFor(mimeType: string): string {
  return EXTENSIONS[mimeType] ?? "";
}

/** "Ana Lima" -> Ana / Lima; "Lima, Ana" -> Ana / Lima; a display name that is only the address says nothing. */
export function profileFrom(person: Person): Profile {
  const name = person.name.slice(0, MAX_NAME_CHARS).replace(/\s+/g, " ").trim().replace(/^["']+|["']+$/g, "").trim();
  if (!name || name.includes("@")) return {};
  const comma = /^([^,]+),\s*([^,]+)$/.exec(name);
  if (comma) return { firstName: comma[2]!, lastName: comma[1]! };
  const [first, ...rest] = name.split(" ");
  return { firstName: first!, lastName: rest.join(" ") || null };
}

function withoutForwardPrefix(subject: string): string | null {
  return subject.replace(/^((fwd?|wg|tr)\s*:\s*)+/i, "").trim() || null;
}
