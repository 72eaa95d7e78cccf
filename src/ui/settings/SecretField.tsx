// A write-only secret in Settings: the API reads secrets back masked, so the field starts empty and
// an empty field leaves the stored secret as it is. With `generate`, a button fills in a random
// secret and shows it, with a Copy button, so the admin can hand it to the other side.
import { useId, useRef, useState } from "hono/jsx/dom";
import { t } from "../i18n";
import { CopyButton } from "./CopyButton";

/** 32 hex digits (128 random bits). */
export function randomSecret(): string {
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

type Props = {
  name: string;
  label: string;
  /** The stored secret as the API reads it back (masked), or "" when none is set. */
  stored: string;
  generate?: boolean;
  required?: boolean;
  minLength?: number;
  placeholder?: string;
  hint?: string;
};

export function SecretField({ name, label, stored, generate = false, required = false, minLength, placeholder, hint }: Props) {
  const id = useId();
  const input = useRef<HTMLInputElement>(null);
  // The secret shown in clear: one Generate made (and whatever the admin typed over it since).
  const [shown, setShown] = useState<string | null>(null);
  const hold = placeholder ?? (stored ? t("settings.secretSaved") : t("settings.secretNotSet"));

  if (!generate) {
    return (
      <label>
        {label}
        <input name={name} type="password" autocomplete="new-password" spellcheck={false} maxLength={500} placeholder={hold} required={required} minLength={minLength} />
      </label>
    );
  }

  const fill = () => {
    const secret = randomSecret();
    setShown(secret);
    if (input.current) {
      input.current.value = secret;
      input.current.focus();
      input.current.select();
    }
  };
  return (
    <div class="stack tight">
      <label for={id} class="field-title">
        {label}
      </label>
      <div class="copy-row">
        <input
          ref={input}
          id={id}
          name={name}
          type={shown === null ? "password" : "text"}
          class={shown === null ? undefined : "secret-shown"}
          autocomplete="new-password"
          spellcheck={false}
          maxLength={500}
          placeholder={hold}
          required={required}
          minLength={minLength}
          aria-describedby={hint ? `${id}-hint` : undefined}
          onInput={(e: Event) => shown !== null && setShown((e.target as HTMLInputElement).value)}
        />
        <button type="button" class="secondary" onClick={fill}>
          {t("settings.generate")}
        </button>
        {shown ? <CopyButton text={shown} label={t("settings.copy")} /> : null}
      </div>
      {hint ? (
        <small id={`${id}-hint`} class="muted">
          {hint}
        </small>
      ) : null}
    </div>
  );
}
