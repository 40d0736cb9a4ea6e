import { describe, expect, it } from "vitest";
import { abcVelocity, movementOf } from "./abc-velocity.ts";
import { drawSample } from "./audit-sample.ts";
import { forecastAccuracy } from "./forecast-accuracy.ts";
import { percentile, scorecard } from "./supplier-scorecard.ts";

describe("ABC/velocity", () => {
  it("classes by revenue (20% A, next 30% B), with shares, rates and pace", () => {
    const skus = Array.from({ length: 10 }, (_, i) => ({ skuId: `s${i}`, code: `S${i}`, title: "", revenue365: (10 - i) * 100, units365: 0, units90: 90, units30: i === 0 ? 60 : i === 1 ? 10 : 30 }));
    const { rows, byClass } = abcVelocity(skus);
    expect(rows.map((r) => r.abcClass).join("")).toBe("AABBBCCCCC");
    expect(rows[0]).toMatchObject({ rank: 1, revenueShare: 1000 / 5500, rate30: 2, rate90: 1, movement: "rising" });
    expect(rows[1]!.movement).toBe("falling");
    expect(rows[2]!.movement).toBe("steady");
    expect(rows[9]!.cumulativeShare).toBeCloseTo(1, 12);
    expect(byClass.A).toEqual({ skus: 2, revenue: 1900, share: 1900 / 5500 });
    expect([movementOf(0, 1), movementOf(0, 0), movementOf(1, 0)]).toEqual(["stopped", "none", "rising"]);
  });
});

describe("supplier scorecard", () => {
  it("scores on-time, lead time (mean, p85), fill and defect rates and price changes", () => {
    const card = scorecard({
      supplierId: "s", name: "S", quotedDays: 10,
      purchaseOrders: [
        { sentDay: 0, expectedDay: 10, receivedDay: 8, ordered: 100, received: 100, damaged: 0 },
        { sentDay: 20, expectedDay: null, receivedDay: 31, ordered: 50, received: 45, damaged: 5 }, // expected 30 (sent + quoted): late
        { sentDay: 40, expectedDay: 52, receivedDay: 52, ordered: 50, received: 50, damaged: 0 },
        { sentDay: 60, expectedDay: 70, receivedDay: null, ordered: 99, received: 0, damaged: 0 }, // open: not scored
      ],
      prices: [
        { skuCode: "A", day: 0, unitCost: 2 }, { skuCode: "A", day: 20, unitCost: 2 }, { skuCode: "A", day: 40, unitCost: 2.2 },
        { skuCode: "B", day: 0, unitCost: 5 }, { skuCode: "B", day: 40, unitCost: 4 },
      ],
    });
    expect(card).toMatchObject({ receivedPurchaseOrders: 3, onTimeRate: 2 / 3, averageLeadTime: 31 / 3, fillRate: 195 / 200, defectRate: 5 / 200 });
    // lead times 8, 11, 12: p85 at rank 1.7 → 11 + 0.7 × 1
    expect(card.p85LeadTime).toBeCloseTo(11.7, 12);
    expect(card.priceChanges.map((c) => [c.skuCode, c.day, c.from, c.to])).toEqual([["A", 40, 2, 2.2], ["B", 40, 5, 4]]);
    expect(card.averagePriceChange).toBeCloseTo((0.1 - 0.2) / 2, 12);
    expect(percentile([], 0.85)).toBeNull();
    expect(percentile([7], 0.85)).toBe(7);
  });
});

describe("audit sample", () => {
  it("draws up to n distinct ids, the same for the same seed whatever the input order", () => {
    const ids = Array.from({ length: 50 }, (_, i) => `po${i}`);
    const a = drawSample(ids, 20, 42);
    expect(new Set(a).size).toBe(20);
    expect(a.every((id) => ids.includes(id))).toBe(true);
    expect(drawSample([...ids].reverse(), 20, 42)).toEqual(a);
    expect(drawSample(ids, 20, 43)).not.toEqual(a);
    expect(drawSample(ids.slice(0, 5), 20, 1).sort()).toEqual(ids.slice(0, 5).sort());
  });

  it("gives every id the same chance", () => {
    const ids = Array.from({ length: 10 }, (_, i) => `p${i}`);
    const hits = new Map<string, number>();
    for (let seed = 1; seed <= 4000; seed++) for (const id of drawSample(ids, 2, seed)) hits.set(id, (hits.get(id) ?? 0) + 1);
    for (const id of ids) expect(Math.abs((hits.get(id) ?? 0) / 800 - 1)).toBeLessThan(0.12);
  });
});

describe("forecast accuracy", () => {
  it("computes weekly MAE, MASE against last week's sales, and bias, per SKU and pooled", () => {
    const r = forecastAccuracy([
      { skuId: "a", code: "A", weekStart: 7, forecast: 10, actual: 8, previousActual: 12 },
      { skuId: "a", code: "A", weekStart: 14, forecast: 10, actual: 14, previousActual: 8 },
      { skuId: "b", code: "B", weekStart: 7, forecast: 3, actual: 3, previousActual: 3 },
    ]);
    // A: errors +2, −4 → MAE 3; naive errors 4, 6 → MASE 6/10; bias −2/22
    expect(r.bySku[0]).toMatchObject({ code: "A", weeks: 2, mae: 3, mase: 0.6, meanError: -1, bias: -2 / 22 });
    // B: perfect, and so was naive: MASE undefined
    expect(r.bySku[1]).toMatchObject({ code: "B", mae: 0, mase: null, bias: 0 });
    expect(r.overall).toMatchObject({ weeks: 3, mae: 2, mase: 0.6, bias: -2 / 25, forecastUnits: 23, actualUnits: 25 });
    expect(r.byWeek.map((w) => [w.weekStart, w.mae])).toEqual([[7, 1], [14, 4]]);
  });
});
