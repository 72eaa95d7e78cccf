// Custom fields and marketing lists beside a conversation, read-only and compact: editing them is
// the contact page's ("Full profile").
import { useEffect, useState } from "hono/jsx/dom";
import { api } from "../api";
import { channelLabel, fullTime } from "../format";
import { t } from "../i18n";
import type { Contact, ContactWithIdentities, ListMembership } from "../types";
import { showValue, sortedFields } from "./fieldValues";

export function PanelCustomFields({ contact }: { contact: Contact }) {
  const entries = sortedFields(contact.customFields);
  return (
    <section class="panel-section" aria-labelledby="panel-fields-title">
      <h3 id="panel-fields-title">{t("contacts.customFields")}</h3>
      {entries.length ? (
        <dl class="panel-fields">
          {entries.map(([name, value]) => (
            <div key={name}>
              <dt>{name}</dt>
              <dd title={typeof value === "string" && value.length > 80 ? value : undefined}>{showValue(value)}</dd>
            </div>
          ))}
        </dl>
      ) : (
        <p class="muted small-text">{t("contacts.none")}</p>
      )}
    </section>
  );
}

/** The lists the contact opted in to; they are only in GET /api/contacts/:id, asked again when the contact changes. */
export function PanelLists({ contact }: { contact: Contact }) {
  const [lists, setLists] = useState<ListMembership[] | null>(null);
  useEffect(() => {
    let shown = true;
    api<ContactWithIdentities>("GET", `/contacts/${contact.id}`)
      .then((full) => shown && setLists(full.lists ?? []))
      .catch(() => shown && setLists(null));
    return () => {
      shown = false;
    };
  }, [contact.id, contact.updatedAt]);
  return (
    <section class="panel-section" aria-labelledby="panel-lists-title">
      <h3 id="panel-lists-title">{t("contacts.marketingLists")}</h3>
      {lists === null ? null : lists.length ? (
        <ul class="list-tags" aria-labelledby="panel-lists-title">
          {lists.map((m) => (
            <li key={m.list} class="tag list-tag" title={t("contacts.consentGivenAt", { time: fullTime(m.consentedAt), source: m.source })}>
              {m.list}
              <span class="list-tag-channel"> · {channelLabel(m.channel)}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted small-text">{t("contacts.none")}</p>
      )}
    </section>
  );
}
