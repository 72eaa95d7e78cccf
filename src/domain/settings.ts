// Workspace settings: one JSON row per section in D1, defaults for whatever was never set.
// Secrets are write-only: the API reads them back masked, and a masked value sent back changes nothing.
import { sql } from "drizzle-orm";
import { getCountries, parsePhoneNumberFromString } from "libphonenumber-js";
import { z } from "zod";
import type { Db } from "../db/client";
import { AA_TEXT, contrastRatio, textOn } from "./contrast";
import { MAX_EMAIL_CHARS } from "./identities";
import { LANGUAGES } from "./languages";
import { TEXT_KEYS } from "./texts";
import { settings as settingsTable } from "../db/schema";
import { badRequest } from "../errors";

const FieldRule = z.enum(["optional", "required", "off"]);

/** The tones a draft can take. */
export const AI_ROLES = ["friendly", "professional", "concise", "empathetic"] as const;
const Secret = z.string().max(500);
const BaseUrl = z.url({ protocol: /^https?$/ }).max(500);
const countries = new Set<string>(getCountries());

/** Countries whose numbers Parley sends SMS from (where Twilio sells numbers for two-way SMS it supports). */
const SMS_COUNTRIES = new Set(["US", "GB", "AU"]);

/** The workspace's SMS number, in E.164; "" while SMS is not set up. */
const SmsNumber = z.union([
  z.literal(""),
  z
    .string()
    .max(30)
    .transform((input, ctx) => {
      const parsed = parsePhoneNumberFromString(input.trim());
      if (parsed?.isValid() && parsed.country && SMS_COUNTRIES.has(parsed.country)) return parsed.number;
      ctx.addIssue({ code: "custom", message: "Give the Twilio number in international form (+1..., +44..., +61...): a US, UK or Australian number." });
      return z.NEVER;
    }),
]);

const BrandColor = z
  .string()
  .regex(/^#[0-9a-fA-F]{6}$/, "Give the colour as #rrggbb.")
  .transform((hex) => hex.toLowerCase())
  .refine((hex) => contrastRatio(hex, textOn(hex)) >= AA_TEXT, "Text on this colour would be hard to read (below WCAG AA's 4.5:1 with white or dark text): choose a darker or a lighter shade.");

const Texts = z.object(Object.fromEntries(TEXT_KEYS.map((key) => [key, z.string().max(1_000)])) as Record<(typeof TEXT_KEYS)[number], z.ZodString>);

export const SettingsSchema = z.object({
  chatForm: z.object({ phone: FieldRule, account: FieldRule, fullName: FieldRule }),
  identitySecret: Secret,
  defaultCountry: z
    .string()
    .transform((code) => code.toUpperCase())
    .refine((code) => countries.has(code), "Use an ISO 3166 country code such as US or GB."),
  email: z.object({ inboundAddress: z.union([z.email().max(MAX_EMAIL_CHARS), z.literal("")]), fromName: z.string().max(200) }),
  messenger: z.object({
    pageId: z.string().max(100),
    pageAccessToken: Secret,
    appSecret: Secret,
    verifyToken: Secret,
    /** Replies past Meta's 24 hours, until 7 days, tagged HUMAN_AGENT (the page must have that permission). */
    humanAgent: z.boolean(),
    graphApiBaseUrl: BaseUrl,
  }),
  sms: z.object({
    accountSid: z.string().max(100),
    authToken: Secret,
    fromNumber: SmsNumber,
    credits: z.number().int().min(0).max(10_000_000),
    apiBaseUrl: BaseUrl,
    /** The Worker's public address when a proxy in front of it rewrites URLs: Twilio signs the URL it called. */
    publicBaseUrl: z.union([z.literal(""), BaseUrl]),
  }),
  ai: z.object({
    provider: z.enum(["builtin", "workers-ai", "openai"]),
    /** Draft replies for agents to check and send; on only once `acknowledged`. */
    drafts: z.boolean(),
    /** The admin's word that AI can be wrong and that agents check every draft before sending it. */
    acknowledged: z.boolean(),
    summaries: z.boolean(),
    role: z.enum(AI_ROLES),
    brandKit: z.string().max(4_000),
    urls: z.array(BaseUrl).max(3),
    faq: z.array(z.object({ question: z.string().trim().min(1).max(500), answer: z.string().trim().min(1).max(4_000) })).max(300),
    model: z.string().max(200),
    apiBaseUrl: BaseUrl,
    apiKey: Secret,
  }),
  /** The workspace's language: the widget's when the visitor's browser asks for none Parley speaks, and the texts' default. */
  locale: z.enum(LANGUAGES),
  /** How the widget looks on the business's site; "" texts fall back to the language's defaults. */
  appearance: z.object({
    color: BrandColor,
    position: z.enum(["left", "right"]),
    launcherLabel: z.string().trim().max(30),
    teamName: z.string().trim().max(60),
    greeting: z.string().trim().max(300),
    awayText: z.string().trim().max(300),
  }),
  /** The admin's own words for what Parley says on the business's behalf, language by language. */
  texts: z.partialRecord(z.enum(LANGUAGES), Texts.partial().strict()),
});
export type Settings = z.infer<typeof SettingsSchema>;
type Section = keyof Settings;

export const DEFAULT_SETTINGS: Settings = {
  chatForm: { phone: "optional", account: "off", fullName: "optional" },
  identitySecret: "",
  defaultCountry: "US",
  email: { inboundAddress: "", fromName: "" },
  messenger: { pageId: "", pageAccessToken: "", appSecret: "", verifyToken: "", humanAgent: false, graphApiBaseUrl: "https://graph.facebook.com/v21.0" },
  sms: { accountSid: "", authToken: "", fromNumber: "", credits: 0, apiBaseUrl: "https://api.twilio.com", publicBaseUrl: "" },
  ai: {
    provider: "builtin",
    drafts: false,
    acknowledged: false,
    summaries: false,
    role: "friendly",
    brandKit: "",
    urls: [],
    faq: [],
    model: "@cf/meta/llama-3.1-8b-instruct",
    apiBaseUrl: "https://api.openai.com/v1",
    apiKey: "",
  },
  locale: "en",
  appearance: { color: "#3b5bdb", position: "right", launcherLabel: "", teamName: "", greeting: "", awayText: "" },
  texts: {},
};

/** A PUT names only what it changes, section by section. */
export const SettingsPatch = z
  .object({
    chatForm: SettingsSchema.shape.chatForm.partial().strict(),
    identitySecret: SettingsSchema.shape.identitySecret,
    defaultCountry: SettingsSchema.shape.defaultCountry,
    email: SettingsSchema.shape.email.partial().strict(),
    messenger: SettingsSchema.shape.messenger.partial().strict(),
    sms: SettingsSchema.shape.sms.partial().strict(),
    ai: SettingsSchema.shape.ai.partial().strict(),
    locale: SettingsSchema.shape.locale,
    appearance: SettingsSchema.shape.appearance.partial().strict(),
    texts: SettingsSchema.shape.texts,
  })
  .partial()
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatch>;

/** Where secrets sit: top-level names, or "section.key". */
const SECRETS = ["identitySecret", "messenger.pageAccessToken", "messenger.appSecret", "messenger.verifyToken", "sms.authToken", "ai.apiKey"];
const MASK = "••••••••";

export async function loadSettings(db: Db): Promise<Settings> {
  const rows = await db.select().from(settingsTable);
  const stored = Object.fromEntries(rows.map((r) => [r.key, r.value]));
  const merged = Object.fromEntries((Object.keys(DEFAULT_SETTINGS) as Section[]).map((section) => [section, withDefaults(DEFAULT_SETTINGS[section], stored[section])]));
  return merged as Settings;
}

/**
 * Only the keys named change, merged into the stored section by D1 itself (JSON merge patch): what
 * another write changed meanwhile (an SMS spending credits) is kept.
 */
export async function updateSettings(db: Db, patch: SettingsPatch): Promise<Settings> {
  const now = Date.now();
  // Taking the acknowledgement back turns drafts off with it.
  if (patch.ai?.acknowledged === false) patch = { ...patch, ai: { ...patch.ai, drafts: false } };
  if (patch.ai?.drafts) {
    const acknowledged = patch.ai.acknowledged ?? (await loadSettings(db)).ai.acknowledged;
    if (!acknowledged) {
      throw badRequest("ai_not_acknowledged", "Draft replies turn on only with the acknowledgement that AI can be wrong and that agents check every draft before sending it.", [
        { path: "ai.acknowledged", message: "Acknowledge first." },
      ]);
    }
  }
  const changes = (Object.keys(patch) as Section[]).map((section) => [section, dropMasked(section, patch[section])] as const);
  const writes = changes
    .filter(([, change]) => change !== undefined)
    .map(([section, change]) => {
      const value = withDefaults(DEFAULT_SETTINGS[section], change);
      return db
        .insert(settingsTable)
        .values({ key: section, value, updatedAt: now })
        .onConflictDoUpdate({
          target: settingsTable.key,
          set: { value: isSection(change) ? sql`json_patch(${settingsTable.value}, ${JSON.stringify(change)})` : value, updatedAt: now },
        });
    });
  const [first, ...rest] = writes;
  if (first) await db.batch([first, ...rest]);
  return loadSettings(db);
}

/** Settings as an admin reads them: every secret replaced by a mask (or "" when unset). */
export function maskedSettings(value: Settings): Settings {
  const copy = structuredClone(value) as Record<string, unknown>;
  for (const path of SECRETS) {
    const [section, key] = path.split(".") as [string, string | undefined];
    const holder = key ? (copy[section] as Record<string, unknown>) : copy;
    const name = key ?? section;
    // None of the secret shows, not even its last characters: each one shown narrows a guess.
    holder[name] = holder[name] ? MASK : "";
  }
  return copy as Settings;
}

function dropMasked(section: Section, value: unknown): unknown {
  const isMasked = (v: unknown) => typeof v === "string" && v.startsWith(MASK);
  if (isMasked(value)) return undefined;
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([k, v]) => !(SECRETS.includes(`${section}.${k}`) && isMasked(v))));
}

function isSection(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function withDefaults<T>(base: T, override: unknown): T {
  if (override === undefined) return base;
  if (typeof base === "object" && base !== null && typeof override === "object" && override !== null) {
    return { ...base, ...override };
  }
  return override as T;
}
