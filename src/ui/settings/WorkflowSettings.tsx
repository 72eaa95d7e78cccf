// Workflows, for admins: what runs on a new conversation before a teammate answers (a greeting, a
// question, an assignment). The list with each one's switch, the two ready templates, and the
// editor at /settings/workflows/<id> (or /new), kept in the address so a reload stays there.
import { useId, useState } from "hono/jsx/dom";
import { api } from "../api";
import { ChannelLabels, FormError, Time, useNewest } from "../components";
import { channelLabel } from "../format";
import { formatNumber, t } from "../i18n";
import { notify } from "../notices";
import { navigate, useLocation } from "../router";
import { useTeammates } from "../teammates";
import type { Teammate, TriggerChannel, Workflow, WorkflowTemplate } from "../types";
import { failureText } from "./useSettings";
import { WORKFLOWS_PATH, WorkflowEditor } from "./WorkflowEditor";
import { draftOf, stepTitle } from "./workflowDraft";

const TEMPLATES = [
  { id: "welcome-ask-email", name: "settings.templateAskEmail" },
  { id: "welcome-ask-phone", name: "settings.templateAskPhone" },
] as const satisfies readonly { id: WorkflowTemplate; name: string }[];

export function WorkflowSettings() {
  const { path } = useLocation();
  const open = path.split("/")[3];
  if (open) return <WorkflowEditor key={open} workflowId={open === "new" ? null : open} />;
  return <WorkflowList />;
}

function WorkflowList() {
  const [items, setItems] = useState<Workflow[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [adding, setAdding] = useState(false);
  const teammates = useTeammates();

  const load = useNewest(
    () => api<{ items: Workflow[] }>("GET", "/workflows"),
    ({ items }) => {
      setItems(items);
      setError(null);
    },
    (e) => setError(failureText(e, t("settings.workflowsNotLoaded"))),
  );

  const addFromTemplate = async (template: WorkflowTemplate) => {
    setError(null);
    setAdding(true);
    try {
      const created = await api<Workflow>("POST", "/workflows", { template });
      notify(t("settings.workflowAddedEnabled", { name: created.name }));
      await load();
    } catch (e) {
      setError(failureText(e, t("settings.workflowNotAdded")));
    } finally {
      setAdding(false);
    }
  };

  if (!items) {
    return error ? (
      <div>
        <FormError message={error} />
        <button type="button" class="secondary" onClick={load}>
          {t("settings.tryAgain")}
        </button>
      </div>
    ) : (
      <p class="empty">{t("common.loading")}</p>
    );
  }

  return (
    <div class="workflow-settings">
      <p>{t("settings.workflowsAbout")}</p>
      <div class="row-actions">
        {TEMPLATES.map((template) => (
          <button key={template.id} type="button" class="secondary" disabled={adding} onClick={() => addFromTemplate(template.id)}>
            {t("settings.workflowUseTemplate", { name: t(template.name) })}
          </button>
        ))}
        <button type="button" onClick={() => navigate(`${WORKFLOWS_PATH}/new`)}>
          {t("settings.workflowNew")}
        </button>
      </div>
      <FormError message={error} />
      {items.length ? (
        items.map((w) => <WorkflowCard key={w.id} workflow={w} shadowed={shadowed(items, w)} teammates={teammates} onChanged={load} />)
      ) : (
        <p class="empty">{t("settings.workflowsNone")}</p>
      )}
    </div>
  );
}

/** The channels `w` listens on where an older enabled workflow runs instead, with that one's name. */
function shadowed(items: Workflow[], w: Workflow): { channel: TriggerChannel; by: string }[] {
  if (!w.enabled) return [];
  const older = items.slice(0, items.indexOf(w)).filter((o) => o.enabled);
  return w.trigger.channels.flatMap((channel) => {
    const by = older.find((o) => o.trigger.channels.includes(channel));
    return by ? [{ channel, by: by.name }] : [];
  });
}

function WorkflowCard({
  workflow: w,
  shadowed,
  teammates,
  onChanged,
}: {
  workflow: Workflow;
  shadowed: { channel: TriggerChannel; by: string }[];
  teammates: Teammate[] | null;
  onChanged: () => Promise<void>;
}) {
  const [error, setError] = useState<string | null>(null);
  // Until the list is fetched again, the switch shows the change: another flip meanwhile would be undone by the list arriving.
  const [switching, setSwitching] = useState(false);
  const id = useId();
  const nameId = `${id}-name`;

  const setEnabled = async (input: HTMLInputElement) => {
    const enabled = input.checked;
    setError(null);
    setSwitching(true);
    try {
      await api("PATCH", `/workflows/${w.id}`, { enabled });
      notify(enabled ? t("settings.workflowOn", { name: w.name }) : t("settings.workflowOff", { name: w.name }));
      await onChanged();
    } catch (e) {
      input.checked = !enabled;
      setError(failureText(e, t("settings.notChanged")));
    } finally {
      setSwitching(false);
    }
  };

  const remove = async () => {
    if (!confirm(t("settings.workflowDeleteConfirm", { name: w.name }))) return;
    setError(null);
    try {
      await api("DELETE", `/workflows/${w.id}`);
      notify(t("settings.workflowDeleted"));
      await onChanged();
    } catch (e) {
      setError(failureText(e, t("settings.notDeleted")));
    }
  };

  const steps = w.steps.map((s) => draftOf(s, 0));
  return (
    <section class={`card workflow${w.enabled ? "" : " paused"}`} aria-labelledby={nameId}>
      <div class="workflow-head">
        <div class="workflow-about">
          <h3 id={nameId} class="workflow-name">
            {w.name}
          </h3>
          <p class="workflow-meta small-text muted">
            <ChannelLabels channels={w.trigger.channels} />
            <span>
              {t("settings.workflowVersionChanged", { version: formatNumber(w.version) })} <Time at={w.updatedAt} />
            </span>
          </p>
        </div>
        <div class="row-actions">
          <label class="check switch">
            <input type="checkbox" role="switch" checked={w.enabled} disabled={switching} aria-describedby={nameId} onChange={(e: Event) => setEnabled(e.target as HTMLInputElement)} />
            {t("settings.enabled")}
          </label>
          <button type="button" class="secondary" aria-describedby={nameId} onClick={() => navigate(`${WORKFLOWS_PATH}/${w.id}`)}>
            {t("common.edit")}
          </button>
          <button type="button" class="danger" aria-describedby={nameId} onClick={remove}>
            {t("settings.delete")}
          </button>
        </div>
      </div>
      <ol class="workflow-steps" aria-label={t("settings.workflowStepsOf", { name: w.name })}>
        {steps.map((d) => (
          <li key={d.id}>{stepTitle(d, teammates)}</li>
        ))}
      </ol>
      {shadowed.length ? (
        <p class="small-text warn">{t("settings.workflowShadowed", { runs: shadowed.map((s) => t("settings.workflowShadowedBy", { channel: channelLabel(s.channel), name: s.by })).join("; ") })}</p>
      ) : null}
      <FormError message={error} />
    </section>
  );
}
