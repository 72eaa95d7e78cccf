// Webhooks for CRMs: each subscription names a URL and the events it wants; Parley POSTs each such
// event there, signed with the subscription's secret, and retries until a 2xx for a day. Per
// subscription: on/off, edit, delete, a test event and the log of its deliveries.
import { useId, useState } from "hono/jsx/dom";
import { api } from "../api";
import { FormError, Time, useNewest } from "../components";
import { t } from "../i18n";
import { notify } from "../notices";
import type { WebhookDelivery, WebhookSubscription } from "../types";
import { CopyButton } from "./CopyButton";
import { DeliveryLog } from "./DeliveryLog";
import { failureText } from "./useSettings";
import { WEBHOOK_EVENTS, WebhookForm } from "./WebhookForm";

export function WebhookSettings() {
  const [items, setItems] = useState<WebhookSubscription[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [formKey, setFormKey] = useState(0);
  const [created, setCreated] = useState<{ id: string; url: string; secret: string } | null>(null);

  const load = useNewest(
    () => api<{ items: WebhookSubscription[] }>("GET", "/webhooks"),
    ({ items }) => {
      setItems(items);
      setLoadError(null);
    },
    (e) => setLoadError(failureText(e, t("settings.webhooksNotLoaded"))),
  );

  if (!items) {
    return loadError ? (
      <div>
        <FormError message={loadError} />
        <button type="button" class="secondary" onClick={load}>
          {t("settings.tryAgain")}
        </button>
      </div>
    ) : (
      <p class="empty">{t("common.loading")}</p>
    );
  }

  const formOpen = adding || !items.length;
  return (
    <div class="webhook-settings">
      <p>
        {t("settings.webhooksAboutSends")}
        <code>POST</code>
        {t("settings.webhooksAboutJson")}
        <code>{"{id, type, createdAt, data}"}</code>
        {t("settings.webhooksAboutRetried")}
      </p>
      <details class="advanced">
        <summary>{t("settings.webhooksSignatureTitle")}</summary>
        <p>
          {t("settings.webhooksSignatureHeader")}
          <code>{t("settings.webhooksSignatureFormat")}</code>
          {t("settings.webhooksSignatureOf")}
          <code>{t("settings.webhooksSignatureSigned")}</code>
          {t("settings.webhooksSignatureCompute")}
          <code>t</code>
          {t("settings.webhooksSignatureOnce")}
          <code>id</code>
          {t("settings.webhooksSignatureSameId")}
        </p>
      </details>

      {created && items.some((s) => s.id === created.id) ? (
        <div class="card once" role="alert">
          <p>
            <strong>{t("settings.webhookAddedFor", { url: created.url })}</strong> {t("settings.webhookGiveSecret")}
          </p>
          <div class="copy-row">
            <input readOnly value={created.secret} aria-label={t("settings.webhookNewSecretLabel")} onFocus={(e: Event) => (e.target as HTMLInputElement).select()} />
            <CopyButton text={created.secret} label={t("settings.webhookCopySecret")} />
            <button type="button" class="link" onClick={() => setCreated(null)}>
              {t("settings.dismiss")}
            </button>
          </div>
        </div>
      ) : null}

      {formOpen ? (
        <WebhookForm
          key={`new-${formKey}`}
          onSaved={async (saved, secret) => {
            setCreated(secret ? { id: saved.id, url: saved.url, secret } : null);
            setAdding(false);
            setFormKey((k) => k + 1);
            await load();
          }}
          onCancel={items.length ? () => setAdding(false) : undefined}
        />
      ) : (
        <div class="row-actions">
          <button type="button" onClick={() => setAdding(true)}>
            {t("settings.webhookAdd")}
          </button>
        </div>
      )}

      {items.length ? <h3>{t("settings.webhookSubscriptions")}</h3> : null}
      {items.map((s) => (
        <WebhookCard key={s.id} subscription={s} onChanged={load} />
      ))}
    </div>
  );
}

function EventList({ events }: { events: string[] }) {
  if (WEBHOOK_EVENTS.every((e) => events.includes(e.name))) return <span class="event-chip">{t("settings.webhookAllEvents")}</span>;
  return (
    <>
      {events.map((e) => (
        <code key={e} class="event-chip">
          {e}
        </code>
      ))}
    </>
  );
}

function WebhookCard({ subscription: s, onChanged }: { subscription: WebhookSubscription; onChanged: () => Promise<void> }) {
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [testing, setTesting] = useState(false);
  const [refreshKey, setRefreshKey] = useState(0);
  const id = useId();
  const refreshLog = () => setRefreshKey((k) => k + 1);

  const setEnabled = async (input: HTMLInputElement) => {
    setError(null);
    const enabled = input.checked;
    try {
      await api("PATCH", `/webhooks/${s.id}`, { enabled });
      notify(enabled ? t("settings.webhookResumed", { url: s.url }) : t("settings.webhookPaused", { url: s.url }));
      await onChanged();
    } catch (e) {
      input.checked = !enabled;
      setError(failureText(e, t("settings.notChanged")));
    }
  };

  const remove = async () => {
    if (!confirm(t("settings.webhookDeleteConfirm", { url: s.url }))) return;
    setError(null);
    try {
      await api("DELETE", `/webhooks/${s.id}`);
      notify(t("settings.webhookDeleted"));
      await onChanged();
    } catch (e) {
      setError(failureText(e, t("settings.notDeleted")));
    }
  };

  const sendTest = async () => {
    setError(null);
    setTesting(true);
    try {
      const d = await api<WebhookDelivery>("POST", `/webhooks/${s.id}/test`);
      if (d.status === "delivered") notify(t("settings.webhookTestDelivered"));
      else if (d.lastStatus !== null || d.lastError) notify(t("settings.webhookTestNotDelivered", { answer: d.lastStatus !== null ? `HTTP ${d.lastStatus}` : (d.lastError ?? "") }), "error");
      else notify(t("settings.webhookTestSent"));
    } catch (e) {
      setError(failureText(e, t("settings.webhookTestNotSent")));
    } finally {
      setTesting(false);
      refreshLog();
    }
  };

  return (
    <section class={`card webhook${s.enabled ? "" : " paused"}`} aria-labelledby={`${id}-url`}>
      <div class="webhook-head">
        <div class="webhook-about">
          <h4 id={`${id}-url`} class="webhook-url">
            <span class="sr">{t("settings.webhookSr")}</span>
            {s.url}
          </h4>
          {editing ? null : (
            <>
              <p class="webhook-events">
                <EventList events={s.events} />
              </p>
              <p class="muted small-text">
                {s.enabled ? t("settings.webhookSending") : t("settings.webhookPausedState")} · {t("settings.webhookCreated")} <Time at={s.createdAt} />
              </p>
            </>
          )}
        </div>
        {editing ? null : (
          <div class="row-actions">
            <label class="check switch">
              <input type="checkbox" role="switch" checked={s.enabled} aria-describedby={`${id}-url`} onChange={(e: Event) => setEnabled(e.target as HTMLInputElement)} />
              {t("settings.enabled")}
            </label>
            <button type="button" class="secondary" aria-describedby={`${id}-url`} onClick={() => setEditing(true)}>
              {t("common.edit")}
            </button>
            <button type="button" class="danger" aria-describedby={`${id}-url`} onClick={remove}>
              {t("settings.delete")}
            </button>
          </div>
        )}
      </div>
      {editing ? (
        <WebhookForm
          subscription={s}
          onSaved={async () => {
            setEditing(false);
            await onChanged();
            refreshLog();
          }}
          onCancel={() => setEditing(false)}
        />
      ) : null}
      <div class="log-head">
        <h5>{t("settings.webhookDeliveries")}</h5>
        <button type="button" class="secondary" disabled={testing} aria-describedby={`${id}-url`} onClick={sendTest}>
          {testing ? t("settings.webhookTesting") : t("settings.webhookTest")}
        </button>
      </div>
      <FormError message={error} />
      <DeliveryLog subscriptionId={s.id} label={t("settings.webhookDeliveriesTo", { url: s.url })} refreshKey={refreshKey} />
    </section>
  );
}
