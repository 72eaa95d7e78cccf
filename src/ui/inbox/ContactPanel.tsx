// Who the conversation is with, beside the thread: details, custom fields, tags, consent and marketing lists,
// and a way to name an anonymous visitor.
import { useState } from "hono/jsx/dom";
import { api } from "../api";
import { FormError, useFocusWhen } from "../components";
import { PanelCustomFields, PanelLists } from "../contacts/ContactExtras";
import { contactName } from "../format";
import { t } from "../i18n";
import { publishAnswer } from "../live";
import { notifyError } from "../notices";
import type { Contact, Conversation } from "../types";

// On narrow screens the panel starts folded so the thread keeps the room.
const WIDE = matchMedia("(min-width: 1101px)");

export function ContactPanel({ conversation }: { conversation: Conversation }) {
  const contact = conversation.contact;
  const patchContact = async (changes: Partial<Contact>) => {
    if (!contact) return;
    try {
      await publishAnswer(api<Contact>("PATCH", `/contacts/${contact.id}`, changes).then((updated) => ({ ...conversation, contact: updated })));
    } catch (error) {
      notifyError(error);
    }
  };
  // An email or phone names the person: the API attaches (or merges) the contact for this conversation.
  const attach = async (field: "email" | "phone", value: string) => {
    await publishAnswer(api<Conversation>("PUT", `/conversations/${conversation.id}/contact`, { [field]: value }));
  };

  return (
    <aside class="contact-panel" aria-label={t("inbox.contact")}>
      <details open={WIDE.matches}>
        <summary>
          <h2>{contactName(contact) ?? t("inbox.anonymousVisitor")}</h2>
        </summary>
        {conversation.identityVerified === true ? (
          <p class="verified" title={t("inbox.identityVerifiedTitle")}>
            ✓ {t("inbox.identityVerified")}
          </p>
        ) : conversation.identityVerified === false ? (
          <p class="unverified">{t("inbox.identityNotVerified")}</p>
        ) : null}
        <dl>
          <dt>{t("inbox.email")}</dt>
          <dd>
            {contact?.email ? (
              <a href={`mailto:${contact.email}`}>{contact.email}</a>
            ) : (
              <AddValue label={t("inbox.email")} addLabel={t("inbox.addEmail")} type="email" onSave={(v) => attach("email", v)} />
            )}
          </dd>
          <dt>{t("inbox.phone")}</dt>
          <dd>
            {contact?.phone ? <a href={`tel:${contact.phone}`}>{contact.phone}</a> : <AddValue label={t("inbox.phone")} addLabel={t("inbox.addPhone")} type="tel" onSave={(v) => attach("phone", v)} />}
          </dd>
          {contact ? (
            <>
              <dt>{t("inbox.account")}</dt>
              <dd>{contact.account || <span class="muted">{t("inbox.none")}</span>}</dd>
            </>
          ) : null}
        </dl>
        {contact ? (
          <>
            <PanelCustomFields contact={contact} />
            <Tags tags={contact.tags} onChange={(tags) => patchContact({ tags })} />
            <label class="check">
              <input type="checkbox" checked={contact.marketingConsent} onChange={(e: Event) => patchContact({ marketingConsent: (e.target as HTMLInputElement).checked })} />
              {t("inbox.marketingConsent")}
            </label>
            <PanelLists contact={contact} />
            <p>
              <a href={`/contacts/${contact.id}`}>{t("inbox.fullProfile")}</a>
            </p>
          </>
        ) : null}
      </details>
    </aside>
  );
}

/** "Add phone": a button that becomes a one-field form. */
function AddValue({ label, addLabel, type, onSave }: { label: string; addLabel: string; type: string; onSave: (value: string) => Promise<void> }) {
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const field = useFocusWhen<HTMLInputElement>(editing);
  if (!editing) {
    return (
      <button type="button" class="link" onClick={() => setEditing(true)}>
        {addLabel}
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
      setError(e instanceof Error ? e.message : t("inbox.notSaved"));
    }
  };
  return (
    <form class="add-value" onSubmit={submit}>
      <input ref={field} name="value" type={type} aria-label={label} required />
      <button type="submit">{t("inbox.save")}</button>
      <button type="button" class="link" onClick={() => setEditing(false)}>
        {t("inbox.cancel")}
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
      <h3>{t("inbox.tags")}</h3>
      <ul>
        {tags.map((tag) => (
          <li key={tag} class="tag">
            {tag}
            <button type="button" aria-label={t("inbox.removeTag", { tag })} onClick={() => onChange(tags.filter((x) => x !== tag))}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <form onSubmit={add} class="add-tag">
        <input name="tag" aria-label={t("inbox.newTag")} placeholder={t("inbox.addATag")} maxLength={50} />
        <button type="submit" class="secondary">
          {t("inbox.addTag")}
        </button>
      </form>
    </div>
  );
}
