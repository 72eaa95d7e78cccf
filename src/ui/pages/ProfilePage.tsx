// The signed-in agent's own profile: the name teammates see, and the language of Parley's screens.
import { useState } from "hono/jsx/dom";
import { LANGUAGE_NAMES, LANGUAGES, type Language, pickLanguage } from "../../domain/languages";
import { api } from "../api";
import { FormError, formValues } from "../components";
import { currentLanguage, languageFor, t } from "../i18n";
import { notify } from "../notices";
import { useUser } from "../session";
import type { User } from "../types";

export function ProfilePage({ onSaved }: { onSaved: (user: User) => void }) {
  const user = useUser();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const browserLanguage = LANGUAGE_NAMES[pickLanguage(navigator.languages) ?? "en"];

  const submit = async (event: Event) => {
    const values = formValues(event);
    setBusy(true);
    setError(null);
    try {
      const locale = (values.locale || null) as Language | null;
      const saved = await api<User>("PATCH", "/me", { name: values.name, locale });
      // A new language reloads the page: words already on screen, in notices and in what pages
      // keep in their state were chosen in the old one, and only a fresh start redraws them all.
      if (languageFor(saved.locale) !== currentLanguage()) return location.reload();
      onSaved(saved);
      notify(t("common.profileSaved"));
    } catch (e) {
      setError(e instanceof Error ? e.message : t("common.notSaved"));
    }
    setBusy(false);
  };

  return (
    <section class="page profile" aria-labelledby="profile-title">
      <h1 id="profile-title">{t("common.yourProfile")}</h1>
      <p class="muted">{t("common.signedInAs", { email: user.email })}</p>
      <form class="card stack narrow" onSubmit={submit} aria-labelledby="profile-title">
        <label>
          {t("common.name")}
          <input name="name" autocomplete="name" required maxLength={200} value={user.name} />
        </label>
        <label>
          {t("common.language")}
          <select name="locale" aria-describedby="language-hint">
            <option value="" selected={user.locale === null}>
              {t("common.browserDefault", { language: browserLanguage })}
            </option>
            {LANGUAGES.map((language) => (
              <option key={language} value={language} lang={language} selected={user.locale === language}>
                {LANGUAGE_NAMES[language]}
              </option>
            ))}
          </select>
        </label>
        <small id="language-hint">{t("common.languageHint")}</small>
        <FormError message={error} />
        <div>
          <button type="submit" disabled={busy}>
            {busy ? t("common.saving") : t("common.save")}
          </button>
        </div>
      </form>
    </section>
  );
}
