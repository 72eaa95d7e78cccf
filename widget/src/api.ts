// The widget's HTTP calls. The visitor token lives in the host page's localStorage (no
// third-party cookie) and travels in the X-Visitor-Token header.
import type { Language } from "../../src/domain/languages";
import { t } from "./words";

export type Rule = "optional" | "required" | "off";
export type ChatForm = { phone: Rule; account: Rule; fullName: Rule };
export type Session = { conversationId: string | null; identified: boolean };
/** A message as the widget is given it: the server's own shape (a type only, nothing of it is bundled). */
export type { VisitorMessageView as Shown } from "../../src/wire";
export type Issue = { path: string; message: string; code: string };
/** How the workspace dresses the widget, in the language asked for (the server resolves the defaults). */
export type Config = {
  chatForm: ChatForm;
  locale: Language;
  appearance: { color: string; onColor: string; position: "left" | "right"; launcherLabel: string; teamName: string; greeting: string; awayText: string };
  texts: { prechatIntro: string };
  online: boolean;
};

export class Refusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues: Issue[] = [],
  ) {
    super(message);
  }
}

const KEY = "parley.visitor";

export class Api {
  token: string | null = stored(KEY);

  constructor(readonly base: string) {}

  async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (body) headers["Content-Type"] = "application/json";
    if (this.token) headers["X-Visitor-Token"] = this.token;
    const res = await fetch(`${this.base}/api/widget${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const json = await res.json().catch(() => ({}));
    if (res.ok) return json;
    // A token unused for 30 days (or unknown) is dropped: the next call starts a new visitor.
    if (res.status === 401) this.keep(null);
    const error = json.error ?? {};
    throw new Refusal(res.status, error.code, error.message ?? t("failed"), error.details);
  }

  /** The visitor's token, asking for one the first time they need it. */
  async visitor(): Promise<string> {
    if (!this.token) this.keep((await this.call<{ token: string }>("POST", "/visitors")).token);
    return this.token!;
  }

  keep(token: string | null) {
    this.token = token;
    store(KEY, token);
  }

  liveUrl(conversationId: string, after: string | null): string {
    const query = new URLSearchParams({ token: this.token ?? "", conversation: conversationId });
    if (after) query.set("after", after);
    return `${this.base.replace(/^http/, "ws")}/api/widget/live?${query}`;
  }
}

// Storage may be refused (a sandboxed frame, private mode, a full quota): the chat still works for this page view.
export function stored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function store(key: string, value: string | null) {
  try {
    if (value) localStorage.setItem(key, value);
    else localStorage.removeItem(key);
  } catch {
    // Not kept: this page view still has it in memory.
  }
}
