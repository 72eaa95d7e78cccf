// Settings → Audit log: sensitive actions, newest first, each as a sentence. The log names what was
// acted on by id only; names here are looked up now (users, contacts that still exist), never stored.
import { useEffect, useState, type Child } from "hono/jsx/dom";
import { api, ApiFailure, query } from "../api";
import { Time } from "../components";
import { contactName } from "../format";
import { notifyError } from "../notices";
import { counted, type AuditEntry } from "../privacy";
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

  if (!items) return <p class="empty">Loading…</p>;
  const known: Known = { users, contacts, tokens: new Map(items.filter((e) => e.action === "token.created" && e.subject).map((e) => [e.subject!, String(e.details.name ?? "")])) };
  return (
    <div class="audit-log">
      <p class="muted">Sign-ins, changes to users, tokens and settings, and what was done with contacts' data: who, when, and to what. Newest first.</p>
      {items.length ? (
        <table class="audit-table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
            </tr>
          </thead>
          <tbody>
            {items.map((entry) => (
              <tr key={entry.id}>
                <td class="audit-when">
                  <Time at={entry.at} short={false} />
                </td>
                <td class="audit-who">{entry.actorName ?? <span class="muted">System</span>}</td>
                <td class="audit-what">{describe(entry, known)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p class="empty">Nothing recorded yet.</p>
      )}
      {nextCursor ? (
        <button type="button" class="more secondary" disabled={loading} onClick={() => load(nextCursor)}>
          {loading ? "Loading…" : "Load more"}
        </button>
      ) : null}
    </div>
  );
}

/** A contact by id: linked with their name while they exist; the id stays, to match entries up. */
function ContactRef({ id, known }: { id: string | null; known: Known }) {
  if (!id) return <>a contact</>;
  const contact = known.contacts.get(id);
  return (
    <>
      {contact ? (
        <>
          <a href={`/contacts/${encodeURIComponent(id)}`}>{contactName(contact) ?? "Unnamed contact"}</a>{" "}
        </>
      ) : null}
      <code class="audit-id">{id}</code>
    </>
  );
}

/** The entry as a sentence: its subject named, with the details that matter. */
function describe(entry: AuditEntry, known: Known): Child {
  const d = entry.details;
  const user = entry.subject ? (known.users.get(entry.subject) ?? "a user") : "a user";
  const contact = <ContactRef id={entry.subject} known={known} />;
  const extra = (text: string | null) => (text ? <span class="muted"> · {text}</span> : null);
  const from = typeof d.client === "string" && d.client !== "unknown" ? `from ${d.client}` : null;
  const conversations = typeof d.conversations === "number" ? counted(d.conversations, "conversation") : null;
  switch (entry.action) {
    case "auth.signed_in":
      return <>Signed in{extra(from)}</>;
    case "auth.sign_in_failed":
      return (
        <>
          Failed sign-in as {user}
          {extra(from)}
        </>
      );
    case "user.created":
      return (
        <>
          Added {d.role === "admin" ? "admin" : "agent"} {user}
        </>
      );
    case "user.changed": {
      const changes = [
        typeof d.role === "string" ? `role set to ${d.role}` : null,
        d.disabled === true ? "disabled" : d.disabled === false ? "enabled again" : null,
        d.name ? "name" : null,
        d.password ? "password" : null,
      ].filter(Boolean);
      return (
        <>
          Changed {user}
          {changes.length ? `: ${changes.join(", ")}` : null}
        </>
      );
    }
    case "token.created":
      return <>Created API token “{String(d.name ?? "")}”</>;
    case "token.revoked": {
      const name = entry.subject ? known.tokens.get(entry.subject) : undefined;
      return name ? <>Revoked API token “{name}”</> : <>Revoked an API token</>;
    }
    case "settings.changed": {
      const changed = Array.isArray(d.changed) ? d.changed.map(String) : [];
      return changed.length ? <>Changed settings: {changed.join(", ")}</> : <>Changed settings</>;
    }
    case "contact.merged":
      return (
        <>
          Merged contact <code class="audit-id">{String(d.from ?? "")}</code> into {contact}
        </>
      );
    case "contact.exported":
      return (
        <>
          Exported contact {contact}
          {extra(typeof d.messages === "number" ? `${conversations}, ${counted(d.messages, "message")}` : conversations)}
        </>
      );
    case "contact.deleted":
      return (
        <>
          Deleted contact {contact}
          {extra(conversations)}
        </>
      );
    case "contact.restored":
      return (
        <>
          Restored contact {contact}
          {extra(conversations)}
        </>
      );
    case "contact.erased": {
      const counts = [conversations, typeof d.messages === "number" ? counted(d.messages, "message") : null, typeof d.attachments === "number" ? counted(d.attachments, "file") : null].filter(Boolean);
      return (
        <>
          Erased contact {contact}
          {extra(counts.length ? `emptied ${counts.join(", ")}` : null)}
        </>
      );
    }
    default:
      return <code>{entry.action}</code>;
  }
}
