// Adding a webhook subscription, or changing one: its URL, the events it receives, whether it is on,
// and its signing secret (write-only once saved: an empty field keeps the stored one).
import { useEffect, useId, useRef, useState } from "hono/jsx/dom";
import { api } from "../api";
import { FormError, formValues } from "../components";
import { t } from "../i18n";
import { notify } from "../notices";
import type { WebhookInput, WebhookSubscription } from "../types";
import { SecretField } from "./SecretField";
import { failureText } from "./useSettings";

/** The events a subscription can name, as the API spells them, with the catalogue key of what each means. */
export const WEBHOOK_EVENTS = [
  { name: "contact.created", about: "settings.eventContactCreated" },
  { name: "contact.updated", about: "settings.eventContactUpdated" },
  { name: "contact.merged", about: "settings.eventContactMerged" },
  { name: "conversation.created", about: "settings.eventConversationCreated" },
  { name: "conversation.assigned", about: "settings.eventConversationAssigned" },
  { name: "conversation.completed", about: "settings.eventConversationCompleted" },
  { name: "conversation.reopened", about: "settings.eventConversationReopened" },
  { name: "message.created", about: "settings.eventMessageCreated" },
  { name: "automation.entered", about: "settings.eventAutomationEntered" },
] as const;

/** The events as checkboxes, with "All events" ticking or clearing them together. */
function EventPicker({ selected, onChange }: { selected: Set<string>; onChange: (next: Set<string>) => void }) {
  const prefix = useId();
  const all = useRef<HTMLInputElement>(null);
  const every = WEBHOOK_EVENTS.every((e) => selected.has(e.name));
  const some = WEBHOOK_EVENTS.some((e) => selected.has(e.name));
  useEffect(() => {
    if (all.current) all.current.indeterminate = some && !every;
  });
  const toggle = (name: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(name);
    else next.delete(name);
    onChange(next);
  };
  return (
    <fieldset class="events-picker">
      <legend>{t("settings.webhookEvents")}</legend>
      <label class="check all-events">
        <input ref={all} type="checkbox" checked={every} onChange={(e: Event) => onChange(new Set((e.target as HTMLInputElement).checked ? WEBHOOK_EVENTS.map((ev) => ev.name) : []))} />
        {t("settings.webhookAllEvents")}
      </label>
      <div class="event-grid">
        {WEBHOOK_EVENTS.map((ev) => (
          <label key={ev.name} class="check">
            <input
              type="checkbox"
              name="events"
              value={ev.name}
              checked={selected.has(ev.name)}
              aria-labelledby={`${prefix}-${ev.name}-name`}
              aria-describedby={`${prefix}-${ev.name}-about`}
              onChange={(e: Event) => toggle(ev.name, (e.target as HTMLInputElement).checked)}
            />
            <span>
              <code id={`${prefix}-${ev.name}-name`}>{ev.name}</code>
              <small id={`${prefix}-${ev.name}-about`} class="muted">
                {t(ev.about)}
              </small>
            </span>
          </label>
        ))}
      </div>
    </fieldset>
  );
}

/** Without `subscription`, the "Add webhook" form; with it, the form that changes it. */
export function WebhookForm({ subscription, onSaved, onCancel }: { subscription?: WebhookSubscription; onSaved: (saved: WebhookSubscription, secret: string) => void; onCancel?: () => void }) {
  const [events, setEvents] = useState<Set<string>>(new Set(subscription?.events ?? []));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const editing = !!subscription;

  const submit = async (event: Event) => {
    const v = formValues(event);
    setError(null);
    // In the order the API lists them, whatever order they were ticked in.
    const chosen = WEBHOOK_EVENTS.map((e) => e.name).filter((name) => events.has(name));
    if (!chosen.length) return setError(t("settings.webhookChooseEvent"));
    const secret = v.secret?.trim() ?? "";
    const fields: Partial<WebhookInput> = { url: v.url?.trim() ?? "", events: chosen, enabled: v.enabled === "on" };
    if (secret) fields.secret = secret;
    setBusy(true);
    try {
      const saved = editing ? await api<WebhookSubscription>("PATCH", `/webhooks/${subscription.id}`, fields) : await api<WebhookSubscription>("POST", "/webhooks", fields);
      notify(editing ? t("settings.webhookSaved") : t("settings.webhookAdded"));
      onSaved(saved, secret);
    } catch (e) {
      setError(failureText(e, t("common.notSaved")));
    } finally {
      setBusy(false);
    }
  };

  const title = editing ? t("settings.webhookEditNamed", { url: subscription.url }) : t("settings.webhookAdd");
  return (
    <form class={editing ? "stack webhook-form" : "card stack webhook-form"} onSubmit={submit} aria-label={title}>
      {editing ? null : <h3>{t("settings.webhookAdd")}</h3>}
      <label>
        {t("settings.webhookEndpoint")}
        <input name="url" type="url" required maxLength={2000} spellcheck={false} autocomplete="off" placeholder="https://crm.example.com/parley-events" value={subscription?.url ?? ""} />
      </label>
      {editing ? (
        <SecretField
          name="secret"
          label={t("settings.webhookNewSecret")}
          stored={subscription.secret}
          generate
          minLength={16}
          placeholder={t("settings.webhookSecretReplace")}
          hint={t("settings.webhookSecretHint")}
        />
      ) : (
        <SecretField name="secret" label={t("settings.webhookSecret")} stored="" generate required minLength={16} placeholder={t("settings.webhookSecretMin")} hint={t("settings.webhookSecretHint")} />
      )}
      <EventPicker selected={events} onChange={setEvents} />
      <label class="check">
        <input type="checkbox" name="enabled" checked={subscription?.enabled ?? true} />
        {t("settings.webhookEnabled")}
      </label>
      <FormError message={error} />
      <div class="row-actions">
        <button type="submit" disabled={busy}>
          {editing ? t("settings.webhookSave") : t("settings.webhookAdd")}
        </button>
        {onCancel ? (
          <button type="button" class="link" onClick={onCancel}>
            {t("common.cancel")}
          </button>
        ) : null}
      </div>
    </form>
  );
}
