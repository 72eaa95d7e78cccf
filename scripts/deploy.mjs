// `npm run deploy`: from a fresh Cloudflare account (after `npx wrangler login`) to a running Parley.
// `wrangler deploy` creates the D1 database and the R2 bucket wrangler.toml names (they carry no
// id); a queue it does not create, so the webhooks queue is made here first when missing. The
// migrations reach the remote database before the new code runs, or, on the first deploy, right
// after wrangler has made the database.
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";

const config = readFileSync(new URL("../wrangler.toml", import.meta.url), "utf8");
const named = (key) => {
  const value = config.match(new RegExp(`^${key} = "(.+)"$`, "m"))?.[1];
  if (!value) throw new Error(`wrangler.toml names no ${key}`);
  return value;
};
const queue = named("queue");
const database = named("database_name");

const wrangler = (args, quiet = false) => spawnSync("npx", ["wrangler", ...args], { stdio: quiet ? "pipe" : "inherit", encoding: "utf8" });
const run = (args) => {
  const { status } = wrangler(args);
  if (status !== 0) process.exit(status ?? 1);
};

if (wrangler(["queues", "info", queue], true).status !== 0) run(["queues", "create", queue]);
const databaseExists = wrangler(["d1", "info", database], true).status === 0;
if (databaseExists) run(["d1", "migrations", "apply", "DB", "--remote"]);
run(["deploy"]);
if (!databaseExists) run(["d1", "migrations", "apply", "DB", "--remote"]);
