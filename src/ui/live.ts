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

/**
 * The feed's latest word on each conversation, and when it came (counted in frames). An API answer
 * to a request sent before that word may be older than it. Only the most recent are kept: a
 * request is out for moments, not for hundreds of changes.
 */
let frames = 0;
const told = new Map<string, { at: number; conversation: Conversation }>();
const TOLD_KEPT = 500;

function heard(event: LiveEvent) {
  frames++;
  if (event.type === "conversation.updated") {
    told.delete(event.conversation.id);
    told.set(event.conversation.id, { at: frames, conversation: event.conversation });
    if (told.size > TOLD_KEPT) told.delete(told.keys().next().value!);
  }
  listeners.forEach((l) => void l(event));
}

/** Taken as a request is sent, to ask `toldSince` what the feed said while it was out. */
export const feedMark = (): number => frames;

/** The conversations the feed told of since `mark`, each as it last told it. */
export function toldSince(mark: number): Conversation[] {
  return [...told.values()].filter((word) => word.at > mark).map((word) => word.conversation);
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
  const asked = feedMark();
  const conversation = await answer;
  if (!toldSince(asked).some((c) => c.id === conversation.id)) listeners.forEach((l) => void l({ type: "conversation.updated", conversation }));
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
