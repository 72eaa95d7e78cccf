// Web chat as the widget and an agent's browser use it: the widget's HTTP API with a visitor
// token, and real WebSockets to the Worker.
import { exports } from "cloudflare:workers";
import { call } from "./helpers";

/** A new widget visitor: the token the widget would keep in the host page's localStorage. */
export async function newVisitor(): Promise<string> {
  const res = await call("POST", "/api/widget/visitors");
  if (res.status !== 201) throw new Error(`no visitor: ${JSON.stringify(res.json)}`);
  return res.json.token;
}

export function widget(token: string | null, method: string, path: string, body?: unknown) {
  return call(method, `/api/widget${path}`, { body, headers: token ? { "X-Visitor-Token": token } : {} });
}

let sent = 0;
/** A client message id, as the widget makes one. */
export const clientId = () => `c${Date.now().toString(36)}${(sent++).toString(36)}`;

/** Sends the visitor's first message over HTTP (that opens their conversation) and returns the conversation id. */
export async function startChat(token: string, body = "Hello, is anyone there?"): Promise<string> {
  const res = await widget(token, "POST", "/messages", { clientId: clientId(), body });
  if (res.status !== 201) throw new Error(`first message refused: ${JSON.stringify(res.json)}`);
  return res.json.conversationId;
}

export type Frame = { type: string; [key: string]: any };

/** A WebSocket client that keeps every frame it receives, to wait for the ones a test expects. */
export class Live {
  readonly frames: Frame[] = [];
  private listeners = new Set<() => void>();
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly ws: WebSocket) {
    ws.addEventListener("message", (event) => {
      this.frames.push(JSON.parse(event.data as string));
      for (const listener of this.listeners) listener();
    });
    this.closed = new Promise((resolve) => ws.addEventListener("close", (event) => resolve({ code: event.code, reason: event.reason })));
  }

  /** Opens a socket; a refused upgrade throws with the answer's status and JSON. */
  static async open(path: string, headers: Record<string, string> = {}): Promise<Live> {
    const res = await exports.default.fetch(`https://parley.test${path}`, { headers: { Upgrade: "websocket", ...headers } });
    if (!res.webSocket) throw Object.assign(new Error(`upgrade refused: ${res.status}`), { status: res.status, json: await res.json() });
    res.webSocket.accept();
    return new Live(res.webSocket);
  }

  /** The visitor's socket to their conversation, having seen messages up to `after`. */
  static visitor(token: string, conversationId: string, after?: string) {
    const query = new URLSearchParams({ token, conversation: conversationId, ...(after ? { after } : {}) });
    return Live.open(`/api/widget/live?${query}`);
  }

  send(frame: unknown) {
    this.ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
  }

  /** The first frame (received so far or next) that matches; fails the test after `ms`. */
  waitFor(match: (frame: Frame) => boolean, ms = 5_000): Promise<Frame> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.frames.find(match);
        if (!found) return false;
        this.listeners.delete(check);
        clearTimeout(timer);
        resolve(found);
        return true;
      };
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`no matching frame in ${ms} ms; got ${JSON.stringify(this.frames)}`));
      }, ms);
      if (!check()) this.listeners.add(check);
    });
  }

  /** Frames of one type, in the order they arrived. */
  all(type: string): Frame[] {
    return this.frames.filter((f) => f.type === type);
  }

  close() {
    this.ws.close(1000, "done");
  }
}

/** Frames about one message body. */
export const messageWith = (body: string) => (f: Frame) => f.type === "message.created" && f.message.body === body;
