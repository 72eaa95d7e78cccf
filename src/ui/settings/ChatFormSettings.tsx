// Which fields the chat widget's pre-chat form asks for. Email is always asked.
import { useState } from "hono/jsx/dom";
import { FormError, formValues } from "../components";
import { t } from "../i18n";
import { notify } from "../notices";
import type { FieldRule, Settings } from "../types";
import { failureText, useSettings } from "./useSettings";

const FIELDS = [
  { key: "phone", label: "settings.chatFormPhone" },
  { key: "account", label: "settings.chatFormAccount" },
  { key: "fullName", label: "settings.chatFormFullName" },
] as const satisfies readonly { key: keyof Settings["chatForm"]; label: string }[];
const RULES = [
  { value: "optional", label: "settings.ruleOptional" },
  { value: "required", label: "settings.ruleRequired" },
  { value: "off", label: "settings.ruleOff" },
] as const satisfies readonly { value: FieldRule; label: string }[];

export function ChatFormSettings() {
  const { settings, save } = useSettings();
  const [error, setError] = useState<string | null>(null);
  if (!settings) return <p class="empty">{t("common.loading")}</p>;
  const submit = async (event: Event) => {
    const v = formValues(event);
    setError(null);
    try {
      await save({ chatForm: { phone: v.phone as FieldRule, account: v.account as FieldRule, fullName: v.fullName as FieldRule } });
      notify(t("settings.chatFormSaved"));
    } catch (e) {
      setError(failureText(e, t("common.notSaved")));
    }
  };
  return (
    <form class="stack narrow" onSubmit={submit} aria-label={t("settings.chatFormFields")}>
      <p>{t("settings.chatFormAbout")}</p>
      {FIELDS.map((f) => (
        <label key={f.key}>
          {t(f.label)}
          <select name={f.key}>
            {RULES.map((r) => (
              <option key={r.value} value={r.value} selected={settings.chatForm[f.key] === r.value}>
                {t(r.label)}
              </option>
            ))}
          </select>
        </label>
      ))}
      <FormError message={error} />
      <div>
        <button type="submit">{t("settings.chatFormSave")}</button>
      </div>
    </form>
  );
}
