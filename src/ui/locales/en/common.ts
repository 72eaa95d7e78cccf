// The agent UI in English: the shell (boot, sign-in, navigation, profile) and words every page shares.
export default {
  "common.loading": "Loading…",
  "common.unreadCount": { one: "{count} unread", other: "{count} unread" },
  "common.channelChat": "Web Chat",
  "common.channelEmail": "Email",
  "common.channelMessenger": "Messenger",
  "common.channelSms": "SMS",
  "common.writerBuiltin": "the built-in assistant",
  "common.writerWorkersAi": "Workers AI",
  "common.writerOpenai": "an OpenAI-compatible model",
  "common.websiteVisitor": "Website visitor",
  "common.messengerUser": "Messenger user",
  "common.unknownSender": "Unknown sender",
};
