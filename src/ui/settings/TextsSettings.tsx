// Settings → Texts: what Parley says on the business's behalf, language by language. A field holds
// only the admin's own words ("" = that language's default, shown as its placeholder); Save stores
// the chosen language's texts. The workspace language's greeting and away text live in Appearance.
import { useState } from "hono/jsx/dom";
import { LANGUAGE_NAMES, LANGUAGES, type Language } from "../../domain/languages";
import { FormError } from "../components";
import { t } from "../i18n";
import { notify } from "../notices";
import type { Settings, TextKey } from "../types";
import { Field } from "./Field";
import { type TextDefaults, useTextDefaults } from "./textDefaults";
import { failureText, useSettings } from "./useSettings";

type Save = ReturnType<typeof useSettings>["save"];
type Own = Record<TextKey, string>;

const IN_APPEARANCE = new Set<TextKey>(["greeting", "awayText"]);
const TEXT_MAX = 1000;

const ownTexts = (stored: Settings, texts: TextDefaults, language: Language): Own => Object.fromEntries(texts.keys.map((key) => [key, stored.texts[language]?.[key] ?? ""])) as Own;

export function TextsSettings() {
  const { settings, save } = useSettings();
  const texts = useTextDefaults();
  if (!settings || !texts) return <p class="empty">{t("common.loading")}</p>;
  return <TextsEditor stored={settings} save={save} texts={texts} />;
}

function TextsEditor({ stored, save, texts }: { stored: Settings; save: Save; texts: TextDefaults }) {
  const [language, setChosen] = useState<Language>(stored.locale);
  // Unsaved edits, by language: choosing another language keeps them for when it is chosen again.
  const [edits, setEdits] = useState<Partial<Record<Language, Own>>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const draft = edits[language] ?? ownTexts(stored, texts, language);

  const choose = (next: Language) => {
    setChosen(next);
    setError(null);
  };
  const edit = (key: TextKey, text: string) => setEdits((e) => ({ ...e, [language]: { ...(e[language] ?? ownTexts(stored, texts, language)), [key]: text } }));
  const reset = (key: TextKey) => {
    edit(key, "");
    document.getElementById(`text-${key}`)?.focus();
  };
  // Set in Appearance, unless this language has its own text for it (which visitors see first).
  const inAppearance = (key: TextKey) => language === stored.locale && IN_APPEARANCE.has(key) && !stored.texts[language]?.[key];
  const editable = texts.keys.filter((key) => !inAppearance(key));

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    setBusy(true);
    try {
      await save({ texts: { [language]: Object.fromEntries(editable.map((key) => [key, draft[key].trim()])) } });
      setEdits((e) => ({ ...e, [language]: undefined }));
      notify(t("appearance.textsSaved"));
    } catch (e) {
      setError(failureText(e, t("common.notSaved")));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="stack narrow texts-settings" onSubmit={submit} aria-label={t("appearance.tabTexts")}>
      <p class="muted">{t("appearance.textsIntro")}</p>
      <label>
        {t("appearance.language")}
        <select name="language" onChange={(e: Event) => choose((e.target as HTMLSelectElement).value as Language)}>
          {LANGUAGES.map((l) => (
            <option key={l} value={l} selected={l === language}>
              {LANGUAGE_NAMES[l]}
            </option>
          ))}
        </select>
      </label>
      {texts.keys.map((key) => {
        const id = `text-${key}`;
        const label = t(`appearance.${key}Label`);
        const fallback = texts.defaults[language][key];
        if (inAppearance(key)) {
          return (
            <Field key={key} id={id} label={label} help={<AppearanceNote />}>
              <textarea id={id} rows={3} readOnly lang={language} value={stored.appearance[key as "greeting" | "awayText"] || fallback} aria-describedby={`${id}-help`} />
            </Field>
          );
        }
        return (
          <Field
            key={key}
            id={id}
            label={label}
            help={t(`appearance.${key}Help`)}
            aside={
              draft[key] ? (
                <button type="button" class="link" aria-label={t("appearance.resetNamed", { field: label })} onClick={() => reset(key)}>
                  {t("appearance.reset")}
                </button>
              ) : null
            }
          >
            <textarea
              id={id}
              name={key}
              rows={3}
              maxLength={TEXT_MAX}
              lang={language}
              value={draft[key]}
              placeholder={fallback}
              aria-describedby={`${id}-help`}
              onInput={(e: Event) => edit(key, (e.target as HTMLTextAreaElement).value)}
            />
          </Field>
        );
      })}
      <FormError message={error} />
      <div class="faq-save">
        <button type="submit" disabled={busy}>
          {t("appearance.saveTexts")}
        </button>
        {edits[language] ? <span class="muted">{t("appearance.unsaved")}</span> : null}
      </div>
    </form>
  );
}

/** Why a text cannot be edited here, and the way to where it can. */
function AppearanceNote() {
  return (
    <>
      {t("appearance.inAppearanceBefore")}
      <a href="/settings/appearance">{t("appearance.inAppearanceLink")}</a>
      {t("appearance.inAppearanceAfter")}
    </>
  );
}
