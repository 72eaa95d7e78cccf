// A person's requests about their data, for admins on the contact's profile: everything held about
// them as one file, or erasure for good behind a dialog that says what goes and asks for their email.
import { useState } from "hono/jsx/dom";
import { api, download } from "../api";
import { Dialog, FormError } from "../components";
import { contactName } from "../format";
import { t, tn } from "../i18n";
import { notify, notifyError } from "../notices";
import { navigate } from "../router";
import { erasePhrase, type Erased } from "../privacy";
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
  const emptied = [tn("contacts.conversationCount", counts.conversations), tn("contacts.messageCount", counts.messages), tn("contacts.fileCount", counts.attachments)];
  return t("contacts.erased", { name, counts: emptied.join(", ") });
}

export function PrivacyActions({ contact }: { contact: Contact }) {
  const [exporting, setExporting] = useState(false);
  const [erasing, setErasing] = useState(false);
  const name = contactName(contact) ?? t("contacts.thisContact");

  const exportData = async () => {
    setExporting(true);
    try {
      const { blob, filename } = await download(`/contacts/${encodeURIComponent(contact.id)}/export`, `contact-${contact.id}.json`);
      saveFile(blob, filename);
      notify(t("contacts.exported", { name, file: filename }));
    } catch (error) {
      notifyError(error);
    } finally {
      setExporting(false);
    }
  };

  return (
    <section class="contact-section privacy" aria-labelledby="privacy-title">
      <h3 id="privacy-title">{t("contacts.privacy")}</h3>
      <p class="muted">{t("contacts.privacyIntro")}</p>
      <div class="privacy-action">
        <button type="button" class="secondary" onClick={exportData} disabled={exporting}>
          {exporting ? t("contacts.exporting") : t("contacts.export")}
        </button>
        <p class="muted">{t("contacts.exportHelp")}</p>
      </div>
      <div class="privacy-action">
        <button type="button" class="danger" onClick={() => setErasing(true)}>
          {t("contacts.eraseOpen")}
        </button>
        <p class="muted">{t("contacts.eraseHelp")}</p>
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
      setError(e instanceof Error ? e.message : t("contacts.notErased"));
      setBusy(false);
    }
  };

  return (
    <Dialog title={t("contacts.eraseTitle", { name: contactName(contact) ?? t("contacts.thisContact") })} class="erase-dialog" onClose={onClose}>
      <form onSubmit={erase} aria-label={t("contacts.erase")} class="stack">
        <div>
          <p>{t("contacts.eraseIntro")}</p>
          <ul>
            <li>{t("contacts.eraseProfile")}</li>
            <li>{t("contacts.eraseAddresses")}</li>
            <li>{t("contacts.eraseMessages")}</li>
            <li>{t("contacts.eraseCopies")}</li>
          </ul>
          <p>{t("contacts.eraseStubs")}</p>
        </div>
        <p class="erase-warning">
          <strong>{t("contacts.cannotBeUndone")}</strong> {t("contacts.exportFirst")}
        </p>
        <label>
          <span>
            {t("contacts.typeBefore")} <strong class="phrase">{phrase}</strong> {t("contacts.typeAfter")}
          </span>
          <input value={typed} onInput={(e: Event) => setTyped((e.target as HTMLInputElement).value)} autocomplete="off" spellcheck={false} />
        </label>
        <FormError message={error} />
        <div class="row-actions dialog-actions">
          <button type="button" class="secondary" onClick={onClose}>
            {t("common.cancel")}
          </button>
          <button type="submit" class="destroy" disabled={!confirmed || busy}>
            {busy ? t("contacts.erasing") : t("contacts.erasePermanently")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
