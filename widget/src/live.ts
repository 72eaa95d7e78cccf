// The visitor's socket to their conversation: reconnects with backoff, resyncs from the last
// message seen, and resends whatever was not acknowledged (the client id makes a resend safe).

const PING_EVERY_MS = 5_000;
const MAX_BACKOFF_MS = 15_000;

export type Frame = { type: string; [key: string]: any };

export class Live {
  private ws: WebSocket | null = null;
  private attempt = 0;
  private pinger = 0;
  private stopped = false;
  /** Sent and not yet acknowledged, in the order written. */
  private unacked = new Map<string, string>();
  /** `url` gives the socket address (resuming after the last message seen), or null when the chat cannot go on. */
  constructor(
    private url: () => Promise<string | null>,
    private onFrame: (frame: Frame) => void,
  ) {
    this.connect();
  }

  send(clientId: string, body: string) {
    this.unacked.set(clientId, body);
    this.resend(clientId);
  }

  typing(typing: boolean) {
    this.write({ type: "typing", typing });
  }

  stop() {
    this.stopped = true;
    this.ws?.close(1000);
  }

  private resend(clientId: string) {
    const body = this.unacked.get(clientId);
    if (body !== undefined) this.write({ type: "message", clientId, body });
  }

  private write(frame: object) {
    if (this.ws?.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify(frame));
  }

  private async connect() {
    const url = await this.url().catch(() => undefined);
    if (this.stopped || url === null) return;
    if (url === undefined) return this.retry();
    const ws = (this.ws = new WebSocket(url));
    ws.onmessage = (event) => {
      const frame: Frame = JSON.parse(event.data);
      if (frame.type === "ready") {
        this.attempt = 0;
        for (const clientId of this.unacked.keys()) this.resend(clientId);
      }
      if (frame.type === "ack") this.unacked.delete(frame.clientId);
      if (frame.type === "error" && frame.clientId) {
        // Not stored this time (the database was busy): send it again shortly. Any other refusal
        // is final; the page shows why and gives the text back.
        if (frame.code === "not_stored") setTimeout(() => this.resend(frame.clientId), 2_000);
        else this.unacked.delete(frame.clientId);
      }
      this.onFrame(frame);
    };
    ws.onopen = () => {
      this.pinger = window.setInterval(() => this.write({ type: "ping" }), PING_EVERY_MS);
    };
    ws.onclose = () => {
      clearInterval(this.pinger);
      if (this.ws === ws && !this.stopped) this.retry();
    };
  }

  private retry() {
    const wait = Math.min(MAX_BACKOFF_MS, 500 * 2 ** this.attempt++) * (0.75 + Math.random() / 2);
    setTimeout(() => this.connect(), wait);
  }
}
