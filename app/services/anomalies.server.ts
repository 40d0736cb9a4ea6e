import type { ReviewItem, ReviewKind } from "@prisma/client";
import { detectVelocityChange, isShipmentLate, isSupplierDataStale, isUnacknowledged, STALE_SUPPLIER_DAYS } from "../domain/oversight/oversight.ts";
import { readableChannelError } from "../domain/channels/error-text.ts";
import { fromDayNumber, toDayNumber } from "../domain/shared/day.ts";
import { AppError } from "../lib/app-error.ts";
import {
  closeReviewItem,
  findOpenReviewItem,
  ignoreListing,
  listOpenReviewItems,
  loadEngineExplanations,
  loadChannelProblems,
  loadDailySalesBaseline,
  loadMappingChecks,
  loadOpenFlaggedPoItems,
  loadPurchaseOrdersForDetectors,
  loadRecentDemand,
  loadSkusByIds,
  loadSubjectNames,
  loadSuppliersForStaleCheck,
  loadUnmappedListings,
  markSupplierDataConfirmed,
  resolveReviewItems,
  syncDetectedCauses,
  type DetectedCause,
  type SyncOutcome,
} from "../models/review-item.server.ts";
import { findSnapshot, latestFullPlanFinishedAt, loadLatestPlan, snapshotMetrics } from "../models/shop-snapshot.server.ts";
import { recordNightlySnapshots, recordSnapshots, shopToday } from "./daily-snapshot.server.ts";
import { ESCALATE_AFTER_MS } from "./po-follow-up.server.ts";

/**
 * The anomaly queue's detectors: each looks at the shop as it is now, opens an item per cause it finds
 * and resolves its items whose cause went away, keyed by dedupeKey so running them again changes nothing.
 * Items other parts open (flagged POs by the engine, receipt discrepancies by receiving, supplier
 * messages and bank changes by the portal, unacknowledged POs by the follow-up job) keep their keys; the
 * detectors use the same keys where they detect the same thing, and only close what has been dealt with.
 */

/** Days of sales the velocity detector compares with the forecast (complete shop days before today). */
export const VELOCITY_WINDOW_DAYS = 7;
/** Days of sales before the window that make the baseline when no forecast predates the window. */
export const VELOCITY_BASELINE_DAYS = 56;

const AWAITING_GOODS = new Set(["SENT", "ACKNOWLEDGED", "COUNTERED", "CONFIRMED", "SHIPPED", "ARRIVING", "PARTIALLY_RECEIVED"]);
const WAITING_FOR_PERSON = new Set(["DRAFT", "AWAITING_APPROVAL"]);

export type DetectionSummary = Partial<Record<ReviewKind, SyncOutcome>>;

export async function detectAnomalies(shopId: string, now: Date): Promise<DetectionSummary> {
  const { today } = await shopToday(shopId, now);
  const summary: DetectionSummary = {};
  const add = (kind: ReviewKind, o: SyncOutcome) => {
    const s = summary[kind] ?? { opened: 0, resolved: 0 };
    summary[kind] = { opened: s.opened + o.opened, resolved: s.resolved + o.resolved };
  };

  // Purchase orders: unacknowledged, late; flagged ones a person has since approved, sent or cancelled.
  const pos = await loadPurchaseOrdersForDetectors(shopId);
  const unacknowledged: DetectedCause[] = [];
  const late: DetectedCause[] = [];
  for (const po of pos) {
    if (po.status === "SENT" && po.sentAt && isUnacknowledged(po.sentAt, now, ESCALATE_AFTER_MS / 3_600_000)) {
      const hours = Math.floor((now.getTime() - po.sentAt.getTime()) / 3_600_000);
      unacknowledged.push({
        kind: "UNACKNOWLEDGED_PO", subjectType: "PURCHASE_ORDER", subjectId: po.id, dedupeKey: `UNACKNOWLEDGED_PO:${po.id}`,
        reason: `${po.supplier.name} has not acknowledged ${po.number} ${hours} hours after it was sent`,
        details: { purchaseOrderId: po.id, number: po.number, sentAt: po.sentAt.toISOString(), hoursWaiting: hours },
      });
    }
    if (AWAITING_GOODS.has(po.status) && po.expectedArrivalDate && isShipmentLate(toDayNumber(po.expectedArrivalDate), today)) {
      const eta = fromDayNumber(toDayNumber(po.expectedArrivalDate));
      const days = today - toDayNumber(po.expectedArrivalDate);
      late.push({
        kind: "LATE_SHIPMENT", subjectType: "PURCHASE_ORDER", subjectId: po.id, dedupeKey: `LATE_SHIPMENT:${po.id}`,
        reason: `${po.number} from ${po.supplier.name} was expected on ${eta} and has not arrived (${days} day${days === 1 ? "" : "s"} late)`,
        details: { purchaseOrderId: po.id, number: po.number, expectedArrivalDate: eta, daysLate: days },
      });
    }
  }
  add("UNACKNOWLEDGED_PO", await syncDetectedCauses(shopId, unacknowledged, { kind: "UNACKNOWLEDGED_PO", dedupeKeyPrefixes: ["UNACKNOWLEDGED_PO:"] }, now));
  add("LATE_SHIPMENT", await syncDetectedCauses(shopId, late, { kind: "LATE_SHIPMENT", dedupeKeyPrefixes: ["LATE_SHIPMENT:"] }, now));
  const flagged = await loadOpenFlaggedPoItems(shopId);
  add("FLAGGED_PO", { opened: 0, resolved: await resolveReviewItems(shopId, flagged.filter((f) => f.poStatus === null || !WAITING_FOR_PERSON.has(f.poStatus)).map((f) => f.id), now, "system: the purchase order was approved, sent or cancelled") });

  // Channels: a connection in error, a listing whose last push failed, a channel whose last push failed.
  const channel = await loadChannelProblems(shopId);
  const channelCauses: DetectedCause[] = [];
  for (const c of channel.connections) {
    if (c.status === "ERROR" || c.lastError || channel.lastPushFailed.has(c.channel)) {
      channelCauses.push({
        kind: "CHANNEL_ERROR", subjectType: "CHANNEL", subjectId: c.channel, dedupeKey: `channel-error-channel-${c.channel}`,
        reason: c.lastError ? readableChannelError(channelLabel(c.channel), c.lastError) : c.status === "ERROR" ? `${channelLabel(c.channel)} connection is in error` : `${channelLabel(c.channel)} refused the last quantity push`,
        details: { channel: c.channel, status: c.status, lastErrorAt: c.lastErrorAt?.toISOString() ?? null },
      });
    }
  }
  for (const l of channel.failedListings) {
    channelCauses.push({
      kind: "CHANNEL_ERROR", subjectType: "LISTING", subjectId: l.listingId, dedupeKey: `channel-error-listing-${l.listingId}`,
      reason: `${channelLabel(l.channel)} rejected the last quantity push for ${l.externalSku ?? l.externalId}${l.error ? `: ${l.error}` : ""}`,
      details: { channel: l.channel, externalId: l.externalId, externalSku: l.externalSku ?? null },
    });
  }
  add("CHANNEL_ERROR", await syncDetectedCauses(shopId, channelCauses, { kind: "CHANNEL_ERROR", dedupeKeyPrefixes: ["channel-error-channel-", "channel-error-listing-"] }, now));

  // Listings no SKU is mapped to (their sales and stock are invisible to the engine).
  const unmapped = await loadUnmappedListings(shopId);
  add(
    "UNMAPPED_LISTING",
    await syncDetectedCauses(
      shopId,
      unmapped.map((l) => ({
        kind: "UNMAPPED_LISTING" as const, subjectType: "LISTING", subjectId: l.id, dedupeKey: `UNMAPPED_LISTING:${l.id}`,
        reason: `${channelLabel(l.channel)} listing ${l.externalSku ?? l.externalId}${l.title ? ` (${l.title})` : ""} is not mapped to a SKU: its sales and stock are not counted`,
        details: { channel: l.channel, externalId: l.externalId, externalSku: l.externalSku, lastKnownQuantity: l.lastKnownQuantity },
      })),
      { kind: "UNMAPPED_LISTING", dedupeKeyPrefixes: ["UNMAPPED_LISTING:"] },
      now,
    ),
  );
  const mapping = await loadMappingChecks(shopId);
  add("UNMAPPED_LISTING", { opened: 0, resolved: await resolveReviewItems(shopId, mapping.filter((m) => !m.stillMismatched).map((m) => m.id), now, "system: the mapping was confirmed or changed") });

  // Velocity: the last 7 complete days against the forecast made before them (a forecast that already
  // saw the surge would half-follow it) and its normal error. Without such a forecast (a new shop) the
  // SKU's own sales of the 8 weeks before the window are the baseline: their mean and spread.
  const windowStart = today - VELOCITY_WINDOW_DAYS;
  const plan = await loadLatestPlan(shopId, { asOfAtMost: windowStart });
  const perSku = new Map<string, { forecast: number; variance: number }>();
  for (const line of plan) {
    const s = perSku.get(line.skuId) ?? { forecast: 0, variance: 0 };
    s.forecast += line.dailyForecast;
    s.variance += line.dailyStdDev ** 2;
    perSku.set(line.skuId, s);
  }
  let baselineSource: "forecast" | "history" = "forecast";
  if (perSku.size === 0) {
    baselineSource = "history";
    const baseline = await loadDailySalesBaseline(shopId, new Date(`${fromDayNumber(windowStart - VELOCITY_BASELINE_DAYS)}T00:00:00.000Z`), new Date(`${fromDayNumber(windowStart - 1)}T00:00:00.000Z`));
    for (const [skuId, b] of baseline) perSku.set(skuId, { forecast: b.mean, variance: b.stdDev ** 2 });
  }
  const windowFrom = new Date(`${fromDayNumber(windowStart)}T00:00:00.000Z`);
  const windowTo = new Date(`${fromDayNumber(today - 1)}T00:00:00.000Z`);
  const recent = await loadRecentDemand(shopId, windowFrom, windowTo);
  const skus = new Map((await loadSkusByIds(shopId, [...perSku.keys()])).map((s) => [s.id, s]));
  const velocity: DetectedCause[] = [];
  for (const [skuId, f] of perSku) {
    const sku = skus.get(skuId);
    if (!sku || (sku.status !== "ACTIVE" && sku.status !== "SEASONAL")) continue;
    const sold = recent.get(skuId) ?? { units: 0, hadStockout: false };
    const departure = detectVelocityChange({ forecastDaily: f.forecast, dailyStdDev: Math.sqrt(f.variance), recentUnits: sold.units, windowDays: VELOCITY_WINDOW_DAYS });
    // Selling less while out of stock is the stock-out, not a change in demand.
    if (!departure || (departure.direction === "down" && sold.hadStockout)) continue;
    velocity.push({
      kind: "VELOCITY_CHANGE", subjectType: "SKU", subjectId: skuId, dedupeKey: `VELOCITY_CHANGE:${skuId}`,
      reason:
        `${sku.code} sold ${sold.units} units in the last ${VELOCITY_WINDOW_DAYS} days against ${f.forecast.toFixed(2)}/day ${baselineSource === "forecast" ? "forecast" : `usual (${VELOCITY_BASELINE_DAYS / 7}-week average)`} ` +
        `(${departure.expectedUnits.toFixed(1)} ± ${departure.tolerance.toFixed(1)} expected): demand went ${departure.direction}`,
      details: { skuId, code: sku.code, baseline: baselineSource, unitsSold: sold.units, windowDays: VELOCITY_WINDOW_DAYS, forecastDaily: f.forecast, dailyStdDev: Math.sqrt(f.variance), expectedUnits: departure.expectedUnits, tolerance: departure.tolerance, direction: departure.direction },
    });
  }
  add("VELOCITY_CHANGE", await syncDetectedCauses(shopId, velocity, { kind: "VELOCITY_CHANGE", dedupeKeyPrefixes: ["VELOCITY_CHANGE:"] }, now));

  // Supplier data not confirmed for a quarter: prices and lead times the engine relies on may be wrong.
  const suppliers = await loadSuppliersForStaleCheck(shopId);
  const stale: DetectedCause[] = [];
  for (const s of suppliers) {
    const confirmed = s.dataConfirmedAt ?? s.createdAt;
    if (!isSupplierDataStale(toDayNumber(confirmed), today)) continue;
    stale.push({
      kind: "STALE_SUPPLIER_DATA", subjectType: "SUPPLIER", subjectId: s.id, dedupeKey: `STALE_SUPPLIER_DATA:${s.id}`,
      reason: `${s.name}: prices and lead times of ${s._count.products} products ${s.dataConfirmedAt ? `last confirmed on ${fromDayNumber(toDayNumber(s.dataConfirmedAt))}` : "never confirmed"} (more than ${STALE_SUPPLIER_DAYS} days ago)`,
      details: { supplierId: s.id, dataConfirmedAt: s.dataConfirmedAt?.toISOString() ?? null, products: s._count.products },
    });
  }
  add("STALE_SUPPLIER_DATA", await syncDetectedCauses(shopId, stale, { kind: "STALE_SUPPLIER_DATA", dedupeKeyPrefixes: ["STALE_SUPPLIER_DATA:"] }, now));
  return summary;
}

// ───────────────────────────── The queue page ─────────────────────────────

export type AnomalyIntent = "dismiss" | "resolve" | "confirm-supplier-data" | "ignore-listing";

export interface AnomalyView {
  id: string;
  kind: ReviewKind;
  reason: string;
  subject: string;
  createdAt: string;
  /** Where the merchant fixes the cause; the item then disappears on the next check. */
  link: { label: string; url: string } | null;
  /** A button that settles it here. */
  button: { label: string; intent: AnomalyIntent } | null;
  /** For flagged POs: each flag and the engine's explanation. */
  flags: { code: string; message: string }[];
  explanations: string[];
}

function flagsOf(item: ReviewItem): { code: string; message: string }[] {
  const d = item.details;
  if (typeof d !== "object" || d === null || Array.isArray(d)) return [];
  const flags = (d as { flags?: unknown }).flags;
  if (!Array.isArray(flags)) return [];
  return flags.flatMap((f) => (typeof f === "object" && f !== null && typeof (f as { code?: unknown }).code === "string" ? [{ code: String((f as { code: string }).code), message: String((f as { message?: unknown }).message ?? "") }] : []));
}

const CHANNEL_LABELS: Record<string, string> = { SHOPIFY: "Shopify", AMAZON: "Amazon", EBAY: "eBay" };
const channelLabel = (channel: string) => CHANNEL_LABELS[channel] ?? channel;

/** A channel or listing item is named the way the merchant knows it (the channel, the listing's SKU), not by its row id. */
function channelSubject(item: ReviewItem): string | null {
  if (item.subjectType === "CHANNEL") return channelLabel(item.subjectId);
  if (item.subjectType !== "LISTING") return null;
  const d = typeof item.details === "object" && item.details !== null && !Array.isArray(item.details) ? (item.details as Record<string, unknown>) : {};
  const channel = typeof d.channel === "string" ? channelLabel(d.channel) : null;
  const listing = typeof d.externalSku === "string" && d.externalSku ? d.externalSku : typeof d.externalId === "string" ? d.externalId : null;
  return channel && listing ? `${channel} listing ${listing}` : channel ? `${channel} listing` : null;
}

export async function listAnomalies(shopId: string, kind?: ReviewKind): Promise<AnomalyView[]> {
  const items = await listOpenReviewItems(shopId, kind);
  const names = await loadSubjectNames(shopId, items);
  const flagged = items.filter((i) => i.kind === "FLAGGED_PO");
  const suggestionIdOf = (item: ReviewItem) => {
    const d = item.details;
    return typeof d === "object" && d !== null && !Array.isArray(d) && typeof (d as { suggestionId?: unknown }).suggestionId === "string" ? (d as { suggestionId: string }).suggestionId : null;
  };
  const engine = await loadEngineExplanations(
    shopId,
    flagged.filter((i) => i.subjectType === "PURCHASE_ORDER").map((i) => i.subjectId),
    flagged.flatMap((i) => suggestionIdOf(i) ?? []),
  );
  return items.map((item) => {
    const po = item.subjectType === "PURCHASE_ORDER" ? names.purchaseOrders.get(item.subjectId) : undefined;
    const sku = item.subjectType === "SKU" ? names.skus.get(item.subjectId) : undefined;
    const supplier = item.subjectType === "SUPPLIER" ? names.suppliers.get(item.subjectId) : undefined;
    const receiptPo = item.subjectType === "RECEIPT" ? names.receipts.get(item.subjectId) : undefined;
    const poLink = po ? { label: `Open ${po.number}`, url: `/app/purchase-orders/${po.id}` } : null;
    let link: AnomalyView["link"] = null;
    let button: AnomalyView["button"] = null;
    switch (item.kind) {
      case "FLAGGED_PO":
        link = po ? { label: `Review ${po.number}`, url: `/app/purchase-orders/${po.id}` } : sku ? { label: `Open ${sku.code}`, url: `/app/products/${sku.id}` } : null;
        if (item.subjectType === "SKU") button = { label: "Dismiss", intent: "dismiss" };
        break;
      case "UNACKNOWLEDGED_PO":
        link = po ? { label: `Resend or chase ${po.number}`, url: `/app/purchase-orders/${po.id}` } : null;
        break;
      case "LATE_SHIPMENT":
        link = po ? { label: `Receive or update ${po.number}`, url: `/app/receiving?po=${encodeURIComponent(po.number)}` } : null;
        break;
      case "RECEIPT_DISCREPANCY":
        link = receiptPo ? { label: `Open ${receiptPo.number}`, url: `/app/receiving?po=${encodeURIComponent(receiptPo.number)}` } : null;
        button = { label: "Accept the discrepancy", intent: "resolve" };
        break;
      case "CHANNEL_ERROR":
        link = { label: "Open channels", url: "/app/channels" };
        break;
      case "UNMAPPED_LISTING":
        link = { label: "Map it to a SKU", url: "/app/channels" };
        if (item.dedupeKey.startsWith("UNMAPPED_LISTING:")) button = { label: "Ignore this listing", intent: "ignore-listing" };
        break;
      case "VELOCITY_CHANGE":
        link = sku ? { label: `Open ${sku.code}`, url: `/app/products/${sku.id}` } : null;
        button = { label: "Acknowledge", intent: "dismiss" };
        break;
      case "STALE_SUPPLIER_DATA":
        link = supplier ? { label: `Open ${supplier.name}`, url: `/app/suppliers/${supplier.id}` } : null;
        button = { label: "Mark prices and lead times confirmed", intent: "confirm-supplier-data" };
        break;
      case "SUPPLIER_MESSAGE":
        link = poLink;
        button = { label: "Mark as read", intent: "resolve" };
        break;
      case "REMITTANCE_CHANGE":
        link = supplier ? { label: `Confirm bank details of ${supplier.name}`, url: `/app/suppliers/${supplier.id}` } : null;
        break;
    }
    const subject = po?.number ?? sku?.code ?? supplier?.name ?? receiptPo?.number ?? channelSubject(item) ?? item.subjectId;
    return { id: item.id, kind: item.kind, reason: item.reason, subject, createdAt: item.createdAt.toISOString(), link, button, flags: item.kind === "FLAGGED_PO" ? flagsOf(item) : [],
      explanations: item.kind !== "FLAGGED_PO" ? [] : item.subjectType === "PURCHASE_ORDER" ? (engine.byPurchaseOrder.get(item.subjectId) ?? []) : [engine.bySuggestion.get(suggestionIdOf(item) ?? "") ?? ""].filter(Boolean),
    };
  });
}

/** A person settles an item from the queue. The action must fit the item (a stale-data button on a channel error is refused). */
export async function settleAnomaly(shopId: string, input: { itemId: string; intent: AnomalyIntent; actor: string; now: Date }): Promise<void> {
  const item = await findOpenReviewItem(shopId, input.itemId);
  if (!item) throw new AppError("not_found", "This item is no longer open: someone settled it, or its cause went away");
  const allowed: Record<AnomalyIntent, ReviewKind[]> = {
    dismiss: ["VELOCITY_CHANGE", "FLAGGED_PO"],
    resolve: ["RECEIPT_DISCREPANCY", "SUPPLIER_MESSAGE"],
    "confirm-supplier-data": ["STALE_SUPPLIER_DATA"],
    "ignore-listing": ["UNMAPPED_LISTING"],
  };
  if (!allowed[input.intent].includes(item.kind)) throw new AppError("invalid", `“${input.intent}” does not apply to this item`);
  if (input.intent === "confirm-supplier-data") await markSupplierDataConfirmed(shopId, item.subjectId, input.now);
  if (input.intent === "ignore-listing") await ignoreListing(shopId, item.subjectId);
  await closeReviewItem(shopId, item.id, input.intent === "dismiss" ? "DISMISSED" : "RESOLVED", input.now, input.actor);
}

/**
 * The scheduled check (every 15 minutes, and the queue's "Check now"): runs the detectors, then refreshes
 * today's snapshot so the dashboard's counts include what was just opened or resolved.
 */
export async function refreshOversight(shopId: string, now: Date): Promise<DetectionSummary> {
  const summary = await detectAnomalies(shopId, now);
  // A full plan newer than yesterday's row brings new classes and forecasts: the history is replayed
  // with them (a new shop's first run, a run by hand), else only today's row is refreshed.
  const { today } = await shopToday(shopId, now);
  const [planned, yesterday] = await Promise.all([latestFullPlanFinishedAt(shopId), findSnapshot(shopId, today - 1)]);
  const computedAt = yesterday ? snapshotMetrics(yesterday)?.computedAt : undefined;
  if (planned && (!computedAt || Date.parse(computedAt) < planned.getTime())) await recordNightlySnapshots(shopId, now);
  else await recordSnapshots(shopId, { now });
  return summary;
}
