// How values read on screen: channel names, people's names, times, in the UI's language.
import { currentLanguage, formatDate, t } from "./i18n";
import type { AiProvider, Channel, Contact, Conversation } from "./types";

const CHANNEL_KEYS = { chat: "common.channelChat", email: "common.channelEmail", messenger: "common.channelMessenger", sms: "common.channelSms" } as const;

export const channelLabel = (channel: Channel) => t(CHANNEL_KEYS[channel]);

const WRITER_KEYS = { builtin: "common.writerBuiltin", "workers-ai": "common.writerWorkersAi", openai: "common.writerOpenai" } as const;

/** Who wrote a draft or a summary, as in "Drafted by Workers AI". */
export const writtenBy = (provider: AiProvider) => t(WRITER_KEYS[provider]);

const IDENTITY_KEYS = {
  email: "contacts.identityEmail",
  phone: "contacts.identityPhone",
  external: "contacts.identityExternal",
  visitor: "contacts.identityVisitor",
  messenger: "contacts.identityMessenger",
} as const;

/** What kind of address an identity is ("email", "phone"...); a kind this UI does not know yet reads as the API names it. */
export const identityKind = (kind: string) => (kind in IDENTITY_KEYS ? t(IDENTITY_KEYS[kind as keyof typeof IDENTITY_KEYS]) : kind);

export function contactName(contact: Contact | null): string | null {
  if (!contact) return null;
  return contact.name || [contact.firstName, contact.lastName].filter(Boolean).join(" ") || contact.email || contact.phone;
}

export function conversationTitle(conversation: Conversation): string {
  const name = contactName(conversation.contact) ?? conversation.partyName;
  if (name) return name;
  if (conversation.channels.includes("chat")) return t("common.websiteVisitor");
  if (conversation.channels.includes("messenger")) return t("common.messengerUser");
  return t("common.unknownSender");
}

const sameDay = (a: Date, b: Date) => a.toDateString() === b.toDateString();

/** "14:05" today, "Mon 14:05" this week, "3 Mar" this year, "3 Mar 2024" before. */
export function shortTime(at: number): string {
  const date = new Date(at);
  const now = new Date();
  const time = date.toLocaleTimeString(currentLanguage(), { hour: "2-digit", minute: "2-digit" });
  if (sameDay(date, now)) return time;
  if (now.getTime() - at < 6 * 86_400_000) return `${date.toLocaleDateString(currentLanguage(), { weekday: "short" })} ${time}`;
  if (date.getFullYear() === now.getFullYear()) return formatDate(at, { day: "numeric", month: "short" });
  return formatDate(at, { day: "numeric", month: "short", year: "numeric" });
}

export const fullTime = (at: number): string => formatDate(at, { dateStyle: "medium", timeStyle: "short" });
