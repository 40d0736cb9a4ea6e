/**
 * The seed speaks plain SQL through a small session interface with two implementations:
 * - through the caller's PrismaClient (`$transaction` + raw queries): always available;
 * - through a dedicated `pg` connection, when the caller passes the database URL. Bulk inserts send
 *   megabytes of JSON per statement, and Prisma 6.19's client routes every parameter through its WASM
 *   query compiler and back (measured: ~30 ms CPU and ~8× the wall time of `pg` per MB). The seed's rows
 *   are ~60 MB of JSON at the default size, so the direct connection saves seconds.
 * Both run the same statements, so the data is identical either way (the integration test checks it).
 */
import type { PrismaClient } from "@prisma/client";
import pg from "pg";

export interface SqlSession {
  query<T extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  execute(sql: string, params?: unknown[]): Promise<void>;
}

export interface SqlTarget {
  prisma: PrismaClient;
  /** When set, statements go through a dedicated `pg` connection to this URL instead of Prisma. */
  databaseUrl?: string;
}

/** Long on purpose: the embedded Postgres is slow and a seed must never be cut off half-way. */
export const TRANSACTION_TIMEOUT_MS = 10 * 60_000;

export async function inTransaction<T>(target: SqlTarget, work: (session: SqlSession) => Promise<T>): Promise<T> {
  if (!target.databaseUrl) {
    return target.prisma.$transaction((tx) => work(prismaSession(tx)), { timeout: TRANSACTION_TIMEOUT_MS, maxWait: 60_000 });
  }
  return withPgClient(target.databaseUrl, async (client) => {
    await client.query("BEGIN");
    try {
      const result = await work(pgSession(client));
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    }
  });
}

/** Statements that must run outside a transaction (VACUUM). */
export async function withoutTransaction<T>(target: SqlTarget, work: (session: SqlSession) => Promise<T>): Promise<T> {
  if (!target.databaseUrl) return work(prismaSession(target.prisma));
  return withPgClient(target.databaseUrl, (client) => work(pgSession(client)));
}

type RawClient = Pick<PrismaClient, "$queryRawUnsafe" | "$executeRawUnsafe">;

function prismaSession(client: RawClient): SqlSession {
  return {
    query: (sql, params = []) => client.$queryRawUnsafe(sql, ...params),
    execute: async (sql, params = []) => {
      await client.$executeRawUnsafe(sql, ...params);
    },
  };
}

function pgSession(client: pg.Client): SqlSession {
  return {
    query: async <T extends Record<string, unknown>>(sql: string, params: unknown[] = []) => (await client.query(sql, params)).rows as T[],
    execute: async (sql, params = []) => {
      await client.query(sql, params);
    },
  };
}

async function withPgClient<T>(connectionString: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
