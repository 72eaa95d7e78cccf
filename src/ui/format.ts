// How values read on screen: channel names, people's names, times.
import type { AiProvider, Channel, Contact, Conversation } from "./types";

export const CHANNEL_LABELS: Record<Channel, string> = { chat: "Web Chat", email: "Email", messenger: "Messenger", sms: "SMS" };

/** Who wrote a draft or a summary, as in "Drafted by Workers AI". */
export const WRITTEN_BY: Record<AiProvider, string> = { builtin: "the built-in assistant", "workers-ai": "Workers AI", openai: "an OpenAI-compatible model" };

export function contactName(contact: Contact | null): string | null {
  if (!contact) return null;
  return contact.name || [contact.firstName, contact.lastName].filter(Boolean).join(" ") || contact.email || contact.phone;
}

export function conversationTitle(conversation: Conversation): string {
  const name = contactName(conversation.contact) ?? conversation.partyName;
  if (name) return name;
  if (conversation.channels.includes("chat")) return "Website visitor";
  if (conversation.channels.includes("messenger")) return "Messenger user";
  return "Unknown sender";
}

const sameDay = (a: Date, b: Date) => a.toDateString() === b.toDateString();

/** "14:05" today, "Mon 14:05" this week, "3 Mar" this year, "3 Mar 2024" before. */
export function shortTime(at: number): string {
  const date = new Date(at);
  const now = new Date();
  const time = date.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
  if (sameDay(date, now)) return time;
  if (now.getTime() - at < 6 * 86_400_000) return `${date.toLocaleDateString(undefined, { weekday: "short" })} ${time}`;
  if (date.getFullYear() === now.getFullYear()) return date.toLocaleDateString(undefined, { day: "numeric", month: "short" });
  return date.toLocaleDateString(undefined, { day: "numeric", month: "short", year: "numeric" });
}

export function fullTime(at: number): string {
  return new Date(at).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}
