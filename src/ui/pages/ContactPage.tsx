// One contact's profile: details to edit, every conversation on every channel, merging a duplicate.
import { useEffect, useState } from "hono/jsx/dom";
import { api, query } from "../api";
import { ChannelLabels, FormError, formValues, Tabs, Time } from "../components";
import { contactName, identityKind } from "../format";
import { t, tn } from "../i18n";
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
const tabs = (): { id: Tab; label: string }[] => [
  { id: "details", label: t("contacts.details") },
  { id: "conversations", label: t("contacts.conversations") },
  { id: "merge", label: t("contacts.merge") },
];

export function ContactPage({ id }: { id: string }) {
  const [contact, setContact] = useState<ContactWithIdentities | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>("details");

  const load = async () => {
    try {
      setContact(await api<ContactWithIdentities>("GET", `/contacts/${id}`));
    } catch (e) {
      setError(e instanceof Error ? e.message : t("contacts.notLoaded"));
    }
  };
  useEffect(() => {
    setTab("details");
    load();
  }, [id]);

  if (error) {
    return (
      <p class="empty" role="alert">
        {error} <a href="/contacts">{t("contacts.all")}</a>
      </p>
    );
  }
  if (!contact) return <p class="empty">{t("common.loading")}</p>;

  const save = async (changes: ContactPatch) => {
    const updated = await api<Contact>("PATCH", `/contacts/${id}`, changes);
    setContact({ ...contact, ...updated });
  };
  // Custom fields merge: a name set to null is removed, the others are added or replaced.
  const saveFields = (customFields: Record<string, CustomFieldValue | null>) => save({ customFields });

  return (
    <section class="page" aria-labelledby="contact-title">
      <p>
        <a href="/contacts">{t("contacts.back")}</a>
      </p>
      <h1 id="contact-title">{contactName(contact) ?? t("contacts.unnamedContact")}</h1>
      <Tabs label={t("contacts.tabs")} tabs={tabs()} current={tab} onSelect={setTab}>
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
      notify(t("contacts.saved"));
    } catch (e) {
      setError(e instanceof Error ? e.message : t("common.notSaved"));
    }
  };
  const remove = async () => {
    const name = contactName(contact) ?? t("contacts.thisContact");
    if (!confirm(tn("contacts.confirmDelete", RESTORE_DAYS, { name }))) return;
    try {
      await api("DELETE", `/contacts/${contact.id}`);
      notify(tn("contacts.deleted", RESTORE_DAYS, { name }));
      navigate("/contacts");
    } catch (e) {
      notifyError(e);
    }
  };
  const tagChange = (tags: string[]) => onSave({ tags }).catch(notifyError);
  return (
    <div class="details">
      <form class="grid" onSubmit={submit} aria-label={t("contacts.edit")} key={contact.updatedAt}>
        <label>
          {t("contacts.firstName")}
          <input name="firstName" value={contact.firstName ?? ""} maxLength={200} />
        </label>
        <label>
          {t("contacts.lastName")}
          <input name="lastName" value={contact.lastName ?? ""} maxLength={200} />
        </label>
        <label>
          {t("common.email")}
          <input name="email" type="email" value={contact.email ?? ""} />
        </label>
        <label>
          {t("contacts.phone")}
          <input name="phone" type="tel" value={contact.phone ?? ""} />
        </label>
        <label>
          {t("contacts.account")}
          <input name="account" value={contact.account ?? ""} maxLength={200} />
        </label>
        <label class="check">
          <input name="marketingConsent" type="checkbox" checked={contact.marketingConsent} />
          {t("contacts.marketingConsent")}
        </label>
        <FormError message={error} />
        <div class="row-actions">
          <button type="submit">{t("common.save")}</button>
          <button type="button" class="danger" onClick={remove}>
            {t("contacts.delete")}
          </button>
        </div>
      </form>
      <Tags tags={contact.tags} onChange={tagChange} />
      {contact.identities.length ? (
        <>
          <h3>{t("contacts.knownAs")}</h3>
          <ul class="identities">
            {contact.identities.map((i) => (
              <li key={`${i.kind}:${i.value}`}>
                <span class="kind">{identityKind(i.kind)}</span> {i.value}
                {i.proven ? null : <span class="unverified"> {t("contacts.notVerified")}</span>}
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
  if (!items) return <p class="empty">{t("common.loading")}</p>;
  if (!items.length) return <p class="empty">{t("contacts.noConversations")}</p>;
  return (
    <>
      <ul class="rows plain">
        {items.map((c) => (
          <li key={c.id} class="row">
            <a href={sms && c.channels.includes("sms") ? `/sms/${c.id}` : `/inbox/${c.id}?status=all`}>
              <span class="row-top">
                <span class="name">{c.subject || c.preview || t("contacts.noMessages")}</span>
                {c.status === "complete" ? (
                  <span class="done" role="img" aria-label={t("contacts.complete")}>
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
          {t("common.showMore")}
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
    const names = { from: contactName(other) ?? t("contacts.thatContact"), into: contactName(contact) ?? t("contacts.thisContact") };
    if (!confirm(t("contacts.mergeConfirm", names))) return;
    try {
      await api("POST", `/contacts/${contact.id}/merge`, { from: other.id });
      notify(t("contacts.merged", names));
      onMerged();
    } catch (e) {
      setError(e instanceof Error ? e.message : t("contacts.notMerged"));
    }
  };
  return (
    <div class="merge">
      <p>{t("contacts.mergeHelp")}</p>
      <input type="search" aria-label={t("contacts.mergeSearch")} placeholder={t("contacts.searchPlaceholder")} value={q} onInput={(e: Event) => setQ((e.target as HTMLInputElement).value)} />
      <FormError message={error} />
      <ul class="merge-list">
        {others.map((c) => (
          <li key={c.id}>
            <span>
              {contactName(c) ?? t("contacts.unnamed")} <span class="muted">{[c.email, c.phone].filter(Boolean).join(" · ")}</span>
            </span>
            <button type="button" class="secondary" onClick={() => merge(c)}>
              {t("contacts.mergeName", { name: contactName(c) ?? t("contacts.thisContact") })}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
