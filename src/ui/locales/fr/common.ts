import type { Translation } from "../../i18n";
import type en from "../en/common";

const words: Translation<typeof en> = {
  "common.loading": "Chargement…",
  "common.unreadCount": { one: "{count} non lu", other: "{count} non lus" },
};
export default words;
