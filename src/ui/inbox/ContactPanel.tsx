// Who the conversation is with, beside the thread: details, custom fields, tags, consent and marketing lists,
// and a way to name an anonymous visitor.
import { useState } from "hono/jsx/dom";
import { api } from "../api";
import { FormError } from "../components";
import { PanelCustomFields, PanelLists } from "../contacts/ContactExtras";
import { contactName } from "../format";
import { notifyError } from "../notices";
import type { Contact, Conversation } from "../types";

// On narrow screens the panel starts folded so the thread keeps the room.
const WIDE = matchMedia("(min-width: 1101px)");

export function ContactPanel({ conversation, onChange }: { conversation: Conversation; onChange: (c: Conversation) => void }) {
  const contact = conversation.contact;
  const patchContact = async (changes: Partial<Contact>) => {
    if (!contact) return;
    try {
      const updated = await api<Contact>("PATCH", `/contacts/${contact.id}`, changes);
      onChange({ ...conversation, contact: updated });
    } catch (error) {
      notifyError(error);
    }
  };
  // An email or phone names the person: the API attaches (or merges) the contact for this conversation.
  const attach = async (field: "email" | "phone", value: string) => {
    onChange(await api<Conversation>("PUT", `/conversations/${conversation.id}/contact`, { [field]: value }));
  };

  return (
    <aside class="contact-panel" aria-label="Contact">
      <details open={WIDE.matches}>
        <summary>
          <h2>{contactName(contact) ?? "Anonymous visitor"}</h2>
        </summary>
        {conversation.identityVerified === true ? (
          <p class="verified" title="The website vouched for this visitor's email with a valid identity hash">
            ✓ Identity verified
          </p>
        ) : conversation.identityVerified === false ? (
          <p class="unverified">Identity not verified</p>
        ) : null}
        <dl>
          <dt>Email</dt>
          <dd>{contact?.email ? <a href={`mailto:${contact.email}`}>{contact.email}</a> : <AddValue label="Email" type="email" onSave={(v) => attach("email", v)} />}</dd>
          <dt>Phone</dt>
          <dd>{contact?.phone ? <a href={`tel:${contact.phone}`}>{contact.phone}</a> : <AddValue label="Phone" type="tel" onSave={(v) => attach("phone", v)} />}</dd>
          {contact ? (
            <>
              <dt>Account</dt>
              <dd>{contact.account || <span class="muted">None</span>}</dd>
            </>
          ) : null}
        </dl>
        {contact ? (
          <>
            <PanelCustomFields contact={contact} />
            <Tags tags={contact.tags} onChange={(tags) => patchContact({ tags })} />
            <label class="check">
              <input type="checkbox" checked={contact.marketingConsent} onChange={(e: Event) => patchContact({ marketingConsent: (e.target as HTMLInputElement).checked })} />
              Marketing consent
            </label>
            <PanelLists contact={contact} />
            <p>
              <a href={`/contacts/${contact.id}`}>Full profile</a>
            </p>
          </>
        ) : null}
      </details>
    </aside>
  );
}

/** "Click to add": a button that becomes a one-field form. */
function AddValue({ label, type, onSave }: { label: string; type: string; onSave: (value: string) => Promise<void> }) {
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!editing) {
    return (
      <button type="button" class="link" aria-label={`Add ${label.toLowerCase()}`} onClick={() => setEditing(true)}>
        Click to add
      </button>
    );
  }
  const submit = async (event: Event) => {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget as HTMLFormElement).get("value") ?? "").trim();
    if (!value) return;
    try {
      await onSave(value);
      setEditing(false);
    } catch (e) {
      setError(e instanceof Error ? e.message : "Not saved.");
    }
  };
  return (
    <form class="add-value" onSubmit={submit}>
      <input name="value" type={type} aria-label={label} required autoFocus />
      <button type="submit">Save</button>
      <button type="button" class="link" onClick={() => setEditing(false)}>
        Cancel
      </button>
      <FormError message={error} />
    </form>
  );
}

export function Tags({ tags, onChange }: { tags: string[]; onChange: (tags: string[]) => void }) {
  const add = (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const tag = String(new FormData(form).get("tag") ?? "").trim();
    if (tag && !tags.includes(tag)) onChange([...tags, tag]);
    form.reset();
  };
  return (
    <div class="tags">
      <h3>Tags</h3>
      <ul>
        {tags.map((t) => (
          <li key={t} class="tag">
            {t}
            <button type="button" aria-label={`Remove tag ${t}`} onClick={() => onChange(tags.filter((x) => x !== t))}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={add} class="add-tag">
        <input name="tag" aria-label="New tag" placeholder="Add a tag" maxLength={50} />
        <button type="submit" class="secondary">
          Add tag
        </button>
      </form>
    </div>
  );
}
