// What an SMS costs as it is typed: characters, the messages a carrier bills (counted by the same
// code the Worker charges credits with), the encoding, and the credits left.
import { SMS_ADVISED_CHARS, SMS_MAX_CHARS, type SmsSize } from "../../domain/segments";

export { smsSize } from "../../domain/segments";

const number = (n: number) => n.toLocaleString("en-US");

/** Why this text cannot go as an SMS, or null when it can. */
export function smsRefusal(size: SmsSize): string | null {
  if (size.characters <= SMS_MAX_CHARS) return null;
  const over = size.characters - SMS_MAX_CHARS;
  return `An SMS can hold at most ${number(SMS_MAX_CHARS)} characters; this one has ${number(size.characters)}. Remove ${number(over)} to send it.`;
}

/** The counters under an SMS being written; `id` lets the text box point at them (aria-describedby). */
export function SmsMeter({ id, size, credits, warnCredits = true }: { id: string; size: SmsSize; credits: number | null; warnCredits?: boolean }) {
  const refusal = smsRefusal(size);
  const short = credits !== null && size.segments > credits;
  return (
    <div class="sms-meter" id={id}>
      <p class="counts">
        <span>
          {number(size.characters)} {size.characters === 1 ? "character" : "characters"} · {size.segments} SMS ({size.encoding})
        </span>
        {credits !== null ? (
          <span class={`credits ${short ? "short" : ""}`}>
            {number(credits)} {credits === 1 ? "credit" : "credits"} left
          </span>
        ) : null}
      </p>
      {size.encoding === "UCS-2" && size.characters ? <p class="hint">With an emoji or a non-GSM character, a message holds 70 characters (67 when split).</p> : null}
      {refusal ? (
        <p class="form-error" role="alert">
          {refusal}
        </p>
      ) : size.characters > SMS_ADVISED_CHARS ? (
        <p class="warn" role="note">
          Over {SMS_ADVISED_CHARS} characters: long texts arrive split across {size.segments} messages and less reliably. Shorter is better.
        </p>
      ) : null}
      {short && warnCredits && !refusal ? (
        <p class="warn" role="note">
          This text needs {size.segments} credits and {credits} {credits === 1 ? "is" : "are"} left: top up on the SMS page to send it.
        </p>
      ) : null}
    </div>
  );
}
