// Browser tests: plain Node (no Workers pool). Each file starts its own `wrangler dev` and
// Chromium (see harness.ts), so files run one after another and get generous timeouts.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    root: new URL("../..", import.meta.url).pathname,
    include: ["test/browser/**/*.test.ts"],
    environment: "node",
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // A loaded machine (CI beside other runs) is slow to paint: polls wait as long as locators do.
    expect: { poll: { timeout: 15_000 } },
  },
});
