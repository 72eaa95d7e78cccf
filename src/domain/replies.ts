// An agent's reply: pick the channel, store it, hand it to the channel, record what the provider said.
import { adapters } from "../channels/outbound";
import { database } from "../db/client";
import type { Channel, User } from "../db/schema";
import type { Env } from "../env";
import { conflict } from "../errors";
import { messageCreated } from "../realtime/events";
import { conversationView, conversationWithContact } from "./conversations";
import { messageView, setMessageStatus, storeMessage } from "./messages";
import { loadSettings } from "./settings";

/** Chat while the visitor is online, else email when an address is known. */
export function defaultChannel(visitorOnline: boolean, email: string | null | undefined): Channel | null {
  if (visitorOnline) return "chat";
  return email ? "email" : null;
}

export async function sendReply(env: Env, input: { conversationId: string; channel?: Channel; body: string; agent: User; meta?: Record<string, unknown> }) {
  const db = database(env.DB);
  const { conversation, contact } = await conversationWithContact(db, input.conversationId);
  const channel = input.channel ?? defaultChannel(conversation.visitorOnline, contact?.email);
  if (!channel) throw conflict("no_reachable_channel", "The visitor is offline and no email address is known; add one to the contact first.");
  const adapter = adapters[channel];
  if (!adapter) throw conflict("channel_not_connected", `The ${channel} channel is not connected.`);
  const ctx = { conversation, contact, settings: await loadSettings(db), agent: input.agent };
  const reason = adapter.unreachable(ctx);
  if (reason) throw conflict(reason, unreachableMessage(channel, reason));
  const stored = await storeMessage(db, conversation, {
    direction: "out",
    channel,
    body: input.body,
    author: { type: "agent", id: input.agent.id, name: input.agent.name },
    status: "queued",
    meta: input.meta,
  });
  const delivery = await adapter.send(env, ctx, stored.message);
  const message = await setMessageStatus(db, stored.message.id, delivery.status, delivery.reason ?? null, delivery.externalId);
  await messageCreated(env, conversationView(stored.conversation, contact), messageView(message));
  return message;
}

function unreachableMessage(channel: Channel, reason: string): string {
  return `This conversation cannot be answered by ${channel} (${reason.replace(/_/g, " ")}).`;
}
