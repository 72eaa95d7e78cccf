// Small pieces several pages share.
import { useEffect, useId, useRef, type Child } from "hono/jsx/dom";
import { channelLabel, fullTime, shortTime } from "./format";
import { onLive } from "./live";
import { notifyError } from "./notices";
import type { Channel, LiveEvent } from "./types";

export function ChannelLabels({ channels }: { channels: Channel[] }) {
  return (
    <span class="channels">
      {channels.map((c) => (
        <span key={c} class={`channel ${c}`}>
          {channelLabel(c)}
        </span>
      ))}
    </span>
  );
}

export function Time({ at, short = true }: { at: number; short?: boolean }) {
  return (
    <time dateTime={new Date(at).toISOString()} title={fullTime(at)}>
      {short ? shortTime(at) : fullTime(at)}
    </time>
  );
}

export function FormError({ message }: { message: string | null }) {
  return message ? (
    <p class="form-error" role="alert">
      {message}
    </p>
  ) : null;
}

/**
 * Loads what a page shows, on mount and again after each change made there: only the newest load's
 * answer (or failure) is shown, so a first load that comes back last cannot hide the change.
 */
export function useNewest<T>(ask: () => Promise<T>, show: (answer: T) => void, failed: (error: unknown) => void = notifyError): () => Promise<void> {
  const newest = useRef(0);
  const load = async () => {
    const mine = ++newest.current;
    try {
      const answer = await ask();
      if (mine === newest.current) show(answer);
    } catch (error) {
      if (mine === newest.current) failed(error);
    }
  };
  useEffect(() => void load(), []);
  return load;
}

/** Runs `handler` for every live frame (and "resync" after a reconnect) while the component is shown. */
export function useLive(handler: (event: LiveEvent | { type: "resync" }) => void, deps: unknown[]) {
  useEffect(() => onLive(handler), deps);
}

/**
 * A ref for a field that takes the place of the button asking for it: the focus moves into it as it
 * is shown. (The autofocus attribute would not do it: browsers honour it on page load only.)
 */
export function useFocusWhen<T extends HTMLElement>(shown: boolean) {
  const ref = useRef<T>(null);
  useEffect(() => {
    if (shown) ref.current?.focus();
  }, [shown]);
  return ref;
}

/** Stops the browser's own submit and gives the form's values by field name. */
export function formValues(event: Event): Record<string, string> {
  event.preventDefault();
  const form = event.currentTarget as HTMLFormElement;
  return Object.fromEntries([...new FormData(form).entries()].map(([k, v]) => [k, String(v)]));
}

/**
 * A tab strip and its panel (the ARIA tabs pattern): the selected tab is the one Tab stops at,
 * Left and Right arrows move between tabs.
 */
export function Tabs<T extends string>(props: { label: string; tabs: readonly { id: T; label: string }[]; current: T; onSelect: (id: T) => void; children: Child }) {
  const { label, tabs, current, onSelect } = props;
  const arrows = (e: KeyboardEvent) => {
    if (e.key !== "ArrowRight" && e.key !== "ArrowLeft") return;
    const at = tabs.findIndex((t) => t.id === current);
    const next = tabs[(at + (e.key === "ArrowRight" ? 1 : tabs.length - 1)) % tabs.length]!;
    onSelect(next.id);
    requestAnimationFrame(() => document.getElementById(`tab-${next.id}`)?.focus());
  };
  return (
    <>
      <div role="tablist" class="tabs" aria-label={label}>
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`tab-${t.id}`}
            aria-selected={String(t.id === current)}
            aria-controls="tabpanel"
            tabIndex={t.id === current ? 0 : -1}
            onClick={() => onSelect(t.id)}
            onKeyDown={arrows}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="tabpanel" aria-labelledby={`tab-${current}`} class="tabpanel">
        {props.children}
      </div>
    </>
  );
}

/**
 * A modal dialog, open while it is rendered. The native <dialog> in modal mode keeps focus inside
 * and the page behind inert; Escape asks `onClose` rather than closing it behind the owner's back.
 */
export function Dialog(props: { title: string; onClose: () => void; class?: string; children: Child }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    dialog?.showModal();
    return () => dialog?.close();
  }, []);
  const cancel = (event: Event) => {
    event.preventDefault();
    props.onClose();
  };
  return (
    <dialog ref={ref} class={["dialog", props.class].filter(Boolean).join(" ")} aria-labelledby={titleId} onCancel={cancel}>
      <h2 id={titleId}>{props.title}</h2>
      {props.children}
    </dialog>
  );
}
