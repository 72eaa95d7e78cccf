// Small pieces several pages share.
import { useEffect } from "hono/jsx/dom";
import { CHANNEL_LABELS, fullTime, shortTime } from "./format";
import { onLive } from "./live";
import type { Channel, LiveEvent } from "./types";

export function ChannelLabels({ channels }: { channels: Channel[] }) {
  return (
    <span class="channels">
      {channels.map((c) => (
        <span key={c} class={`channel ${c}`}>
          {CHANNEL_LABELS[c]}
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

/** Runs `handler` for every live frame (and "resync" after a reconnect) while the component is shown. */
export function useLive(handler: (event: LiveEvent | { type: "resync" }) => void, deps: unknown[]) {
  useEffect(() => onLive(handler), deps);
}

/** The values of a submitted form, by field name. */
export function formValues(event: Event): Record<string, string> {
  event.preventDefault();
  const form = event.currentTarget as HTMLFormElement;
  return Object.fromEntries([...new FormData(form).entries()].map(([k, v]) => [k, String(v)]));
}
