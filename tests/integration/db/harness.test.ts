import { Redis } from "ioredis";
import { beforeEach, describe, expect, inject, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { getEnv } from "#app/env.server.ts";
import { resetDatabase } from "#tests/setup/db.ts";

// The contract other integration tests rely on: an own, migrated database per file, a valid env,
// a reachable Redis with a file-unique queue prefix, and a reset that empties every table.
describe("test harness", () => {
  beforeEach(resetDatabase);

  it("gives the file its own migrated database and a complete environment", async () => {
    const env = getEnv();
    expect(env.NODE_ENV).toBe("test");
    expect(env.QUEUE_PREFIX).toMatch(/^t-[0-9a-f]+$/);
    if (inject("databaseMode") === "postgres") {
      const [row] = await prisma.$queryRaw<{ db: string }[]>`SELECT current_database()::text AS db`;
      expect(row?.db).toMatch(/^replenish_test_[0-9a-z]{12}_[0-9a-f]{12}$/);
    }
    const migrations = await prisma.$queryRaw<{ n: bigint }[]>`SELECT count(*) AS n FROM "_prisma_migrations" WHERE finished_at IS NOT NULL`;
    expect(Number(migrations[0]?.n)).toBeGreaterThanOrEqual(2);
  });

  it("resetDatabase empties every table", async () => {
    await prisma.shop.create({ data: { domain: "a.myshopify.com", name: "A", settings: { create: {} } } });
    expect(await prisma.shop.count()).toBe(1);
    await resetDatabase();
    expect(await prisma.shop.count()).toBe(0);
    expect(await prisma.shopSettings.count()).toBe(0);
  });

  it("reaches Redis", async () => {
    const redis = new Redis(getEnv().REDIS_URL, { maxRetriesPerRequest: 1 });
    try {
      expect(await redis.ping()).toBe("PONG");
    } finally {
      redis.disconnect();
    }
  });
});
