import { z } from "zod";
import { database } from "../db/client";
import { LANGUAGES } from "../domain/languages";
import { DEFAULT_TEXTS, TEXT_KEYS } from "../domain/texts";
import { audit } from "../domain/audit";
import { refreshPages } from "../domain/pages";
import { loadSettings, maskedSettings, SettingsPatch, SettingsSchema, updateSettings, type Settings } from "../domain/settings";
import { ApiRouter } from "../http/router";

export const settingsRoutes = new ApiRouter("/api");

settingsRoutes.get("/settings", { summary: "Workspace settings; secrets read back masked", access: "admin", response: SettingsSchema }, async (c) =>
  c.json(maskedSettings(await loadSettings(database(c.env.DB)))),
);

settingsRoutes.put(
  "/settings",
  {
    summary: "Change the settings a PUT names; others stay. A masked secret sent back is left as it was",
    access: "admin",
    body: SettingsPatch,
    response: SettingsSchema,
  },
  async (c, { body }) => {
    const db = database(c.env.DB);
    const before = await loadSettings(db);
    const settings = await updateSettings(db, body);
    // Which settings changed, never their values (secrets among them): a field sent back as it was is no change.
    const changed = changedKeys(before, settings);
    if (changed.length) await audit(db, c.var.user, "settings.changed", null, { changed });
    // New pages ground drafts as soon as they are read; the request does not wait for them.
    if (changed.includes("ai.urls")) c.executionCtx.waitUntil(refreshPages(db, settings.ai.urls).catch((error: unknown) => console.error("pages not refreshed", error)));
    return c.json(maskedSettings(settings));
  },
);

settingsRoutes.get(
  "/settings/texts",
  {
    summary: "The texts Parley sends or shows on the business's behalf, as keys in display order, and each language's built-in wording of them",
    access: "admin",
    response: z.object({ keys: z.array(z.enum(TEXT_KEYS)), defaults: z.record(z.enum(LANGUAGES), z.record(z.enum(TEXT_KEYS), z.string())) }),
  },
  (c) => c.json({ keys: [...TEXT_KEYS], defaults: DEFAULT_TEXTS }),
);

/** The settings that differ, as "section.key" (or "key" for a top-level value). */
function changedKeys(before: Settings, after: Settings): string[] {
  return (Object.keys(after) as (keyof Settings)[]).flatMap((section) => {
    const [was, is] = [before[section], after[section]];
    if (is && typeof is === "object" && !Array.isArray(is)) {
      return Object.keys(is)
        .filter((key) => JSON.stringify((was as Record<string, unknown>)[key]) !== JSON.stringify((is as Record<string, unknown>)[key]))
        .map((key) => `${section}.${key}`);
    }
    return JSON.stringify(was) === JSON.stringify(is) ? [] : [section];
  });
}
