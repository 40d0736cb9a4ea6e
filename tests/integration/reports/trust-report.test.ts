// Issue 7 acceptance: the trust report on the demo shop completes as a background job (real BullMQ on
// Redis) with progress updates, and its figures equal those of `npm run simulate -- --history` run on
// the same history, as a separate process, exactly.
import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { closeQueues } from "#app/lib/queue.server.ts";
import { findReportRun } from "#app/models/report-run.server.ts";
import { exportShopHistory } from "#app/models/shop-history.server.ts";
import { requestTrustReport, type TrustReportResult } from "#app/services/trust-report.server.ts";
import { startWorkers, type RunningWorkers } from "#workers/index.ts";
import { repoRoot } from "#tests/setup/infra.ts";
import { obliterateAll, sleep, waitForFinished } from "#tests/integration/workers/helpers.ts";
import { seedDemoShop } from "../../../prisma/seed/demo-shop.ts";

const run = promisify(execFile);
const DOMAIN = "trust-report-test.myshopify.com";
const AS_OF = "2026-11-24";
const NOW = new Date(`${AS_OF}T12:00:00.000Z`);
let shopId: string;
let running: RunningWorkers | undefined;
let dir: string;

beforeAll(async () => {
  shopId = (await seedDemoShop(prisma, { domain: DOMAIN, asOf: AS_OF, skuLimit: 25 })).shopId;
  dir = await mkdtemp(join(tmpdir(), "trust-report-test-"));
}, 180_000);

afterAll(async () => {
  if (running) {
    await obliterateAll(running.queues);
    await running.close();
  }
  await closeQueues();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("trust report", () => {
  it("runs as a background job with progress and matches npm run simulate on the same history", async () => {
    running = await startWorkers({ syncSchedulers: false, processorsDeps: { now: () => NOW } });
    const queue = running.queues.queue("reports");
    const report = await requestTrustReport(shopId, { queues: running.queues, now: NOW });
    // A second click while it runs shows the same run.
    expect((await requestTrustReport(shopId, { queues: running.queues, now: NOW })).id).toBe(report.id);

    const jobProgress: number[] = [];
    const rowProgress: number[] = [];
    const deadline = Date.now() + 150_000;
    for (;;) {
      const [job, row] = await Promise.all([queue.getJob(`trust-report-${shopId}-${report.id}`), prisma.reportRun.findUniqueOrThrow({ where: { id: report.id } })]);
      if (typeof job?.progress === "number" && jobProgress.at(-1) !== job.progress) jobProgress.push(job.progress);
      if (rowProgress.at(-1) !== row.progress) rowProgress.push(row.progress);
      if (row.status === "COMPLETED" || row.status === "FAILED") break;
      if (Date.now() > deadline) throw new Error(`trust report still ${row.status} at ${row.progress}%`);
      await sleep(15);
    }
    const finished = await waitForFinished(queue, `trust-report-${shopId}-${report.id}`, 30_000);
    expect(finished.failedReason).toBeUndefined();
    if (jobProgress.at(-1) !== finished.progress) jobProgress.push(finished.progress as number);
    const row = (await findReportRun(shopId, report.id))!;
    expect(row.error).toBeNull();
    expect(row).toMatchObject({ status: "COMPLETED", progress: 100, kind: "TRUST" });
    // Progress moved through intermediate values, never backwards, and ended at 100 on the job and the row.
    for (const seen of [jobProgress, rowProgress]) {
      expect(seen.at(-1)).toBe(100);
      expect(seen.some((p) => p > 0 && p < 100)).toBe(true);
      expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    }
    const result = row.result as unknown as TrustReportResult;

    // The same history, exported again and run through the CLI in its own process.
    const history = await exportShopHistory(shopId, AS_OF);
    const file = join(dir, "history.json");
    await writeFile(file, JSON.stringify(history));
    const { stdout } = await run(process.execPath, ["--import", "tsx", "scripts/simulate.ts", "--history", file, "--json"], { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 });
    const cli = JSON.parse(stdout) as unknown[];
    expect(cli).toHaveLength(1);
    expect(result.simulated).toEqual(cli[0]);
    expect(result.simulated.policy).toBe("default");
    expect(result.simulated.skuDays).toBe(result.skuCount * result.simulatedDays);

    // What really happened, checked against SQL written here: POs sent in the simulated period.
    const [pos] = await prisma.$queryRaw<{ n: bigint; total: string }[]>`
      SELECT count(*) AS n, COALESCE(SUM("subtotal"), 0)::text AS total FROM "PurchaseOrder"
      WHERE "shopId" = ${shopId} AND "status" <> 'CANCELLED' AND "sentAt" >= ${new Date(`${result.simulatedFrom}T00:00:00Z`)} AND "sentAt" < ${new Date(`${AS_OF}T00:00:00Z`)}`;
    expect(result.actual.purchaseOrders).toBe(Number(pos!.n));
    expect(result.actual.purchaseOrders).toBeGreaterThan(0);
    expect(result.actual.averagePurchaseOrderValue * result.actual.purchaseOrders).toBeCloseTo(Number(pos!.total), 6);
    // …and the real in-stock rate: SKU-days of the back-tested SKUs (sold in the warm-up) that started with stock, pooled over locations.
    const [stock] = await prisma.$queryRaw<{ inStock: bigint; skuDays: bigint }[]>`
      WITH inc AS (
        SELECT d."skuId" FROM "DailyDemand" d JOIN "Sku" s ON s."id" = d."skuId"
        WHERE d."shopId" = ${shopId} AND d."units" > 0 AND d."day" >= ${result.firstDay}::date AND d."day" < ${result.simulatedFrom}::date
          AND s."status" IN ('ACTIVE', 'SEASONAL') AND NOT s."isKit" AND EXISTS (SELECT 1 FROM "SupplierProduct" p WHERE p."skuId" = s."id")
        GROUP BY d."skuId"),
      days AS (SELECT generate_series(${result.simulatedFrom}::date, ${AS_OF}::date - 1, interval '1 day')::date AS day),
      stock AS (
        SELECT (SELECT COALESCE(SUM(m."quantity"), 0) FROM "InventoryMovement" m
                WHERE m."shopId" = ${shopId} AND m."skuId" = inc."skuId" AND ((m."occurredAt" AT TIME ZONE 'UTC') AT TIME ZONE 'Europe/London')::date < days.day) AS s
        FROM inc CROSS JOIN days)
      SELECT count(*) FILTER (WHERE s > 0) AS "inStock", count(*) AS "skuDays" FROM stock`;
    expect(result.actual.skuDays).toBe(Number(stock!.skuDays));
    expect(result.actual.inStock).toBe(Number(stock!.inStock) / Number(stock!.skuDays));
    expect(result.simulatedDays).toBe(365 - 90);
  }, 200_000);

  it("exports the history the job reads: units, order lines and lead times agree with the tables", async () => {
    const history = await exportShopHistory(shopId, AS_OF);
    const sku = history.skus[0]!;
    const [units] = await prisma.$queryRaw<{ u: bigint }[]>`
      SELECT COALESCE(SUM("units"), 0) AS u FROM "DailyDemand" WHERE "shopId" = ${shopId} AND "skuId" = ${sku.skuId}
        AND "day" >= ${history.firstDay}::date AND "day" < ${AS_OF}::date`;
    expect(sku.dailyUnits.reduce((a, b) => a + b, 0)).toBe(Number(units!.u));
    expect(sku.orderLines.reduce((a, l) => a + l[1], 0)).toBe(Number(units!.u));
    // Start-of-day stock on the last day plus that day's movements is today's on-hand.
    const [level] = await prisma.$queryRaw<{ on: bigint }[]>`SELECT SUM("onHand") AS on FROM "InventoryLevel" WHERE "shopId" = ${shopId} AND "skuId" = ${sku.skuId}`;
    const [lastDay] = await prisma.$queryRaw<{ q: bigint | null }[]>`
      SELECT SUM("quantity") AS q FROM "InventoryMovement" WHERE "shopId" = ${shopId} AND "skuId" = ${sku.skuId}
        AND (("occurredAt" AT TIME ZONE 'UTC') AT TIME ZONE 'Europe/London')::date = ${AS_OF}::date - 1`;
    expect(sku.startStock.at(-1)! + Number(lastDay!.q ?? 0)).toBe(Number(level!.on));
    const received = await prisma.purchaseOrder.count({ where: { shopId, receivedAt: { not: null, lt: new Date(`${AS_OF}T00:00:00Z`) } } });
    expect(history.suppliers.reduce((a, s) => a + s.leadTimes.length, 0)).toBeLessThanOrEqual(received);
    expect(history.suppliers.every((s) => s.leadTimes.length >= 8)).toBe(true);
  }, 60_000);
});
