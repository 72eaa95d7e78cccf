// The bindings tests see: the Worker's, plus the migrations the setup file applies.
type WorkerEnv = import("../src/env").Env;

declare namespace Cloudflare {
  // Types `exports.default` (the Worker itself) for tests that call it.
  interface GlobalProps {
    mainModule: typeof import("../src/index");
  }
  interface Env extends WorkerEnv {
    TEST_MIGRATIONS: import("cloudflare:test").D1Migration[];
  }
}
