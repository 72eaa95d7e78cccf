// Web chat replies: stored, then delivered live through the conversation's room (see domain/replies.ts).
// A visitor who is offline gets them when the widget reconnects.
import type { OutboundAdapter } from "./outbound";

export const chatAdapter: OutboundAdapter = {
  unreachable: ({ conversation }) => (conversation.party?.startsWith("visitor:") ? null : "no_chat_visitor"),
  send: async (_env, { conversation }) => ({ status: conversation.visitorOnline ? "delivered" : "sent" }),
};
