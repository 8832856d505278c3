import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["src/**/*.test.ts", "test/**/*.test.ts", "bench/**/*.test.ts", "api/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // The CLI tests run the compiled build: rebuilt first when the sources changed since.
    globalSetup: ["test/support/build-once.ts"],
  },
});
