// The agent web UI: mounts the app into index.html.
import { render } from "hono/jsx/dom";
import "./app.css"; // esbuild writes it beside the bundle as public/app.css
import "./privacy.css"; // after app.css, into the same public/app.css
import "./settings/appearance.css";
import { App } from "./App";
import { interceptLinks } from "./router";

const root = document.getElementById("app")!;
interceptLinks(root);
render(<App />, root);
