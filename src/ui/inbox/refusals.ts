// Refusals whose words depend on where they are met; the ones said the same everywhere are worded
// by the API client (api.ts).
import { ApiFailure, refusalText } from "../api";
import { t, tn } from "../i18n";
import type { ReplyChannel } from "../types";

type Key = Parameters<typeof t>[0];

/** A failure whose code means something particular where it was met (`sentences`), in the catalogue's words; anything else as it came. */
export function inOurWords(error: unknown, sentences: Readonly<Record<string, Key>>): unknown {
  return error instanceof ApiFailure && Object.hasOwn(sentences, error.code) ? new ApiFailure(error.status, error.code, t(sentences[error.code]!), error.details) : error;
}

/** A message refused for want of credits, in the catalogue's words without the server's count of credits left (the meter shows it). */
export function sendFailure(error: unknown, segments: number): unknown {
  if (error instanceof ApiFailure && error.code === "insufficient_credits") return new ApiFailure(error.status, error.code, tn("inbox.smsNeedsCredits", segments), error.details);
  return error;
}

/** Why a channel cannot take the reply now, or null when it can. */
export function whyNot(option: ReplyChannel): string | null {
  return refusalText(option.reason, option.message);
}
