// What a website's visitor downloads for the widget: widget.js (English built in) and, in any
// other language, that language's file, fetched once it is chosen. Built fresh by `npm run build`
// and gzipped at level 9, against the budget for the script a page loads first: 8 KB gzipped.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const BUDGET = 8 * 1024;
const LANGUAGES = ["en", "it", "de", "ru", "es", "fr", "pt"];

const gzipped = (bytes) => gzipSync(bytes, { level: 9 }).length;
const ofBudget = (bytes) => (100 * bytes) / BUDGET;

export default async function widget() {
  execFileSync("npm", ["run", "build", "--silent"], { cwd: ROOT, stdio: "ignore" });
  const script = readFileSync(join(ROOT, "public", "widget.js"));
  const scriptGzip = gzipped(script);
  const language = (name) => (name === "en" ? 0 : gzipped(readFileSync(join(ROOT, "public", "widget-locales", `${name}.json`))));
  return [
    {
      title: "widget.js, the script a page loads first",
      rows: [{ file: "widget.js", "raw B": script.length, "gzip B": scriptGzip, "budget B": BUDGET, "% of budget": ofBudget(scriptGzip) }],
    },
    {
      title: "What a visitor downloads in each language (gzip B)",
      rows: LANGUAGES.map((name) => {
        const file = language(name);
        return { language: name, "language file": file, "widget.js + file": scriptGzip + file, "budget B": BUDGET, "% of budget": ofBudget(scriptGzip + file) };
      }),
      note: "English is built into widget.js; each other language is one more request of its own file (public/widget-locales/), cached by the browser like the script.",
    },
  ];
}
