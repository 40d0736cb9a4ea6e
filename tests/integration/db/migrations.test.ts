import { Prisma } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDatabaseFromTemplate, dropDatabase, migrateDeploy, randomSuffix, runDatabaseName, runPrismaCli, startPglite, withPgClient } from "#tests/setup/infra.ts";

// Issue 2 acceptance: `prisma migrate deploy` on an empty database creates the full schema and
// `prisma migrate status` is clean. Runs the real CLI (as CI and production do) on a database of its own.
describe("committed migrations", () => {
  let url = "";
  let release: () => Promise<void> = async () => {};

  beforeAll(async () => {
    if (inject("databaseMode") === "postgres") {
      const adminUrl = inject("adminDatabaseUrl") ?? "";
      const name = runDatabaseName(inject("templateDatabaseUrl") ?? "", `empty${randomSuffix(3)}`);
      url = await createDatabaseFromTemplate(adminUrl, name, undefined);
      release = () => dropDatabase(adminUrl, name);
    } else {
      const pglite = await startPglite(inject("pgliteEmptyPath"));
      url = pglite.url;
      release = () => pglite.close();
    }
  });
  afterAll(() => release());

  const publicTables = () =>
    withPgClient(url, async (client) => {
      const { rows } = await client.query<{ name: string }>("SELECT tablename::text AS name FROM pg_tables WHERE schemaname = 'public'");
      return rows.map((row) => row.name);
    });

  it("start from an empty database that migrate status reports as behind", async () => {
    expect(await publicTables()).toEqual([]);
    const status = await runPrismaCli(["migrate", "status"], url);
    expect(status.code).not.toBe(0);
    expect(status.output).toMatch(/not yet been applied/);
  });

  it("deploy creates a table for every model and a type for every enum of schema.prisma", async () => {
    await migrateDeploy(url);
    const tables = new Set(await publicTables());
    const models = Prisma.dmmf.datamodel.models.map((model) => model.dbName ?? model.name);
    expect(models.length).toBeGreaterThan(30);
    expect(models.filter((model) => !tables.has(model))).toEqual([]);
    expect([...tables].filter((table) => table !== "_prisma_migrations" && !models.includes(table))).toEqual([]);

    const enums = await withPgClient(url, async (client) => {
      const { rows } = await client.query<{ name: string }>(
        "SELECT t.typname::text AS name FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace WHERE n.nspname = 'public' AND t.typtype = 'e'",
      );
      return new Set(rows.map((row) => row.name));
    });
    expect(Prisma.dmmf.datamodel.enums.map((e) => e.dbName ?? e.name).filter((name) => !enums.has(name))).toEqual([]);
  });

  it("deploy installs the ledger and journal triggers", async () => {
    const triggers = await withPgClient(url, async (client) => {
      const { rows } = await client.query<{ name: string }>("SELECT tgname::text AS name FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1");
      return rows.map((row) => row.name);
    });
    expect(triggers).toEqual(
      expect.arrayContaining([
        "inventory_level_guard_on_hand",
        "inventory_movement_append_only",
        "inventory_movement_apply",
        "journal_line_append_only",
        "journal_line_balanced",
      ]),
    );
  });

  it("migrate status then reports the database up to date", async () => {
    const status = await runPrismaCli(["migrate", "status"], url);
    expect(status.output).toMatch(/Database schema is up to date/);
    expect(status.code).toBe(0);
  });
});
