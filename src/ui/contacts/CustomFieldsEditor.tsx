// A contact's custom fields on their profile: each one editable and removable, and a form to add one.
// A change is a merge (PATCH customFields: {name: value | null}); the server's answer is what is shown.
import { useRef, useState } from "hono/jsx/dom";
import { FormError } from "../components";
import { notify, notifyError } from "../notices";
import type { CustomFields, CustomFieldValue } from "../types";
import { FIELD_NAME, KIND_LABELS, kindOf, MAX_FIELDS, MAX_TEXT, parseValue, showValue, sortedFields, type KindChoice } from "./fieldValues";

type Patch = (changes: Record<string, CustomFieldValue | null>) => Promise<void>;

export function CustomFieldsEditor({ fields, onPatch }: { fields: CustomFields; onPatch: Patch }) {
  const [editing, setEditing] = useState<string | null>(null);
  const entries = sortedFields(fields);
  const remove = async (name: string) => {
    try {
      await onPatch({ [name]: null });
      if (editing === name) setEditing(null);
      notify(`Removed the field ${name}.`);
    } catch (error) {
      notifyError(error);
    }
  };
  return (
    <section class="contact-section" aria-labelledby="custom-fields-title">
      <h3 id="custom-fields-title">Custom fields</h3>
      {entries.length ? (
        <table class="fields-table" aria-labelledby="custom-fields-title">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Value</th>
              <th scope="col">
                <span class="sr">Actions</span>
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
                        notify(`Saved ${name}.`);
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
                    {kindOf(value) === "text" ? null : <span class="field-kind"> {KIND_LABELS[kindOf(value)]}</span>}
                  </td>
                  <td class="field-actions">
                    <button type="button" class="secondary small" aria-label={`Edit field ${name}`} onClick={() => setEditing(name)}>
                      Edit
                    </button>
                    <button type="button" class="danger small" aria-label={`Remove field ${name}`} onClick={() => remove(name)}>
                      Remove
                    </button>
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      ) : (
        <p class="muted">No custom fields yet: add what your team tracks, such as a plan or a number of seats.</p>
      )}
      {entries.length >= MAX_FIELDS ? (
        <p class="muted">A contact can have at most {MAX_FIELDS} custom fields: remove one to add another.</p>
      ) : (
        <AddField taken={(name) => name in fields} onAdd={(name, value) => onPatch({ [name]: value })} />
      )}
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
          Yes
        </option>
        <option value="false" selected={!yes}>
          No
        </option>
      </select>
    );
  }
  return (
    <input
      name="value"
      aria-label={label}
      value={value === undefined || typeof value === "boolean" ? "" : String(value)}
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
          {KIND_LABELS[k]}
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
      setError(e instanceof Error ? e.message : "Not saved.");
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="field-form" aria-label={`Edit field ${name}`} onSubmit={submit} onKeyDown={(e: KeyboardEvent) => e.key === "Escape" && props.onCancel()}>
      <ValueInput key={kind} kind={kind} label={`Value of ${name}`} value={value} />
      <KindSelect kind={kind} onChange={setKind} label={`Type of ${name}`} auto={false} />
      <button type="submit" class="small" disabled={busy}>
        Save
      </button>
      <button type="button" class="link" onClick={props.onCancel}>
        Cancel
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
    if (taken(name)) return setError(`This contact has a field named ${name} already: edit it above.`);
    const parsed = parseValue(kind, String(data.get("value") ?? ""));
    if ("error" in parsed) return setError(parsed.error);
    setError(null);
    setBusy(true);
    try {
      await onAdd(name, parsed.value);
      notify(`Added ${name}.`);
      form.reset();
      setKind("auto");
      nameInput.current?.focus();
    } catch (e) {
      setError(e instanceof Error ? e.message : "Not added.");
    } finally {
      setBusy(false);
    }
  };
  return (
    <form class="field-add" aria-label="Add field" onSubmit={submit}>
      <label>
        Name
        <input
          ref={nameInput}
          name="name"
          required
          maxLength={40}
          pattern={FIELD_NAME}
          title="Up to 40 letters, digits, _ or -, no spaces"
          placeholder="e.g. plan"
          autoComplete="off"
          spellcheck={false}
        />
      </label>
      <label>
        Type
        <KindSelect kind={kind} onChange={setKind} label="Type" auto />
      </label>
      <label>
        Value
        <ValueInput key={kind} kind={kind} label="Value" />
      </label>
      <button type="submit" class="secondary" disabled={busy}>
        Add field
      </button>
      <p class="hint muted">Names: letters, digits, _ or -. Automatic keeps 12 as a number and true or false as yes / no; anything else is text.</p>
      <FormError message={error} />
    </form>
  );
}
