// Phone numbers are stored and compared in E.164; people type them in any format.
import { parsePhoneNumberFromString, type CountryCode } from "libphonenumber-js";

/** The E.164 form of `input`, reading numbers without +country as `defaultCountry`; null when it is not a valid number. */
export function toE164(input: string, defaultCountry: string): string | null {
  const parsed = parsePhoneNumberFromString(input.trim(), defaultCountry.toUpperCase() as CountryCode);
  return parsed?.isValid() ? parsed.number : null;
}

/** A search term that looks like a phone number (digits with the usual separators). */
export function looksLikePhone(term: string): boolean {
  return /^\+?[\d\s().\-/]{6,}$/.test(term.trim()) && term.replace(/\D/g, "").length >= 6;
}
