// The workflow run of the conversation, beside the thread: which workflow, where it is and what it
// did, line by line. Fetched when the conversation opens (and after a reconnect); the room's
// `run.updated` frames keep it live. Nothing shows for a conversation no workflow ran in.
import { useEffect, useId, useState } from "hono/jsx/dom";
import { api } from "../api";
import { Time } from "../components";
import { formatNumber, t } from "../i18n";
import { useUser } from "../session";
import type { Run } from "../types";
import { logLine, stoppedBy } from "./runLog";

const WIDE = matchMedia("(min-width: 1101px)");

/** The newer of two views of the run: the one with more done, the live one on a tie (frames come in order). */
function fresher(fetched: Run | null, live: Run | null): Run | null {
  if (!fetched || !live) return live ?? fetched;
  if (fetched.id !== live.id) return fetched.startedAt > live.startedAt ? fetched : live;
  return fetched.log.length > live.log.length ? fetched : live;
}

const STATES = { running: "inbox.runRunning", asking: "inbox.runAsking", waiting: "inbox.runWaiting", done: "inbox.runFinished", stopped: "inbox.runStopped" } as const;

/** The run's state in words: "Asking", "Finished", "Stopped: Olivia Owner replied"… */
export function runStatus(run: Run): string {
  if (run.status !== "stopped") return t(STATES[run.status]);
  // The run says why it stopped in its log.
  const by = stoppedBy(run);
  return by === null ? t(STATES.stopped) : t("inbox.runStoppedBy", { name: by });
}

export function AutomationPanel({ conversationId, liveRun, reconnects }: { conversationId: string; liveRun: Run | null; reconnects: number }) {
  const [fetched, setFetched] = useState<Run | null>(null);
  const user = useUser();
  const id = useId();
  useEffect(() => {
    let current = true;
    api<{ run: Run | null }>("GET", `/conversations/${conversationId}/automation`).then(
      ({ run }) => current && setFetched(run),
      // The panel is an aside: the conversation's own loading says when access or the network fails.
      () => {},
    );
    return () => {
      current = false;
    };
  }, [conversationId, reconnects]);

  const run = fresher(fetched, liveRun);
  if (!run) return null;
  const status = runStatus(run);
  const pending = run.until !== null && (run.status === "asking" || run.status === "waiting");
  const ended = run.status === "done" && run.endedAt !== null;
  return (
    <aside class="automation-panel" aria-labelledby={`${id}-title`}>
      <details open={WIDE.matches}>
        <summary>
          <h2 id={`${id}-title`}>{t("inbox.automationPanel")}</h2>
          <span class={`run-state ${run.status}`}>{run.status === "stopped" ? t(STATES.stopped) : status}</span>
        </summary>
        <p class="run-workflow">
          {user.role === "admin" ? <a href={`/settings/workflows/${run.workflowId}`}>{run.workflowName}</a> : <strong>{run.workflowName}</strong>}{" "}
          <span class="muted">{t("inbox.workflowVersion", { version: formatNumber(run.version) })}</span>
        </p>
        <p class="run-status" aria-live="polite">
          {ended ? (
            <>
              {t("inbox.runFinishedAt")} <Time at={run.endedAt!} />
            </>
          ) : pending ? (
            <>
              {t(run.status === "asking" ? "inbox.runAskingUntil" : "inbox.runWaitingUntil")} <Time at={run.until!} short={false} />
            </>
          ) : (
            status
          )}
        </p>
        <ol class="run-log" aria-label={t("inbox.runLog")}>
          {run.log.map((entry, i) => (
            <li key={`${entry.at}-${i}`}>
              <Time at={entry.at} />
              <span>{logLine(entry)}</span>
            </li>
          ))}
        </ol>
      </details>
    </aside>
  );
}
