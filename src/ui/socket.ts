// A WebSocket that stays up: it reconnects with backoff after a drop, pings so a dead link is
// noticed, and tries again at once when the browser comes back online or the tab is shown.
import { signedOut } from "./api";

export type SocketState = "connecting" | "live" | "offline";

type Options = {
  /** Asked on every attempt, so a reconnect can say where it left off. */
  path: () => string;
  onFrame: (frame: { type: string } & Record<string, unknown>) => void;
  /** After every successful connect; `again` is true for a reconnect (the caller may have missed things). */
  onOpen?: (again: boolean) => void;
  onState?: (state: SocketState) => void;
};

const PING_EVERY = 20_000;
/** The close code the Worker uses when the session a socket depended on has ended. */
const ACCESS_ENDED = 4401;
/** No frame at all (not even a pong) for this long: the link is dead even if the socket has not noticed. */
const SILENT_LIMIT = 45_000;

export function keepOpen({ path, onFrame, onOpen, onState }: Options): { send(frame: object): void; close(): void } {
  let socket: WebSocket | null = null;
  let attempts = 0;
  let opened = false;
  let closed = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let ping: ReturnType<typeof setInterval> | undefined;
  let lastHeard = 0;

  const connect = () => {
    clearTimeout(retry);
    const url = new URL(path(), location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    const ws = new WebSocket(url);
    socket = ws;
    onState?.("connecting");
    ws.onopen = () => {
      attempts = 0;
      lastHeard = Date.now();
      onState?.("live");
      onOpen?.(opened);
      opened = true;
      ping = setInterval(() => {
        if (Date.now() - lastHeard > SILENT_LIMIT) ws.close();
        else ws.send('{"type":"ping"}');
      }, PING_EVERY);
    };
    ws.onmessage = (message) => {
      lastHeard = Date.now();
      try {
        const frame = JSON.parse(String(message.data)) as { type: string };
        if (frame && typeof frame.type === "string") onFrame(frame);
      } catch {
        // Not JSON: nothing this page understands.
      }
    };
    ws.onclose = (event) => {
      clearInterval(ping);
      if (socket !== ws) return;
      socket = null;
      if (closed) return;
      if (event.code === ACCESS_ENDED) {
        // Signed out elsewhere, disabled, or the password changed: reconnecting would only be refused.
        closed = true;
        return signedOut();
      }
      onState?.("offline");
      // 0.5 s, 1 s, 2 s ... up to 15 s, with jitter so a deploy does not bring every agent back at once.
      const delay = Math.min(15_000, 500 * 2 ** attempts++) * (0.75 + Math.random() / 2);
      retry = setTimeout(connect, delay);
    };
  };

  const now = () => {
    if (!closed && !socket && document.visibilityState === "visible") connect();
  };
  addEventListener("online", now);
  document.addEventListener("visibilitychange", now);
  connect();

  return {
    send(frame) {
      if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
    },
    close() {
      closed = true;
      clearTimeout(retry);
      clearInterval(ping);
      removeEventListener("online", now);
      document.removeEventListener("visibilitychange", now);
      socket?.close();
      socket = null;
    },
  };
}
