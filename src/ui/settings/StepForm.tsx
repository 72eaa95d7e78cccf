// One step of a workflow in the editor: its type, that type's fields, and the buttons that move or
// remove it. Every type shares the frame; only the fields below it change. A textarea's text is
// part of its label's, so each also says its own name (aria-label).
import { useId } from "hono/jsx/dom";
import { t } from "../i18n";
import type { AskExpects, Condition, StepType, Teammate } from "../types";
import { CONTACT_FIELDS, CUSTOM_PREFIX, STEP_TYPES, stepLabel, typeLabel, type StepDraft } from "./workflowDraft";

export type StepFormProps = {
  draft: StepDraft;
  index: number;
  /** Every step as it stands now, in order: a branch chooses among those after it. */
  steps: StepDraft[];
  teammates: Teammate[] | null;
  /** What the server said is wrong with this step at the last save. */
  issues: string[];
  onChange: (patch: Partial<StepDraft>) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
};

const value = (e: Event) => (e.target as HTMLInputElement).value;

export function StepForm(props: StepFormProps) {
  const { draft, index, steps, issues, onChange, onMove, onRemove } = props;
  const id = useId();
  const errorId = `${id}-issues`;
  return (
    <fieldset class={`step-form${issues.length ? " invalid" : ""}`} aria-describedby={issues.length ? errorId : undefined} data-step={draft.id}>
      <legend>{t("settings.stepLegend", { n: index + 1, type: typeLabel(draft.type) })}</legend>
      <div class="step-head">
        <label class="step-type">
          {t("settings.stepType")}
          <select value={draft.type} onChange={(e: Event) => onChange({ type: value(e) as StepType })}>
            {STEP_TYPES.map((s) => (
              <option key={s.type} value={s.type} selected={s.type === draft.type}>
                {t(s.option)}
              </option>
            ))}
          </select>
        </label>
        <div class="row-actions step-actions">
          <button type="button" class="secondary small" data-focus={`${draft.key}-up`} disabled={index === 0} onClick={() => onMove(-1)}>
            {t("settings.stepMoveUp")}
          </button>
          <button type="button" class="secondary small" data-focus={`${draft.key}-down`} disabled={index === steps.length - 1} onClick={() => onMove(1)}>
            {t("settings.stepMoveDown")}
          </button>
          <button type="button" class="danger small" onClick={onRemove}>
            {t("settings.stepRemove")}
          </button>
        </div>
      </div>
      <div class="step-fields">
        <StepFields {...props} />
      </div>
      {issues.length ? (
        <div id={errorId}>
          {issues.map((text) => (
            <p key={text} class="form-error" role="alert">
              {text}
            </p>
          ))}
        </div>
      ) : null}
    </fieldset>
  );
}

function StepFields({ draft: d, index, steps, teammates, onChange }: StepFormProps) {
  switch (d.type) {
    case "message":
      return (
        <>
          <label class="wide-field">
            {t("settings.stepMessage")}
            <textarea aria-label={t("settings.stepMessage")} rows={3} maxLength={1000} value={d.body} onInput={(e: Event) => onChange({ body: value(e), bodyText: null })} />
          </label>
          {d.bodyText ? <BusinessTextNote /> : null}
        </>
      );
    case "ask":
      return <AskFields draft={d} onChange={onChange} />;
    case "branch":
      return <BranchFields draft={d} index={index} steps={steps} teammates={teammates} onChange={onChange} />;
    case "tag":
      return (
        <label>
          {t("settings.stepTag")}
          <input value={d.tag} maxLength={50} placeholder={t("settings.stepTagPlaceholder")} onInput={(e: Event) => onChange({ tag: value(e) })} />
        </label>
      );
    case "assign":
      return <AssignField draft={d} teammates={teammates} onChange={onChange} />;
    case "wait":
      return (
        <label>
          {t("settings.stepWaitMinutes")}
          <input type="number" inputMode="numeric" min={1} max={10080} value={d.minutes} onInput={(e: Event) => onChange({ minutes: value(e) })} />
        </label>
      );
    case "complete":
      return <p class="muted step-note">{t("settings.stepCompleteNote")}</p>;
  }
}

/** Said under a body that stands for a business text: what is typed here replaces it. */
function BusinessTextNote() {
  return <p class="muted step-note wide-field">{t("settings.stepBusinessText")}</p>;
}

const EXPECTS = [
  { id: "email", label: "settings.expectsEmail" },
  { id: "phone", label: "settings.expectsPhone" },
  { id: "text", label: "settings.expectsText" },
] as const satisfies readonly { id: AskExpects; label: string }[];

function AskFields({ draft: d, onChange }: { draft: StepDraft; onChange: StepFormProps["onChange"] }) {
  // An email or phone answer is saved as that identity: a text answer cannot be.
  const expect = (expects: AskExpects) => onChange({ expects, ...(d.saveTo === "email" || d.saveTo === "phone" ? { saveTo: "" } : {}) });
  return (
    <>
      <label class="wide-field">
        {t("settings.stepQuestion")}
        <textarea aria-label={t("settings.stepQuestion")} rows={2} maxLength={1000} value={d.question} onInput={(e: Event) => onChange({ question: value(e), questionText: null })} />
      </label>
      {d.questionText ? <BusinessTextNote /> : null}
      <label>
        {t("settings.stepAnswerExpected")}
        <select value={d.expects} onChange={(e: Event) => expect(value(e) as AskExpects)}>
          {EXPECTS.map((x) => (
            <option key={x.id} value={x.id} selected={x.id === d.expects}>
              {t(x.label)}
            </option>
          ))}
        </select>
      </label>
      {d.expects === "text" ? (
        <FieldPicker label={t("settings.stepSaveAnswerTo")} field={d.saveTo} onChange={(saveTo) => onChange({ saveTo })} none={t("settings.stepDontSave")} identities={false} />
      ) : (
        <p class="muted step-note span-rest">{d.expects === "email" ? t("settings.stepJoinsByEmail") : t("settings.stepJoinsByPhone")}</p>
      )}
      <label>
        {t("settings.stepRetries")}
        <input type="number" inputMode="numeric" min={0} max={5} value={d.retries} onInput={(e: Event) => onChange({ retries: value(e) })} />
      </label>
      <label>
        {t("settings.stepTimeout")}
        <input type="number" inputMode="numeric" min={1} max={10080} value={d.timeoutMinutes} onInput={(e: Event) => onChange({ timeoutMinutes: value(e) })} />
      </label>
      <label class="wide-field">
        <span>
          {t("settings.stepRetryMessage")} <span class="muted">{t("settings.stepRetryMessageOptional")}</span>
        </span>
        <input value={d.retryMessage} maxLength={500} onInput={(e: Event) => onChange({ retryMessage: value(e) })} />
      </label>
    </>
  );
}

const OPS = [
  { id: "set", label: "settings.opSet" },
  { id: "unset", label: "settings.opUnset" },
  { id: "equals", label: "settings.opEquals" },
] as const satisfies readonly { id: Condition["op"]; label: string }[];

function BranchFields({ draft: d, index, steps, teammates, onChange }: Pick<StepFormProps, "draft" | "index" | "steps" | "teammates" | "onChange">) {
  const later = steps.slice(index + 1);
  const target = steps.findIndex((s) => s.id === d.goTo);
  // A target that is no longer ahead (moved, or removed) stays chosen, said plainly, so that saving shows the server's refusal rather than a silent change.
  const stale = d.goTo !== "end" && target <= index;
  return (
    <>
      <FieldPicker label={t("settings.stepIfField")} field={d.field} onChange={(field) => onChange({ field })} identities />
      <label>
        {t("settings.stepCondition")}
        <select value={d.op} onChange={(e: Event) => onChange({ op: value(e) as Condition["op"] })}>
          {OPS.map((o) => (
            <option key={o.id} value={o.id} selected={o.id === d.op}>
              {t(o.label)}
            </option>
          ))}
        </select>
      </label>
      {d.op === "equals" ? (
        <label>
          {t("settings.stepValue")}
          <input value={d.value} maxLength={200} onInput={(e: Event) => onChange({ value: value(e) })} />
        </label>
      ) : null}
      <label class="wide-field">
        {t("settings.stepGoTo")}
        <select value={d.goTo} onChange={(e: Event) => onChange({ goTo: value(e) })}>
          {stale ? (
            <option value={d.goTo} selected>
              {target < 0 ? t("settings.stepRemovedTarget") : t("settings.stepEarlierTarget", { step: stepLabel(steps[target]!, target, teammates) })}
            </option>
          ) : null}
          {later.map((s, i) => (
            <option key={s.key} value={s.id} selected={s.id === d.goTo}>
              {stepLabel(s, index + 1 + i, teammates)}
            </option>
          ))}
          <option value="end" selected={d.goTo === "end"}>
            {t("settings.stepEnd")}
          </option>
        </select>
      </label>
      <p class={`step-note wide-field ${stale ? "warn" : "muted"}`}>{stale ? t("settings.stepStaleTarget") : t("settings.stepOtherwise")}</p>
    </>
  );
}

function AssignField({ draft: d, teammates, onChange }: { draft: StepDraft; teammates: Teammate[] | null; onChange: StepFormProps["onChange"] }) {
  const known = d.assignTo === "round-robin" || !teammates || teammates.some((t) => t.id === d.assignTo);
  return (
    <label class="wide-field">
      {t("settings.stepAssignTo")}
      <select value={d.assignTo} onChange={(e: Event) => onChange({ assignTo: value(e) })}>
        <option value="round-robin" selected={d.assignTo === "round-robin"}>
          {t("settings.stepRoundRobinOption")}
        </option>
        {known ? null : (
          <option value={d.assignTo} selected>
            {t("settings.stepFormerTeammate")}
          </option>
        )}
        {(teammates ?? []).map((t) => (
          <option key={t.id} value={t.id} selected={t.id === d.assignTo}>
            {t.name}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * A contact field: one of the person's own, or a custom field by name. `identities` offers email and
 * phone (a branch reads them; a text answer cannot fill them). `none` offers leaving it empty.
 */
function FieldPicker({ label, field, onChange, identities, none }: { label: string; field: string; onChange: (field: string) => void; identities: boolean; none?: string }) {
  const custom = field.startsWith(CUSTOM_PREFIX);
  const choices = CONTACT_FIELDS.filter((f) => identities || (f.field !== "email" && f.field !== "phone"));
  const pick = (choice: string) => onChange(choice === "custom" ? CUSTOM_PREFIX : choice);
  return (
    <>
      <label>
        {label}
        <select value={custom ? "custom" : field} onChange={(e: Event) => pick(value(e))}>
          {none !== undefined ? (
            <option value="" selected={field === ""}>
              {none}
            </option>
          ) : null}
          {choices.map((f) => (
            <option key={f.field} value={f.field} selected={f.field === field}>
              {t(f.label)}
            </option>
          ))}
          <option value="custom" selected={custom}>
            {t("settings.stepCustomField")}
          </option>
        </select>
      </label>
      {custom ? (
        <label>
          {t("settings.stepCustomFieldName")}
          <input
            value={field.slice(CUSTOM_PREFIX.length)}
            maxLength={40}
            spellcheck={false}
            placeholder={t("settings.stepCustomFieldPlaceholder")}
            onInput={(e: Event) => onChange(CUSTOM_PREFIX + value(e).trim())}
          />
        </label>
      ) : null}
    </>
  );
}
