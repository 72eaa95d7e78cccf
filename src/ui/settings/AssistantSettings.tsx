// The AI assistant, for admins: the acknowledgement that drafts can be wrong, the "Draft reply"
// switch (which the server refuses until acknowledged), the tone, summaries, the model that writes
// (or the built-in assistant), the brand kit, and what it answers from: up to three of the
// business's pages, read by the Worker, and the FAQ. Switches save at once; each form has its Save.
import { useEffect, useRef, useState, type Child } from "hono/jsx/dom";
import { api, ApiFailure } from "../api";
import { FormError, formValues, Time } from "../components";
import { t, tn } from "../i18n";
import { notify } from "../notices";
import type { AiProvider, AiRole, FaqEntry, PageStatus, Settings } from "../types";
import { SecretField } from "./SecretField";
import { failureText, useSettings } from "./useSettings";

type Ai = Settings["ai"];
type Save = ReturnType<typeof useSettings>["save"];
type Model = Exclude<AiProvider, "builtin">;

const ROLES = [
  { id: "friendly", label: "settings.aiRoleFriendly" },
  { id: "professional", label: "settings.aiRoleProfessional" },
  { id: "concise", label: "settings.aiRoleConcise" },
  { id: "empathetic", label: "settings.aiRoleEmpathetic" },
] as const satisfies readonly { id: AiRole; label: string }[];
const PROVIDERS = [
  { id: "builtin", label: "settings.aiProviderBuiltin", about: null },
  { id: "workers-ai", label: "settings.aiProviderWorkersAi", about: "settings.aiProviderWorkersAiAbout" },
  { id: "openai", label: "settings.aiProviderOpenai", about: "settings.aiProviderOpenaiAbout" },
] as const satisfies readonly { id: AiProvider; label: string; about: string | null }[];
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
  if (!settings) return <p class="empty">{t("common.loading")}</p>;
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
const FIELD_NAMES = {
  provider: "settings.aiFieldProvider",
  model: "settings.aiModel",
  apiBaseUrl: "settings.aiBaseUrl",
  apiKey: "settings.aiApiKey",
  brandKit: "settings.aiBrandKit",
  urls: "settings.aiPages",
  faq: "settings.aiFaq",
  role: "settings.aiTone",
} as const;
const fieldName = (key: string) => (Object.hasOwn(FIELD_NAMES, key) ? t(FIELD_NAMES[key as keyof typeof FIELD_NAMES]) : undefined);

/** The server's 400 names the setting by its path (src/http/validation.ts): here as the admin sees it, "Page 2", not "ai.urls.1". */
function refusal(error: unknown): Refusal {
  const said = failureText(error, t("common.notSaved"));
  const first = error instanceof ApiFailure && Array.isArray(error.details) ? (error.details[0] as { path?: unknown; message?: unknown } | undefined) : undefined;
  if (typeof first?.path !== "string" || typeof first.message !== "string") return { message: said, path: null };
  const [, key = "", index] = /^ai\.(\w+)(?:\.(\d+))?/.exec(first.path) ?? [];
  const n = Number(index) + 1;
  const field = index === undefined ? fieldName(key) : key === "urls" ? t("settings.aiPageN", { n }) : key === "faq" ? t("settings.aiQuestionN", { n }) : undefined;
  return { message: field ? t("settings.notSavedField", { field, message: first.message }) : said, path: first.path };
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
      <h2 id="assistant-drafts-title">{t("settings.aiDrafts")}</h2>
      <p>{t("settings.aiDraftsAbout")}</p>
      <SavedCheck
        name="acknowledged"
        checked={ai.acknowledged}
        busy={busy}
        onSave={(on, box) => run({ acknowledged: on }, on ? t("settings.aiAcknowledged") : t("settings.aiAcknowledgementWithdrawn"), box)}
      >
        {t("settings.aiAcknowledge")}
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
            run({ drafts: box.checked }, box.checked ? t("settings.aiDraftsOn") : t("settings.aiDraftsOff"), box);
          }}
        />
        {t("settings.aiDrafts")}
      </label>
      {ai.acknowledged ? null : (
        <small id="assistant-drafts-hint" class="muted">
          {t("settings.aiDraftsHint")}
        </small>
      )}
      <label>
        {t("settings.aiTone")}
        <select
          name="role"
          value={ai.role}
          disabled={busy}
          onChange={(e: Event) => {
            const role = (e.target as HTMLSelectElement).value as AiRole;
            run({ role }, t("settings.aiToneSaved"));
          }}
        >
          {ROLES.map((r) => (
            <option value={r.id} selected={r.id === ai.role}>
              {t(r.label)}
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
      <h2 id="assistant-summaries-title">{t("settings.aiSummaries")}</h2>
      <p class="muted">{t("settings.aiSummariesAbout")}</p>
      <SavedCheck name="summaries" checked={ai.summaries} busy={busy} onSave={(on, box) => run({ summaries: on }, on ? t("settings.aiSummariesOn") : t("settings.aiSummariesOff"), box)}>
        {t("settings.aiSummariesEvery")}
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
      if (provider === "workers-ai" && !WORKERS_AI_NAME.test(model)) return fail(t("settings.aiGiveWorkersAiModel", { example: DEFAULT_WORKERS_AI_MODEL }));
      if (provider === "openai" && !model) return fail(t("settings.aiGiveModel"));
      if (provider === "openai" && !apiKey && !ai.apiKey) return fail(t("settings.aiGiveApiKey"));
      patch = provider === "workers-ai" ? { provider, model } : { provider, model, apiBaseUrl: baseUrl.trim(), ...(apiKey ? { apiKey } : {}) };
    }
    if (await run(patch, t("settings.aiModelSaved"))) form.querySelectorAll<HTMLInputElement>("input[type=password]").forEach((i) => void (i.value = ""));
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
      t("settings.aiModel"),
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
      <h2 id="assistant-model-title">{t("settings.aiModel")}</h2>
      <p class="muted">{t("settings.aiModelAbout")}</p>
      <form class="stack" onSubmit={submit} aria-label={t("settings.aiModelForm")} noValidate>
        <fieldset class="choices">
          <legend>{t("settings.aiWrittenBy")}</legend>
          {PROVIDERS.map((p) => (
            <div key={p.id} class="choice">
              <label class="check">
                <input type="radio" name="provider" value={p.id} checked={provider === p.id} aria-describedby={p.about ? `assistant-provider-${p.id}` : undefined} onChange={() => setProvider(p.id)} />
                {t(p.label)}
              </label>
              {p.about ? (
                <small id={`assistant-provider-${p.id}`} class="muted">
                  {t(p.about)}
                </small>
              ) : null}
            </div>
          ))}
        </fieldset>
        {provider === "workers-ai" ? modelField("workers-ai", t("settings.aiWorkersAiModelHint", { example: DEFAULT_WORKERS_AI_MODEL })) : null}
        {provider === "openai" ? (
          <>
            {field(
              "assistant-base-url",
              t("settings.aiBaseUrl"),
              t("settings.aiBaseUrlHint"),
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
            {modelField("openai", t("settings.aiOpenaiModelHint"))}
            <SecretField name="apiKey" label={t("settings.aiApiKey")} stored={ai.apiKey} />
          </>
        ) : null}
        <FormError message={error?.message ?? null} />
        <div>
          <button type="submit" disabled={busy}>
            {t("settings.aiModelSave")}
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
    if (await run({ brandKit: text.trim() }, t("settings.aiBrandKitSaved"))) setDirty(false);
  };
  const near = text.length > BRAND_KIT_MAX * 0.9;
  return (
    <section class="stack narrow" aria-labelledby="assistant-brand-title">
      <h2 id="assistant-brand-title">{t("settings.aiBrandKit")}</h2>
      <p class="muted">{t("settings.aiBrandKitAbout")}</p>
      <form class="stack" onSubmit={submit} aria-label={t("settings.aiBrandKit")}>
        <label>
          {t("settings.aiBrandKit")}
          <textarea
            name="brandKit"
            rows={6}
            maxLength={BRAND_KIT_MAX}
            value={text}
            placeholder={t("settings.aiBrandKitPlaceholder")}
            aria-describedby="assistant-brand-count"
            onInput={(e: Event) => {
              setText((e.target as HTMLTextAreaElement).value);
              setDirty(true);
            }}
          />
        </label>
        <small id="assistant-brand-count" class={`counter${near ? " warn" : ""}`}>
          {t("settings.aiCharacters", { length: text.length, max: BRAND_KIT_MAX })}
        </small>
        <FormError message={error?.message ?? null} />
        <div class="faq-save">
          <button type="submit" disabled={busy}>
            {t("settings.aiBrandKitSave")}
          </button>
          {dirty ? <span class="muted">{t("settings.unsavedChanges")}</span> : null}
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
    if (twice >= 0) return fail(t("settings.aiPageTwice", { n: twice + 1 }));
    sent.current = rows;
    if (!(await run({ urls: rows.map((r) => r.url) }, rows.length ? t("settings.aiPagesSaved") : t("settings.aiPagesRemoved")))) return;
    setList(urlRows(rows.map((r) => r.url)));
    setDirty(false);
    pages.watch(rows.map((r) => r.url));
  };

  return (
    <section class="stack narrow" aria-labelledby="assistant-pages-title">
      <h2 id="assistant-pages-title">{t("settings.aiPages")}</h2>
      <p class="muted">{t("settings.aiPagesAbout")}</p>
      <form class="stack" ref={form} onSubmit={submit} aria-label={t("settings.aiPages")} noValidate>
        <ol class="url-list">
          {list.map((r, i) => (
            <li key={r.key} class="url-row">
              <input
                type="url"
                inputMode="url"
                aria-label={t("settings.aiPageN", { n: i + 1 })}
                value={r.url}
                maxLength={URL_MAX}
                spellcheck={false}
                placeholder="https://example.com/help/returns"
                aria-invalid={r.key === refusedKey ? "true" : undefined}
                onInput={(e: Event) => edit(r.key, (e.target as HTMLInputElement).value)}
              />
              <button type="button" class="secondary" aria-label={t("settings.aiRemovePageN", { n: i + 1 })} onClick={() => remove(r.key)}>
                {t("common.remove")}
              </button>
            </li>
          ))}
        </ol>
        <FormError message={error?.message ?? null} />
        <div class="faq-save">
          <button type="button" class="secondary" onClick={add} disabled={list.length >= PAGES_MAX}>
            {t("settings.aiAddPage")}
          </button>
          <button type="submit" disabled={busy}>
            {t("settings.aiPagesSave")}
          </button>
          {dirty ? <span class="muted">{t("settings.unsavedChanges")}</span> : null}
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
  const failed = (e: unknown) => setFailure(failureText(e, t("settings.aiPagesNotLoaded")));
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
      notify(t("settings.aiPagesReadAgain"));
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
      <h3>{t("settings.aiWhatWasRead")}</h3>
      <ul class="page-statuses" aria-label={t("settings.aiWhatWasRead")}>
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
          {t("settings.aiReadAgain")}
        </button>
        {pages.reading ? (
          <span class="muted" role="status">
            {t("settings.aiReading")}
          </span>
        ) : null}
      </div>
    </div>
  );
}

const passages = (n: number) => tn("settings.aiPassages", n);

function PageState({ page }: { page: PageStatus | undefined }) {
  if (!page) return <span class="muted">{t("settings.aiNotReadYet")}</span>;
  if (page.error === null && page.fetchedAt !== null) {
    return (
      <span class="page-read">
        {t("settings.aiPageRead", { passages: passages(page.passages) })} <Time at={page.fetchedAt} />
      </span>
    );
  }
  return (
    <span class="page-error">
      {t("settings.aiCouldNotRead", { error: page.error ?? t("settings.aiNoText") })} ({t("settings.aiTried")} <Time at={page.triedAt} />)
      {page.fetchedAt !== null && page.passages ? (
        <span class="muted">
          {" "}
          {t("settings.aiStillUses", { passages: passages(page.passages) })} <Time at={page.fetchedAt} />.
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
    if (!question || !answer) return setAddError(t("settings.aiWriteBoth"));
    if (list.length >= FAQ_MAX) return setAddError(tn("settings.aiFaqFull", FAQ_MAX));
    setList((l) => [...l, { question, answer, key: nextKey++ }]);
    setDirty(true);
    form.reset();
    form.querySelector<HTMLInputElement>("input[name=question]")?.focus();
  };
  const submit = async () => {
    const faq = list.map((r) => ({ question: r.question.trim(), answer: r.answer.trim() }));
    const blank = faq.findIndex((f) => !f.question || !f.answer);
    if (blank >= 0) return fail(t("settings.aiQuestionIncomplete", { n: blank + 1 }));
    if (await run({ faq }, t("settings.aiFaqSaved"))) setDirty(false);
  };

  return (
    <section class="stack" aria-labelledby="assistant-faq-title">
      <h2 id="assistant-faq-title">{t("settings.aiFaq")}</h2>
      <p class="muted">{t("settings.aiFaqAbout")}</p>
      {list.length === 0 ? (
        <p class="empty">{t("settings.aiNoQuestions")}</p>
      ) : (
        <ol class="faq-list" aria-label={t("settings.aiFaq")}>
          {list.map((r, i) => (
            <li key={r.key} class="faq-item">
              <label>
                {t("settings.aiQuestionN", { n: i + 1 })}
                <input
                  aria-label={t("settings.aiQuestionN", { n: i + 1 })}
                  value={r.question}
                  maxLength={QUESTION_MAX}
                  onInput={(e: Event) => edit(r.key, { question: (e.target as HTMLInputElement).value })}
                />
              </label>
              <label>
                {t("settings.aiAnswerN", { n: i + 1 })}
                <textarea
                  aria-label={t("settings.aiAnswerN", { n: i + 1 })}
                  rows={3}
                  maxLength={ANSWER_MAX}
                  value={r.answer}
                  onInput={(e: Event) => edit(r.key, { answer: (e.target as HTMLTextAreaElement).value })}
                />
              </label>
              <div>
                <button type="button" class="secondary" aria-label={t("settings.aiRemoveQuestionN", { n: i + 1 })} onClick={() => remove(r.key)}>
                  {t("common.remove")}
                </button>
              </div>
            </li>
          ))}
        </ol>
      )}
      <form class="stack faq-add" onSubmit={add} aria-label={t("settings.aiAddQuestion")}>
        <h3>{t("settings.aiAddAQuestion")}</h3>
        <label>
          {t("settings.aiNewQuestion")}
          <input name="question" maxLength={QUESTION_MAX} placeholder={t("settings.aiNewQuestionPlaceholder")} />
        </label>
        <label>
          {t("settings.aiNewAnswer")}
          <textarea name="answer" rows={3} maxLength={ANSWER_MAX} placeholder={t("settings.aiNewAnswerPlaceholder")} />
        </label>
        <FormError message={addError} />
        <div>
          <button type="submit" class="secondary">
            {t("settings.aiAddQuestion")}
          </button>
        </div>
      </form>
      <FormError message={error?.message ?? null} />
      <div class="faq-save">
        <button type="button" onClick={submit} disabled={busy}>
          {t("settings.aiFaqSave")}
        </button>
        {dirty ? <span class="muted">{t("settings.unsavedChanges")}</span> : null}
      </div>
    </section>
  );
}
