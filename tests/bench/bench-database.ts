// A migrated database of the bench's own: a fresh database on the PostgreSQL server when one answers
// (TEST_DATABASE_URL, else the local default), otherwise an embedded PGlite. Dropped by stop().
import pg from "pg";
import { startEmbeddedPostgres } from "../../scripts/lib/embedded-postgres.ts";
import { migrateDeploy } from "../../scripts/lib/run-command.ts";

export type BenchDatabase = { url: string; label: string; stop(): Promise<void> };

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1500 });
  try {
    await client.connect();
    await client.query("select 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function onServer(server: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** `prefix` names the database (e.g. bench_sync_<time>) so a leftover says which bench made it. */
export async function benchDatabase(prefix: string): Promise<BenchDatabase> {
  const server = process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  if (await answers(server)) {
    const name = `${prefix}_${Date.now().toString(36)}`;
    await onServer(server, `CREATE DATABASE ${name}`);
    const url = new URL(server);
    url.pathname = `/${name}`;
    await migrateDeploy(url.href);
    return { url: url.href, label: `PostgreSQL at ${url.host}`, stop: () => onServer(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
  }
  const embedded = await startEmbeddedPostgres({ maxConnections: 100 });
  await migrateDeploy(embedded.url);
  return { url: embedded.url, label: "embedded PGlite", stop: () => embedded.stop() };
}
