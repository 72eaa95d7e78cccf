// The pages before sign-in: first-run setup and the sign-in form.
import { useState } from "hono/jsx/dom";
import { api } from "../api";
import { FormError, formValues } from "../components";
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
      setError(e instanceof Error ? e.message : "That did not work.");
      setBusy(false);
    }
  };
  return { error, busy, submit };
}

export function SetupPage({ onDone }: Done) {
  const { error, busy, submit } = useSubmit("/setup", onDone);
  return (
    <main class="welcome" id="main">
      <h1>Welcome to Parley</h1>
      <p>Create the first admin account for this workspace. You can add your team afterwards.</p>
      <form onSubmit={submit} class="stack">
        <label>
          Your name
          <input name="name" autocomplete="name" required maxLength={200} />
        </label>
        <label>
          Email
          <input name="email" type="email" autocomplete="email" required />
        </label>
        <label>
          Password
          <input name="password" type="password" autocomplete="new-password" required minLength={8} aria-describedby="pw-hint" />
        </label>
        <small id="pw-hint">At least 8 characters.</small>
        <FormError message={error} />
        <button type="submit" disabled={busy}>
          Create admin account
        </button>
      </form>
    </main>
  );
}

export function LoginPage({ onDone }: Done) {
  const { error, busy, submit } = useSubmit("/auth/login", onDone);
  return (
    <main class="welcome" id="main">
      <h1>Sign in to Parley</h1>
      <form onSubmit={submit} class="stack">
        <label>
          Email
          <input name="email" type="email" autocomplete="username" required />
        </label>
        <label>
          Password
          <input name="password" type="password" autocomplete="current-password" required />
        </label>
        <FormError message={error} />
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
    </main>
  );
}
