// Contacts: search everyone who ever wrote, add someone by hand, or restore someone deleted.
import { useEffect, useRef, useState } from "hono/jsx/dom";
import { api, query } from "../api";
import { FormError, formValues, Tabs } from "../components";
import { RecentlyDeleted, useDeletedContacts } from "../contacts/RecentlyDeleted";
import { contactName } from "../format";
import { formatNumber, t } from "../i18n";
import { notifyError } from "../notices";
import { navigate, useLocation } from "../router";
import type { Contact, Page } from "../types";

/** Contacts matching `q` (name, email or phone in any format), page by page. */
export function useContactSearch(q: string) {
  const [items, setItems] = useState<Contact[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  // Answers can come back out of order while someone types: only the latest search is shown.
  const latest = useRef(0);
  const load = async (cursor?: string) => {
    const mine = ++latest.current;
    setLoading(true);
    try {
      const page = await api<Page<Contact>>("GET", `/contacts${query({ q: q.trim(), cursor, limit: 30 })}`);
      if (mine !== latest.current) return;
      setItems((old) => (cursor ? [...old, ...page.items] : page.items));
      setNextCursor(page.nextCursor);
    } catch (error) {
      notifyError(error);
    } finally {
      if (mine === latest.current) setLoading(false);
    }
  };
  useEffect(() => {
    const timer = setTimeout(() => load(), q ? 250 : 0);
    return () => clearTimeout(timer);
  }, [q]);
  return { items, nextCursor, loading, more: () => nextCursor && load(nextCursor) };
}

type View = "all" | "deleted";

export function ContactsPage() {
  const [adding, setAdding] = useState(false);
  // In the address, so a reload or a shared link lands on the same view.
  const view: View = useLocation().params.get("view") === "deleted" ? "deleted" : "all";
  // Asked again on each switch of view: a teammate may have deleted or restored someone meanwhile.
  const deleted = useDeletedContacts(view);
  const tabs: { id: View; label: string }[] = [
    { id: "all", label: t("contacts.all") },
    { id: "deleted", label: deleted.items?.length ? t("contacts.recentlyDeletedCount", { count: formatNumber(deleted.items.length) }) : t("contacts.recentlyDeleted") },
  ];
  return (
    <section class="page" aria-labelledby="contacts-title">
      <div class="page-head">
        <h1 id="contacts-title">{t("contacts.title")}</h1>
        <button type="button" onClick={() => setAdding(!adding)} aria-expanded={String(adding)}>
          {t("contacts.new")}
        </button>
      </div>
      {adding ? <NewContact /> : null}
      <Tabs label={t("contacts.title")} tabs={tabs} current={view} onSelect={(id) => navigate(id === "deleted" ? "/contacts?view=deleted" : "/contacts", { replace: true })}>
        {view === "deleted" ? <RecentlyDeleted items={deleted.items} reload={deleted.reload} /> : <AllContacts />}
      </Tabs>
    </section>
  );
}

function AllContacts() {
  const [q, setQ] = useState("");
  const { items, nextCursor, loading, more } = useContactSearch(q);
  return (
    <>
      <input type="search" aria-label={t("contacts.search")} placeholder={t("contacts.searchPlaceholder")} value={q} onInput={(e: Event) => setQ((e.target as HTMLInputElement).value)} />
      <table class="contacts">
        <thead>
          <tr>
            <th scope="col">{t("common.name")}</th>
            <th scope="col">{t("common.email")}</th>
            <th scope="col" class="wide">
              {t("contacts.phone")}
            </th>
            <th scope="col" class="wide">
              {t("contacts.account")}
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((c) => (
            <tr key={c.id}>
              <td>
                <a href={`/contacts/${c.id}`}>{contactName(c) ?? t("contacts.unnamed")}</a>
              </td>
              <td>{c.email}</td>
              <td class="wide">{c.phone}</td>
              <td class="wide">{c.account}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {!loading && !items.length ? <p class="empty">{q ? t("contacts.nobodyMatches") : t("contacts.noContacts")}</p> : null}
      {nextCursor ? (
        <button type="button" class="more" disabled={loading} onClick={more}>
          {t("common.showMore")}
        </button>
      ) : null}
    </>
  );
}

function NewContact() {
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: Event) => {
    const v = formValues(event);
    try {
      const created = await api<Contact>("POST", "/contacts", {
        firstName: v.firstName || null,
        lastName: v.lastName || null,
        email: v.email || null,
        phone: v.phone || null,
      });
      navigate(`/contacts/${created.id}`);
    } catch (e) {
      setError(e instanceof Error ? e.message : t("common.notSaved"));
    }
  };
  return (
    <form class="card grid" onSubmit={submit} aria-label={t("contacts.new")}>
      <label>
        {t("contacts.firstName")}
        <input name="firstName" maxLength={200} />
      </label>
      <label>
        {t("contacts.lastName")}
        <input name="lastName" maxLength={200} />
      </label>
      <label>
        {t("common.email")}
        <input name="email" type="email" />
      </label>
      <label>
        {t("contacts.phone")}
        <input name="phone" type="tel" />
      </label>
      <FormError message={error} />
      <div>
        <button type="submit">{t("contacts.add")}</button>
      </div>
    </form>
  );
}
