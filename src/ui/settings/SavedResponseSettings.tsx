// Saved responses and their categories. A category is a name the responses share; renaming one moves them all.
import { useState } from "hono/jsx/dom";
import { api } from "../api";
import { FormError, formValues, useFocusWhen, useNewest } from "../components";
import { t } from "../i18n";
import { notify, notifyError } from "../notices";
import type { SavedResponse } from "../types";
import { failureText } from "./useSettings";

export function SavedResponseSettings() {
  const [items, setItems] = useState<SavedResponse[] | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const load = useNewest(
    () => api<{ items: SavedResponse[] }>("GET", "/saved-responses"),
    ({ items }) => setItems(items),
  );
  if (!items) return <p class="empty">{t("common.loading")}</p>;
  const categories = [...new Set(items.map((r) => r.category))];

  const remove = async (r: SavedResponse) => {
    if (!confirm(t("settings.savedDeleteConfirm", { name: r.name }))) return;
    try {
      await api("DELETE", `/saved-responses/${r.id}`);
      await load();
    } catch (e) {
      notifyError(e);
    }
  };

  return (
    <div class="saved-settings">
      <ResponseForm key="new" categories={categories} onSaved={load} />
      {categories.map((category) => (
        <section key={category} class="category" aria-label={t("settings.savedCategoryNamed", { category })}>
          <CategoryHeading category={category} responses={items.filter((r) => r.category === category)} onRenamed={load} />
          <ul class="saved-list">
            {items
              .filter((r) => r.category === category)
              .map((r) =>
                editing === r.id ? (
                  <li key={r.id}>
                    <ResponseForm
                      response={r}
                      categories={categories}
                      onSaved={async () => {
                        setEditing(null);
                        await load();
                      }}
                      onCancel={() => setEditing(null)}
                    />
                  </li>
                ) : (
                  <li key={r.id} class="saved-item">
                    <div>
                      <strong>{r.name}</strong>
                      <p class="body">{r.body}</p>
                    </div>
                    <div class="row-actions">
                      <button type="button" class="secondary" aria-label={t("settings.editNamed", { name: r.name })} onClick={() => setEditing(r.id)}>
                        {t("common.edit")}
                      </button>
                      <button type="button" class="danger" aria-label={t("settings.deleteNamed", { name: r.name })} onClick={() => remove(r)}>
                        {t("settings.delete")}
                      </button>
                    </div>
                  </li>
                ),
              )}
          </ul>
        </section>
      ))}
    </div>
  );
}

function CategoryHeading({ category, responses, onRenamed }: { category: string; responses: SavedResponse[]; onRenamed: () => void }) {
  const [renaming, setRenaming] = useState(false);
  const field = useFocusWhen<HTMLInputElement>(renaming);
  if (!renaming) {
    return (
      <h3>
        {category}{" "}
        <button type="button" class="link" aria-label={t("settings.savedRenameCategory", { category })} onClick={() => setRenaming(true)}>
          {t("settings.savedRename")}
        </button>
      </h3>
    );
  }
  const submit = async (event: Event) => {
    const name = formValues(event).category?.trim();
    if (!name || name === category) return setRenaming(false);
    try {
      await Promise.all(responses.map((r) => api("PATCH", `/saved-responses/${r.id}`, { category: name })));
      notify(t("settings.savedCategoryRenamed", { name }));
      onRenamed();
    } catch (e) {
      notifyError(e);
    }
  };
  return (
    <form class="inline-form" onSubmit={submit}>
      <input ref={field} name="category" value={category} aria-label={t("settings.savedCategoryNewName", { category })} required maxLength={100} />
      <button type="submit">{t("settings.savedRename")}</button>
      <button type="button" class="link" onClick={() => setRenaming(false)}>
        {t("common.cancel")}
      </button>
    </form>
  );
}

function ResponseForm({ response, categories, onSaved, onCancel }: { response?: SavedResponse; categories: string[]; onSaved: () => void; onCancel?: () => void }) {
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: Event) => {
    const form = event.currentTarget as HTMLFormElement;
    const v = formValues(event);
    setError(null);
    try {
      const fields = { category: v.category, name: v.name, body: v.body };
      if (response) await api("PATCH", `/saved-responses/${response.id}`, fields);
      else await api("POST", "/saved-responses", fields);
      notify(response ? t("settings.savedChanged") : t("settings.savedAdded"));
      if (!response) form.reset();
      onSaved();
    } catch (e) {
      setError(failureText(e, t("common.notSaved")));
    }
  };
  const listId = response ? `categories-${response.id}` : "categories-new";
  return (
    <form class="card stack" onSubmit={submit} aria-label={response ? t("settings.editNamed", { name: response.name }) : t("settings.savedNew")}>
      {response ? null : <h3>{t("settings.savedNew")}</h3>}
      <div class="grid">
        <label>
          {t("settings.savedCategory")}
          <input name="category" list={listId} required maxLength={100} value={response?.category ?? ""} />
          <datalist id={listId}>
            {categories.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
        </label>
        <label>
          {t("common.name")}
          <input name="name" required maxLength={200} value={response?.name ?? ""} />
        </label>
      </div>
      <label>
        {t("settings.savedText")}
        <textarea name="body" rows={4} required maxLength={10000} aria-describedby="tag-help" value={response?.body ?? ""} />
      </label>
      <small id="tag-help">{t("settings.savedTagHelp")}</small>
      <FormError message={error} />
      <div class="row-actions">
        <button type="submit">{response ? t("common.save") : t("settings.savedAdd")}</button>
        {onCancel ? (
          <button type="button" class="link" onClick={onCancel}>
            {t("common.cancel")}
          </button>
        ) : null}
      </div>
    </form>
  );
}
