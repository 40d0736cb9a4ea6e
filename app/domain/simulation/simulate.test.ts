import { describe, expect, it } from "vitest";
import { DEFAULT_SCENARIO, parseScenario, scenarioFitsLog, type Scenario } from "./scenario.ts";
import { drawLeadTime, simulateReplenishment, type PolicyView, type ReplenishmentPolicy, type SimulationSku, type SimulationSupplier } from "./simulate.ts";
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

describe("simulateReplenishment against the issue's definitions (hand-computed)", () => {
  // Warm-up 30 days, review every 2 days, lead time exactly 2 days. SKU a (A, cost 1) sells 2 a day; SKU b
  // (C, cost 3) sells 0,1,0,1,0,1. The policy starts at [4, 1] and orders 2 of a on every review.
  const a: SimulationSku = { skuId: "a", demand: Float64Array.from([...Array(30).fill(2), 2, 2, 2, 2, 2, 2]), unitCost: 1, sellPrice: 2, supplierIndex: 0, metricClass: "A" };
  const b: SimulationSku = { skuId: "b", demand: Float64Array.from([...Array(30).fill(1), 0, 1, 0, 1, 0, 1]), unitCost: 3, sellPrice: 6, supplierIndex: 0, metricClass: "C" };
  const sup: SimulationSupplier = { supplierId: "S", lowDays: 2, highDays: 2, lateProbability: 0, configuredDays: 2 };
  const reviews: number[] = [];
  const receivedSeen: number[] = [];
  const policy: ReplenishmentPolicy = {
    name: "two",
    initialStock: () => Float64Array.of(4, 1),
    orders: (v: PolicyView) => {
      reviews.push(v.day);
      receivedSeen.push(v.received[0]?.length ?? 0);
      return Float64Array.of(2, 0);
    },
  };
  const r = simulateReplenishment([a, b], [sup], { ...DEFAULT_SCENARIO, warmupDays: 30, reviewDays: 2 }, policy);

  it("orders at the review cadence only, and a PO is known to the policy once it has arrived", () => {
    expect(reviews).toEqual([30, 32, 34]); // day 35 is the last day: nothing placed could arrive
    expect(receivedSeen).toEqual([0, 1, 2]); // POs of day 30 and 32 arrived on days 32 and 34
    expect(r.purchaseOrders).toBe(3);
    expect(r.averagePurchaseOrderValue).toBe(2);
  });

  it("in-stock counts SKU-days that start with stock, fill rate is units served over demanded, days of supply is at cost", () => {
    // a starts the days with 4,2,2,0,2,0 (arrivals on 32 and 34); b with 1,1,0,0,0,0.
    expect(r.inStock).toBe(6 / 12);
    expect(r.inStockA).toBe(4 / 6);
    expect(r.stockoutsA).toBe(2); // a runs out on days 33 and 35
    expect(r.fillRate).toBe(9 / 15); // a serves 8 of 12, b 1 of 3
    expect(r.lostUnits).toBe(6);
    // average inventory at cost (10·1 + 2·3)/6 over average demand at cost (12·1 + 3·3)/6
    expect(r.daysOfSupply).toBeCloseTo(16 / 21, 12);
    expect(r.inStockByDay).toEqual([1, 1, 0.5, 0, 0.5, 0]);
  });

  it("lead times are seeded per supplier and placement day, inside the supplier's range", () => {
    const s2: SimulationSupplier = { supplierId: "T", lowDays: 5, highDays: 15, lateProbability: 0, configuredDays: 10 };
    const sc = { ...DEFAULT_SCENARIO, seed: 9 };
    const draws = Array.from({ length: 200 }, (_, d) => drawLeadTime(s2, 3, d, sc));
    expect(draws).toEqual(Array.from({ length: 200 }, (_, d) => drawLeadTime(s2, 3, d, sc)));
    expect(Math.min(...draws)).toBe(5);
    expect(Math.max(...draws)).toBe(15);
    const scaled = Array.from({ length: 200 }, (_, d) => drawLeadTime(s2, 3, d, { ...sc, leadTimeScale: 2 }));
    expect(Math.min(...scaled)).toBe(10);
    expect(Math.max(...scaled)).toBe(30);
  });

  it("replays order lines: with lost sales the shop records only what it served; with backorders every order", () => {
    const lines: SimulationSku = {
      skuId: "l", demand: Float64Array.from([...Array(30).fill(0), 8]), unitCost: 1, sellPrice: 2, supplierIndex: 0, metricClass: "A",
      orderDay: Int32Array.of(30, 30), orderQuantity: Float64Array.of(3, 5),
    };
    let seen: { days: number[]; qty: number[]; sales: number } | null = null;
    const spy = (): ReplenishmentPolicy => ({
      name: "spy",
      initialStock: () => Float64Array.of(4),
      orders: (v) => {
        const c = v.orderCount?.[0] ?? 0;
        seen = { days: [...(v.orderDay?.[0] ?? []).slice(0, c)], qty: [...(v.orderQuantity?.[0] ?? []).slice(0, c)], sales: v.sales[0]?.[30] ?? -1 };
        return Float64Array.of(0);
      },
    });
    const sc = { ...DEFAULT_SCENARIO, warmupDays: 30 };
    simulateReplenishment([{ ...lines, demand: Float64Array.from([...Array(30).fill(0), 8, 0]) }], [sup], sc, spy());
    expect(seen).toEqual({ days: [30, 30], qty: [3, 1], sales: 4 });
    simulateReplenishment([{ ...lines, demand: Float64Array.from([...Array(30).fill(0), 8, 0]) }], [sup], { ...sc, unmetDemand: "backorder" }, spy());
    expect(seen).toEqual({ days: [30, 30], qty: [3, 5], sales: 8 });
  });
});

describe("parseScenario", () => {
  it("merges over the defaults and reports bad fields", () => {
    const ok = parseScenario({ seed: 7, leadTimeScale: 1.5, unmetDemand: "backorder" });
    expect(ok.ok && ok.value.seed === 7 && ok.value.skuCount === 500 && ok.value.unmetDemand === "backorder").toBe(true);
    const bad = parseScenario({ seed: -1, unmetDemand: "maybe", colour: "red" });
    expect(bad).toEqual({ ok: false, errors: ["seed: must be an integer ≥ 0", 'unmetDemand: must be "lost" or "backorder"', "colour: unknown field"] });
  });

  it("rejects lead-time ranges that are upside down and shares above one", () => {
    const bad = parseScenario({ leadTime: { lowMin: 21, lowMax: 5, spreadMin: 9, spreadMax: 3, lateSupplierShare: 1.5, lateProbability: 2 } });
    expect(bad).toEqual({
      ok: false,
      errors: [
        "leadTime: lowMin (21) must not exceed lowMax (5)",
        "leadTime: spreadMin (9) must not exceed spreadMax (3)",
        "leadTime.lateSupplierShare: must be a share in [0, 1]",
        "leadTime.lateProbability: must be a probability in [0, 1]",
      ],
    });
    expect(parseScenario({ leadTime: { lowMin: 7, lowMax: 7, spreadMin: 0, spreadMax: 0, lateSupplierShare: 1, lateProbability: 1 } }).ok).toBe(true);
  });

  it("rejects a warm-up that leaves the order log fewer than 30 days to simulate", () => {
    expect(scenarioFitsLog({ ...DEFAULT_SCENARIO, warmupDays: 344 }, 374)).toEqual([]);
    expect(scenarioFitsLog({ ...DEFAULT_SCENARIO, warmupDays: 345 }, 374)).toEqual([
      "warmupDays: 345 leaves fewer than 30 days to simulate; the order log has 374 days, so use at most 344",
    ]);
  });
});
