// The identity secret: with it set, the widget's `identify` needs a valid HMAC, so nobody can chat as someone else.
import { useState } from "hono/jsx/dom";
import { FormError, formValues } from "../components";
import { notify } from "../notices";
import { useSettings } from "./useSettings";

function randomSecret(): string {
  return [...crypto.getRandomValues(new Uint8Array(32))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export function IdentitySettings() {
  const { settings, save } = useSettings();
  const [draft, setDraft] = useState("");
  const [error, setError] = useState<string | null>(null);
  if (!settings) return <p class="empty">Loading…</p>;

  const submit = async (event: Event) => {
    const secret = formValues(event).identitySecret ?? "";
    setError(null);
    try {
      await save({ identitySecret: secret });
      setDraft("");
      notify(secret ? "Identity secret saved. Copy it to your website's server now; it is not shown again." : "Identity secret removed.");
    } catch (e) {
      setError(e instanceof Error ? e.message : "Not saved.");
    }
  };

  return (
    <form class="stack narrow" onSubmit={submit} aria-label="Identity secret">
      <p>
        When your website tells the widget who is signed in (<code>identify</code>), it also sends <code>hash</code>: the hex HMAC-SHA256 of the email, keyed with this secret, computed on your server.
        With a secret set, an <code>identify</code> without a valid hash is refused. Without one, conversations from <code>identify</code> are marked “Identity not verified”.
      </p>
      <p>
        Current secret: <strong>{settings.identitySecret || "not set"}</strong>
      </p>
      <label>
        New identity secret
        <input name="identitySecret" value={draft} autocomplete="off" spellcheck={false} maxLength={500} onInput={(e: Event) => setDraft((e.target as HTMLInputElement).value)} />
      </label>
      <FormError message={error} />
      <div class="row-actions">
        <button type="button" class="secondary" onClick={() => setDraft(randomSecret())}>
          Generate
        </button>
        <button type="submit" disabled={!draft}>
          Save secret
        </button>
        {settings.identitySecret ? (
          <button type="button" class="danger" onClick={() => save({ identitySecret: "" }).then(() => notify("Identity secret removed."))}>
            Remove secret
          </button>
        ) : null}
      </div>
    </form>
  );
}
