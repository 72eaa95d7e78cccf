// The snippet a website owner pastes, pointing at this Worker.
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
        Paste this before <code>&lt;/body&gt;</code> on every page that should offer chat. The <code>identify</code> line is optional: keep it only for signed-in visitors, with their email and name,
        and the hash from the Identity tab.
      </p>
      <pre class="snippet" aria-label="Embed snippet" tabIndex={0}>
        <code>{snippet}</code>
      </pre>
      <div>
        <CopyButton text={snippet} label="Copy snippet" />
      </div>
    </div>
  );
}
