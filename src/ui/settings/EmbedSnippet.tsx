// The snippet a website owner pastes, pointing at this Worker.
import { t } from "../i18n";
import { CopyButton } from "./CopyButton";

export function embedSnippet(origin: string): string {
  return `<script src="${origin}/widget.js" defer></script>
<script>
  window.Parley = window.Parley || { q: [], push(a) { this.q.push(a) } };
  Parley.push(["identify", { email: "ana@example.com", name: "Ana Lima", hash: "HMAC" }]);
</script>`;
}

export function EmbedSnippet() {
  const snippet = embedSnippet(location.origin);
  return (
    <div class="stack">
      <p>
        {t("settings.embedPasteBefore")}
        <code>&lt;/body&gt;</code>
        {t("settings.embedPasteAfter")}
        <code>identify</code>
        {t("settings.embedIdentifyAfter")}
      </p>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: it scrolls sideways, and a keyboard scrolls only what has the focus */}
      <section class="snippet" aria-label={t("settings.embedSnippet")} tabIndex={0}>
        <pre>
          <code>{snippet}</code>
        </pre>
      </section>
      <div>
        <CopyButton text={snippet} label={t("settings.embedCopy")} />
      </div>
    </div>
  );
}
