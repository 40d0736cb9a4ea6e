import { describe, expect, it } from "vitest";
import { toPriceUnits } from "#app/domain/shared/money.ts";
import { buildCatalogue, defaultBreaks, lowerMedian, moqCases, mostCommonQuantity, productStatus, rankProducts, titleCase, volumePriceBreaks } from "./catalogue.ts";
import { cleanRetailLog, type SaleLine } from "./clean-log.ts";
import { logRow, syntheticLog } from "./test-fixtures.ts";

const sale = (quantity: number, unitPrice: string, customerId: string | null = "12345", invoiceDate = "2011-05-02 10:00:00"): SaleLine => ({
  ...logRow({ invoiceNo: "550000", stockCode: "22423", quantity, invoiceDate, unitPrice, customerId }),
  cancelledQuantity: 0,
  cancelledAt: null,
});

describe("catalogue rules", () => {
  it("ranks by net revenue, cancelled lines excluded", () => {
    const lines = [sale(10, "1.00"), { ...sale(100, "1.00"), stockCode: "B", cancelledQuantity: 100, cancelledAt: "2011-05-02 11:00:00" }, { ...sale(5, "3.00"), stockCode: "C" }];
    expect(rankProducts(lines).map((p) => [p.code, p.revenue])).toEqual([["C", 1500], ["22423", 1000]]);
  });

  it("takes the lower median price, the most common quantity as case pack, MOQ by cost", () => {
    expect(lowerMedian([3, 1, 2, 4])).toBe(2);
    expect(mostCommonQuantity([1, 6, 6, 12, 12, 3])).toBe(6); // tie → the smaller
    expect(mostCommonQuantity([])).toBe(1);
    expect(moqCases(toPriceUnits("0.42"))).toBe(4);
    expect(moqCases(toPriceUnits("1.04"))).toBe(2);
    expect(moqCases(toPriceUnits("6.38"))).toBe(1);
  });

  it("finds volume prices on wholesale lines, ignoring the dotcom retail mark-up", () => {
    const lines = [
      ...Array.from({ length: 20 }, () => sale(4, "12.75")),
      ...Array.from({ length: 8 }, (_, i) => sale(16 + i * 4, "10.95")),
      ...Array.from({ length: 6 }, () => sale(1, "24.96", null)), // anonymous retail: not a break
      ...Array.from({ length: 2 }, () => sale(200, "9.00")), // too rare to be a break
    ];
    const cost = toPriceUnits("6.375");
    const breaks = volumePriceBreaks(lines, cost, 4, 4);
    expect(breaks).toEqual([{ minQuantity: 16, unitPrice: Math.round((cost * 109_500) / 127_500) }]);
    expect(volumePriceBreaks(lines.slice(0, 20), cost, 4, 4)).toEqual([]);
    expect(defaultBreaks(10_000, 12)).toEqual([{ minQuantity: 60, unitPrice: 9500 }, { minQuantity: 240, unitPrice: 9000 }]);
  });

  it("marks DISCONTINUED after 60 quiet days and SEASONAL for autumn-only sellers on sale since spring", () => {
    expect(productStatus([sale(1, "1", "1", "2011-09-20 10:00:00")], "2010-12-01", "2011-09-20")).toBe("DISCONTINUED");
    expect(productStatus([sale(10, "1", "1", "2011-04-20 10:00:00"), sale(1, "1", "1", "2011-10-20 10:00:00")], "2010-12-01", "2011-10-20")).toBe("ACTIVE");
    const christmas = [sale(2, "1", "1", "2011-03-01 10:00:00"), sale(40, "1", "1", "2011-11-01 10:00:00")];
    expect(productStatus(christmas, "2011-03-01", "2011-12-09")).toBe("SEASONAL");
    expect(productStatus(christmas.slice(1), "2011-11-01", "2011-12-09")).toBe("ACTIVE"); // new in autumn, not seasonal
  });

  it("title-cases descriptions", () => {
    expect(titleCase("WHITE HANGING HEART T-LIGHT HOLDER")).toBe("White Hanging Heart T-Light Holder");
    expect(titleCase("RED  HARMONICA IN BOX ")).toBe("Red Harmonica In Box");
    expect(titleCase("PAPER CHAIN KIT 50'S CHRISTMAS")).toBe("Paper Chain Kit 50's Christmas");
  });

  it("builds the top N with consistent attributes", () => {
    const catalogue = buildCatalogue(cleanRetailLog(syntheticLog()).lines, 4);
    expect(catalogue.map((p) => p.rank)).toEqual([0, 1, 2, 3]);
    for (const p of catalogue) {
      expect(p.cost * 2).toBeCloseTo(p.price, -1);
      expect(p.moq % p.casePack).toBe(0);
      expect(p.priceBreaks.length).toBeGreaterThan(0);
      expect(p.priceBreaks.every((b) => b.minQuantity > p.moq && b.unitPrice < p.cost)).toBe(true);
    }
  });
});
