// Browser tests: plain Node (no Workers pool). Each file starts its own `wrangler dev` on its own
// port and storage, and its own Chromium (see harness.ts), so two files can run side by side: most
// of a browser test is waiting on a page, not computing. Timeouts are generous for a loaded machine.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    root: new URL("../..", import.meta.url).pathname,
    include: ["test/browser/**/*.test.ts"],
    environment: "node",
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // A loaded machine (CI beside other runs) is slow to paint: polls wait as long as locators do.
    expect: { poll: { timeout: 15_000 } },
  },
});
