// A workflow run's log in the UI's language: each line's code and values name a sentence of the
// catalogue. A line without a code, or with one this UI does not know yet, keeps the server's English.
import { formatNumber, t, tn } from "../i18n";
import type { Run } from "../types";

type Entry = Run["log"][number];
type Vars = NonNullable<Entry["vars"]>;

const text = (vars: Vars, name: string) => String(vars[name] ?? "");

const FIELDS = { email: "inbox.fieldEmail", phone: "inbox.fieldPhone", firstName: "inbox.fieldFirstName", lastName: "inbox.fieldLastName", account: "inbox.fieldAccount" } as const;

/** A contact field as a sentence names it: the contact's own in the UI's language, a custom field by its name. */
function field(vars: Vars): string {
  const name = text(vars, "field");
  return Object.hasOwn(FIELDS, name) ? t(FIELDS[name as keyof typeof FIELDS]) : name;
}

const EXPECTED = { email: "inbox.logExpectEmail", phone: "inbox.logExpectPhone", text: "inbox.logExpectText" } as const;

/** "an email address" for a question that expects one. */
const expected = (vars: Vars) => t(EXPECTED[text(vars, "expects") as keyof typeof EXPECTED] ?? EXPECTED.text);

function condition(vars: Vars): string {
  if (vars.op === "equals") return t("inbox.logIs", { field: field(vars), value: text(vars, "value") });
  return t(vars.op === "set" ? "inbox.logHas" : "inbox.logLacks", { field: field(vars) });
}

function branch(vars: Vars): string {
  if (!vars.holds) return t("inbox.logBranchNo", { condition: condition(vars) });
  if (vars.goTo === "end") return t("inbox.logBranchEnds", { condition: condition(vars) });
  return t("inbox.logBranchGoTo", { condition: condition(vars), step: text(vars, "goTo") });
}

const LINES: Record<string, (vars: Vars) => string> = {
  started: (v) => t("inbox.logStarted", { name: text(v, "name"), version: formatNumber(Number(v.version)) }),
  finished: () => t("inbox.logFinished"),
  branch,
  waiting: (v) => tn("inbox.logWaiting", Number(v.minutes)),
  skipped: () => t("inbox.logSkipped"),
  answered: (v) => t("inbox.logAnswered", { value: text(v, "value") }),
  askedAgain: (v) => t("inbox.logAskedAgain", { what: expected(v), answer: text(v, "answer") }),
  gaveUp: (v) => t("inbox.logGaveUp", { what: expected(v), answer: text(v, "answer") }),
  waitOver: () => t("inbox.logWaitOver"),
  timedOut: () => t("inbox.logTimedOut"),
  stopped: (v) => t("inbox.logStopped", { name: text(v, "by") }),
  notDone: (v) => t("inbox.logNotDone", { reason: text(v, "reason") }),
  interrupted: () => t("inbox.logInterrupted"),
  sent: (v) => t("inbox.logSent", { body: text(v, "body") }),
  notSent: (v) => (v.reason ? t("inbox.logNotSent", { reason: text(v, "reason") }) : t("inbox.logNotSentRefused")),
  notTagged: (v) => t("inbox.logNotTagged", { tag: text(v, "tag") }),
  tagged: (v) => t("inbox.logTagged", { tag: text(v, "tag") }),
  nobodyOnline: () => t("inbox.logNobodyOnline"),
  assigned: (v) => t(v.roundRobin ? "inbox.logAssignedRoundRobin" : "inbox.logAssigned", { name: text(v, "name") }),
  completed: () => t("inbox.logCompleted"),
  claimKept: (v) => t("inbox.logClaimKept", { field: field(v) }),
  claimLinked: (v) => t("inbox.logClaimLinked", { field: field(v) }),
  keptNoContact: (v) => t("inbox.logKeptNoContact", { field: field(v) }),
  keptFieldSet: (v) => t("inbox.logKeptFieldSet", { field: field(v) }),
  saved: (v) => t("inbox.logSaved", { field: field(v) }),
};

/** One line of the log as the agent reads it. */
export function logLine(entry: Entry): string {
  const say = entry.code !== undefined && Object.hasOwn(LINES, entry.code) ? LINES[entry.code] : undefined;
  return say ? say(entry.vars ?? {}) : entry.text;
}

/** Who stopped the run by replying, from its log; null when the log does not say. */
export function stoppedBy(run: Run): string | null {
  const stop = run.log.findLast((entry) => entry.code === "stopped");
  return typeof stop?.vars?.by === "string" ? stop.vars.by : null;
}
