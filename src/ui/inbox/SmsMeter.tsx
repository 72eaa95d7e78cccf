// What an SMS costs as it is typed: characters, the messages a carrier bills (counted by the same
// code the Worker charges credits with), the encoding, and the credits left.
import { SMS_ADVISED_CHARS, SMS_MAX_CHARS, type SmsSize } from "../../domain/segments";
import { formatNumber, t, tn } from "../i18n";

export { smsSize } from "../../domain/segments";

/** Why this text cannot go as an SMS, or null when it can. */
export function smsRefusal(size: SmsSize): string | null {
  if (size.characters <= SMS_MAX_CHARS) return null;
  const over = size.characters - SMS_MAX_CHARS;
  return t("inbox.smsTooLong", { max: formatNumber(SMS_MAX_CHARS), count: formatNumber(size.characters), over: formatNumber(over) });
}

/** The counters under an SMS being written; `id` lets the text box point at them (aria-describedby). */
export function SmsMeter({ id, size, credits, warnCredits = true }: { id: string; size: SmsSize; credits: number | null; warnCredits?: boolean }) {
  const refusal = smsRefusal(size);
  const short = credits !== null && size.segments > credits;
  return (
    <div class="sms-meter" id={id}>
      <p class="counts">
        <span>
          {tn("inbox.characters", size.characters)} · {tn("inbox.smsCount", size.segments)} ({size.encoding})
        </span>
        {credits !== null ? <span class={`credits ${short ? "short" : ""}`}>{tn("inbox.creditsLeft", credits)}</span> : null}
      </p>
      {size.encoding === "UCS-2" && size.characters ? <p class="hint">{t("inbox.ucs2Hint")}</p> : null}
      {refusal ? (
        <p class="form-error" role="alert">
          {refusal}
        </p>
      ) : size.characters > SMS_ADVISED_CHARS ? (
        <p class="warn" role="note">
          {tn("inbox.smsLong", size.segments, { advised: formatNumber(SMS_ADVISED_CHARS) })}
        </p>
      ) : null}
      {short && warnCredits && !refusal ? (
        <p class="warn" role="note">
          {t("inbox.smsShortOfCredits", { needed: tn("inbox.creditsNeeded", size.segments), left: tn("inbox.creditsStillLeft", credits) })}
        </p>
      ) : null}
    </div>
  );
}
