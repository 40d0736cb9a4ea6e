import { afterEach, describe, expect, it } from "vitest";
import { AppError } from "./app-error.ts";
import { createQueueRegistry, createRedisConnection, redisOptions, type QueueRegistry } from "./queue.server.ts";

// No Redis here: these tests are about what a producer does when Redis is absent or the data is bad.
let registry: QueueRegistry | undefined;

afterEach(async () => {
  await registry?.close();
  registry = undefined;
});

function unreachableRegistry(failFastMs: number) {
  // Port 1 on loopback: connection refused immediately, like a Redis that is down.
  registry = createQueueRegistry({ connection: createRedisConnection("producer", "redis://127.0.0.1:1"), prefix: "unit", failFastMs, ownsConnection: true });
  return registry;
}

describe("producer registry", () => {
  it("fails fast with AppError('unavailable') when Redis does not answer", async () => {
    const queues = unreachableRegistry(300);
    const started = Date.now();
    const error = await queues.enqueue("reorder", "run-reorder", { shopId: "shop1", trigger: "MANUAL" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ kind: "unavailable" });
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("rejects data that does not match the job's schema before touching Redis", async () => {
    const queues = unreachableRegistry(300);
    // @ts-expect-error: trigger is required, and the type says so too.
    const error = await queues.enqueue("reorder", "run-reorder", { shopId: "shop1" }).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: "invalid" });
    expect((error as Error).message).toMatch(/reorder\/run-reorder: trigger/);
  });

  it("configures producers to fail fast and workers to wait", () => {
    expect(redisOptions("producer")).toMatchObject({ enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    expect(redisOptions("worker")).toMatchObject({ enableOfflineQueue: true, maxRetriesPerRequest: null });
  });
});
