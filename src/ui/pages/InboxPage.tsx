// The unified inbox: the conversation list beside the open conversation.
import { ConversationList } from "../inbox/ConversationList";
import { ConversationView } from "../inbox/ConversationView";
import { t } from "../i18n";

export function InboxPage({ selectedId }: { selectedId: string | null }) {
  return (
    <div class={`inbox ${selectedId ? "has-selection" : ""}`}>
      <h1 class="sr">{t("inbox.inbox")}</h1>
      <ConversationList selectedId={selectedId} />
      {selectedId ? (
        <ConversationView key={selectedId} id={selectedId} />
      ) : (
        <section class="placeholder" aria-label={t("inbox.conversation")}>
          <p>{t("inbox.pickConversation")}</p>
        </section>
      )}
    </div>
  );
}
