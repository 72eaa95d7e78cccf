import type { Translation } from "../../i18n";
import type en from "../en/common";

const words: Translation<typeof en> = {
  "common.loading": "Wird geladen…",
  "common.unreadCount": { one: "{count} ungelesen", other: "{count} ungelesen" },
};
export default words;
