import { describe, expect, it } from "vitest";
import { dailyInStock, daysOfSupply, detectVelocityChange, inStockRate, isShipmentLate, isSupplierDataStale, isUnacknowledged } from "./oversight.ts";

describe("dailyInStock", () => {
  it("replays balances per day, counting a SKU in stock when any location holds a positive quantity", () => {
    const skus = [
      { skuId: "a", fromDay: 0, isClassA: true },
      { skuId: "b", fromDay: 0, isClassA: false },
      { skuId: "c", fromDay: 12, isClassA: false }, // arrives later
    ];
    const movements = [
      { skuId: "a", locationId: "x", day: 5, quantity: 3 }, // before the window: opening balance
      { skuId: "a", locationId: "x", day: 11, quantity: -3 }, // sells out on day 11
      { skuId: "b", locationId: "x", day: 10, quantity: 2 },
      { skuId: "b", locationId: "y", day: 11, quantity: -4 }, // oversold at y does not cancel x
      { skuId: "c", locationId: "x", day: 12, quantity: 1 },
    ];
    const days = dailyInStock(skus, movements, 10, 12);
    expect(days.map((d) => [d.day, d.skuCount, d.inStockSkuCount, d.skuCountA, d.inStockSkuCountA])).toEqual([
      [10, 2, 2, 1, 1],
      [11, 2, 1, 1, 0],
      [12, 3, 2, 1, 0],
    ]);
    expect(days[1]!.outOfStockSkuIds).toEqual(["a"]);
    expect(days[1]!.unitsHeld.get("b")).toBe(2);
  });

  it("rates are SKU-days in stock over SKU-days", () => {
    expect(inStockRate([{ inStock: 1, count: 2 }, { inStock: 3, count: 3 }])).toBe(0.8);
    expect(inStockRate([])).toBeNull();
  });
});

describe("detectors", () => {
  it("days of supply", () => {
    expect(daysOfSupply(10_000, 300)).toBe(33.33);
    expect(daysOfSupply(10_000, 0)).toBeNull();
  });

  it("velocity change fires outside z × σd × √days and at least the minimum units", () => {
    // forecast 2/day, σd 1 over 7 days: expected 14, tolerance 3 × √7 ≈ 7.94
    expect(detectVelocityChange({ forecastDaily: 2, dailyStdDev: 1, recentUnits: 21, windowDays: 7 })).toBeNull();
    expect(detectVelocityChange({ forecastDaily: 2, dailyStdDev: 1, recentUnits: 22, windowDays: 7 })).toMatchObject({ direction: "up", expectedUnits: 14 });
    expect(detectVelocityChange({ forecastDaily: 2, dailyStdDev: 1, recentUnits: 7, windowDays: 7 })).toBeNull();
    expect(detectVelocityChange({ forecastDaily: 2, dailyStdDev: 1, recentUnits: 6, windowDays: 7 })).toMatchObject({ direction: "down" });
    // a slow mover with no spread still needs 5 units of difference
    expect(detectVelocityChange({ forecastDaily: 0.1, dailyStdDev: 0, recentUnits: 5, windowDays: 7 })).toBeNull();
    expect(detectVelocityChange({ forecastDaily: 0.1, dailyStdDev: 0, recentUnits: 6, windowDays: 7 })).toMatchObject({ direction: "up" });
  });

  it("stale data, unacknowledged and late shipments", () => {
    expect(isSupplierDataStale(0, 91)).toBe(false);
    expect(isSupplierDataStale(0, 92)).toBe(true);
    expect(isUnacknowledged(new Date("2026-01-01T00:00:00Z"), new Date("2026-01-03T00:00:00Z"))).toBe(false);
    expect(isUnacknowledged(new Date("2026-01-01T00:00:00Z"), new Date("2026-01-03T00:00:01Z"))).toBe(true);
    expect(isShipmentLate(10, 10)).toBe(false);
    expect(isShipmentLate(10, 11)).toBe(true);
  });
});
