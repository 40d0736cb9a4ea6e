// Issue 7 acceptance: each dashboard figure on a seeded shop, the right answer worked out here from the
// seed's raw inputs (no SQL, no app code), and the page reading snapshots rather than live data.
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { loadOverstockReport } from "#app/models/overstock.server.ts";
import { loader } from "#app/routes/app._index.tsx";
import { refreshOversight } from "#app/services/anomalies.server.ts";
import { loadDashboard, recordNightlySnapshots, recordSnapshots } from "#app/services/daily-snapshot.server.ts";
import { resetDatabase } from "#tests/setup/db.ts";
import { callLoader, DEMO_DOMAIN, useDemoMode } from "../routes/helpers.ts";
import { addDay, countedOn, heldAt, NOW, nyDay, POS, REVIEWS, seedOversightShop, SKUS } from "./seed-oversight-shop.ts";

beforeAll(useDemoMode);
beforeEach(resetDatabase);

const TODAY = nyDay(NOW); // 2026-03-15
const cents = (amount: string | number) => Math.round(Number(amount) * 100);

/** Per day: [SKUs counted, in stock, A counted, A in stock]. */
function dayCounts(day: string) {
  let count = 0, inStock = 0, countA = 0, inStockA = 0;
  for (const item of SKUS) {
    if (!countedOn(item, day)) continue;
    const isA = item.abcClass === "A";
    const held = heldAt(item, day) > 0;
    count++;
    if (held) inStock++;
    if (isA) countA++;
    if (isA && held) inStockA++;
  }
  return { count, inStock, countA, inStockA };
}

function expectedRate(days: number, a: boolean) {
  let num = 0, den = 0;
  for (let i = 0; i < days; i++) {
    const c = dayCounts(addDay(TODAY, -i));
    num += a ? c.inStockA : c.inStock;
    den += a ? c.countA : c.count;
  }
  return den === 0 ? null : num / den;
}

describe("dashboard figures from the daily snapshots", () => {
  it("in-stock rates for 7/30/90 days (all and A-class) and the trend, backfilled from the ledger", async () => {
    const { shop } = await seedOversightShop();
    await recordNightlySnapshots(shop.id, NOW);
    const view = await loadDashboard(shop.id, NOW);

    expect(view.today).toBe(TODAY);
    for (const days of [7, 30, 90]) {
      const rate = view.rates.find((r) => r.days === days)!;
      expect(rate.all).toBeCloseTo(expectedRate(days, false)!, 10);
      expect(rate.classA).toBeCloseTo(expectedRate(days, true)!, 10);
    }
    // Spot checks on the hand-worked days: A sold out on the 9th (New York), B out 1–11 March.
    expect(dayCounts("2026-03-09")).toEqual({ count: 6, inStock: 3, countA: 2, inStockA: 0 });
    expect(view.rates[0]!.all).toBeCloseTo((3 + 3 + 3 + 4 + 4 + 4 + 4) / (7 * 6), 10); // 9–15 March
    // The trend: one point per day since the first day the shop had SKUs, today last.
    expect(view.trend.at(-1)!.day).toBe(TODAY);
    expect(view.trend[0]!.day).toBe(nyDay(SKUS[0]!.createdAt));
    for (const point of view.trend) {
      const c = dayCounts(point.day);
      expect(point.all).toBeCloseTo(c.inStock / c.count, 10);
    }
  });

  it("stock-outs in progress with lost revenue per day, stock value and days of supply", async () => {
    const { shop } = await seedOversightShop();
    const view = await loadDashboard(shop.id, NOW);

    const out = SKUS.filter((s) => countedOn(s, TODAY) && heldAt(s, TODAY) === 0);
    expect(out.map((s) => s.code)).toEqual(["A", "D"]);
    expect(view.outOfStockSkuCount).toBe(out.length);
    expect(view.outOfStockSkuCountA).toBe(out.filter((s) => s.abcClass === "A").length);
    const lost = out.reduce((sum, s) => sum + (s.forecast[0] + s.forecast[1]) * Number(s.price), 0);
    expect(view.lostRevenuePerDay).toBe(cents(lost)); // 2 × 10.00 + 0.1 × 20.00 = 22.00
    expect(view.lostRevenuePerDay).toBe(2200);

    const value = SKUS.reduce((sum, s) => sum + (s.cost === null ? 0 : heldAt(s, TODAY) * Number(s.cost)), 0);
    const consumption = SKUS.reduce((sum, s) => sum + (s.cost === null ? 0 : (s.forecast[0] + s.forecast[1]) * Number(s.cost)), 0);
    expect(view.valueOnHandAtCost).toBe(cents(value)); // B 8 × 1 + C 4 × 3 + G 3 × 1.5 = 24.50
    expect(view.unitsOnHand).toBe(SKUS.reduce((sum, s) => sum + heldAt(s, TODAY), 0));
    expect(view.skusOnHandWithoutCost).toBe(1);
    expect(view.daysOfSupply).toBe(Math.round((value / consumption) * 100) / 100); // 24.5 / 6.1
    expect(view.daysOfSupply).toBe(4.02);

    // Overstock (the report's definition): with no sales recorded, every SKU holding stock is dead stock,
    // all of it excess at cost: B 8 × 1 + C 4 × 3 + F 6 × (no cost: 0) + G 3 × 1.5 = 24.50.
    const held = SKUS.filter((s) => heldAt(s, TODAY) > 0);
    const excess = held.reduce((sum, s) => sum + heldAt(s, TODAY) * Number(s.cost ?? 0), 0);
    expect(view.overstock).toMatchObject({ skuCount: held.length, excessValueCents: cents(excess), carryingCostPerMonthCents: Math.round((excess * 0.25 * 100) / 12) });
    expect(view.overstock).toMatchObject({ skuCount: 4, excessValueCents: 2450 });
  });

  it("overstock from the 90-day sales rate: excess beyond 90 days of it (60 for seasonal), at cost", async () => {
    const { shop, locations, skuIds } = await seedOversightShop();
    const demand = (code: string, day: string, units: number) =>
      prisma.dailyDemand.create({ data: { shopId: shop.id, skuId: skuIds.get(code)!, locationId: locations[0]!.id, day: new Date(`${day}T00:00:00Z`), units } });
    // B: 30 units since 15 Jan (59 days before today, under 90): 30/59 a day covers 8 units for 15.7 days.
    await demand("B", "2026-01-15", 20);
    await demand("B", "2026-03-01", 10);
    // C (seasonal, 60 days): 1 unit 29 days ago → 1/29 a day; 4 held, 60 × 1/29 = 2.07 covered → 2 excess × 3.
    await demand("C", "2026-02-14", 1);
    // G: a sale today does not count yet (the rate is of the days before today): still dead stock.
    await demand("G", TODAY, 1);
    const view = await loadDashboard(shop.id, NOW);
    const excess = Math.ceil(4 - (1 / 29) * 60) * 3 + 6 * 0 + 3 * 1.5; // C + F (no cost) + G
    expect(excess).toBe(10.5);
    expect(view.overstock).toMatchObject({ skuCount: 3, excessValueCents: cents(excess), carryingCostPerMonthCents: Math.round((excess * 0.25 * 100) / 12) });
    const report = await loadOverstockReport(shop.id, TODAY);
    expect(report.rows.map((r) => r.code).sort()).toEqual(["C", "F", "G"]);
    expect(cents(report.totals.excessValue)).toBe(view.overstock.excessValueCents);
  });

  it("open POs by state and value, and spend this month vs last (shop calendar)", async () => {
    const { shop } = await seedOversightShop();
    const view = await loadDashboard(shop.id, NOW);

    const open = POS.filter((p) => ["DRAFT", "AWAITING_APPROVAL", "SENT", "ACKNOWLEDGED", "COUNTERED", "CONFIRMED", "SHIPPED", "ARRIVING", "PARTIALLY_RECEIVED"].includes(p.status));
    expect(view.openPurchaseOrders.count).toBe(open.length);
    for (const row of view.openPurchaseOrders.byStatus) {
      const mine = open.filter((p) => p.status === row.status);
      expect(row.count).toBe(mine.length);
      expect(row.totals).toEqual([...new Set(mine.map((p) => p.currency))].sort().map((currency) => ({ currency, total: mine.filter((p) => p.currency === currency).reduce((s, p) => s + cents(p.total), 0) })));
    }
    expect(view.openPurchaseOrders.byStatus.map((r) => r.status)).toEqual(["DRAFT", "SENT", "CONFIRMED", "SHIPPED"]);

    const month = TODAY.slice(0, 7);
    const spend = (m: string) => {
      const placed = POS.filter((p) => p.sentAt && p.status !== "CANCELLED" && nyDay(p.sentAt).slice(0, 7) === m && nyDay(p.sentAt) <= TODAY);
      return [...new Set(placed.map((p) => p.currency))].sort().map((currency) => ({ currency, total: placed.filter((p) => p.currency === currency).reduce((s, p) => s + cents(p.total), 0) }));
    };
    expect(view.spendThisMonth).toEqual(spend(month)); // PO-2 USD 100, PO-3 EUR 50
    expect(view.spendThisMonth).toEqual([{ currency: "EUR", total: 5000 }, { currency: "USD", total: 10000 }]);
    expect(view.spendLastMonth).toEqual(spend("2026-02")); // PO-4 (28 Feb in New York) 70 + PO-5 200
    expect(view.spendLastMonth).toEqual([{ currency: "USD", total: 27000 }]);
  });

  it("review queue, channel sync health and back-in-stock demand", async () => {
    const { shop } = await seedOversightShop();
    const view = await loadDashboard(shop.id, NOW);

    expect(view.openReviewItemCount).toBe(REVIEWS.filter((r) => r.status === "OPEN").length);
    expect(view.reviewByKind).toEqual({ LATE_SHIPMENT: 1, CHANNEL_ERROR: 2 });
    expect(view.channels).toEqual([
      { channel: "SHOPIFY", status: "CONNECTED", lastOrderSyncAt: "2026-03-15T14:45:00.000Z", lastStockSyncAt: "2026-03-15T14:30:00.000Z", lastError: null, mappedListings: 3, driftCount: 1, awaitingInstall: false },
      { channel: "AMAZON", status: "ERROR", lastOrderSyncAt: "2026-03-14T10:00:00.000Z", lastStockSyncAt: null, lastError: "token expired", mappedListings: 2, driftCount: 1, awaitingInstall: false },
    ]);
    expect(view.backInStock).toEqual({ waitingSubscribers: 3, waitingSkus: 2 });
  });

  it("reads the snapshot, not live data: a change shows after the next refresh", async () => {
    const { shop } = await seedOversightShop();
    const first = await loadDashboard(shop.id, NOW);
    await prisma.reviewItem.create({ data: { shopId: shop.id, kind: "LATE_SHIPMENT", subjectType: "PURCHASE_ORDER", subjectId: "new", reason: "late", dedupeKey: "new" } });
    expect((await loadDashboard(shop.id, NOW)).openReviewItemCount).toBe(first.openReviewItemCount);
    await recordSnapshots(shop.id, { now: NOW });
    expect((await loadDashboard(shop.id, NOW)).openReviewItemCount).toBe(first.openReviewItemCount + 1);
  });

  it("replays the history when a full plan lands after it (a new shop's first run brings its A-class)", async () => {
    const { shop } = await seedOversightShop();
    const runs = await prisma.reorderRun.findMany({ where: { shopId: shop.id } });
    // History written before any plan existed: no A-class on any day.
    await prisma.reorderRun.updateMany({ where: { shopId: shop.id }, data: { status: "FAILED" } });
    await recordNightlySnapshots(shop.id, NOW);
    expect((await loadDashboard(shop.id, NOW)).rates.map((r) => r.classA)).toEqual([null, null, null]);

    // The first plan completes; the next sweep replays the 90 days with its classes.
    await prisma.reorderRun.updateMany({ where: { id: { in: runs.map((r) => r.id) } }, data: { status: "COMPLETED", finishedAt: new Date(NOW.getTime() + 60_000) } });
    await refreshOversight(shop.id, new Date(NOW.getTime() + 5 * 60_000));
    const view = await loadDashboard(shop.id, NOW);
    for (const days of [7, 30, 90]) expect(view.rates.find((r) => r.days === days)!.classA).toBeCloseTo(expectedRate(days, true)!, 10);
    // Nothing new since: the next sweep only refreshes today (yesterday's row keeps its time).
    const yesterday = await prisma.shopDailySnapshot.findFirstOrThrow({ where: { shopId: shop.id, day: new Date("2026-03-14") } });
    await refreshOversight(shop.id, new Date(NOW.getTime() + 20 * 60_000));
    expect((await prisma.shopDailySnapshot.findFirstOrThrow({ where: { id: yesterday.id } })).metrics).toEqual(yesterday.metrics);
  });

  it("the page's loader serves the same figures", async () => {
    await seedOversightShop({ domain: DEMO_DOMAIN, isDemo: true });
    const { figures } = await callLoader(loader, "/app");
    expect(figures.skuCount).toBe(SKUS.length);
    expect(figures.rates.map((r) => r.days)).toEqual([7, 30, 90]);
    expect(figures.openPurchaseOrders.count).toBe(4);
  });
});
