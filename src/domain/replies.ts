// An agent's reply: pick the channel, keep it, hand it to the channel, keep what the provider said.
import { adapters, type Delivery, type OutboundAdapter, type ReplyContext } from "../channels/outbound";
import { database } from "../db/client";
import type { Channel, Message, MessageAuthor, MessageStatus, User } from "../db/schema";
import type { Env } from "../env";
import { conflict } from "../errors";
import { conversationRoom } from "../realtime/notify";
import { conversationView, conversationWithContact, SYSTEM_VIEWER, type Viewer } from "./conversations";
import type { ReplyOptions } from "../wire";
import { smsConsentOf } from "./consent";
import { channelFacts, composeMessage, findByExternalId, messageView } from "./messages";
import { loadSettings } from "./settings";

/**
 * Chat while the visitor is online; else the provider channel the person last wrote on (Messenger,
 * SMS), where they are waiting, or, before they wrote, the one they were reached on (an SMS a CRM
 * sent); else email when an address is known; else chat, kept for the visitor's return. The first
 * of these that can reach the person now; when none can, the first, so the refusal says why.
 */
function defaultChannel(ctx: ReplyContext): Channel | null {
  const { conversation, contact, lastInbound, addresses } = ctx;
  const [last] = (Object.entries(lastInbound) as [Channel, number][]).sort((a, b) => b[1] - a[1]);
  const candidates: Channel[] = [
    ...(conversation.visitorOnline ? ["chat" as const] : []),
    ...(last && PROVIDER_CHANNELS.has(last[0]) ? [last[0]] : []),
    ...(last ? [] : [...PROVIDER_CHANNELS].filter((channel) => addresses[channel])),
    ...(contact?.email ? ["email" as const] : []),
    ...(conversation.channels.includes("chat") ? ["chat" as const] : []),
  ];
  return candidates.find((channel) => !adapters[channel]?.unreachable(ctx)) ?? candidates[0] ?? null;
}

/** Channels a person writes on through a provider that answers them there only. */
const PROVIDER_CHANNELS: ReadonlySet<Channel> = new Set(["messenger", "sms"]);

/** Who sends a reply: a teammate, whose access is checked, or a workflow, under its own name. */
export type Sender = { agent: User } | { bot: { id: string | null; name: string } };

export type ReplyInput = Sender & {
  conversationId: string;
  channel?: Channel;
  body: string;
  /** The message's id, when the sender chose it before (a workflow's, so that waking again finds it). */
  id?: string;
  /** The Worker's public origin as the caller reached it (providers call back there). */
  origin?: string;
  meta?: Record<string, unknown>;
  /** Where to reach the person on `channel` when the conversation has no address there yet (a first SMS to a number). */
  address?: string;
};

/** Everything a channel needs to say whether, and how, a reply reaches the person now. */
async function replyContext(env: Env, input: { conversationId: string; viewer: Viewer; origin?: string; channel?: Channel; address?: string }): Promise<ReplyContext> {
  const db = database(env.DB);
  const [{ conversation: row, contact }, live, facts, settings] = await Promise.all([
    conversationWithContact(db, input.conversationId, input.viewer),
    conversationRoom(env, input.conversationId).current(input.conversationId),
    channelFacts(db, input.conversationId),
    loadSettings(db),
  ]);
  const addresses = input.address && input.channel ? { ...facts.addresses, [input.channel]: input.address } : facts.addresses;
  return {
    // Whether the visitor is here now is the room's to say.
    conversation: { ...row, visitorOnline: live?.visitorOnline ?? row.visitorOnline },
    contact,
    settings,
    lastInbound: facts.lastInbound,
    addresses,
    smsConsent: addresses.sms ? await smsConsentOf(db, addresses.sms) : null,
    publicBaseUrl: (settings.sms.publicBaseUrl || input.origin || "").replace(/\/+$/, ""),
    now: Date.now(),
  };
}

/**
 * The reply is kept by the conversation's room first (agents and the visitor see it queued at once),
 * then handed to the channel; what the provider said is a change the room keeps and tells too.
 */
export async function sendReply(env: Env, input: ReplyInput) {
  const ctx = await replyContext(env, { ...input, viewer: "agent" in input ? input.agent : SYSTEM_VIEWER });
  const channel = input.channel ?? defaultChannel(ctx);
  if (!channel) throw conflict("no_reachable_channel", "The visitor is offline and no email address is known; add one to the contact first.");
  const adapter = adapters[channel];
  if (!adapter) throw conflict("channel_not_connected", `The ${channel} channel is not connected.`);
  const reason = adapter.unreachable(ctx);
  if (reason) throw conflict(reason, unreachableMessage(channel, reason));
  const composed = composeMessage(ctx.conversation.id, {
    id: input.id,
    direction: "out",
    channel,
    body: input.body,
    author: authorOf(input),
    status: "queued",
    meta: input.meta,
  });
  const admission = await adapter.admit?.(env, ctx, composed);
  const queued = admission ? { ...composed, meta: { ...composed.meta, ...admission.meta } } : composed;
  const room = conversationRoom(env, ctx.conversation.id);
  const { message } = await room.record(queued, conversationView(ctx.conversation, ctx.contact)).catch(async (error: unknown) => {
    await admission?.release();
    throw error;
  });
  const delivery = await deliver(env, adapter, ctx, message);
  const sent = await room.updateMessage({ id: message.id, status: delivery.status, statusReason: delivery.reason ?? null, externalId: delivery.externalId, meta: delivery.meta }, message);
  // The provider reports on the reply by its id, found in D1 (updateDelivery), and may do so at once.
  if (delivery.externalId) await room.settle();
  return sent;
}

/** What the composer offers: each channel that concerns the conversation, whether it reaches the person now, and why not. */
export async function replyOptions(env: Env, input: { conversationId: string; agent: User; origin: string }): Promise<ReplyOptions> {
  const ctx = await replyContext(env, { ...input, viewer: input.agent });
  const concerned = (Object.keys(adapters) as Channel[]).filter((channel) => concerns(ctx, channel));
  const channels = concerned.map((channel) => {
    const reason = adapters[channel]!.unreachable(ctx);
    return { channel, reason, message: reason ? unreachableMessage(channel, reason) : null, closesAt: adapters[channel]!.closesAt?.(ctx) ?? null };
  });
  return { default: defaultChannel(ctx), channels, smsCredits: concerned.includes("sms") ? ctx.settings.sms.credits : null, drafts: ctx.settings.ai.drafts };
}

/** Whether a channel is one to offer for this conversation: chat with a visitor, email always, a provider where the person wrote or was written to. */
function concerns(ctx: ReplyContext, channel: Channel): boolean {
  if (channel === "email") return true;
  if (channel === "chat") return ctx.conversation.channels.includes("chat");
  return ctx.conversation.channels.includes(channel) || ctx.addresses[channel] !== undefined;
}

/**
 * An internal note, by a teammate or the assistant (a summary): kept and told by the room like any
 * message, to agents only; it goes on no channel and leaves the conversation's activity as the
 * person left it.
 */
export async function addNote(env: Env, input: Sender & { conversationId: string; body: string; meta?: Record<string, unknown> }) {
  const { conversation, contact } = await conversationWithContact(database(env.DB), input.conversationId, "agent" in input ? input.agent : SYSTEM_VIEWER);
  const note = composeMessage(conversation.id, {
    direction: "out",
    // Filed under the channel the conversation is on, for the thread's order; its kind keeps it off it.
    channel: conversation.channels.at(-1) ?? "chat",
    kind: "note",
    body: input.body,
    author: authorOf(input),
    meta: input.meta,
  });
  const { message } = await conversationRoom(env, conversation.id).record(note, conversationView(conversation, contact));
  return messageView(message);
}

const authorOf = (sender: Sender): MessageAuthor => ("agent" in sender ? { type: "agent", id: sender.agent.id, name: sender.agent.name } : { type: "bot", id: sender.bot.id, name: sender.bot.name });

/** Hands the kept reply to its channel; a channel that reads the thread from D1 (an email carries the chat) waits until D1 has all of it. */
async function deliver(env: Env, adapter: OutboundAdapter, ctx: ReplyContext, message: Message): Promise<Delivery> {
  if (adapter.readsThread && !(await conversationRoom(env, message.conversationId).settle())) {
    return { status: "failed", reason: "Not sent: the thread could not be read just now. Send it again." };
  }
  return adapter.send(env, ctx, message);
}

/** Why a channel cannot reach the person, as the agent reads it, by the reason code the adapters give. */
const WHY_NOT: Record<string, string> = {
  no_chat_visitor: "This person has not chatted on the website.",
  no_email_address: "No email address is known for this person: add one to the contact.",
  email_not_configured: "Email is not set up yet: an admin enters the inbound address in Settings.",
  channel_not_connected: "This channel is not connected yet: an admin sets it up in Settings.",
  no_messenger_person: "This person has not written on Messenger.",
  outside_messaging_window: "Messenger takes replies only within 24 hours of the person's last message (7 days with the human-agent option in Settings).",
  no_sms_number: "No number has texted in this conversation: send a new SMS from the SMS page.",
  sms_opted_out: "This number texted STOP: it gets no SMS until it texts START.",
};

function unreachableMessage(channel: Channel, reason: string): string {
  return WHY_NOT[reason] ?? `This conversation cannot be answered by ${channel} (${reason.replace(/_/g, " ")}).`;
}

/**
 * A provider's later word on a reply it was given (a bounce, a delivery or read report), by the
 * provider's id: the reply's room keeps and tells the change, if it takes the reply further (the
 * room has its freshest status). A report on no reply of ours is ignored. Returns the reply reported on.
 */
export async function updateDelivery(env: Env, channel: Channel, externalId: string, status: MessageStatus, reason: string | null = null): Promise<Message | null> {
  const sent = await findByExternalId(database(env.DB), channel, externalId);
  if (sent?.direction !== "out") return null;
  await conversationRoom(env, sent.conversationId).updateMessage({ id: sent.id, status, statusReason: reason }, sent);
  return sent;
}
