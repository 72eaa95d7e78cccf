// `wrangler dev` for a bench section: started on a port of the section's own, against a persist
// dir of its own, and always stopped (the whole process group) when the section is done.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "../..");
const WRANGLER = join(ROOT, "node_modules/.bin/wrangler");

/** Applies the app's migrations to each local D1 `binding` of `config`; returns each one's SQLite file. */
export function migratedDatabases({ config, bindings, persistTo }) {
  const dir = join(persistTo, "v3/d1/miniflare-D1DatabaseObject");
  const files = () => new Set(existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite") : []);
  const found = {};
  for (const binding of bindings) {
    const before = files();
    execFileSync(WRANGLER, ["d1", "migrations", "apply", binding, "--local", "-c", config, "--persist-to", persistTo], { cwd: ROOT, stdio: "pipe" });
    const [file] = [...files()].filter((f) => !before.has(f));
    if (!file) throw new Error(`Applying migrations to ${binding} created no database file in ${dir}`);
    found[binding] = join(dir, file);
  }
  return found;
}

/**
 * The Worker of `config` (its `main`, relative to it) bundled once into `dir`, with a config that
 * points at the bundle: wrangler dev then watches nothing a colleague's edit could touch (a reload
 * mid-run drops every socket and answers requests in flight 503). Returns that config's path; the
 * databases are migrated with the original config (`migratedDatabases`), same ids, same files.
 */
export function frozenWorker(config, dir) {
  // Its own folder: wrangler watches the bundle's folder, and the persist dir must not be in it.
  const folder = join(dir, "worker");
  mkdirSync(folder, { recursive: true });
  const original = readFileSync(join(ROOT, config), "utf8");
  const main = original.match(/^main = "(.+)"$/m)?.[1];
  if (!main) throw new Error(`${config} names no main`);
  const bundle = basename(main).replace(/\.[cm]?[jt]s$/, ".js");
  try {
    execFileSync(
      join(ROOT, "node_modules/.bin/esbuild"),
      [
        join(dirname(config), main),
        "--bundle",
        "--format=esm",
        "--platform=browser",
        "--conditions=workerd,worker",
        "--external:cloudflare:*",
        "--external:node:*",
        `--outfile=${join(folder, bundle)}`,
      ],
      { cwd: ROOT, stdio: "pipe" },
    );
  } catch (error) {
    throw new Error(`Bundling ${main} failed:\n${error.stderr ?? error.message}`, { cause: error });
  }
  const frozen = join(folder, basename(config));
  writeFileSync(frozen, original.replace(/^main = .*$/m, `main = "${bundle}"\nno_bundle = true`).replace(/^migrations_dir = .*$/m, ""));
  return frozen;
}

/** Runs `fn(baseUrl)` while `wrangler dev -c config` serves on `port`; `vars` become the Worker's env vars. */
export async function withWranglerDev(options, fn) {
  const dev = await startWranglerDev(options);
  try {
    return await fn(dev.baseUrl);
  } catch (error) {
    // Why is in what the server refused or reported.
    const telling = dev
      .log()
      .split("\n")
      .filter((line) => / [45]\d\d |error|exception/i.test(line))
      .slice(-30);
    throw new Error(`${error.message}\nwrangler dev, refusals and errors:\n${telling.join("\n")}`, { cause: error });
  } finally {
    await dev.stop();
  }
}

/**
 * `wrangler dev -c config` on `port`, once it answers: `stop()` ends it as a deploy would,
 * `kill()` as a crash does (SIGKILL to the whole group, nothing flushed); both wait until it is gone.
 */
export async function startWranglerDev({ config, port, persistTo, vars = {} }) {
  const varArgs = Object.entries(vars).flatMap(([name, value]) => ["--var", `${name}:${value}`]);
  const child = spawn(WRANGLER, ["dev", "--local", "-c", config, "--port", String(port), "--persist-to", persistTo, ...varArgs], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    // Local dev's trace collector stores every invocation's events in a SQLite file of its own, on
    // the same thread as the Worker: off, so the figures are the Worker's and not the tooling's.
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", X_LOCAL_OBSERVABILITY: "false" },
  });
  let log = "";
  child.stdout.on("data", (d) => (log += d));
  child.stderr.on("data", (d) => (log += d));
  const exited = new Promise((done) => child.on("exit", done));
  const baseUrl = `http://localhost:${port}`;
  const end = (signal) => stopGroup(child.pid, signal).then(() => exited);
  try {
    await untilServing(baseUrl, child, () => log);
  } catch (error) {
    await end("SIGTERM");
    throw error;
  }
  return { baseUrl, log: () => log, stop: () => end("SIGTERM"), kill: () => end("SIGKILL") };
}

/** Stops every process of the group and waits until none is left: workerd lets go of the D1 files only as it exits. */
async function stopGroup(pgid, first = "SIGTERM") {
  const signal = (name) => {
    try {
      process.kill(-pgid, name);
      return true;
    } catch {
      return false; // the group is gone
    }
  };
  const deadline = Date.now() + 10_000;
  signal(first);
  while (signal(0)) {
    if (Date.now() > deadline) signal("SIGKILL");
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function untilServing(baseUrl, child, log) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited:\n${log()}`);
    try {
      await fetch(baseUrl);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  throw new Error(`wrangler dev did not answer on ${baseUrl} within 60 s:\n${log()}`);
}
