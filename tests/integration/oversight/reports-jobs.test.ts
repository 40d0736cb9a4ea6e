// The reports queue's jobs through a real BullMQ worker on real Redis: the oversight sweep (every active
// shop, no shop id), the nightly snapshot, one day's snapshot, and a digest with nobody to send it to.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { closeQueues } from "#app/lib/queue.server.ts";
import { startWorkers, type RunningWorkers } from "#workers/index.ts";
import { dailySnapshotJob, refreshOversightAfter, scanAnomaliesJob, weeklyDigestJob } from "#workers/processors/reports.ts";
import { logger } from "#app/lib/logger.server.ts";
import type { ProcessorDeps } from "#workers/processors/deps.ts";
import { GLOBAL_SCHEDULERS, OVERSIGHT_SWEEP_EVERY_MS } from "#workers/schedulers.ts";
import { resetDatabase } from "#tests/setup/db.ts";
import { createShop, createSupplier, createSupplierProduct } from "#tests/factories/index.ts";
import { obliterateAll, waitForFinished } from "../workers/helpers.ts";

let running: RunningWorkers | undefined;
const NOW = new Date("2026-03-15T12:00:00Z");

beforeEach(resetDatabase);
afterEach(async () => {
  if (running) {
    await obliterateAll(running.queues);
    await running.close();
    running = undefined;
  }
  await closeQueues();
});

describe("reports jobs", () => {
  it("sweep, snapshot and digest run on the reports queue", async () => {
    expect(GLOBAL_SCHEDULERS.find((s) => s.id === "oversight-sweep")).toMatchObject({ queue: "reports", repeat: { every: OVERSIGHT_SWEEP_EVERY_MS }, job: { name: "scan-anomalies" } });
    running = await startWorkers({
      syncSchedulers: false,
      processors: { reports: { "scan-anomalies": scanAnomaliesJob, "daily-snapshot": dailySnapshotJob, "weekly-digest": weeklyDigestJob } },
      processorsDeps: { now: () => NOW },
    });
    const active = await createShop({ timezone: "UTC" });
    const gone = await createShop({ timezone: "UTC", status: "UNINSTALLED" });
    for (const shop of [active, gone]) {
      const supplier = await createSupplier({ shopId: shop.id, dataConfirmedAt: new Date("2025-06-01T00:00:00Z") });
      await createSupplierProduct({ shopId: shop.id, supplierId: supplier.id });
    }
    const reports = running.queues.queue("reports");

    await reports.add("scan-anomalies", {}, { jobId: "sweep-1" });
    const sweep = await waitForFinished(reports, "sweep-1");
    expect(sweep.returnvalue).toEqual({ shops: 1 });
    expect(await prisma.reviewItem.count({ where: { shopId: active.id, kind: "STALE_SUPPLIER_DATA", status: "OPEN" } })).toBe(1);
    expect(await prisma.reviewItem.count({ where: { shopId: gone.id } })).toBe(0);
    expect(await prisma.shopDailySnapshot.count({ where: { shopId: active.id } })).toBe(1); // today's, refreshed

    await reports.add("daily-snapshot", { shopId: active.id }, { jobId: "nightly-1" });
    expect((await waitForFinished(reports, "nightly-1")).returnvalue).toEqual({ days: 1 }); // nothing before the shop's first day
    await reports.add("daily-snapshot", { shopId: gone.id }, { jobId: "nightly-2" });
    expect((await waitForFinished(reports, "nightly-2")).returnvalue).toEqual({ skipped: true });

    await reports.add("weekly-digest", { shopId: active.id }, { jobId: "digest-1" });
    expect((await waitForFinished(reports, "digest-1")).returnvalue).toEqual({ outcome: "skipped", reason: "no digest recipients are set" });
  });

  it("a full reorder plan queues the shop's oversight check at once; a stock-change re-plan does not", async () => {
    running = await startWorkers({ syncSchedulers: false, processors: {} });
    const reports = running.queues.queue("reports");
    const deps = { queues: running.queues, logger, now: () => NOW } as unknown as ProcessorDeps;
    const plan = refreshOversightAfter(async () => ({ status: "COMPLETED" as const, runId: "run1" }));
    await plan({ shopId: "shop1", trigger: "NIGHTLY" }, deps);
    await plan({ shopId: "shop1", trigger: "NIGHTLY" }, deps); // a retried job: the same job id, queued once
    await plan({ shopId: "shop2", trigger: "STOCK_CHANGE", skuIds: ["a"] }, deps);
    const jobs = await reports.getJobs(["waiting", "delayed", "active", "completed"]);
    expect(jobs.map((j) => [j.id, j.name, j.data])).toEqual([["scan-anomalies-shop1-run1", "scan-anomalies", { shopId: "shop1" }]]);
  });
});
