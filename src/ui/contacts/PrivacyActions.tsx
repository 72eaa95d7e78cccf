// A person's requests about their data, for admins on the contact's profile: everything held about
// them as one file, or erasure for good behind a dialog that says what goes and asks for their email.
import { useState } from "hono/jsx/dom";
import { api, download } from "../api";
import { Dialog, FormError } from "../components";
import { contactName } from "../format";
import { notify, notifyError } from "../notices";
import { navigate } from "../router";
import { counted, erasePhrase, type Erased } from "../privacy";
import type { Contact } from "../types";

/** Hands a fetched file to the browser's downloads, as a link to it would. */
function saveFile(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked on the next turn: the click starts the download asynchronously.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** The sentence after an erasure, for the notice. */
export function erasedNotice(name: string, counts: Erased): string {
  const emptied = [counted(counts.conversations, "conversation"), counted(counts.messages, "message"), counted(counts.attachments, "file")];
  return `${name} was erased. Emptied: ${emptied.join(", ")}.`;
}

export function PrivacyActions({ contact }: { contact: Contact }) {
  const [exporting, setExporting] = useState(false);
  const [erasing, setErasing] = useState(false);
  const name = contactName(contact) ?? "this contact";

  const exportData = async () => {
    setExporting(true);
    try {
      const { blob, filename } = await download(`/contacts/${encodeURIComponent(contact.id)}/export`, `contact-${contact.id}.json`);
      saveFile(blob, filename);
      notify(`Exported ${name}'s data as ${filename}.`);
    } catch (error) {
      notifyError(error);
    } finally {
      setExporting(false);
    }
  };

  return (
    <section class="contact-section privacy" aria-labelledby="privacy-title">
      <h3 id="privacy-title">Privacy</h3>
      <p class="muted">For a person's requests about their data. Both are recorded in the audit log.</p>
      <div class="privacy-action">
        <button type="button" class="secondary" onClick={exportData} disabled={exporting}>
          {exporting ? "Exporting…" : "Export data"}
        </button>
        <p class="muted">Everything Parley holds about them, as one JSON file: profile, addresses, lists, every conversation with every message and note, and the list of files.</p>
      </div>
      <div class="privacy-action">
        <button type="button" class="danger" onClick={() => setErasing(true)}>
          Erase contact…
        </button>
        <p class="muted">Removes their data for good and leaves their conversations as empty stubs. Unlike deleting, it cannot be undone.</p>
      </div>
      {erasing ? (
        <EraseDialog
          contact={contact}
          onClose={() => setErasing(false)}
          onErased={(counts) => {
            notify(erasedNotice(name, counts));
            navigate("/contacts");
          }}
        />
      ) : null}
    </section>
  );
}

/** Confirms erasing `contact` (live, or deleted and still restorable) and erases them. */
export function EraseDialog({ contact, onClose, onErased }: { contact: Contact; onClose: () => void; onErased: (counts: Erased) => void }) {
  const [typed, setTyped] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const phrase = erasePhrase(contact);
  // Emails are case-insensitive, and a stray space should not be the thing that stops an admin.
  const confirmed = typed.trim().toLowerCase() === phrase.toLowerCase();

  const erase = async (event: Event) => {
    event.preventDefault();
    if (!confirmed) return;
    setBusy(true);
    setError(null);
    try {
      onErased(await api<Erased>("POST", `/contacts/${encodeURIComponent(contact.id)}/erase`));
    } catch (e) {
      setError(e instanceof Error ? e.message : "Not erased.");
      setBusy(false);
    }
  };

  return (
    <Dialog title={`Erase ${contactName(contact) ?? "this contact"}?`} class="erase-dialog" onClose={onClose}>
      <form onSubmit={erase} aria-label="Erase contact" class="stack">
        <div>
          <p>Erasing removes everything Parley holds about this person, everywhere it is kept:</p>
          <ul>
            <li>their profile: name, email, phone, account, tags and custom fields;</li>
            <li>every address and identity known for them, their marketing lists and records of consent, and merge records;</li>
            <li>the words, subjects and files of every message in their conversations, agents' replies and internal notes included;</li>
            <li>what the webhook log kept about them, and any copy kept to restore them.</li>
          </ul>
          <p>
            Their conversations stay in the inbox as empty stubs that name nobody, so workload and history still add up. The audit log records that this contact was erased, by whom and when, by id
            only.
          </p>
        </div>
        <p class="erase-warning">
          <strong>This cannot be undone.</strong> If the person asked for a copy of their data, export it first.
        </p>
        <label>
          <span>
            Type <strong class="phrase">{phrase}</strong> to confirm
          </span>
          <input value={typed} onInput={(e: Event) => setTyped((e.target as HTMLInputElement).value)} autocomplete="off" spellcheck={false} />
        </label>
        <FormError message={error} />
        <div class="row-actions dialog-actions">
          <button type="button" class="secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="destroy" disabled={!confirmed || busy}>
            {busy ? "Erasing…" : "Erase permanently"}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
