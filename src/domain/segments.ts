// How an SMS is billed: the parts a carrier splits it into. GSM-7 (with the extension characters
// counting two septets) fits 160 in one message and 153 per part; anything outside GSM-7 makes the
// whole message UCS-2, 70 and 67 per part. Twilio's own calculator carries the tables. Imported by
// the Worker (credits) and the agent UI (the composer's counters), so both count the same.
import { SegmentedMessage } from "sms-segments-calculator";

/** Twilio takes at most this many characters in one request. */
export const SMS_MAX_CHARS = 1600;
/** Past this, Twilio advises that long messages are delivered less reliably. */
export const SMS_ADVISED_CHARS = 320;

export type SmsSize = { characters: number; segments: number; encoding: "GSM-7" | "UCS-2" };

export function smsSize(body: string): SmsSize {
  const message = new SegmentedMessage(body);
  return { characters: [...body].length, segments: body ? message.segmentsCount : 0, encoding: message.encodingName as SmsSize["encoding"] };
}
