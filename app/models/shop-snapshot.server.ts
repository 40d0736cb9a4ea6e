import { Prisma, type Channel, type ConnectionStatus, type PurchaseOrderStatus, type ReviewKind, type RunStatus, type RunTrigger, type ShopDailySnapshot } from "@prisma/client";
import { fromDayNumber, toDayNumber, type DayNumber } from "../domain/shared/day.ts";
import { toCents, toPriceUnits, type Cents, type PriceUnits } from "../domain/shared/money.ts";
import { prisma } from "../db.server.ts";
import { forShop } from "./scoped-db.server.ts";
import { currentPlanRuns } from "./current-plan-runs.server.ts";
import type { OpenPurchaseOrderSummary } from "./purchase-order.server.ts";
import { latestWholeShopRun } from "./reorder-suggestion.server.ts";

/**
 * Reads behind the daily shop snapshot (app/services/daily-snapshot.server.ts) and the snapshot rows
 * themselves. Raw SQL where the work is an aggregate over the ledger: it runs in the database, per shop
 * day in the shop's time zone, so a snapshot never loads a year of movements row by row.
 */

export type CurrencyTotals = { currency: string; total: Cents }[];

/** What a snapshot row's `metrics` column holds (version 1). Figures only the live refresh can know are optional. */
export interface SnapshotMetrics {
  version: 1;
  computedAt: string;
  /** True when the row was computed on its own day (live figures present); false when replayed later. */
  live: boolean;
  catalogueSkuCount: number;
  unitsOnHand: number;
  skusOnHandWithoutCost: number;
  inventoryValueCents: Cents;
  lostRevenuePerDayCents: Cents;
  outOfStockSkuCountA: number;
  /** Spend = POs placed (sent) in the shop's calendar month, per currency, to this day. */
  spendThisMonth: CurrencyTotals;
  spendLastMonth: CurrencyTotals;
  /** Overstock and dead stock as the overstock report defines it (app/domain/reports/overstock.ts), as of the row's day. */
  overstock?: { skuCount: number; excessValueCents: Cents; carryingCostPerMonthCents: Cents; thresholdDays: number; seasonalThresholdDays: number };
  openPurchaseOrders?: OpenPurchaseOrderSummary;
  reviewQueue?: { open: number; byKind: Partial<Record<ReviewKind, number>> };
  channels?: ChannelHealth[];
  backInStock?: { waitingSubscribers: number; waitingSkus: number };
  lastReorderRun?: {
    status: RunStatus;
    trigger: RunTrigger;
    startedAt: string;
    finishedAt: string | null;
    skuCount: number;
    suggestionCount: number;
    /** Stock-change runs (a few SKUs each) since this whole-shop run, and when the latest started. */
    stockChangeRunsSince?: number;
    lastStockChangeAt?: string | null;
  } | null;
}

export interface ChannelHealth {
  channel: Channel;
  status: ConnectionStatus;
  lastOrderSyncAt: string | null;
  lastStockSyncAt: string | null;
  lastError: string | null;
  mappedListings: number;
  /** Mapped listings (not channel-fulfilled) whose channel quantity differs from the last quantity we pushed (per location on Shopify). */
  driftCount: number;
}

// ───────────────────────────── Inputs ─────────────────────────────

export interface SnapshotSku {
  id: string;
  status: string;
  cost: PriceUnits | null;
  price: PriceUnits | null;
  /** Shop day the SKU first counts: the earliest of created, on the market, first movement. */
  fromDay: DayNumber;
}

export async function loadSnapshotSkus(shopId: string, timeZone: string): Promise<SnapshotSku[]> {
  const rows = await prisma.$queryRaw<{ id: string; status: string; cost: string | null; price: string | null; fromDay: string }[]>`
    SELECT s."id", s."status"::text AS "status", s."cost"::text AS "cost", s."price"::text AS "price",
      LEAST(
        ((s."createdAt" AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone})::date,
        ((s."firstOnMarketAt" AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone})::date,
        (SELECT ((MIN(m."occurredAt") AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone})::date FROM "InventoryMovement" m WHERE m."shopId" = s."shopId" AND m."skuId" = s."id")
      )::text AS "fromDay"
    FROM "Sku" s WHERE s."shopId" = ${shopId}
    ORDER BY s."id"`;
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    cost: r.cost === null ? null : toPriceUnits(r.cost),
    price: r.price === null ? null : toPriceUnits(r.price),
    fromDay: toDayNumber(r.fromDay),
  }));
}

/**
 * Ledger movements summed per SKU × location × shop day up to `toDay`; everything before `fromDay` is
 * folded into `fromDay − 1` (opening balances), so the rows stay few whatever the history's length.
 */
export async function loadDailyMovements(shopId: string, timeZone: string, fromDay: DayNumber, toDay: DayNumber) {
  const opening = fromDayNumber(fromDay - 1);
  const to = fromDayNumber(toDay);
  const rows = await prisma.$queryRaw<{ skuId: string; locationId: string; day: string; quantity: number }[]>`
    SELECT m."skuId", m."locationId", GREATEST(m."d", ${opening}::date)::text AS "day", SUM(m."quantity")::int AS "quantity"
    FROM (
      SELECT "skuId", "locationId", "quantity", (("occurredAt" AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone})::date AS "d"
      FROM "InventoryMovement" WHERE "shopId" = ${shopId}
    ) m
    WHERE m."d" <= ${to}::date
    GROUP BY 1, 2, 3`;
  return rows.map((r) => ({ skuId: r.skuId, locationId: r.locationId, day: toDayNumber(r.day), quantity: r.quantity }));
}

export interface LatestPlanLine {
  skuId: string;
  locationId: string;
  dailyForecast: number;
  dailyStdDev: number;
  abcClass: string | null;
  runAsOf: DayNumber;
}

/** The latest plan per SKU × location (failed runs excluded): the forecast the figures price stock-outs with. */
export async function loadLatestPlan(shopId: string, options: { asOfAtMost?: DayNumber } = {}): Promise<LatestPlanLine[]> {
  const asOfAtMost = options.asOfAtMost === undefined ? "9999-12-31" : fromDayNumber(options.asOfAtMost);
  // DISTINCT ON has no Prisma equivalent, hence raw SQL and the explicit shopId.
  const rows = await prisma.$queryRaw<{ skuId: string; locationId: string; dailyForecast: string; dailyStdDev: string | null; abcClass: string | null; asOf: string }[]>`
    SELECT DISTINCT ON (s."skuId", s."locationId") s."skuId", s."locationId", s."dailyForecast"::text AS "dailyForecast",
      s."explanation"->'forecast'->>'dailyStdDev' AS "dailyStdDev", s."abcClass", r."asOf"::text AS "asOf"
    FROM "ReorderSuggestion" s JOIN "ReorderRun" r ON r."id" = s."runId" AND r."shopId" = s."shopId"
    WHERE s."shopId" = ${shopId} AND r."status" <> 'FAILED' AND r."asOf" <= ${asOfAtMost}::date AND ${currentPlanRuns(shopId, { asOfAtMost })}
    ORDER BY s."skuId", s."locationId", r."startedAt" DESC, s."createdAt" DESC, s."id" DESC`;
  return rows.map((r) => ({
    skuId: r.skuId,
    locationId: r.locationId,
    dailyForecast: Number(r.dailyForecast),
    dailyStdDev: r.dailyStdDev === null || !Number.isFinite(Number(r.dailyStdDev)) ? 0 : Number(r.dailyStdDev),
    abcClass: r.abcClass,
    runAsOf: toDayNumber(r.asOf),
  }));
}

/** PO value placed per shop day and currency (sent, not cancelled) from `fromDay` to `toDay`. */
export async function loadSpendByDay(shopId: string, timeZone: string, fromDay: DayNumber, toDay: DayNumber) {
  const rows = await prisma.$queryRaw<{ day: string; currency: string; total: string }[]>`
    SELECT d."day"::text AS "day", d."currency", SUM(d."total")::text AS "total"
    FROM (
      SELECT (("sentAt" AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone})::date AS "day", "currency", "total"
      FROM "PurchaseOrder" WHERE "shopId" = ${shopId} AND "sentAt" IS NOT NULL AND "status" <> 'CANCELLED'
    ) d
    WHERE d."day" BETWEEN ${fromDayNumber(fromDay)}::date AND ${fromDayNumber(toDay)}::date
    GROUP BY d."day", d."currency"`;
  return rows.map((r) => ({ day: toDayNumber(r.day), currency: r.currency, total: toCents(r.total) }));
}

/** Every PO with the shop days it opened and (if it did) stopped being open: enough to replay open value per day. */
export async function loadPurchaseOrderSpans(shopId: string, timeZone: string) {
  const rows = await prisma.$queryRaw<{ status: PurchaseOrderStatus; currency: string; total: string; openedDay: string; endedDay: string | null }[]>`
    SELECT "status", "currency", "total"::text AS "total",
      (("createdAt" AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone})::date::text AS "openedDay",
      ((LEAST("receivedAt", "closedAt", "cancelledAt") AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone})::date::text AS "endedDay"
    FROM "PurchaseOrder" WHERE "shopId" = ${shopId}`;
  return rows.map((r) => ({ status: r.status, currency: r.currency, total: toCents(r.total), openedDay: toDayNumber(r.openedDay), endedDay: r.endedDay === null ? null : toDayNumber(r.endedDay) }));
}

export async function countOpenReviewItemsByKind(shopId: string): Promise<Partial<Record<ReviewKind, number>>> {
  const groups = await forShop(shopId).reviewItem.groupBy({ by: ["kind"], where: { status: "OPEN" }, _count: { _all: true } });
  return Object.fromEntries(groups.map((g) => [g.kind, g._count._all]));
}

export async function loadChannelHealth(shopId: string): Promise<ChannelHealth[]> {
  const db = forShop(shopId);
  const [connections, mapped, drift] = await Promise.all([
    db.channelConnection.findMany({ orderBy: { channel: "asc" }, select: { channel: true, status: true, lastOrderSyncAt: true, lastStockSyncAt: true, lastError: true } }),
    db.channelListing.groupBy({ by: ["channel"], where: { status: "MAPPED" }, _count: { _all: true } }),
    // Like with like: a Shopify listing held per location is compared location by location (the
    // listing's rolled-up totals sum different sets of locations: known at every linked one, pushed
    // only where we pushed), a marketplace listing as a whole. Both figures are the channel's own
    // (after its buffer), so buffers cancel out.
    prisma.$queryRaw<{ channel: Channel; count: number }[]>`
      SELECT l."channel", COUNT(*)::int AS "count" FROM "ChannelListing" AS l
      WHERE l."shopId" = ${shopId} AND l."status" = 'MAPPED' AND NOT l."fulfilledByChannel"
        AND CASE WHEN EXISTS (SELECT 1 FROM "ChannelListingLevel" AS v WHERE v."listingId" = l."id")
          THEN EXISTS (SELECT 1 FROM "ChannelListingLevel" AS v WHERE v."listingId" = l."id"
            AND v."lastKnownQuantity" IS NOT NULL AND v."lastPushedQuantity" IS NOT NULL AND v."lastKnownQuantity" <> v."lastPushedQuantity")
          ELSE l."lastKnownQuantity" IS NOT NULL AND l."lastPushedQuantity" IS NOT NULL AND l."lastKnownQuantity" <> l."lastPushedQuantity" END
      GROUP BY l."channel"`,
  ]);
  return connections.map((c) => ({
    channel: c.channel,
    status: c.status,
    lastOrderSyncAt: c.lastOrderSyncAt?.toISOString() ?? null,
    lastStockSyncAt: c.lastStockSyncAt?.toISOString() ?? null,
    lastError: c.lastError,
    mappedListings: mapped.find((m) => m.channel === c.channel)?._count._all ?? 0,
    driftCount: drift.find((d) => d.channel === c.channel)?.count ?? 0,
  }));
}

/** Shoppers waiting for a SKU to come back (active subscriptions), and how many SKUs they wait for. */
export async function countBackInStockDemand(shopId: string): Promise<{ waitingSubscribers: number; waitingSkus: number }> {
  const db = forShop(shopId);
  const [waitingSubscribers, skus] = await Promise.all([
    db.backInStockSubscription.count({ where: { status: "ACTIVE" } }),
    db.backInStockSubscription.groupBy({ by: ["skuId"], where: { status: "ACTIVE" } }),
  ]);
  return { waitingSubscribers, waitingSkus: skus.length };
}

/**
 * The latest whole-shop run (nightly or by hand), with the stock-change runs since: those re-plan a few
 * SKUs each, and a demo or a busy shop has one every minute, so "4 SKUs planned" would hide the plan the
 * merchant acts on. A shop whose only runs are stock-change runs shows the latest of those.
 */
export async function loadLastReorderRun(shopId: string): Promise<SnapshotMetrics["lastReorderRun"]> {
  const db = forShop(shopId);
  const orderBy = [{ startedAt: "desc" as const }, { id: "desc" as const }];
  const run = (await latestWholeShopRun(shopId)) ?? (await db.reorderRun.findFirst({ orderBy, omit: { parameters: true } }));
  if (!run) return null;
  const since = run.trigger === "STOCK_CHANGE" ? [] : await db.reorderRun.findMany({ where: { trigger: "STOCK_CHANGE", startedAt: { gt: run.startedAt } }, orderBy, select: { startedAt: true } });
  return {
    status: run.status, trigger: run.trigger, skuCount: run.skuCount, suggestionCount: run.suggestionCount,
    startedAt: run.startedAt.toISOString(), finishedAt: run.finishedAt?.toISOString() ?? null,
    stockChangeRunsSince: since.length, lastStockChangeAt: since[0]?.startedAt.toISOString() ?? null,
  };
}

// ───────────────────────────── Snapshot rows ─────────────────────────────

export interface SnapshotRowInput {
  day: DayNumber;
  skuCount: number;
  inStockSkuCount: number;
  skuCountA: number;
  inStockSkuCountA: number;
  stockoutsInProgress: number;
  lostRevenuePerDay: Cents;
  inventoryValue: Cents;
  daysOfSupply: number | null;
  openPoValue: Cents;
  spend: Cents;
  metrics: SnapshotMetrics;
}

const cents = (c: Cents) => new Prisma.Decimal(c).dividedBy(100);

/** Writes snapshot rows (one per day, replacing what the day had). */
export async function upsertSnapshots(shopId: string, rows: readonly SnapshotRowInput[]): Promise<void> {
  const db = forShop(shopId);
  for (const row of rows) {
    const day = new Date(`${fromDayNumber(row.day)}T00:00:00.000Z`);
    const data = {
      skuCount: row.skuCount,
      inStockSkuCount: row.inStockSkuCount,
      skuCountA: row.skuCountA,
      inStockSkuCountA: row.inStockSkuCountA,
      stockoutsInProgress: row.stockoutsInProgress,
      lostRevenuePerDay: cents(row.lostRevenuePerDay),
      inventoryValue: cents(row.inventoryValue),
      daysOfSupply: row.daysOfSupply === null ? null : new Prisma.Decimal(row.daysOfSupply),
      openPoValue: cents(row.openPoValue),
      spend: cents(row.spend),
      metrics: row.metrics as unknown as Prisma.InputJsonValue,
    };
    await db.shopDailySnapshot.upsert({ where: { shopId_day: { shopId, day } }, create: { shopId, day, ...data }, update: data });
  }
}

export async function listSnapshots(shopId: string, fromDay: DayNumber, toDay: DayNumber): Promise<ShopDailySnapshot[]> {
  return forShop(shopId).shopDailySnapshot.findMany({
    where: { day: { gte: new Date(`${fromDayNumber(fromDay)}T00:00:00.000Z`), lte: new Date(`${fromDayNumber(toDay)}T00:00:00.000Z`) } },
    orderBy: { day: "asc" },
  });
}

export async function findSnapshot(shopId: string, day: DayNumber): Promise<ShopDailySnapshot | null> {
  return forShop(shopId).shopDailySnapshot.findFirst({ where: { day: new Date(`${fromDayNumber(day)}T00:00:00.000Z`) } });
}

export function snapshotMetrics(row: Pick<ShopDailySnapshot, "metrics">): SnapshotMetrics | null {
  const m = row.metrics;
  return typeof m === "object" && m !== null && !Array.isArray(m) && (m as { version?: unknown }).version === 1 ? (m as unknown as SnapshotMetrics) : null;
}

/** When the latest full plan (nightly or by hand, not a stock-change re-plan) finished, if any. */
export async function latestFullPlanFinishedAt(shopId: string): Promise<Date | null> {
  const run = await forShop(shopId).reorderRun.findFirst({
    where: { status: "COMPLETED", trigger: { in: ["NIGHTLY", "MANUAL"] }, finishedAt: { not: null } },
    orderBy: { finishedAt: "desc" },
    select: { finishedAt: true },
  });
  return run?.finishedAt ?? null;
}
