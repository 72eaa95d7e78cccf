import type { Translation } from "../../i18n";
import type en from "../en/common";

const words: Translation<typeof en> = {
  "common.loading": "A carregar…",
  "common.unreadCount": { one: "{count} não lida", other: "{count} não lidas" },
};
export default words;
