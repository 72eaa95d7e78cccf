// The widget's words. English is built in; each other language is a JSON file beside widget.js
// (widget/locales/<language>.json, copied by the build), fetched the first time it is chosen, so a
// page pays only for the language its visitor reads.
import type { Language } from "../../src/domain/languages";

export const EN = {
  openChat: "Open chat",
  closeChat: "Close chat",
  chatWithUs: "Chat with us",
  messages: "Messages",
  message: "Message",
  writeMessage: "Write a message…",
  send: "Send",
  email: "Email",
  phone: "Phone number",
  account: "Account",
  fullName: "Full name",
  optional: "optional",
  startChat: "Start chat",
  waiting: "Waiting to send",
  typing: "{name} is typing…",
  agent: "Agent",
  tooLong: "Keep messages under {max} characters.",
  tooManyWaiting: "Too many messages are waiting to send; try again once they have gone.",
  failed: "Something went wrong; try again.",
  // The server's refusals, which it words in English: shown in the visitor's language where known.
  badEmail: "Enter a valid email address.",
  needPhone: "Enter your phone number.",
  badPhone: "That is not a phone number we can use; include the country code (e.g. +44).",
  needAccount: "Enter your account.",
  needName: "Enter your full name.",
  tooMany: "Too many at once; wait a minute and try again.",
};

export type Key = keyof typeof EN;

let words: Record<Key, string> = EN;
export let language: Language = "en";
const loads = new Map<Language, Promise<Record<Key, string>>>();

/** Speaks `next` from now on, fetching its words from `base` the first time. Rejects (and keeps the current language) when they cannot be fetched. */
export async function speak(base: string, next: Language) {
  let load = loads.get(next);
  if (!load) {
    load = next === "en" ? Promise.resolve(EN) : fetch(`${base}/widget-locales/${next}.json`).then((res) => (res.ok ? res.json() : Promise.reject(new Error(`${next}: ${res.status}`))));
    loads.set(next, load);
    // A failed fetch (offline) is tried again next time.
    load.catch(() => loads.delete(next));
  }
  words = await load;
  language = next;
}

/** The sentence for `key`, with `{name}` placeholders filled (numbers as the language writes them). */
export const t = (key: Key, vars: Record<string, string | number> = {}) =>
  words[key].replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = vars[name];
    return typeof value === "number" ? value.toLocaleString(language) : String(value);
  });

/** Refusals by the field they are about, or by their code. */
const KNOWN: Record<string, Key> = { email: "badEmail", account: "needAccount", fullName: "needName", rate_limited: "tooMany", storage_unavailable: "failed" };

/** What the server refused, in the visitor's language where the widget knows the refusal; in English the server's own words (they say more). */
export function explain(message: string, about: string, issue?: string): string {
  if (language === "en") return message;
  const key = about === "phone" ? (issue === "too_small" ? "needPhone" : "badPhone") : KNOWN[about];
  return key ? t(key) : message;
}
