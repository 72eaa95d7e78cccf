import { database } from "../db/client";
import { audit } from "../domain/audit";
import { refreshPages } from "../domain/pages";
import { loadSettings, maskedSettings, SettingsPatch, SettingsSchema, updateSettings } from "../domain/settings";
import { ApiRouter } from "../http/router";

export const settingsRoutes = new ApiRouter("/api");

settingsRoutes.get("/settings", { summary: "Workspace settings; secrets read back masked", access: "admin", response: SettingsSchema }, async (c) =>
  c.json(maskedSettings(await loadSettings(database(c.env.DB)))),
);

settingsRoutes.put("/settings", {
  summary: "Change the settings a PUT names; others stay. A masked secret sent back is left as it was",
  access: "admin",
  body: SettingsPatch,
  response: SettingsSchema,
}, async (c, { body }) => {
  const db = database(c.env.DB);
  const before = body.ai?.urls ? (await loadSettings(db)).ai.urls : null;
  const settings = await updateSettings(db, body);
  // Which settings changed, never their values (secrets among them).
  await audit(db, c.var.user, "settings.changed", null, { changed: Object.entries(body).flatMap(([section, value]) => (value && typeof value === "object" && !Array.isArray(value) ? Object.keys(value).map((key) => `${section}.${key}`) : [section])) });
  // New pages ground drafts as soon as they are read; the request does not wait for them.
  if (before && String(before) !== String(settings.ai.urls)) c.executionCtx.waitUntil(refreshPages(db, settings.ai.urls).catch((error: unknown) => console.error("pages not refreshed", error)));
  return c.json(maskedSettings(settings));
});
