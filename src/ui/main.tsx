// The agent web UI: mounts the app into index.html.
import { render } from "hono/jsx/dom";
import { App } from "./App";
import { interceptLinks } from "./router";

const root = document.getElementById("app")!;
interceptLinks(root);
render(<App />, root);
