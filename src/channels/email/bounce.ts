// A delivery report (RFC 3464) about mail Parley sent: it names the mail it is about in the
// returned message or headers, and why delivery failed in the delivery-status part. With that the
// bounce joins the conversation of the mail that failed, and that mail's status says it failed.
import { updateDelivery } from "../../domain/replies";
import type { Env } from "../../env";
import { messageIds, type ReadMail } from "./read";

export type Bounced = { messageId: string; reason: string };

const RETURNED = new Set(["message/rfc822", "text/rfc822-headers", "message/global", "message/global-headers"]);
const STATUS = new Set(["message/delivery-status", "message/global-delivery-status"]);
// Kept in the bounce's row and as the failed mail's status reason.
const MAX_REASON_CHARS = 500;

export function bouncedMail(mail: ReadMail): Bounced | null {
  if (mail.automated?.kind !== "bounce") return null;
  const text = (content: ReadMail["attachments"][number]["content"]) => (typeof content === "string" ? content : new TextDecoder("latin1").decode(content));
  const returned = mail.attachments.find((a) => RETURNED.has(a.mimeType));
  if (!returned) return null;
  const head = text(returned.content).split(/\r?\n\r?\n/)[0] ?? "";
  const messageId = messageIds(/^Message-ID:[ \t]*(.*(?:\r?\n[ \t].*)*)/im.exec(head)?.[1])[0];
  if (!messageId) return null;
  const status = mail.attachments.find((a) => STATUS.has(a.mimeType));
  const fields = status ? text(status.content) : "";
  const field = (name: string) => new RegExp(`^${name}:[ \\t]*(.+)$`, "im").exec(fields)?.[1]?.trim();
  const reason = field("Diagnostic-Code") ?? (field("Status") ? `Status ${field("Status")}` : null) ?? "The receiving mail server returned the message.";
  return { messageId, reason: reason.slice(0, MAX_REASON_CHARS) };
}

/** Marks the mail Parley sent as failed, with the receiving server's reason, and tells the inbox and room. */
export async function markBounced(env: Env, bounced: Bounced): Promise<void> {
  await updateDelivery(env, "email", bounced.messageId, "failed", bounced.reason);
}
