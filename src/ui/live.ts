// The agent's live inbox feed (GET /api/live): one socket for the whole page.
// After a reconnect the page cannot know what it missed, so listeners are told to refetch ("resync").
import { keepOpen, type SocketState } from "./socket";
import type { Conversation, LiveEvent } from "./types";

type Listener = (event: LiveEvent | { type: "resync" }) => void;

const listeners = new Set<Listener>();
const stateListeners = new Set<(state: SocketState) => void>();
let state: SocketState = "connecting";
let feed: ReturnType<typeof keepOpen> | null = null;

const EVENTS = new Set(["conversation.updated", "message.created", "message.updated", "presence"]);

/** When the feed last told of each conversation, counted in frames: an API answer is weighed against it. */
let frames = 0;
const toldAt = new Map<string, number>();

function heard(event: LiveEvent) {
  frames++;
  if (event.type === "conversation.updated") toldAt.set(event.conversation.id, frames);
  listeners.forEach((l) => void l(event));
}

/** Opens the feed (after sign-in); safe to call more than once. */
export function startLive() {
  feed ??= keepOpen({
    path: () => "/api/live",
    onFrame: (frame) => EVENTS.has(frame.type) && heard(frame as LiveEvent),
    onOpen: (again) => again && listeners.forEach((l) => void l({ type: "resync" })),
    onState: (next) => {
      state = next;
      stateListeners.forEach((l) => void l(next));
    },
  });
}

/** Closes the feed (on sign-out). */
export function stopLive() {
  feed?.close();
  feed = null;
}

/**
 * Tells this page's listeners about a change it made itself (the API's answer), so the list and
 * the open conversation agree at once instead of waiting for the feed's echo. An answer is left out
 * when the feed told of the conversation while the request was out: the room may have changed it
 * after answering (a teammate's assignment, say), and the feed's news, its echo of this change
 * included, is the newer.
 */
export async function publishAnswer(answer: Promise<Conversation>): Promise<Conversation> {
  const asked = frames;
  const conversation = await answer;
  if ((toldAt.get(conversation.id) ?? 0) <= asked) listeners.forEach((l) => void l({ type: "conversation.updated", conversation }));
  return conversation;
}

export function onLive(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function onLiveState(listener: (state: SocketState) => void): () => void {
  stateListeners.add(listener);
  listener(state);
  return () => stateListeners.delete(listener);
}
