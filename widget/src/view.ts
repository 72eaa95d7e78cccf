// The widget's DOM, inside a shadow root so the host page's CSS cannot reach it. Text from
// visitors and agents is only ever set as textContent.
import type { ChatForm, Issue, Shown } from "./api";
import { CSS } from "./styles";

type Attrs = Record<string, string>;

function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  el.append(...children);
  return el;
}

const FIELDS = [
  ["email", "Email", "email", "email"],
  ["phone", "Phone number", "tel", "tel"],
  ["account", "Account", "text", "organization"],
  ["fullName", "Full name", "text", "name"],
] as const;

export type PreChat = Record<string, string>;

/** A message in the list: stored ones sort by time; ones still being sent stay last, in the order written. */
type Item = { el: HTMLElement; at: number; id: string; body: string };

export class View {
  private panel: HTMLElement;
  private launcher: HTMLButtonElement;
  private log: HTMLElement;
  private typingNote: HTMLElement;
  private note: HTMLElement;
  private pre: HTMLFormElement;
  private composer: HTMLFormElement;
  private input: HTMLTextAreaElement;
  private items: Item[] = [];
  private byKey = new Map<string, Item>();
  private typingTimer = 0;

  onToggle = (_open: boolean) => {};
  onPreChat = (_form: PreChat) => {};
  onSend = (_body: string) => {};
  onTyping = () => {};

  constructor() {
    const host = h("parley-chat" as "div", { style: "position:fixed;right:20px;bottom:20px;z-index:2147483647" });
    const root = host.attachShadow({ mode: "open" });
    this.launcher = h("button", { class: "launcher", type: "button", "aria-label": "Open chat" });
    this.launcher.innerHTML =
      '<svg viewBox="0 0 24 24" width="26" height="26" aria-hidden="true"><path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/></svg>';
    const close = h("button", { class: "x", type: "button", "aria-label": "Close chat" }, "×");
    this.log = h("div", { class: "log", role: "log", "aria-label": "Messages" });
    this.typingNote = h("p", { class: "typing", hidden: "" });
    this.note = h("p", { class: "note", role: "alert", hidden: "" });
    this.pre = h("form", { class: "pre", hidden: "", novalidate: "" });
    this.input = h("textarea", { "aria-label": "Message", rows: "1", placeholder: "Write a message…" });
    this.composer = h("form", { class: "composer", hidden: "" }, this.input, h("button", { type: "submit" }, "Send"));
    this.panel = h(
      "section",
      { class: "panel", role: "dialog", "aria-label": "Chat", hidden: "" },
      h("header", {}, h("strong", {}, "Chat with us"), close),
      this.log,
      this.typingNote,
      this.note,
      this.pre,
      this.composer,
    );
    root.append(h("style", {}, CSS), h("div", { class: "p" }, this.panel, this.launcher));
    document.body.append(host);

    this.launcher.onclick = () => this.onToggle(true);
    close.onclick = () => this.onToggle(false);
    this.composer.onsubmit = (event) => {
      event.preventDefault();
      const body = this.input.value;
      if (!body.trim()) return;
      this.input.value = "";
      this.onSend(body);
    };
    this.input.onkeydown = (event) => {
      if (event.key === "Enter" && !event.shiftKey) {
        event.preventDefault();
        this.composer.requestSubmit();
      }
    };
    this.input.oninput = () => this.onTyping();
    this.pre.onsubmit = (event) => {
      event.preventDefault();
      this.onPreChat(Object.fromEntries(new FormData(this.pre)) as PreChat);
    };
  }

  setOpen(open: boolean) {
    this.panel.hidden = !open;
    this.launcher.hidden = open;
    if (open) (this.composer.hidden ? this.pre.querySelector("input") : this.input)?.focus();
  }

  /** The pre-chat form as the workspace configured it (Email always, the rest unless "off"). */
  askWhoTheyAre(form: ChatForm) {
    this.pre.replaceChildren(h("p", {}, "Tell us how to reach you, then write your message."));
    for (const [name, label, type, autocomplete] of FIELDS) {
      const rule = name === "email" ? "required" : form[name];
      if (rule === "off") continue;
      const id = `f-${name}`;
      const input = h("input", { id, name, type, autocomplete, "aria-describedby": `${id}-e` });
      if (rule === "required") input.required = true;
      this.pre.append(h("div", { class: "f" }, h("label", { for: id }, label), rule === "optional" ? h("span", { class: "opt" }, "optional") : "", input, h("small", { id: `${id}-e`, class: "err" })));
    }
    this.pre.append(h("button", { type: "submit" }, "Start chat"));
    this.pre.hidden = false;
    this.composer.hidden = true;
  }

  showIssues(issues: Issue[]) {
    for (const el of this.pre.querySelectorAll<HTMLElement>(".err")) el.textContent = "";
    for (const issue of issues) {
      const el = this.pre.querySelector(`#f-${issue.path}-e`);
      if (el) el.textContent = issue.message;
    }
    if (issues[0]) this.pre.querySelector<HTMLInputElement>(`#f-${issues[0].path}`)?.focus();
  }

  letThemWrite() {
    this.pre.hidden = true;
    this.composer.hidden = false;
    this.input.focus();
  }

  /** Adds or updates a message; `key` is the stored id, or the client id while it is being sent. */
  show(message: Shown | { clientId: string; body: string; sending: true }) {
    const stored = "id" in message;
    const known = (stored && this.byKey.get(message.id)) || (message.clientId && this.byKey.get(message.clientId));
    if (known) this.remove(known);
    const mine = !stored || message.from === "visitor";
    const el = h("div", { class: `m ${mine ? "v" : "a"}${stored ? "" : " sending"}` });
    if (stored && message.name && !mine) el.append(h("span", { class: "who" }, message.name));
    el.append(h("p", { dir: "auto" }, message.body));
    // Shown only if the message is still unacknowledged after a moment (styles.ts): no flash on every send.
    if (!stored) el.append(h("small", { class: "st" }, "Waiting to send"));
    const item = { el, at: stored ? message.createdAt : Infinity, id: stored ? message.id : message.clientId, body: message.body };
    const before = this.items.findIndex((other) => other.at > item.at || (other.at === item.at && item.at < Infinity && other.id > item.id));
    if (before < 0) this.items.push(item);
    else this.items.splice(before, 0, item);
    this.log.insertBefore(el, this.items[this.items.indexOf(item) + 1]?.el ?? null);
    this.byKey.set(item.id, item);
    if (message.clientId) this.byKey.set(message.clientId, item);
    this.log.scrollTop = this.log.scrollHeight;
    if (!mine) this.agentTyping(null);
  }

  clear() {
    this.log.replaceChildren();
    this.items = [];
    this.byKey.clear();
  }

  /** A message refused for good: out of the list and back in the text box, with the reason. */
  giveBack(clientId: string, reason: string) {
    const item = this.byKey.get(clientId);
    if (item) this.remove(item);
    this.refuse(item?.body ?? "", reason);
  }

  /** A message not taken: its text back in the text box, with the reason. */
  refuse(body: string, reason: string) {
    if (body) this.input.value = body + (this.input.value ? `\n${this.input.value}` : "");
    this.say(reason);
  }

  say(text: string) {
    this.note.textContent = text;
    this.note.hidden = !text;
  }

  /** "Andy is typing…" until they stop, send, or go quiet. */
  agentTyping(name: string | null) {
    clearTimeout(this.typingTimer);
    this.typingNote.hidden = name === null;
    this.typingNote.textContent = name === null ? "" : `${name || "Agent"} is typing…`;
    if (name !== null) this.typingTimer = window.setTimeout(() => this.agentTyping(null), 6_000);
  }

  private remove(item: Item) {
    item.el.remove();
    this.items.splice(this.items.indexOf(item), 1);
    for (const [key, value] of this.byKey) if (value === item) this.byKey.delete(key);
  }
}
