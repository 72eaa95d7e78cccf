// A contact's custom fields on their profile: each one editable and removable, and a form to add one.
// A change is a merge (PATCH customFields: {name: value | null}); the server's answer is what is shown.
import { useRef, useState } from "hono/jsx/dom";
import { FormError } from "../components";
import { t, tn } from "../i18n";
import { notify, notifyError } from "../notices";
import type { CustomFields, CustomFieldValue } from "../types";
import { FIELD_NAME, kindLabel, kindOf, typedNumber, MAX_FIELDS, MAX_TEXT, parseValue, showValue, sortedFields, type KindChoice } from "./fieldValues";

type Patch = (changes: Record<string, CustomFieldValue | null>) => Promise<void>;

export function CustomFieldsEditor({ fields, onPatch }: { fields: CustomFields; onPatch: Patch }) {
  const [editing, setEditing] = useState<string | null>(null);
  const entries = sortedFields(fields);
  const remove = async (name: string) => {
    try {
      await onPatch({ [name]: null });
      if (editing === name) setEditing(null);
      notify(t("contacts.fieldRemoved", { name }));
    } catch (error) {
      notifyError(error);
    }
  };
  return (
    <section class="contact-section" aria-labelledby="custom-fields-title">
      <h3 id="custom-fields-title">{t("contacts.customFields")}</h3>
      {entries.length ? (
        <table class="fields-table" aria-labelledby="custom-fields-title">
          <thead>
            <tr>
              <th scope="col">{t("common.name")}</th>
              <th scope="col">{t("contacts.value")}</th>
              <th scope="col">
                <span class="sr">{t("contacts.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {entries.map(([name, value]) =>
              editing === name ? (
                <tr key={`${name}:edit`}>
                  <th scope="row" class="field-name">
                    {name}
                  </th>
                  <td colSpan={2}>
                    <EditField
                      key={`${name}:${String(value)}`}
                      name={name}
                      value={value}
                      onSave={async (next) => {
                        await onPatch({ [name]: next });
                        setEditing(null);
                        notify(t("contacts.fieldSaved", { name }));
                      }}
                      onCancel={() => setEditing(null)}
                    />
                  </td>
                </tr>
              ) : (
                <tr key={name}>
                  <th scope="row" class="field-name">
                    {name}
                  </th>
                  <td class="field-value">
                    {showValue(value)}
                    {kindOf(value) === "text" ? null : <span class="field-kind"> {kindLabel(kindOf(value))}</span>}
                  </td>
                  <td class="field-actions">
                    <button type="button" class="secondary small" aria-label={t("contacts.editField", { name })} onClick={() => setEditing(name)}>
                      {t("common.edit")}
                    </button>
                    <button type="button" class="danger small" aria-label={t("contacts.removeField", { name })} onClick={() => remove(name)}>
                      {t("common.remove")}
                    </button>
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      ) : (
        <p class="muted">{t("contacts.noFields")}</p>
      )}
      {entries.length >= MAX_FIELDS ? <p class="muted">{tn("contacts.fieldsFull", MAX_FIELDS)}</p> : <AddField taken={(name) => name in fields} onAdd={(name, value) => onPatch({ [name]: value })} />}
    </section>
  );
}

/** The value's control for a kind: yes / no is a choice, the rest is typed. */
function ValueInput({ kind, label, value }: { kind: KindChoice; label: string; value?: CustomFieldValue }) {
  if (kind === "boolean") {
    const yes = value === undefined ? true : value === true || String(value).toLowerCase() === "true";
    return (
      <select name="value" aria-label={label}>
        <option value="true" selected={yes}>
          {t("common.yes")}
        </option>
        <option value="false" selected={!yes}>
          {t("common.no")}
        </option>
      </select>
    );
  }
  return (
    <input
      name="value"
      aria-label={label}
      value={value === undefined || typeof value === "boolean" ? "" : typeof value === "number" ? typedNumber(value) : value}
      inputMode={kind === "number" ? "decimal" : undefined}
      maxLength={MAX_TEXT}
      required
    />
  );
}

function KindSelect({ kind, onChange, label, auto }: { kind: KindChoice; onChange: (kind: KindChoice) => void; label: string; auto: boolean }) {
  const choices: KindChoice[] = auto ? ["auto", "text", "number", "boolean"] : ["text", "number", "boolean"];
  return (
    <select name="kind" aria-label={label} onChange={(e: Event) => onChange((e.target as HTMLSelectElement).value as KindChoice)}>
      {choices.map((k) => (
        <option key={k} value={k} selected={k === kind}>
          {kindLabel(k)}
        </option>
      ))}
    </select>
  );
}

function EditField(props: { name: string; value: CustomFieldValue; onSave: (value: CustomFieldValue) => Promise<void>; onCancel: () => void }) {
  const { name, value } = props;
  const [kind, setKind] = useState<KindChoice>(kindOf(value));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    event.preventDefault();
    const typed = String(new FormData(event.currentTarget as HTMLFormElement).get("value") ?? "");
    const parsed = parseValue(kind, typed);
    if ("error" in parsed) return setError(parsed.error);
    setError(null);
    setBusy(true);
    try {
      await props.onSave(parsed.value);
    } catch (e) {
      setError(e instanceof Error ? e.message : t("common.notSaved"));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="field-form" aria-label={t("contacts.editField", { name })} onSubmit={submit} onKeyDown={(e: KeyboardEvent) => e.key === "Escape" && props.onCancel()}>
      <ValueInput key={kind} kind={kind} label={t("contacts.valueOf", { name })} value={value} />
      <KindSelect kind={kind} onChange={setKind} label={t("contacts.typeOf", { name })} auto={false} />
      <button type="submit" class="small" disabled={busy}>
        {t("common.save")}
      </button>
      <button type="button" class="link" onClick={props.onCancel}>
        {t("common.cancel")}
      </button>
      <FormError message={error} />
    </form>
  );
}

function AddField({ taken, onAdd }: { taken: (name: string) => boolean; onAdd: (name: string, value: CustomFieldValue) => Promise<void> }) {
  const [kind, setKind] = useState<KindChoice>("auto");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const nameInput = useRef<HTMLInputElement>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const name = String(data.get("name") ?? "").trim();
    if (taken(name)) return setError(t("contacts.fieldTaken", { name }));
    const parsed = parseValue(kind, String(data.get("value") ?? ""));
    if ("error" in parsed) return setError(parsed.error);
    setError(null);
    setBusy(true);
    try {
      await onAdd(name, parsed.value);
      notify(t("contacts.fieldAdded", { name }));
      form.reset();
      setKind("auto");
      nameInput.current?.focus();
    } catch (e) {
      setError(e instanceof Error ? e.message : t("contacts.notAdded"));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="field-add" aria-label={t("contacts.addField")} onSubmit={submit}>
      <label>
        {t("common.name")}
        <input
          ref={nameInput}
          name="name"
          required
          maxLength={40}
          pattern={FIELD_NAME}
          title={t("contacts.fieldNameRule")}
          placeholder={t("contacts.fieldNameExample")}
          autoComplete="off"
          spellcheck={false}
        />
      </label>
      <label>
        {t("contacts.type")}
        <KindSelect kind={kind} onChange={setKind} label={t("contacts.type")} auto />
      </label>
      <label>
        {t("contacts.value")}
        <ValueInput key={kind} kind={kind} label={t("contacts.value")} />
      </label>
      <button type="submit" class="secondary" disabled={busy}>
        {t("contacts.addField")}
      </button>
      <p class="hint muted">{t("contacts.fieldsHint")}</p>
      <FormError message={error} />
    </form>
  );
}
