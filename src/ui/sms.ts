// The workspace's SMS account (GET /api/sms: credits, unread SMS conversations, the number texts
// come from), for admins only. One copy for the page: the nav's unread count, the SMS page's
// balance and the composer read it; the live feed's SMS news refreshes it.
import { useEffect, useState } from "hono/jsx/dom";
import { api } from "./api";
import { onLive } from "./live";
import type { LiveEvent, SmsAccount } from "./types";

let current: SmsAccount | null = null;
const listeners = new Set<(account: SmsAccount | null) => void>();
let timer: ReturnType<typeof setTimeout> | undefined;
let generation = 0;

function publish(next: SmsAccount | null) {
  current = next;
  listeners.forEach((l) => void l(current));
}

/** Asks the server again (a burst of live events makes one request). */
export function refreshSms(delay = 150) {
  clearTimeout(timer);
  timer = setTimeout(async () => {
    const mine = ++generation;
    try {
      const account = await api<SmsAccount>("GET", "/sms");
      if (mine === generation) publish(account);
    } catch {
      // Not an admin, or offline: the nav simply shows no count; the next event tries again.
    }
  }, delay);
}

/** The balance the server answered after a top-up or a send. */
export function setSmsCredits(credits: number) {
  generation++;
  publish(current ? { ...current, credits } : { credits, unread: 0, fromNumber: "" });
  refreshSms();
}

const aboutSms = (event: LiveEvent | { type: "resync" }) =>
  event.type === "resync" ||
  (event.type === "conversation.updated" && event.conversation.channels.includes("sms")) ||
  ((event.type === "message.created" || event.type === "message.updated") && event.message.channel === "sms");

/**
 * Keeps the account current while `enabled` (an admin is signed in): fetched once, then again on
 * every live event about an SMS conversation. Mounted once, by the header.
 */
export function useSmsFeed(enabled: boolean) {
  useEffect(() => {
    if (!enabled) return;
    refreshSms(0);
    const stop = onLive((event) => aboutSms(event) && refreshSms());
    return () => {
      stop();
      clearTimeout(timer);
      generation++;
      current = null;
    };
  }, [enabled]);
}

/** The account as last fetched (null until then, and for agents). */
export function useSmsAccount(): SmsAccount | null {
  const [account, setAccount] = useState<SmsAccount | null>(current);
  useEffect(() => {
    listeners.add(setAccount);
    setAccount(current);
    return () => {
      listeners.delete(setAccount);
    };
  }, []);
  return account;
}
