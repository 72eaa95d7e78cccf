import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

export default defineConfig({
  plugins: [
    cloudflareTest(async () => ({
      wrangler: { configPath: "./wrangler.toml" },
      // Workers AI has no local simulation: tests give the Worker a model at the binding, or none.
      remoteBindings: false,
      miniflare: {
        bindings: { TEST_MIGRATIONS: await readD1Migrations("migrations") },
      },
    })),
  ],
  test: {
    include: ["test/**/*.test.ts"],
    // Browser tests run in Node against wrangler dev: test/browser/vitest.config.ts.
    exclude: ["test/browser/**", "node_modules/**"],
    setupFiles: ["test/setup.ts"],
  },
});
