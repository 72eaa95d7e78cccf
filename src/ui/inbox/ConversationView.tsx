// One conversation: header actions, the thread, the composer, and beside them the contact and the workflow run.
import { useEffect, useState } from "hono/jsx/dom";
import { api } from "../api";
import { ChannelLabels, useLive } from "../components";
import { conversationTitle } from "../format";
import { t } from "../i18n";
import { feedMark, publishAnswer, toldSince } from "../live";
import { notify, notifyError } from "../notices";
import type { Conversation, Message } from "../types";
import { AssigneePicker } from "./AssigneePicker";
import { AutomationPanel } from "./AutomationPanel";
import { Composer } from "./Composer";
import { ContactPanel } from "./ContactPanel";
import { inOurWords } from "./refusals";
import { Thread, useThread } from "./Thread";

/** Where "back" goes on narrow screens: the list this conversation was opened from, and the link's words when it cannot be opened. */
export type ListPlace = { path: string; label: string; back: string };
const inboxPlace = (): ListPlace => ({ path: "/inbox", label: t("inbox.inbox"), back: t("inbox.backToInbox") });

/** Why a conversation cannot be opened, by the server's code. */
const CANNOT_OPEN = { not_found: "inbox.conversationNotFound", forbidden: "inbox.smsForAdminsOnly" } as const;

export function ConversationView({ id, from = inboxPlace() }: { id: string; from?: ListPlace }) {
  const [conversation, setConversation] = useState<Conversation | null>(null);
  const [missing, setMissing] = useState<string | null>(null);
  const [summarizing, setSummarizing] = useState(false);
  const thread = useThread(id);

  // Every state the API hands back goes to the whole page (the list shows it too).
  const markRead = () => publishAnswer(api<Conversation>("POST", `/conversations/${id}/read`));

  const load = async (first: boolean) => {
    try {
      const asked = feedMark();
      const answer = await api<Conversation>("GET", `/conversations/${id}`);
      // The feed's word, when it came while the answer was on its way, is the newer.
      const found = toldSince(asked).find((c) => c.id === id) ?? answer;
      setConversation(found);
      // Opening a conversation reads it, for every agent.
      if (found.unread) await markRead();
    } catch (error) {
      const failed = inOurWords(error, CANNOT_OPEN);
      if (first) setMissing(failed instanceof Error ? failed.message : t("inbox.conversationNotLoaded"));
      else notifyError(error);
    }
  };

  useEffect(() => {
    load(true);
  }, [id]);

  // Messages that came while the tab was hidden are read when the agent comes back to it.
  const unread = conversation?.unread ?? false;
  useEffect(() => {
    if (!unread) return;
    const onShow = () => document.visibilityState === "visible" && markRead().catch(() => {});
    document.addEventListener("visibilitychange", onShow);
    return () => document.removeEventListener("visibilitychange", onShow);
  }, [id, unread]);

  useLive(
    (event) => {
      if (event.type === "resync") return void load(false);
      if (event.type === "conversation.updated" && event.conversation.id === id) {
        const next = event.conversation;
        // Someone wrote while this agent is looking at it: it is read.
        if (next.unread && document.visibilityState === "visible") markRead().catch(() => {});
        setConversation(next);
      } else if (event.type === "presence" && event.conversationId === id) {
        setConversation((c) => (c ? { ...c, visitorOnline: event.online } : c));
      }
    },
    [id],
  );

  if (missing) {
    return (
      <section class="conversation" aria-label={t("inbox.conversation")}>
        <p class="empty" role="alert">
          {missing} <a href={from.path}>{from.back}</a>
        </p>
      </section>
    );
  }
  if (!conversation) {
    return (
      <section class="conversation" aria-label={t("inbox.conversation")}>
        <p class="empty">{t("common.loading")}</p>
      </section>
    );
  }

  const title = conversationTitle(conversation);
  const act = async (action: "complete" | "reopen" | "transcript" | "summary") => {
    try {
      if (action === "summary") {
        // The room tells of the note too; the thread merges the two by id.
        setSummarizing(true);
        thread.sent(await api<Message>("POST", `/conversations/${id}/summary`));
      } else if (action === "transcript") {
        // The transcript is itself a message of the thread: the email that went out.
        thread.sent(await api<Message>("POST", `/conversations/${id}/transcript`));
        notify(t("inbox.transcriptSent", { email: conversation.contact?.email ?? "" }));
      } else {
        await publishAnswer(api<Conversation>("POST", `/conversations/${id}/${action}`));
        notify(action === "complete" ? t("inbox.markedComplete") : t("inbox.reopened"));
      }
    } catch (error) {
      notifyError(error);
    } finally {
      if (action === "summary") setSummarizing(false);
    }
  };

  return (
    <div class="conversation-wrap">
      <section class="conversation" aria-labelledby="conversation-title">
        <header class="conversation-head">
          <a class="back" href={`${from.path}${location.search}`}>
            ← {from.label}
          </a>
          <div class="heading">
            <h2 id="conversation-title">{title}</h2>
            <span class="meta">
              {conversation.visitorOnline ? <span class="presence">● {t("inbox.online")}</span> : null}
              {conversation.status === "complete" ? <span class="state">✓ {t("inbox.stateComplete")}</span> : null}
              <ChannelLabels channels={conversation.channels} />
            </span>
          </div>
          {/* Beside the title rather than among the actions: the header's row there has room, so it adds no row. */}
          <button type="button" class="secondary summarize" onClick={() => act("summary")} disabled={summarizing} title={t("inbox.summarizeTitle")}>
            {summarizing ? t("inbox.summarizing") : t("inbox.summarize")}
          </button>
          <div class="head-tools">
            <AssigneePicker conversation={conversation} />
            <div class="actions">
              {conversation.contact?.email && conversation.channels.includes("chat") ? (
                <button type="button" class="secondary" onClick={() => act("transcript")}>
                  {t("inbox.emailTranscript")}
                </button>
              ) : null}
              {conversation.status === "open" ? (
                <button type="button" onClick={() => act("complete")}>
                  {t("inbox.complete")}
                </button>
              ) : (
                <button type="button" onClick={() => act("reopen")}>
                  {t("inbox.reopen")}
                </button>
              )}
            </div>
          </div>
        </header>
        {conversation.subject ? <p class="subject">{conversation.subject}</p> : null}
        <Thread thread={thread} />
        <p class="typing" aria-live="polite">
          {thread.visitorTyping ? t("inbox.isTyping", { name: title }) : ""}
        </p>
        <Composer conversation={conversation} newestMessageId={thread.messages[thread.messages.length - 1]?.id ?? null} onSent={thread.sent} onTyping={thread.typing} />
      </section>
      <div class="conversation-side">
        <ContactPanel conversation={conversation} />
        <AutomationPanel conversationId={id} liveRun={thread.liveRun} reconnects={thread.reconnects} />
      </div>
    </div>
  );
}
