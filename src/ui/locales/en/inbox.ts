// The agent UI in English: inbox.
export default {};
