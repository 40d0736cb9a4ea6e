import { prisma } from "#app/db.server.ts";
import { postgresErrorCode } from "#app/models/ledger.server.ts";

let statements: { fast: string; portable: string } | undefined;
let fastAllowed = true;

/**
 * Empties every table of the file's own database (all of `public` but `_prisma_migrations`, so
 * `migrate status` keeps working), for `beforeEach`.
 *
 * Fast path: one DO block that DELETEs from every table with `session_replication_role = replica`, which
 * skips foreign-key and user triggers (so the append-only ledger guard, which rightly refuses DELETE,
 * stays out of the way). It takes a few ms, where TRUNCATE of ~40 tables takes 200–600 ms on Postgres
 * because it recreates every table's files. That setting needs a superuser (CI's postgres role, PGlite);
 * otherwise we fall back to the single TRUNCATE … RESTART IDENTITY CASCADE, which fires no row triggers either.
 */
export async function resetDatabase(): Promise<void> {
  statements ??= await buildStatements();
  if (!statements) return;
  if (fastAllowed) {
    try {
      await prisma.$executeRawUnsafe(statements.fast);
      return;
    } catch (error) {
      if (postgresErrorCode(error) !== "42501") throw error; // insufficient_privilege: not a superuser
      fastAllowed = false;
    }
  }
  await prisma.$executeRawUnsafe(statements.portable);
}

async function buildStatements(): Promise<{ fast: string; portable: string } | undefined> {
  const rows = await prisma.$queryRaw<{ tablename: string }[]>`
    SELECT tablename::text AS tablename FROM pg_tables
    WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY tablename`;
  if (rows.length === 0) return undefined;
  const tables = rows.map((row) => `"public"."${row.tablename.replaceAll('"', '""')}"`);
  return {
    fast: `DO $$ BEGIN SET LOCAL session_replication_role = replica; ${tables.map((t) => `DELETE FROM ${t};`).join(" ")} END $$`,
    portable: `TRUNCATE TABLE ${tables.join(", ")} RESTART IDENTITY CASCADE`,
  };
}
