// Building blocks shared by the global setup (once per run), the per-file setup and tests that need a
// database of their own (e.g. an empty one to migrate). Nothing here reads Vitest state.
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { startEmbeddedPostgres } from "../../scripts/lib/embedded-postgres.ts";

export const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

/** Lower-case, identifier-safe and unique enough for names shared by parallel runs on one server. */
export function randomSuffix(bytes = 6): string {
  return randomBytes(bytes).toString("hex");
}

/**
 * Database names carry the run's id (its start time in base 36, then random hex), so the run's global
 * teardown can drop every database its workers made even if a worker died before its own afterAll,
 * and a later run can sweep databases left by a run that was killed (see sweepStaleTestDatabases).
 */
export function newRunId(): string {
  return `${Date.now().toString(36)}${randomSuffix(2)}`;
}

export function templateDatabaseName(runId: string): string {
  return `replenish_tpl_${runId}`;
}

/** A database of the run that made `templateUrl`: replenish_test_<runId>_<label>. */
export function runDatabaseName(templateUrl: string, label: string): string {
  const template = new URL(templateUrl).pathname.slice(1);
  const runId = template.replace(/^replenish_tpl_/, "");
  return `replenish_test_${runId}_${label}`;
}

const RUN_DATABASE = /^replenish_(?:tpl|test)_([0-9a-z]{8})[0-9a-f]{4}(?:_|$)/;

/** Drops test databases on the server whose run started more than `maxAgeMs` ago (a killed run never tore down). */
export async function sweepStaleTestDatabases(adminUrl: string, maxAgeMs = 6 * 3_600_000): Promise<void> {
  const names = await withPgClient(adminUrl, async (client) => {
    const { rows } = await client.query<{ name: string }>("SELECT datname::text AS name FROM pg_database WHERE datname LIKE 'replenish\\_t%'");
    return rows.map((row) => row.name);
  });
  for (const name of names) {
    const started = RUN_DATABASE.exec(name)?.[1];
    if (started && Date.now() - parseInt(started, 36) > maxAgeMs) await dropDatabase(adminUrl, name).catch(() => undefined);
  }
}

/** Drops the run's template and every database its workers created from it. */
export async function dropRunDatabases(adminUrl: string, templateUrl: string): Promise<void> {
  const prefix = runDatabaseName(templateUrl, "");
  const names = await withPgClient(adminUrl, async (client) => {
    const { rows } = await client.query<{ name: string }>("SELECT datname::text AS name FROM pg_database WHERE starts_with(datname, $1)", [prefix]);
    return rows.map((row) => row.name);
  });
  for (const name of names) await dropDatabase(adminUrl, name);
  await dropDatabase(adminUrl, new URL(templateUrl).pathname.slice(1));
}

export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

// The migration CLI runner, embedded Postgres, free ports and Redis are the demo's own modules
// (scripts/lib), so the tests exercise exactly what `npm run demo` uses.
export { migrateDeploy, runPrismaCli } from "../../scripts/lib/run-command.ts";
export { findFreePort as freePort } from "../../scripts/lib/free-port.ts";
export { startRedisServer, type RedisHandle } from "../../scripts/lib/redis-server.ts";

export async function withPgClient<T>(connectionString: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

// Any constant works; it only has to be the same for every worker of every run on this server.
const CREATE_DATABASE_LOCK = 727_001;

/**
 * `CREATE DATABASE … TEMPLATE` fails with "source database is being accessed by other users" while any
 * session is connected to the template, and parallel copies make that likely. So the copies are
 * serialized with an advisory lock held on the admin database (never on the template itself), and the
 * error is retried in case something else (a psql session, autovacuum) is briefly connected.
 */
export async function createDatabaseFromTemplate(adminUrl: string, name: string, template: string | undefined): Promise<string> {
  await withPgClient(adminUrl, async (client) => {
    await client.query("SELECT pg_advisory_lock($1)", [CREATE_DATABASE_LOCK]);
    try {
      const sql = `CREATE DATABASE ${quoteIdent(name)}${template ? ` TEMPLATE ${quoteIdent(template)}` : ""}`;
      for (let attempt = 1; ; attempt++) {
        try {
          await client.query(sql);
          break;
        } catch (error) {
          const code = (error as { code?: string }).code;
          if (code !== "55006" || attempt >= 50) throw error; // 55006 = object_in_use
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [CREATE_DATABASE_LOCK]);
    }
  });
  return databaseUrl(adminUrl, name);
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  // WITH (FORCE) ends any session a test leaked, so a forgotten pool cannot keep databases around.
  await withPgClient(adminUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`));
}

export type PgliteHandle = { url: string; db: PGlite; close(): Promise<void> };

/** A PGlite restored from a snapshot (or empty), served on a loopback port; see embedded-postgres.ts. */
export async function startPglite(templatePath?: string): Promise<PgliteHandle> {
  const loadDataDir = templatePath ? new Blob([await readFile(templatePath)]) : undefined;
  // Enough for a Prisma pool (default 10 per client), a few extra clients and transactions.
  const embedded = await startEmbeddedPostgres({ loadDataDir, maxConnections: 100 });
  return { url: embedded.url, db: embedded.pglite, close: () => embedded.stop() };
}
