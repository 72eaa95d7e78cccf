// A workflow's steps as the editor holds them while an admin changes them, and back to what the API
// takes. A draft keeps the fields of every type, so switching a step's type and back loses nothing;
// numbers stay text until saved so a half-typed one is never rewritten under the cursor.
import { ApiFailure } from "../api";
import { t } from "../i18n";
import type { AskExpects, Condition, Step, StepText, StepType, Teammate } from "../types";
import { failureText } from "./useSettings";

/** Each type with the catalogue keys of its name ("Ask") and of its choice in the type picker ("Ask a question"). */
export const STEP_TYPES = [
  { type: "message", label: "settings.stepMessage", option: "settings.stepMessageOption" },
  { type: "ask", label: "settings.stepAsk", option: "settings.stepAskOption" },
  { type: "branch", label: "settings.stepBranch", option: "settings.stepBranchOption" },
  { type: "tag", label: "settings.stepTag", option: "settings.stepTagOption" },
  { type: "assign", label: "settings.stepAssign", option: "settings.stepAssignOption" },
  { type: "wait", label: "settings.stepWait", option: "settings.stepWaitOption" },
  { type: "complete", label: "settings.stepComplete", option: "settings.stepCompleteOption" },
] as const satisfies readonly { type: StepType; label: string; option: string }[];

export const typeLabel = (type: StepType) => t(STEP_TYPES.find((s) => s.type === type)!.label);

/**
 * The contact's own fields, as a branch reads them and a text answer fills them, with the catalogue
 * keys of their name in a picker ("First name") and within a sentence ("first name"); custom ones are named by the admin.
 */
export const CONTACT_FIELDS = [
  { field: "email", label: "settings.fieldEmail", named: "settings.fieldEmailNamed" },
  { field: "phone", label: "settings.fieldPhone", named: "settings.fieldPhoneNamed" },
  { field: "firstName", label: "settings.fieldFirstName", named: "settings.fieldFirstNameNamed" },
  { field: "lastName", label: "settings.fieldLastName", named: "settings.fieldLastNameNamed" },
  { field: "account", label: "settings.fieldAccount", named: "settings.fieldAccountNamed" },
] as const;
export const CUSTOM_PREFIX = "custom.";

/** A field as a sentence names it: "email", "first name", or the custom field's name. */
function fieldNamed(field: string): string {
  if (field.startsWith(CUSTOM_PREFIX)) return field.slice(CUSTOM_PREFIX.length).toLowerCase() || t("settings.fieldCustomNamed");
  const known = CONTACT_FIELDS.find((f) => f.field === field);
  return known ? t(known.named) : field.toLowerCase();
}

export type StepDraft = {
  /** Stable while the step moves, for rendering and for the errors the server names by index. */
  key: number;
  id: string;
  type: StepType;
  body: string;
  field: string;
  op: Condition["op"];
  value: string;
  goTo: string;
  question: string;
  /** The business text a message step's body stands for, sent in each person's language; dropped once the body is edited. */
  bodyText: StepText | null;
  /** The same for an ask step's question. */
  questionText: StepText | null;
  expects: AskExpects;
  saveTo: string;
  retries: string;
  retryMessage: string;
  timeoutMinutes: string;
  tag: string;
  /** "round-robin" or a teammate's id. */
  assignTo: string;
  minutes: string;
};

let nextKey = 1;

const BLANK: Omit<StepDraft, "key" | "id" | "type"> = {
  body: "",
  field: "email",
  op: "set",
  value: "",
  goTo: "end",
  question: "",
  bodyText: null,
  questionText: null,
  expects: "email",
  saveTo: "",
  retries: "2",
  retryMessage: "",
  timeoutMinutes: "60",
  tag: "",
  assignTo: "round-robin",
  minutes: "60",
};

export function draftOf(step: Step, key = nextKey++): StepDraft {
  const draft: StepDraft = { ...BLANK, key, id: step.id, type: step.type };
  switch (step.type) {
    case "message":
      return { ...draft, body: step.body, bodyText: step.text ?? null };
    case "branch":
      return { ...draft, field: step.if.field, op: step.if.op, value: step.if.value ?? "", goTo: step.goTo };
    case "ask":
      return {
        ...draft,
        question: step.question,
        questionText: step.text ?? null,
        expects: step.expects,
        saveTo: step.saveTo ?? "",
        retries: String(step.retries),
        retryMessage: step.retryMessage ?? "",
        timeoutMinutes: String(step.timeoutMinutes),
      };
    case "tag":
      return { ...draft, tag: step.tag };
    case "assign":
      return { ...draft, assignTo: step.to === "round-robin" ? "round-robin" : step.to.userId };
    case "wait":
      return { ...draft, minutes: String(step.minutes) };
    case "complete":
      return draft;
  }
}

/** A new message step, with an id no other step has: branches name steps by id, so it must be known before saving. */
export function newDraft(others: StepDraft[]): StepDraft {
  const taken = new Set(others.map((d) => d.id));
  let n = others.length + 1;
  while (taken.has(`step-${n}`)) n++;
  return { ...BLANK, key: nextKey++, id: `step-${n}`, type: "message" };
}

/** A step as a POST or PATCH takes it: an empty number field is left out, so the server's default applies (or it says the field is needed). */
export type StepInput =
  | Exclude<Step, { type: "ask" | "wait" }>
  | (Omit<Extract<Step, { type: "ask" }>, "retries" | "timeoutMinutes"> & { retries?: number; timeoutMinutes?: number })
  | (Omit<Extract<Step, { type: "wait" }>, "minutes"> & { minutes?: number });

const number = (text: string): number | undefined => (text.trim() === "" ? undefined : Number(text));
const optional = (text: string): string | undefined => (text.trim() === "" ? undefined : text);

/** The step as the API takes it: only its type's fields. */
export function stepOf(d: StepDraft): StepInput {
  const id = d.id;
  switch (d.type) {
    case "message":
      return { id, type: "message", body: d.body, ...(d.bodyText ? { text: d.bodyText } : {}) };
    case "branch":
      return { id, type: "branch", if: { field: d.field, op: d.op, ...(d.op === "equals" ? { value: d.value } : {}) }, goTo: d.goTo };
    case "ask":
      return {
        id,
        type: "ask",
        question: d.question,
        expects: d.expects,
        ...(d.expects === "text" && d.saveTo ? { saveTo: d.saveTo } : {}),
        retries: number(d.retries),
        retryMessage: optional(d.retryMessage),
        timeoutMinutes: number(d.timeoutMinutes),
        ...(d.questionText ? { text: d.questionText } : {}),
      };
    case "tag":
      return { id, type: "tag", tag: d.tag };
    case "assign":
      return { id, type: "assign", to: d.assignTo === "round-robin" ? "round-robin" : { userId: d.assignTo } };
    case "wait":
      return { id, type: "wait", minutes: number(d.minutes) };
    case "complete":
      return { id, type: "complete" };
  }
}

/** The start of a text, cut at a word when one ends late enough. */
function clip(text: string, max = 28): string {
  const flat = text.replace(/\s+/g, " ").trim();
  if (flat.length <= max) return flat;
  const space = flat.slice(0, max).lastIndexOf(" ");
  return `${(space > max / 2 ? flat.slice(0, space) : flat.slice(0, max - 1)).replace(/[\s,.;:!?]+$/, "")}…`;
}

const CONDITION_KEYS = { set: "settings.stepIfSet", unset: "settings.stepIfUnset", equals: "settings.stepIfEquals" } as const;

/** What a step does, in a few words: for the list and the branch's "go to" choices. */
export function stepSummary(d: StepDraft, teammates: Teammate[] | null): string {
  switch (d.type) {
    case "message":
      return clip(d.body);
    case "ask":
      return clip(d.question);
    case "branch":
      return t(CONDITION_KEYS[d.op], { field: fieldNamed(d.field), value: clip(d.value, 16) });
    case "tag":
      return clip(d.tag);
    case "assign":
      return d.assignTo === "round-robin" ? t("settings.stepRoundRobin") : (teammates?.find((m) => m.id === d.assignTo)?.name ?? t("settings.stepATeammate"));
    case "wait":
      return t("settings.stepMinutes", { minutes: d.minutes || "?" });
    case "complete":
      return "";
  }
}

/** "Ask: So we can follow up if we…", as the workflow list names a step. */
export function stepTitle(d: StepDraft, teammates: Teammate[] | null): string {
  const summary = stepSummary(d, teammates);
  return summary ? t("settings.stepTitle", { type: typeLabel(d.type), summary }) : typeLabel(d.type);
}

/** "3. Ask: So we can follow up if we…", as a branch's choices name a step. */
export const stepLabel = (d: StepDraft, index: number, teammates: Teammate[] | null) => `${index + 1}. ${stepTitle(d, teammates)}`;

/** One of the server's reasons for a 400 (src/http/validation.ts), read defensively: details are free-form. */
type Issue = { path?: unknown; message?: unknown };

/** The server's refusal as the editor says it: the step named as the admin counts them ("Step 3"), not by the 0-based path. */
export function refusal(error: unknown): string {
  const first = error instanceof ApiFailure && Array.isArray(error.details) ? (error.details[0] as Issue | undefined) : undefined;
  const step = typeof first?.path === "string" ? /^steps\.(\d+)/.exec(first.path) : null;
  return step && typeof first?.message === "string" ? t("settings.notSavedStep", { n: Number(step[1]) + 1, message: first.message }) : failureText(error, t("common.notSaved"));
}

/** The server's issues (paths like "steps.2.goTo") by the key of the step they name, from the steps as they were sent. */
export function issuesByStep(details: unknown, sent: StepDraft[]): Map<number, string[]> {
  const found = new Map<number, string[]>();
  if (!Array.isArray(details)) return found;
  for (const issue of details as Issue[]) {
    const match = typeof issue?.path === "string" ? /^steps\.(\d+)/.exec(issue.path) : null;
    const draft = match ? sent[Number(match[1])] : undefined;
    if (!draft || typeof issue.message !== "string") continue;
    found.set(draft.key, [...(found.get(draft.key) ?? []), issue.message]);
  }
  return found;
}
