// Settings → Audit log: sensitive actions, newest first, each as a sentence. The log names what was
// acted on by id only; names here are looked up now (users, contacts that still exist), never stored.
import { useEffect, useState, type Child } from "hono/jsx/dom";
import { api, ApiFailure, query } from "../api";
import { Time } from "../components";
import { contactName } from "../format";
import { t, tn } from "../i18n";
import { notifyError } from "../notices";
import type { AuditEntry } from "../privacy";
import type { Contact, Page, User } from "../types";

const PAGE = 50;
/** Actions whose subject is a contact's id. */
const CONTACT_ACTIONS = new Set(["contact.merged", "contact.exported", "contact.deleted", "contact.restored", "contact.erased"]);

/** What the sentences need beyond the entry: names for ids, as they are now. */
type Known = {
  users: Map<string, string>;
  /** A contact id looked up: the contact, or null when it no longer exists. Missing while unknown. */
  contacts: Map<string, Contact | null>;
  /** API token names, from the token.created entries loaded (a revoked token is gone from the API). */
  tokens: Map<string, string>;
};

export function AuditLog() {
  const [items, setItems] = useState<AuditEntry[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const [users, setUsers] = useState(new Map<string, string>());
  const [contacts, setContacts] = useState(new Map<string, Contact | null>());

  const lookUpContacts = async (entries: AuditEntry[]) => {
    // An erased contact is gone for good; asking about it would only cost a 404.
    const erased = new Set(entries.filter((e) => e.action === "contact.erased").map((e) => e.subject));
    const ids = [...new Set(entries.filter((e) => CONTACT_ACTIONS.has(e.action) && e.subject && !erased.has(e.subject)).map((e) => e.subject!))].filter((id) => !contacts.has(id));
    const found = await Promise.all(
      ids.map((id) =>
        api<Contact>("GET", `/contacts/${encodeURIComponent(id)}`).then(
          (contact): [string, Contact | null] => [id, contact],
          (error): [string, Contact | null] | null => (error instanceof ApiFailure && error.status === 404 ? [id, null] : null),
        ),
      ),
    );
    setContacts((old) => {
      const next = new Map(old);
      for (const id of erased) if (id) next.set(id, null);
      for (const answer of found) if (answer) next.set(...answer);
      return next;
    });
  };

  const load = async (cursor?: string) => {
    setLoading(true);
    try {
      const page = await api<Page<AuditEntry>>("GET", `/audit${query({ cursor, limit: PAGE })}`);
      setItems((old) => (cursor && old ? [...old, ...page.items] : page.items));
      setNextCursor(page.nextCursor);
      lookUpContacts(page.items);
    } catch (error) {
      notifyError(error);
    } finally {
      setLoading(false);
    }
  };
  useEffect(() => {
    load();
    api<{ items: User[] }>("GET", "/users")
      .then(({ items }) => setUsers(new Map(items.map((u) => [u.id, u.name]))))
      .catch(() => {
        // Without the names the sentences fall back to "a user".
      });
  }, []);

  if (!items) return <p class="empty">{t("common.loading")}</p>;
  const known: Known = { users, contacts, tokens: new Map(items.filter((e) => e.action === "token.created" && e.subject).map((e) => [e.subject!, String(e.details.name ?? "")])) };
  return (
    <div class="audit-log">
      <p class="muted">{t("settings.auditAbout")}</p>
      {items.length ? (
        <table class="audit-table">
          <thead>
            <tr>
              <th scope="col">{t("settings.auditWhen")}</th>
              <th scope="col">{t("settings.auditWho")}</th>
              <th scope="col">{t("settings.auditWhat")}</th>
            </tr>
          </thead>
          <tbody>
            {items.map((entry) => (
              <tr key={entry.id}>
                <td class="audit-when">
                  <Time at={entry.at} short={false} />
                </td>
                <td class="audit-who">{entry.actorName ?? <span class="muted">{t("settings.auditSystem")}</span>}</td>
                <td class="audit-what">{describe(entry, known)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="empty">{t("settings.auditNone")}</p>
      )}
      {nextCursor ? (
        <button type="button" class="more secondary" disabled={loading} onClick={() => load(nextCursor)}>
          {loading ? t("common.loading") : t("settings.auditLoadMore")}
        </button>
      ) : null}
    </div>
  );
}

/** A contact by id: linked with their name while they exist; the id stays, to match entries up. */
function ContactRef({ id, known }: { id: string | null; known: Known }) {
  if (!id) return <>{t("settings.auditAContact")}</>;
  const contact = known.contacts.get(id);
  return (
    <>
      {contact ? (
        <>
          <a href={`/contacts/${encodeURIComponent(id)}`}>{contactName(contact) ?? t("settings.auditUnnamedContact")}</a>{" "}
        </>
      ) : null}
      <code class="audit-id">{id}</code>
    </>
  );
}

/** A catalogue sentence with elements where its placeholders stand: "Exported contact {contact}". */
function placed(sentence: string, elements: Record<string, Child>): Child[] {
  return sentence.split(/\{(\w+)\}/).map((part, i) => (i % 2 ? elements[part] : part));
}

const ROLE_SET_KEYS = { admin: "settings.auditRoleSetAdmin", agent: "settings.auditRoleSetAgent" } as const;

/** What a user.changed entry changed, as a list: "role set to admin, password". */
function userChanges(d: AuditEntry["details"]): string[] {
  const changes = [
    d.role === "admin" || d.role === "agent" ? t(ROLE_SET_KEYS[d.role]) : null,
    d.disabled === true ? t("settings.auditDisabled") : d.disabled === false ? t("settings.auditEnabledAgain") : null,
    d.name ? t("settings.auditName") : null,
    d.password ? t("settings.auditPassword") : null,
  ];
  return changes.filter((c) => c !== null);
}

/** The entry as a sentence: its subject named, with the details that matter. */
function describe(entry: AuditEntry, known: Known): Child {
  const d = entry.details;
  const user = (entry.subject ? known.users.get(entry.subject) : undefined) ?? t("settings.auditAUser");
  const contact = <ContactRef id={entry.subject} known={known} />;
  const extra = (text: string | null) => (text ? <span class="muted"> · {text}</span> : null);
  const from = typeof d.client === "string" && d.client !== "unknown" ? t("settings.auditFrom", { client: d.client }) : null;
  const conversations = typeof d.conversations === "number" ? tn("settings.auditConversations", d.conversations) : null;
  const messages = typeof d.messages === "number" ? tn("settings.auditMessages", d.messages) : null;
  switch (entry.action) {
    case "auth.signed_in":
      return (
        <>
          {t("settings.auditSignedIn")}
          {extra(from)}
        </>
      );
    case "auth.sign_in_failed":
      return (
        <>
          {t("settings.auditSignInFailed", { user })}
          {extra(from)}
        </>
      );
    case "user.created":
      return <>{t(d.role === "admin" ? "settings.auditAddedAdmin" : "settings.auditAddedAgent", { user })}</>;
    case "user.changed": {
      const changes = userChanges(d);
      return <>{changes.length ? t("settings.auditUserChangedWhat", { user, changes: changes.join(", ") }) : t("settings.auditUserChanged", { user })}</>;
    }
    case "token.created":
      return <>{t("settings.auditTokenCreated", { name: String(d.name ?? "") })}</>;
    case "token.revoked": {
      const name = entry.subject ? known.tokens.get(entry.subject) : undefined;
      return <>{name ? t("settings.auditTokenRevoked", { name }) : t("settings.auditTokenRevokedUnnamed")}</>;
    }
    case "settings.changed": {
      const changed = Array.isArray(d.changed) ? d.changed.map(String) : [];
      return <>{changed.length ? t("settings.auditSettingsChangedWhat", { settings: changed.join(", ") }) : t("settings.auditSettingsChanged")}</>;
    }
    case "contact.merged":
      return <>{placed(t("settings.auditContactMerged"), { from: <code class="audit-id">{String(d.from ?? "")}</code>, contact })}</>;
    case "contact.exported":
      return (
        <>
          {placed(t("settings.auditContactExported"), { contact })}
          {extra(messages ? `${conversations}, ${messages}` : conversations)}
        </>
      );
    case "contact.deleted":
      return (
        <>
          {placed(t("settings.auditContactDeleted"), { contact })}
          {extra(conversations)}
        </>
      );
    case "contact.restored":
      return (
        <>
          {placed(t("settings.auditContactRestored"), { contact })}
          {extra(conversations)}
        </>
      );
    case "contact.erased": {
      const files = typeof d.attachments === "number" ? tn("settings.auditFiles", d.attachments) : null;
      const counts = [conversations, messages, files].filter(Boolean);
      return (
        <>
          {placed(t("settings.auditContactErased"), { contact })}
          {extra(counts.length ? t("settings.auditEmptied", { counts: counts.join(", ") }) : null)}
        </>
      );
    }
    default:
      return <code>{entry.action}</code>;
  }
}
