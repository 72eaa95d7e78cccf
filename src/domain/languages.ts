// The languages Parley speaks: the widget, the agent UI, and the texts sent on the business's behalf.
export const LANGUAGES = ["en", "it", "de", "ru", "es", "fr", "pt"] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language in its own words, as a language picker shows it. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: "English",
  it: "Italiano",
  de: "Deutsch",
  ru: "Русский",
  es: "Español",
  fr: "Français",
  pt: "Português",
};

export const isLanguage = (tag: unknown): tag is Language => typeof tag === "string" && (LANGUAGES as readonly string[]).includes(tag);

/** The first of the BCP 47 tags ("it-CH", "pt-BR") whose language Parley speaks, or null. */
export function pickLanguage(tags: readonly (string | null | undefined)[]): Language | null {
  for (const tag of tags) {
    const primary = tag?.split("-")[0]?.toLowerCase();
    if (isLanguage(primary)) return primary;
  }
  return null;
}
