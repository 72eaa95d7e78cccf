// Which fields the chat widget's pre-chat form asks for. Email is always asked.
import { useState } from "hono/jsx/dom";
import { FormError, formValues } from "../components";
import { notify } from "../notices";
import type { FieldRule, Settings } from "../types";
import { useSettings } from "./useSettings";

const FIELDS: { key: keyof Settings["chatForm"]; label: string }[] = [
  { key: "phone", label: "Phone number" },
  { key: "account", label: "Account" },
  { key: "fullName", label: "Full name" },
];
const RULES: { value: FieldRule; label: string }[] = [
  { value: "optional", label: "Optional" },
  { value: "required", label: "Required" },
  { value: "off", label: "Removed" },
];

export function ChatFormSettings() {
  const { settings, save } = useSettings();
  const [error, setError] = useState<string | null>(null);
  if (!settings) return <p class="empty">Loading…</p>;
  const submit = async (event: Event) => {
    const v = formValues(event);
    setError(null);
    try {
      await save({ chatForm: { phone: v.phone as FieldRule, account: v.account as FieldRule, fullName: v.fullName as FieldRule } });
      notify("Chat form saved.");
    } catch (e) {
      setError(e instanceof Error ? e.message : "Not saved.");
    }
  };
  return (
    <form class="stack narrow" onSubmit={submit} aria-label="Chat form fields">
      <p>Visitors always give their email before they chat. Choose what else the form asks.</p>
      {FIELDS.map((f) => (
        <label key={f.key}>
          {f.label}
          <select name={f.key}>
            {RULES.map((r) => (
              <option key={r.value} value={r.value} selected={settings.chatForm[f.key] === r.value}>
                {r.label}
              </option>
            ))}
          </select>
        </label>
      ))}
      <FormError message={error} />
      <div>
        <button type="submit">Save chat form</button>
      </div>
    </form>
  );
}
