// The reply box: which channel to answer on (as the server offers them: GET reply-options),
// saved responses, and the message itself, with an SMS's cost and Messenger's window beside it.
// Or, switched to Note, an internal note: kept in the thread for agents, never sent to the person.
import { useEffect, useRef, useState, type Child } from "hono/jsx/dom";
import { api, ApiFailure } from "../api";
import { FormError } from "../components";
import { channelLabel, fullTime, writtenBy } from "../format";
import { t, tn } from "../i18n";
import { useUser } from "../session";
import { refreshSms, useSmsAccount } from "../sms";
import type { Channel, Conversation, Draft, DraftSource, Message, ReplyChannel, ReplyOptions, SavedResponse } from "../types";
import { sendFailure, whyNot } from "./refusals";
import { smsRefusal, SmsMeter, smsSize } from "./SmsMeter";

type ComposerProps = {
  conversation: Conversation;
  /** The newest message shown: a new one can change where a reply may go. */
  newestMessageId: string | null;
  onSent: (message: Message) => void;
  onTyping: (typing: boolean) => void;
};

/**
 * Where a reply can go now, from the server, asked again whenever something that decides it
 * changes: a new message, the visitor coming or going, the contact's addresses, the SMS balance,
 * and the moment a provider's window closes.
 */
function useReplyOptions(conversation: Conversation, newestMessageId: string | null, credits: number | undefined) {
  const [options, setOptions] = useState<ReplyOptions | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  // Answers may come back out of order: one is shown only if no later request's answer is.
  const asked = useRef(0);
  const shown = useRef(0);
  const load = async () => {
    const mine = ++asked.current;
    try {
      const next = await api<ReplyOptions>("GET", `/conversations/${conversation.id}/reply-options`);
      if (mine < shown.current) return;
      shown.current = mine;
      setOptions(next);
      setFailure(null);
    } catch (e) {
      if (mine === asked.current) setFailure(e instanceof Error ? e.message : t("inbox.replyOptionsNotLoaded"));
    }
  };
  const contact = conversation.contact;
  const key = [conversation.id, newestMessageId, conversation.lastMessageAt, conversation.visitorOnline, contact?.email, contact?.phone, conversation.channels.join(), credits].join("|");
  useEffect(() => {
    // A message arrives through the room and the feed at nearly the same time: one request for both.
    const timer = setTimeout(load, options ? 120 : 0);
    return () => clearTimeout(timer);
  }, [key]);
  useEffect(() => {
    const closing = (options?.channels ?? []).filter((o) => o.reason === null && o.closesAt !== null).map((o) => o.closesAt!);
    if (!closing.length) return;
    const timer = setTimeout(load, Math.min(Math.max(0, Math.min(...closing) - Date.now()) + 1000, 2 ** 31 - 1));
    return () => clearTimeout(timer);
  }, [options]);
  return { options, failure, reload: load };
}

/** Re-renders every `every` ms while `on`, for countdowns. */
function useNow(on: boolean, every = 30_000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!on) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), every);
    return () => clearInterval(timer);
  }, [on]);
  return on ? now : Date.now();
}

/** "45 min", "5 h", "6 days". */
export function timeLeft(ms: number): string {
  const minutes = Math.max(1, Math.floor(ms / 60_000));
  if (minutes < 60) return tn("inbox.minutes", minutes);
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return tn("inbox.hours", hours);
  return tn("inbox.days", Math.floor(hours / 24));
}

/**
 * The listed channel a reply goes on: the agent's pick while it works, else the server's default
 * while it works, else the first that works. When none works: the default, else the one the person
 * wrote on, so the note under the select says why it cannot be used.
 */
function chooseChannel(channels: ReplyChannel[], picked: Channel | null, options: ReplyOptions, conversation: Conversation): ReplyChannel | undefined {
  const usable = (o: ReplyChannel | undefined) => (o && o.reason === null ? o : undefined);
  const find = (c: Channel | null) => (c ? channels.find((o) => o.channel === c) : undefined);
  return (
    usable(find(picked)) ??
    usable(find(options.default)) ??
    channels.find((o) => o.reason === null) ??
    find(options.default) ??
    channels.find((o) => conversation.channels.includes(o.channel)) ??
    channels[0]
  );
}

/** Says "typing" at most every few seconds while keys are pressed, and "stopped" after a pause. */
function useTypingSignal(onTyping: (typing: boolean) => void) {
  const lastSaid = useRef(0);
  const pause = useRef<ReturnType<typeof setTimeout>>(undefined);
  const stop = () => {
    clearTimeout(pause.current);
    if (lastSaid.current) onTyping(false);
    lastSaid.current = 0;
  };
  const typed = () => {
    if (Date.now() - lastSaid.current > 3000) {
      onTyping(true);
      lastSaid.current = Date.now();
    }
    clearTimeout(pause.current);
    pause.current = setTimeout(stop, 4000);
  };
  useEffect(() => () => clearTimeout(pause.current), []);
  return { typed, stop };
}

/** What the composer writes: a reply to the person, or an internal note only agents see. */
type Mode = "reply" | "note";

export function Composer({ conversation, newestMessageId, onSent, onTyping }: ComposerProps) {
  const user = useUser();
  const [mode, setMode] = useState<Mode>("reply");
  const noting = mode === "note";
  const account = useSmsAccount();
  const { options, failure, reload } = useReplyOptions(conversation, newestMessageId, account?.credits);
  const [picked, setPicked] = useState<Channel | null>(null);
  const listed = options?.channels ?? [];
  const chosen = options ? chooseChannel(listed, picked, options, conversation) : undefined;
  const channel = chosen?.channel;
  // Each mode keeps its own draft, so a note's words never go out as a reply by a slip of the switch.
  const [drafts, setDrafts] = useState<Record<Mode, string>>({ reply: "", note: "" });
  const body = drafts[mode];
  const setBody = (text: string, of: Mode = mode) => setDrafts((old) => ({ ...old, [of]: text }));
  const [error, setError] = useState<{ message: string; code: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const box = useRef<HTMLTextAreaElement>(null);
  const typing = useTypingSignal(onTyping);
  const now = useNow(channel === "messenger" && chosen?.closesAt !== null);

  const size = !noting && channel === "sms" && chosen?.reason === null ? smsSize(body) : null;
  const refusal = size ? smsRefusal(size) : null;
  // A note needs no channel: only a reply waits for one that works.
  const blocked = noting ? false : chosen ? chosen.reason !== null : options !== null;

  const switchTo = (next: Mode) => {
    if (next === mode) return;
    // The visitor is told when an agent types a chat reply, never while they write a note.
    typing.stop();
    setMode(next);
    setError(null);
    requestAnimationFrame(() => box.current?.focus());
  };

  const send = async (event?: Event) => {
    event?.preventDefault();
    if (!body.trim() || busy || blocked || refusal) return;
    const writing = mode;
    setBusy(true);
    setError(null);
    typing.stop();
    try {
      if (writing === "note") {
        onSent(await api<Message>("POST", `/conversations/${conversation.id}/notes`, { body }));
      } else {
        onSent(await api<Message>("POST", `/conversations/${conversation.id}/messages`, { channel, body }));
        if (channel === "sms" && user.role === "admin") refreshSms();
        setDrafted(null);
      }
      setBody("", writing);
    } catch (e) {
      const failed = sendFailure(e, size?.segments ?? 0);
      const fallback = writing === "note" ? t("inbox.noteNotAdded") : t("inbox.replyNotSent");
      setError({ message: failed instanceof Error ? failed.message : fallback, code: e instanceof ApiFailure ? e.code : "" });
      // The refusal may mean the options changed (a window closed, credits ran out): ask again.
      if (writing === "reply" && e instanceof ApiFailure && e.status >= 400 && e.status < 500) reload();
    } finally {
      setBusy(false);
      box.current?.focus();
    }
  };

  // The assistant's draft goes in the reply box to be checked and edited, with what it is drawn from.
  const [drafted, setDrafted] = useState<Draft | null>(null);
  const [drafting, setDrafting] = useState(false);
  const draftReply = async () => {
    setError(null);
    setDrafting(true);
    try {
      const draft = await api<Draft>("POST", `/conversations/${conversation.id}/draft`);
      setDrafted(draft);
      setBody(draft.body, "reply");
      requestAnimationFrame(() => box.current?.focus());
    } catch (e) {
      setError({ message: e instanceof Error ? e.message : t("inbox.noDraft"), code: e instanceof ApiFailure ? e.code : "" });
    } finally {
      setDrafting(false);
    }
  };

  const insert = (text: string) => {
    const el = box.current;
    const start = el?.selectionStart ?? body.length;
    const end = el?.selectionEnd ?? body.length;
    setBody(body.slice(0, start) + text + body.slice(end));
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(start + text.length, start + text.length);
    });
  };

  // With no channel to reach the person, a reply cannot be written; a note still can.
  const unreachable = options !== null && !listed.length;
  const unavailable = listed.filter((o) => o.reason !== null && o !== chosen);
  const noted = chosen !== undefined && (chosen.reason !== null || (chosen.channel === "messenger" && chosen.closesAt !== null));
  const describedBy = [noted ? "reply-channel-note" : null, unavailable.length ? "reply-channel-others" : null].filter(Boolean).join(" ");
  const modeSwitch = (
    <fieldset class="composer-mode" aria-label={t("inbox.write")}>
      {(["reply", "note"] as const).map((m) => (
        <button
          key={m}
          type="button"
          class={`mode-${m}`}
          aria-pressed={mode === m ? "true" : "false"}
          title={m === "note" ? t("inbox.noteModeTitle") : t("inbox.replyModeTitle")}
          onClick={() => switchTo(m)}
        >
          {m === "note" ? t("inbox.note") : t("inbox.reply")}
        </button>
      ))}
    </fieldset>
  );
  if (unreachable && !noting) {
    return (
      <div class="composer empty">
        <div class="composer-tools">{modeSwitch}</div>
        <p>{t("inbox.unreachable")}</p>
      </div>
    );
  }

  const channelPicker = (
    <>
      <label class="inline" for="reply-channel">
        {t("inbox.channel")}
      </label>
      <select
        id="reply-channel"
        name="channel"
        value={channel ?? ""}
        disabled={!options}
        aria-describedby={describedBy || undefined}
        onChange={(e: Event) => {
          setPicked((e.target as HTMLSelectElement).value as Channel);
          setError(null);
        }}
      >
        {options ? (
          listed.map((o) => (
            <option key={o.channel} value={o.channel} disabled={o.reason !== null} title={whyNot(o) ?? undefined} selected={o === chosen}>
              {o.reason !== null ? t("inbox.channelUnavailable", { channel: channelLabel(o.channel) }) : channelLabel(o.channel)}
            </option>
          ))
        ) : (
          <option value="">{failure ? t("inbox.channelDefault") : t("common.loading")}</option>
        )}
      </select>
    </>
  );
  const channelNotes = (
    <>
      {chosen ? <ChannelNote option={chosen} now={now} /> : null}
      {failure ? (
        <p class="channel-note warn" role="alert">
          {t(options ? "inbox.replyOptionsMayHaveChanged" : "inbox.replyOptionsUnknown", { reason: failure })}{" "}
          <button type="button" class="link" onClick={reload}>
            {t("inbox.tryAgain")}
          </button>
        </p>
      ) : null}
      {unavailable.length ? (
        <ul class="channel-others" id="reply-channel-others" aria-label={t("inbox.notAvailableNow")}>
          {unavailable.map((o) => (
            <li key={o.channel}>
              <strong>{channelLabel(o.channel)}</strong>
              {t("inbox.afterLabel")}
              {whyNot(o) ?? t("inbox.notAvailableHere")}
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );

  return (
    <form class={`composer${noting ? " noting" : ""}`} onSubmit={send} aria-label={noting ? t("inbox.note") : t("inbox.reply")}>
      <div class="composer-tools">
        {modeSwitch}
        {noting ? null : channelPicker}
        <SavedResponsePicker conversationId={conversation.id} onPick={insert} />
        {!noting && options?.drafts ? (
          <button type="button" class="secondary" onClick={draftReply} disabled={drafting}>
            {drafting ? t("inbox.drafting") : t("inbox.draftReply")}
          </button>
        ) : null}
      </div>
      {noting ? null : channelNotes}
      {!noting && drafted ? <DraftNote draft={drafted} /> : null}
      <label class="sr" for="reply-body">
        {noting ? t("inbox.writeNote") : t("inbox.reply")}
      </label>
      <textarea
        id="reply-body"
        ref={box}
        rows={3}
        value={body}
        aria-describedby={size ? "reply-sms-meter" : undefined}
        placeholder={noting ? t("inbox.writeNote") : channel === "chat" ? t("inbox.writeChatReply") : channel === "sms" ? t("inbox.writeSms") : t("inbox.writeReply")}
        onInput={(e: Event) => {
          setBody((e.target as HTMLTextAreaElement).value);
          if (!noting && channel === "chat") typing.typed();
        }}
        onKeyDown={(e: KeyboardEvent) => {
          if (e.key !== "Enter" || e.isComposing) return;
          // A note is sent with Ctrl+Enter only: Enter is a new line, as in an email.
          if (e.ctrlKey || e.metaKey || (!noting && channel === "chat" && !e.shiftKey)) {
            e.preventDefault();
            send();
          }
        }}
      />
      {size ? <SmsMeter id="reply-sms-meter" size={size} credits={options?.smsCredits ?? null} warnCredits={error?.code !== "insufficient_credits"} /> : null}
      <FormError message={error?.message ?? null} />
      {!noting && error?.code === "insufficient_credits" && user.role === "admin" ? (
        <p class="channel-note">
          <a href="/sms">{t("inbox.topUpSmsCredits")}</a>
        </p>
      ) : null}
      <div class="composer-send">
        {noting ? <span class="note-hint">{t("inbox.noteHint")}</span> : null}
        <button type="submit" disabled={busy || !body.trim() || blocked || refusal !== null}>
          {noting ? t("inbox.addNote") : t("inbox.send")}
        </button>
      </div>
    </form>
  );
}

/** What the draft in the box is drawn from, and who wrote it: the model chosen, or the built-in assistant and why. */
function DraftNote({ draft }: { draft: Draft }) {
  return (
    <div class="draft-note" role="status">
      <p class="channel-note">
        {draft.grounded ? (
          <>
            {t("inbox.draftFrom")} {sourceList(draft.sources)}
            {t("inbox.draftCheck")}
          </>
        ) : (
          t("inbox.draftUngrounded")
        )}
        {draft.fallback === null ? <span class="written-by"> {t("inbox.draftedBy", { writer: writtenBy(draft.provider) })}</span> : null}
      </p>
      {draft.fallback !== null ? <p class="channel-note warn">{t("inbox.draftedByBuiltin", { reason: draft.fallback })}</p> : null}
    </div>
  );
}

/** “the FAQ “Q1”, “Q2” and the page <a>Returns</a>”: a page once however many of its passages were used. */
function sourceList(sources: DraftSource[]): Child[] {
  const questions = [...new Set(sources.flatMap((s) => (s.type === "faq" ? [s.question] : [])))];
  const pages = [...new Map(sources.flatMap((s) => (s.type === "page" ? [[s.url, s] as const] : []))).values()];
  const comma = (items: Child[]) => items.flatMap((item, i) => (i ? [", ", item] : [item]));
  const groups: Child[] = [];
  if (questions.length)
    groups.push(
      <>
        {t("inbox.draftSourceFaq")} {comma(questions.map((q) => t("inbox.quoted", { text: q })))}
      </>,
    );
  if (pages.length) {
    const links = pages.map((p) => (
      <a key={p.url} href={p.url} target="_blank" rel="noopener">
        {p.title ?? p.url}
      </a>
    ));
    groups.push(
      <>
        {tn("inbox.draftSourcePages", pages.length)} {comma(links)}
      </>,
    );
  }
  return groups.flatMap((group, i) => (i ? [` ${t("inbox.and")} `, group] : [group]));
}

/** Under the Channel select: why the chosen channel cannot be used, or how long Messenger's window stays open. */
function ChannelNote({ option, now }: { option: ReplyChannel; now: number }) {
  const label = channelLabel(option.channel);
  if (option.reason !== null) {
    const lead = option.reason === "outside_messaging_window" ? t("inbox.messengerWindowClosed") : t("inbox.cannotUseNow", { channel: label });
    return (
      <p class="channel-note warn" id="reply-channel-note" role="note">
        {lead} {whyNot(option) ?? ""}
      </p>
    );
  }
  if (option.channel === "messenger" && option.closesAt !== null) {
    const left = option.closesAt - now;
    return (
      <p class={`channel-note ${left < 3_600_000 ? "warn" : ""}`} id="reply-channel-note" title={t("inbox.repliesPossibleUntil", { time: fullTime(option.closesAt) })}>
        {left > 0 ? t("inbox.messengerWindowLeft", { time: timeLeft(left) }) : t("inbox.messengerWindowClosed")}
      </p>
    );
  }
  return null;
}

/** Saved responses by category, folded away until wanted; the chosen one comes back from the API with its tags filled in. */
function SavedResponsePicker({ conversationId, onPick }: { conversationId: string; onPick: (text: string) => void }) {
  const [all, setAll] = useState<SavedResponse[]>([]);
  const [category, setCategory] = useState("");
  const [chosen, setChosen] = useState("");
  const [error, setError] = useState<string | null>(null);
  const panel = useRef<HTMLDetailsElement>(null);

  useEffect(() => {
    api<{ items: SavedResponse[] }>("GET", "/saved-responses")
      .then(({ items }) => {
        setAll(items);
        setCategory(items[0]?.category ?? "");
      })
      .catch(() => setAll([]));
  }, []);

  if (!all.length) return null;
  const categories = [...new Set(all.map((r) => r.category))];
  const inCategory = all.filter((r) => r.category === category);

  const use = async () => {
    const id = chosen || inCategory[0]?.id;
    if (!id) return;
    setError(null);
    try {
      onPick((await api<{ body: string }>("POST", `/saved-responses/${id}/render`, { conversationId })).body);
      if (panel.current) panel.current.open = false;
    } catch (e) {
      setError(e instanceof Error ? e.message : t("inbox.savedResponseNotFilled"));
    }
  };

  return (
    <details class="saved" ref={panel}>
      <summary>{t("inbox.savedResponses")}</summary>
      <div class="saved-pick">
        <span class="pair">
          <label class="inline" for="saved-category">
            {t("inbox.category")}
          </label>
          <select
            id="saved-category"
            value={category}
            onChange={(e: Event) => {
              setCategory((e.target as HTMLSelectElement).value);
              setChosen("");
            }}
          >
            {categories.map((c) => (
              <option key={c} value={c} selected={c === category}>
                {c}
              </option>
            ))}
          </select>
        </span>
        <span class="pair">
          <label class="inline" for="saved-response">
            {t("inbox.response")}
          </label>
          <select id="saved-response" value={chosen || inCategory[0]?.id} onChange={(e: Event) => setChosen((e.target as HTMLSelectElement).value)}>
            {inCategory.map((r) => (
              <option key={r.id} value={r.id} selected={r.id === (chosen || inCategory[0]?.id)}>
                {r.name}
              </option>
            ))}
          </select>
        </span>
        <button type="button" class="secondary" onClick={use}>
          {t("inbox.insert")}
        </button>
        <FormError message={error} />
      </div>
    </details>
  );
}
