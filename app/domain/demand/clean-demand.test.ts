import { describe, expect, it } from "vitest";
import { DEFAULT_SUPPLIER_PARAMETERS as P } from "../reorder/supplier-parameters.ts";
import { buildDemandHistory, cleanDemand, findOutlierOrders, measurePeriod } from "./clean-demand.ts";

describe("findOutlierOrders", () => {
  it("issue example: 20 units in 6 orders (one of 15) with count_limit 20 is not eligible", () => {
    const t = findOutlierOrders([15, 1, 1, 1, 1, 1], { ...P, countLimit: 20 });
    expect(t.totalUnits).toBe(20);
    expect(t.orderCount).toBe(6);
    expect(t.eligible).toBe(false);
    expect(t.excluded).toEqual([]);
    expect(t.reason).toBe("6 orders in the window, fewer than count_limit 20");
  });

  it("excludes the largest and second-largest when all five factors hold", () => {
    const orders = [...Array.from({ length: 28 }, () => 2), 300, 200];
    const t = findOutlierOrders(orders, P);
    expect(t.eligible).toBe(true);
    expect(t.excluded).toEqual([28, 29]);
    expect(t.excludedUnits).toBe(500);
  });

  it("keeps a large order that is not extreme against the average", () => {
    // 24 orders of 10 and one of 45: 45 > qty_limit and > 20 % of 285, but 45/11.4 < 5.
    const t = findOutlierOrders([...Array.from({ length: 24 }, () => 10), 45], P);
    expect(t.excluded).toEqual([]);
  });

  it("stops at the largest when it is not an outlier", () => {
    const t = findOutlierOrders([...Array.from({ length: 25 }, () => 1), 9, 8], P); // 9 ≤ qty_limit 10
    expect(t.excluded).toEqual([]);
  });

  it("needs sum_limit units before testing", () => {
    const t = findOutlierOrders(Array.from({ length: 20 }, () => 0.1), { ...P, sumLimit: 10 });
    expect(t.eligible).toBe(false);
  });
});

describe("measurePeriod", () => {
  it("issue example: days on market 14 + dom_factor 20 → the 4-week period is used, the 8-week one is not", () => {
    const units = new Float64Array(100);
    for (let i = 86; i < 100; i++) units[i] = 3;
    const h = { startDay: "2024-01-01", units };
    const ctx = { endIndex: 100, daysOnMarket: 14 };
    const four = measurePeriod(h, 4, ctx, { ...P, domFactor: 20 });
    const eight = measurePeriod(h, 8, ctx, { ...P, domFactor: 20 });
    expect(four.used).toBe(true);
    expect(four.dailyRate).toBe(1.5); // 42 units / 28 days
    expect(eight.used).toBe(false);
    expect(eight.skipReason).toBe("56 days > 14 days on market + dom_factor 20");
  });

  it("discounts out-of-stock days by the outage loss factor and skips mostly-out periods", () => {
    const units = new Float64Array(28).fill(2);
    const oos = new Uint8Array(28);
    for (let i = 0; i < 10; i++) {
      oos[i] = 1;
      units[i] = 0;
    }
    const m = measurePeriod({ startDay: "2024-01-01", units, outOfStock: oos }, 4, { endIndex: 28, daysOnMarket: null }, P);
    expect(m.adjustedOutOfStockDays).toBe(8); // 10 × (1 − 0.2)
    expect(m.dailyRate).toBe(36 / 20);
    expect(m.used).toBe(true);
    for (let i = 10; i < 20; i++) oos[i] = 1; // 20 days out → 16 adjusted > 50 % of 28
    const skipped = measurePeriod({ startDay: "2024-01-01", units, outOfStock: oos }, 4, { endIndex: 28, daysOnMarket: null }, P);
    expect(skipped.used).toBe(false);
  });
});

describe("buildDemandHistory and cleanDemand", () => {
  it("drops cancelled units, keeps returns as demand unless told otherwise", () => {
    const lines = [
      { day: "2024-01-01", quantity: 5, cancelledQuantity: 5 },
      { day: "2024-01-02", quantity: 4, returnedQuantity: 1 },
      { day: "2024-01-02", quantity: 6, cancelledQuantity: 2 },
    ];
    const h = buildDemandHistory(lines, { startDay: "2024-01-01", days: 3 });
    expect(Array.from(h.units)).toEqual([0, 8, 0]);
    expect(Array.from(h.orderQuantity)).toEqual([4, 4]);
    const r = buildDemandHistory(lines, { startDay: "2024-01-01", days: 3, subtractReturns: true });
    expect(Array.from(r.units)).toEqual([0, 7, 0]);
  });

  it("removes a one-off bulk order from the series and marks low-data products", () => {
    const lines = Array.from({ length: 40 }, (_, i) => ({ day: `2024-01-${String((i % 28) + 1).padStart(2, "0")}`, quantity: 2 }));
    lines.push({ day: "2024-01-15", quantity: 400 });
    const h = buildDemandHistory(lines, { startDay: "2024-01-01", days: 29 });
    const c = cleanDemand(h, P, "2024-01-29");
    expect(c.excludedOrders).toEqual([{ dayIndex: 14, quantity: 400 }]);
    expect(c.units[14]).toBe(2); // 402 that day, the bulk 400 removed
    expect(c.lowData).toBe(false);
    expect(c.typicalCustomerOrder).toBe(2);
    const sparse = cleanDemand(buildDemandHistory([{ day: "2024-01-03", quantity: 1 }], { startDay: "2024-01-01", days: 29 }), P, "2024-01-29");
    expect(sparse.lowData).toBe(true);
    expect(sparse.daysOnMarket).toBe(26);
  });
});
