// What changed, told to whoever is live. A conversation's room keeps every message and every
// change to its conversation, tells its own sockets, and tells the agents' inbox feed through
// `tellInbox`. What D1 changes about a conversation (whom it is with, whether that is verified)
// reaches its room through `conversationChanged`, so the room's copy stays whole.
// Telling is best effort: the change is stored, so a caller told it failed would refuse or resend
// what is kept (a mail, a reply already sent), and every live client reads again when it reconnects.
import type { Env } from "../env";
import type { ConversationView } from "../wire";
import { conversationRoom, inboxFeed } from "./notify";
import type { Audience, InboxEvent } from "./protocol";

/** Conversations whose contact or verification changed in D1; each comes back as its room now has it. */
export async function conversationChanged(env: Env, ...conversations: ConversationView[]): Promise<ConversationView[]> {
  return Promise.all(
    conversations.map((conversation) =>
      conversationRoom(env, conversation.id)
        .adopt(conversation)
        .catch((error: unknown) => {
          notTold(error);
          return conversation;
        }),
    ),
  );
}

/** One call to the inbox however many events: they reach the audience (every agent, or admins only) in the order given. */
export async function tellInbox(env: Env, audience: Audience, ...events: InboxEvent[]): Promise<void> {
  await inboxFeed(env)
    .publish(audience, ...events)
    .catch(notTold);
}

function notTold(error: unknown) {
  console.error("change stored but not told live", error);
}
