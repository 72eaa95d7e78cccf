// Inbound mail: read it, decide who wrote it and which conversation it continues, keep its files,
// and hand it to the one inbound pipeline. Bad mail is stored with a note, never dropped or thrown;
// mail that cannot be stored at all (storage failing) is refused with a reason.
import { database } from "../../db/client";
import { keepFiles, summaries, type IncomingFile } from "../../domain/attachments";
import type { Profile } from "../../domain/contacts";
import { emailIdentity } from "../../domain/identities";
import { findByExternalId } from "../../domain/messages";
import { ingest, type InboundMessage } from "../../domain/pipeline";
import { findUserByEmail } from "../../domain/users";
import type { Env } from "../../env";
import { bouncedMail, markBounced } from "./bounce";
import { attachedOriginal, carriesMail, inlineOriginal, type Original } from "./forward";
import { readMail, type Person, type ReadMail } from "./read";
import { findThread } from "./threading";
import { splitReply } from "./text";

/** Email Routing's own limit; larger mail is refused at the door with a reason. */
export const MAX_MAIL_BYTES = 25 * 1024 * 1024;
// What one message row holds of the text: what agents read. D1 refuses rows over 2 MB and holds
// 10 GB in all, and a quote repeats the thread the conversation already shows, so past its start it
// stays with the rest of the mail in original.eml (R2), opened when an agent wants it. In the row a
// character takes at most 3 bytes (tidy leaves no control characters for JSON to spell as \uXXXX).
const MAX_BODY_CHARS = 100_000;
const MAX_QUOTED_CHARS = 4_000;
const MAX_ASIDE_CHARS = 10_000;
// Files kept one by one per mail; a mail with more keeps its original whole beside them.
const MAX_FILES = 100;
const NOT_STORED = "This message could not be stored just now. Please send it again later.";

export type Envelope = { from: string | null; to: string | null };

export async function receiveEmail(env: Env, message: ForwardableEmailMessage): Promise<void> {
  if (message.rawSize > MAX_MAIL_BYTES) {
    const mib = (message.rawSize / 1024 / 1024).toFixed(1);
    message.setReject(`Message too large (${mib} MiB): this address accepts mail up to 25 MiB.`);
    return;
  }
  try {
    const raw = new Uint8Array(await new Response(message.raw).arrayBuffer());
    await storeInboundMail(env, raw, { from: message.from || null, to: message.to || null });
  } catch (error) {
    // Refused, so the sending server tells the sender, rather than the mail vanishing here.
    console.error("Inbound mail could not be stored:", error);
    message.setReject(NOT_STORED);
  }
}

export async function storeInboundMail(env: Env, raw: Uint8Array, envelope: Envelope) {
  const db = database(env.DB);
  let mail = await readMail(raw, envelope.from);
  let original: Original | null = null;
  // A forward that names no original sender is filed under the forwarder like any mail, so only
  // mail carrying another mail needs to know whether its sender is an agent. Filing mail under
  // someone else is an agent's word, so only an agent's proven address may do it.
  if (mail.from && mail.fromAuthenticated && carriesMail(mail, raw) && (await findUserByEmail(db, mail.from.address))) {
    const withAttachedMail = await readMail(raw, envelope.from, { rfc822AsAttachments: true });
    original = await attachedOriginal(withAttachedMail);
    if (original) mail = withAttachedMail;
    else original = inlineOriginal(mail.text);
  }

  const problems = [...mail.problems];
  const text = rowText(original?.text ?? mail.text, original?.note ?? null);
  if (text.cuts.length) problems.push(cutNote(text.cuts));
  const files = filesOf(mail, original, raw, problems, text.cuts.length > 0);
  if (files.length && (await findByExternalId(db, "email", mail.messageId))) return; // redelivered: stored already

  const recipients = [envelope.to, ...mail.to.map((p) => p.address), ...mail.cc.map((p) => p.address), ...mail.deliveredTo];
  const bounced = bouncedMail(mail);
  const referenced = [...(bounced ? [bounced.messageId] : []), ...mail.inReplyTo, ...[...mail.references].reverse()];
  if (original?.messageId) referenced.push(original.messageId, ...[...original.references].reverse());
  const threading = await findThread(
    db,
    recipients.filter((r): r is string => !!r),
    referenced,
  );

  // A bounce comes from a mail system, not a person: it becomes no contact.
  const author = mail.automated?.kind === "bounce" ? null : (original?.from ?? mail.from);
  const { kept, lost } = await keepFiles(env, files);
  for (const file of lost) problems.push(`The file ${file.filename} could not be kept (${file.reason}).`);

  // The agent who forwarded vouches for the original's sender; otherwise the mail proves its From only as
  // far as the receiving servers authenticated it.
  const proven = original !== null || mail.fromAuthenticated;
  const inbound: InboundMessage = {
    channel: "email",
    sender: author ? [emailIdentity(author.address)] : [],
    profile: author ? profileFrom(author) : undefined,
    evidence: proven ? "proof" : "claim",
    thread: threading.thread,
    externalId: mail.messageId,
    body: text.body,
    subject: original ? withoutForwardPrefix(original.subject ?? mail.subject ?? "") : mail.subject,
    meta: {
      email: {
        subject: mail.subject,
        from: mail.from,
        fromSource: mail.fromSource,
        fromAuthenticated: mail.fromAuthenticated,
        to: mail.to,
        cc: mail.cc,
        date: mail.date,
        messageId: mail.messageId,
        inReplyTo: mail.inReplyTo,
        references: mail.references,
      },
      ...text.aside,
      ...(original ? { forwarded: { by: mail.from, note: text.note, originalDate: original.date, originalMessageId: original.messageId } } : {}),
      ...(threading.by ? { threadedBy: threading.by } : {}),
      ...(mail.automated ? { automated: mail.automated } : {}),
      ...(bounced ? { bounced } : {}),
      ...(kept.length ? { attachments: summaries(kept) } : {}),
      ...(problems.length ? { problems } : {}),
    },
    files: kept,
  };
  const result = await ingest(env, inbound);
  try {
    if (bounced && !result.duplicate) await markBounced(env, bounced);
  } catch (error) {
    // Stored: refusing the mail now would tell its sender it was lost.
    console.error("Inbound mail stored, but a step after it failed:", error);
  }
  return result;
}

type Cut = { part: string; length: number; kept: number };

/**
 * What one message row holds of the text: what the person wrote this time and, set apart, the
 * whole text, its quote and signature, and a forwarder's note, each capped. `cuts` says what was cut.
 */
function rowText(text: string, note: string | null) {
  const cuts: Cut[] = [];
  const cap = (part: string, value: string | null, max: number) => {
    if (value === null || value.length <= max) return value;
    cuts.push({ part, length: value.length, kept: max });
    return value.slice(0, max);
  };
  const split = splitReply(text);
  const body = cap("text", split.body, MAX_BODY_CHARS)!;
  const aside = {
    ...(split.quoted ? { quoted: cap("quoted text", split.quoted, MAX_QUOTED_CHARS) } : {}),
    ...(split.signature ? { signature: cap("signature", split.signature, MAX_ASIDE_CHARS) } : {}),
  };
  return { body, aside, note: cap("forwarder's note", note, MAX_ASIDE_CHARS), cuts };
}

function cutNote(cuts: Cut[]): string {
  const parts = cuts.map((c) => `the ${c.part} (${c.length} characters, the first ${c.kept} kept)`);
  return `Parts of the message were too long to keep here in full: ${parts.join(", ")}. The whole message is attached as original.eml.`;
}

function filesOf(mail: ReadMail, original: Original | null, raw: Uint8Array, problems: string[], cut: boolean): IncomingFile[] {
  const parts = [...mail.attachments, ...(original?.attachments ?? [])];
  const files: IncomingFile[] = parts.slice(0, MAX_FILES).map((part, i) => ({
    filename: part.filename?.trim() || `attachment-${i + 1}${extensionFor(part.mimeType)}`,
    contentType: part.mimeType || "application/octet-stream",
    content: typeof part.content === "string" ? new TextEncoder().encode(part.content) : new Uint8Array(part.content),
    inline: part.disposition === "inline" || part.related === true,
  }));
  if (parts.length > MAX_FILES) problems.push(`The message has ${parts.length} attachments; the first ${MAX_FILES} are listed and the whole message is attached as original.eml.`);
  if (cut || mail.keepOriginal || parts.length > MAX_FILES) files.push({ filename: "original.eml", contentType: "message/rfc822", content: raw });
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
  const name = person.name
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^["']+|["']+$/g, "")
    .trim();
  if (!name || name.includes("@")) return {};
  const comma = /^([^,]+),\s*([^,]+)$/.exec(name);
  if (comma) return { firstName: comma[2]!, lastName: comma[1]! };
  const [first, ...rest] = name.split(" ");
  return { firstName: first!, lastName: rest.join(" ") || null };
}

function withoutForwardPrefix(subject: string): string | null {
  return subject.replace(/^((fwd?|wg|tr)\s*:\s*)+/i, "").trim() || null;
}
