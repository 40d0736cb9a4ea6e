import { Prisma } from "@prisma/client";
import { forecastAccuracy, type AccuracyPoint } from "#app/domain/reports/forecast-accuracy.ts";
import { planReplenishment } from "#app/domain/reorder/index.ts";
import { addDays, fromDayNumber, toDayNumber, type IsoDay } from "#app/domain/shared/day.ts";
import { prisma } from "#app/db.server.ts";
import { loadReorderSnapshot } from "#app/models/reorder-snapshot.server.ts";
import { forShop } from "#app/models/scoped-db.server.ts";
import { AppError } from "#app/lib/app-error.ts";
import { enqueue as enqueueFromWeb, type QueueRegistry } from "#app/lib/queue.server.ts";
import { completeReportRun, createReportRun, failReportRun, findReportRun, latestReportRun, markReportRunStarted, setReportRunProgress, type ReportRunRow } from "#app/models/report-run.server.ts";
import { shopLocalToday } from "#app/services/trust-report.server.ts";
import { jobId } from "#workers/queues.ts";

/**
 * Forecast accuracy over the last `weeks` complete weeks. Each week's forecast is the daily rate the engine
 * stored in ReorderSuggestion by the first full (nightly or manual) reorder run of that week, summed over
 * locations. A week no stored run covers (a shop that just installed, or the demo) is reconstructed: the
 * engine is planned as of that week's first day on the history before it — the forecast it would have
 * stored — and the week is marked "reconstructed".
 */

export const ACCURACY_WEEKS = 12;

export interface ForecastAccuracyReport {
  asOf: IsoDay;
  weeks: { weekStart: IsoDay; source: "stored" | "reconstructed" }[];
  accuracy: ReturnType<typeof forecastAccuracy>;
  codes: Record<string, string>;
}

export async function loadForecastAccuracy(
  shopId: string,
  asOfInput: Date | IsoDay,
  options: { weeks?: number; onProgress?: (percent: number) => Promise<void> } = {},
): Promise<ForecastAccuracyReport> {
  const weeks = options.weeks ?? ACCURACY_WEEKS;
  const asOf = fromDayNumber(toDayNumber(asOfInput));
  const starts = Array.from({ length: weeks }, (_, i) => addDays(asOf, -7 * (weeks - i)));
  const first = starts[0] as IsoDay;
  const db = forShop(shopId);
  const [skus, runs, demand] = await Promise.all([
    db.sku.findMany({ select: { id: true, code: true } }),
    db.reorderRun.findMany({
      where: { status: "COMPLETED", trigger: { in: ["NIGHTLY", "MANUAL"] }, asOf: { gte: new Date(`${first}T00:00:00Z`), lte: new Date(`${addDays(asOf, -7)}T00:00:00Z`) } },
      select: { id: true, asOf: true },
      orderBy: [{ asOf: "asc" }, { startedAt: "asc" }],
    }),
    prisma.$queryRaw<{ skuId: string; idx: number[]; units: number[] }[]>(Prisma.sql`
      SELECT "skuId", array_agg(idx ORDER BY idx) AS idx, array_agg(units ORDER BY idx) AS units
      FROM (SELECT "skuId", ("day" - ${addDays(first, -7)}::date)::int AS idx, SUM("units")::int AS units
            FROM "DailyDemand" WHERE "shopId" = ${shopId} AND "day" >= ${addDays(first, -7)}::date AND "day" < ${asOf}::date
            GROUP BY 1, 2) d
      GROUP BY "skuId"`),
  ]);
  const codes = Object.fromEntries(skus.map((s) => [s.id, s.code]));
  const days = 7 * (weeks + 1);
  const daily = new Map(demand.map((d) => {
    const arr = new Array<number>(days).fill(0);
    d.idx.forEach((i, j) => (arr[i] = d.units[j] ?? 0));
    return [d.skuId, arr] as const;
  }));
  const weekUnits = (skuId: string, w: number) => (daily.get(skuId) ?? []).slice(7 * w, 7 * w + 7).reduce((a, b) => a + b, 0);

  // The first run inside each week, if any.
  const runOfWeek = new Map<number, string>();
  for (const r of runs) {
    const w = Math.floor((toDayNumber(r.asOf) - toDayNumber(first)) / 7);
    if (w >= 0 && w < weeks && !runOfWeek.has(w)) runOfWeek.set(w, r.id);
  }
  const forecasts = new Map<number, Map<string, number>>();
  if (runOfWeek.size > 0) {
    const rows = await db.reorderSuggestion.groupBy({ by: ["runId", "skuId"], where: { runId: { in: [...runOfWeek.values()] } }, _sum: { dailyForecast: true } });
    for (const [w, runId] of runOfWeek) forecasts.set(w, new Map(rows.filter((r) => r.runId === runId).map((r) => [r.skuId, Number(r._sum.dailyForecast ?? 0)])));
  }
  const missing = starts.map((_, w) => w).filter((w) => !forecasts.has(w));
  if (missing.length > 0) {
    const snapshot = await loadReorderSnapshot(shopId, asOf);
    await options.onProgress?.(10);
    for (const [i, w] of missing.entries()) {
      const plan = planReplenishment({ ...snapshot.input, skipExplanations: true }, starts[w] as IsoDay);
      const m = new Map<string, number>();
      for (const s of plan.suggestions) m.set(s.skuId, (m.get(s.skuId) ?? 0) + s.forecast.dailyRate);
      forecasts.set(w, m);
      // Each plan is synchronous: yield between weeks so the worker keeps renewing its job lock.
      await new Promise((resolve) => setImmediate(resolve));
      await options.onProgress?.(10 + Math.floor((85 * (i + 1)) / missing.length));
    }
  }
  const points: AccuracyPoint[] = [];
  for (let w = 0; w < weeks; w++) {
    for (const [skuId, rate] of forecasts.get(w) ?? []) {
      const actual = weekUnits(skuId, w + 1);
      const forecast = rate * 7;
      if (forecast <= 0 && actual <= 0) continue;
      points.push({ skuId, code: codes[skuId] ?? skuId, weekStart: toDayNumber(starts[w] as IsoDay), forecast, actual, previousActual: weekUnits(skuId, w) });
    }
  }
  return {
    asOf,
    weeks: starts.map((weekStart, w) => ({ weekStart, source: runOfWeek.has(w) ? "stored" : "reconstructed" })),
    accuracy: forecastAccuracy(points),
    codes,
  };
}

// ───────────────────────────── as a background job ─────────────────────────────

export const FORECAST_ACCURACY_KIND = "FORECAST_ACCURACY";

/** Queues a computation unless one is already queued or running. */
export async function requestForecastAccuracy(shopId: string, options: { queues?: Pick<QueueRegistry, "enqueue">; now?: Date } = {}): Promise<ReportRunRow> {
  const latest = await latestReportRun(shopId, FORECAST_ACCURACY_KIND);
  if (latest && (latest.status === "QUEUED" || latest.status === "RUNNING")) return latest;
  const shop = await prisma.shop.findUnique({ where: { id: shopId }, select: { timezone: true } });
  if (!shop) throw new AppError("not_found", "Shop not found");
  const run = await createReportRun(shopId, FORECAST_ACCURACY_KIND, { asOf: shopLocalToday(options.now ?? new Date(), shop.timezone), weeks: ACCURACY_WEEKS });
  const add = options.queues?.enqueue.bind(options.queues) ?? enqueueFromWeb;
  try {
    await add("reports", "forecast-accuracy", { shopId, reportRunId: run.id }, { jobId: jobId("forecast-accuracy", shopId, run.id) });
  } catch (error) {
    await failReportRun(shopId, run.id, "Could not queue the job", options.now ?? new Date());
    throw error;
  }
  return run;
}

export async function runForecastAccuracy(shopId: string, runId: string, deps: { now: () => Date; reportProgress?: (percent: number) => Promise<void> }): Promise<ForecastAccuracyReport> {
  const run = await findReportRun(shopId, runId);
  if (!run) throw new AppError("not_found", `report run ${runId} not found`);
  if (run.status === "COMPLETED") return run.result as unknown as ForecastAccuracyReport;
  const p = run.parameters as { asOf: IsoDay; weeks: number };
  await markReportRunStarted(shopId, runId, deps.now());
  try {
    const report = await loadForecastAccuracy(shopId, p.asOf, {
      weeks: p.weeks,
      onProgress: async (percent) => {
        await setReportRunProgress(shopId, runId, percent);
        await deps.reportProgress?.(percent);
      },
    });
    await completeReportRun(shopId, runId, report, deps.now());
    await deps.reportProgress?.(100);
    return report;
  } catch (error) {
    await failReportRun(shopId, runId, error instanceof Error ? error.message : String(error), deps.now());
    throw error;
  }
}
