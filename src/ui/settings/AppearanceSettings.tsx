// Settings → Appearance: the workspace's language, and how the widget looks and greets in it, shown
// in a preview as the admin types. One Save for all of it; a colour text cannot be read on is not saved.
import { useState } from "hono/jsx/dom";
import { AA_TEXT, contrastRatio, textOn } from "../../domain/contrast";
import { LANGUAGE_NAMES, LANGUAGES, type Language } from "../../domain/languages";
import { ApiFailure } from "../api";
import { FormError } from "../components";
import { currentLanguage, t } from "../i18n";
import { notify } from "../notices";
import type { Appearance, Settings } from "../types";
import { Field } from "./Field";
import { type TextDefaults, useTextDefaults } from "./textDefaults";
import { failureText, useSettings } from "./useSettings";
import { WidgetPreview } from "./WidgetPreview";

type Save = ReturnType<typeof useSettings>["save"];
type Draft = Appearance & { locale: Language };
/** Why a save was refused, and whether it was the colour. */
type Refusal = { message: string; onColor: boolean };

const HEX = /^#[0-9a-f]{6}$/;

/** "#3B5BDB" or "3b5bdb" as "#3b5bdb"; null while it is not a colour yet. */
function hexColor(text: string): string | null {
  const hex = text.trim().toLowerCase();
  const withHash = hex.startsWith("#") ? hex : `#${hex}`;
  return HEX.test(withHash) ? withHash : null;
}

/** The ratio rounded down, so that one just short of AA never reads as "4.5:1". */
function ratioText(ratio: number): string {
  return (Math.floor(ratio * 10) / 10).toLocaleString(currentLanguage(), { minimumFractionDigits: 1, maximumFractionDigits: 1 });
}

/** The server's 400 names the setting it refuses (src/http/validation.ts): a refused colour is said on its field. */
function refusal(error: unknown): Refusal {
  const first = error instanceof ApiFailure && Array.isArray(error.details) ? (error.details[0] as { path?: unknown; message?: unknown } | undefined) : undefined;
  if (first?.path === "appearance.color" && typeof first.message === "string") return { message: first.message, onColor: true };
  return { message: failureText(error, t("common.notSaved")), onColor: false };
}

const inputValue = (event: Event) => (event.target as HTMLInputElement).value;

export function AppearanceSettings() {
  const { settings, save } = useSettings();
  const texts = useTextDefaults();
  if (!settings) return <p class="empty">{t("common.loading")}</p>;
  return <AppearanceForm stored={settings} save={save} texts={texts} />;
}

function AppearanceForm({ stored, save, texts }: { stored: Settings; save: Save; texts: TextDefaults | null }) {
  const [draft, setDraft] = useState<Draft>({ locale: stored.locale, ...stored.appearance });
  const [hex, setHex] = useState(stored.appearance.color);
  const [dirty, setDirty] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Refusal | null>(null);

  const change = (patch: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setDirty(true);
    setError(null);
  };
  const typeHex = (text: string) => {
    setHex(text);
    const color = hexColor(text);
    if (color) change({ color });
  };
  const pick = (color: string) => {
    setHex(color);
    change({ color });
  };

  const hexValid = hexColor(hex) !== null;
  const ratio = contrastRatio(draft.color, textOn(draft.color));
  const readable = ratio >= AA_TEXT;
  const colorRefused = error?.onColor === true;
  const defaults = texts?.defaults[draft.locale];

  const submit = async (event: Event) => {
    event.preventDefault();
    const { locale, ...appearance } = draft;
    setError(null);
    setBusy(true);
    try {
      await save({ locale, appearance });
      setDirty(false);
      notify(t("appearance.saved"));
    } catch (e) {
      setError(refusal(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="appearance-settings">
      <form class="stack" onSubmit={submit} aria-label={t("appearance.tabAppearance")} noValidate>
        <Field id="appearance-locale" label={t("appearance.locale")} help={t("appearance.localeHelp")}>
          <select id="appearance-locale" name="locale" aria-describedby="appearance-locale-help" onChange={(e: Event) => change({ locale: inputValue(e) as Language })}>
            {LANGUAGES.map((language) => (
              <option key={language} value={language} selected={language === draft.locale}>
                {LANGUAGE_NAMES[language]}
              </option>
            ))}
          </select>
        </Field>
        <div class="stack tight">
          <label for="appearance-color" class="field-title">
            {t("appearance.color")}
          </label>
          <div class="color-row">
            <input id="appearance-color" type="color" value={draft.color} aria-describedby="appearance-contrast" onInput={(e: Event) => pick(inputValue(e))} />
            <input
              name="color"
              value={hex}
              maxLength={7}
              autocomplete="off"
              spellcheck={false}
              aria-label={t("appearance.colorHex")}
              aria-invalid={!hexValid || !readable || colorRefused ? "true" : undefined}
              aria-describedby="appearance-contrast"
              onInput={(e: Event) => typeHex(inputValue(e))}
            />
          </div>
          <small id="appearance-contrast" class={`contrast ${hexValid && readable ? "ok" : "low"}`} aria-live="polite">
            {hexValid ? t(readable ? "appearance.contrastOk" : "appearance.contrastLow", { ratio: ratioText(ratio) }) : t("appearance.colorInvalid")}
          </small>
          <FormError message={colorRefused ? error.message : null} />
        </div>
        <fieldset class="choices launcher-position">
          <legend>{t("appearance.position")}</legend>
          {(["left", "right"] as const).map((side) => (
            <label key={side} class="check">
              <input type="radio" name="position" value={side} checked={draft.position === side} onChange={() => change({ position: side })} />
              {t(side === "left" ? "appearance.left" : "appearance.right")}
            </label>
          ))}
        </fieldset>
        <Field id="appearance-launcher-label" label={t("appearance.launcherLabel")} help={t("appearance.launcherLabelHelp")}>
          <input
            id="appearance-launcher-label"
            name="launcherLabel"
            value={draft.launcherLabel}
            maxLength={30}
            aria-describedby="appearance-launcher-label-help"
            onInput={(e: Event) => change({ launcherLabel: inputValue(e) })}
          />
        </Field>
        <Field id="appearance-team-name" label={t("appearance.teamName")} help={t("appearance.teamNameHelp")}>
          <input
            id="appearance-team-name"
            name="teamName"
            value={draft.teamName}
            maxLength={60}
            placeholder={t("appearance.previewTitle")}
            aria-describedby="appearance-team-name-help"
            onInput={(e: Event) => change({ teamName: inputValue(e) })}
          />
        </Field>
        {/* The two texts visitors read in the workspace's language, each over its default there. */}
        {(["greeting", "awayText"] as const).map((key) => (
          <Field key={key} id={`appearance-${key}`} label={t(`appearance.${key}Label`)} help={t(`appearance.${key}Help`)}>
            <textarea
              id={`appearance-${key}`}
              name={key}
              rows={2}
              maxLength={300}
              lang={draft.locale}
              value={draft[key]}
              placeholder={defaults?.[key]}
              aria-describedby={`appearance-${key}-help`}
              onInput={(e: Event) => change({ [key]: inputValue(e) })}
            />
          </Field>
        ))}
        <FormError message={error && !colorRefused ? error.message : null} />
        <div class="faq-save">
          <button type="submit" disabled={busy || !hexValid || !readable}>
            {t("appearance.save")}
          </button>
          {dirty ? <span class="muted">{t("appearance.unsaved")}</span> : null}
        </div>
      </form>
      <WidgetPreview
        color={draft.color}
        position={draft.position}
        launcherLabel={draft.launcherLabel.trim()}
        title={draft.teamName.trim() || t("appearance.previewTitle")}
        greeting={draft.greeting.trim() || (defaults?.greeting ?? "")}
        awayText={draft.awayText.trim() || (defaults?.awayText ?? "")}
      />
    </div>
  );
}
