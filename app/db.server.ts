import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { getEnv } from "./env.server.ts";

// One PrismaClient per process, through the pg driver adapter (no native engine). The demo points
// DATABASE_URL at an embedded Postgres served on loopback, so this file never needs to know.

export function createPrismaClient(connectionString: string, pool: { max?: number } = {}) {
  return new PrismaClient({
    adapter: new PrismaPg({ connectionString, ...(pool.max ? { max: pool.max } : {}) }),
    // On a single connection (the demo's PGlite) a transaction waits its turn behind every other query
    // of the process: Prisma's 2 s default wait failed push jobs there under a burst of webhooks.
    ...(pool.max === 1 ? { transactionOptions: { maxWait: 30_000, timeout: 60_000 } } : {}),
  });
}

declare global {
  // Survives Vite's module reloads in development so we do not open a pool per edit.
  var __replenishPrisma: PrismaClient | undefined;
}

export function getPrisma(): PrismaClient {
  return (globalThis.__replenishPrisma ??= createPrismaClient(getEnv().DATABASE_URL, { max: getEnv().DATABASE_POOL_MAX }));
}

/** Lazily connected client: importing this module opens nothing until the first query. */
export const prisma: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, property) {
    const client = getPrisma();
    const value = Reflect.get(client, property, client);
    return typeof value === "function" ? value.bind(client) : value;
  },
});

export async function disconnectPrisma() {
  const client = globalThis.__replenishPrisma;
  globalThis.__replenishPrisma = undefined;
  await client?.$disconnect();
}
