import { database } from "../db/client";
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
}, async (c, { body }) => c.json(maskedSettings(await updateSettings(database(c.env.DB), body))));
