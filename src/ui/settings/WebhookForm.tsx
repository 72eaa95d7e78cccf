// Adding a webhook subscription, or changing one: its URL, the events it receives, whether it is on,
// and its signing secret (write-only once saved: an empty field keeps the stored one).
import { useEffect, useId, useRef, useState } from "hono/jsx/dom";
import { api } from "../api";
import { FormError, formValues } from "../components";
import { notify } from "../notices";
import type { WebhookInput, WebhookSubscription } from "../types";
import { SecretField } from "./SecretField";

/** The events a subscription can name, as the API spells them, with what each means. */
export const WEBHOOK_EVENTS = [
  { name: "contact.created", about: "A contact is added" },
  { name: "contact.updated", about: "A contact's details change" },
  { name: "contact.merged", about: "Two contacts become one" },
  { name: "conversation.created", about: "A conversation starts" },
  { name: "conversation.assigned", about: "A conversation is assigned or unassigned" },
  { name: "conversation.completed", about: "A conversation is marked done" },
  { name: "conversation.reopened", about: "A done conversation is reopened" },
  { name: "message.created", about: "A message is sent or received" },
  { name: "automation.entered", about: "A person enters an automation: the pre-chat form, or a workflow starting on their conversation" },
] as const;

const SECRET_HINT = "At least 16 characters. Each delivery is signed with it (X-Parley-Signature), so the receiving endpoint can check it came from Parley.";

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
      <legend>Events</legend>
      <label class="check all-events">
        <input ref={all} type="checkbox" checked={every} onChange={(e: Event) => onChange(new Set((e.target as HTMLInputElement).checked ? WEBHOOK_EVENTS.map((ev) => ev.name) : []))} />
        All events
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
                {ev.about}
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
    if (!chosen.length) return setError("Choose at least one event to send.");
    const secret = v.secret?.trim() ?? "";
    const fields: Partial<WebhookInput> = { url: v.url?.trim() ?? "", events: chosen, enabled: v.enabled === "on" };
    if (secret) fields.secret = secret;
    setBusy(true);
    try {
      const saved = editing ? await api<WebhookSubscription>("PATCH", `/webhooks/${subscription.id}`, fields) : await api<WebhookSubscription>("POST", "/webhooks", fields);
      notify(editing ? "Webhook saved." : "Webhook added.");
      onSaved(saved, secret);
    } catch (e) {
      setError(e instanceof Error ? e.message : "Not saved.");
    } finally {
      setBusy(false);
    }
  };

  const title = editing ? `Edit webhook ${subscription.url}` : "Add webhook";
  return (
    <form class={editing ? "stack webhook-form" : "card stack webhook-form"} onSubmit={submit} aria-label={title}>
      {editing ? null : <h3>Add webhook</h3>}
      <label>
        Endpoint URL
        <input name="url" type="url" required maxLength={2000} spellcheck={false} autocomplete="off" placeholder="https://crm.example.com/parley-events" value={subscription?.url ?? ""} />
      </label>
      {editing ? (
        <SecretField name="secret" label="New signing secret" stored={subscription.secret} generate minLength={16} placeholder="Saved; type or generate to replace" hint={SECRET_HINT} />
      ) : (
        <SecretField name="secret" label="Signing secret" stored="" generate required minLength={16} placeholder="At least 16 characters" hint={SECRET_HINT} />
      )}
      <EventPicker selected={events} onChange={setEvents} />
      <label class="check">
        <input type="checkbox" name="enabled" checked={subscription?.enabled ?? true} />
        Enabled (send events to this endpoint)
      </label>
      <FormError message={error} />
      <div class="row-actions">
        <button type="submit" disabled={busy}>
          {editing ? "Save webhook" : "Add webhook"}
        </button>
        {onCancel ? (
          <button type="button" class="link" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}
