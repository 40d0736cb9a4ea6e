// What tests/setup/global-setup.ts hands to every test worker through `project.provide(...)`.
// Read it with `inject("redisUrl")` from "vitest".
import "vitest";

declare module "vitest" {
  export interface ProvidedContext {
    /** "postgres" when TEST_DATABASE_URL is set, else "pglite" (embedded, started by the run itself). */
    databaseMode: "postgres" | "pglite";
    /** postgres mode: the migrated template database; each test file gets `CREATE DATABASE … TEMPLATE` of it. */
    templateDatabaseUrl: string | undefined;
    /** pglite mode: a `dumpDataDir()` tarball of a migrated PGlite; each test file restores it. */
    pgliteTemplatePath: string | undefined;
    /** pglite mode: a snapshot of a fresh, unmigrated PGlite (for tests that migrate an empty database themselves). */
    pgliteEmptyPath: string | undefined;
    /** postgres mode: the maintenance database (TEST_DATABASE_URL) used to create/drop databases. */
    adminDatabaseUrl: string | undefined;
    /** REDIS_URL when set, else a redis-server started for this run. */
    redisUrl: string;
  }
}
