import { inject } from "vitest";
import { createDatabaseFromTemplate, dropDatabase, randomSuffix, runDatabaseName, startPglite } from "#tests/setup/infra.ts";

export type OwnDatabase = { url: string; release(): Promise<void> };

/**
 * A migrated database of the test file's own: on PostgreSQL a copy of the run's template (named like the
 * run's other databases, so the run's teardown drops it even when the file never got to), else an
 * embedded PGlite started from the migrated snapshot. `release` drops or closes it.
 */
export async function createOwnDatabase(label: string): Promise<OwnDatabase> {
  if (inject("databaseMode") === "postgres") {
    const adminUrl = inject("adminDatabaseUrl")!;
    const templateUrl = inject("templateDatabaseUrl")!;
    const name = runDatabaseName(templateUrl, `${label}_${randomSuffix()}`);
    const url = await createDatabaseFromTemplate(adminUrl, name, new URL(templateUrl).pathname.slice(1));
    return { url, release: () => dropDatabase(adminUrl, name) };
  }
  const pglite = await startPglite(inject("pgliteTemplatePath"));
  return { url: pglite.url, release: () => pglite.close() };
}
