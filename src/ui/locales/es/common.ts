import type { Translation } from "../../i18n";
import type en from "../en/common";

const words: Translation<typeof en> = {
  "common.loading": "Cargando…",
  "common.unreadCount": { one: "{count} sin leer", other: "{count} sin leer" },
};
export default words;
