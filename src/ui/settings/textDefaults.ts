// The business texts' built-in wording in every language (GET /api/settings/texts), read once a page.
import { useEffect, useState } from "hono/jsx/dom";
import type { Language } from "../../domain/languages";
import { api } from "../api";
import { notifyError } from "../notices";
import type { TextKey } from "../types";

export type TextDefaults = { keys: TextKey[]; defaults: Record<Language, Record<TextKey, string>> };

/** null until loaded. */
export function useTextDefaults(): TextDefaults | null {
  const [texts, setTexts] = useState<TextDefaults | null>(null);
  useEffect(() => {
    api<TextDefaults>("GET", "/settings/texts").then(setTexts, notifyError);
  }, []);
  return texts;
}
