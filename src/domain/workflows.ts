// Workflows: a trigger and a list of steps, kept as data an admin edits (a form per step) and the
// API writes. Every change is a new version; a run already under way keeps the steps it started with.
import { asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client";
import { workflows } from "../db/schema";
import { notFound } from "../errors";
import { newId } from "./ids";
import type { Language } from "./languages";
import type { Texts } from "./texts";

/** Channels a person opens a conversation on by writing: mail is answered by people, never by a workflow. */
export const TRIGGER_CHANNELS = ["chat", "messenger", "sms"] as const;
export type TriggerChannel = (typeof TRIGGER_CHANNELS)[number];

/** A contact field a step reads or fills: the person's own, or one of the business's custom fields. */
export const ContactField = z
  .string()
  .regex(/^(email|phone|firstName|lastName|account|custom\.[\w-]{1,40})$/, "A field is email, phone, firstName, lastName, account or custom.<name>.")
  .meta({ examples: ["email", "custom.plan"] });

const StepId = z.string().regex(/^[\w-]{1,40}$/, "A step's id is 1 to 40 letters, digits, _ or -.");
const Text = (max: number) => z.string().trim().min(1, "Write something.").max(max);
const Minutes = z.number().int().min(1).max(10_080, "At most 7 days (10,080 minutes).");

export const Condition = z
  .object({ field: ContactField, op: z.enum(["set", "unset", "equals"]), value: z.string().max(200).optional() })
  .refine((c) => c.op !== "equals" || c.value !== undefined, { path: ["value"], message: "Give the value to compare with." });

/** A template's step sends this business text in each person's language instead of its own words. */
const BusinessText = z.enum(["welcome", "askEmail", "askPhone"]).optional();

const stepShapes = [
  z.object({ type: z.literal("message"), body: Text(1_000), text: BusinessText }),
  z.object({
    type: z.literal("branch"),
    if: Condition,
    /** Where to go when the condition holds: a later step, or "end"; otherwise the next step. */
    goTo: z.union([StepId, z.literal("end")]),
  }),
  z.object({
    type: z.literal("ask"),
    question: Text(1_000),
    text: BusinessText,
    expects: z.enum(["email", "phone", "text"]),
    /** For a text answer, the field it fills; an email or phone answer is that identity. */
    saveTo: ContactField.optional(),
    /** How many times a bad answer is asked again before the workflow moves on. */
    retries: z.number().int().min(0).max(5).default(2),
    retryMessage: Text(500).optional(),
    timeoutMinutes: Minutes.default(60),
  }),
  z.object({ type: z.literal("tag"), tag: z.string().trim().min(1).max(50) }),
  z.object({ type: z.literal("assign"), to: z.union([z.literal("round-robin"), z.object({ userId: z.string().min(1).max(64) })]) }),
  z.object({ type: z.literal("complete") }),
  z.object({ type: z.literal("wait"), minutes: Minutes }),
] as const;

export const StepInput = z.discriminatedUnion("type", stepShapes.map((shape) => shape.extend({ id: StepId.optional() })) as unknown as typeof stepShapes);
export const StepSchema = z.discriminatedUnion("type", stepShapes.map((shape) => shape.extend({ id: StepId })) as unknown as typeof stepShapes);
export type Step = z.infer<typeof StepSchema> & { id: string };
export type StepOf<T extends Step["type"]> = Extract<Step, { type: T }>;

export const TriggerSchema = z.object({
  type: z.literal("conversation.opened"),
  channels: z
    .array(z.enum(TRIGGER_CHANNELS))
    .min(1, "Choose at least one channel.")
    .transform((c) => [...new Set(c)]),
});

export const MAX_STEPS = 30;

/** Steps as given, each with an id, checked as a whole: a branch goes forward only, so every run ends. */
export const Steps = z
  .array(StepInput)
  .min(1, "A workflow needs at least one step.")
  .max(MAX_STEPS, `At most ${MAX_STEPS} steps.`)
  .transform((steps, ctx): Step[] => {
    const withIds = steps.map((step, i) => ({ ...step, id: (step as { id?: string }).id ?? `step-${i + 1}` }) as Step);
    const seen = new Map<string, number>();
    withIds.forEach((step, i) => {
      if (seen.has(step.id)) ctx.addIssue({ code: "custom", path: [i, "id"], message: `Step id "${step.id}" is used twice.` });
      seen.set(step.id, i);
    });
    withIds.forEach((step, i) => {
      if (step.type === "branch" && step.goTo !== "end" && !((seen.get(step.goTo) ?? -1) > i)) {
        ctx.addIssue({ code: "custom", path: [i, "goTo"], message: "A branch goes to a later step, or to the end." });
      }
      if (step.type === "ask" && step.expects !== "text" && step.saveTo && step.saveTo !== step.expects) {
        ctx.addIssue({ code: "custom", path: [i, "saveTo"], message: `An ${step.expects} answer is saved as the ${step.expects}.` });
      }
      if (step.type === "ask" && step.expects === "text" && (step.saveTo === "email" || step.saveTo === "phone")) {
        ctx.addIssue({ code: "custom", path: [i, "saveTo"], message: `Ask for an ${step.saveTo} answer to save one.` });
      }
    });
    return withIds;
  });

export const WorkflowFields = z.object({
  name: Text(100),
  enabled: z.boolean(),
  trigger: TriggerSchema,
  steps: Steps,
});
export type WorkflowFields = z.infer<typeof WorkflowFields>;

export const WorkflowSchema = z.object({
  id: z.string(),
  name: z.string(),
  enabled: z.boolean(),
  version: z.number(),
  trigger: z.object({ type: z.literal("conversation.opened"), channels: z.array(z.enum(TRIGGER_CHANNELS)) }),
  steps: z.array(StepSchema),
  createdAt: z.number(),
  updatedAt: z.number(),
});
export type Workflow = z.infer<typeof WorkflowSchema> & { steps: Step[] };

export const TEMPLATES = ["welcome-ask-email", "welcome-ask-phone"] as const;
export type Template = (typeof TEMPLATES)[number];

/** A template's workflow is named in the workspace's language; the admin may rename it. */
const TEMPLATE_NAMES: Record<Language, Record<Template, string>> = {
  en: { "welcome-ask-email": "Welcome message and ask for email", "welcome-ask-phone": "Welcome message and ask for phone number" },
  it: { "welcome-ask-email": "Messaggio di benvenuto e richiesta dell'email", "welcome-ask-phone": "Messaggio di benvenuto e richiesta del numero di telefono" },
  de: { "welcome-ask-email": "Begrüßung und Frage nach der E-Mail-Adresse", "welcome-ask-phone": "Begrüßung und Frage nach der Telefonnummer" },
  ru: { "welcome-ask-email": "Приветствие и запрос адреса электронной почты", "welcome-ask-phone": "Приветствие и запрос номера телефона" },
  es: { "welcome-ask-email": "Mensaje de bienvenida y petición del correo", "welcome-ask-phone": "Mensaje de bienvenida y petición del teléfono" },
  fr: { "welcome-ask-email": "Message de bienvenue et demande de l’e-mail", "welcome-ask-phone": "Message de bienvenue et demande du numéro de téléphone" },
  pt: { "welcome-ask-email": "Mensagem de boas-vindas e pedido do email", "welcome-ask-phone": "Mensagem de boas-vindas e pedido do telefone" },
};

/**
 * The two ready-made workflows: greet, ask for the email or phone only when it is missing, then hand
 * over to an agent. Their greeting and question are business texts, sent in each person's language;
 * the steps show them in the workspace's.
 */
export function fromTemplate(template: Template, language: Language, texts: Texts): WorkflowFields {
  const field = template === "welcome-ask-email" ? "email" : "phone";
  const question = field === "email" ? "askEmail" : "askPhone";
  return {
    name: TEMPLATE_NAMES[language][template],
    enabled: true,
    trigger: { type: "conversation.opened", channels: [...TRIGGER_CHANNELS] },
    steps: [
      { id: "welcome", type: "message", body: texts.welcome, text: "welcome" },
      { id: "known", type: "branch", if: { field, op: "set" }, goTo: "assign" },
      { id: "ask", type: "ask", question: texts[question], text: question, expects: field, retries: 2, timeoutMinutes: 60 },
      { id: "assign", type: "assign", to: "round-robin" },
    ],
  };
}

type Row = typeof workflows.$inferSelect;

const view = (row: Row): Workflow => ({
  id: row.id,
  name: row.name,
  enabled: row.enabled,
  version: row.version,
  trigger: { type: "conversation.opened", channels: row.channels },
  steps: row.steps,
  createdAt: row.createdAt,
  updatedAt: row.updatedAt,
});

export async function listWorkflows(db: Db): Promise<Workflow[]> {
  return (await db.select().from(workflows).orderBy(asc(workflows.createdAt), asc(workflows.id))).map(view);
}

export async function getWorkflow(db: Db, id: string): Promise<Workflow> {
  const row = await db.query.workflows.findFirst({ where: eq(workflows.id, id) });
  if (!row) throw notFound("Workflow");
  return view(row);
}

export async function createWorkflow(db: Db, fields: WorkflowFields): Promise<Workflow> {
  const now = Date.now();
  const [row] = await db
    .insert(workflows)
    .values({ id: newId(now), name: fields.name, enabled: fields.enabled, channels: fields.trigger.channels, steps: fields.steps, version: 1, createdAt: now, updatedAt: now })
    .returning();
  return view(row!);
}

/** Changes what is given; a change of name, trigger or steps is a new version (turning it on or off is not). */
export async function updateWorkflow(db: Db, id: string, changes: Partial<WorkflowFields>): Promise<Workflow> {
  const [row] = await db
    .update(workflows)
    .set({
      ...(changes.name !== undefined && { name: changes.name }),
      ...(changes.enabled !== undefined && { enabled: changes.enabled }),
      ...(changes.trigger !== undefined && { channels: changes.trigger.channels }),
      ...(changes.steps !== undefined && { steps: changes.steps }),
      ...((changes.name ?? changes.trigger ?? changes.steps) !== undefined && { version: sql`${workflows.version} + 1` }),
      updatedAt: Date.now(),
    })
    .where(eq(workflows.id, id))
    .returning();
  if (!row) throw notFound("Workflow");
  return view(row);
}

export async function deleteWorkflow(db: Db, id: string): Promise<void> {
  const [gone] = await db.delete(workflows).where(eq(workflows.id, id)).returning({ id: workflows.id });
  if (!gone) throw notFound("Workflow");
}

/** The workflow a conversation opened on `channel` runs: the oldest enabled one that listens there (one a conversation at most). */
export async function workflowFor(db: Db, channel: string): Promise<Workflow | null> {
  const enabled = await db.select().from(workflows).where(eq(workflows.enabled, true)).orderBy(asc(workflows.createdAt), asc(workflows.id));
  const row = enabled.find((w) => (w.channels as readonly string[]).includes(channel));
  return row ? view(row) : null;
}
