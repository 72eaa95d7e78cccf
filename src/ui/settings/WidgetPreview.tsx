// A mock of the chat widget (widget/src/view.ts draws the real one) with the appearance being
// edited, before it is saved. The brand colours go in through the CSSOM: the agent UI's CSP
// (style-src 'self') refuses style attributes, not properties set from script.
import { useEffect, useRef, useState } from "hono/jsx/dom";
import { textOn } from "../../domain/contrast";
import { t } from "../i18n";
import type { Appearance } from "../types";

type Props = Pick<Appearance, "color" | "position" | "launcherLabel"> & { title: string; greeting: string; awayText: string };

export function WidgetPreview(props: Props) {
  const [away, setAway] = useState(false);
  const root = useRef<HTMLElement>(null);
  useEffect(() => {
    root.current?.style.setProperty("--brand", props.color);
    root.current?.style.setProperty("--on-brand", textOn(props.color));
  }, [props.color]);
  return (
    <section class="widget-preview" ref={root} aria-labelledby="widget-preview-title">
      <div class="widget-preview-head">
        <h2 id="widget-preview-title">{t("appearance.preview")}</h2>
        <label class="check switch">
          <input type="checkbox" role="switch" checked={away} onChange={(e: Event) => setAway((e.target as HTMLInputElement).checked)} />
          {t("appearance.previewAway")}
        </label>
      </div>
      <div class={`preview-stage ${props.position}`}>
        <div class="preview-panel">
          <div class="preview-header">
            <strong>{props.title}</strong>
            <span aria-hidden="true">×</span>
          </div>
          <div class="preview-log">
            {props.greeting ? <p class="preview-message agent">{props.greeting}</p> : null}
            <p class="preview-message visitor">{t("appearance.previewVisitor")}</p>
            {away ? <p class="preview-away">{props.awayText}</p> : <p class="preview-message agent">{t("appearance.previewAgent")}</p>}
          </div>
          <div class="preview-composer">
            <span>{t("appearance.previewComposer")}</span>
            <span class="preview-send">{t("appearance.previewSend")}</span>
          </div>
        </div>
        <div class="preview-launcher">
          <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true">
            <path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z" />
          </svg>
          {props.launcherLabel ? <span>{props.launcherLabel}</span> : null}
        </div>
      </div>
    </section>
  );
}
