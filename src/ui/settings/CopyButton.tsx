// Copies text to the clipboard and says so.
import { useState } from "hono/jsx/dom";
import { t } from "../i18n";

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      // Clipboard refused (insecure origin or permission): the text stays selectable by hand.
    }
  };
  return (
    <button type="button" class="secondary" onClick={copy} aria-live="polite">
      {copied ? t("settings.copied") : label}
    </button>
  );
}
