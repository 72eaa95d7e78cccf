// The built-in assistant: drafts a reply from the business's FAQ for an agent to check and send.
// It ranks the FAQ against what the person last wrote with minisearch (BM25 over stemmed words)
// and says plainly when nothing matches rather than guess. No model is called.
import MiniSearch from "minisearch";
import { stemmer } from "stemmer";
import type { Settings } from "./settings";

export type Draft = {
  body: string;
  /** What the draft is grounded on; empty when nothing in the FAQ matched. */
  sources: { type: "faq"; question: string }[];
  grounded: boolean;
};

type Ai = Settings["ai"];

// Words too common to tell one question from another.
const STOP_WORDS = new Set(
  "a an and are as at be but by can could do does for from have hello hi how i if in is it its me my no not of on or our please so that the their them there they this to us was we what when where which who why will with would you your".split(" "),
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

/** The FAQ answer that best matches `asked` (the person's latest messages), or null. */
export function bestAnswer(faq: Ai["faq"], asked: string): Ai["faq"][number] | null {
  if (!faq.length || !asked.trim()) return null;
  const index = new MiniSearch<{ id: number; question: string; answer: string }>({
    fields: ["question", "answer"],
    processTerm: termOf,
    searchOptions: { boost: { question: 2 }, fuzzy: 0.2, prefix: true, processTerm: termOf },
  });
  index.addAll(faq.map((pair, id) => ({ id, ...pair })));
  const [top] = index.search(withFaqWords(asked));
  return top && top.score >= MIN_SCORE ? faq[top.id]! : null;
}

const TONES: Record<Ai["role"], { open: (name: string) => string; close: string; unknown: string }> = {
  friendly: { open: (name) => `Hi ${name}!`, close: "Let me know if there's anything else I can help with.", unknown: "Thanks for your message! I'm checking this with the team and will get back to you shortly." },
  professional: { open: (name) => `Hello ${name},`, close: "Kind regards", unknown: "Thank you for your message. We are looking into this and will reply shortly." },
  concise: { open: () => "", close: "", unknown: "Checking this now; I'll get back to you shortly." },
  empathetic: {
    open: (name) => `Hi ${name}, thanks for reaching out, and sorry for any trouble.`,
    close: "I'm here if you need anything else.",
    unknown: "Thanks for telling us, and sorry for the trouble. I'm looking into it now and will get back to you shortly.",
  },
};

/** A draft in the chosen tone: the best FAQ answer, or an honest holding reply when none fits. */
export function draftReply(ai: Ai, asked: string, firstName: string | null): Draft {
  const tone = TONES[ai.role];
  const match = bestAnswer(ai.faq, asked);
  const name = firstName || "there";
  if (!match) return { body: [tone.open(name), tone.unknown].filter(Boolean).join("\n\n"), sources: [], grounded: false };
  return { body: [tone.open(name), match.answer, tone.close].filter(Boolean).join("\n\n"), sources: [{ type: "faq", question: match.question }], grounded: true };
}
