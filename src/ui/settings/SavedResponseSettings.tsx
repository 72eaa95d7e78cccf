// Saved responses and their categories. A category is a name the responses share; renaming one moves them all.
import { useEffect, useState } from "hono/jsx/dom";
import { api } from "../api";
import { FormError, formValues } from "../components";
import { notify, notifyError } from "../notices";
import type { SavedResponse } from "../types";

const TAG_HELP = "Tags: {{contact.first_name}}, {{contact.name}}, {{contact.email}}, {{agent.name}}, {{agent.first_name}}; with a fallback: {{contact.first_name | there}}.";

export function SavedResponseSettings() {
  const [items, setItems] = useState<SavedResponse[] | null>(null);
  const [editing, setEditing] = useState<string | null>(null);
  const load = () => api<{ items: SavedResponse[] }>("GET", "/saved-responses").then(({ items }) => setItems(items), notifyError);
  useEffect(() => {
    load();
  }, []);
  if (!items) return <p class="empty">Loading…</p>;
  const categories = [...new Set(items.map((r) => r.category))];

  const remove = async (r: SavedResponse) => {
    if (!confirm(`Delete the saved response "${r.name}"?`)) return;
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
        <section key={category} class="category" aria-label={`Category ${category}`}>
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
                      <button type="button" class="secondary" aria-label={`Edit ${r.name}`} onClick={() => setEditing(r.id)}>
                        Edit
                      </button>
                      <button type="button" class="danger" aria-label={`Delete ${r.name}`} onClick={() => remove(r)}>
                        Delete
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
  if (!renaming) {
    return (
      <h3>
        {category}{" "}
        <button type="button" class="link" aria-label={`Rename category ${category}`} onClick={() => setRenaming(true)}>
          Rename
        </button>
      </h3>
    );
  }
  const submit = async (event: Event) => {
    const name = formValues(event).category?.trim();
    if (!name || name === category) return setRenaming(false);
    try {
      await Promise.all(responses.map((r) => api("PATCH", `/saved-responses/${r.id}`, { category: name })));
      notify(`Category renamed to ${name}.`);
      onRenamed();
    } catch (e) {
      notifyError(e);
    }
  };
  return (
    <form class="inline-form" onSubmit={submit}>
      <input name="category" value={category} aria-label={`New name for category ${category}`} required maxLength={100} autoFocus />
      <button type="submit">Rename</button>
      <button type="button" class="link" onClick={() => setRenaming(false)}>
        Cancel
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
      notify(response ? "Saved response changed." : "Saved response added.");
      if (!response) form.reset();
      onSaved();
    } catch (e) {
      setError(e instanceof Error ? e.message : "Not saved.");
    }
  };
  const listId = response ? `categories-${response.id}` : "categories-new";
  return (
    <form class="card stack" onSubmit={submit} aria-label={response ? `Edit ${response.name}` : "New saved response"}>
      {response ? null : <h3>New saved response</h3>}
      <div class="grid">
        <label>
          Category
          <input name="category" list={listId} required maxLength={100} value={response?.category ?? ""} />
          <datalist id={listId}>
            {categories.map((c) => (
              <option key={c} value={c} />
            ))}
          </datalist>
        </label>
        <label>
          Name
          <input name="name" required maxLength={200} value={response?.name ?? ""} />
        </label>
      </div>
      <label>
        Text
        <textarea name="body" rows={4} required maxLength={10000} aria-describedby="tag-help" value={response?.body ?? ""} />
      </label>
      <small id="tag-help">{TAG_HELP}</small>
      <FormError message={error} />
      <div class="row-actions">
        <button type="submit">{response ? "Save" : "Add saved response"}</button>
        {onCancel ? (
          <button type="button" class="link" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
      </div>
    </form>
  );
}
