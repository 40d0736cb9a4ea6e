import type { CarrierTrackingProvider } from "#app/lib/carrier-tracking.server.ts";
import { checkShipmentDeliveries, configuredTrackingProvider } from "#app/services/delivery-tracking.server.ts";
import { dispatchPurchaseOrder, runPolicyOnNewDrafts } from "#app/services/po-dispatch.server.ts";
import { followUpPurchaseOrder, requestShipDateUpdates, sweepFollowUps } from "#app/services/po-follow-up.server.ts";
import type { JobData } from "#workers/queues.ts";
import type { ProcessorDeps } from "./deps.ts";
import { runReorder } from "./reorder.ts";

/**
 * The purchasing queue's processors (issue 5): sending POs, chasing suppliers, watching shipments.
 * The work is in the services; these only pass the job's data and the worker's clock and queues.
 */

/** `purchasing/dispatch-po`: render → send → record, each step a no-op when already done. */
export async function dispatchPoJob(data: JobData<"purchasing", "dispatch-po">, deps: ProcessorDeps) {
  return dispatchPurchaseOrder(
    { shopId: data.shopId, purchaseOrderId: data.purchaseOrderId, step: data.step, ...(data.round ? { round: data.round } : {}) },
    { queues: deps.queues, now: deps.now },
  );
}

/** `purchasing/follow-up`: the due reminder/escalation of one PO (level caps how far it goes). */
export async function followUpJob(data: JobData<"purchasing", "follow-up">, deps: ProcessorDeps) {
  return followUpPurchaseOrder(data.shopId, data.purchaseOrderId, { queues: deps.queues, now: deps.now() }, data.level as 1 | 2 | undefined);
}

/** The weekly ship-date request goes out in each shop's own Monday morning (09:00 local or later). */
export const SHIP_DATE_REQUEST = { weekday: 1, hour: 9 } as const;

export function isShipDateRequestDue(now: Date, timeZone: string): boolean {
  let parts: Intl.DateTimeFormatPart[];
  try {
    parts = new Intl.DateTimeFormat("en-US", { timeZone, weekday: "short", hour: "numeric", hourCycle: "h23" }).formatToParts(now);
  } catch {
    parts = new Intl.DateTimeFormat("en-US", { timeZone: "UTC", weekday: "short", hour: "numeric", hourCycle: "h23" }).formatToParts(now);
  }
  const weekday = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"].indexOf(parts.find((p) => p.type === "weekday")?.value ?? "");
  const hour = Number(parts.find((p) => p.type === "hour")?.value);
  return weekday === SHIP_DATE_REQUEST.weekday && hour >= SHIP_DATE_REQUEST.hour;
}

/**
 * `purchasing/purchasing-sweep` (hourly, all shops or one): follow-ups that are due, the weekly
 * ship-date request on the shop's Monday morning (once per ISO week: the outbox dedupes by week), and
 * the carrier check of shipped POs when a tracking API is configured.
 */
export function createPurchasingSweep(options: { trackingProvider?: CarrierTrackingProvider | null } = {}) {
  return async function purchasingSweepJob(data: JobData<"purchasing", "purchasing-sweep">, deps: ProcessorDeps) {
    const now = deps.now();
    const provider = options.trackingProvider === undefined ? configuredTrackingProvider() : options.trackingProvider;
    const shops = await deps.db.shop.findMany({
      where: { status: "ACTIVE", ...(data.shopId ? { id: data.shopId } : {}) },
      select: { id: true, timezone: true },
      orderBy: { id: "asc" },
    });
    const summary = { shops: shops.length, reminded: 0, escalated: 0, shipDateRequests: 0, arriving: 0, failures: 0 };
    for (const shop of shops) {
      const svc = { queues: deps.queues, now };
      try {
        const followUps = await sweepFollowUps(shop.id, svc);
        summary.reminded += followUps.filter((f) => f.reminded).length;
        summary.escalated += followUps.filter((f) => f.escalated).length;
        if (isShipDateRequestDue(now, shop.timezone)) summary.shipDateRequests += (await requestShipDateUpdates(shop.id, svc)).notificationIds.length;
        if (provider) summary.arriving += (await checkShipmentDeliveries(shop.id, { provider, ...svc })).arriving.length;
      } catch (error) {
        // One shop's problem (a carrier outage, a bad address) must not stop the others; the next hour retries.
        summary.failures += 1;
        deps.logger.warn({ err: error, shopId: shop.id }, "purchasing sweep failed for a shop");
      }
    }
    return summary;
  };
}

/**
 * `reorder/run-reorder` followed by the approval policy on the drafts it wrote: a PO the policy
 * approves for an auto-send supplier is dispatched without anyone clicking. A policy failure is logged
 * and left to the next run (the plan itself succeeded and must not be redone for it).
 */
export async function runReorderThenApprove(data: JobData<"reorder", "run-reorder">, deps: ProcessorDeps) {
  const result = await runReorder(data, deps);
  if (result.status !== "COMPLETED") return result;
  try {
    const approval = await runPolicyOnNewDrafts(data.shopId, { queues: deps.queues, now: deps.now() });
    return { ...result, approval };
  } catch (error) {
    deps.logger.warn({ err: error, shopId: data.shopId }, "approval policy after the reorder run failed; the next run retries");
    return result;
  }
}
