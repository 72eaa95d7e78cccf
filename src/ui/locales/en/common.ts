// The agent UI in English: the shell (boot, sign-in, navigation, profile) and words every page shares.
export default {
  "common.loading": "Loading…",
  "common.unreadCount": { one: "{count} unread", other: "{count} unread" },
};
