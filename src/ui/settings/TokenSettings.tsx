// API tokens for CRMs and scripts. A token is shown once, when it is made.
import { useEffect, useState } from "hono/jsx/dom";
import { api } from "../api";
import { FormError, formValues, Time } from "../components";
import { notifyError } from "../notices";
import type { ApiToken } from "../types";
import { CopyButton } from "./CopyButton";

export function TokenSettings() {
  const [tokens, setTokens] = useState<ApiToken[] | null>(null);
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = () => api<{ items: ApiToken[] }>("GET", "/tokens").then(({ items }) => setTokens(items), notifyError);
  useEffect(() => {
    load();
  }, []);

  const create = async (event: Event) => {
    const form = event.currentTarget as HTMLFormElement;
    const v = formValues(event);
    setError(null);
    try {
      setCreated(await api<{ name: string; token: string }>("POST", "/tokens", { name: v.name }));
      form.reset();
      await load();
    } catch (e) {
      setError(e instanceof Error ? e.message : "Not created.");
    }
  };
  const revoke = async (t: ApiToken) => {
    if (!confirm(`Revoke "${t.name}"? Anything using it stops working.`)) return;
    try {
      await api("DELETE", `/tokens/${t.id}`);
      await load();
    } catch (e) {
      notifyError(e);
    }
  };

  return (
    <div>
      <p>
        Send a token as <code>Authorization: Bearer &lt;token&gt;</code>. The API is described at <a href="/api/openapi.json">/api/openapi.json</a>.
      </p>
      {created ? (
        <div class="card once" role="alert">
          <p>
            <strong>Copy the token for “{created.name}” now.</strong> It will not be shown again.
          </p>
          <div class="copy-row">
            <input readOnly value={created.token} aria-label="New API token" onFocus={(e: Event) => (e.target as HTMLInputElement).select()} />
            <CopyButton text={created.token} label="Copy token" />
          </div>
        </div>
      ) : null}
      <form class="inline-form" onSubmit={create} aria-label="New API token">
        <label>
          Token name
          <input name="name" required maxLength={200} placeholder="e.g. CRM sync" />
        </label>
        <button type="submit">Create token</button>
      </form>
      <FormError message={error} />
      <ul class="token-list">
        {(tokens ?? []).map((t) => (
          <li key={t.id}>
            <span>
              <strong>{t.name}</strong>{" "}
              <span class="muted">
                made <Time at={t.createdAt} />
                {t.lastUsedAt ? (
                  <>
                    , last used <Time at={t.lastUsedAt} />
                  </>
                ) : (
                  ", never used"
                )}
              </span>
            </span>
            <button type="button" class="danger" aria-label={`Revoke ${t.name}`} onClick={() => revoke(t)}>
              Revoke
            </button>
          </li>
        ))}
      </ul>
      {tokens && !tokens.length ? <p class="empty">No tokens yet.</p> : null}
    </div>
  );
}
