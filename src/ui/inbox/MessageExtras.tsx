// What a channel keeps beside a message's text (its `meta`): attached files, the quoted part of
// an email, notes on what could not be kept as sent. Read defensively: meta is free-form.
import type { Message } from "../types";

type FileSummary = { id: string; filename: string; size: number };

const isFile = (f: unknown): f is FileSummary =>
  typeof f === "object" && f !== null && typeof (f as FileSummary).id === "string" && typeof (f as FileSummary).filename === "string";

function size(bytes: number): string {
  if (!(bytes >= 0)) return "";
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

export function MessageExtras({ meta }: { meta: Message["meta"] }) {
  const files = Array.isArray(meta.attachments) ? meta.attachments.filter(isFile) : [];
  const quoted = typeof meta.quoted === "string" && meta.quoted.trim() ? meta.quoted : null;
  const problems = Array.isArray(meta.problems) ? meta.problems.filter((p): p is string => typeof p === "string") : [];
  return (
    <>
      {quoted ? (
        <details class="quoted">
          <summary>Quoted text</summary>
          <p class="body">{quoted}</p>
        </details>
      ) : null}
      {files.length ? (
        <ul class="files" aria-label="Attachments">
          {files.map((f) => (
            <li key={f.id}>
              <a href={`/api/attachments/${encodeURIComponent(f.id)}`} download={f.filename}>
                {f.filename}
              </a>{" "}
              <span class="muted">{size(f.size)}</span>
            </li>
          ))}
        </ul>
      ) : null}
      {problems.map((p) => (
        <p key={p} class="note">
          {p}
        </p>
      ))}
    </>
  );
}
