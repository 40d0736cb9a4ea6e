import { defineConfig } from "vitest/config";

// Three layers (ARCHITECTURE principle 11): pure unit tests beside the code, integration tests against
// real PostgreSQL/Redis, and browser tests in headless Chromium against the built app.
export default defineConfig({
  test: {
    pool: "forks",
    projects: [
      {
        test: {
          name: "unit",
          include: ["app/**/*.test.ts", "sandbox/**/*.test.ts", "workers/**/*.test.ts", "scripts/**/*.test.ts", "prisma/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          globalSetup: ["tests/setup/global-setup.ts"],
          setupFiles: ["tests/setup/setup-test-env.ts"],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: "e2e",
          include: ["tests/e2e/**/*.test.ts"],
          globalSetup: ["tests/setup/global-setup.ts", "tests/setup/e2e-global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          // One browser and one app server for all browser tests.
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
