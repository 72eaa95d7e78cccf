// The agent UI in English: contacts.
export default {};
