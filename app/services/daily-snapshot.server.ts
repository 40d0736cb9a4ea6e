import { PO_STATUS_GROUPS } from "../domain/purchasing/purchase-order.ts";
import { dailyInStock, daysOfSupply, inStockRate, type InStockSku } from "../domain/oversight/oversight.ts";
import { daysFromCivil, fromDayNumber, toDayNumber, type DayNumber } from "../domain/shared/day.ts";
import type { Cents } from "../domain/shared/money.ts";
import { prisma } from "../db.server.ts";
import { AppError } from "../lib/app-error.ts";
import { hasShopifySession, isAwaitingInstall } from "../models/channel-connection.server.ts";
import { summarizeOpenPurchaseOrders, type OpenPurchaseOrderSummary } from "../models/purchase-order.server.ts";
import { overstockOnDay } from "../domain/reports/overstock.ts";
import { loadOverstockSeries } from "../models/overstock.server.ts";
import { shopLocalDay } from "../models/reorder-suggestion.server.ts";
import {
  countBackInStockDemand,
  countOpenReviewItemsByKind,
  listSnapshots,
  loadChannelHealth,
  loadDailyMovements,
  loadLastReorderRun,
  loadLatestPlan,
  loadPurchaseOrderSpans,
  loadSnapshotSkus,
  loadSpendByDay,
  snapshotMetrics,
  upsertSnapshots,
  type ChannelHealth,
  type CurrencyTotals,
  type SnapshotMetrics,
  type SnapshotRowInput,
} from "../models/shop-snapshot.server.ts";

/**
 * The shop's daily snapshot: every dashboard and digest figure, computed once per shop day and read from
 * the row afterwards, so the dashboard never scans orders or the ledger on load.
 *
 * Rows of past days are replayed from the ledger (in-stock counts, stock value, stock-outs) and from PO
 * timestamps (open value, spend), so a shop's first run backfills the trend chart as far as its history
 * goes. Figures only the present knows (review queue, channel health, back-in-stock demand, open POs by
 * status) are recorded by the refresh on the day itself and kept when the day is replayed later.
 * Stock-outs of past days are priced with today's forecast and price: the engine keeps no older ones.
 */

/** How far back the nightly job (re)computes: the dashboard's longest window. */
export const SNAPSHOT_HISTORY_DAYS = 90;

const IN_SCOPE = new Set(["ACTIVE", "SEASONAL"]);

function monthStart(day: DayNumber, monthsBack = 0): DayNumber {
  const [y, m] = fromDayNumber(day).split("-").map(Number) as [number, number];
  const index = y * 12 + (m - 1) - monthsBack;
  return daysFromCivil(Math.floor(index / 12), (index % 12) + 1, 1);
}

function addTotal(map: Map<string, Cents>, currency: string, total: Cents) {
  map.set(currency, (map.get(currency) ?? 0) + total);
}
const sorted = (map: Map<string, Cents>): CurrencyTotals => [...map].sort(([a], [b]) => a.localeCompare(b)).map(([currency, total]) => ({ currency, total }));

export interface RecordSnapshotsOptions {
  now: Date;
  /** First and last shop day to (re)compute; default: today only. */
  fromDay?: DayNumber;
  toDay?: DayNumber;
}

export async function shopToday(shopId: string, now: Date): Promise<{ today: DayNumber; timezone: string; currency: string }> {
  const shop = await prisma.shop.findUnique({ where: { id: shopId }, select: { timezone: true, currency: true } });
  if (!shop) throw new AppError("not_found", `shop ${shopId} not found`);
  return { today: toDayNumber(shopLocalDay(shop.timezone, now)), timezone: shop.timezone, currency: shop.currency };
}

/** Computes and stores the snapshot rows of a range of shop days (today's with the live figures). */
export async function recordSnapshots(shopId: string, options: RecordSnapshotsOptions): Promise<{ days: number }> {
  const { now } = options;
  const { today, timezone, currency } = await shopToday(shopId, now);
  const toDay = Math.min(options.toDay ?? today, today);
  const fromDay = Math.min(options.fromDay ?? toDay, toDay);

  const [skus, plan, movements, spendRows, spans, existing, overstockBasis] = await Promise.all([
    loadSnapshotSkus(shopId, timezone),
    loadLatestPlan(shopId),
    loadDailyMovements(shopId, timezone, fromDay, toDay),
    loadSpendByDay(shopId, timezone, monthStart(fromDay, 1), toDay),
    loadPurchaseOrderSpans(shopId, timezone),
    listSnapshots(shopId, fromDay, toDay),
    loadOverstockSeries(shopId, fromDay, toDay),
  ]);
  const overstockSettings = overstockBasis.settings;
  const live = toDay === today ? await loadLiveFigures(shopId) : null;

  const forecast = new Map<string, number>();
  const classA = new Set<string>();
  for (const line of plan) {
    forecast.set(line.skuId, (forecast.get(line.skuId) ?? 0) + line.dailyForecast);
    if (line.abcClass === "A") classA.add(line.skuId);
  }
  const scope: InStockSku[] = skus.map((s) => ({ skuId: s.id, fromDay: s.fromDay, isClassA: classA.has(s.id), inScope: IN_SCOPE.has(s.status) }));
  const days = dailyInStock(scope, movements, fromDay, toDay);
  const byId = new Map(skus.map((s) => [s.id, s]));
  // Forecast consumption at cost per day, in hundredths of a cent (cost is in 1/10,000 of the unit).
  let consumption = 0;
  for (const [skuId, units] of forecast) {
    const cost = byId.get(skuId)?.cost;
    if (cost !== null && cost !== undefined) consumption += units * cost;
  }

  const rows: SnapshotRowInput[] = [];
  for (const d of days) {
    if (d.skuCount === 0 && d.unitsHeld.size === 0 && d.day !== today) continue; // before the shop's history
    let value = 0;
    let units = 0;
    let withoutCost = 0;
    for (const [skuId, held] of d.unitsHeld) {
      units += held;
      const cost = byId.get(skuId)?.cost ?? null;
      if (cost === null) withoutCost++;
      else value += held * cost;
    }
    let lost = 0;
    for (const skuId of d.outOfStockSkuIds) {
      const price = byId.get(skuId)?.price;
      if (price !== null && price !== undefined) lost += (forecast.get(skuId) ?? 0) * price;
    }
    const thisMonth = new Map<string, Cents>();
    const lastMonth = new Map<string, Cents>();
    const start = monthStart(d.day);
    const previous = monthStart(d.day, 1);
    for (const s of spendRows) {
      if (s.day >= start && s.day <= d.day) addTotal(thisMonth, s.currency, s.total);
      else if (s.day >= previous && s.day < start) addTotal(lastMonth, s.currency, s.total);
    }
    // Overstock exactly as the report defines it (app/domain/reports/overstock.ts), as of this day.
    const over = overstockOnDay(overstockBasis.series, d.unitsHeld, d.day, overstockSettings);
    const isToday = d.day === today && live !== null;
    let openPoValue = 0;
    if (isToday) openPoValue = live.openPurchaseOrders.totals.find((t) => t.currency === currency)?.total ?? 0;
    else {
      for (const po of spans) {
        if (po.currency !== currency || po.openedDay > d.day) continue;
        const open = po.endedDay === null ? (PO_STATUS_GROUPS.OPEN as readonly string[]).includes(po.status) : po.endedDay > d.day;
        if (open) openPoValue += po.total;
      }
    }
    const inventoryValue = Math.round(value / 100);
    const kept = existing.find((e) => toDayNumber(e.day) === d.day);
    const keptMetrics = kept ? snapshotMetrics(kept) : null;
    const metrics: SnapshotMetrics = {
      version: 1,
      computedAt: now.toISOString(),
      live: isToday || (keptMetrics?.live ?? false),
      catalogueSkuCount: skus.length,
      unitsOnHand: units,
      skusOnHandWithoutCost: withoutCost,
      inventoryValueCents: inventoryValue,
      lostRevenuePerDayCents: Math.round(lost / 100),
      outOfStockSkuCountA: d.skuCountA - d.inStockSkuCountA,
      spendThisMonth: sorted(thisMonth),
      spendLastMonth: sorted(lastMonth),
      overstock: {
        skuCount: over.skus,
        excessValueCents: Math.round(over.excessValue * 100),
        carryingCostPerMonthCents: Math.round(over.carryingCostPerMonth * 100),
        thresholdDays: overstockSettings.overstockDays,
        seasonalThresholdDays: overstockSettings.overstockDaysSeasonal,
      },
      ...(isToday ? live : keptMetrics?.live ? pickLive(keptMetrics) : {}),
    };
    rows.push({
      day: d.day,
      skuCount: d.skuCount,
      inStockSkuCount: d.inStockSkuCount,
      skuCountA: d.skuCountA,
      inStockSkuCountA: d.inStockSkuCountA,
      stockoutsInProgress: d.outOfStockSkuIds.length,
      lostRevenuePerDay: Math.round(lost / 100),
      inventoryValue,
      daysOfSupply: daysOfSupply(value, consumption),
      openPoValue,
      spend: thisMonth.get(currency) ?? 0,
      metrics,
    });
  }
  await upsertSnapshots(shopId, rows);
  return { days: rows.length };
}

type LiveFigures = Required<Pick<SnapshotMetrics, "openPurchaseOrders" | "reviewQueue" | "channels" | "backInStock" | "lastReorderRun">>;

function pickLive(m: SnapshotMetrics): Partial<LiveFigures> {
  const { openPurchaseOrders, reviewQueue, channels, backInStock, lastReorderRun } = m;
  return { openPurchaseOrders, reviewQueue, channels, backInStock, lastReorderRun };
}

async function loadLiveFigures(shopId: string): Promise<LiveFigures> {
  const [openPurchaseOrders, byKind, channels, backInStock, lastReorderRun] = await Promise.all([
    summarizeOpenPurchaseOrders(shopId),
    countOpenReviewItemsByKind(shopId),
    loadChannelHealth(shopId),
    countBackInStockDemand(shopId),
    loadLastReorderRun(shopId),
  ]);
  const open = Object.values(byKind).reduce((a, b) => a + (b ?? 0), 0);
  return { openPurchaseOrders, reviewQueue: { open, byKind }, channels, backInStock, lastReorderRun: lastReorderRun ?? null };
}

/** The nightly job: today and the past 90 days again (backfilling any the shop never had). */
export async function recordNightlySnapshots(shopId: string, now: Date): Promise<{ days: number }> {
  const { today } = await shopToday(shopId, now);
  return recordSnapshots(shopId, { now, fromDay: today - SNAPSHOT_HISTORY_DAYS, toDay: today });
}

// ───────────────────────────── The dashboard's view of the snapshots ─────────────────────────────

export interface RateWindow {
  days: number;
  /** Share of SKU-days in stock, all SKUs and A-class; null without data. */
  all: number | null;
  classA: number | null;
}

export interface DashboardView {
  today: string;
  computedAt: string;
  currency: string;
  timezone: string;
  rates: RateWindow[];
  trend: { day: string; all: number | null; classA: number | null }[];
  skuCount: number;
  inScopeSkuCount: number;
  unitsOnHand: number;
  valueOnHandAtCost: Cents;
  skusOnHandWithoutCost: number;
  outOfStockSkuCount: number;
  outOfStockSkuCountA: number;
  lostRevenuePerDay: Cents;
  daysOfSupply: number | null;
  openPurchaseOrders: OpenPurchaseOrderSummary;
  spendThisMonth: CurrencyTotals;
  spendLastMonth: CurrencyTotals;
  openReviewItemCount: number;
  reviewByKind: Partial<Record<string, number>>;
  /** The snapshot's channel health, plus whether Shopify is still "not connected yet" (checked on load, as the Channels page does). */
  channels: (ChannelHealth & { awaitingInstall: boolean })[];
  backInStock: { waitingSubscribers: number; waitingSkus: number };
  lastReorderRun: SnapshotMetrics["lastReorderRun"] | null;
  overstock: NonNullable<SnapshotMetrics["overstock"]>;
}

export const RATE_WINDOWS = [7, 30, 90] as const;

/**
 * What the dashboard (and the digest) show: read from the snapshot rows. Today's row is written by the
 * scheduled refresh; a shop that has none yet (first visit after install) gets it computed once here.
 */
export async function loadDashboard(shopId: string, now: Date): Promise<DashboardView> {
  const { today, timezone, currency } = await shopToday(shopId, now);
  let rows = await listSnapshots(shopId, today - (SNAPSHOT_HISTORY_DAYS - 1), today);
  let current = rows.at(-1);
  if (!current || toDayNumber(current.day) !== today || !snapshotMetrics(current)?.live) {
    await recordSnapshots(shopId, { now, toDay: today });
    rows = await listSnapshots(shopId, today - (SNAPSHOT_HISTORY_DAYS - 1), today);
    current = rows.at(-1);
  }
  if (!current) throw new AppError("unavailable", "the shop's snapshot could not be computed");
  const m = snapshotMetrics(current);
  if (!m) throw new AppError("unavailable", "the shop's snapshot has an unknown format");

  const rates = RATE_WINDOWS.map((days) => {
    const window = rows.filter((r) => toDayNumber(r.day) > today - days);
    return {
      days,
      all: inStockRate(window.map((r) => ({ inStock: r.inStockSkuCount, count: r.skuCount }))),
      classA: inStockRate(window.map((r) => ({ inStock: r.inStockSkuCountA, count: r.skuCountA }))),
    };
  });
  const trend = rows.map((r) => ({
    day: fromDayNumber(toDayNumber(r.day)),
    all: r.skuCount ? r.inStockSkuCount / r.skuCount : null,
    classA: r.skuCountA ? r.inStockSkuCountA / r.skuCountA : null,
  }));
  const review = m.reviewQueue ?? { open: 0, byKind: {} };
  // Live, not from the row: the install can finish between two refreshes, and the Channels page reads it live.
  const shopifySession = await hasShopifySession(shopId);
  // Live too (two small queries): a run that finished after the row's last refresh would otherwise read
  // "No reorder run yet" (the demo's dashboard, opened as soon as its first run completed).
  const lastReorderRun = await loadLastReorderRun(shopId);
  return {
    today: fromDayNumber(today),
    computedAt: m.computedAt,
    currency,
    timezone,
    rates,
    trend,
    skuCount: m.catalogueSkuCount,
    inScopeSkuCount: current.skuCount,
    unitsOnHand: m.unitsOnHand,
    valueOnHandAtCost: m.inventoryValueCents,
    skusOnHandWithoutCost: m.skusOnHandWithoutCost,
    outOfStockSkuCount: current.stockoutsInProgress,
    outOfStockSkuCountA: m.outOfStockSkuCountA,
    lostRevenuePerDay: m.lostRevenuePerDayCents,
    daysOfSupply: current.daysOfSupply === null ? null : Number(current.daysOfSupply),
    openPurchaseOrders: m.openPurchaseOrders ?? { count: 0, totals: [], byStatus: [] },
    spendThisMonth: m.spendThisMonth,
    spendLastMonth: m.spendLastMonth,
    openReviewItemCount: review.open,
    reviewByKind: review.byKind,
    channels: (m.channels ?? []).map((c) => ({ ...c, awaitingInstall: isAwaitingInstall(c.channel, c.status, shopifySession) })),
    backInStock: m.backInStock ?? { waitingSubscribers: 0, waitingSkus: 0 },
    lastReorderRun: lastReorderRun ?? null,
    overstock: m.overstock ?? { skuCount: 0, excessValueCents: 0, carryingCostPerMonthCents: 0, thresholdDays: 90, seasonalThresholdDays: 60 },
  };
}
