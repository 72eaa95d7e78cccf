// The server's refusals in the UI's language: a refusal's code names the catalogue's sentence for
// it; a code the catalogue does not know keeps the server's own sentence.
import { ApiFailure } from "../api";
import { t, tn } from "../i18n";
import type { ReplyChannel } from "../types";

type Key = Parameters<typeof t>[0];
type Sentences = Readonly<Record<string, Key>>;

/** Why a reply cannot go, by the codes the channels give (reply-options' `reason`, and a refused send). */
const REPLY_REFUSALS: Sentences = {
  no_chat_visitor: "inbox.whyNoChatVisitor",
  no_email_address: "inbox.whyNoEmailAddress",
  email_not_configured: "inbox.whyEmailNotConfigured",
  channel_not_connected: "inbox.whyChannelNotConnected",
  no_messenger_person: "inbox.whyNoMessengerPerson",
  outside_messaging_window: "inbox.whyOutsideMessagingWindow",
  no_sms_number: "inbox.whyNoSmsNumber",
  sms_opted_out: "inbox.whySmsOptedOut",
  no_reachable_channel: "inbox.whyNoReachableChannel",
};

/** What the inbox's actions can be refused for. */
const REFUSALS: Sentences = {
  ...REPLY_REFUSALS,
  no_agent_online: "inbox.noAgentOnline",
  ai_disabled: "inbox.draftsOff",
  no_chat_messages: "inbox.noChatMessages",
  invalid_phone: "inbox.invalidPhone",
};

const known = (sentences: Sentences, code: string | null): Key | undefined => (code !== null && Object.hasOwn(sentences, code) ? sentences[code] : undefined);

/** The failure in the catalogue's words when its code is one of `sentences`; anything else as it came. */
export function inOurWords(error: unknown, sentences: Sentences = REFUSALS): unknown {
  const key = error instanceof ApiFailure ? known(sentences, error.code) : undefined;
  return key && error instanceof ApiFailure ? new ApiFailure(error.status, error.code, t(key), error.details) : error;
}

/** A message refused for want of credits, in the catalogue's words without the server's count of credits left (the meter shows it); anything else as inOurWords says it. */
export function sendFailure(error: unknown, segments: number): unknown {
  if (error instanceof ApiFailure && error.code === "insufficient_credits") return new ApiFailure(error.status, error.code, tn("inbox.smsNeedsCredits", segments), error.details);
  return inOurWords(error);
}

/** Why a channel cannot take the reply now, or null when it can. */
export function whyNot(option: ReplyChannel): string | null {
  const key = known(REPLY_REFUSALS, option.reason);
  return key ? t(key) : option.message;
}
