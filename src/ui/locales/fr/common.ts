import type { Translation } from "../../i18n";
import type en from "../en/common";

const words: Translation<typeof en> = {
  "common.loading": "Chargement…",
  "common.unreadCount": { one: "{count} non lu", other: "{count} non lus" },
  "common.channelChat": "Chat web",
  "common.channelEmail": "E-mail",
  "common.channelMessenger": "Messenger",
  "common.channelSms": "SMS",
  "common.writerBuiltin": "l’assistant intégré",
  "common.writerWorkersAi": "Workers AI",
  "common.writerOpenai": "un modèle compatible OpenAI",
  "common.websiteVisitor": "Visiteur du site",
  "common.messengerUser": "Utilisateur Messenger",
  "common.unknownSender": "Expéditeur inconnu",
};
export default words;
