// A workflow's editor: its name, whether it runs, the channels whose new conversations start it,
// and its steps, one form each. Saving sends it whole (each save is a new version); what the server
// refuses is said by the Save button and at the step it names.
import { useEffect, useState } from "hono/jsx/dom";
import { api, ApiFailure } from "../api";
import { FormError, Time } from "../components";
import { formatNumber, t } from "../i18n";
import { notify } from "../notices";
import { navigate } from "../router";
import { useTeammates } from "../teammates";
import type { TriggerChannel, Workflow } from "../types";
import { StepForm } from "./StepForm";
import { failureText } from "./useSettings";
import { draftOf, issuesByStep, newDraft, refusal, stepOf, type StepDraft } from "./workflowDraft";

export const WORKFLOWS_PATH = "/settings/workflows";
const MAX_STEPS = 30;
const TRIGGER_CHANNELS = [
  { id: "chat", label: "settings.triggerChat" },
  { id: "messenger", label: "settings.triggerMessenger" },
  { id: "sms", label: "settings.triggerSms" },
] as const satisfies readonly { id: TriggerChannel; label: string }[];

/** The editor of the stored workflow `workflowId` (loaded afresh, so a reload shows what is saved), or of a new one. */
export function WorkflowEditor({ workflowId }: { workflowId: string | null }) {
  const [stored, setStored] = useState<Workflow | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  useEffect(() => {
    if (workflowId) api<Workflow>("GET", `/workflows/${workflowId}`).then(setStored, (e) => setLoadError(failureText(e, t("settings.workflowNotLoaded"))));
  }, [workflowId]);

  if (workflowId && !stored) {
    return loadError ? (
      <div>
        <FormError message={loadError} />
        <a href={WORKFLOWS_PATH}>{t("settings.workflowBack")}</a>
      </div>
    ) : (
      <p class="empty">{t("common.loading")}</p>
    );
  }
  return <WorkflowForm stored={stored} />;
}

type Fields = { name: string; enabled: boolean; channels: Set<TriggerChannel>; steps: StepDraft[] };

/** The form's fields from what is stored; `keys` keeps the steps' identities across a save. */
function fieldsOf(workflow: Workflow | null, keys: number[] = []): Fields {
  if (!workflow) return { name: "", enabled: true, channels: new Set(["chat"]), steps: [newDraft([])] };
  return {
    name: workflow.name,
    enabled: workflow.enabled,
    channels: new Set(workflow.trigger.channels),
    steps: workflow.steps.map((s, i) => draftOf(s, keys[i])),
  };
}

/** Puts the focus back on a step's button after the step moved (its buttons are rendered anew). */
function refocus(key: number, by: -1 | 1) {
  requestAnimationFrame(() => {
    const same = document.querySelector<HTMLButtonElement>(`[data-focus="${key}-${by < 0 ? "up" : "down"}"]`);
    const other = document.querySelector<HTMLButtonElement>(`[data-focus="${key}-${by < 0 ? "down" : "up"}"]`);
    (same && !same.disabled ? same : other)?.focus();
  });
}

function WorkflowForm({ stored: initial }: { stored: Workflow | null }) {
  const [stored, setStored] = useState(initial);
  const [fields, setFields] = useState<Fields>(() => fieldsOf(initial));
  const [dirty, setDirty] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [issues, setIssues] = useState<Map<number, string[]>>(new Map());
  const [saving, setSaving] = useState(false);
  const teammates = useTeammates();
  const { name, enabled, channels, steps } = fields;

  const change = (patch: Partial<Fields>) => {
    setFields((f) => ({ ...f, ...patch }));
    setDirty(true);
  };
  const changeSteps = (next: (steps: StepDraft[]) => StepDraft[]) => {
    setFields((f) => ({ ...f, steps: next(f.steps) }));
    setDirty(true);
  };
  // An edited step's old complaint no longer holds; the next save says again what is still wrong.
  const clearIssues = (key: number) =>
    setIssues((m) => {
      if (!m.has(key)) return m;
      const next = new Map(m);
      next.delete(key);
      return next;
    });
  const editStep = (key: number, patch: Partial<StepDraft>) => {
    changeSteps((list) => list.map((d) => (d.key === key ? { ...d, ...patch } : d)));
    clearIssues(key);
  };
  const moveStep = (key: number, by: -1 | 1) => {
    changeSteps((list) => {
      const at = list.findIndex((d) => d.key === key);
      const to = at + by;
      if (at < 0 || to < 0 || to >= list.length) return list;
      const next = [...list];
      [next[at], next[to]] = [next[to]!, next[at]!];
      return next;
    });
    refocus(key, by);
  };
  const removeStep = (key: number) => {
    changeSteps((list) => list.filter((d) => d.key !== key));
    clearIssues(key);
  };
  const addStep = () => {
    const added = newDraft(steps);
    changeSteps((list) => [...list, added]);
    requestAnimationFrame(() => document.querySelector<HTMLSelectElement>(`[data-step="${added.id}"] select`)?.focus());
  };
  const toggleChannel = (channel: TriggerChannel, on: boolean) => {
    const next = new Set(channels);
    if (on) next.add(channel);
    else next.delete(channel);
    change({ channels: next });
  };

  const save = async (event: Event) => {
    event.preventDefault();
    const sent = steps;
    const body = {
      name,
      enabled,
      trigger: { type: "conversation.opened", channels: TRIGGER_CHANNELS.map((c) => c.id).filter((c) => channels.has(c)) },
      steps: sent.map(stepOf),
    };
    setError(null);
    setIssues(new Map());
    setSaving(true);
    try {
      const saved = stored ? await api<Workflow>("PATCH", `/workflows/${stored.id}`, body) : await api<Workflow>("POST", "/workflows", body);
      notify(stored ? t("settings.workflowSaved", { version: formatNumber(saved.version) }) : t("settings.workflowAdded", { name: saved.name }));
      setDirty(false);
      if (!stored) return navigate(`${WORKFLOWS_PATH}/${saved.id}`, { replace: true });
      setStored(saved);
      setFields(
        fieldsOf(
          saved,
          sent.map((d) => d.key),
        ),
      );
    } catch (e) {
      setError(refusal(e));
      if (e instanceof ApiFailure) setIssues(issuesByStep(e.details, sent));
    } finally {
      setSaving(false);
    }
  };

  const leave = () => {
    if (dirty && !confirm(t("settings.workflowLeaveConfirm"))) return;
    navigate(WORKFLOWS_PATH);
  };

  const title = stored ? t("settings.workflowEditNamed", { name: stored.name }) : t("settings.workflowNew");
  return (
    <form class="card stack workflow-editor" aria-label={title} noValidate onSubmit={save}>
      <div class="editor-head">
        <h3>{stored ? t("settings.workflowEdit") : t("settings.workflowNew")}</h3>
        {stored ? (
          <span class="muted small-text">
            {t("settings.workflowVersionSaved", { version: formatNumber(stored.version) })} <Time at={stored.updatedAt} />
          </span>
        ) : null}
      </div>
      <div class="editor-fields">
        <label class="editor-name">
          {t("common.name")}
          <input value={name} maxLength={100} placeholder={t("settings.workflowNamePlaceholder")} onInput={(e: Event) => change({ name: (e.target as HTMLInputElement).value })} />
        </label>
        <label class="check switch">
          <input type="checkbox" role="switch" checked={enabled} onChange={(e: Event) => change({ enabled: (e.target as HTMLInputElement).checked })} />
          {t("settings.enabled")}
        </label>
      </div>
      <fieldset class="trigger-picker">
        <legend>{t("settings.workflowTrigger")}</legend>
        <div class="row-actions">
          {TRIGGER_CHANNELS.map((c) => (
            <label key={c.id} class="check">
              <input type="checkbox" checked={channels.has(c.id)} onChange={(e: Event) => toggleChannel(c.id, (e.target as HTMLInputElement).checked)} />
              {t(c.label)}
            </label>
          ))}
        </div>
        <small class="muted">{t("settings.workflowTriggerNote")}</small>
      </fieldset>
      <h4 id="workflow-steps-title">{t("settings.workflowSteps")}</h4>
      <ol class="step-list" aria-labelledby="workflow-steps-title">
        {steps.map((d, i) => (
          <li key={d.key}>
            <StepForm
              draft={d}
              index={i}
              steps={steps}
              teammates={teammates}
              issues={issues.get(d.key) ?? []}
              onChange={(patch) => editStep(d.key, patch)}
              onMove={(by) => moveStep(d.key, by)}
              onRemove={() => removeStep(d.key)}
            />
          </li>
        ))}
      </ol>
      <div>
        <button type="button" class="secondary" disabled={steps.length >= MAX_STEPS} onClick={addStep}>
          {t("settings.workflowAddStep")}
        </button>
      </div>
      <div class="editor-save">
        <FormError message={error} />
        <div class="row-actions">
          <button type="submit" disabled={saving}>
            {saving ? t("common.saving") : t("settings.workflowSave")}
          </button>
          <button type="button" class="link" onClick={leave}>
            {t("settings.workflowBack")}
          </button>
          {dirty ? <span class="muted">{t("settings.unsavedChanges")}</span> : null}
        </div>
      </div>
    </form>
  );
}
