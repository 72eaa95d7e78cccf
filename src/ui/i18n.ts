// The agent UI's words: every string on screen comes from one catalogue per language
// (locales/<language>/), English bundled, the others loaded when chosen. Numbers, dates and
// plurals follow the language through Intl.
import { isLanguage, type Language, pickLanguage } from "../domain/languages";
import type { Catalogue, Plural, Translation } from "./catalogue";
import en from "./locales/en";

type Key = { [K in keyof Catalogue]: Catalogue[K] extends string ? K : never }[keyof Catalogue];
type PluralKey = Exclude<keyof Catalogue, Key>;
type Vars = Record<string, string | number>;

const LOADERS: Record<Exclude<Language, "en">, () => Promise<{ default: Translation<Catalogue> }>> = {
  it: () => import("./locales/it"),
  de: () => import("./locales/de"),
  ru: () => import("./locales/ru"),
  es: () => import("./locales/es"),
  fr: () => import("./locales/fr"),
  pt: () => import("./locales/pt"),
};

let language: Language = "en";
let words: Translation<Catalogue> = en;
let plurals = new Intl.PluralRules("en");
let numbers = new Intl.NumberFormat("en");

/** Shows the UI in `next` from now on; `<html lang>` names it. Pages rendered before keep their words until they render again. */
export async function setLanguage(next: Language) {
  words = next === "en" ? en : (await LOADERS[next]()).default;
  language = next;
  plurals = new Intl.PluralRules(next);
  numbers = new Intl.NumberFormat(next);
  document.documentElement.lang = next;
}

/** The agent's own choice, else the first of the browser's languages Parley speaks, else English. */
export function languageFor(chosen: string | null | undefined): Language {
  return isLanguage(chosen) ? chosen : (pickLanguage(navigator.languages) ?? "en");
}

export const currentLanguage = (): Language => language;

const fill = (text: string, vars?: Vars) => (vars ? text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole)) : text);

/** The sentence for `key` in the current language, with `{name}` placeholders filled from `vars`. */
export function t(key: Key, vars?: Vars): string {
  return fill(words[key] as string, vars);
}

/** The plural form for `count` ("{count}" is filled with the number as the language writes it). */
export function tn(key: PluralKey, count: number, vars?: Vars): string {
  const forms = words[key] as Plural;
  return fill(forms[plurals.select(count)] ?? forms.other, { count: numbers.format(count), ...vars });
}

export const formatNumber = (n: number) => numbers.format(n);

/** A date and time as the current language writes it. */
export const formatDate = (at: number, options: Intl.DateTimeFormatOptions) => new Date(at).toLocaleString(language, options);
