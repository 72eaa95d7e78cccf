// The built-in assistant: drafts a reply from the business's FAQ and pages for an agent to check and
// send, and summarises a thread. It ranks FAQ answers and page passages against what the person last
// wrote with minisearch (BM25 over stemmed words) and says plainly when nothing matches rather than
// guess; its summary is the thread's own sentences. No model is called. The ranking also chooses
// what a model is given to ground its draft on (drafts.ts).
import MiniSearch from "minisearch";
import { stemmer } from "stemmer";
import type { Settings } from "./settings";

type Ai = Settings["ai"];

/** A passage of one of the business's pages, as fetched (pages.ts). */
export type Passage = { url: string; title: string | null; text: string };
/** What the assistant may ground a draft on. */
export type Knowledge = { faq: Ai["faq"]; passages: Passage[] };
export type Source = { type: "faq"; question: string } | { type: "page"; url: string; title: string | null };
/** A piece of knowledge matching what was asked, best first. */
export type Match = { source: Source; text: string; score: number };

export type Draft = {
  body: string;
  /** What the draft is grounded on; empty when nothing matched. */
  sources: Source[];
  grounded: boolean;
};

// Words too common to tell one question from another.
const STOP_WORDS = new Set(
  "a an and are as at be but by can could do does for from have hello hi how i if in is it its me my no not of on or our please so that the their them there they this to us was we what when where which who why will with would you your".split(
    " ",
  ),
);

const termOf = (term: string): string | null => {
  const word = term.toLowerCase();
  return STOP_WORDS.has(word) || word.length < 2 ? null : stemmer(word);
};

/**
 * Everyday ways customers say what FAQs name otherwise ("send it back" for a return): the question
 * is searched with the FAQ's word added beside theirs.
 */
const SAID_OTHERWISE: [RegExp, string][] = [
  [/\bsend(?:ing)? (?:\w+ )?back\b|\brefund\w*|\bexchang\w*/gi, "return"],
  [/\bdeliver\w*|\bpost(?:age|ed)?\b/gi, "ship"],
  [/\bparcel\w*|\bpackage\w*/gi, "order"],
  [/\bpay\b|\bpaying\b|\bcharge\w*/gi, "payment"],
  [/\blog ?in\b|\bsign ?in\b/gi, "password"],
  [/\bhow many days\b|\bhow long\b|\bwhen will\b|\btime\b/gi, "long take"],
];

const withFaqWords = (asked: string) => SAID_OTHERWISE.reduce((text, [said, faqWord]) => text.replace(said, (match) => `${match} ${faqWord}`), asked);

/** Below this BM25 score a match is a coincidence of one common word, not an answer. */
const MIN_SCORE = 2;
const RELATIVE_SCORE = 0.5;

/** FAQ answers and page passages matching `asked` (the person's latest messages), best first, at most `limit`. */
export function retrieve(knowledge: Knowledge, asked: string, limit = 4): Match[] {
  const entries = [
    ...knowledge.faq.map((pair) => ({ question: pair.question, text: pair.answer, source: { type: "faq", question: pair.question } as Source })),
    ...knowledge.passages.map((p) => ({ question: p.title ?? "", text: p.text, source: { type: "page", url: p.url, title: p.title } as Source })),
  ];
  if (!entries.length || !asked.trim()) return [];
  const index = new MiniSearch<{ id: number; question: string; text: string }>({
    fields: ["question", "text"],
    processTerm: termOf,
    searchOptions: { boost: { question: 2 }, fuzzy: 0.2, prefix: true, processTerm: termOf },
  });
  index.addAll(entries.map(({ question, text }, id) => ({ id, question, text })));
  const hits = index.search(withFaqWords(asked));
  const top = hits[0]?.score ?? 0;
  return (
    hits
      // Far below the best, a match shares a word with the question but does not answer it.
      .filter((hit) => hit.score >= Math.max(MIN_SCORE, top * RELATIVE_SCORE))
      .slice(0, limit)
      .map((hit) => ({ source: entries[hit.id]!.source, text: entries[hit.id]!.text, score: hit.score }))
  );
}

const TONES: Record<Ai["role"], { open: (name: string) => string; close: string; unknown: string }> = {
  friendly: {
    open: (name) => `Hi ${name}!`,
    close: "Let me know if there's anything else I can help with.",
    unknown: "Thanks for your message! I'm checking this with the team and will get back to you shortly.",
  },
  professional: { open: (name) => `Hello ${name},`, close: "Kind regards", unknown: "Thank you for your message. We are looking into this and will reply shortly." },
  concise: { open: () => "", close: "", unknown: "Checking this now; I'll get back to you shortly." },
  empathetic: {
    open: (name) => `Hi ${name}, thanks for reaching out, and sorry for any trouble.`,
    close: "I'm here if you need anything else.",
    unknown: "Thanks for telling us, and sorry for the trouble. I'm looking into it now and will get back to you shortly.",
  },
};

/** A draft in the chosen tone: the best match (`retrieve`), or an honest holding reply when none fits. */
export function draftReply(role: Ai["role"], matches: Match[], firstName: string | null): Draft {
  const tone = TONES[role];
  const [match] = matches;
  const name = firstName || "there";
  if (!match) return { body: [tone.open(name), tone.unknown].filter(Boolean).join("\n\n"), sources: [], grounded: false };
  const answer = match.source.type === "page" ? `From our page${match.source.title ? ` "${match.source.title}"` : ""}: ${match.text}` : match.text;
  return { body: [tone.open(name), answer, tone.close].filter(Boolean).join("\n\n"), sources: [match.source], grounded: true };
}

/** A message as a summary reads it. */
export type Said = { from: "person" | "team"; name: string | null; body: string };

const PROMISE = /\b(?:i|we)(?:'ll| will| can| are going to| have)\b|\bby (?:today|tonight|tomorrow|monday|tuesday|wednesday|thursday|friday|saturday|sunday|the end of)\b/i;
const QUESTION = /\?\s*$|^(?:how|what|when|where|why|who|which|can|could|do|does|is|are|will|would)\b/i;

/**
 * The thread in a few of its own sentences: what the person asked, what the team promised, and
 * what is still open (the person's last words when the team has not answered them).
 */
export function extractiveSummary(thread: Said[]): string {
  const sentences = thread.flatMap((m, at) => sentencesOf(m.body).map((text) => ({ ...m, text, at })));
  const asked = sentences.filter((s) => s.from === "person" && QUESTION.test(s.text)).slice(-3);
  const promised = sentences.filter((s) => s.from === "team" && PROMISE.test(s.text)).slice(-2);
  const lastTeam = thread.map((m) => m.from).lastIndexOf("team");
  const waiting = thread.slice(lastTeam + 1).filter((m) => m.from === "person");
  const lines = [
    ...asked.map((s) => `${s.name ?? "The person"} asked: ${s.text}`),
    ...promised.map((s) => `${s.name ?? "The team"} said: ${s.text}`),
    waiting.length ? `Open: ${clip(waiting.at(-1)!.body)} (not answered yet)` : "Open: nothing is waiting on the team.",
  ];
  return [`Summary of the last ${thread.length} message${thread.length === 1 ? "" : "s"}:`, ...lines.map((line) => `• ${line}`)].join("\n");
}

function sentencesOf(body: string): string[] {
  return body
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 2);
}

const clip = (text: string) => (text.length > 160 ? `${text.slice(0, 159)}…` : text);
