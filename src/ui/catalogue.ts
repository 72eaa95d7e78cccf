// The shape of the UI's catalogues, apart from the code that reads them (i18n.ts needs the DOM;
// the catalogues and their checks do not).
import type en from "./locales/en";

export type Catalogue = typeof en;
/** A plural: the forms Intl.PluralRules names for the language ("one", "few", "many", "other"...). */
export type Plural = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
/** One language's part of the catalogue: the same keys as English, each a sentence or a plural. */
export type Translation<T> = { [K in keyof T]: T[K] extends string ? string : Plural };
