// Workflows, for admins: what runs on a new conversation before a teammate answers (a greeting, a
// question, an assignment). The list with each one's switch, the two ready templates, and the
// editor at /settings/workflows/<id> (or /new), kept in the address so a reload stays there.
import { useEffect, useId, useState } from "hono/jsx/dom";
import { api } from "../api";
import { ChannelLabels, FormError, Time } from "../components";
import { channelLabel } from "../format";
import { notify } from "../notices";
import { navigate, useLocation } from "../router";
import { useTeammates } from "../teammates";
import type { Teammate, TriggerChannel, Workflow, WorkflowTemplate } from "../types";
import { WORKFLOWS_PATH, WorkflowEditor } from "./WorkflowEditor";
import { draftOf, stepTitle } from "./workflowDraft";

const TEMPLATES: { id: WorkflowTemplate; name: string }[] = [
  { id: "welcome-ask-email", name: "Welcome message and ask for email" },
  { id: "welcome-ask-phone", name: "Welcome message and ask for phone number" },
];

const message = (e: unknown, fallback: string) => (e instanceof Error ? e.message : fallback);

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

  const load = async () => {
    try {
      setItems((await api<{ items: Workflow[] }>("GET", "/workflows")).items);
      setError(null);
    } catch (e) {
      setError(message(e, "The workflows did not load."));
    }
  };
  useEffect(() => {
    load();
  }, []);

  const addFromTemplate = async (template: WorkflowTemplate) => {
    setError(null);
    setAdding(true);
    try {
      const created = await api<Workflow>("POST", "/workflows", { template });
      notify(`Workflow “${created.name}” added and enabled.`);
      await load();
    } catch (e) {
      setError(message(e, "The workflow was not added."));
    } finally {
      setAdding(false);
    }
  };

  if (!items) {
    return error ? (
      <div>
        <FormError message={error} />
        <button type="button" class="secondary" onClick={load}>
          Try again
        </button>
      </div>
    ) : (
      <p class="empty">Loading…</p>
    );
  }

  return (
    <div class="workflow-settings">
      <p>
        A workflow answers a new conversation before a teammate does: it greets the person, asks what you need to know and hands the conversation over. It stops as soon as a teammate replies. When
        several are enabled on a channel, the oldest one runs there.
      </p>
      <div class="row-actions">
        {TEMPLATES.map((t) => (
          <button key={t.id} type="button" class="secondary" disabled={adding} onClick={() => addFromTemplate(t.id)}>
            Use template: {t.name}
          </button>
        ))}
        <button type="button" onClick={() => navigate(`${WORKFLOWS_PATH}/new`)}>
          New workflow
        </button>
      </div>
      <FormError message={error} />
      {items.length ? (
        items.map((w) => <WorkflowCard key={w.id} workflow={w} shadowed={shadowed(items, w)} teammates={teammates} onChanged={load} />)
      ) : (
        <p class="empty">No workflows yet: start from a template, or build one step by step.</p>
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
      notify(enabled ? `“${w.name}” runs on new conversations again.` : `“${w.name}” is off: new conversations do not start it.`);
      await onChanged();
    } catch (e) {
      input.checked = !enabled;
      setError(message(e, "Not changed."));
    } finally {
      setSwitching(false);
    }
  };

  const remove = async () => {
    if (!confirm(`Delete the workflow “${w.name}”? Conversations it is running in finish as they started.`)) return;
    setError(null);
    try {
      await api("DELETE", `/workflows/${w.id}`);
      notify("Workflow deleted.");
      await onChanged();
    } catch (e) {
      setError(message(e, "Not deleted."));
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
              Version {w.version} · changed <Time at={w.updatedAt} />
            </span>
          </p>
        </div>
        <div class="row-actions">
          <label class="check switch">
            <input type="checkbox" role="switch" checked={w.enabled} disabled={switching} aria-describedby={nameId} onChange={(e: Event) => setEnabled(e.target as HTMLInputElement)} />
            Enabled
          </label>
          <button type="button" class="secondary" aria-describedby={nameId} onClick={() => navigate(`${WORKFLOWS_PATH}/${w.id}`)}>
            Edit
          </button>
          <button type="button" class="danger" aria-describedby={nameId} onClick={remove}>
            Delete
          </button>
        </div>
      </div>
      <ol class="workflow-steps" aria-label={`Steps of ${w.name}`}>
        {steps.map((d) => (
          <li key={d.id}>{stepTitle(d, teammates)}</li>
        ))}
      </ol>
      {shadowed.length ? <p class="small-text warn">{shadowed.map((s) => `${channelLabel(s.channel)} runs “${s.by}”`).join("; ")}: it is older, and one workflow runs on a conversation.</p> : null}
      <FormError message={error} />
    </section>
  );
}
