// One contact's profile: details to edit, every conversation on every channel, merging a duplicate.
import { useEffect, useState } from "hono/jsx/dom";
import { api, query } from "../api";
import { ChannelLabels, FormError, formValues, Tabs, Time } from "../components";
import { contactName } from "../format";
import { CustomFieldsEditor } from "../contacts/CustomFieldsEditor";
import { MarketingLists } from "../contacts/MarketingLists";
import { PrivacyActions } from "../contacts/PrivacyActions";
import { Tags } from "../inbox/ContactPanel";
import { notify, notifyError } from "../notices";
import { RESTORE_DAYS } from "../privacy";
import { navigate } from "../router";
import { useUser } from "../session";
import type { Contact, ContactWithIdentities, Conversation, CustomFieldValue, Page } from "../types";
import { useContactSearch } from "./ContactsPage";

/** A PATCH: custom fields merge, a name set to null is removed. */
type ContactPatch = Omit<Partial<Contact>, "customFields"> & { customFields?: Record<string, CustomFieldValue | null> };

type Tab = "details" | "conversations" | "merge";
const TABS: { id: Tab; label: string }[] = [
  { id: "details", label: "Details" },
  { id: "conversations", label: "Conversations" },
  { id: "merge", label: "Merge" },
];

export function ContactPage({ id }: { id: string }) {
  const [contact, setContact] = useState<ContactWithIdentities | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>("details");

  const load = async () => {
    try {
      setContact(await api<ContactWithIdentities>("GET", `/contacts/${id}`));
    } catch (e) {
      setError(e instanceof Error ? e.message : "This contact could not be loaded.");
    }
  };
  useEffect(() => {
    setTab("details");
    load();
  }, [id]);

  if (error) {
    return (
      <p class="empty" role="alert">
        {error} <a href="/contacts">All contacts</a>
      </p>
    );
  }
  if (!contact) return <p class="empty">Loading…</p>;

  const save = async (changes: ContactPatch) => {
    const updated = await api<Contact>("PATCH", `/contacts/${id}`, changes);
    setContact({ ...contact, ...updated });
  };
  // Custom fields merge: a name set to null is removed, the others are added or replaced.
  const saveFields = (customFields: Record<string, CustomFieldValue | null>) => save({ customFields });

  return (
    <section class="page" aria-labelledby="contact-title">
      <p>
        <a href="/contacts">← Contacts</a>
      </p>
      <h1 id="contact-title">{contactName(contact) ?? "Unnamed contact"}</h1>
      <Tabs label="Contact" tabs={TABS} current={tab} onSelect={setTab}>
        {tab === "details" ? <Details contact={contact} onSave={save} onSaveFields={saveFields} onLists={setContact} /> : null}
        {tab === "conversations" ? <Conversations contactId={id} /> : null}
        {tab === "merge" ? (
          <Merge
            contact={contact}
            onMerged={() => {
              load();
              setTab("conversations");
            }}
          />
        ) : null}
      </Tabs>
    </section>
  );
}

function Details(props: {
  contact: ContactWithIdentities;
  onSave: (changes: Partial<Contact>) => Promise<void>;
  onSaveFields: (changes: Record<string, CustomFieldValue | null>) => Promise<void>;
  onLists: (next: ContactWithIdentities) => void;
}) {
  const { contact, onSave } = props;
  const admin = useUser().role === "admin";
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: Event) => {
    const v = formValues(event);
    setError(null);
    try {
      await onSave({
        firstName: v.firstName || null,
        lastName: v.lastName || null,
        email: v.email || null,
        phone: v.phone || null,
        account: v.account || null,
        marketingConsent: v.marketingConsent === "on",
      });
      notify("Contact saved.");
    } catch (e) {
      setError(e instanceof Error ? e.message : "Not saved.");
    }
  };
  const remove = async () => {
    const name = contactName(contact) ?? "this contact";
    if (
      !confirm(
        `Delete ${name}? Their conversations stay, without a contact. For ${RESTORE_DAYS} days you can restore them, with their addresses, lists and conversations, from Contacts → Recently deleted.`,
      )
    )
      return;
    try {
      await api("DELETE", `/contacts/${contact.id}`);
      notify(`${name} deleted. You can restore them for ${RESTORE_DAYS} days from Recently deleted.`);
      navigate("/contacts");
    } catch (e) {
      notifyError(e);
    }
  };
  const tagChange = (tags: string[]) => onSave({ tags }).catch(notifyError);
  return (
    <div class="details">
      <form class="grid" onSubmit={submit} aria-label="Edit contact" key={contact.updatedAt}>
        <label>
          First name
          <input name="firstName" value={contact.firstName ?? ""} maxLength={200} />
        </label>
        <label>
          Last name
          <input name="lastName" value={contact.lastName ?? ""} maxLength={200} />
        </label>
        <label>
          Email
          <input name="email" type="email" value={contact.email ?? ""} />
        </label>
        <label>
          Phone
          <input name="phone" type="tel" value={contact.phone ?? ""} />
        </label>
        <label>
          Account
          <input name="account" value={contact.account ?? ""} maxLength={200} />
        </label>
        <label class="check">
          <input name="marketingConsent" type="checkbox" checked={contact.marketingConsent} />
          Marketing consent
        </label>
        <FormError message={error} />
        <div class="row-actions">
          <button type="submit">Save</button>
          <button type="button" class="danger" onClick={remove}>
            Delete contact
          </button>
        </div>
      </form>
      <Tags tags={contact.tags} onChange={tagChange} />
      {contact.identities.length ? (
        <>
          <h3>Known as</h3>
          <ul class="identities">
            {contact.identities.map((i) => (
              <li key={`${i.kind}:${i.value}`}>
                <span class="kind">{i.kind}</span> {i.value}
                {i.proven ? null : <span class="unverified"> not verified</span>}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <CustomFieldsEditor fields={contact.customFields ?? {}} onPatch={props.onSaveFields} />
      <MarketingLists contact={contact} onChange={props.onLists} />
      {admin ? <PrivacyActions contact={contact} /> : null}
    </div>
  );
}

function Conversations({ contactId }: { contactId: string }) {
  // Admins read SMS conversations in the SMS inbox.
  const sms = useUser().role === "admin";
  const [items, setItems] = useState<Conversation[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const load = async (cursor?: string) => {
    try {
      const page = await api<Page<Conversation>>("GET", `/contacts/${contactId}/conversations${query({ cursor, limit: 50 })}`);
      setItems((old) => (cursor && old ? [...old, ...page.items] : page.items));
      setNextCursor(page.nextCursor);
    } catch (e) {
      notifyError(e);
    }
  };
  useEffect(() => {
    load();
  }, [contactId]);
  if (!items) return <p class="empty">Loading…</p>;
  if (!items.length) return <p class="empty">No conversations yet.</p>;
  return (
    <>
      <ul class="rows plain">
        {items.map((c) => (
          <li key={c.id} class="row">
            <a href={sms && c.channels.includes("sms") ? `/sms/${c.id}` : `/inbox/${c.id}?status=all`}>
              <span class="row-top">
                <span class="name">{c.subject || c.preview || "(no messages)"}</span>
                {c.status === "complete" ? (
                  <span class="done" role="img" aria-label="Complete">
                    ✓
                  </span>
                ) : null}
                <Time at={c.lastMessageAt} />
              </span>
              <ChannelLabels channels={c.channels} />
            </a>
          </li>
        ))}
      </ul>
      {nextCursor ? (
        <button type="button" class="more" onClick={() => load(nextCursor)}>
          Show more
        </button>
      ) : null}
    </>
  );
}

function Merge({ contact, onMerged }: { contact: Contact; onMerged: () => void }) {
  const [q, setQ] = useState("");
  const [error, setError] = useState<string | null>(null);
  const { items } = useContactSearch(q);
  const others = items.filter((c) => c.id !== contact.id);
  const merge = async (other: Contact) => {
    const names = `${contactName(other) ?? "that contact"} into ${contactName(contact) ?? "this contact"}`;
    if (!confirm(`Merge ${names}? Their conversations and addresses move here; this cannot be undone.`)) return;
    try {
      await api("POST", `/contacts/${contact.id}/merge`, { from: other.id });
      notify(`Merged ${names}.`);
      onMerged();
    } catch (e) {
      setError(e instanceof Error ? e.message : "Not merged.");
    }
  };
  return (
    <div class="merge">
      <p>Find the duplicate. Its conversations, email addresses and phone numbers move to this contact, and the duplicate goes away.</p>
      <input type="search" aria-label="Find the contact to merge" placeholder="Search name, email or phone" value={q} onInput={(e: Event) => setQ((e.target as HTMLInputElement).value)} />
      <FormError message={error} />
      <ul class="merge-list">
        {others.map((c) => (
          <li key={c.id}>
            <span>
              {contactName(c) ?? "Unnamed"} <span class="muted">{[c.email, c.phone].filter(Boolean).join(" · ")}</span>
            </span>
            <button type="button" class="secondary" onClick={() => merge(c)} aria-label={`Merge ${contactName(c) ?? "this contact"} into this one`}>
              Merge into this one
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
