// The widget's HTTP API, called from any website (CORS for every origin, set in app.ts). No
// cookies: the widget keeps its visitor token in the host page's localStorage and sends it in
// the X-Visitor-Token header. Live messages travel over GET /api/widget/live (routes/live.ts).
import type { Context } from "hono";
import { z } from "zod";
import { database } from "../db/client";
import { bodyRefusal, openChat, visitorMessageView } from "../domain/chat";
import { contactView } from "../domain/contacts";
import { loadConversationView, SYSTEM_VIEWER } from "../domain/conversations";
import { messageView } from "../domain/messages";
import { toE164 } from "../domain/phones";
import { textOn } from "../domain/contrast";
import { LANGUAGES, pickLanguage } from "../domain/languages";
import { anyoneOnline } from "../domain/routing";
import { loadSettings, SettingsSchema, type Settings } from "../domain/settings";
import { businessText, type TextKey } from "../domain/texts";
import { publishEvent } from "../domain/subscriptions";
import { attachVisitor, createVisitor, type Person, type Visitor, splitName, verifyIdentityHash, visitorContact, visitorConversation, visitorFor, visitorForToken } from "../domain/visitors";
import type { AppEnv } from "../env";
import { ApiError, badRequest, forbidden, rateLimited } from "../errors";
import { clientOf, spend } from "../http/limits";
import { ApiRouter } from "../http/router";
import { parseInput } from "../http/validation";
import { conversationChanged } from "../realtime/events";
import { conversationRoom } from "../realtime/notify";
import type { ErrorCode } from "../realtime/protocol";
import { VisitorMessageSchema } from "../wire";
import { Email } from "./schemas";

export const widgetRoutes = new ApiRouter("/api/widget");

export const VISITOR_TOKEN_HEADER = "X-Visitor-Token";

const visitorOf = (c: Context<AppEnv>) => visitorForToken(database(c.env.DB), c.req.header(VISITOR_TOKEN_HEADER));

const Identified = z.object({ identified: z.literal(true), verified: z.boolean().nullable(), token: z.string().optional() });

widgetRoutes.post(
  "/visitors",
  {
    summary: "A new widget visitor; the widget keeps the token (30 days, renewed by use) and sends it as X-Visitor-Token",
    access: "public",
    response: z.object({ token: z.string() }),
    status: 201,
  },
  async (c) => {
    await spend(c.env, "WIDGET_PER_CLIENT", `visitor:${clientOf(c)}`, "Too many new chats from this address; wait a minute and try again.");
    const { token } = await createVisitor(database(c.env.DB));
    return c.json({ token }, 201);
  },
);

const WidgetConfig = z.object({
  chatForm: SettingsSchema.shape.chatForm,
  locale: z.enum(LANGUAGES),
  appearance: SettingsSchema.shape.appearance.extend({ onColor: z.string() }),
  texts: z.object({ prechatIntro: z.string() }),
  online: z.boolean(),
});

widgetRoutes.get(
  "/config",
  {
    summary:
      "What the widget needs before a visitor writes: which pre-chat fields to ask, how it looks, and its texts in `locale` (the language asked for when Parley speaks it, else the workspace's); `online` is whether any agent is",
    access: "public",
    query: z.object({ locale: z.string().max(35).optional() }),
    response: WidgetConfig,
  },
  async (c, { query }) => {
    const settings = await loadSettings(database(c.env.DB));
    const locale = pickLanguage([query.locale]) ?? settings.locale;
    const text = (key: TextKey) => businessText(settings, locale, key);
    const { appearance } = settings;
    return c.json({
      chatForm: settings.chatForm,
      locale,
      appearance: {
        ...appearance,
        onColor: textOn(appearance.color),
        teamName: appearance.teamName || settings.email.fromName,
        greeting: text("greeting"),
        awayText: text("awayText"),
      },
      texts: { prechatIntro: text("prechatIntro") },
      online: await anyoneOnline(c.env),
    });
  },
);

widgetRoutes.get(
  "/session",
  {
    summary: "The visitor's thread (their latest conversation, null before the first message) and whether they have said who they are",
    access: "public",
    response: z.object({ conversationId: z.string().nullable(), identified: z.boolean(), verified: z.boolean().nullable() }),
  },
  async (c) => {
    const db = database(c.env.DB);
    const visitor = await visitorOf(c);
    const [conversation, contact] = await Promise.all([visitorConversation(db, visitor.id), visitorContact(db, visitor.id)]);
    return c.json({ conversationId: conversation?.id ?? null, identified: contact !== null, verified: visitor.identityVerified });
  },
);

const PreChat = z.object({
  email: z.string().max(320),
  phone: z.string().max(40).optional(),
  account: z.string().max(200).optional(),
  fullName: z.string().max(200).optional(),
});

widgetRoutes.post(
  "/prechat",
  {
    summary:
      "The pre-chat form: Email always, Phone number, Account and Full name as settings.chatForm says. A claim, not a proof: it creates a contact for a new email (not opted in to marketing) or links the visitor's own thread to the contact it names, shown not verified, and never changes an existing contact. May answer a new token: a browser already attached to someone else gets a thread of its own",
    access: "public",
    body: PreChat,
    response: Identified,
  },
  async (c, { body }) => {
    const db = database(c.env.DB);
    const visitor = await visitorOf(c);
    const form = parseInput(preChatRules(await loadSettings(db)), body, "pre-chat form");
    const person = { email: form.email, phone: form.phone, profile: { ...splitName(form.fullName), account: form.account } };
    const { contact, ...answer } = await identifyVisitor(c, visitor, person, false);
    // The form is the chatbot's first block: a CRM or marketing tool hears that the person entered it.
    await publishEvent(
      c.env,
      "automation.entered",
      { automation: { type: "chat-form", name: "Pre-chat form" }, contact: contactView(contact), visitorId: visitor.id },
      `chat-form:${visitor.id}:${contact.id}`,
    );
    return c.json(answer);
  },
);

const FIELD_LABELS = { phone: "phone number", account: "account", fullName: "full name" } as const;

/** The form as the workspace configured it: required fields present, the phone a real number (stored in E.164). */
function preChatRules(settings: Settings) {
  const form = settings.chatForm;
  const optionalText = z
    .string()
    .trim()
    .optional()
    .transform((v) => v || undefined);
  return z.object({ email: Email, phone: optionalText, account: optionalText, fullName: optionalText }).transform((value, ctx) => {
    for (const field of ["phone", "account", "fullName"] as const) {
      if (form[field] === "off") value[field] = undefined;
      // too_small, as zod says of an empty text: the widget tells "missing" from "not a number" by it.
      else if (form[field] === "required" && !value[field])
        ctx.addIssue({ code: "too_small", origin: "string", minimum: 1, inclusive: true, input: "", path: [field], message: `Enter your ${FIELD_LABELS[field]}.` });
    }
    if (!value.phone) return value;
    const e164 = toE164(value.phone, settings.defaultCountry);
    if (!e164) {
      ctx.addIssue({ code: "custom", path: ["phone"], message: `That is not a phone number we can use; include the country code (e.g. +44) unless it is a ${settings.defaultCountry} number.` });
      return z.NEVER;
    }
    return { ...value, phone: e164 };
  });
}

widgetRoutes.post(
  "/identify",
  {
    summary:
      "A signed-in visitor, from the host page's identify command. With an identity secret set, `hash` must be the hex HMAC-SHA256 of `email`, else 403 and the visitor stays anonymous; without one the contact is linked but marked not verified. May answer a new token: another person on this browser gets a thread of their own",
    access: "public",
    body: z.object({ email: z.string().max(320), name: z.string().max(200).optional(), hash: z.string().max(200).optional() }),
    response: Identified,
  },
  async (c, { body }) => {
    const db = database(c.env.DB);
    const visitor = await visitorOf(c);
    const email = parseInput(Email, body.email, "email");
    const secret = (await loadSettings(db)).identitySecret;
    if (secret && !(body.hash && (await verifyIdentityHash(secret, body.email, body.hash)))) {
      throw new ApiError(403, "identity_not_verified", "The identify hash does not match this email under the workspace's identity secret; the visitor stays anonymous.");
    }
    const { contact: _contact, ...answer } = await identifyVisitor(c, visitor, { email, profile: splitName(body.name) }, Boolean(secret));
    return c.json(answer);
  },
);

/**
 * Attaches the person to this browser's visitor, or to a fresh one (whose token the widget then keeps).
 * A claim may make a contact and a visitor, so claims are limited per address; what the host site signed is not.
 */
async function identifyVisitor(c: Context<AppEnv>, visitor: Visitor, person: Person, verified: boolean) {
  if (!verified) await spend(c.env, "WIDGET_PER_CLIENT", `claim:${clientOf(c)}`, "Too many people named from this address; wait a minute and try again.");
  const db = database(c.env.DB);
  const chosen = await visitorFor(db, visitor, person);
  const contact = await attachVisitor(db, chosen.visitor, person, verified);
  const shownVerified = verified || chosen.visitor.identityVerified === true;
  // The host page says who is signed in on every page view: agents hear of it only when it changes whom
  // the visitor's thread is with, or that it is verified.
  if (chosen.current?.id !== contact.id || shownVerified !== (chosen.visitor.identityVerified === true)) {
    const thread = await visitorConversation(db, chosen.visitor.id);
    if (thread) await conversationChanged(c.env, await loadConversationView(db, thread.id, SYSTEM_VIEWER));
  }
  return { identified: true as const, verified: shownVerified, ...(chosen.token ? { token: chosen.token } : {}), contact };
}

widgetRoutes.post(
  "/messages",
  {
    summary:
      "A visitor's message (the live socket is the usual way; this is its HTTP twin and how the first message opens the thread). A resend with the same clientId is stored once; 429 past the per-minute limit",
    access: "public",
    body: z.object({
      clientId: z
        .string()
        .min(1)
        .max(64)
        .regex(/^[\w-]+$/, "clientId may hold letters, digits, - and _ only."),
      body: z.string().max(1_000_000),
      locale: z.enum(LANGUAGES).optional(),
    }),
    response: z.object({ conversationId: z.string(), message: VisitorMessageSchema }),
    status: 201,
  },
  async (c, { body }) => {
    const db = database(c.env.DB);
    const visitor = await visitorOf(c);
    const own = await visitorConversation(db, visitor.id);
    const says = { visitorId: visitor.id, clientId: body.clientId, body: body.body };
    if (own) {
      // Through the room, so the socket and this call share one order and one rate limit.
      const receipt = await conversationRoom(c.env, own.id).receive({ ...says, conversationId: own.id });
      if ("refusal" in receipt) throw refusalError(receipt.refusal);
      return c.json({ conversationId: own.id, message: receipt.message }, 201);
    }
    const refusal = bodyRefusal(body.body);
    if (refusal) throw refusalError(refusal);
    await spend(c.env, "WIDGET_PER_CLIENT", `open:${clientOf(c)}`, "Too many new chats from this address; wait a minute and try again.");
    const message = await openChat(c.env, { ...says, identityVerified: visitor.identityVerified, locale: body.locale });
    return c.json({ conversationId: message.conversationId, message: visitorMessageView(messageView(message)) }, 201);
  },
);

function refusalError(refusal: { code: ErrorCode; message: string }): ApiError {
  switch (refusal.code) {
    case "rate_limited":
      return rateLimited(refusal.message);
    case "not_stored":
      return new ApiError(503, "not_stored", refusal.message);
    case "not_allowed":
      return forbidden(refusal.message);
    default:
      return badRequest(refusal.code, refusal.message);
  }
}
