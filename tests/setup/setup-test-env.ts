// Runs in each integration test FILE's worker before the file's own imports: gives the file a database
// of its own (a copy of the migrated template), so files run in parallel without seeing each other,
// and sets every variable app/env.server.ts requires. Tests clear rows between cases with
// resetDatabase() from #tests/setup/db.ts.
import { afterAll, afterEach, beforeAll, beforeEach, inject } from "vitest";
import { createDatabaseFromTemplate, dropDatabase, randomSuffix, runDatabaseName, startPglite, type PgliteHandle } from "./infra.ts";

const fileId = randomSuffix();
const mode = inject("databaseMode");
let releaseDatabase: () => Promise<void>;

if (mode === "postgres") {
  const adminUrl = required(inject("adminDatabaseUrl"), "adminDatabaseUrl");
  const templateUrl = required(inject("templateDatabaseUrl"), "templateDatabaseUrl");
  const name = runDatabaseName(templateUrl, fileId);
  process.env.DATABASE_URL = await createDatabaseFromTemplate(adminUrl, name, new URL(templateUrl).pathname.slice(1));
  releaseDatabase = () => dropDatabase(adminUrl, name);
} else {
  const pglite: PgliteHandle = await startPglite(required(inject("pgliteTemplatePath"), "pgliteTemplatePath"));
  process.env.DATABASE_URL = pglite.url;
  // PGlite's socket interleaves the messages of concurrent connections (electric-sql/pglite#1046:
  // "bind message supplies 10 parameters, but prepared statement requires 3"): one connection per
  // process, as the demo does on the same embedded database.
  process.env.DATABASE_POOL_MAX = "1";
  releaseDatabase = () => pglite.close();
}

Object.assign(process.env, {
  NODE_ENV: "test",
  REDIS_URL: inject("redisUrl"),
  QUEUE_PREFIX: `t-${fileId}`, // BullMQ keys of parallel files never collide on the shared Redis
  SHOPIFY_API_KEY: "test-api-key",
  SHOPIFY_API_SECRET: "test-api-secret",
  SHOPIFY_APP_URL: "https://replenish.test",
  APP_SECRET: "test-app-secret-0123456789abcdef0123456789",
  LOG_LEVEL: process.env.LOG_LEVEL ?? "silent",
});
delete process.env.DEMO_MODE;

// A worker may run several files: never let a cached env or client from the previous file leak in.
const { resetEnvForTests } = await import("#app/env.server.ts");
const { disconnectPrisma } = await import("#app/db.server.ts");
await disconnectPrisma();
resetEnvForTests();

afterAll(async () => {
  await disconnectPrisma();
  await releaseDatabase();
});

// ARCHITECTURE principle 11: a stray console.error fails the test. It is recorded rather than thrown,
// because code under test often catches what it calls. A test that expects one replaces console.error
// itself (e.g. vi.spyOn(console, "error").mockImplementation(() => {})), which bypasses the recorder.
const strayErrors: string[] = [];
const originalConsoleError = console.error;

function recordConsoleError(...args: unknown[]) {
  strayErrors.push(args.map((arg) => (arg instanceof Error ? (arg.stack ?? arg.message) : String(arg))).join(" "));
  originalConsoleError(...args);
}

function failOnStrayErrors(where: string) {
  if (strayErrors.length === 0) return;
  const messages = strayErrors.splice(0);
  throw new Error(`console.error was called ${where}:\n${messages.join("\n---\n")}`);
}

beforeAll(() => {
  console.error = recordConsoleError;
});
beforeEach(() => {
  console.error = recordConsoleError;
});
afterEach(() => {
  console.error = recordConsoleError;
  failOnStrayErrors("during this test");
});
afterAll(() => {
  console.error = originalConsoleError;
  failOnStrayErrors("outside a test (in a hook)");
});

function required<T>(value: T | undefined, key: string): T {
  if (value === undefined) throw new Error(`globalSetup did not provide "${key}" (is tests/setup/global-setup.ts in this project's globalSetup?)`);
  return value;
}
