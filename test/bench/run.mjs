// `npm run bench [-- name ...]`: runs every section in this folder, in name order, or only
// the named ones (`npm run bench -- inbox` runs inbox.bench.mjs).
//
// Section contract: a file `<name>.bench.mjs` here whose default export is
//   async function (): Promise<Table[]>      Table = { title, rows: object[], note? }
// Each row is one line of figures (same keys in every row: they become the columns); numbers
// are printed with up to two decimals. A section measures its own baseline in the same run and
// cleans up whatever it starts (servers, temp dirs) before it resolves, also when it throws.
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const all = readdirSync(here)
  .filter((f) => f.endsWith(".bench.mjs"))
  .sort();
const wanted = process.argv.slice(2);
const files = wanted.length ? all.filter((f) => wanted.includes(f.replace(".bench.mjs", ""))) : all;
const unknown = wanted.filter((w) => !all.includes(`${w}.bench.mjs`));
if (unknown.length) {
  console.error(`No bench section named ${unknown.join(", ")}. Sections: ${all.map((f) => f.replace(".bench.mjs", "")).join(", ")}`);
  process.exit(2);
}

const cell = (v) => (typeof v === "number" ? (Number.isInteger(v) ? String(v) : v.toFixed(2)) : String(v ?? ""));

function printTable({ title, rows, note }) {
  console.log(`\n## ${title}`);
  if (rows.length) {
    const cols = Object.keys(rows[0]);
    const text = rows.map((r) => cols.map((c) => cell(r[c])));
    const width = cols.map((c, i) => Math.max(c.length, ...text.map((t) => t[i].length)));
    const line = (cells) => cells.map((t, i) => (i === 0 ? t.padEnd(width[i]) : t.padStart(width[i]))).join("  ");
    console.log(line(cols));
    console.log(width.map((w) => "-".repeat(w)).join("  "));
    for (const t of text) console.log(line(t));
  }
  if (note) console.log(note);
}

let failed = false;
for (const file of files) {
  console.log(`\n# ${file.replace(".bench.mjs", "")}`);
  try {
    const { default: section } = await import(pathToFileURL(join(here, file)).href);
    for (const table of await section()) printTable(table);
  } catch (err) {
    failed = true;
    console.error(`Section ${file} failed:`, err);
  }
}
process.exit(failed ? 1 : 0);
