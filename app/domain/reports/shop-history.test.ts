import { describe, expect, it } from "vitest";
import { createPolicy } from "../simulation/policies.ts";
import { simulateReplenishment, type ReplenishmentPolicy } from "../simulation/simulate.ts";
import { actualOutcome, buildShopHistorySimulation, lateFactorOf, SHOP_HISTORY_FORMAT, supplierSpecFromLeadTimes, validateShopHistory, withProgress, type ShopHistory } from "./shop-history.ts";

function history(): ShopHistory {
  const days = 10;
  const flat = (x: number) => new Array<number>(days).fill(x);
  return {
    format: SHOP_HISTORY_FORMAT, shopDomain: "t.myshopify.com", currency: "GBP", firstDay: "2026-01-01", asOf: "2026-01-11", days,
    scenario: { seed: 1, warmupDays: 4, reviewDays: 1, holdingCostRate: 0.25, deadStockDays: 90, lateFactor: 1.6 },
    suppliers: [{ supplierId: "s1", name: "S1", quotedDays: 3, leadTimes: [4, 8, 3, 4, 5] }],
    skus: [
      // sells 2/day at £1 cost; stock runs out on days 6 and 7
      { skuId: "a", code: "A", unitCost: 1, sellPrice: 10, supplier: 0, dailyUnits: flat(2), orderLines: [[0, 2], [1, 2], [2, 2], [3, 2], [4, 2], [5, 2], [8, 2], [9, 2]], startStock: [8, 6, 4, 2, 6, 2, 0, 0, 4, 2] },
      // sells 1 on day 1 only, at £2 cost, stock 5 throughout
      { skuId: "b", code: "B", unitCost: 2, sellPrice: 4, supplier: 0, dailyUnits: [0, 1, 0, 0, 0, 0, 0, 0, 0, 0], orderLines: [[1, 1]], startStock: [6, 6, 5, 5, 5, 5, 5, 5, 5, 5] },
      // launched after the warm-up: left out
      { skuId: "c", code: "C", unitCost: 1, sellPrice: 2, supplier: 0, dailyUnits: [0, 0, 0, 0, 0, 0, 3, 0, 0, 0], orderLines: [[6, 3]], startStock: flat(3) },
    ],
    purchaseOrders: [{ day: 2, value: 100 }, { day: 5, value: 30 }, { day: 7, value: 50 }],
  };
}

describe("shop history → simulator", () => {
  it("fits a supplier's lead-time range and late share from what it delivered", () => {
    // median 4; 8 > 1.3 × 4 is late (1 of 5); the others span 3–5
    expect(supplierSpecFromLeadTimes([4, 8, 3, 4, 5], 9)).toEqual({ lowDays: 3, highDays: 5, lateProbability: 0.2 });
    expect(supplierSpecFromLeadTimes([], 9)).toEqual({ lowDays: 9, highDays: 9, lateProbability: 0 });
    expect(lateFactorOf([{ leadTimes: [4, 8, 3, 4, 5] }, { leadTimes: [10, 10, 15] }])).toBe(1.75); // median of 8/4 and 15/10
    expect(lateFactorOf([{ leadTimes: [5, 5] }])).toBe(1.6);
  });

  it("keeps SKUs that sold in the warm-up, classes them by revenue and runs only the default policy", () => {
    const sim = buildShopHistorySimulation(history());
    expect(sim.excluded).toBe(1);
    // two SKUs: the top 20 % rounds up to one A; the next 30 % ends at ceil(2 × 0.5) = 1, so B is C
    expect(sim.skus.map((s) => [s.skuId, s.metricClass, s.unitCost])).toEqual([["A", "A", 1], ["B", "C", 2]]);
    expect(Array.from(sim.skus[0]!.orderDay!)).toEqual([0, 1, 2, 3, 4, 5, 8, 9]);
    expect(sim.scenario).toMatchObject({ warmupDays: 4, unmetDemand: "lost", policies: ["default"], suppliers: [{ lowDays: 3, highDays: 5, lateProbability: 0.2 }] });
    expect(sim.suppliers[0]).toMatchObject({ supplierId: "SUP01", configuredDays: 4 });
  });

  it("measures what really happened over the days after the warm-up, the simulator's way", () => {
    const h = history();
    const a = actualOutcome(h, buildShopHistorySimulation(h));
    // days 4..9: A starts 6,2,0,0,4,2 → 4 of 6 in stock, one stock-out event; B always in stock
    expect(a).toMatchObject({ skuDays: 12, stockoutDays: 2, inStock: 10 / 12, inStockA: 4 / 6, stockoutsA: 1, purchaseOrders: 2, averagePurchaseOrderValue: 40 });
    // inventory at cost: A 14 × £1 + B 30 × £2 = 74 over 6 days; demand at cost: A 12 × £1
    expect(a.daysOfSupply).toBeCloseTo(74 / 12, 12);
    expect(a.averageInventoryValue).toBeCloseTo(74 / 6, 12);
  });

  it("reports progress without changing a single figure", () => {
    const h = history();
    const sim = buildShopHistorySimulation(h);
    const plain = simulateReplenishment(sim.skus, sim.suppliers, sim.scenario, createPolicy("default", { firstDay: h.firstDay, leadTimeHistory: 60 }));
    const seen: number[] = [];
    const inner: ReplenishmentPolicy = createPolicy("default", { firstDay: h.firstDay, leadTimeHistory: 60 });
    const tracked = simulateReplenishment(sim.skus, sim.suppliers, sim.scenario, withProgress(inner, 4, h.days, (f) => seen.push(f)));
    expect(tracked).toEqual(plain);
    expect(seen.at(-1)).toBe(1);
    expect(seen.length).toBe(5); // review days 4..8 (the last day is not reviewed)
    expect([...seen].sort((x, y) => x - y)).toEqual(seen);
  });

  it("rejects a file that is not a shop history, saying what is wrong", () => {
    expect(validateShopHistory({ format: "x" })).toEqual({ ok: false, errors: expect.arrayContaining(['format: must be "replenish-shop-history/1"', "days: must be a positive integer"]) });
    const bad = { ...history(), skus: [{ ...history().skus[0]!, startStock: [1] }] };
    expect(validateShopHistory(bad)).toEqual({ ok: false, errors: ["skus[0].startStock: must have 10 days"] });
    expect(validateShopHistory(history()).ok).toBe(true);
  });
});
