// The workspace settings as an admin sees them (secrets masked), a PUT of the parts that changed,
// and why an action failed.
import { useEffect, useState } from "hono/jsx/dom";
import { api } from "../api";
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

/** Why an action failed: its sentence (the API client words the refusals it knows), else `fallback`. */
export function failureText(error: unknown, fallback: string): string {
  return error instanceof Error ? error.message : fallback;
}
