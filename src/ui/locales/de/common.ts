import type { Translation } from "../../i18n";
import type en from "../en/common";

const words: Translation<typeof en> = {
  "common.loading": "Wird geladen…",
  "common.unreadCount": { one: "{count} ungelesen", other: "{count} ungelesen" },
  "common.channelChat": "Web-Chat",
  "common.channelEmail": "E-Mail",
  "common.channelMessenger": "Messenger",
  "common.channelSms": "SMS",
  "common.writerBuiltin": "dem integrierten Assistenten",
  "common.writerWorkersAi": "Workers AI",
  "common.writerOpenai": "einem OpenAI-kompatiblen Modell",
  "common.websiteVisitor": "Website-Besucher",
  "common.messengerUser": "Messenger-Nutzer",
  "common.unknownSender": "Unbekannter Absender",
};
export default words;
