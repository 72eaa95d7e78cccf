// The unified inbox: the conversation list beside the open conversation.
import { ConversationList } from "../inbox/ConversationList";
import { ConversationView } from "../inbox/ConversationView";

export function InboxPage({ selectedId }: { selectedId: string | null }) {
  return (
    <div class={`inbox ${selectedId ? "has-selection" : ""}`}>
      <h1 class="sr">Inbox</h1>
      <ConversationList selectedId={selectedId} />
      {selectedId ? (
        <ConversationView key={selectedId} id={selectedId} />
      ) : (
        <section class="placeholder" aria-label="Conversation">
          <p>Pick a conversation to read it.</p>
        </section>
      )}
    </div>
  );
}
