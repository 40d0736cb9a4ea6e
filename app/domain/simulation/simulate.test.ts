import { describe, expect, it } from "vitest";
import { DEFAULT_SCENARIO, parseScenario, type Scenario } from "./scenario.ts";
import { simulateReplenishment, type ReplenishmentPolicy, type SimulationSku, type SimulationSupplier } from "./simulate.ts";
import { createEnginePolicy } from "./policies.ts";

const supplier: SimulationSupplier = { supplierId: "S", lowDays: 3, highDays: 3, lateProbability: 0, configuredDays: 3 };
const scenario: Scenario = { ...DEFAULT_SCENARIO, warmupDays: 30 };

function sku(demand: number[], metricClass: "A" | "C" = "A"): SimulationSku {
  return { skuId: "X", demand: Float64Array.from(demand), unitCost: 2, sellPrice: 4, supplierIndex: 0, metricClass };
}

const never = (start: number): ReplenishmentPolicy => ({
  name: "never",
  initialStock: (v) => new Float64Array(v.skus.length).fill(start),
  orders: (v) => new Float64Array(v.skus.length),
});

describe("simulateReplenishment", () => {
  it("a policy that never orders stocks out, and the in-stock metric counts days that start with stock", () => {
    // 30 warm-up days, then 10 simulated days of 1 unit/day with 4 units of start stock.
    const demand = [...Array.from({ length: 30 }, () => 1), ...Array.from({ length: 10 }, () => 1)];
    const r = simulateReplenishment([sku(demand)], [supplier], scenario, never(4));
    expect(r.inStock).toBe(0.4); // days 1-4 start with stock, days 5-10 do not
    expect(r.inStockA).toBe(0.4);
    expect(r.stockoutsA).toBe(1);
    expect(r.fillRate).toBe(0.4);
    expect(r.lostUnits).toBe(6);
    expect(r.purchaseOrders).toBe(0);
    expect(r.daysOfSupply).toBeCloseTo((4 + 3 + 2 + 1) / 10 / 1, 12); // mean start-of-day stock / daily demand
    expect(r.inStockByDay).toEqual([1, 1, 1, 1, 0, 0, 0, 0, 0, 0]);
  });

  it("backorders unmet demand and serves it from the next receipt", () => {
    const demand = [...Array.from({ length: 30 }, () => 1), 5, 0, 0, 0, 0, 0];
    const orderOnce: ReplenishmentPolicy = {
      name: "once",
      initialStock: () => Float64Array.of(2),
      orders: (v) => Float64Array.of(v.day === 30 ? 10 : 0),
    };
    const r = simulateReplenishment([sku(demand)], [supplier], { ...scenario, unmetDemand: "backorder" }, orderOnce);
    expect(r.backorderedUnits).toBe(3);
    expect(r.fillRate).toBe(1); // the 3 backordered units ship when the PO lands on day 33
    expect(r.purchaseOrders).toBe(1);
    expect(r.inStockByDay).toEqual([1, 0, 0, 1, 1, 1]);
  });

  it("repeats exactly for a seed, and the engine's default policy keeps a steady seller in stock", () => {
    const demand = Array.from({ length: 200 }, (_, i) => (i % 7 === 5 ? 0 : 10));
    const sup = { ...supplier, lowDays: 5, highDays: 9, configuredDays: 7 };
    const run = () => simulateReplenishment([sku(demand)], [sup], { ...scenario, warmupDays: 90 }, createEnginePolicy("default", {}, {}, { firstDay: "2024-01-01", leadTimeHistory: 60 }));
    const a = run();
    expect(a).toEqual(run());
    expect(a.inStock).toBe(1);
    expect(a.purchaseOrders).toBeGreaterThan(50);
  });
});

describe("parseScenario", () => {
  it("merges over the defaults and reports bad fields", () => {
    const ok = parseScenario({ seed: 7, leadTimeScale: 1.5, unmetDemand: "backorder" });
    expect(ok.ok && ok.value.seed === 7 && ok.value.skuCount === 500 && ok.value.unmetDemand === "backorder").toBe(true);
    const bad = parseScenario({ seed: -1, unmetDemand: "maybe", colour: "red" });
    expect(bad).toEqual({ ok: false, errors: ["seed: must be an integer ≥ 0", 'unmetDemand: must be "lost" or "backorder"', "colour: unknown field"] });
  });
});
