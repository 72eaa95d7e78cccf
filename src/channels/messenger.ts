// Facebook Messenger, inbound: what Meta's webhook says, read into the messages the pipeline
// stores. A person is their page-scoped id; no contact is made for them until an agent adds one.
import { z } from "zod";
import type { InboundMessage } from "../domain/pipeline";

const Attachment = z.object({
  type: z.string(),
  payload: z.object({ url: z.string().optional(), title: z.string().optional() }).passthrough().nullish(),
});

const Event = z.object({
  sender: z.object({ id: z.string().min(1) }),
  recipient: z.object({ id: z.string() }),
  timestamp: z.number().optional(),
  message: z
    .object({
      mid: z.string().min(1),
      text: z.string().optional(),
      is_echo: z.boolean().optional(),
      quick_reply: z.object({ payload: z.string() }).optional(),
      attachments: z.array(Attachment).optional(),
    })
    .optional(),
  postback: z.object({ mid: z.string().optional(), title: z.string().optional(), payload: z.string().optional() }).optional(),
});

export const MessengerWebhook = z.object({
  object: z.string(),
  entry: z.array(z.object({ messaging: z.array(z.unknown()).optional() })).default([]),
});

export type MessengerEvent = z.infer<typeof Event>;

/** The messages in one webhook body, in Meta's order; events Parley does not store are left out. */
export function messengerMessages(body: z.infer<typeof MessengerWebhook>): InboundMessage[] {
  if (body.object !== "page") return [];
  const events = body.entry.flatMap((entry) => entry.messaging ?? []).map((raw) => Event.safeParse(raw));
  return events.flatMap((parsed) => (parsed.success ? inbound(parsed.data) : []));
}

function inbound(event: MessengerEvent): InboundMessage[] {
  const what = personSaid(event);
  if (!what) return [];
  return [
    {
      channel: "messenger",
      sender: [{ kind: "messenger", value: event.sender.id }],
      thread: "latest",
      externalId: what.mid,
      body: what.body,
      meta: what.meta,
      receivedAt: event.timestamp,
    },
  ];
}

/** What the person sent: their text, the option they chose, or their attachments as links. Our own echoes are not theirs. */
function personSaid(event: MessengerEvent): { mid: string; body: string; meta?: Record<string, unknown> } | null {
  const { message, postback } = event;
  if (message && !message.is_echo) {
    const attachments = (message.attachments ?? []).map((a) => ({ type: a.type, url: a.payload?.url ?? null, title: a.payload?.title ?? null }));
    const links = attachments.map((a) => `[${a.type}] ${a.url ?? a.title ?? ""}`.trim());
    const body = [message.text, ...links].filter(Boolean).join("\n");
    return { mid: message.mid, body, meta: attachments.length ? { attachments } : undefined };
  }
  // A postback (a button) has an id of its own only in newer payloads; its time tells it apart otherwise.
  if (postback) return { mid: postback.mid ?? `postback:${event.sender.id}:${event.timestamp ?? 0}`, body: postback.title ?? postback.payload ?? "" };
  return null;
}
