// The agent UI in English: the widget's appearance and the texts sent on the business's behalf (Settings).
export default {};
