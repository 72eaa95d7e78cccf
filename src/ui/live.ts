// The agent's live feed (GET /api/live): one socket for the whole page, reconnecting by itself.
// After a drop the page cannot know what it missed, so listeners are told to refetch ("resync").
import type { LiveEvent } from "./types";

export type LiveState = "connecting" | "live" | "offline";
type Listener = (event: LiveEvent | { type: "resync" }) => void;

const listeners = new Set<Listener>();
const stateListeners = new Set<(state: LiveState) => void>();
let socket: WebSocket | null = null;
let state: LiveState = "connecting";
let attempts = 0;
let everOpened = false;
let retryTimer: ReturnType<typeof setTimeout> | undefined;
let stopped = true;

function setState(next: LiveState) {
  state = next;
  stateListeners.forEach((l) => l(next));
}

function connect() {
  clearTimeout(retryTimer);
  const url = new URL("/api/live", location.href);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  const ws = new WebSocket(url);
  socket = ws;
  setState("connecting");
  ws.onopen = () => {
    attempts = 0;
    setState("live");
    if (everOpened) listeners.forEach((l) => l({ type: "resync" }));
    everOpened = true;
  };
  ws.onmessage = (message) => {
    let event: LiveEvent;
    try {
      event = JSON.parse(String(message.data)) as LiveEvent;
    } catch {
      return;
    }
    listeners.forEach((l) => l(event));
  };
  ws.onclose = () => {
    if (socket !== ws) return;
    socket = null;
    if (stopped) return;
    setState("offline");
    // 0.5 s, 1 s, 2 s ... up to 15 s, with jitter so a deploy does not bring every agent back at once.
    const delay = Math.min(15_000, 500 * 2 ** attempts++) * (0.75 + Math.random() / 2);
    retryTimer = setTimeout(connect, delay);
  };
}

/** Opens the feed (after sign-in); safe to call more than once. */
export function startLive() {
  if (!stopped) return;
  stopped = false;
  everOpened = false;
  connect();
  // A sleeping laptop or a lost network: try again at once when the browser says it is back.
  addEventListener("online", reconnectNow);
  document.addEventListener("visibilitychange", reconnectNow);
}

/** Closes the feed (on sign-out). */
export function stopLive() {
  stopped = true;
  clearTimeout(retryTimer);
  removeEventListener("online", reconnectNow);
  document.removeEventListener("visibilitychange", reconnectNow);
  socket?.close();
  socket = null;
}

function reconnectNow() {
  if (!stopped && !socket && document.visibilityState === "visible") connect();
}

/**
 * Tells this page's listeners about a change it made itself (the API's answer), so the list and
 * the open conversation agree at once instead of waiting for the feed's echo.
 */
export function publishLocally(event: LiveEvent) {
  listeners.forEach((l) => l(event));
}

export function onLive(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function onLiveState(listener: (state: LiveState) => void): () => void {
  stateListeners.add(listener);
  listener(state);
  return () => stateListeners.delete(listener);
}
