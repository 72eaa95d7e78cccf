// What every channel adapter offers for replies. Adding a channel is one new adapter in `adapters`.
import type { Channel, Contact, Conversation, Message, MessageStatus } from "../db/schema";
import type { Settings } from "../domain/settings";
import type { Env } from "../env";
import { chatAdapter } from "./chat";
import { emailAdapter } from "./email";
import type { SmsConsent } from "../domain/consent";
import { messengerAdapter } from "./messenger";
import { smsAdapter } from "./sms";

export type ReplyContext = {
  conversation: Conversation;
  contact: Contact | null;
  settings: Settings;
  /** When the person last wrote on each channel (ms): a provider's reply window runs from it. */
  lastInbound: Partial<Record<Channel, number>>;
  /** Where the conversation reaches its person on each channel that has one (the number that texted). */
  addresses: Partial<Record<Channel, string>>;
  /** What the conversation's SMS number last said of consent. */
  smsConsent: SmsConsent | null;
  /** The Worker's public origin, for the providers' callbacks ("" when not known). */
  publicBaseUrl: string;
  now: number;
};

/** A reply let through: what to add to its meta, and how to give back what it took. */
export type Admission = { meta: Record<string, unknown>; release(): Promise<void> };

/** What the provider said: its id for the message, and whether it took it; `meta`: the message's meta as sent (an email's headers). */
export type Delivery = { status: MessageStatus; externalId?: string; reason?: string; meta?: Record<string, unknown> };

export interface OutboundAdapter {
  /** The adapter reads the thread from D1 (an email reply carries the chat): D1 must have all of it first. */
  readsThread?: boolean;
  /** Why this conversation cannot be reached on the channel (a reason code), or null when it can. */
  unreachable(ctx: ReplyContext): string | null;
  /** When the provider's window for replies closes (ms), for a channel that has one. */
  closesAt?(ctx: ReplyContext): number | null;
  /**
   * Checks the reply and takes what it costs (SMS credits) before it is kept, throwing the refusal.
   * A send that then fails gives back what was taken; so does `release`, for a reply never kept.
   */
  admit?(env: Env, ctx: ReplyContext, message: Message): Promise<Admission>;
  /** Hands the stored message to the provider. Never throws for the provider's refusal: it reports it. */
  send(env: Env, ctx: ReplyContext, message: Message): Promise<Delivery>;
}

export const adapters: Partial<Record<Channel, OutboundAdapter>> = {
  chat: chatAdapter,
  email: emailAdapter,
  messenger: messengerAdapter,
  sms: smsAdapter,
};
