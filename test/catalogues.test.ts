// The agent UI's catalogues: the type checker already demands every key in every language; this
// checks what it cannot see. A translation keeps the English placeholders (a lost {name} would show
// nobody's name), has every plural form its language's rules pick, and is not the English left in.
import { describe, expect, it } from "vitest";
import { LANGUAGES } from "../src/domain/languages";
import de from "../src/ui/locales/de";
import en from "../src/ui/locales/en";
import es from "../src/ui/locales/es";
import fr from "../src/ui/locales/fr";
import it_ from "../src/ui/locales/it";
import pt from "../src/ui/locales/pt";
import ru from "../src/ui/locales/ru";

/** A sentence, or a plural's forms by Intl.PluralRules category. */
type Entry = string | Record<string, string>;
const CATALOGUES: Record<string, Record<string, Entry>> = { de, es, fr, it: it_, pt, ru };
const english = en as Record<string, Entry>;

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const forms = (entry: Entry) => (typeof entry === "string" ? [entry] : Object.values(entry));

describe("the UI's catalogues", () => {
  it("cover every language Parley speaks", () => {
    expect(Object.keys(CATALOGUES).sort()).toEqual(LANGUAGES.filter((l) => l !== "en").sort());
  });

  for (const [language, words] of Object.entries(CATALOGUES)) {
    it(`${language}: every placeholder of the English kept, every plural form there`, () => {
      const problems: string[] = [];
      // The forms Intl.PluralRules picks for counts 0 to 200 in this language.
      const needed = new Set(Array.from({ length: 201 }, (_, n) => new Intl.PluralRules(language).select(n)));
      for (const [key, source] of Object.entries(english)) {
        const translated = words[key];
        if (translated === undefined) {
          problems.push(`${key}: missing`);
          continue;
        }
        if (typeof source !== typeof translated) problems.push(`${key}: a plural in one language and a sentence in the other`);
        const wanted = placeholders(forms(source).join(" ")).filter((name) => name !== "count");
        for (const form of forms(translated)) {
          const given = new Set(placeholders(form));
          const lost = wanted.filter((name) => !given.has(name));
          const unknown = [...given].filter((name) => name !== "count" && !wanted.includes(name));
          if (lost.length || unknown.length) problems.push(`${key}: ${JSON.stringify(form)} lost {${lost}} or names unknown {${unknown}}`);
        }
        if (typeof translated === "object") {
          for (const form of needed) if (!(form in translated) && form !== "other") problems.push(`${key}: no "${form}" form`);
        }
      }
      expect(problems).toEqual([]);
    });
  }

  for (const [language, words] of Object.entries(CATALOGUES)) {
    it(`${language}: the sentences are translated, not the English copied`, () => {
      // A sentence of three words or more that reads as in English is English left in.
      const copied = Object.entries(english)
        .filter(
          ([, source]) =>
            typeof source === "string" &&
            source
              .replace(/\{\w+\}/g, "")
              .trim()
              .split(/\s+/).length >= 3,
        )
        .filter(([key, source]) => words[key] === source)
        .map(([key]) => key);
      expect(copied).toEqual([]);
    });
  }
});
