// The pages before sign-in: first-run setup and the sign-in form.
import { useState } from "hono/jsx/dom";
import { api } from "../api";
import { FormError, formValues } from "../components";
import { t } from "../i18n";
import { navigate } from "../router";
import type { User } from "../types";

type Done = { onDone: (user: User) => void };

function useSubmit(path: string, onDone: Done["onDone"]) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (event: Event) => {
    const values = formValues(event);
    setBusy(true);
    setError(null);
    try {
      const user = await api<User>("POST", path, values);
      if (location.pathname === "/login" || location.pathname === "/setup" || location.pathname === "/") navigate("/inbox", { replace: true });
      onDone(user);
    } catch (e) {
      setError(e instanceof Error ? e.message : t("common.didNotWork"));
      setBusy(false);
    }
  };
  return { error, busy, submit };
}

export function SetupPage({ onDone }: Done) {
  const { error, busy, submit } = useSubmit("/setup", onDone);
  return (
    <main class="welcome" id="main">
      <h1>{t("common.welcome")}</h1>
      <p>{t("common.welcomeIntro")}</p>
      <form onSubmit={submit} class="stack">
        <label>
          {t("common.yourName")}
          <input name="name" autocomplete="name" required maxLength={200} />
        </label>
        <label>
          {t("common.email")}
          <input name="email" type="email" autocomplete="email" required />
        </label>
        <label>
          {t("common.password")}
          <input name="password" type="password" autocomplete="new-password" required minLength={8} aria-describedby="pw-hint" />
        </label>
        <small id="pw-hint">{t("common.passwordHint")}</small>
        <FormError message={error} />
        <button type="submit" disabled={busy}>
          {t("common.createAdmin")}
        </button>
      </form>
    </main>
  );
}

export function LoginPage({ onDone }: Done) {
  const { error, busy, submit } = useSubmit("/auth/login", onDone);
  return (
    <main class="welcome" id="main">
      <h1>{t("common.signInTitle")}</h1>
      <form onSubmit={submit} class="stack">
        <label>
          {t("common.email")}
          <input name="email" type="email" autocomplete="username" required />
        </label>
        <label>
          {t("common.password")}
          <input name="password" type="password" autocomplete="current-password" required />
        </label>
        <FormError message={error} />
        <button type="submit" disabled={busy}>
          {t("common.signIn")}
        </button>
      </form>
    </main>
  );
}
