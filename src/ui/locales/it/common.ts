import type { Translation } from "../../i18n";
import type en from "../en/common";

const words: Translation<typeof en> = {
  "common.loading": "Caricamento…",
  "common.unreadCount": { one: "{count} non letto", other: "{count} non letti" },
};
export default words;
