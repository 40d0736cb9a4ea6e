import { describe, expect, it } from "vitest";
import { computeSafetyStock } from "./safety-stock.ts";
import { computeReorderPoint, computeStockPosition, computeTargetStock } from "./reorder-point.ts";
import { computeOrderQuantity } from "./order-quantity.ts";
import { computeDaysLeft } from "./days-left.ts";
import { classifyAbc } from "./abc.ts";
import { computeLeadTimeDemand } from "./lead-time-demand.ts";
import { formatCents, toPriceUnits } from "../shared/money.ts";

const base = { repoAdditionalDays: 0, roundingOne: null, roundingTwo: null, moq: 0, casePack: 1, priceBreaks: [], holdingCostRate: 0.25 };

describe("the published worked example", () => {
  it("18/day, peak 32, LT p85 20 avg 17 → SS 238, ROP 598, target 958, order 546, $1,867.32", () => {
    const ss = computeSafetyStock({ method: "simple", serviceLevel: 0.95, dailyDemand: 18, dailyStdDev: 0, peakDailyDemand: 32, leadTimeDays: 17, leadTimeStdDevDays: 0 });
    expect(ss.units).toBe(238);
    const rop = computeReorderPoint({ dailyForecast: 18, leadTimeDays: 20, safetyStock: ss.units });
    expect(rop.reorderPoint).toBe(598);
    const target = computeTargetStock({ reorderPoint: rop.reorderPoint, dailyForecast: 18, cycleDays: 20, minDays: 7, maxDays: 120 });
    expect(target.target).toBe(958);
    const pos = computeStockPosition({ onHand: 412, openPurchaseOrderQuantity: 0, kitSupply: 0, committed: 0, backordered: 0 });
    const q = computeOrderQuantity({ ...base, target: target.target, position: pos.position, dailyForecast: 18, unitPrice: toPriceUnits(3.42) });
    expect(q.quantity).toBe(546);
    expect(q.lineTotal).toBe(186732);
    expect(formatCents(q.lineTotal)).toBe("$1,867.32");
  });
});

describe("computeSafetyStock", () => {
  it("service-level method combines demand and lead-time variance", () => {
    const ss = computeSafetyStock({ method: "service-level", serviceLevel: 0.95, dailyDemand: 10, dailyStdDev: 4, peakDailyDemand: 0, leadTimeDays: 16, leadTimeStdDevDays: 3 });
    expect(ss.units).toBeCloseTo(1.6448536 * Math.sqrt(16 * 16 + 100 * 9), 4);
    const s2 = computeSafetyStock({ method: "sigma-sqrt-l", serviceLevel: 0.95, dailyDemand: 10, dailyStdDev: 4, peakDailyDemand: 0, leadTimeDays: 16, leadTimeStdDevDays: 3 });
    expect(s2.units).toBeCloseTo(1.6448536 * 4 * 4, 4);
  });
});

describe("computeTargetStock bounds", () => {
  it("lifts to min_days and caps at max_days", () => {
    expect(computeTargetStock({ reorderPoint: 10, dailyForecast: 2, cycleDays: 1, minDays: 14, maxDays: 120 })).toMatchObject({ target: 28, bound: "min_days" });
    expect(computeTargetStock({ reorderPoint: 100, dailyForecast: 2, cycleDays: 30, minDays: 7, maxDays: 60 })).toMatchObject({ target: 120, bound: "max_days" });
  });
});

describe("computeOrderQuantity", () => {
  it("applies rounding_one, rounding_two, MOQ and case pack in order", () => {
    const r1 = computeOrderQuantity({ ...base, target: 100, position: 33, dailyForecast: 5, roundingOne: 50, unitPrice: 10000 });
    expect(r1.quantity).toBe(70);
    const r2 = computeOrderQuantity({ ...base, target: 500, position: 280, dailyForecast: 5, roundingOne: 50, roundingTwo: 200, unitPrice: 10000 });
    expect(r2.quantity).toBe(300);
    const m = computeOrderQuantity({ ...base, target: 20, position: 10, dailyForecast: 5, moq: 24, casePack: 10, unitPrice: 10000 });
    expect(m.steps.map((s) => s.step)).toEqual(["raw", "moq", "case_pack"]);
    expect(m.quantity).toBe(30);
    const extra = computeOrderQuantity({ ...base, target: 20, position: 10, dailyForecast: 5, repoAdditionalDays: 3, unitPrice: 10000 });
    expect(extra.quantity).toBe(25);
  });

  it("takes a higher price break only when cheaper including holding cost", () => {
    const breaks = [{ minQuantity: 120, unitPrice: toPriceUnits(0.9) }, { minQuantity: 5000, unitPrice: toPriceUnits(0.8) }];
    const q = computeOrderQuantity({ ...base, target: 200, position: 100, dailyForecast: 10, unitPrice: toPriceUnits(1), priceBreaks: breaks });
    expect(q.quantity).toBe(120);
    expect(q.unitPrice).toBe(9000);
    expect(q.lineTotal).toBe(10800);
  });
});

describe("days left, ABC and lead-time demand", () => {
  it("computes days left and the stock-out date", () => {
    expect(computeDaysLeft(100, 10, "2024-03-01")).toEqual({ daysLeft: 10, stockOutDate: "2024-03-11" });
    // The date is asOf + days left rounded down, from the same rate.
    expect(computeDaysLeft(95, 10, "2024-03-01")).toEqual({ daysLeft: 9.5, stockOutDate: "2024-03-10" });
    // Dead stock: days left, but no date 100 billion days ahead.
    expect(computeDaysLeft(1e9, 0.01, "2024-03-01")).toEqual({ daysLeft: 1e11, stockOutDate: null });
    expect(computeDaysLeft(3650, 1, "2024-03-01").stockOutDate).toBe("2034-02-27");
    expect(computeDaysLeft(-3, 10, "2024-03-01")).toEqual({ daysLeft: 0, stockOutDate: "2024-03-01" });
    expect(computeDaysLeft(5, 0, "2024-03-01")).toEqual({ daysLeft: null, stockOutDate: null });
  });
  it("puts the top 20 % of SKUs by revenue in A", () => {
    const items = Array.from({ length: 10 }, (_, i) => ({ skuId: `S${i}`, revenue: i * 100 }));
    const c = classifyAbc(items);
    expect([c.get("S9"), c.get("S8"), c.get("S7"), c.get("S5"), c.get("S4")]).toEqual(["A", "A", "B", "B", "C"]);
  });
  it("takes the empirical quantile of lead-time demand from rolling windows", () => {
    const units = new Float64Array(100).fill(1);
    units[50] = 30;
    const r = computeLeadTimeDemand({ units, endIndex: 100, windowDays: 100, leadTimeSamples: [10], extraDays: 0, dailyForecast: 129 / 100, serviceLevel: 0.99 });
    expect(r.windows).toBe(91);
    expect(r.historyRate).toBe(1.29);
    expect(r.mean).toBeCloseTo(12.9, 10);
    expect(r.quantile).toBeCloseTo(39, 10); // any window holding the big day: 9 + 30
  });
});
