import { describe, expect, it } from "vitest";
import { assignBarcodes, ean13CheckDigit, ean13ForStockCode, isValidEan13 } from "./barcode.ts";
import { LOG_LAST_DAY, logShiftDays, londonDayOf, londonToUtc } from "./calendar.ts";
import { addDays } from "#app/domain/shared/day.ts";
import { createIdFactory } from "./ids.ts";
import { buildSuppliers, slug, SUPPLIER_PROFILES, supplierIndexForRank } from "./suppliers.ts";

describe("EAN-13 barcodes", () => {
  it("computes the standard check digit", () => {
    expect(ean13CheckDigit("400638133393")).toBe(1); // 4006381333931, the textbook example
    expect(ean13CheckDigit("501234567890")).toBe(0);
    expect(isValidEan13("4006381333931")).toBe(true);
    expect(isValidEan13("4006381333932")).toBe(false);
    expect(() => ean13CheckDigit("12345")).toThrow(RangeError);
  });

  it("derives a valid, stable, restricted-range code from the stock code alone", () => {
    const a = ean13ForStockCode("85123A");
    expect(a).toMatch(/^2\d{12}$/);
    expect(isValidEan13(a)).toBe(true);
    expect(ean13ForStockCode("85123A")).toBe(a);
    expect(ean13ForStockCode("85123a")).not.toBe(a); // codes differing in case are different products
  });

  it("keeps barcodes unique within a catalogue", () => {
    const codes = Array.from({ length: 2000 }, (_, i) => `${10000 + i}`);
    const barcodes = assignBarcodes(codes);
    expect(new Set(barcodes).size).toBe(codes.length);
    expect(barcodes.every(isValidEan13)).toBe(true);
  });
});

describe("calendar", () => {
  it("shifts the log so its last day lands on asOf − 1", () => {
    const shift = logShiftDays("2026-11-24");
    expect(addDays(LOG_LAST_DAY, shift)).toBe("2026-11-23");
    expect(addDays("2010-12-01", shift)).toBe("2025-11-15");
  });

  it("converts UK wall-clock time to UTC across both DST changes", () => {
    expect(londonToUtc("2026-01-15", "10:00:00").toISOString()).toBe("2026-01-15T10:00:00.000Z");
    expect(londonToUtc("2026-07-01", "10:00:00").toISOString()).toBe("2026-07-01T09:00:00.000Z");
    // 2026-03-29: clocks go forward at 01:00 GMT.
    expect(londonToUtc("2026-03-29", "00:30:00").toISOString()).toBe("2026-03-29T00:30:00.000Z");
    expect(londonToUtc("2026-03-29", "02:30:00").toISOString()).toBe("2026-03-29T01:30:00.000Z");
    // 2026-10-25: clocks go back at 02:00 BST.
    expect(londonToUtc("2026-10-25", "00:30:00").toISOString()).toBe("2026-10-24T23:30:00.000Z");
    expect(londonToUtc("2026-10-25", "02:30:00").toISOString()).toBe("2026-10-25T02:30:00.000Z");
  });

  it("agrees with the platform's Europe/London zone over a year", () => {
    const fmt = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
    for (let d = 0; d < 366; d += 3) {
      const day = addDays("2026-01-01", d);
      const instant = londonToUtc(day, "08:26:00");
      const parts = Object.fromEntries(fmt.formatToParts(instant).map((p) => [p.type, p.value]));
      expect(`${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`).toBe(`${day} 08:26`);
      expect(londonDayOf(instant)).toBe(day);
    }
    expect(londonDayOf(new Date("2026-06-30T23:30:00Z"))).toBe("2026-07-01");
    expect(londonDayOf(new Date("2026-12-31T23:30:00Z"))).toBe("2026-12-31");
  });
});

describe("ids", () => {
  it("are cuid-shaped, deterministic per shop and distinct across shops and kinds", () => {
    const a = createIdFactory("a.myshopify.com");
    const b = createIdFactory("b.myshopify.com");
    expect(a("sku", "85123A")).toMatch(/^c[0-9a-f]{24}$/);
    expect(a("sku", "85123A")).toBe(a("sku", "85123A"));
    expect(a("sku", "85123A")).not.toBe(b("sku", "85123A"));
    expect(a("sku", "85123A")).not.toBe(a("order", "85123A"));
  });
});

describe("suppliers", () => {
  it("draws lead times like issue 3's default scenario, deterministically", () => {
    const suppliers = buildSuppliers(14, 42);
    expect(suppliers).toEqual(buildSuppliers(14, 42));
    expect(suppliers).not.toEqual(buildSuppliers(14, 43));
    for (const s of suppliers) {
      expect(s.leadTimeLow).toBeGreaterThanOrEqual(5);
      expect(s.leadTimeLow).toBeLessThanOrEqual(21);
      expect(s.leadTimeHigh - s.leadTimeLow).toBeGreaterThanOrEqual(3);
      expect(s.leadTimeHigh - s.leadTimeLow).toBeLessThanOrEqual(17);
      expect(s.leadTimeDays).toBe(Math.round((s.leadTimeLow + s.leadTimeHigh) / 2));
      expect(s.orderCycleDays).toBeGreaterThanOrEqual(14);
      expect(s.orderCycleDays).toBeLessThanOrEqual(35);
      expect(s.orderEmail).toMatch(/^[a-z0-9-]+@example\.com$/);
    }
    expect(new Set(suppliers.map((s) => s.name)).size).toBe(14);
    expect(() => buildSuppliers(SUPPLIER_PROFILES.length + 1, 1)).toThrow(RangeError);
  });

  it("assigns products round-robin by revenue rank", () => {
    expect([0, 1, 13, 14, 15].map((rank) => supplierIndexForRank(rank, 14))).toEqual([0, 1, 13, 0, 1]);
    expect(slug("Willow & Wicker Imports")).toBe("willow-and-wicker-imports");
  });
});
