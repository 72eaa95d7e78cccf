// The workspace settings as an admin sees them (secrets masked), a PUT of the parts that changed,
// and the server's refusals said in the UI's language.
import { useEffect, useState } from "hono/jsx/dom";
import { api, ApiFailure } from "../api";
import { t } from "../i18n";
import { notifyError } from "../notices";
import type { Settings, SettingsPatch } from "../types";

export function useSettings() {
  const [settings, setSettings] = useState<Settings | null>(null);
  useEffect(() => {
    api<Settings>("GET", "/settings").then(setSettings, notifyError);
  }, []);
  const save = async (patch: SettingsPatch) => setSettings(await api<Settings>("PUT", "/settings", patch));
  return { settings, save };
}

/** The refusals Settings can meet whose sentence the catalogue has, by the server's code. */
const REFUSAL_KEYS = {
  email_taken: "settings.refusalEmailTaken",
  last_admin: "settings.refusalLastAdmin",
  ai_not_acknowledged: "settings.refusalNotAcknowledged",
} as const;

const isKnown = (code: string): code is keyof typeof REFUSAL_KEYS => Object.hasOwn(REFUSAL_KEYS, code);

/** Why an action failed: a known code in the UI's language, else the server's own sentence, else `fallback`. */
export function failureText(error: unknown, fallback: string): string {
  if (error instanceof ApiFailure && isKnown(error.code)) return t(REFUSAL_KEYS[error.code]);
  return error instanceof Error ? error.message : fallback;
}
