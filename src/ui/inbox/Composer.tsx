// The reply box: which channel to answer on, saved responses, and the message itself.
import { useEffect, useRef, useState } from "hono/jsx/dom";
import { api } from "../api";
import { FormError } from "../components";
import { CHANNEL_LABELS } from "../format";
import type { Channel, Conversation, Message, SavedResponse } from "../types";

/** The channels that can reach this person, in the order offered. */
function reachable(c: Conversation): Channel[] {
  const options: Channel[] = [];
  if (c.channels.includes("chat")) options.push("chat");
  if (c.contact?.email) options.push("email");
  if (c.channels.includes("messenger")) options.push("messenger");
  if (c.contact?.phone || c.channels.includes("sms")) options.push("sms");
  return options;
}

/** Web Chat while the visitor is online, else Email when an address is known (the API's own default). */
function preferred(c: Conversation, options: Channel[]): Channel | undefined {
  if (c.visitorOnline && options.includes("chat")) return "chat";
  if (options.includes("email")) return "email";
  return options[0];
}

type ComposerProps = { conversation: Conversation; onSent: (message: Message) => void; onTyping: (typing: boolean) => void };

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

export function Composer({ conversation, onSent, onTyping }: ComposerProps) {
  const options = reachable(conversation);
  const [picked, setPicked] = useState<Channel | null>(null);
  const channel = picked && options.includes(picked) ? picked : preferred(conversation, options);
  const [body, setBody] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const box = useRef<HTMLTextAreaElement>(null);
  const typing = useTypingSignal(onTyping);

  const send = async (event?: Event) => {
    event?.preventDefault();
    if (!body.trim() || busy) return;
    setBusy(true);
    setError(null);
    typing.stop();
    try {
      onSent(await api<Message>("POST", `/conversations/${conversation.id}/messages`, { channel, body }));
      setBody("");
    } catch (e) {
      setError(e instanceof Error ? e.message : "The reply was not sent.");
    } finally {
      setBusy(false);
      box.current?.focus();
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

  if (!options.length) {
    return <p class="composer empty">No channel reaches this person yet: add an email address or phone number to the contact to reply.</p>;
  }

  return (
    <form class="composer" onSubmit={send} aria-label="Reply">
      <div class="composer-tools">
        <label class="inline" for="reply-channel">
          Channel
        </label>
        <select id="reply-channel" name="channel" value={channel} onChange={(e: Event) => setPicked((e.target as HTMLSelectElement).value as Channel)}>
          {options.map((c) => (
            <option key={c} value={c} selected={c === channel}>
              {CHANNEL_LABELS[c]}
            </option>
          ))}
        </select>
        <SavedResponsePicker conversationId={conversation.id} onPick={insert} />
      </div>
      <label class="sr" for="reply-body">
        Reply
      </label>
      <textarea
        id="reply-body"
        ref={box}
        rows={3}
        value={body}
        placeholder={channel === "chat" ? "Write a reply (Enter sends, Shift+Enter for a new line)" : "Write a reply (Ctrl+Enter sends)"}
        onInput={(e: Event) => {
          setBody((e.target as HTMLTextAreaElement).value);
          if (channel === "chat") typing.typed();
        }}
        onKeyDown={(e: KeyboardEvent) => {
          if (e.key !== "Enter" || e.isComposing) return;
          if (e.ctrlKey || e.metaKey || (channel === "chat" && !e.shiftKey)) {
            e.preventDefault();
            send();
          }
        }}
      />
      <FormError message={error} />
      <div class="composer-send">
        <button type="submit" disabled={busy || !body.trim()}>
          Send
        </button>
      </div>
    </form>
  );
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
      setError(e instanceof Error ? e.message : "That response could not be filled in.");
    }
  };

  return (
    <details class="saved" ref={panel}>
      <summary>Saved responses</summary>
      <div class="saved-pick">
        <span class="pair">
          <label class="inline" for="saved-category">
            Category
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
            Response
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
          Insert
        </button>
        <FormError message={error} />
      </div>
    </details>
  );
}
