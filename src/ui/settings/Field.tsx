// A settings field with its name above and a line of help below that describes it (`${id}-help`),
// and room beside the help for an action on the field.
import type { Child } from "hono/jsx/dom";

export function Field(props: { id: string; label: string; help: Child; aside?: Child; children: Child }) {
  return (
    <div class="stack tight">
      <label for={props.id} class="field-title">
        {props.label}
      </label>
      {props.children}
      <div class="field-help">
        <small id={`${props.id}-help`} class="muted">
          {props.help}
        </small>
        {props.aside}
      </div>
    </div>
  );
}
