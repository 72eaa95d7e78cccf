// Short confirmations and failures, announced to screen readers and gone after a few seconds.
import { useEffect, useState } from "hono/jsx/dom";
import { t } from "./i18n";

type Notice = { id: number; text: string; kind: "ok" | "error" };
let nextId = 1;
const listeners = new Set<(notices: Notice[]) => void>();
let current: Notice[] = [];

function publish(next: Notice[]) {
  current = next;
  listeners.forEach((l) => void l(current));
}

export function notify(text: string, kind: Notice["kind"] = "ok") {
  const notice = { id: nextId++, text, kind };
  publish([...current, notice]);
  setTimeout(() => publish(current.filter((n) => n !== notice)), kind === "error" ? 8000 : 4000);
}

/** Reports a failed action: the server's sentence when it gave one. */
export function notifyError(error: unknown) {
  notify(error instanceof Error ? error.message : t("common.somethingWentWrong"), "error");
}

export function Notices() {
  const [notices, setNotices] = useState<Notice[]>(current);
  useEffect(() => {
    listeners.add(setNotices);
    return () => {
      listeners.delete(setNotices);
    };
  }, []);
  return (
    <div class="notices" role="status" aria-live="polite">
      {notices.map((n) => (
        <p key={n.id} class={`notice ${n.kind}`}>
          {n.text}
        </p>
      ))}
    </div>
  );
}
