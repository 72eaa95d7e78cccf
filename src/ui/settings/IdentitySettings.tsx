// The identity secret: with it set, the widget's `identify` needs a valid HMAC, so nobody can chat as someone else.
import { useState } from "hono/jsx/dom";
import { FormError, formValues } from "../components";
import { t } from "../i18n";
import { notify } from "../notices";
import { failureText, useSettings } from "./useSettings";

function randomSecret(): string {
  return [...crypto.getRandomValues(new Uint8Array(32))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export function IdentitySettings() {
  const { settings, save } = useSettings();
  const [draft, setDraft] = useState("");
  const [error, setError] = useState<string | null>(null);
  if (!settings) return <p class="empty">{t("common.loading")}</p>;

  const submit = async (event: Event) => {
    const secret = formValues(event).identitySecret ?? "";
    setError(null);
    try {
      await save({ identitySecret: secret });
      setDraft("");
      notify(secret ? t("settings.identitySaved") : t("settings.identityRemoved"));
    } catch (e) {
      setError(failureText(e, t("common.notSaved")));
    }
  };

  return (
    <form class="stack narrow" onSubmit={submit} aria-label={t("settings.identityForm")}>
      <p>
        {t("settings.identityAboutTells")}
        <code>identify</code>
        {t("settings.identityAboutSends")}
        <code>hash</code>
        {t("settings.identityAboutHmac")}
        <code>identify</code>
        {t("settings.identityAboutRefused")}
        <code>identify</code>
        {t("settings.identityAboutUnverified")}
      </p>
      <p>
        {t("settings.identityCurrent")} <strong>{settings.identitySecret || t("settings.identityNotSet")}</strong>
      </p>
      <label>
        {t("settings.identityNew")}
        <input name="identitySecret" value={draft} autocomplete="off" spellcheck={false} maxLength={500} onInput={(e: Event) => setDraft((e.target as HTMLInputElement).value)} />
      </label>
      <FormError message={error} />
      <div class="row-actions">
        <button type="button" class="secondary" onClick={() => setDraft(randomSecret())}>
          {t("settings.generate")}
        </button>
        <button type="submit" disabled={!draft}>
          {t("settings.identitySave")}
        </button>
        {settings.identitySecret ? (
          <button type="button" class="danger" onClick={() => save({ identitySecret: "" }).then(() => notify(t("settings.identityRemoved")))}>
            {t("settings.identityRemove")}
          </button>
        ) : null}
      </div>
    </form>
  );
}
