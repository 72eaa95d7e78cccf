// API tokens for CRMs and scripts. A token is shown once, when it is made.
import { useState } from "hono/jsx/dom";
import { api } from "../api";
import { FormError, formValues, Time, useNewest } from "../components";
import { t } from "../i18n";
import { notifyError } from "../notices";
import type { ApiToken } from "../types";
import { CopyButton } from "./CopyButton";
import { failureText } from "./useSettings";

export function TokenSettings() {
  const [tokens, setTokens] = useState<ApiToken[] | null>(null);
  const [created, setCreated] = useState<{ name: string; token: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const load = useNewest(
    () => api<{ items: ApiToken[] }>("GET", "/tokens"),
    ({ items }) => setTokens(items),
  );

  const create = async (event: Event) => {
    const form = event.currentTarget as HTMLFormElement;
    const v = formValues(event);
    setError(null);
    try {
      setCreated(await api<{ name: string; token: string }>("POST", "/tokens", { name: v.name }));
      form.reset();
      await load();
    } catch (e) {
      setError(failureText(e, t("settings.tokenNotCreated")));
    }
  };
  const revoke = async (token: ApiToken) => {
    if (!confirm(t("settings.tokenRevokeConfirm", { name: token.name }))) return;
    try {
      await api("DELETE", `/tokens/${token.id}`);
      await load();
    } catch (e) {
      notifyError(e);
    }
  };

  return (
    <div>
      <p>
        {t("settings.tokenSendAs")}
        <code>Authorization: Bearer &lt;token&gt;</code>
        {t("settings.tokenDescribedAt")}
        <a href="/api/openapi.json">/api/openapi.json</a>
        {t("settings.tokenDescribedAtEnd")}
      </p>
      {created ? (
        <div class="card once" role="alert">
          <p>
            <strong>{t("settings.tokenCopyNow", { name: created.name })}</strong> {t("settings.tokenNotShownAgain")}
          </p>
          <div class="copy-row">
            <input readOnly value={created.token} aria-label={t("settings.tokenNew")} onFocus={(e: Event) => (e.target as HTMLInputElement).select()} />
            <CopyButton text={created.token} label={t("settings.tokenCopy")} />
          </div>
        </div>
      ) : null}
      <form class="inline-form" onSubmit={create} aria-label={t("settings.tokenNew")}>
        <label>
          {t("settings.tokenName")}
          <input name="name" required maxLength={200} placeholder={t("settings.tokenNamePlaceholder")} />
        </label>
        <button type="submit">{t("settings.tokenCreate")}</button>
      </form>
      <FormError message={error} />
      <ul class="token-list">
        {(tokens ?? []).map((token) => (
          <li key={token.id}>
            <span>
              <strong>{token.name}</strong>{" "}
              <span class="muted">
                {t("settings.tokenMade")} <Time at={token.createdAt} />
                {token.lastUsedAt ? (
                  <>
                    {t("settings.tokenLastUsed")} <Time at={token.lastUsedAt} />
                  </>
                ) : (
                  t("settings.tokenNeverUsed")
                )}
              </span>
            </span>
            <button type="button" class="danger" aria-label={t("settings.tokenRevokeNamed", { name: token.name })} onClick={() => revoke(token)}>
              {t("settings.tokenRevoke")}
            </button>
          </li>
        ))}
      </ul>
      {tokens && !tokens.length ? <p class="empty">{t("settings.tokenNone")}</p> : null}
    </div>
  );
}
