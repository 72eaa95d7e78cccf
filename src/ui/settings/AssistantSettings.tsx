// The AI assistant, for admins: the acknowledgement that drafts can be wrong, the "Draft reply"
// switch (which the server refuses until acknowledged), the tone, summaries, the model that writes
// (or the built-in assistant), the brand kit, and what it answers from: up to three of the
// business's pages, read by the Worker, and the FAQ. Switches save at once; each form has its Save.
import { useEffect, useRef, useState, type Child } from "hono/jsx/dom";
import { api, ApiFailure } from "../api";
import { FormError, formValues, Time } from "../components";
import { notify } from "../notices";
import type { AiProvider, AiRole, FaqEntry, PageStatus, Settings } from "../types";
import { SecretField } from "./SecretField";
import { useSettings } from "./useSettings";

type Ai = Settings["ai"];
type Save = ReturnType<typeof useSettings>["save"];
type Model = Exclude<AiProvider, "builtin">;

const ROLES: { id: AiRole; label: string }[] = [
  { id: "friendly", label: "Friendly" },
  { id: "professional", label: "Professional" },
  { id: "concise", label: "Concise" },
  { id: "empathetic", label: "Empathetic" },
];
const PROVIDERS: { id: AiProvider; label: string; about?: string }[] = [
  { id: "builtin", label: "Built-in assistant (no model; answers from your FAQ and pages)" },
  { id: "workers-ai", label: "Workers AI", about: "Cloudflare's models, run through this deployment's AI binding." },
  { id: "openai", label: "OpenAI-compatible endpoint", about: "OpenAI, or any service with the same chat-completions API, with your API key." },
];
const FAQ_MAX = 300;
const QUESTION_MAX = 500;
const ANSWER_MAX = 4000;
const BRAND_KIT_MAX = 4000;
const PAGES_MAX = 3;
const URL_MAX = 500;
/** Names the server runs on Workers AI; it quietly swaps any other name for its default model. */
const WORKERS_AI_NAME = /^@(cf|hf)\//;
const DEFAULT_WORKERS_AI_MODEL = "@cf/meta/llama-3.1-8b-instruct";
/** New pages are read in the background after a save: asked again this often, this many times (the Worker gives a page 15 s). */
const POLL_MS = 1500;
const POLLS = 14;

export function AssistantSettings() {
  const { settings, save } = useSettings();
  if (!settings) return <p class="empty">Loading…</p>;
  return (
    <div class="stack assistant-settings">
      <DraftSettings ai={settings.ai} save={save} />
      <SummarySettings ai={settings.ai} save={save} />
      <ModelSettings ai={settings.ai} save={save} />
      <BrandKit stored={settings.ai.brandKit} save={save} />
      <PagesEditor stored={settings.ai.urls} save={save} />
      <FaqEditor stored={settings.ai.faq} save={save} />
    </div>
  );
}

/** A refusal as the tab says it, and the setting it names ("ai.urls.1") so that field can be marked. */
type Refusal = { message: string; path: string | null };
const FIELD_NAMES: Record<string, string> = { provider: "Provider", model: "Model", apiBaseUrl: "API base URL", apiKey: "API key", brandKit: "Brand kit", urls: "Pages", faq: "FAQ", role: "Tone" };

/** The server's 400 names the setting by its path (src/http/validation.ts): here as the admin sees it, "Page 2", not "ai.urls.1". */
function refusal(error: unknown): Refusal {
  if (!(error instanceof Error)) return { message: "Not saved.", path: null };
  const first = error instanceof ApiFailure && Array.isArray(error.details) ? (error.details[0] as { path?: unknown; message?: unknown } | undefined) : undefined;
  if (typeof first?.path !== "string" || typeof first.message !== "string") return { message: error.message, path: null };
  const [, key = "", index] = /^ai\.(\w+)(?:\.(\d+))?/.exec(first.path) ?? [];
  const field = index === undefined ? FIELD_NAMES[key] : key === "urls" ? `Page ${Number(index) + 1}` : key === "faq" ? `Question ${Number(index) + 1}` : undefined;
  return { message: field ? `Not saved. ${field}: ${first.message}` : error.message, path: first.path };
}

/** One save of `ai` settings at a time, with its refusal; a switch that was flipped goes back when refused. */
function useSave(save: Save) {
  const [error, setError] = useState<Refusal | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (patch: Partial<Ai>, done: string, box?: HTMLInputElement): Promise<boolean> => {
    setError(null);
    setBusy(true);
    try {
      await save({ ai: patch });
      notify(done);
      return true;
    } catch (e) {
      if (box) box.checked = !box.checked;
      setError(refusal(e));
      return false;
    } finally {
      setBusy(false);
    }
  };
  const fail = (message: string) => setError({ message, path: null });
  return { error, busy, run, fail };
}

function DraftSettings({ ai, save }: { ai: Ai; save: Save }) {
  const { error, busy, run } = useSave(save);
  return (
    <section class="stack narrow" aria-labelledby="assistant-drafts-title">
      <h2 id="assistant-drafts-title">Draft replies</h2>
      <p>The assistant suggests a reply in the composer when an agent asks for one. It answers from your pages and FAQ below; nothing is sent until the agent sends it.</p>
      <SavedCheck name="acknowledged" checked={ai.acknowledged} busy={busy} onSave={(on, box) => run({ acknowledged: on }, on ? "Acknowledged." : "Acknowledgement withdrawn; drafts are off.", box)}>
        I understand AI can be wrong and that agents check every draft before sending it
      </SavedCheck>
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
            run({ drafts: box.checked }, box.checked ? "Draft replies are on." : "Draft replies are off.", box);
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
            run({ role }, "Tone saved.");
          }}
        >
          {ROLES.map((r) => (
            <option value={r.id} selected={r.id === ai.role}>
              {r.label}
            </option>
          ))}
        </select>
      </label>
      <FormError message={error?.message ?? null} />
    </section>
  );
}

function SummarySettings({ ai, save }: { ai: Ai; save: Save }) {
  const { error, busy, run } = useSave(save);
  return (
    <section class="stack narrow" aria-labelledby="assistant-summaries-title">
      <h2 id="assistant-summaries-title">Summaries</h2>
      <p class="muted">
        A summary is a note for the team (who asked what, what was promised, what is still open); the person never sees it. Agents can ask for one with a conversation's Summarize button.
      </p>
      <SavedCheck
        name="summaries"
        checked={ai.summaries}
        busy={busy}
        onSave={(on, box) => run({ summaries: on }, on ? "A summary note comes every tenth message." : "Summaries come only when asked for.", box)}
      >
        Add a summary note every tenth message
      </SavedCheck>
      <FormError message={error?.message ?? null} />
    </section>
  );
}

/** A setting saved as soon as it is ticked or unticked. */
function SavedCheck(props: { name: string; checked: boolean; busy: boolean; onSave: (on: boolean, box: HTMLInputElement) => void; children: Child }) {
  return (
    <label class="check">
      <input
        type="checkbox"
        name={props.name}
        checked={props.checked}
        disabled={props.busy}
        onChange={(e: Event) => {
          const box = e.target as HTMLInputElement;
          props.onSave(box.checked, box);
        }}
      />
      {props.children}
    </label>
  );
}

function ModelSettings({ ai, save }: { ai: Ai; save: Save }) {
  const [provider, setProvider] = useState<AiProvider>(ai.provider);
  // One `model` setting serves both kinds of model: each keeps its own name here, so switching
  // provider never offers a Workers AI name to an OpenAI endpoint, or the other way round.
  const [models, setModels] = useState<Record<Model, string>>(() => {
    const cloudflare = WORKERS_AI_NAME.test(ai.model);
    return {
      "workers-ai": ai.provider === "workers-ai" || cloudflare ? ai.model : DEFAULT_WORKERS_AI_MODEL,
      openai: ai.provider === "openai" || !cloudflare ? ai.model : "",
    };
  });
  const [baseUrl, setBaseUrl] = useState(ai.apiBaseUrl);
  const { error, busy, run, fail } = useSave(save);

  const submit = async (event: Event) => {
    const form = event.currentTarget as HTMLFormElement;
    const apiKey = formValues(event).apiKey?.trim() ?? "";
    let patch: Partial<Ai> = { provider };
    if (provider !== "builtin") {
      const model = models[provider].trim();
      if (provider === "workers-ai" && !WORKERS_AI_NAME.test(model)) return fail("Give a Workers AI model name: it starts with @cf/ or @hf/, such as @cf/meta/llama-3.1-8b-instruct.");
      if (provider === "openai" && !model) return fail("Give the model's name as the endpoint knows it.");
      if (provider === "openai" && !apiKey && !ai.apiKey) return fail("Give the endpoint's API key.");
      patch = provider === "workers-ai" ? { provider, model } : { provider, model, apiBaseUrl: baseUrl.trim(), ...(apiKey ? { apiKey } : {}) };
    }
    if (await run(patch, "Model saved.")) form.querySelectorAll<HTMLInputElement>("input[type=password]").forEach((i) => void (i.value = ""));
  };
  // A hint sits outside its label, so that the field's name stays "Model" and the hint describes it.
  const field = (id: string, label: string, hint: string, input: Child) => (
    <div class="stack tight">
      <label for={id} class="field-title">
        {label}
      </label>
      {input}
      <small id={`${id}-hint`} class="muted">
        {hint}
      </small>
    </div>
  );
  const modelField = (of: Model, hint: string) =>
    field(
      `assistant-model-${of}`,
      "Model",
      hint,
      <input
        id={`assistant-model-${of}`}
        name="model"
        value={models[of]}
        autocomplete="off"
        spellcheck={false}
        maxLength={200}
        placeholder={of === "openai" ? "gpt-4o-mini" : DEFAULT_WORKERS_AI_MODEL}
        aria-invalid={error?.path === "ai.model" ? "true" : undefined}
        aria-describedby={`assistant-model-${of}-hint`}
        onInput={(e: Event) => setModels((m) => ({ ...m, [of]: (e.target as HTMLInputElement).value }))}
      />,
    );

  return (
    <section class="stack narrow" aria-labelledby="assistant-model-title">
      <h2 id="assistant-model-title">Model</h2>
      <p class="muted">What writes drafts and summaries. Whenever the model fails or is slow, the built-in assistant answers instead, and the agent is told why.</p>
      <form class="stack" onSubmit={submit} aria-label="Model settings" noValidate>
        <fieldset class="choices">
          <legend>Drafts and summaries are written by</legend>
          {PROVIDERS.map((p) => (
            <div key={p.id} class="choice">
              <label class="check">
                <input type="radio" name="provider" value={p.id} checked={provider === p.id} aria-describedby={p.about ? `assistant-provider-${p.id}` : undefined} onChange={() => setProvider(p.id)} />
                {p.label}
              </label>
              {p.about ? (
                <small id={`assistant-provider-${p.id}`} class="muted">
                  {p.about}
                </small>
              ) : null}
            </div>
          ))}
        </fieldset>
        {provider === "workers-ai" ? modelField("workers-ai", "A Workers AI catalogue name such as @cf/meta/llama-3.1-8b-instruct.") : null}
        {provider === "openai" ? (
          <>
            {field(
              "assistant-base-url",
              "API base URL",
              "Parley posts to this address followed by /chat/completions.",
              <input
                id="assistant-base-url"
                name="apiBaseUrl"
                type="url"
                value={baseUrl}
                maxLength={URL_MAX}
                spellcheck={false}
                aria-invalid={error?.path === "ai.apiBaseUrl" ? "true" : undefined}
                aria-describedby="assistant-base-url-hint"
                onInput={(e: Event) => setBaseUrl((e.target as HTMLInputElement).value)}
              />,
            )}
            {modelField("openai", "As the endpoint names it, such as gpt-4o-mini.")}
            <SecretField name="apiKey" label="API key" stored={ai.apiKey} />
          </>
        ) : null}
        <FormError message={error?.message ?? null} />
        <div>
          <button type="submit" disabled={busy}>
            Save model
          </button>
        </div>
      </form>
    </section>
  );
}

function BrandKit({ stored, save }: { stored: string; save: Save }) {
  const [text, setText] = useState(stored);
  const [dirty, setDirty] = useState(false);
  const { error, busy, run } = useSave(save);
  const submit = async (event: Event) => {
    event.preventDefault();
    if (await run({ brandKit: text.trim() }, "Brand kit saved.")) setDirty(false);
  };
  const near = text.length > BRAND_KIT_MAX * 0.9;
  return (
    <section class="stack narrow" aria-labelledby="assistant-brand-title">
      <h2 id="assistant-brand-title">Brand kit</h2>
      <p class="muted">
        What the business is and how it speaks: what you sell and to whom, words to use and words to avoid. A model reads it with every draft; the built-in assistant only uses the tone.
      </p>
      <form class="stack" onSubmit={submit} aria-label="Brand kit">
        <label>
          Brand kit
          <textarea
            name="brandKit"
            rows={6}
            maxLength={BRAND_KIT_MAX}
            value={text}
            placeholder="Acme sells running shoes online to people in Europe. We write like a friend who runs: short sentences, first names, no jargon. Say “order”, never “purchase”."
            aria-describedby="assistant-brand-count"
            onInput={(e: Event) => {
              setText((e.target as HTMLTextAreaElement).value);
              setDirty(true);
            }}
          />
        </label>
        <small id="assistant-brand-count" class={`counter${near ? " warn" : ""}`}>
          {text.length} / {BRAND_KIT_MAX} characters
        </small>
        <FormError message={error?.message ?? null} />
        <div class="faq-save">
          <button type="submit" disabled={busy}>
            Save brand kit
          </button>
          {dirty ? <span class="muted">Unsaved changes</span> : null}
        </div>
      </form>
    </section>
  );
}

let nextKey = 1;

type UrlRow = { key: number; url: string };
const urlRows = (urls: string[]): UrlRow[] => (urls.length ? urls : [""]).map((url) => ({ key: nextKey++, url }));

function PagesEditor({ stored, save }: { stored: string[]; save: Save }) {
  const [list, setList] = useState<UrlRow[]>(() => urlRows(stored));
  const [dirty, setDirty] = useState(false);
  // The rows as last sent, so the server's "ai.urls.1" marks the row it means.
  const sent = useRef<UrlRow[]>([]);
  const { error, busy, run, fail } = useSave(save);
  const pages = usePageStatuses();
  const form = useRef<HTMLFormElement>(null);
  const refused = /^ai\.urls\.(\d+)/.exec(error?.path ?? "");
  const refusedKey = refused ? sent.current[Number(refused[1])]?.key : undefined;

  const edit = (key: number, url: string) => {
    setList((l) => l.map((r) => (r.key === key ? { ...r, url } : r)));
    setDirty(true);
  };
  const remove = (key: number) => {
    setList((l) => (l.length > 1 ? l.filter((r) => r.key !== key) : [{ key: nextKey++, url: "" }]));
    setDirty(true);
  };
  const add = () => {
    setList((l) => (l.length < PAGES_MAX ? [...l, { key: nextKey++, url: "" }] : l));
    requestAnimationFrame(() => [...(form.current?.querySelectorAll<HTMLInputElement>("input[type=url]") ?? [])].at(-1)?.focus());
  };
  const submit = async (event: Event) => {
    event.preventDefault();
    const rows = list.map((r) => ({ ...r, url: r.url.trim() })).filter((r) => r.url);
    const twice = rows.findIndex((r, i) => rows.findIndex((o) => o.url === r.url) < i);
    if (twice >= 0) return fail(`Page ${twice + 1} is listed twice.`);
    sent.current = rows;
    if (!(await run({ urls: rows.map((r) => r.url) }, rows.length ? "Pages saved: the assistant is reading them." : "Pages removed."))) return;
    setList(urlRows(rows.map((r) => r.url)));
    setDirty(false);
    pages.watch(rows.map((r) => r.url));
  };

  return (
    <section class="stack narrow" aria-labelledby="assistant-pages-title">
      <h2 id="assistant-pages-title">Pages</h2>
      <p class="muted">Up to three pages of your website (help, returns, shipping) that drafts answer from, as https:// addresses. Parley reads them when they change here and once a day.</p>
      <form class="stack" ref={form} onSubmit={submit} aria-label="Pages" noValidate>
        <ol class="url-list">
          {list.map((r, i) => (
            <li key={r.key} class="url-row">
              <input
                type="url"
                inputMode="url"
                aria-label={`Page ${i + 1}`}
                value={r.url}
                maxLength={URL_MAX}
                spellcheck={false}
                placeholder="https://example.com/help/returns"
                aria-invalid={r.key === refusedKey ? "true" : undefined}
                onInput={(e: Event) => edit(r.key, (e.target as HTMLInputElement).value)}
              />
              <button type="button" class="secondary" aria-label={`Remove page ${i + 1}`} onClick={() => remove(r.key)}>
                Remove
              </button>
            </li>
          ))}
        </ol>
        <FormError message={error?.message ?? null} />
        <div class="faq-save">
          <button type="button" class="secondary" onClick={add} disabled={list.length >= PAGES_MAX}>
            Add a page
          </button>
          <button type="submit" disabled={busy}>
            Save pages
          </button>
          {dirty ? <span class="muted">Unsaved changes</span> : null}
        </div>
      </form>
      {stored.length ? <PageStatuses urls={stored} pages={pages} /> : null}
    </section>
  );
}

/** What the assistant last read of the pages, asked again for a while after a save while the Worker reads new ones. */
function usePageStatuses() {
  const [items, setItems] = useState<PageStatus[]>([]);
  const [failure, setFailure] = useState<string | null>(null);
  const [reading, setReading] = useState(false);
  const poll = useRef<ReturnType<typeof setTimeout>>(undefined);
  const known = useRef<PageStatus[]>([]);
  const show = (next: PageStatus[]) => {
    known.current = next;
    setItems(next);
    setFailure(null);
    return next;
  };
  const load = () => api<{ items: PageStatus[] }>("GET", "/ai/pages").then(({ items }) => show(items));
  const failed = (e: unknown) => setFailure(e instanceof Error ? e.message : "The pages' state could not be loaded.");
  useEffect(() => {
    load().catch(failed);
    return () => clearTimeout(poll.current);
  }, []);

  /** Asks again until each of `urls` was tried after this moment (the save refreshes every listed page). */
  const watch = (urls: string[]) => {
    clearTimeout(poll.current);
    const before = new Map(known.current.map((p) => [p.url, p.triedAt]));
    const settled = (list: PageStatus[]) => urls.every((url) => list.some((p) => p.url === url && p.triedAt !== before.get(url)));
    let left = POLLS;
    const next = () => {
      poll.current = setTimeout(async () => {
        const list = await load().catch(() => null);
        if ((list && settled(list)) || --left <= 0) setReading(false);
        else next();
      }, POLL_MS);
    };
    if (!urls.length) return;
    setReading(true);
    next();
  };

  const readAgain = async () => {
    clearTimeout(poll.current);
    setReading(true);
    try {
      show((await api<{ items: PageStatus[] }>("POST", "/ai/pages/refresh")).items);
      notify("Pages read again.");
    } catch (e) {
      failed(e);
    } finally {
      setReading(false);
    }
  };
  return { items, failure, reading, watch, readAgain };
}

function PageStatuses({ urls, pages }: { urls: string[]; pages: ReturnType<typeof usePageStatuses> }) {
  return (
    <div class="stack tight">
      <h3>What the assistant read</h3>
      <ul class="page-statuses" aria-label="What the assistant read">
        {urls.map((url) => {
          const page = pages.items.find((p) => p.url === url);
          return (
            <li key={url} class="page-status">
              <a href={url} target="_blank" rel="noopener" class="page-title">
                {page?.title ?? url}
              </a>
              {page?.title ? <span class="page-url muted">{url}</span> : null}
              <PageState page={page} />
            </li>
          );
        })}
      </ul>
      <FormError message={pages.failure} />
      <div class="faq-save">
        <button type="button" class="secondary" onClick={pages.readAgain} disabled={pages.reading}>
          Read pages again
        </button>
        {pages.reading ? (
          <span class="muted" role="status">
            Reading the pages…
          </span>
        ) : null}
      </div>
    </div>
  );
}

const passages = (n: number) => `${n} ${n === 1 ? "passage" : "passages"}`;

function PageState({ page }: { page: PageStatus | undefined }) {
  if (!page) return <span class="muted">(not read yet)</span>;
  if (page.error === null && page.fetchedAt !== null) {
    return (
      <span class="page-read">
        {passages(page.passages)}, read <Time at={page.fetchedAt} />
      </span>
    );
  }
  return (
    <span class="page-error">
      Could not read: {page.error ?? "no text came back."} (tried <Time at={page.triedAt} />)
      {page.fetchedAt !== null && page.passages ? (
        <span class="muted">
          {" "}
          Drafts still use the {passages(page.passages)} read <Time at={page.fetchedAt} />.
        </span>
      ) : null}
    </span>
  );
}

type Row = FaqEntry & { key: number };
const rows = (faq: FaqEntry[]): Row[] => faq.map((f) => ({ ...f, key: nextKey++ }));

function FaqEditor({ stored, save }: { stored: FaqEntry[]; save: Save }) {
  const [list, setList] = useState<Row[]>(() => rows(stored));
  const [dirty, setDirty] = useState(false);
  const { error, busy, run, fail } = useSave(save);
  const [addError, setAddError] = useState<string | null>(null);
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
    const faq = list.map((r) => ({ question: r.question.trim(), answer: r.answer.trim() }));
    const blank = faq.findIndex((f) => !f.question || !f.answer);
    if (blank >= 0) return fail(`Question ${blank + 1} needs both a question and an answer.`);
    if (await run({ faq }, "FAQ saved.")) setDirty(false);
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
      <FormError message={error?.message ?? null} />
      <div class="faq-save">
        <button type="button" onClick={submit} disabled={busy}>
          Save FAQ
        </button>
        {dirty ? <span class="muted">Unsaved changes</span> : null}
      </div>
    </section>
  );
}
