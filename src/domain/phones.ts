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

/**
 * The numbers a typed search term may mean, in E.164: read in the default country, and, when it is
 * digits without a plus, as an international number too (442079460958 is +44 20 7946 0958).
 */
export function phonesMeant(term: string, defaultCountry: string): string[] {
  if (!looksLikePhone(term)) return [];
  const digits = term.replace(/\D/g, "");
  const readings = [toE164(term, defaultCountry), term.trim().startsWith("+") ? null : toE164(`+${digits}`, defaultCountry)];
  return [...new Set(readings.filter((n): n is string => n !== null))];
}
