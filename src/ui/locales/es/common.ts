import type { Translation } from "../../i18n";
import type en from "../en/common";

const words: Translation<typeof en> = {
  "common.loading": "Cargando…",
  "common.unreadCount": { one: "{count} sin leer", other: "{count} sin leer" },
  "common.channelChat": "Chat web",
  "common.channelEmail": "Correo",
  "common.channelMessenger": "Messenger",
  "common.channelSms": "SMS",
  "common.writerBuiltin": "el asistente integrado",
  "common.writerWorkersAi": "Workers AI",
  "common.writerOpenai": "un modelo compatible con OpenAI",
  "common.websiteVisitor": "Visitante del sitio",
  "common.messengerUser": "Usuario de Messenger",
  "common.unknownSender": "Remitente desconocido",
};
export default words;
