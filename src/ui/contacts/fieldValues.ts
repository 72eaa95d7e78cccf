// Custom field values as agents type and read them: text, a number, or yes/no (true/false in the API).
import { currentLanguage, formatNumber, t, tn } from "../i18n";
import type { CustomFields, CustomFieldValue } from "../types";

/** What the API takes as a field's name. */
export const FIELD_NAME = "[A-Za-z0-9_\\-]{1,40}";
export const MAX_FIELDS = 50;
export const MAX_TEXT = 1000;

export type FieldKind = "text" | "number" | "boolean";
/** "auto" stores what looks like a number as one, true / false as yes/no, anything else as text. */
export type KindChoice = FieldKind | "auto";

const KIND_KEYS = { auto: "contacts.kindAuto", text: "contacts.kindText", number: "contacts.kindNumber", boolean: "contacts.kindBoolean" } as const;

export const kindLabel = (kind: KindChoice) => t(KIND_KEYS[kind]);

export function kindOf(value: CustomFieldValue): FieldKind {
  return typeof value === "number" ? "number" : typeof value === "boolean" ? "boolean" : "text";
}

/** How a value reads on screen. */
export function showValue(value: CustomFieldValue): string {
  if (typeof value === "boolean") return value ? t("common.yes") : t("common.no");
  if (typeof value === "number") return value.toLocaleString(currentLanguage(), { maximumFractionDigits: 20 });
  return value;
}

/** A number as its field is typed: the language's decimal mark, no grouping ("12,5" in Italian). */
export const typedNumber = (value: number) => value.toLocaleString(currentLanguage(), { maximumFractionDigits: 20, useGrouping: false });

/** The marks the language writes numbers with: Italian writes a thousand and a half "1.000,5". */
function numberMarks(): { decimal: string; group: string } {
  const parts = new Intl.NumberFormat(currentLanguage()).formatToParts(12_345.6);
  return { decimal: parts.find((p) => p.type === "decimal")?.value ?? ".", group: parts.find((p) => p.type === "group")?.value ?? "," };
}

/** The fields by name, in a stable order. */
export function sortedFields(fields: CustomFields | undefined): [string, CustomFieldValue][] {
  return Object.entries(fields ?? {}).sort(([a], [b]) => a.localeCompare(b, undefined, { sensitivity: "base" }));
}

// A plain decimal (no leading zeros, so "01234" stays text, as a postcode or an id should).
const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;

/** The value to send for what was typed, or the sentence saying why it cannot be one. */
export function parseValue(kind: KindChoice, typed: string): { value: CustomFieldValue } | { error: string } {
  const text = typed.trim();
  if (kind === "boolean") {
    if (/^(true|yes)$/i.test(text)) return { value: true };
    if (/^(false|no)$/i.test(text)) return { value: false };
    return { error: t("contacts.chooseYesOrNo") };
  }
  if (!text) return { error: t("contacts.giveValue") };
  const { decimal, group } = numberMarks();
  if (kind === "number" || (kind === "auto" && NUMBER.test(text.replaceAll(decimal, ".")))) {
    const number = Number(text.replaceAll(group, "").replace(/[\s_]/g, "").replaceAll(decimal, "."));
    return Number.isFinite(number) ? { value: number } : { error: t("contacts.notANumber", { text }) };
  }
  if (kind === "auto" && /^(true|false)$/i.test(text)) return { value: text.toLowerCase() === "true" };
  if (text.length > MAX_TEXT) return { error: tn("contacts.valueTooLong", MAX_TEXT, { length: formatNumber(text.length) }) };
  return { value: text };
}
