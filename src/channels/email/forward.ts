// Mail an agent forwards from their own mailbox: who originally wrote it, when the forward says.
// Two shapes say so: the original attached as message/rfc822, or a standard forwarded block
// ("---------- Forwarded message ---------" from Gmail, "Begin forwarded message:" from Apple Mail,
// "-------- Forwarded Message --------" from Thunderbird) followed by its From: line.
import { addressParser } from "postal-mime";
import { displayName, isAddress, MAX_SUBJECT_CHARS, readMail, type Person, type ReadMail } from "./read";
import { tidy } from "./text";

export type Original = {
  from: Person;
  subject: string | null;
  date: string | null;
  text: string;
  /** The forwarder's own words above the forwarded mail. */
  note: string | null;
  messageId: string | null;
  references: string[];
  attachments: ReadMail["attachments"];
};

const FORWARD_MARKER =
  /^(?:-{4,}\s*Forwarded message\s*-{4,}|Begin forwarded message:|-{4,}\s*Forwarded Message\s*-{4,}|-{4,}\s*Weitergeleitete Nachricht\s*-{4,}|-{4,}\s*Message transféré\s*-{4,})$/i;
const FIELD = /^[*>\s]*(From|Subject|Date|Sent|To|Cc|De|Von|Objet|Betreff|Datum|Date d'envoi|À|An):?\*?\s*(.*)$/i;

/** The attached original, when the forward carries one (`mail` read with message/rfc822 kept as attachments). */
export async function attachedOriginal(mail: ReadMail): Promise<Original | null> {
  for (const attachment of mail.attachments) {
    if (attachment.mimeType !== "message/rfc822") continue;
    const bytes = typeof attachment.content === "string" ? new TextEncoder().encode(attachment.content) : new Uint8Array(attachment.content);
    const inner = await readMail(bytes, null);
    if (inner.fromSource !== "from" || !inner.from) continue;
    return {
      from: inner.from,
      subject: inner.subject,
      date: inner.date,
      text: inner.text,
      note: mail.text.trim() || null,
      messageId: inner.messageId,
      references: [...inner.references, ...inner.inReplyTo],
      attachments: inner.attachments,
    };
  }
  return null;
}

/** The original named by a forwarded block in the text, when there is one with a usable From: line. */
export function inlineOriginal(text: string): Original | null {
  const lines = text.split("\n");
  const markerAt = lines.findIndex((line) => FORWARD_MARKER.test(line.trim()));
  if (markerAt < 0) return null;
  const fields = new Map<string, string>();
  let i = markerAt + 1;
  while (i < lines.length && !lines[i]!.trim()) i++;
  for (; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line) break;
    const field = FIELD.exec(line);
    if (!field) break;
    const name = field[1]!.toLowerCase();
    const key = ["from", "de", "von"].includes(name) ? "from" : ["subject", "objet", "betreff"].includes(name) ? "subject" : ["date", "sent", "datum", "date d'envoi"].includes(name) ? "date" : name;
    if (!fields.has(key)) fields.set(key, field[2]!.slice(0, MAX_SUBJECT_CHARS).replace(/\*+$/, "").trim());
  }
  const from = personIn(fields.get("from"));
  if (!from) return null;
  return {
    from,
    subject: fields.get("subject") || null,
    date: fields.get("date") || null,
    text: tidy(lines.slice(i).join("\n")),
    note: tidy(lines.slice(0, markerAt).join("\n")) || null,
    messageId: null,
    references: [],
    attachments: [],
  };
}

function personIn(value: string | undefined): Person | null {
  if (!value) return null;
  // "Ana Lima <ana@example.com>", "ana@example.com", and Gmail's "Ana Lima <ana@example.com>" with a mailto: link.
  const parsed = addressParser(value.replace(/\[mailto:[^\]]*\]/gi, ""));
  for (const item of parsed) {
    const address = item.address?.trim();
    if (address && isAddress(address)) return { name: displayName(item.name), address };
  }
  return null;
}

const RFC822 = new TextEncoder().encode("message/rfc822");

/** A forwarded block in the text, or a message/rfc822 part (postal-mime inlines those without a disposition). */
export function carriesMail(mail: ReadMail, raw: Uint8Array): boolean {
  return inlineOriginal(mail.text) !== null || mail.attachments.some((a) => a.mimeType === "message/rfc822") || containsIgnoringCase(raw, RFC822);
}

function containsIgnoringCase(haystack: Uint8Array, needle: Uint8Array): boolean {
  // Anchored on the "/", which has no case: the letters around it are compared lowercased.
  const slash = needle.indexOf(0x2f);
  for (let at = haystack.indexOf(0x2f, slash); at !== -1; at = haystack.indexOf(0x2f, at + 1)) {
    const start = at - slash;
    if (start + needle.length > haystack.length) return false;
    let j = 0;
    while (j < needle.length && (haystack[start + j]! | 0x20) === (needle[j]! | 0x20)) j++;
    if (j === needle.length) return true;
  }
  return false;
}
