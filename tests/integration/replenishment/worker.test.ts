// The reorder job end to end: a real BullMQ job on Redis, processed by runReorder with the engine that
// startWorkers wires by default (no planForShop injected).
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { closeQueues } from "#app/lib/queue.server.ts";
import { requestManualReorder, requestReorderForSkus, STOCK_CHANGE_COALESCE_MS } from "#app/services/replenishment.server.ts";
import { startWorkers, type RunningWorkers } from "#workers/index.ts";
import { resetDatabase } from "#tests/setup/db.ts";
import { obliterateAll, waitForFinished } from "#tests/integration/workers/helpers.ts";
import { AS_OF, buildShop, NOW } from "./fixtures.ts";

let running: RunningWorkers | undefined;

beforeEach(resetDatabase);
afterEach(async () => {
  if (running) {
    await obliterateAll(running.queues);
    await running.close();
    running = undefined;
  }
});
afterAll(closeQueues);

describe("run-reorder through a real queue", () => {
  it("a MANUAL job plans the shop with the real engine and stores suggestions and drafts", async () => {
    running = await startWorkers({ syncSchedulers: false, processorsDeps: { now: () => NOW } });
    const f = await buildShop();

    const id = await requestManualReorder(f.shop.id, { queues: running.queues });
    // A second click in the same minute is the same job.
    expect(await requestManualReorder(f.shop.id, { queues: running.queues })).toBe(id);
    const job = await waitForFinished(running.queues.queue("reorder"), id, 60_000);

    expect(job.failedReason).toBeUndefined();
    expect(job.returnvalue).toMatchObject({ status: "COMPLETED", skuCount: 5, suggestionCount: 6 });
    const run = await prisma.reorderRun.findFirstOrThrow({ where: { shopId: f.shop.id } });
    expect(run).toMatchObject({ status: "COMPLETED", trigger: "MANUAL", asOf: new Date(`${AS_OF}T00:00:00.000Z`), suggestionCount: 6, error: null });
    expect(await prisma.reorderSuggestion.count({ where: { runId: run.id } })).toBe(6);
    expect(await prisma.purchaseOrder.count({ where: { reorderRunId: run.id } })).toBe(2);
  });

  it("stock changes coalesce into one delayed STOCK_CHANGE job for their SKUs", async () => {
    running = await startWorkers({ syncSchedulers: false, processorsDeps: { now: () => NOW } });
    const f = await buildShop();
    const queue = running.queues.queue("reorder");
    const now = new Date();

    const first = await requestReorderForSkus(f.shop.id, [f.skus.a.id, f.skus.b.id], { queues: running.queues, now });
    const again = await requestReorderForSkus(f.shop.id, [f.skus.b.id, f.skus.a.id, f.skus.a.id], { queues: running.queues, now: new Date(now.getTime() + 1) });
    expect(again).toBe(first);
    expect(await requestReorderForSkus(f.shop.id, [], { queues: running.queues })).toBeNull();
    expect(first).toMatch(new RegExp(`^reorder-stock-${f.shop.id}-\\d+-[0-9a-f]{24}$`));
    const waiting = await queue.getJob(first as string);
    expect(await waiting?.getState()).toBe("delayed");
    expect(waiting?.opts.delay).toBeGreaterThan(0);
    expect(waiting?.opts.delay).toBeLessThanOrEqual(STOCK_CHANGE_COALESCE_MS);
    expect(waiting?.data).toEqual({ shopId: f.shop.id, trigger: "STOCK_CHANGE", skuIds: [f.skus.a.id, f.skus.b.id].sort() });
    expect(await queue.getJobCounts("delayed", "waiting")).toMatchObject({ delayed: 1, waiting: 0 });

    // Do not wait for the window to close in a test: start it now.
    await waiting?.promote();
    const job = await waitForFinished(queue, first as string, 60_000);
    expect(job.returnvalue).toMatchObject({ status: "COMPLETED", skuCount: 2, suggestionCount: 2 });
    const run = await prisma.reorderRun.findFirstOrThrow({ where: { shopId: f.shop.id } });
    expect(run.trigger).toBe("STOCK_CHANGE");
    const planned = await prisma.reorderSuggestion.findMany({ where: { runId: run.id }, select: { skuId: true } });
    expect(planned.map((p) => p.skuId).sort()).toEqual([f.skus.a.id, f.skus.b.id].sort());
  });
});
