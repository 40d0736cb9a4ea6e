import { describe, expect, it } from "vitest";
import { analyseOverstock, DEFAULT_ELASTICITY, estimateElasticity, markdownFor, measureOverstock, overstockOnDay, overstockRateWindow, type OverstockSkuInput } from "./overstock.ts";

const settings = { overstockDays: 90, overstockDaysSeasonal: 60, deadStockDays: 90, carryingCostPctYear: 0.24 };

function sku(over: Partial<OverstockSkuInput>): OverstockSkuInput {
  return {
    skuId: "s", code: "S", title: "S", seasonal: false, onHand: 0, unitCost: 2, price: 5, recentUnits: 0, rateWindowDays: 90,
    daysSinceLastSale: 1, weeks: [], recentlyReceived: 0, supplierName: null, bundlePartner: null, ...over,
  };
}

describe("elasticity from the SKU's own weeks", () => {
  it("recovers the slope of a constant-elasticity history", () => {
    const prices = [4, 4.2, 4.5, 4.8, 5, 5.2, 5.5, 6, 6.5, 7];
    const weeks = prices.map((p) => {
      const units = 1000 * p ** -1.5;
      return { units, revenue: units * p };
    });
    const e = estimateElasticity(weeks);
    expect(e.source).toBe("own-history");
    expect(e.value).toBeCloseTo(-1.5, 10);
    expect(e.weeks).toBe(10);
  });

  it("falls back to the default with too few weeks, flat prices or a rising curve", () => {
    expect(estimateElasticity([{ units: 3, revenue: 15 }])).toEqual({ value: DEFAULT_ELASTICITY, source: "default", weeks: 1 });
    const flat = Array.from({ length: 10 }, (_, i) => ({ units: 1 + i, revenue: (1 + i) * 5 }));
    expect(estimateElasticity(flat).source).toBe("default");
    const rising = [4, 5, 6, 7, 8, 9, 10, 11].map((p) => ({ units: p, revenue: p * p }));
    expect(estimateElasticity(rising).source).toBe("default");
  });

  it("bounds a steep slope to −4", () => {
    const weeks = [4, 4.4, 4.8, 5.2, 5.6, 6, 6.4, 6.8].map((p) => ({ units: 1e6 * p ** -9, revenue: 1e6 * p ** -8 }));
    expect(estimateElasticity(weeks).value).toBe(-4);
  });
});

describe("markdown", () => {
  it("cuts the price so the rate doubles when the stock is twice the target's cover", () => {
    // 180 units, 1/day, 90 days: the rate must double; with ε = −2 the price multiple is 2^(−1/2)
    const m = markdownFor(180, 90, 1, 10, 4, { value: -2, source: "default", weeks: 0 })!;
    expect(m.cut).toBeCloseTo(1 - Math.SQRT1_2, 12);
    expect(m.newPrice).toBe(7.07);
    expect(m).toMatchObject({ requiredRate: 2, currentRate: 1, capped: false, belowCost: false });
  });

  it("caps the cut at 50% and flags a price below cost", () => {
    const m = markdownFor(900, 90, 1, 10, 6, { value: -1, source: "default", weeks: 0 })!;
    expect(m).toMatchObject({ cut: 0.5, newPrice: 5, capped: true, belowCost: true });
    expect(markdownFor(50, 90, 1, 10, 6, { value: -2, source: "default", weeks: 0 })).toBeNull();
    expect(markdownFor(50, 90, 0, 10, 6, { value: -2, source: "default", weeks: 0 })).toBeNull();
  });
});

describe("analyseOverstock", () => {
  it("finds stock beyond the threshold (60 days when seasonal), prices the excess and its carrying cost, and names dead stock", () => {
    const rows = analyseOverstock(
      [
        // 1/day, 150 on hand: 150 days > 90; excess 60 units at £2 = £120; carrying £120 × 24% / 12 = £2.40
        sku({ skuId: "a", code: "A", onHand: 150, recentUnits: 90, recentlyReceived: 40, supplierName: "Acme", bundlePartner: "B Mug" }),
        // seasonal, 1/day, 80 on hand: 80 > 60 → excess 20
        sku({ skuId: "b", code: "B", onHand: 80, recentUnits: 90, seasonal: true }),
        // 80 days of supply, not seasonal: fine
        sku({ skuId: "c", code: "C", onHand: 80, recentUnits: 90 }),
        // no sale for 120 days: dead, all of it excess
        sku({ skuId: "d", code: "D", onHand: 10, recentUnits: 0, daysSinceLastSale: 120, unitCost: 3 }),
        // never sold
        sku({ skuId: "e", code: "E", onHand: 4, recentUnits: 0, daysSinceLastSale: null, unitCost: 1 }),
        // no stock: never listed
        sku({ skuId: "f", code: "F", onHand: 0, recentUnits: 0, daysSinceLastSale: null }),
      ],
      settings,
    );
    expect(rows.map((r) => [r.code, r.excessUnits, r.excessValue, r.dead])).toEqual([["A", 60, 120, false], ["D", 10, 30, true], ["B", 20, 40, false], ["E", 4, 4, true]].sort((x, y) => (y[2] as number) - (x[2] as number)));
    const a = rows.find((r) => r.code === "A")!;
    expect(a.carryingCostPerMonth).toBeCloseTo(2.4, 12);
    expect(a.daysOfSupply).toBe(150);
    expect(a.thresholdDays).toBe(90);
    // 150 units within 90 days = 1.667/day from 1/day under ε = −2
    expect(a.markdown!.cut).toBeCloseTo(1 - (150 / 90) ** -0.5, 12);
    expect(a.actions.map((x) => x.kind)).toEqual(["markdown", "promote", "bundle", "return"]);
    expect(a.actions[3]!.text).toBe("Return up to 40 units to Acme (received 40 in the last 90 days)");
    expect(rows.find((r) => r.code === "B")!.thresholdDays).toBe(60);
    const d = rows.find((r) => r.code === "D")!;
    expect(d.markdown).toBeNull();
    expect(d.daysOfSupply).toBe(Infinity);
  });
});

describe("the one overstock definition", () => {
  it("measures excess, capital and carrying cost against 90 days (60 seasonal) of the sales rate", () => {
    expect(measureOverstock({ onHand: 100, dailyRate: 1, seasonal: false, unitCost: 2, daysSinceLastSale: 3 }, settings)).toEqual({
      thresholdDays: 90, daysOfSupply: 100, dead: false, excessUnits: 10, excessValue: 20, carryingCostPerMonth: (20 * 0.24) / 12,
    });
    expect(measureOverstock({ onHand: 90, dailyRate: 1, seasonal: false, unitCost: 2, daysSinceLastSale: 3 }, settings)).toBeNull();
    expect(measureOverstock({ onHand: 61, dailyRate: 1, seasonal: true, unitCost: 2, daysSinceLastSale: 3 }, settings)?.excessUnits).toBe(1);
    expect(measureOverstock({ onHand: 5, dailyRate: 0, seasonal: false, unitCost: 2, daysSinceLastSale: null }, settings)).toMatchObject({ dead: true, excessUnits: 5, excessValue: 10 });
    expect(overstockRateWindow(null)).toBe(1);
    expect(overstockRateWindow(30)).toBe(30);
    expect(overstockRateWindow(400)).toBe(90);
  });

  it("replays the definition on any day from a SKU's selling days", () => {
    const series = [
      { skuId: "a", seasonal: false, unitCost: 1, firstSaleDay: 10, saleDays: [10, 50, 120], saleUnits: [9, 9, 100], sold: [true, true, true] },
      { skuId: "b", seasonal: false, unitCost: 3, firstSaleDay: null, saleDays: [], saleUnits: [], sold: [] },
    ];
    const held = new Map([["a", 100], ["b", 2]]);
    // Day 100: a sold 18 units over the 90 days since its first sale → 0.2/day, 18 covered, 82 excess; b dead.
    expect(overstockOnDay(series, held, 100, settings)).toEqual({ skus: 2, dead: 1, excessValue: 82 + 6, carryingCostPerMonth: ((82 + 6) * 0.24) / 12 });
    // Day 121: the 100 units of day 120 count → 109/90 a day covers 109 → a is no longer over.
    expect(overstockOnDay(series, held, 121, settings)).toMatchObject({ skus: 1, excessValue: 6 });
  });
});
