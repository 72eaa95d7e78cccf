// The widget's DOM, inside a shadow root so the host page's CSS cannot reach it. Text from
// visitors and agents is only ever set as textContent. Nothing here writes a style attribute or a
// <style> element (a host page's strict Content-Security-Policy refuses both without
// 'unsafe-inline'): the stylesheet is a constructed one, and what changes runs through the CSSOM.
import type { ChatForm, Config, Issue, Shown } from "./api";
import { CSS, PHONE } from "./styles";
import { explain, type Key, language, t } from "./words";

type Attrs = Record<string, string>;

function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, value);
  el.append(...children);
  return el;
}

/** Shows `text` in `el`, or hides `el` when there is none. */
function fill(el: HTMLElement, text: string) {
  el.textContent = text;
  el.hidden = !text;
}

/** The pre-chat fields: name (also the key of its label), input type, autocomplete. */
const FIELDS = [
  ["email", "email", "email"],
  ["phone", "tel", "tel"],
  ["account", "text", "organization"],
  ["fullName", "text", "name"],
] as const;

const phone = matchMedia(PHONE);

/** The host page's own overflow while the full-screen widget holds it still; null when it is not held. */
let held: string[] | null = null;

function holdPage(hold: boolean) {
  const styles = [document.documentElement.style, document.body.style];
  if (hold && !held) {
    held = styles.map((style) => style.overflow);
    for (const style of styles) style.overflow = "hidden";
  } else if (!hold && held) {
    for (const [at, style] of styles.entries()) style.overflow = held[at]!;
    held = null;
  }
}

export type PreChat = Record<string, string>;

/** A message in the list: stored ones sort by time; ones still being sent stay last, in the order written. */
type Item = { el: HTMLElement; at: number; id: string; body: string };

export class View {
  private root: ShadowRoot;
  private frame: HTMLElement;
  private panel: HTMLElement;
  private launcher: HTMLButtonElement;
  private label: HTMLElement;
  private title: HTMLElement;
  private close: HTMLButtonElement;
  private away: HTMLElement;
  private greeting: HTMLElement;
  private log: HTMLElement;
  private typingNote: HTMLElement;
  private note: HTMLElement;
  private intro: HTMLElement;
  private pre: HTMLFormElement;
  private composer: HTMLFormElement;
  private input: HTMLTextAreaElement;
  private items: Item[] = [];
  private byKey = new Map<string, Item>();
  private typingTimer = 0;
  private teamName = "";
  /** Elements showing a sentence of the catalogue (as their text, or an attribute): worded again when the language changes. */
  private worded: [HTMLElement, Key, string?][] = [];

  onToggle = (_open: boolean) => {};
  onPreChat = (_form: PreChat) => {};
  onSend = (_body: string) => {};
  onTyping = () => {};

  constructor() {
    const host = document.createElement("parley-chat");
    this.root = host.attachShadow({ mode: "open" });
    this.label = h("span", { class: "lb" });
    this.launcher = this.word(h("button", { class: "launcher", type: "button" }), "openChat", "aria-label");
    this.launcher.innerHTML =
      '<svg viewBox="0 0 24 24" width="26" height="26" aria-hidden="true"><path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/></svg>';
    this.launcher.append(this.label);
    this.title = h("h2", { id: "t" });
    this.close = this.word(h("button", { class: "x", type: "button" }, "×"), "closeChat", "aria-label");
    this.away = h("p", { class: "away", hidden: "" });
    this.greeting = h("div", { class: "m a", dir: "auto", hidden: "" });
    // The greeting heads the thread; messages follow it.
    this.log = this.word(h("div", { class: "log", role: "log" }, this.greeting), "messages", "aria-label");
    this.typingNote = h("p", { class: "typing", hidden: "" });
    this.note = h("p", { class: "note", role: "alert", hidden: "" });
    this.intro = h("p");
    this.pre = h("form", { class: "pre", hidden: "", novalidate: "" });
    this.input = this.word(this.word(h("textarea", { rows: "1" }), "message", "aria-label"), "writeMessage", "placeholder");
    this.composer = h("form", { class: "composer", hidden: "" }, this.input, this.word(h("button", { type: "submit" }), "send"));
    this.panel = h(
      "section",
      // Focusable itself, so a click on its text keeps the keyboard in it (Tab, Escape).
      { class: "panel", role: "dialog", "aria-modal": "true", "aria-labelledby": "t", tabindex: "-1", hidden: "" },
      h("header", {}, this.title, this.close),
      this.away,
      this.log,
      this.typingNote,
      this.note,
      this.pre,
      this.composer,
    );
    // Hidden until dressed in the workspace's look, so it never shows in another first.
    this.frame = h("div", { class: "p", hidden: "" }, this.panel, this.launcher);
    // Safari before 16.4 cannot adopt a constructed sheet: it gets the element (which a strict CSP refuses).
    if (this.root.adoptedStyleSheets) {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      this.root.adoptedStyleSheets = [sheet];
    } else this.root.append(h("style", {}, CSS));
    this.root.append(this.frame);
    document.body.append(host);

    this.launcher.onclick = () => this.onToggle(true);
    this.close.onclick = () => this.onToggle(false);
    this.panel.onkeydown = (event) => {
      if (event.key === "Escape") this.onToggle(false);
      if (event.key === "Tab") this.trap(event);
    };
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
    const fit = () => this.fit();
    visualViewport?.addEventListener("resize", fit);
    visualViewport?.addEventListener("scroll", fit);
    phone.addEventListener("change", fit);
  }

  /** The workspace's look and texts (none when the config could not be fetched), in the current language. */
  dress(config?: Config) {
    if (config) {
      const { color, onColor, position, launcherLabel, teamName, greeting, awayText } = config.appearance;
      const style = this.frame.style;
      style.setProperty("--c", color);
      style.setProperty("--on", onColor);
      // White text on the brand colour means it reads on white too: the focus ring takes it; else the dark ink.
      style.setProperty("--ring", onColor === "#ffffff" ? color : "#1d2433");
      this.frame.classList.toggle("l", position === "left");
      this.label.textContent = launcherLabel;
      this.teamName = teamName;
      fill(this.greeting, greeting);
      fill(this.away, config.online ? "" : awayText);
      fill(this.intro, config.texts.prechatIntro);
    }
    this.frame.lang = language;
    this.title.textContent = this.teamName || t("chatWithUs");
    this.worded = this.worded.filter(([el]) => el.isConnected);
    for (const [el, key, attribute] of this.worded) {
      if (attribute) el.setAttribute(attribute, t(key));
      else el.textContent = t(key);
    }
    this.frame.hidden = false;
  }

  setOpen(open: boolean) {
    const hadFocus = this.root.activeElement !== null;
    this.panel.hidden = !open;
    this.launcher.hidden = open;
    if (open) (this.composer.hidden ? (this.pre.querySelector("input") ?? this.close) : this.input).focus();
    else if (hadFocus) this.launcher.focus();
    this.fit();
  }

  /** The pre-chat form as the workspace configured it (Email always, the rest unless "off"), keeping what was typed in it. */
  askWhoTheyAre(form: ChatForm) {
    const typed = new FormData(this.pre);
    const focused = this.pre.contains(this.root.activeElement) ? (this.root.activeElement as HTMLInputElement).name : "";
    this.pre.replaceChildren(this.intro);
    for (const [name, type, autocomplete] of FIELDS) {
      const rule = name === "email" ? "required" : form[name];
      if (rule === "off") continue;
      const id = `f-${name}`;
      const input = h("input", { id, name, type, autocomplete, "aria-describedby": `${id}-e` });
      input.value = (typed.get(name) as string | null) ?? "";
      if (rule === "required") input.required = true;
      const optional = rule === "optional" ? this.word(h("span", { class: "opt" }), "optional") : "";
      this.pre.append(h("div", { class: "f" }, this.word(h("label", { for: id }), name), optional, input, h("small", { id: `${id}-e`, class: "err" })));
    }
    this.pre.append(this.word(h("button", { type: "submit" }), "startChat"));
    this.pre.hidden = false;
    this.composer.hidden = true;
    this.pre.querySelector<HTMLInputElement>(`[name=${focused || "email"}]`)?.focus();
  }

  showIssues(issues: Issue[]) {
    for (const el of this.pre.querySelectorAll<HTMLElement>(".err")) el.textContent = "";
    for (const issue of issues) {
      const el = this.pre.querySelector(`#f-${issue.path}-e`);
      if (el) el.textContent = explain(issue.message, issue.path, issue.code);
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
    if (!stored) el.append(this.word(h("small", { class: "st" }), "waiting"));
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
    for (const item of this.items) item.el.remove();
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
    fill(this.note, text);
  }

  /** "Andy is typing…" until they stop, send, or go quiet. */
  agentTyping(name: string | null) {
    clearTimeout(this.typingTimer);
    fill(this.typingNote, name === null ? "" : t("typing", { name: name || t("agent") }));
    if (name !== null) this.typingTimer = window.setTimeout(() => this.agentTyping(null), 6_000);
  }

  /** Sets `el`'s text, or its `attribute`, to the sentence `key`, now and whenever the language changes. */
  private word<E extends HTMLElement>(el: E, key: Key, attribute?: string): E {
    this.worded.push([el, key, attribute]);
    if (attribute) el.setAttribute(attribute, t(key));
    else el.textContent = t(key);
    return el;
  }

  /** Tab and Shift+Tab go round the open dialog's controls and never out to the page behind it (it is modal). */
  private trap(event: KeyboardEvent) {
    const stops = [...this.panel.querySelectorAll<HTMLElement>("button,input,textarea")].filter((el) => el.getClientRects().length);
    const [first, last] = [stops[0], stops[stops.length - 1]];
    const at = this.root.activeElement;
    if (at !== this.panel && at !== (event.shiftKey ? first : last)) return;
    event.preventDefault();
    (event.shiftKey ? last : first)?.focus();
  }

  /**
   * On a phone the open widget is the whole screen, sized to the visual viewport (the part the
   * on-screen keyboard leaves, so the text box stays above it), and the page behind is held still.
   */
  private fit() {
    const full = !this.panel.hidden && phone.matches && visualViewport;
    this.panel.style.top = full ? `${full.offsetTop}px` : "";
    this.panel.style.height = full ? `${full.height}px` : "";
    holdPage(Boolean(full));
  }

  private remove(item: Item) {
    item.el.remove();
    this.items.splice(this.items.indexOf(item), 1);
    for (const [key, value] of this.byKey) if (value === item) this.byKey.delete(key);
  }
}
