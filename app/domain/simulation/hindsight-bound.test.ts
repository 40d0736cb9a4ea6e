import { describe, expect, it } from "vitest";
import { DEFAULT_SCENARIO, type Scenario } from "./scenario.ts";
import { simulateReplenishment, type ReplenishmentPolicy, type SimulationSku, type SimulationSupplier } from "./simulate.ts";
import { hindsightBound, replayFixedLevel } from "./hindsight-bound.ts";
import { createRng } from "../shared/random.ts";

/** The policy the bound describes: order up to a fixed level per SKU on every review. */
function fixedLevels(levels: Float64Array): ReplenishmentPolicy {
  return {
    name: "levels",
    initialStock: () => Float64Array.from(levels),
    orders(view) {
      const open = new Float64Array(view.skus.length);
      for (const o of view.openOrders) open[o.sku] = (open[o.sku] ?? 0) + o.quantity;
      return Float64Array.from(levels, (level, k) => Math.max(0, Math.ceil(level - ((view.onHand[k] ?? 0) + (open[k] ?? 0) - (view.backlog[k] ?? 0)))));
    },
  };
}

describe("hindsightBound", () => {
  it("one steady seller, lead time 3: the least level that never runs out is 3 (a day's sale plus the two in transit)", () => {
    const sku: SimulationSku = { skuId: "a", demand: new Float64Array(40).fill(1), unitCost: 2, sellPrice: 4, supplierIndex: 0, metricClass: "A" };
    const sup: SimulationSupplier = { supplierId: "S", lowDays: 3, highDays: 3, lateProbability: 0, configuredDays: 3 };
    const scenario: Scenario = { ...DEFAULT_SCENARIO, warmupDays: 10 };
    expect(replayFixedLevel(sku, sup, 0, scenario, 2).inStockDays).toBeLessThan(30);
    const bound = hindsightBound([sku], [sup], scenario, { inStock: 1, inStockA: 1 });
    expect(Array.from(bound.levels)).toEqual([3]);
    // start-of-day stock 3, 2, then 1 for the other 28 days, over 1 unit a day
    expect(bound.daysOfSupply).toBeCloseTo((3 + 2 + 28) / 30, 12);
    expect(bound.inStock).toBe(1);
  });

  for (const [label, extra] of [["lost sales, daily review", {}], ["backorders, review every 3 days", { unmetDemand: "backorder", reviewDays: 3 }]] as const) {
    it(`is a plan the simulator reproduces exactly (${label}), and meets the targets`, () => {
      const rng = createRng(11);
      const skus: SimulationSku[] = Array.from({ length: 12 }, (_, k) => ({
        skuId: `s${k}`,
        // lumpy demand: a few units most days, now and then a wholesale order
        demand: Float64Array.from({ length: 160 }, () => (rng.next() < 0.5 ? Math.floor(rng.next() * 4) : 0) + (rng.next() < 0.03 ? 20 + Math.floor(rng.next() * 40) : 0)),
        unitCost: 1 + k,
        sellPrice: 2 + 2 * k,
        supplierIndex: k % 2,
        metricClass: k < 3 ? "A" : k < 6 ? "B" : "C",
      }));
      const suppliers: SimulationSupplier[] = [
        { supplierId: "fast", lowDays: 3, highDays: 6, lateProbability: 0, configuredDays: 4 },
        { supplierId: "late", lowDays: 8, highDays: 14, lateProbability: 0.3, configuredDays: 11 },
      ];
      const scenario: Scenario = { ...DEFAULT_SCENARIO, warmupDays: 40, ...extra };
      const targets = { inStockA: 0.99, inStock: 0.95 };
      const bound = hindsightBound(skus, suppliers, scenario, targets);
      expect(bound.inStockA).toBeGreaterThanOrEqual(targets.inStockA);
      expect(bound.inStock).toBeGreaterThanOrEqual(targets.inStock);
      const replay = simulateReplenishment(skus, suppliers, scenario, fixedLevels(bound.levels));
      expect(replay.inStock).toBeCloseTo(bound.inStock, 12);
      expect(replay.inStockA).toBeCloseTo(bound.inStockA, 12);
      expect(replay.daysOfSupply).toBeCloseTo(bound.daysOfSupply, 12);
      // and it is not trivially generous: lower targets need less stock
      expect(hindsightBound(skus, suppliers, scenario, { inStockA: 0.9, inStock: 0.8 }).daysOfSupply).toBeLessThan(bound.daysOfSupply);
    });
  }

  it("rejects targets outside (0, 1]", () => {
    expect(() => hindsightBound([], [], DEFAULT_SCENARIO, { inStock: 1.2, inStockA: 0.9 })).toThrow(RangeError);
  });
});
