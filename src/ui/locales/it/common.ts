import type { Translation } from "../../i18n";
import type en from "../en/common";

const words: Translation<typeof en> = {
  "common.loading": "Caricamento…",
  "common.unreadCount": { one: "{count} non letto", other: "{count} non letti" },
  "common.channelChat": "Chat web",
  "common.channelEmail": "Email",
  "common.channelMessenger": "Messenger",
  "common.channelSms": "SMS",
  "common.writerBuiltin": "l'assistente integrato",
  "common.writerWorkersAi": "Workers AI",
  "common.writerOpenai": "un modello compatibile con OpenAI",
  "common.websiteVisitor": "Visitatore del sito",
  "common.messengerUser": "Utente Messenger",
  "common.unknownSender": "Mittente sconosciuto",
};
export default words;
