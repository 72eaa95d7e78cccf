// A workflow run's log, line by line: what happened as a code and its values, so each agent reads
// it in their own language, and its English sentence for the API's `text`.
type Op = "set" | "unset" | "equals";

/** Why a message a room may already have handed to the provider is not sent again (also its status reason). */
export const INTERRUPTED = "Interrupted while being sent; not sent again, so the person never gets it twice.";
type Expects = "email" | "phone" | "text";

const article = (expects: Expects) => (expects === "email" ? "an email address" : expects === "phone" ? "a phone number" : "an answer");
const condition = (v: { op: Op; field: string; value?: string }) => (v.op === "equals" ? `Is ${v.field} "${v.value}"` : `${v.op === "set" ? "Has" : "Lacks"} ${v.field}`);

const ENGLISH = {
  started: (v: { name: string; version: number }) => `Started "${v.name}" (version ${v.version}).`,
  finished: () => "Finished.",
  branch: (v: { op: Op; field: string; value?: string; holds: boolean; goTo: string }) =>
    `${condition(v)}: ${v.holds ? "yes" : "no"}${v.holds ? (v.goTo === "end" ? ", so the workflow ends" : `, so on to "${v.goTo}"`) : ""}.`,
  waiting: (v: { minutes: number }) => `Waiting ${v.minutes} minute${v.minutes === 1 ? "" : "s"}.`,
  skipped: () => "Skipped by the person.",
  answered: (v: { value: string }) => `Answered: ${v.value}`,
  askedAgain: (v: { expects: Expects; answer: string }) => `Not ${article(v.expects)}: "${v.answer}". Asked again.`,
  gaveUp: (v: { expects: Expects; answer: string }) => `Not ${article(v.expects)}: "${v.answer}". No more tries; went on without it.`,
  waitOver: () => "Wait over.",
  timedOut: () => "No answer in time; went on without one.",
  stopped: (v: { by: string }) => `Stopped: ${v.by} replied.`,
  notDone: (v: { reason: string }) => `Not done: ${v.reason}`,
  interrupted: () => `Not sent: ${INTERRUPTED}`,
  sent: (v: { body: string }) => `Sent: "${v.body}"`,
  notSent: (v: { reason: string | null }) => `Not sent: ${v.reason ?? "the channel refused it"}.`,
  notTagged: (v: { tag: string }) => `Not tagged "${v.tag}": the person is not a contact yet.`,
  tagged: (v: { tag: string }) => `Tagged "${v.tag}".`,
  nobodyOnline: () => "No teammate is online: left unassigned.",
  assigned: (v: { name: string; roundRobin: boolean }) => `Assigned to ${v.name}${v.roundRobin ? " (round-robin)" : ""}.`,
  completed: () => "Marked complete.",
  claimKept: (v: { field: string }) => `Kept here, not added to the contact: a typed ${v.field} is not proof. A teammate can add it.`,
  claimLinked: (v: { field: string }) => `The conversation is now with the contact of this ${v.field} (not verified).`,
  keptNoContact: (v: { field: string }) => `Kept here: the person is not a contact yet, so there is no ${v.field} to fill.`,
  keptFieldSet: (v: { field: string }) => `Kept here: ${v.field} already holds a value.`,
  saved: (v: { field: string }) => `Saved to ${v.field}.`,
} satisfies Record<string, (vars: never) => string>;

export type NoteCode = keyof typeof ENGLISH;
type VarsOf<C extends NoteCode> = Parameters<(typeof ENGLISH)[C]> extends [infer V] ? V : Record<string, never>;
/** One line of the log, before it is dated. */
export type Note = { [C in NoteCode]: { code: C; vars: VarsOf<C> } }[NoteCode];

export const note = <C extends NoteCode>(code: C, ...vars: VarsOf<C> extends Record<string, never> ? [] : [VarsOf<C>]): Note => ({ code, vars: vars[0] ?? {} }) as Note;

export function noteText({ code, vars }: Note): string {
  return (ENGLISH[code] as (v: typeof vars) => string)(vars);
}

/** What a person typed, as long as a log line should quote it. */
export const clip = (text: string) => (text.length > 80 ? `${text.slice(0, 79)}…` : text);
