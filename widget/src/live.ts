// The visitor's socket to their conversation: reconnects with backoff (at once when the network
// comes back), resyncs from the last message seen, and sends the outbox oldest first, each once
// the one before it is acknowledged: the server stores them in the order written, and a resend
// after a dropped connection (same client id) is stored once.
import type { Outbox } from "./outbox";

const PING_EVERY_MS = 5_000;
const MAX_BACKOFF_MS = 15_000;

// biome-ignore lint/suspicious/noExplicitAny: frames are the server's JSON, read by their `type` where used; typing each would cost the widget bytes it must not grow by
export type Frame = { type: string; [key: string]: any };

/**
 * Calls `again` after a backoff doubling with each attempt, jittered so widgets cut off together
 * do not all come back at once. Offline, not at all: the network coming back is the moment.
 */
export function retryLater(again: () => void, attempt: number): number {
  return navigator.onLine ? window.setTimeout(again, Math.min(MAX_BACKOFF_MS, 500 * 2 ** attempt) * (0.75 + Math.random() / 2)) : 0;
}

export class Live {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private pinger = 0;
  private timer = 0;
  /** Between sockets: a retry is due, or the network is awaited. */
  private waiting = false;
  private stopped = false;
  /** The room said ready: what is sent now is heard. */
  private up = false;
  /** Sent on this socket and not acknowledged yet: the next message waits for its ack. */
  private sending: string | null = null;

  /** `url` gives the socket address (resuming after the last message seen), or null when the chat cannot go on. */
  constructor(
    private url: () => Promise<string | null>,
    private onFrame: (frame: Frame) => void,
    private outbox: Outbox,
  ) {
    this.connect();
  }

  /** Sends the oldest message not acknowledged yet, unless it is on its way already. */
  flush() {
    const next = this.outbox.items[0];
    if (!this.up || !next || next.clientId === this.sending) return;
    this.sending = next.clientId;
    this.write({ type: "message", ...next });
  }

  typing(typing: boolean) {
    this.write({ type: "typing", typing });
  }

  /** The network is back: connect now, not when the backoff would. */
  wake() {
    if (!this.waiting) return;
    clearTimeout(this.timer);
    this.attempt = 0;
    this.connect();
  }

  /** Offline: nothing gets through this socket any more, and frames sent on it would sit in the browser. */
  drop() {
    if (this.ws) this.end(this.ws);
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    this.drop();
  }

  private write(frame: object) {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  /** Stored, or refused for good: the next one may go. */
  private settle(clientId: string) {
    this.outbox.drop(clientId);
    if (this.sending === clientId) this.sending = null;
    this.flush();
  }

  private async connect() {
    this.waiting = false;
    const url = await this.url().catch(() => undefined);
    if (this.stopped || url === null) return;
    if (url === undefined) return this.retry();
    const ws = (this.ws = new WebSocket(url));
    let heard = 0;
    let pinged = 0;
    ws.onmessage = (event) => {
      heard = Date.now();
      const frame: Frame = JSON.parse(event.data);
      if (frame.type === "ready") {
        this.attempt = 0;
        this.up = true;
        this.sending = null;
      }
      if (frame.type === "ack") this.settle(frame.clientId);
      if (frame.type === "error" && frame.clientId) {
        // Not stored this time (the database was busy): send it again shortly. Any other refusal
        // is final; the page shows why and gives the text back.
        if (frame.code !== "not_stored") this.settle(frame.clientId);
        else
          setTimeout(() => {
            if (this.sending !== frame.clientId) return;
            this.sending = null;
            this.flush();
          }, 2_000);
      }
      this.onFrame(frame);
      // After the page has what it missed, which may be the stored copy of what it is about to resend.
      if (frame.type === "ready") this.flush();
    };
    ws.onopen = () => {
      this.pinger = window.setInterval(() => {
        // Not a word since the last ping, not even its pong: the connection died without closing.
        if (heard < pinged) return this.end(ws);
        pinged = Date.now();
        this.write({ type: "ping" });
      }, PING_EVERY_MS);
    };
    ws.onclose = () => this.end(ws);
  }

  /** Done with this socket, however it ended; a dead one may not say it closed for a long while, so it is not waited for. */
  private end(ws: WebSocket) {
    ws.onopen = ws.onmessage = ws.onclose = null;
    ws.close(1000);
    clearInterval(this.pinger);
    this.ws = null;
    this.up = false;
    if (!this.stopped) this.retry();
  }

  private retry() {
    this.waiting = true;
    this.timer = retryLater(() => this.connect(), this.attempt++);
  }
}
