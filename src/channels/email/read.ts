// Reading a raw mail into what Parley needs, whatever state it arrives in. postal-mime does the
// MIME work; this file covers what real mail does to it: raw 8-bit headers, structures postal-mime
// reads as empty, no usable From, no Message-ID. Whatever could not be read is said in `problems`.
import PostalMime, { type Address, type Attachment, type Email, type Mailbox } from "postal-mime";
import { MAX_EMAIL_CHARS, MAX_LOCAL_PART_CHARS } from "../../domain/identities";
import { toHex } from "../../domain/ids";
import { fromIsAuthenticated } from "./authentication";
import { htmlToText, tidy } from "./text";

export type Person = { name: string; address: string };

export type Automated = { kind: "bounce" | "report" | "auto-reply" | "bulk"; reason: string };

export type ReadMail = {
  /** Who wrote it, and which header said so. */
  from: Person | null;
  fromSource: "from" | "sender" | "reply-to" | "return-path" | "envelope" | null;
  /** Whether the receiving servers proved the From (see authentication.ts); else it is only a claim. */
  fromAuthenticated: boolean;
  subject: string | null;
  /** Without angle brackets; derived from the bytes when the mail has none. */
  messageId: string;
  inReplyTo: string[];
  references: string[];
  to: Person[];
  cc: Person[];
  deliveredTo: string[];
  date: string | null;
  /** The whole decoded text: the text part, else the HTML part made readable. */
  text: string;
  attachments: Attachment[];
  automated: Automated | null;
  problems: string[];
  /** The raw mail, kept as an attachment when it could not be read in full. */
  keepOriginal: boolean;
};

// What is read of a header is bounded: it goes into the message row, which D1 caps at 2 MB.
const MAX_REFERENCES = 50;
const MAX_RECIPIENTS = 50;
const MAX_HTML_CHARS = 2_000_000;
export const MAX_SUBJECT_CHARS = 2_000;
const MAX_NAME_CHARS = 200;
const MAX_FIELD_CHARS = 200;
const MAX_MESSAGE_ID_CHARS = 500;

export async function readMail(raw: Uint8Array, envelopeFrom: string | null, options: { rfc822AsAttachments?: boolean } = {}): Promise<ReadMail> {
  const problems: string[] = [];
  let keepOriginal = false;
  const repaired = repairHeaders(raw);
  if (repaired.charset) problems.push(`Some headers held raw 8-bit text; they were read as ${repaired.charset}.`);

  let email: Email;
  try {
    email = await PostalMime.parse(repaired.bytes, { forceRfc822Attachments: options.rfc822AsAttachments });
  } catch (error) {
    problems.push(`The message could not be read as MIME (${errorText(error)}); its raw text is kept as the body.`);
    email = { headers: [], headerLines: [], attachments: [] };
    keepOriginal = true;
  }

  const content = readableText(email, raw, problems);
  let text = content.text;
  keepOriginal ||= content.keepOriginal;
  let subject = clean(email.subject);
  if (subject && subject.length > MAX_SUBJECT_CHARS) {
    problems.push(`The subject was ${subject.length} characters long; the first ${MAX_SUBJECT_CHARS} are kept.`);
    subject = subject.slice(0, MAX_SUBJECT_CHARS);
  }
  if (declaresUtf7(text, subject, repaired.bytes)) {
    text = decodeUtf7(text);
    subject = subject && decodeUtf7(subject);
  }
  text = tidy(text);
  if (text.includes("\uFFFD") || subject?.includes("\uFFFD")) {
    problems.push("Some characters could not be decoded in the message's charset; they show as \uFFFD.");
  }
  if (email.attachments.some((a) => a.filename?.includes("\uFFFD"))) {
    problems.push("Some attachment names held raw 8-bit text that could not be decoded; they show as \uFFFD.");
  }

  const sender = pickSender(email, envelopeFrom);
  if (sender.source !== "from") {
    problems.push(sender.person ? `The message has no usable From address; the sender was taken from the ${SOURCE_NAMES[sender.source!]}.` : "The message names no sender at all.");
  }

  return {
    from: sender.person,
    fromSource: sender.source,
    fromAuthenticated: sender.source === "from" && sender.person !== null && fromIsAuthenticated(email.headers, sender.person.address),
    subject,
    messageId: messageIds(email.messageId)[0] ?? (await derivedMessageId(raw)),
    inReplyTo: messageIds(email.inReplyTo).slice(0, MAX_REFERENCES),
    references: keepRootAndLatest(messageIds(email.references)),
    to: mailboxes(email.to).slice(0, MAX_RECIPIENTS),
    cc: mailboxes(email.cc).slice(0, MAX_RECIPIENTS),
    deliveredTo: email.deliveredTo ? [email.deliveredTo] : [],
    date: email.date?.slice(0, MAX_FIELD_CHARS) ?? null,
    text,
    attachments: email.attachments,
    automated: automatedBy(email, sender.person),
    problems,
    keepOriginal,
  };
}

/**
 * The text part, else the HTML part made readable, else (when postal-mime found no part at all in
 * a body that has content) the raw body itself, with the original kept as a file.
 */
function readableText(email: Email, raw: Uint8Array, problems: string[]): { text: string; keepOriginal: boolean } {
  if (email.text?.trim()) return { text: email.text, keepOriginal: false };
  if (email.html) {
    const tooLong = email.html.length > MAX_HTML_CHARS;
    if (tooLong) problems.push("The HTML part was too long to convert in full; the original is attached.");
    return { text: htmlToText(email.html.slice(0, MAX_HTML_CHARS)), keepOriginal: tooLong };
  }
  if (email.attachments.length > 0 || email.text !== undefined) return { text: email.text ?? "", keepOriginal: false };
  const body = rawBody(raw);
  if (!body.trim()) return { text: "", keepOriginal: false };
  if (email.headers.length > 0) problems.push("The MIME structure of the message is broken; its raw body is kept as the text.");
  return { text: body, keepOriginal: true };
}

/** A thread's root and its latest mails are what threading needs of a long References list. */
function keepRootAndLatest(ids: string[]): string[] {
  return ids.length > MAX_REFERENCES ? [ids[0]!, ...ids.slice(-(MAX_REFERENCES - 1))] : ids;
}

const SOURCE_NAMES = { from: "From header", sender: "Sender header", "reply-to": "Reply-To header", "return-path": "Return-Path", envelope: "envelope sender" } as const;

function pickSender(email: Email, envelopeFrom: string | null): { person: Person | null; source: ReadMail["fromSource"] } {
  const candidates: [ReadMail["fromSource"], Person | null][] = [
    ["from", mailboxes(email.from ? [email.from] : [])[0] ?? null],
    ["sender", mailboxes(email.sender ? [email.sender] : [])[0] ?? null],
    ["reply-to", mailboxes(email.replyTo)[0] ?? null],
    ["return-path", email.returnPath ? { name: "", address: email.returnPath } : null],
    ["envelope", envelopeFrom ? { name: "", address: envelopeFrom } : null],
  ];
  for (const [source, person] of candidates) {
    if (person && isAddress(person.address)) return { person: { name: person.name, address: person.address.trim() }, source };
  }
  return { person: null, source: null };
}

/** An address within RFC 5321's lengths; a longer one names no mailbox and would make an unbounded contact. */
export function isAddress(value: string): boolean {
  const address = value.trim();
  if (address.length > MAX_EMAIL_CHARS || address.lastIndexOf("@") > MAX_LOCAL_PART_CHARS) return false;
  return /^[^\s@<>()",;:]+@[^\s@<>()",;:]+\.[^\s@<>()",;:]+$/.test(address);
}

/** The mailboxes of an address header; what is too long to be an address is none. */
export function mailboxes(list: Address[] | undefined): Person[] {
  const out: Person[] = [];
  for (const item of list ?? []) {
    const members: Mailbox[] = item.group ?? [item as Mailbox];
    for (const m of members) {
      const address = m.address?.trim();
      if (address && address.length <= MAX_EMAIL_CHARS) out.push({ name: displayName(m.name), address });
    }
  }
  return out;
}

/** A display name on one line, cut to a length a name can have. */
export function displayName(name: string | undefined): string {
  return clean(name)?.slice(0, MAX_NAME_CHARS) ?? "";
}

/** The ids in a Message-ID, In-Reply-To or References header, without angle brackets; longer ones are no real ids. */
export function messageIds(header: string | undefined): string[] {
  if (!header) return [];
  const bracketed = [...header.matchAll(/<([^<>\s]+)>/g)].map((m) => m[1]!);
  const bare = bracketed.length
    ? []
    : header
        .trim()
        .split(/\s+/, 1)
        .filter((id) => id.includes("@"));
  return [...bracketed, ...bare].filter((id) => id.length <= MAX_MESSAGE_ID_CHARS);
}

/** A redelivered mail without a Message-ID is the same bytes, so the same id: it is stored once. */
async function derivedMessageId(raw: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", raw));
  return `sha256-${toHex(digest)}@no-message-id.parley`;
}

// RFC 3834 and the de facto headers of vacation responders, lists and bounce senders.
function automatedBy(email: Email, from: Person | null): Automated | null {
  const header = (key: string) =>
    email.headers
      .find((h) => h.key === key)
      ?.value.trim()
      .slice(0, MAX_FIELD_CHARS) ?? "";
  const contentType = header("content-type").toLowerCase();
  if (contentType.startsWith("multipart/report")) {
    const kind = /report-type="?delivery-status/.test(contentType) ? "bounce" : "report";
    return { kind, reason: `Content-Type: ${contentType.split(";").slice(0, 2).join(";").trim()}` };
  }
  const local = from?.address.split("@")[0]?.toLowerCase();
  if (local === "mailer-daemon" || local === "postmaster") return { kind: "bounce", reason: `From: ${from!.address}` };
  const autoSubmitted = header("auto-submitted");
  if (autoSubmitted && !/^no\b/i.test(autoSubmitted)) return { kind: "auto-reply", reason: `Auto-Submitted: ${autoSubmitted}` };
  const precedence = header("precedence").toLowerCase();
  if (precedence === "auto_reply") return { kind: "auto-reply", reason: "Precedence: auto_reply" };
  if (["bulk", "junk", "list"].includes(precedence)) return { kind: "bulk", reason: `Precedence: ${precedence}` };
  for (const key of ["x-autoreply", "x-autorespond"]) {
    if (header(key)) return { kind: "auto-reply", reason: `${key}: ${header(key)}` };
  }
  return null;
}

// UTF-7 (RFC 2152) is not among the encodings TextDecoder knows, so its text arrives still encoded.
const UTF7_RUN = /\+([A-Za-z0-9+/]*)-?/g;

function declaresUtf7(text: string, subject: string | null, raw: Uint8Array): boolean {
  if (!/\+[A-Za-z0-9+/]{2,}/.test(`${text} ${subject ?? ""}`)) return false;
  return /charset\s*=\s*"?utf-7|=\?utf-7\?/i.test(new TextDecoder("latin1").decode(raw));
}

export function decodeUtf7(text: string): string {
  return text.replace(UTF7_RUN, (run, base64: string) => {
    if (!base64) return run === "+-" ? "+" : run;
    const bits = base64.length * 6;
    const padded = base64.padEnd(Math.ceil(base64.length / 4) * 4, "=");
    let bytes: Uint8Array;
    try {
      bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0)).subarray(0, Math.floor(bits / 16) * 2);
    } catch {
      return run;
    }
    return new TextDecoder("utf-16be").decode(bytes);
  });
}

function headerEnd(raw: Uint8Array): { end: number; bodyStart: number } {
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] !== 0x0a) continue;
    if (raw[i + 1] === 0x0a) return { end: i, bodyStart: i + 2 };
    if (raw[i + 1] === 0x0d && raw[i + 2] === 0x0a) return { end: i, bodyStart: i + 3 };
  }
  return { end: raw.length, bodyStart: raw.length };
}

/**
 * Headers must be ASCII, but old clients wrote them in their own charset. postal-mime reads them
 * as UTF-8; bytes that are not UTF-8 are re-read in the message's charset (else Windows-1252).
 */
function repairHeaders(raw: Uint8Array): { bytes: Uint8Array; charset: string | null } {
  const { end } = headerEnd(raw);
  const head = raw.subarray(0, end);
  if (head.every((b) => b < 0x80) || isUtf8(head)) return { bytes: raw, charset: null };
  const declared = /charset\s*=\s*"?([\w.:-]+)/i.exec(new TextDecoder("latin1").decode(head))?.[1]?.toLowerCase();
  const charset = declared && !/^(utf-?8|us-ascii)$/.test(declared) && decoderFor(declared) ? declared : "windows-1252";
  const fixed = new TextEncoder().encode(decoderFor(charset)!.decode(head));
  const bytes = new Uint8Array(fixed.length + raw.length - end);
  bytes.set(fixed);
  bytes.set(raw.subarray(end), fixed.length);
  return { bytes, charset };
}

function decoderFor(charset: string): TextDecoder | null {
  try {
    return new TextDecoder(charset);
  } catch {
    return null;
  }
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/**
 * The body after the header block as text, or the whole mail when what comes first is not a header
 * block at all. UTF-8 when it is, else Windows-1252 (which decodes any byte).
 */
function rawBody(raw: Uint8Array): string {
  const { end, bodyStart } = headerEnd(raw);
  const head = new TextDecoder("latin1").decode(raw.subarray(0, end));
  const isHeaderBlock = head.split(/\r?\n/).every((line) => /^[\x21-\x39\x3b-\x7e]+:|^[ \t]|^$/.test(line));
  const body = raw.subarray(isHeaderBlock ? bodyStart : 0);
  return isUtf8(body) ? new TextDecoder().decode(body) : new TextDecoder("windows-1252").decode(body);
}

/** A header's text on one line, without control characters. */
function clean(value: string | undefined | null): string | null {
  const flat = value?.replace(/[\x00-\x1f\x7f]+/g, " ").trim();
  return flat ? flat : null;
}

function errorText(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).slice(0, MAX_FIELD_CHARS);
}
