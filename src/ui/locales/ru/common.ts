import type { Translation } from "../../i18n";
import type en from "../en/common";

const words: Translation<typeof en> = {
  "common.loading": "Загрузка…",
  "common.unreadCount": { one: "{count} непрочитанное", few: "{count} непрочитанных", many: "{count} непрочитанных", other: "{count} непрочитанного" },
  "common.channelChat": "Веб-чат",
  "common.channelEmail": "Эл. почта",
  "common.channelMessenger": "Messenger",
  "common.channelSms": "SMS",
  "common.writerBuiltin": "встроенным помощником",
  "common.writerWorkersAi": "Workers AI",
  "common.writerOpenai": "моделью, совместимой с OpenAI",
  "common.websiteVisitor": "Посетитель сайта",
  "common.messengerUser": "Пользователь Messenger",
  "common.unknownSender": "Неизвестный отправитель",
};
export default words;
