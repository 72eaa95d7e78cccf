// A subscription's deliveries, newest first: when, which event, how it went, and when Parley tries
// again. Refreshed every few seconds while shown (and the browser tab is visible), and by the card's
// actions through `refreshKey`.
import { useEffect, useRef, useState } from "hono/jsx/dom";
import { api, query } from "../api";
import { FormError, Time } from "../components";
import { fullTime } from "../format";
import type { Page, WebhookDelivery } from "../types";

const REFRESH_MS = 3_000;

const STATUS_LABELS: Record<WebhookDelivery["status"], string> = { pending: "Pending", delivered: "Delivered", dead: "Gave up" };
const STATUS_ABOUT: Record<WebhookDelivery["status"], string> = {
  pending: "Not delivered yet: Parley tries again with backoff, for a day.",
  delivered: "The endpoint answered with a 2xx status.",
  dead: "No 2xx answer in a day of tries: Parley stopped trying.",
};

/** "now", "in 40 s", "in 5 min", "in 3 h", or the time itself when further off. */
function untilText(at: number, now: number): string {
  const s = Math.round((at - now) / 1000);
  if (s <= 0) return "due now";
  if (s < 60) return `in ${s} s`;
  if (s < 3600) return `in ${Math.round(s / 60)} min`;
  if (s < 86_400) return `in ${Math.round(s / 3600)} h`;
  return fullTime(at);
}

/** The endpoint's HTTP status, and the error when it says more than the status does. */
function lastAnswer(d: WebhookDelivery): string {
  const status = d.lastStatus === null ? null : `HTTP ${d.lastStatus}`;
  const error = d.lastError && !(d.lastStatus !== null && d.lastError.includes(String(d.lastStatus))) ? d.lastError : null;
  const parts = [status, error].filter(Boolean);
  if (parts.length) return parts.join(" · ");
  return d.attempts ? "—" : "Not tried yet";
}

export function DeliveryLog({ subscriptionId, label, refreshKey }: { subscriptionId: string; label: string; refreshKey: number }) {
  const [items, setItems] = useState<WebhookDelivery[] | null>(null);
  const [older, setOlder] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [retrying, setRetrying] = useState<string | null>(null);
  const [now, setNow] = useState(Date.now());
  // The refresh reloads the newest page and keeps older pages the admin opened below it.
  const loadedOlder = useRef<WebhookDelivery[]>([]);
  const base = `/webhooks/${subscriptionId}/deliveries`;

  const refresh = async () => {
    try {
      const page = await api<Page<WebhookDelivery>>("GET", base);
      const fresh = new Set(page.items.map((d) => d.id));
      const kept = loadedOlder.current.filter((d) => !fresh.has(d.id));
      setItems([...page.items, ...kept]);
      if (!kept.length) setOlder(page.nextCursor);
      setNow(Date.now());
      setError(null);
    } catch (e) {
      setError(e instanceof Error ? e.message : "The delivery log did not load.");
    }
  };

  useEffect(() => {
    refresh();
  }, [subscriptionId, refreshKey]);
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === "visible") refresh();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [subscriptionId]);

  const more = async () => {
    if (!older) return;
    try {
      const page = await api<Page<WebhookDelivery>>("GET", base + query({ cursor: older }));
      loadedOlder.current = [...loadedOlder.current, ...page.items];
      setItems((shown) => [...(shown ?? []), ...page.items]);
      setOlder(page.nextCursor);
    } catch (e) {
      setError(e instanceof Error ? e.message : "Older deliveries did not load.");
    }
  };

  const retry = async (d: WebhookDelivery) => {
    setRetrying(d.id);
    setError(null);
    try {
      const updated = await api<WebhookDelivery>("POST", `${base}/${d.id}/retry`);
      loadedOlder.current = loadedOlder.current.map((x) => (x.id === updated.id ? updated : x));
      setItems((shown) => (shown ?? []).map((x) => (x.id === updated.id ? updated : x)));
      setNow(Date.now());
      // The attempt is due now: look again shortly for how it went.
      setTimeout(refresh, 1_000);
    } catch (e) {
      setError(e instanceof Error ? e.message : "The delivery was not retried.");
    } finally {
      setRetrying(null);
    }
  };

  if (!items) {
    return error ? <FormError message={error} /> : <p class="muted">Loading deliveries…</p>;
  }
  return (
    <div class="delivery-log">
      <FormError message={error} />
      {items.length ? (
        <div class="table-scroll">
          <table aria-label={label}>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Attempts</th>
                <th scope="col">Last answer</th>
                <th scope="col">Next try</th>
                <th scope="col">
                  <span class="sr">Action</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <tr key={d.id} class={`delivery ${d.status}`}>
                  <td data-label="Time">
                    <Time at={d.createdAt} />
                  </td>
                  <td data-label="Event">
                    <code>{d.type}</code>
                  </td>
                  <td data-label="Status">
                    <span class={`delivery-status ${d.status}`} title={STATUS_ABOUT[d.status]}>
                      {STATUS_LABELS[d.status]}
                    </span>
                    {d.status === "delivered" && d.deliveredAt ? (
                      <span class="muted">
                        {" "}
                        <Time at={d.deliveredAt} />
                      </span>
                    ) : null}
                  </td>
                  <td class="num" data-label="Attempts">
                    {d.attempts}
                  </td>
                  <td class={d.status === "delivered" ? undefined : "last-answer"} data-label="Last answer">
                    {lastAnswer(d)}
                  </td>
                  <td data-label="Next try">
                    {d.status === "pending" && d.nextAttemptAt !== null ? <span title={fullTime(d.nextAttemptAt)}>{untilText(d.nextAttemptAt, now)}</span> : <span class="muted">—</span>}
                  </td>
                  <td class="action">
                    {d.status === "delivered" ? null : (
                      <button type="button" class="secondary small" disabled={retrying === d.id} onClick={() => retry(d)}>
                        Retry now
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p class="muted">No deliveries yet. Send a test event to check the endpoint.</p>
      )}
      {older ? (
        <button type="button" class="link" onClick={more}>
          Show older deliveries
        </button>
      ) : null}
    </div>
  );
}
