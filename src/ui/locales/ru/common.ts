import type { Translation } from "../../i18n";
import type en from "../en/common";

const words: Translation<typeof en> = {
  "common.loading": "Загрузка…",
  "common.unreadCount": { one: "{count} непрочитанное", few: "{count} непрочитанных", many: "{count} непрочитанных", other: "{count} непрочитанного" },
};
export default words;
