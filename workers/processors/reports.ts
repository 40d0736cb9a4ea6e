import { refreshOversight } from "#app/services/anomalies.server.ts";
import { recordNightlySnapshots, recordSnapshots } from "#app/services/daily-snapshot.server.ts";
import { sendDigest, type SendDigestResult } from "#app/services/digest.server.ts";
import { toDayNumber } from "#app/domain/shared/day.ts";
import { jobId, parseJobData, type JobData } from "#workers/queues.ts";
import type { ProcessorDeps } from "./deps.ts";

/**
 * `reports` queue: the nightly snapshot, the merchant digest and the 15-minute oversight check. Each
 * skips a shop that is gone or uninstalled (a job queued before the uninstall may still arrive).
 */

async function activeShop(shopId: string, deps: ProcessorDeps): Promise<boolean> {
  const shop = await deps.db.shop.findUnique({ where: { id: shopId }, select: { status: true } });
  if (!shop || shop.status !== "ACTIVE") {
    deps.logger.info({ shopId }, "shop is not active, report skipped");
    return false;
  }
  return true;
}

/** `daily-snapshot`: the last 90 days again (backfilling any missing) and today, or one given day. */
export async function dailySnapshotJob(data: JobData<"reports", "daily-snapshot">, deps: ProcessorDeps): Promise<{ days: number } | { skipped: true }> {
  if (!(await activeShop(data.shopId, deps))) return { skipped: true };
  const now = deps.now();
  const result = data.day ? await recordSnapshots(data.shopId, { now, fromDay: toDayNumber(data.day), toDay: toDayNumber(data.day) }) : await recordNightlySnapshots(data.shopId, now);
  deps.logger.info({ shopId: data.shopId, days: result.days }, "daily snapshots recorded");
  return result;
}

/** `weekly-digest`: renders and queues the digest email (weekly or daily, per the settings). */
export async function weeklyDigestJob(data: JobData<"reports", "weekly-digest">, deps: ProcessorDeps): Promise<SendDigestResult | { skipped: true }> {
  if (!(await activeShop(data.shopId, deps))) return { skipped: true };
  const result = await sendDigest(data.shopId, deps.now(), { queues: deps.queues, now: deps.now() });
  deps.logger.info({ shopId: data.shopId, outcome: result.outcome }, "digest");
  return result;
}

/** `scan-anomalies`: the detectors and today's snapshot, for one shop or (the global schedule) every active shop. */
export async function scanAnomaliesJob(data: JobData<"reports", "scan-anomalies">, deps: ProcessorDeps): Promise<{ shops: number }> {
  const shops = data.shopId ? [{ id: data.shopId }] : await deps.db.shop.findMany({ where: { status: "ACTIVE" }, select: { id: true }, orderBy: { id: "asc" } });
  let done = 0;
  for (const shop of shops) {
    if (data.shopId && !(await activeShop(shop.id, deps))) continue;
    try {
      const summary = await refreshOversight(shop.id, deps.now());
      deps.logger.info({ shopId: shop.id, summary }, "oversight refreshed");
      done++;
    } catch (error) {
      // One shop's failure must not starve the others; the next sweep tries it again.
      if (data.shopId) throw error;
      deps.logger.error({ err: error, shopId: shop.id }, "oversight refresh failed");
    }
  }
  return { shops: done };
}

/**
 * Wraps the reorder processor: after a full plan (nightly or by hand) the shop's oversight is checked
 * at once rather than at the next sweep, so fresh forecasts and classes reach the dashboard's history
 * and the velocity check within seconds. Stock-change re-plans of a few SKUs do not trigger it.
 */
export function refreshOversightAfter<R extends { status: string; runId?: string }>(
  processor: (data: JobData<"reorder", "run-reorder">, deps: ProcessorDeps) => Promise<R>,
): (data: JobData<"reorder", "run-reorder">, deps: ProcessorDeps) => Promise<R> {
  return async (data, deps) => {
    const result = await processor(data, deps);
    if (result.status === "COMPLETED" && data.trigger !== "STOCK_CHANGE" && result.runId) {
      try {
        await deps.queues.queue("reports").add("scan-anomalies", parseJobData("reports", "scan-anomalies", { shopId: data.shopId }), { jobId: jobId("scan-anomalies", data.shopId, result.runId) });
      } catch (error) {
        deps.logger.warn({ err: error, shopId: data.shopId }, "could not queue the oversight check after the run; the 15-minute sweep will do it");
      }
    }
    return result;
  };
}
