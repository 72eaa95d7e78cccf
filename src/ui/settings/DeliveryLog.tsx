// A subscription's deliveries, newest first: when, which event, how it went, and when Parley tries
// again. Refreshed every few seconds while shown (and the browser tab is visible), and by the card's
// actions through `refreshKey`.
import { useEffect, useRef, useState } from "hono/jsx/dom";
import { api, query } from "../api";
import { FormError, Time } from "../components";
import { fullTime } from "../format";
import { formatNumber, t } from "../i18n";
import type { Page, WebhookDelivery } from "../types";
import { failureText } from "./useSettings";

const REFRESH_MS = 3_000;

const STATUS_LABELS = { pending: "settings.deliveryPending", delivered: "settings.deliveryDelivered", dead: "settings.deliveryDead" } as const;
const STATUS_ABOUT = { pending: "settings.deliveryPendingAbout", delivered: "settings.deliveryDeliveredAbout", dead: "settings.deliveryDeadAbout" } as const;

/** "due now", "in 40 s", "in 5 min", "in 3 h", or the time itself when further off. */
function untilText(at: number, now: number): string {
  const s = Math.round((at - now) / 1000);
  if (s <= 0) return t("settings.deliveryDueNow");
  if (s < 60) return t("settings.deliveryInSeconds", { n: formatNumber(s) });
  if (s < 3600) return t("settings.deliveryInMinutes", { n: formatNumber(Math.round(s / 60)) });
  if (s < 86_400) return t("settings.deliveryInHours", { n: formatNumber(Math.round(s / 3600)) });
  return fullTime(at);
}

/** The endpoint's HTTP status, and the error when it says more than the status does. */
function lastAnswer(d: WebhookDelivery): string {
  const status = d.lastStatus === null ? null : `HTTP ${d.lastStatus}`;
  const error = d.lastError && !(d.lastStatus !== null && d.lastError.includes(String(d.lastStatus))) ? d.lastError : null;
  const parts = [status, error].filter(Boolean);
  if (parts.length) return parts.join(" · ");
  return d.attempts ? "—" : t("settings.deliveryNotTried");
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
      setError(failureText(e, t("settings.deliveryLogNotLoaded")));
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
      setError(failureText(e, t("settings.deliveryOlderNotLoaded")));
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
      setError(failureText(e, t("settings.deliveryNotRetried")));
    } finally {
      setRetrying(null);
    }
  };

  if (!items) {
    return error ? <FormError message={error} /> : <p class="muted">{t("settings.deliveryLoading")}</p>;
  }
  return (
    <div class="delivery-log">
      <FormError message={error} />
      {items.length ? (
        <div class="table-scroll">
          <table aria-label={label}>
            <thead>
              <tr>
                <th scope="col">{t("settings.deliveryTime")}</th>
                <th scope="col">{t("settings.deliveryEvent")}</th>
                <th scope="col">{t("settings.deliveryStatus")}</th>
                <th scope="col">{t("settings.deliveryAttempts")}</th>
                <th scope="col">{t("settings.deliveryLastAnswer")}</th>
                <th scope="col">{t("settings.deliveryNextTry")}</th>
                <th scope="col">
                  <span class="sr">{t("settings.deliveryAction")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <tr key={d.id} class={`delivery ${d.status}`}>
                  <td data-label={t("settings.deliveryTime")}>
                    <Time at={d.createdAt} />
                  </td>
                  <td data-label={t("settings.deliveryEvent")}>
                    <code>{d.type}</code>
                  </td>
                  <td data-label={t("settings.deliveryStatus")}>
                    <span class={`delivery-status ${d.status}`} title={t(STATUS_ABOUT[d.status])}>
                      {t(STATUS_LABELS[d.status])}
                    </span>
                    {d.status === "delivered" && d.deliveredAt ? (
                      <span class="muted">
                        {" "}
                        <Time at={d.deliveredAt} />
                      </span>
                    ) : null}
                  </td>
                  <td class="num" data-label={t("settings.deliveryAttempts")}>
                    {formatNumber(d.attempts)}
                  </td>
                  <td class={d.status === "delivered" ? undefined : "last-answer"} data-label={t("settings.deliveryLastAnswer")}>
                    {lastAnswer(d)}
                  </td>
                  <td data-label={t("settings.deliveryNextTry")}>
                    {d.status === "pending" && d.nextAttemptAt !== null ? <span title={fullTime(d.nextAttemptAt)}>{untilText(d.nextAttemptAt, now)}</span> : <span class="muted">—</span>}
                  </td>
                  <td class="action">
                    {d.status === "delivered" ? null : (
                      <button type="button" class="secondary small" disabled={retrying === d.id} onClick={() => retry(d)}>
                        {t("settings.deliveryRetry")}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : (
        <p class="muted">{t("settings.deliveryNone")}</p>
      )}
      {older ? (
        <button type="button" class="link" onClick={more}>
          {t("settings.deliveryOlder")}
        </button>
      ) : null}
    </div>
  );
}
