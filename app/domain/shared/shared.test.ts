import { describe, expect, it } from "vitest";
import { addDays, dayOfWeek, daysBetween, fromDayNumber, toDayNumber } from "./day.ts";
import { formatCents, formatTotals, lineTotalCents, toCents, toPriceUnits, totalsByCurrency } from "./money.ts";
import { ceilUnits, percentile, percentileOfSorted, roundUpToMultiple, selectPercentile } from "./quantity.ts";
import { inverseNormalCdf } from "./normal.ts";
import { createRng } from "./random.ts";

describe("day", () => {
  it("round-trips ISO days through day numbers", () => {
    expect(toDayNumber("1970-01-01")).toBe(0);
    expect(toDayNumber("2011-12-09")).toBe(15317);
    expect(fromDayNumber(15317)).toBe("2011-12-09");
    expect(fromDayNumber(toDayNumber("2024-02-29"))).toBe("2024-02-29");
    expect(addDays("2010-12-31", 1)).toBe("2011-01-01");
    expect(daysBetween("2010-12-01", "2011-12-09")).toBe(373);
    expect(toDayNumber(new Date("2011-12-09T23:30:00Z"))).toBe(15317);
  });
  it("rejects impossible days", () => {
    expect(() => toDayNumber("2011-02-29")).toThrow(RangeError);
    expect(() => toDayNumber("tomorrow")).toThrow(RangeError);
  });
  it("knows the weekday", () => {
    expect(dayOfWeek(toDayNumber("2011-12-09"))).toBe(4); // Friday
    expect(dayOfWeek(toDayNumber("1969-12-29"))).toBe(0); // Monday before the epoch
  });
});

describe("money", () => {
  it("computes the published line total exactly", () => {
    expect(lineTotalCents(546, toPriceUnits(3.42))).toBe(186732);
    expect(formatCents(186732)).toBe("$1,867.32");
  });
  it("rounds sub-cent prices once, half away from zero", () => {
    expect(lineTotalCents(3, toPriceUnits("0.125"))).toBe(38); // 0.375 → 0.38
    expect(lineTotalCents(1, toPriceUnits(0.005))).toBe(1);
    expect(toCents("1,005.005")).toBe(100501);
    expect(formatCents(-500, "GBP")).toBe("-£5.00");
  });
  it("totals per currency, never across currencies, the shop's currency first", () => {
    const totals = totalsByCurrency(
      [{ currency: "EUR", cents: 3516620 }, { currency: "USD", cents: 100 }, { currency: "GBP", cents: 38044500 }, { currency: "GBP", cents: 54 }],
      "GBP",
    );
    expect(totals).toEqual([{ currency: "GBP", total: 38044554 }, { currency: "EUR", total: 3516620 }, { currency: "USD", total: 100 }]);
    expect(formatTotals(totals)).toBe("£380,445.54 + €35,166.20 + $1.00");
    expect(formatTotals([], "GBP")).toBe("£0.00");
  });
});

describe("quantity", () => {
  it("rounds up to case packs and ignores float noise", () => {
    expect(roundUpToMultiple(546, 12)).toBe(552);
    expect(ceilUnits(17.0000000001)).toBe(17);
    expect(percentile([14, 15, 16, 17, 18, 19, 20, 22], 50)).toBe(17.5);
  });
  it("selects the same percentile as sorting", () => {
    const rng = createRng(3);
    for (let trial = 0; trial < 50; trial++) {
      const xs = Float64Array.from({ length: 1 + rng.int(0, 300) }, () => rng.int(0, 40));
      for (const p of [0, 50, 85, 99.7, 100]) {
        expect(selectPercentile(Float64Array.from(xs), p)).toBe(percentileOfSorted(Float64Array.from(xs).sort(), p));
      }
    }
  });
});

describe("normal and rng", () => {
  it("inverts the normal CDF", () => {
    expect(inverseNormalCdf(0.95)).toBeCloseTo(1.644854, 5);
    expect(inverseNormalCdf(0.997)).toBeCloseTo(2.747781, 5);
  });
  it("repeats for a seed", () => {
    const a = createRng(42);
    const b = createRng(42);
    expect([a.next(), a.next(), a.int(1, 6)]).toEqual([b.next(), b.next(), b.int(1, 6)]);
  });
});
