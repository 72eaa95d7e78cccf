// The marketing lists a contact opted in to, on their profile: each with its channel and the record of
// consent (when, and how it was given), an Unsubscribe, and a form to subscribe them to another list.
import { useEffect, useState } from "hono/jsx/dom";
import { api } from "../api";
import { FormError, Time } from "../components";
import { channelLabel } from "../format";
import { t, tn } from "../i18n";
import { notify, notifyError } from "../notices";
import type { ContactWithIdentities, ListChannel, MarketingList } from "../types";

/** What the API takes as a list's name. */
const LIST_NAME = "[A-Za-z0-9 _\\-]{1,60}";

/** The lists in use, to suggest; none when they cannot be had (the form works without). */
function useListSuggestions(): [MarketingList[], () => void] {
  const [lists, setLists] = useState<MarketingList[]>([]);
  const load = () => {
    api<{ items: MarketingList[] }>("GET", "/lists")
      .then(({ items }) => setLists(items))
      .catch(() => {});
  };
  useEffect(load, []);
  return [lists, load];
}

export function MarketingLists({ contact, onChange }: { contact: ContactWithIdentities; onChange: (next: ContactWithIdentities) => void }) {
  const [suggestions, reload] = useListSuggestions();
  const [busy, setBusy] = useState<string | null>(null);
  const lists = [...(contact.lists ?? [])].sort((a, b) => a.list.localeCompare(b.list));
  const path = (list: string) => `/contacts/${contact.id}/lists/${encodeURIComponent(list)}`;

  const unsubscribe = async (list: string) => {
    setBusy(list);
    try {
      onChange(await api<ContactWithIdentities>("DELETE", path(list)));
      notify(t("contacts.unsubscribed", { list }));
      reload();
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(null);
    }
  };
  const subscribe = async (list: string, channel: ListChannel, source: string) => {
    onChange(await api<ContactWithIdentities>("PUT", path(list), { channel, source }));
    notify(t(channel === "sms" ? "contacts.subscribedBySms" : "contacts.subscribedByEmail", { list }));
    reload();
  };

  return (
    <section class="contact-section" aria-labelledby="lists-title">
      <h3 id="lists-title">{t("contacts.marketingLists")}</h3>
      {lists.length ? (
        <ul class="memberships" aria-labelledby="lists-title">
          {lists.map((m) => (
            <li key={m.list} class="membership">
              <div class="membership-about">
                <p class="membership-name">
                  <strong>{m.list}</strong> <span class={`channel ${m.channel}`}>{channelLabel(m.channel)}</span>
                </p>
                <p class="consent">
                  {t("contacts.consentGiven")} <Time at={m.consentedAt} short={false} />: <span class="consent-source">{m.source}</span>
                </p>
              </div>
              <button type="button" class="danger small" disabled={busy === m.list} aria-label={t("contacts.unsubscribeFrom", { list: m.list })} onClick={() => unsubscribe(m.list)}>
                {t("contacts.unsubscribe")}
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted">{t("contacts.notOnLists")}</p>
      )}
      <Subscribe suggestions={suggestions} onSubscribe={subscribe} />
    </section>
  );
}

function Subscribe({ suggestions, onSubscribe }: { suggestions: MarketingList[]; onSubscribe: (list: string, channel: ListChannel, source: string) => Promise<void> }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const list = String(data.get("list") ?? "")
      .trim()
      .replace(/\s+/g, " ");
    const channel = String(data.get("channel")) as ListChannel;
    const source = String(data.get("source") ?? "").trim();
    if (!list || !source) return setError(!list ? t("contacts.nameTheList") : t("contacts.sayHowConsent"));
    setError(null);
    setBusy(true);
    try {
      await onSubscribe(list, channel, source);
      form.reset();
    } catch (e) {
      setError(e instanceof Error ? e.message : t("contacts.notSubscribed"));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="list-add" aria-labelledby="subscribe-title" onSubmit={submit}>
      <h4 id="subscribe-title">{t("contacts.subscribeTitle")}</h4>
      <div class="list-add-fields">
        <label class="list-name">
          {t("contacts.list")}
          <input name="list" list="list-suggestions" required maxLength={60} pattern={LIST_NAME} title={t("contacts.listNameRule")} placeholder={t("contacts.listExample")} autoComplete="off" />
        </label>
        <datalist id="list-suggestions">
          {suggestions.map((s) => (
            <option key={`${s.list}:${s.channel}`} value={s.list} label={`${channelLabel(s.channel)} · ${tn("contacts.members", s.members)}`} />
          ))}
        </datalist>
        <label class="list-channel">
          {t("contacts.channel")}
          <select name="channel">
            <option value="email">{channelLabel("email")}</option>
            <option value="sms">{channelLabel("sms")}</option>
          </select>
        </label>
        <label class="list-source">
          {t("contacts.howConsent")}
          <input name="source" required maxLength={200} placeholder={t("contacts.consentExample")} autoComplete="off" />
        </label>
        <button type="submit" disabled={busy}>
          {t("contacts.subscribe")}
        </button>
      </div>
      <FormError message={error} />
    </form>
  );
}
