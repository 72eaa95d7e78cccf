// An agent's reply: pick the channel, keep it, hand it to the channel, keep what the provider said.
import { adapters, type Delivery, type OutboundAdapter, type ReplyContext } from "../channels/outbound";
import { database } from "../db/client";
import type { Channel, Message, MessageStatus, User } from "../db/schema";
import type { Env } from "../env";
import { conflict } from "../errors";
import { conversationRoom } from "../realtime/notify";
import { conversationView, conversationWithContact } from "./conversations";
import { composeMessage, findByExternalId, lastInboundByChannel } from "./messages";
import { loadSettings } from "./settings";

/**
 * Chat while the visitor is online; else the provider channel the person last wrote on (Messenger,
 * SMS), where they are waiting; else email when an address is known.
 */
export function defaultChannel(visitorOnline: boolean, email: string | null | undefined, lastInbound: Partial<Record<Channel, number>>): Channel | null {
  if (visitorOnline) return "chat";
  const [last] = (Object.entries(lastInbound) as [Channel, number][]).sort((a, b) => b[1] - a[1]);
  if (last && PROVIDER_CHANNELS.has(last[0])) return last[0];
  return email ? "email" : null;
}

/** Channels a person writes on through a provider that answers them there only. */
const PROVIDER_CHANNELS: ReadonlySet<Channel> = new Set(["messenger", "sms"]);

/**
 * The reply is kept by the conversation's room first (agents and the visitor see it queued at once),
 * then handed to the channel; what the provider said is a change the room keeps and tells too.
 */
export async function sendReply(env: Env, input: { conversationId: string; channel?: Channel; body: string; agent: User; meta?: Record<string, unknown> }) {
  const db = database(env.DB);
  const room = conversationRoom(env, input.conversationId);
  const [{ conversation: row, contact }, live, lastInbound] = await Promise.all([
    conversationWithContact(db, input.conversationId),
    room.current(input.conversationId),
    lastInboundByChannel(db, input.conversationId),
  ]);
  // Whether the visitor is here now is the room's to say.
  const conversation = { ...row, visitorOnline: live?.visitorOnline ?? row.visitorOnline };
  const channel = input.channel ?? defaultChannel(conversation.visitorOnline, contact?.email, lastInbound);
  if (!channel) throw conflict("no_reachable_channel", "The visitor is offline and no email address is known; add one to the contact first.");
  const adapter = adapters[channel];
  if (!adapter) throw conflict("channel_not_connected", `The ${channel} channel is not connected.`);
  const ctx = { conversation, contact, settings: await loadSettings(db), agent: input.agent, lastInbound, now: Date.now() };
  const reason = adapter.unreachable(ctx);
  if (reason) throw conflict(reason, unreachableMessage(channel, reason));
  const queued = composeMessage(conversation.id, {
    direction: "out",
    channel,
    body: input.body,
    author: { type: "agent", id: input.agent.id, name: input.agent.name },
    status: "queued",
    meta: input.meta,
  });
  const { message } = await room.record(queued, conversationView(conversation, contact));
  const delivery = await deliver(env, adapter, ctx, message);
  return room.updateMessage({ id: message.id, status: delivery.status, statusReason: delivery.reason ?? null, externalId: delivery.externalId, meta: delivery.meta }, message);
}

/** Hands the kept reply to its channel; a channel that reads the thread from D1 (an email carries the chat) waits until D1 has all of it. */
async function deliver(env: Env, adapter: OutboundAdapter, ctx: ReplyContext, message: Message): Promise<Delivery> {
  if (adapter.readsThread && !(await conversationRoom(env, message.conversationId).settle())) {
    return { status: "failed", reason: "Not sent: the thread could not be read just now. Send it again." };
  }
  return adapter.send(env, ctx, message);
}

function unreachableMessage(channel: Channel, reason: string): string {
  return `This conversation cannot be answered by ${channel} (${reason.replace(/_/g, " ")}).`;
}

/**
 * A provider's later word on a reply it was given (a bounce, a delivery or read report), by the
 * provider's id: the reply's room keeps and tells the change, if it takes the reply further (the
 * room has its freshest status). A report on no reply of ours is ignored.
 */
export async function updateDelivery(env: Env, channel: Channel, externalId: string, status: MessageStatus, reason: string | null = null): Promise<void> {
  const sent = await findByExternalId(database(env.DB), channel, externalId);
  if (!sent || sent.direction !== "out") return;
  await conversationRoom(env, sent.conversationId).updateMessage({ id: sent.id, status, statusReason: reason }, sent);
}
