// Webhooks for CRMs: each subscription names a URL and the events it wants; Parley POSTs each such
// event there, signed with the subscription's secret, and retries until a 2xx for a day. Per
// subscription: on/off, edit, delete, a test event and the log of its deliveries.
import { useEffect, useId, useState } from "hono/jsx/dom";
import { api } from "../api";
import { FormError, Time } from "../components";
import { notify } from "../notices";
import type { WebhookDelivery, WebhookSubscription } from "../types";
import { CopyButton } from "./CopyButton";
import { DeliveryLog } from "./DeliveryLog";
import { WEBHOOK_EVENTS, WebhookForm } from "./WebhookForm";

const message = (e: unknown, fallback: string) => (e instanceof Error ? e.message : fallback);

export function WebhookSettings() {
  const [items, setItems] = useState<WebhookSubscription[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const [formKey, setFormKey] = useState(0);
  const [created, setCreated] = useState<{ id: string; url: string; secret: string } | null>(null);

  const load = async () => {
    try {
      const { items } = await api<{ items: WebhookSubscription[] }>("GET", "/webhooks");
      setItems(items);
      setLoadError(null);
    } catch (e) {
      setLoadError(message(e, "The webhooks did not load."));
    }
  };
  useEffect(() => {
    load();
  }, []);

  if (!items) {
    return loadError ? (
      <div>
        <FormError message={loadError} />
        <button type="button" class="secondary" onClick={load}>
          Try again
        </button>
      </div>
    ) : (
      <p class="empty">Loading…</p>
    );
  }

  const formOpen = adding || !items.length;
  return (
    <div class="webhook-settings">
      <p>
        Parley sends the events you choose to your CRM or any other endpoint as they happen: a <code>POST</code> of JSON <code>{"{id, type, createdAt, data}"}</code>. Any answer but a 2xx is retried
        with backoff for a day.
      </p>
      <details class="advanced">
        <summary>Checking the signature</summary>
        <p>
          Each delivery has the header <code>X-Parley-Signature: t=&lt;unix seconds&gt;,v1=&lt;signature&gt;</code>, where the signature is the hex HMAC-SHA256 of{" "}
          <code>&lt;t&gt;.&lt;raw body&gt;</code> with the webhook's signing secret. Compute it over the body exactly as received, compare in constant time, and reject an old <code>t</code>. The same
          event can arrive more than once: its <code>id</code> stays the same.
        </p>
      </details>

      {created && items.some((s) => s.id === created.id) ? (
        <div class="card once" role="alert">
          <p>
            <strong>Webhook added for {created.url}.</strong> Give the receiving endpoint its signing secret now: it will not be shown again.
          </p>
          <div class="copy-row">
            <input readOnly value={created.secret} aria-label="Signing secret of the new webhook" onFocus={(e: Event) => (e.target as HTMLInputElement).select()} />
            <CopyButton text={created.secret} label="Copy secret" />
            <button type="button" class="link" onClick={() => setCreated(null)}>
              Dismiss
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
            Add webhook
          </button>
        </div>
      )}

      {items.length ? <h3>Subscriptions</h3> : null}
      {items.map((s) => (
        <WebhookCard key={s.id} subscription={s} onChanged={load} />
      ))}
    </div>
  );
}

function EventList({ events }: { events: string[] }) {
  if (WEBHOOK_EVENTS.every((e) => events.includes(e.name))) return <span class="event-chip">All events</span>;
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
      notify(enabled ? `Events go to ${s.url} again.` : `Paused: no events go to ${s.url}.`);
      await onChanged();
    } catch (e) {
      input.checked = !enabled;
      setError(message(e, "Not changed."));
    }
  };

  const remove = async () => {
    if (!confirm(`Delete the webhook to ${s.url}? Parley stops sending it events, and its delivery log is deleted.`)) return;
    setError(null);
    try {
      await api("DELETE", `/webhooks/${s.id}`);
      notify("Webhook deleted.");
      await onChanged();
    } catch (e) {
      setError(message(e, "Not deleted."));
    }
  };

  const sendTest = async () => {
    setError(null);
    setTesting(true);
    try {
      const d = await api<WebhookDelivery>("POST", `/webhooks/${s.id}/test`);
      if (d.status === "delivered") notify("Test event delivered: the endpoint answered with a 2xx status.");
      else if (d.lastStatus !== null || d.lastError) notify(`Test event not delivered yet (${d.lastStatus !== null ? `HTTP ${d.lastStatus}` : d.lastError}); Parley tries again.`, "error");
      else notify("Test event sent; its delivery is in the log below.");
    } catch (e) {
      setError(message(e, "The test event was not sent."));
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
            <span class="sr">Webhook </span>
            {s.url}
          </h4>
          {editing ? null : (
            <>
              <p class="webhook-events">
                <EventList events={s.events} />
              </p>
              <p class="muted small-text">
                {s.enabled ? "Sending" : "Paused: no events are sent"} · added <Time at={s.createdAt} />
              </p>
            </>
          )}
        </div>
        {editing ? null : (
          <div class="row-actions">
            <label class="check switch">
              <input type="checkbox" role="switch" checked={s.enabled} aria-describedby={`${id}-url`} onChange={(e: Event) => setEnabled(e.target as HTMLInputElement)} />
              Enabled
            </label>
            <button type="button" class="secondary" aria-describedby={`${id}-url`} onClick={() => setEditing(true)}>
              Edit
            </button>
            <button type="button" class="danger" aria-describedby={`${id}-url`} onClick={remove}>
              Delete
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
        <h5>Deliveries</h5>
        <button type="button" class="secondary" disabled={testing} aria-describedby={`${id}-url`} onClick={sendTest}>
          {testing ? "Sending test event…" : "Send test event"}
        </button>
      </div>
      <FormError message={error} />
      <DeliveryLog subscriptionId={s.id} label={`Deliveries to ${s.url}`} refreshKey={refreshKey} />
    </section>
  );
}
