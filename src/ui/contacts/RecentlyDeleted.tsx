// Contacts deleted in the last 30 days, on the Contacts page: each can be restored with its
// addresses, lists and conversations; an admin can erase one for good instead of waiting it out.
import { useEffect, useState } from "hono/jsx/dom";
import { api } from "../api";
import { Time } from "../components";
import { contactName, fullTime, identityKind } from "../format";
import { t, tn } from "../i18n";
import { notify, notifyError } from "../notices";
import { day, RESTORE_DAYS, type DeletedContact, type Restored } from "../privacy";
import { useUser } from "../session";
import { useTeammates } from "../teammates";
import type { Contact } from "../types";
import { EraseDialog, erasedNotice } from "./PrivacyActions";

/** The deleted contacts, newest first; null until loaded. Loaded again when `key` changes. */
export function useDeletedContacts(key: unknown): { items: DeletedContact[] | null; reload: () => void } {
  const [items, setItems] = useState<DeletedContact[] | null>(null);
  const reload = () => {
    api<{ items: DeletedContact[] }>("GET", "/deleted-contacts")
      .then((page) => setItems(page.items))
      .catch(notifyError);
  };
  useEffect(reload, [key]);
  return { items, reload };
}

export function RecentlyDeleted({ items, reload }: { items: DeletedContact[] | null; reload: () => void }) {
  const me = useUser();
  const teammates = useTeammates(items?.map((d) => d.deletedBy) ?? []);
  const [busy, setBusy] = useState<string | null>(null);
  const [restored, setRestored] = useState<Restored | null>(null);
  const [erasing, setErasing] = useState<Contact | null>(null);

  const restore = async (contact: Contact) => {
    setBusy(contact.id);
    try {
      setRestored(await api<Restored>("POST", `/deleted-contacts/${encodeURIComponent(contact.id)}/restore`));
      reload();
    } catch (error) {
      notifyError(error);
      // Past the 30 days, or restored by someone else meanwhile: the list is stale either way.
      reload();
    } finally {
      setBusy(null);
    }
  };
  const deleter = (id: string) => {
    if (id === me.id) return t("contacts.byYou");
    // A deletion no user made (a workflow) is stored as "system".
    if (id === "system") return "Parley";
    return teammates?.find((mate) => mate.id === id)?.name ?? t("contacts.formerTeammate");
  };

  return (
    <div class="recently-deleted">
      <p class="muted">{tn("contacts.restoreIntro", RESTORE_DAYS)}</p>
      {restored ? <RestoredNotice restored={restored} /> : null}
      {items === null ? <p class="empty">{t("common.loading")}</p> : null}
      {items && !items.length ? <p class="empty">{tn("contacts.noneDeleted", RESTORE_DAYS)}</p> : null}
      {items?.length ? (
        <ul class="deleted-list" aria-label={t("contacts.deletedList")}>
          {items.map((d) => {
            const name = contactName(d.contact) ?? t("contacts.unnamedContact");
            return (
              <li key={d.contact.id} class="deleted-item">
                <div class="deleted-about">
                  <p class="deleted-name">
                    <strong>{name}</strong> <span class="muted">{[d.contact.email, d.contact.phone].filter(Boolean).join(" · ")}</span>
                  </p>
                  <p class="deleted-when muted">
                    {t("contacts.deletedWhen")} <Time at={d.deletedAt} /> {t("contacts.deletedBy", { who: deleter(d.deletedBy) })}{" "}
                    <time dateTime={new Date(d.restorableUntil).toISOString()} title={fullTime(d.restorableUntil)}>
                      {day(d.restorableUntil)}
                    </time>
                  </p>
                </div>
                <div class="row-actions">
                  <button type="button" class="secondary small" disabled={busy === d.contact.id} aria-label={t("contacts.restoreName", { name })} onClick={() => restore(d.contact)}>
                    {busy === d.contact.id ? t("contacts.restoring") : t("contacts.restore")}
                  </button>
                  {me.role === "admin" ? (
                    <button type="button" class="danger small" aria-label={t("contacts.eraseName", { name })} onClick={() => setErasing(d.contact)}>
                      {t("contacts.eraseShort")}
                    </button>
                  ) : null}
                </div>
              </li>
            );
          })}
        </ul>
      ) : null}
      {erasing ? (
        <EraseDialog
          contact={erasing}
          onClose={() => setErasing(null)}
          onErased={(counts) => {
            notify(erasedNotice(contactName(erasing) ?? t("contacts.theContact"), counts));
            setErasing(null);
            reload();
          }}
        />
      ) : null}
    </div>
  );
}

/** Stays on screen (unlike a notice) so the link to the contact can be followed. */
function RestoredNotice({ restored }: { restored: Restored }) {
  const name = contactName(restored.contact) ?? t("contacts.theContact");
  return (
    <div class="card restored" role="status">
      <p>
        <strong>{name}</strong> {tn("contacts.isBack", restored.conversations)} <a href={`/contacts/${encodeURIComponent(restored.contact.id)}`}>{t("contacts.open", { name })}</a>
      </p>
      {restored.keptElsewhere.length ? (
        <>
          <p>{t("contacts.keptElsewhere", { name })}</p>
          <ul class="kept-elsewhere">
            {restored.keptElsewhere.map((k) => (
              <li key={`${k.kind}:${k.value}`}>
                <span class="kind">{identityKind(k.kind)}</span> {k.value}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
