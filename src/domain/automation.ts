// A workflow's run through one conversation, as pure rules: where it is, what it does next, what an
// answer or the clock does to it. The conversation's room keeps the run and does what it says
// (realtime/runner.ts); nothing here stores or sends anything.
import { z } from "zod";
import type { ContactView } from "../wire";
import { newId } from "./ids";
import { toE164 } from "./phones";
import { clip, type Note, note, noteText } from "./runNotes";
import { SKIP_WORDS, type TextKey, type Texts } from "./texts";
import type { Step, StepOf, TriggerChannel, Workflow } from "./workflows";

export type RunStatus = "running" | "asking" | "waiting" | "done" | "stopped";

/** Something the run does outside itself, identified so that doing it again on waking does it once. */
export type Effect =
  | { type: "send"; stepId: string; messageId: string; body: string }
  | { type: "save"; stepId: string; field: string; value: string }
  | { type: "tag"; stepId: string; tag: string }
  | { type: "assign"; stepId: string; to: StepOf<"assign">["to"] }
  | { type: "complete"; stepId: string };

/** One line of what the run did, as agents read it on the conversation. */
/** A line of the run's log: its English `text`, and the note it says (absent on lines kept before notes had codes). */
export type RunEntry = { at: number; stepId: string | null; text: string } & Partial<Note>;

export type Run = {
  id: string;
  workflowId: string;
  workflowName: string;
  version: number;
  channel: TriggerChannel;
  /** The steps as they were when the run started: editing the workflow changes later runs only. */
  steps: Step[];
  /** The step the run is at. */
  at: number;
  status: RunStatus;
  /** Bad answers to the question asked now. */
  tries: number;
  /** When the question asked now times out, or the wait ends. */
  until: number | null;
  /** An effect begun and not known done: done again on waking (a message never twice). */
  pending: Effect | null;
  log: RunEntry[];
  startedAt: number;
  endedAt: number | null;
};

/** What a branch reads: the contact as it is now (null while the person is not known). */
export type Facts = { contact: ContactView | null; defaultCountry: string; texts: Texts };

export function startRun(workflow: Workflow, channel: TriggerChannel, now: number): Run {
  return {
    id: newId(now),
    workflowId: workflow.id,
    workflowName: workflow.name,
    version: workflow.version,
    channel,
    steps: workflow.steps,
    at: 0,
    status: "running",
    tries: 0,
    until: null,
    pending: null,
    log: [entry(now, null, note("started", { name: workflow.name, version: workflow.version }))],
    startedAt: now,
    endedAt: null,
  };
}

/**
 * Takes a running run up to its next effect or pause: branches are decided, a wait or a question
 * starts its clock, the end of the steps ends it. The effect returned is also the run's `pending`.
 */
export function plan(run: Run, facts: Facts, now: number): Run {
  let next = run;
  while (next.status === "running" && !next.pending) {
    const step = next.steps[next.at];
    if (!step) return finish(next, note("finished"), now);
    next = planStep(next, step, facts, now);
  }
  return next;
}

function planStep(run: Run, step: Step, facts: Facts, now: number): Run {
  const onward = { ...run, at: run.at + 1 };
  switch (step.type) {
    case "message":
      return { ...onward, pending: send(step, step.text ? facts.texts[step.text] : step.body, now) };
    case "ask":
      return { ...run, status: "asking", tries: 0, until: now + step.timeoutMinutes * 60_000, pending: send(step, step.text ? facts.texts[step.text] : step.question, now) };
    case "branch": {
      const holds = conditionHolds(step.if, facts);
      const target = holds ? (step.goTo === "end" ? run.steps.length : run.steps.findIndex((s) => s.id === step.goTo)) : run.at + 1;
      const { op, value } = step.if;
      return logged({ ...run, at: target }, step, note("branch", { op, field: step.if.field.replace(/^custom\./, ""), ...(value !== undefined && { value }), holds, goTo: step.goTo }), now);
    }
    case "wait":
      return logged({ ...run, status: "waiting", until: now + step.minutes * 60_000 }, step, note("waiting", { minutes: step.minutes }), now);
    case "tag":
      return { ...onward, pending: { type: "tag", stepId: step.id, tag: step.tag } };
    case "assign":
      return { ...onward, pending: { type: "assign", stepId: step.id, to: step.to } };
    case "complete":
      return { ...onward, pending: { type: "complete", stepId: step.id } };
  }
}

/** The run once its pending effect is done, with what came of it in the log. */
export function settled(run: Run, outcome: Note, now: number): Run {
  if (!run.pending) return run;
  return logged({ ...run, pending: null }, run.steps.find((s) => s.id === run.pending!.stepId) ?? null, outcome, now);
}

/**
 * What the person wrote while a question was asked. A valid answer moves on (saving it, when the
 * step says where); "skip" moves on without one; a bad answer is asked again, until the step's
 * retries are spent.
 */
export function answered(run: Run, body: string, facts: Facts, now: number): Run {
  const step = run.steps[run.at];
  if (run.status !== "asking" || step?.type !== "ask") return run;
  const text = body.trim();
  if (SKIP_WORDS.has(text.toLowerCase().replace(/[.!]+$/, ""))) return logged(onward(run), step, note("skipped"), now);
  const value = validAnswer(step.expects, text, facts.defaultCountry);
  if (value !== null) {
    const field = step.expects === "text" ? step.saveTo : step.expects;
    const next = logged(onward(run), step, note("answered", { value }), now);
    return field ? { ...next, pending: { type: "save", stepId: step.id, field, value } } : next;
  }
  if (run.tries >= step.retries) return logged(onward(run), step, note("gaveUp", { expects: step.expects, answer: clip(text) }), now);
  const again = { ...run, tries: run.tries + 1, until: now + step.timeoutMinutes * 60_000 };
  return {
    ...logged(again, step, note("askedAgain", { expects: step.expects, answer: clip(text) }), now),
    pending: send(step, step.retryMessage ?? facts.texts[RETRY[step.expects]], now, run.tries + 1),
  };
}

/** The clock: an unanswered question times out (moving on), a wait ends. */
export function timedOut(run: Run, now: number): Run {
  if ((run.status !== "asking" && run.status !== "waiting") || run.until === null || now < run.until) return run;
  const step = run.steps[run.at]!;
  if (run.status === "waiting") return logged({ ...run, status: "running", until: null, at: run.at + 1 }, step, note("waitOver"), now);
  return logged(onward(run), step, note("timedOut"), now);
}

/** A teammate answered the person: the workflow stops asking and sends nothing more. */
export function takenOver(run: Run, by: string, now: number): Run {
  if (run.status === "done" || run.status === "stopped") return run;
  return { ...logged(run, null, note("stopped", { by }), now), status: "stopped", until: null, pending: null, endedAt: now };
}

/** When the run must be looked at next: now while it has work, at the deadline while it waits, never once ended. */
export function wakeAt(run: Run, now: number): number | null {
  if (run.pending || run.status === "running") return now;
  if (run.status === "asking" || run.status === "waiting") return run.until;
  return null;
}

export const isOver = (run: Run) => run.status === "done" || run.status === "stopped";

const RETRY: Record<StepOf<"ask">["expects"], TextKey> = { email: "reaskEmail", phone: "reaskPhone", text: "reaskText" };

const EmailAnswer = z.string().toLowerCase().pipe(z.email());

function validAnswer(expects: StepOf<"ask">["expects"], text: string, defaultCountry: string): string | null {
  if (!text) return null;
  if (expects === "email") return EmailAnswer.safeParse(text.replace(/^mailto:/i, "")).data ?? null;
  if (expects === "phone") return /[a-z]/i.test(text) ? null : toE164(text, defaultCountry);
  return text.slice(0, 1_000);
}

export function fieldValue(contact: ContactView | null, field: string): string | null {
  if (!contact) return null;
  const value = field.startsWith("custom.") ? contact.customFields[field.slice("custom.".length)] : contact[field as "email" | "phone" | "firstName" | "lastName" | "account"];
  return value === undefined || value === null || value === "" ? null : String(value);
}

function conditionHolds(condition: StepOf<"branch">["if"], facts: Facts): boolean {
  const value = fieldValue(facts.contact, condition.field);
  if (condition.op === "set") return value !== null;
  if (condition.op === "unset") return value === null;
  return value !== null && value.toLowerCase() === (condition.value ?? "").trim().toLowerCase();
}

function send(step: Step, body: string, now: number, attempt = 0): Effect {
  return { type: "send", stepId: step.id, messageId: newId(now + attempt), body };
}

function onward(run: Run): Run {
  return { ...run, status: "running", at: run.at + 1, tries: 0, until: null };
}

function finish(run: Run, said: Note, now: number): Run {
  return { ...logged(run, null, said, now), status: "done", until: null, endedAt: now };
}

const entry = (at: number, stepId: string | null, said: Note): RunEntry => ({ at, stepId, text: noteText(said), ...said });

/** The run with a line added to its log. */
export function noted(run: Run, stepId: string | null, said: Note, now: number): Run {
  return { ...run, log: [...run.log, entry(now, stepId, said)] };
}

const logged = (run: Run, step: Step | null, said: Note, now: number) => noted(run, step?.id ?? null, said, now);
