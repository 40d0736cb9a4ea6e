import { prisma } from "#app/db.server.ts";

let truncateStatement: string | undefined;

/**
 * Empties every table of the file's own database, for `beforeEach`. One TRUNCATE statement: it is fast,
 * resets sequences, and does not fire row triggers, so the append-only ledger guard (which rightly
 * refuses DELETE) does not get in the way. `_prisma_migrations` stays so `migrate status` keeps working.
 */
export async function resetDatabase(): Promise<void> {
  if (!truncateStatement) {
    const tables = await prisma.$queryRaw<{ tablename: string }[]>`
      SELECT tablename::text AS tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> '_prisma_migrations' ORDER BY tablename`;
    if (tables.length === 0) return;
    truncateStatement = `TRUNCATE TABLE ${tables.map((t) => `"public"."${t.tablename.replaceAll('"', '""')}"`).join(", ")} RESTART IDENTITY CASCADE`;
  }
  await prisma.$executeRawUnsafe(truncateStatement);
}
