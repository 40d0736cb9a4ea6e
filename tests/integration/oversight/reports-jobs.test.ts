// The reports queue's jobs through a real BullMQ worker on real Redis: the oversight sweep (every active
// shop, no shop id), the nightly snapshot, one day's snapshot, and a digest with nobody to send it to.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { closeQueues } from "#app/lib/queue.server.ts";
import { startWorkers, type RunningWorkers } from "#workers/index.ts";
import { dailySnapshotJob, scanAnomaliesJob, weeklyDigestJob } from "#workers/processors/reports.ts";
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
});
