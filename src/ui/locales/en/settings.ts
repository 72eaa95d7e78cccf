// The agent UI in English: settings.
export default {};
