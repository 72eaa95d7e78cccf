// The thread: the newest page first, earlier pages fetched as the agent scrolls up, so even
// a 10,000-message conversation opens at once. New messages arrive live through the room.
import { useEffect, useLayoutEffect, useRef, useState } from "hono/jsx/dom";
import { api, query } from "../api";
import { Time } from "../components";
import { channelLabel } from "../format";
import { t, tn } from "../i18n";
import { notifyError } from "../notices";
import { campaignLabel, campaignOf, linkedFiles, MessageExtras, smsOf, withoutLinkLines } from "./MessageExtras";
import { keepOpen } from "../socket";
import type { Message, MessagePage, RoomFrame, Run } from "../types";

const PAGE_SIZE = 50;

/** How to place the scroll after the next render: at the newest message, or where the reader was. */
type ScrollIntent = { to: "bottom" } | { to: "keep"; fromBottom: number } | null;

const inOrder = (a: Message, b: Message) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function mergeMessages(old: Message[], incoming: Message[]): Message[] {
  const byId = new Map(old.map((m) => [m.id, m]));
  for (const m of incoming) byId.set(m.id, m);
  return [...byId.values()].sort(inOrder);
}

/** How long a "typing" lasts without a fresh one: the visitor may have closed the tab mid-word. */
const TYPING_TIMEOUT = 6000;

export function useThread(conversationId: string) {
  const [messages, setMessages] = useState<Message[]>([]);
  const [olderCursor, setOlderCursor] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [visitorTyping, setVisitorTyping] = useState(false);
  const [liveRun, setLiveRun] = useState<Run | null>(null);
  const [reconnects, setReconnects] = useState(0);
  const scrollRef = useRef<HTMLDivElement>(null);
  const intent = useRef<ScrollIntent>(null);
  const newestId = useRef<string | null>(null);
  const room = useRef<ReturnType<typeof keepOpen> | null>(null);
  newestId.current = messages[messages.length - 1]?.id ?? null;

  const nearBottom = () => {
    const el = scrollRef.current;
    return !el || el.scrollHeight - el.scrollTop - el.clientHeight < 120;
  };

  const add = (incoming: Message[], forceScroll: boolean) => {
    if (!incoming.length) return;
    if (forceScroll || nearBottom()) intent.current = { to: "bottom" };
    setMessages((old) => mergeMessages(old, incoming));
  };

  useEffect(() => {
    api<MessagePage>("GET", `/conversations/${conversationId}/messages${query({ limit: PAGE_SIZE })}`).then((page) => {
      intent.current = { to: "bottom" };
      setMessages(page.items);
      setOlderCursor(page.olderCursor);
      setLoaded(true);
    }, notifyError);
  }, [conversationId]);

  // The conversation's room: its messages as they are stored (and, after a drop, the ones missed
  // since the newest shown), the visitor typing, and the workflow run as it changes.
  useEffect(() => {
    if (!loaded) return;
    let typingTimer: ReturnType<typeof setTimeout> | undefined;
    const socket = keepOpen({
      path: () => `/api/conversations/${conversationId}/live${query({ after: newestId.current })}`,
      onOpen: (again) => again && setReconnects((n) => n + 1),
      onFrame: (raw) => {
        const frame = raw as RoomFrame;
        if (frame.type === "ready") add(frame.messages, false);
        else if (frame.type === "message.created" || frame.type === "message.updated") {
          add([frame.message], false);
          if (frame.message.direction === "in") setVisitorTyping(false);
        } else if (frame.type === "typing" && frame.from === "visitor") {
          clearTimeout(typingTimer);
          setVisitorTyping(frame.typing);
          if (frame.typing) typingTimer = setTimeout(() => setVisitorTyping(false), TYPING_TIMEOUT);
        } else if (frame.type === "run.updated") setLiveRun(frame.run);
      },
    });
    room.current = socket;
    return () => {
      clearTimeout(typingTimer);
      socket.close();
      room.current = null;
    };
  }, [conversationId, loaded]);

  const loadOlder = async () => {
    if (!olderCursor || loadingOlder) return;
    setLoadingOlder(true);
    try {
      const page = await api<MessagePage>("GET", `/conversations/${conversationId}/messages${query({ cursor: olderCursor, limit: PAGE_SIZE })}`);
      const el = scrollRef.current;
      if (el) intent.current = { to: "keep", fromBottom: el.scrollHeight - el.scrollTop };
      setMessages((old) => mergeMessages(old, page.items));
      setOlderCursor(page.olderCursor);
    } catch (error) {
      notifyError(error);
    } finally {
      setLoadingOlder(false);
    }
  };

  return {
    messages,
    olderCursor,
    loaded,
    loadingOlder,
    loadOlder,
    visitorTyping,
    /** The workflow run as the room last told it; null until it does. */
    liveRun,
    /** Counts reconnects to the room: it replays the messages missed, not the run, so a new count means asking for the run again. */
    reconnects,
    /** The agent's own reply, shown at once (the room's echo of it is merged by id). */
    sent: (message: Message) => add([message], true),
    /** Lets the visitor see the agent typing. */
    typing: (typing: boolean) => room.current?.send({ type: "typing", typing }),
    scrollRef,
    intent,
  };
}

export type ThreadState = ReturnType<typeof useThread>;

export function Thread({ thread }: { thread: ThreadState }) {
  const { messages, olderCursor, loaded, loadingOlder, loadOlder, scrollRef, intent } = thread;
  const sentinel = useRef<HTMLLIElement>(null);

  useLayoutEffect(() => {
    const el = scrollRef.current;
    const want = intent.current;
    if (!el || !want) return;
    intent.current = null;
    const place = () => (el.scrollTop = want.to === "bottom" ? el.scrollHeight : el.scrollHeight - want.fromBottom);
    // A thread that has just mounted may not be in the document yet: place it once it is laid out.
    if (el.isConnected) place();
    else requestAnimationFrame(place);
  }, [messages]);

  // Reaching the top of what is loaded fetches the page before it.
  useEffect(() => {
    const target = sentinel.current;
    if (!target || !olderCursor || !loaded) return;
    const observer = new IntersectionObserver((entries) => entries.some((e) => e.isIntersecting) && loadOlder(), { root: scrollRef.current });
    observer.observe(target);
    return () => observer.disconnect();
  }, [olderCursor, loaded, loadingOlder]);

  return (
    // biome-ignore lint/a11y/noNoninteractiveTabindex: the thread scrolls, and a keyboard scrolls only what has the focus
    <div class="thread" ref={scrollRef} tabIndex={0} role="log" aria-label={t("inbox.messages")}>
      <ol class="messages">
        {olderCursor ? (
          <li ref={sentinel} class="older">
            <button type="button" class="link" disabled={loadingOlder} onClick={loadOlder}>
              {loadingOlder ? t("inbox.loadingEarlier") : t("inbox.loadEarlier")}
            </button>
          </li>
        ) : loaded ? (
          <li class="older">{t("inbox.startOfConversation")}</li>
        ) : null}
        {messages.map((m, i) => (
          <MessageItem key={m.id} message={m} answers={campaignAnswered(messages, i)} />
        ))}
      </ol>
      {!loaded ? <p class="empty">{t("common.loading")}</p> : null}
    </div>
  );
}

const STATUS_WORDS = { queued: "inbox.statusQueued", sent: "inbox.statusSent", delivered: "inbox.statusDelivered", failed: "inbox.statusFailed" } as const;

/** The names the server gives its own senders (a workflow's messages, the assistant's summaries), in the UI's language. */
const SERVER_NAMES: Record<string, "inbox.bot" | "inbox.assistant"> = { Bot: "inbox.bot", Assistant: "inbox.assistant" };

/** Who wrote a message: the author's name, else what they are. */
function authorOf(m: Message): string {
  const { type, name } = m.author;
  if (type === "bot" && name && Object.hasOwn(SERVER_NAMES, name)) return t(SERVER_NAMES[name]!);
  if (name) return name;
  if (type === "bot") return t(m.kind === "note" ? "inbox.assistant" : "inbox.bot");
  if (type === "agent") return t("inbox.agent");
  if (type === "system") return "Parley";
  return m.channel === "messenger" ? t("common.messengerUser") : t("inbox.visitor");
}

/** The campaign or automation text an inbound SMS answers: the SMS just before it, when a CRM sent that one. */
function campaignAnswered(messages: Message[], at: number): Message | null {
  const m = messages[at]!;
  if (m.channel !== "sms" || m.direction !== "in") return null;
  for (let i = at - 1; i >= 0; i--) {
    const before = messages[i]!;
    if (before.kind === "note" || before.channel !== "sms") continue;
    return before.direction === "out" && campaignOf(before.meta) ? before : null;
  }
  return null;
}

function MessageItem({ message: m, answers }: { message: Message; answers: Message | null }) {
  if (m.kind === "note") return <NoteItem note={m} />;
  const fromPage = m.direction === "out" && m.author.type === "agent" && m.author.id === null && m.channel === "messenger";
  const bot = m.author.type === "bot";
  const author = authorOf(m);
  const campaign = campaignOf(m.meta ?? {});
  const sms = m.direction === "out" ? smsOf(m.meta ?? {}) : null;
  // Messenger and MMS write "[image] url" lines for their files; those show as links below instead.
  const body = withoutLinkLines(m.body, linkedFiles(m.meta ?? {}));
  return (
    <li class={`message ${m.direction} ${m.author.type}`}>
      {answers ? <Answers message={answers} /> : null}
      <div class="message-meta">
        {bot ? (
          <span class="bot-label" title={t("inbox.sentByWorkflow")}>
            {t("inbox.bot")}
          </span>
        ) : null}
        {/* A workflow's messages are all named "Bot": the label says it once. */}
        {bot && author === t("inbox.bot") ? null : (
          <span class="author" title={fromPage ? t("inbox.sentFromPage") : undefined}>
            {author}
          </span>
        )}
        <span class={`channel ${m.channel}`}>{channelLabel(m.channel)}</span>
        {campaign ? <span class="campaign">{campaignLabel(campaign)}</span> : null}
        <Time at={m.createdAt} />
        {sms ? (
          <span class="segments" title={tn("inbox.billedAs", sms.segments, { encoding: sms.encoding })}>
            {tn("inbox.smsCount", sms.segments)}
          </span>
        ) : null}
        {m.direction === "out" && m.status ? <span class={`status ${m.status}`}>{t(STATUS_WORDS[m.status])}</span> : null}
      </div>
      {m.meta?.erased === true ? (
        <p class="body erased">{t("inbox.erased")}</p>
      ) : body ? (
        <p class="body" dir="auto">
          {body}
        </p>
      ) : null}
      <MessageExtras meta={m.meta ?? {}} />
      {m.status === "failed" && m.statusReason ? (
        <p class="failure" role="note">
          {m.statusReason}
        </p>
      ) : null}
    </li>
  );
}

/**
 * An internal note: on the agents' side, tinted, labelled "Note" with who wrote it; never sent, so
 * no channel or delivery. The assistant's summaries are notes too, tagged "Summary", and say when
 * the built-in assistant wrote one because the model chosen could not.
 */
function NoteItem({ note }: { note: Message }) {
  const meta = note.meta ?? {};
  const summary = meta.summary === true;
  const author = authorOf(note);
  const fallback = summary && typeof meta.fallback === "string" ? meta.fallback : null;
  return (
    <li class={`message out internal${summary ? " summary" : ""}`} aria-label={t(summary ? "inbox.summaryNoteBy" : "inbox.noteBy", { name: author })}>
      <div class="message-meta">
        <span class="note-label">{t("inbox.note")}</span>
        {summary ? <span class="summary-label">{t("inbox.summary")}</span> : null}
        <span class="author">{author}</span>
        <Time at={note.createdAt} />
      </div>
      {note.body ? (
        <p class="body" dir="auto">
          {note.body}
        </p>
      ) : null}
      {fallback ? <p class="written-by">{t("inbox.writtenByBuiltin", { reason: fallback })}</p> : null}
      <MessageExtras meta={meta} />
    </li>
  );
}

/** Above a reply to a campaign: what it answers, and when that went. */
function Answers({ message }: { message: Message }) {
  const campaign = campaignOf(message.meta)!;
  return (
    <figure class="answers" aria-label={campaignLabel(campaign, "reply")}>
      <figcaption>
        {t("inbox.answersSent", { reply: campaignLabel(campaign, "reply") })} <Time at={message.createdAt} short={false} />
      </figcaption>
      <blockquote>{message.body}</blockquote>
    </figure>
  );
}
