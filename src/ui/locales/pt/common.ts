import type { Translation } from "../../i18n";
import type en from "../en/common";

const words: Translation<typeof en> = {
  "common.loading": "A carregar…",
  "common.unreadCount": { one: "{count} não lida", other: "{count} não lidas" },
  "common.channelChat": "Chat web",
  "common.channelEmail": "Email",
  "common.channelMessenger": "Messenger",
  "common.channelSms": "SMS",
  "common.writerBuiltin": "o assistente integrado",
  "common.writerWorkersAi": "Workers AI",
  "common.writerOpenai": "um modelo compatível com OpenAI",
  "common.websiteVisitor": "Visitante do site",
  "common.messengerUser": "Utilizador do Messenger",
  "common.unknownSender": "Remetente desconhecido",
};
export default words;
