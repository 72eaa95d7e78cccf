// The admins' SMS inbox: its balance and unread count, top-ups, and SMS a CRM (or an admin) sends
// to a number, which opens that number's SMS conversation when it has none.
import { z } from "zod";
import { database } from "../db/client";
import { addCredits } from "../domain/credits";
import { resolveContact } from "../domain/contacts";
import { dropIfEmpty, openConversationFor, unreadOn } from "../domain/conversations";
import { phoneIdentity } from "../domain/identities";
import { MAX_MESSAGE_LENGTH } from "../domain/messages";
import { toE164 } from "../domain/phones";
import { sendReply } from "../domain/replies";
import { loadSettings } from "../domain/settings";
import { badRequest } from "../errors";
import { ApiRouter } from "../http/router";
import { MessageSchema } from "../wire";

export const smsRoutes = new ApiRouter("/api");

smsRoutes.get(
  "/sms",
  {
    summary: "The SMS inbox at a glance: credits left, unread SMS conversations, the number SMS go from",
    access: "admin",
    response: z.object({ credits: z.number(), unread: z.number(), fromNumber: z.string() }),
  },
  async (c) => {
    const db = database(c.env.DB);
    const [settings, unread] = await Promise.all([loadSettings(db), unreadOn(db, "sms")]);
    return c.json({ credits: settings.sms.credits, unread, fromNumber: settings.sms.fromNumber });
  },
);

smsRoutes.post(
  "/sms/credits",
  {
    summary: "Top up SMS credits (one is spent per segment sent); the new balance",
    access: "admin",
    body: z.object({ add: z.number().int().min(1).max(1_000_000) }),
    response: z.object({ credits: z.number() }),
  },
  async (c, { body }) => c.json({ credits: await addCredits(database(c.env.DB), body.add) }),
);

smsRoutes.post(
  "/sms/messages",
  {
    summary:
      "Send an SMS to a number (a CRM's campaign or automation): it goes in that person's SMS conversation, opened if they have none, and a reply shows which message it answers. 402 insufficient_credits, 409 sms_opted_out, 400 sms_too_long",
    access: "admin",
    body: z.object({
      to: z.string().trim().min(1).max(40),
      body: z.string().trim().min(1, "Write a message.").max(MAX_MESSAGE_LENGTH),
      kind: z.enum(["campaign", "automation"]),
      name: z.string().trim().max(200).optional(),
    }),
    response: MessageSchema,
    status: 201,
  },
  async (c, { body }) => {
    const db = database(c.env.DB);
    const to = toE164(body.to, (await loadSettings(db)).defaultCountry);
    if (!to)
      throw badRequest("invalid_phone", "That is not a phone number: give it with its country code (+44 20 7946 0958) or as the default country writes it.", [
        { path: "to", message: "Not a phone number." },
      ]);
    // The business's own system names the number: as good as an agent adding it.
    const contact = (await resolveContact(db, [phoneIdentity(to)]))!;
    const { conversation, created } = await openConversationFor(db, { contactId: contact.id, party: null }, "sms", "latest");
    try {
      const message = await sendReply(c.env, {
        conversationId: conversation.id,
        channel: "sms",
        body: body.body,
        agent: c.var.user,
        origin: new URL(c.req.url).origin,
        meta: { campaign: { kind: body.kind, name: body.name || null } },
        address: to,
      });
      return c.json(message, 201);
    } catch (error) {
      // Refused (no credits, opted out): a conversation opened for it holds nothing, so it goes.
      if (created) await dropIfEmpty(db, conversation.id);
      throw error;
    }
  },
);
