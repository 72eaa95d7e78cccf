// The AI assistant, for admins: the acknowledgement that drafts can be wrong, the "Draft reply"
// switch (which the server refuses until acknowledged), the tone, the FAQ it answers from, and,
// under Advanced, the provider. The API key is write-only: an empty field keeps the stored key.
import { useEffect, useState } from "hono/jsx/dom";
import { FormError, formValues } from "../components";
import { notify } from "../notices";
import type { AiProvider, AiRole, FaqEntry, Settings } from "../types";
import { SecretField } from "./SecretField";
import { useSettings } from "./useSettings";

const ROLES: { id: AiRole; label: string }[] = [
  { id: "friendly", label: "Friendly" },
  { id: "professional", label: "Professional" },
  { id: "concise", label: "Concise" },
  { id: "empathetic", label: "Empathetic" },
];
const PROVIDERS: { id: AiProvider; label: string }[] = [
  { id: "builtin", label: "Built-in assistant (answers from the FAQ)" },
  { id: "workers-ai", label: "Workers AI" },
  { id: "openai", label: "OpenAI-compatible endpoint" },
];
const FAQ_MAX = 300;
const QUESTION_MAX = 500;
const ANSWER_MAX = 4000;

const message = (e: unknown) => (e instanceof Error ? e.message : "Not saved.");

export function AssistantSettings() {
  const { settings, save } = useSettings();
  if (!settings) return <p class="empty">Loading…</p>;
  return (
    <div class="stack assistant-settings">
      <DraftSettings ai={settings.ai} save={save} />
      <FaqEditor stored={settings.ai.faq} save={save} />
      <AdvancedSettings ai={settings.ai} save={save} />
    </div>
  );
}

type Save = ReturnType<typeof useSettings>["save"];

function DraftSettings({ ai, save }: { ai: Settings["ai"]; save: Save }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const put = async (patch: Partial<Settings["ai"]>, done: string, box?: HTMLInputElement) => {
    setError(null);
    setBusy(true);
    try {
      await save({ ai: patch });
      notify(done);
    } catch (e) {
      if (box) box.checked = !box.checked; // back to what is stored
      setError(message(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section class="stack narrow" aria-labelledby="assistant-drafts-title">
      <h2 id="assistant-drafts-title">Draft replies</h2>
      <p>
        The assistant suggests a reply in the composer when an agent asks for one. It answers from your FAQ below; nothing is sent until the agent
        sends it.
      </p>
      <label class="check">
        <input
          type="checkbox"
          name="acknowledged"
          checked={ai.acknowledged}
          disabled={busy}
          onChange={(e: Event) => {
            const box = e.target as HTMLInputElement;
            put({ acknowledged: box.checked }, box.checked ? "Acknowledged." : "Acknowledgement withdrawn; drafts are off.", box);
          }}
        />
        I understand AI can be wrong and that agents check every draft before sending it
      </label>
      <label class="check switch">
        <input
          type="checkbox"
          role="switch"
          name="drafts"
          checked={ai.drafts}
          disabled={busy || !ai.acknowledged}
          aria-describedby={ai.acknowledged ? undefined : "assistant-drafts-hint"}
          onChange={(e: Event) => {
            const box = e.target as HTMLInputElement;
            put({ drafts: box.checked }, box.checked ? "Draft replies are on." : "Draft replies are off.", box);
          }}
        />
        Draft replies
      </label>
      {ai.acknowledged ? null : (
        <small id="assistant-drafts-hint" class="muted">
          Tick the acknowledgement above to turn drafts on.
        </small>
      )}
      <label>
        Tone
        <select
          name="role"
          value={ai.role}
          disabled={busy}
          onChange={(e: Event) => {
            const role = (e.target as HTMLSelectElement).value as AiRole;
            put({ role }, "Tone saved.");
          }}
        >
          {ROLES.map((r) => (
            <option value={r.id} selected={r.id === ai.role}>
              {r.label}
            </option>
          ))}
        </select>
      </label>
      <FormError message={error} />
    </section>
  );
}

type Row = FaqEntry & { key: number };
let nextKey = 1;
const rows = (faq: FaqEntry[]): Row[] => faq.map((f) => ({ ...f, key: nextKey++ }));

function FaqEditor({ stored, save }: { stored: FaqEntry[]; save: Save }) {
  const [list, setList] = useState<Row[]>(() => rows(stored));
  const [dirty, setDirty] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [addError, setAddError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  // The stored FAQ replaces the list when it changes, unless there are unsaved edits.
  useEffect(() => {
    if (!dirty) setList(rows(stored));
  }, [stored]);

  const edit = (key: number, patch: Partial<FaqEntry>) => {
    setList((l) => l.map((r) => (r.key === key ? { ...r, ...patch } : r)));
    setDirty(true);
  };
  const remove = (key: number) => {
    setList((l) => l.filter((r) => r.key !== key));
    setDirty(true);
  };
  const add = (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const v = formValues(event);
    const question = v.question?.trim() ?? "";
    const answer = v.answer?.trim() ?? "";
    setAddError(null);
    if (!question || !answer) return setAddError("Write both the question and its answer.");
    if (list.length >= FAQ_MAX) return setAddError(`The FAQ holds at most ${FAQ_MAX} questions.`);
    setList((l) => [...l, { question, answer, key: nextKey++ }]);
    setDirty(true);
    form.reset();
    form.querySelector<HTMLInputElement>("input[name=question]")?.focus();
  };
  const submit = async () => {
    setError(null);
    const faq = list.map((r) => ({ question: r.question.trim(), answer: r.answer.trim() }));
    const blank = faq.findIndex((f) => !f.question || !f.answer);
    if (blank >= 0) return setError(`Question ${blank + 1} needs both a question and an answer.`);
    setSaving(true);
    try {
      await save({ ai: { faq } });
      setDirty(false);
      notify("FAQ saved.");
    } catch (e) {
      setError(message(e));
    } finally {
      setSaving(false);
    }
  };

  return (
    <section class="stack" aria-labelledby="assistant-faq-title">
      <h2 id="assistant-faq-title">FAQ</h2>
      <p class="muted">The questions customers ask and your answers: a draft is drawn from the answer whose question fits the message best.</p>
      {list.length === 0 ? (
        <p class="empty">No questions yet.</p>
      ) : (
        <ol class="faq-list" aria-label="FAQ">
          {list.map((r, i) => (
            <li key={r.key} class="faq-item">
              <label>
                Question {i + 1}
                <input aria-label={`Question ${i + 1}`} value={r.question} maxLength={QUESTION_MAX} onInput={(e: Event) => edit(r.key, { question: (e.target as HTMLInputElement).value })} />
              </label>
              <label>
                Answer {i + 1}
                <textarea aria-label={`Answer ${i + 1}`} rows={3} maxLength={ANSWER_MAX} value={r.answer} onInput={(e: Event) => edit(r.key, { answer: (e.target as HTMLTextAreaElement).value })} />
              </label>
              <div>
                <button type="button" class="secondary" aria-label={`Remove question ${i + 1}`} onClick={() => remove(r.key)}>
                  Remove
                </button>
              </div>
            </li>
          ))}
        </ol>
      )}
      <form class="stack faq-add" onSubmit={add} aria-label="Add question">
        <h3>Add a question</h3>
        <label>
          New question
          <input name="question" maxLength={QUESTION_MAX} placeholder="Can I return an item?" />
        </label>
        <label>
          New answer
          <textarea name="answer" rows={3} maxLength={ANSWER_MAX} placeholder="Yes: returns are free within 30 days of delivery." />
        </label>
        <FormError message={addError} />
        <div>
          <button type="submit" class="secondary">
            Add question
          </button>
        </div>
      </form>
      <FormError message={error} />
      <div class="faq-save">
        <button type="button" onClick={submit} disabled={saving}>
          Save FAQ
        </button>
        {dirty ? <span class="muted">Unsaved changes</span> : null}
      </div>
    </section>
  );
}

function AdvancedSettings({ ai, save }: { ai: Settings["ai"]; save: Save }) {
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: Event) => {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const v = formValues(event);
    const urls = (v.urls ?? "")
      .split(/\s+/)
      .map((u) => u.trim())
      .filter(Boolean);
    const patch: Partial<Settings["ai"]> = {
      provider: (v.provider as AiProvider) || ai.provider,
      brandKit: v.brandKit?.trim() ?? "",
      urls,
      model: v.model?.trim() ?? "",
      apiBaseUrl: v.apiBaseUrl?.trim() ?? "",
      ...(v.apiKey?.trim() ? { apiKey: v.apiKey.trim() } : {}),
    };
    setError(null);
    try {
      await save({ ai: patch });
      form.querySelectorAll<HTMLInputElement>("input[type=password]").forEach((i) => (i.value = ""));
      notify("Assistant settings saved.");
    } catch (e) {
      setError(message(e));
    }
  };
  return (
    <form class="stack narrow" onSubmit={submit} aria-label="Assistant settings">
      <details class="advanced">
        <summary>Advanced</summary>
        <div class="stack">
          <label>
            <span>
              Brand kit <span class="muted">(how you write: words to use and avoid)</span>
            </span>
            <textarea name="brandKit" rows={4} maxLength={4000} value={ai.brandKit} />
          </label>
          <label>
            <span>
              Help pages <span class="muted">(up to 3 http(s) addresses, one a line)</span>
            </span>
            <textarea name="urls" rows={3} value={ai.urls.join("\n")} spellcheck={false} />
          </label>
          <label>
            Provider
            <select name="provider" aria-describedby="assistant-provider-hint">
              {PROVIDERS.map((p) => (
                <option value={p.id} selected={p.id === ai.provider}>
                  {p.label}
                </option>
              ))}
            </select>
          </label>
          <small id="assistant-provider-hint" class="muted">
            Workers AI and OpenAI-compatible endpoints are coming; drafts use the built-in assistant meanwhile.
          </small>
          <label>
            Model
            <input name="model" value={ai.model} autocomplete="off" spellcheck={false} maxLength={200} />
          </label>
          <label>
            API base URL
            <input name="apiBaseUrl" type="url" value={ai.apiBaseUrl} maxLength={500} />
          </label>
          <SecretField name="apiKey" label="API key" stored={ai.apiKey} />
          <FormError message={error} />
          <div>
            <button type="submit">Save assistant settings</button>
          </div>
        </div>
      </details>
    </form>
  );
}
