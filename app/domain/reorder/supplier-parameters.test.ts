import { describe, expect, it } from "vitest";
import { DEFAULT_SUPPLIER_PARAMETERS, parsePeriodString, validateSupplierParameters } from "./supplier-parameters.ts";

describe("supplier parameters", () => {
  it("carries the issue's defaults", () => {
    expect(DEFAULT_SUPPLIER_PARAMETERS.countLimit).toBe(20);
    expect(DEFAULT_SUPPLIER_PARAMETERS.pctLimit).toBe(20);
    expect(DEFAULT_SUPPLIER_PARAMETERS.avgRatioLimit).toBe(5);
    expect(DEFAULT_SUPPLIER_PARAMETERS.outageLossFactor).toBe(0.2);
    expect(DEFAULT_SUPPLIER_PARAMETERS.periodString).toBe("4,8,18,30,52");
  });

  it("accepts form strings and fills defaults", () => {
    const r = validateSupplierParameters({ minDays: "10", orderMin: "25000", autoSend: "on", orderMax: "" });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.value.minDays).toBe(10);
      expect(r.value.orderMin).toBe(25000);
      expect(r.value.autoSend).toBe(true);
      expect(r.value.orderMax).toBeNull();
      expect(r.value.maxDays).toBe(120);
    }
  });

  it("takes a forecast method per supplier, the shop's by default", () => {
    expect(DEFAULT_SUPPLIER_PARAMETERS.forecastMethod).toBe("shop");
    for (const method of ["shop", "auto", "ewa", "period-string", "model"] as const) {
      const r = validateSupplierParameters({ forecastMethod: method });
      expect(r.ok && r.value.forecastMethod).toBe(method);
    }
    const empty = validateSupplierParameters({ forecastMethod: "" });
    expect(empty.ok && empty.value.forecastMethod).toBe("shop");
    expect(validateSupplierParameters({ forecastMethod: "crystal-ball" }).errors).toEqual({ forecastMethod: "must be one of shop, auto, ewa, period-string, model" });
    expect(validateSupplierParameters({ forecastMethod: 3 }).errors).toEqual({ forecastMethod: "must be one of shop, auto, ewa, period-string, model" });
  });

  it("reports one message per bad field", () => {
    const r = validateSupplierParameters({ minDays: "-1", outageLossFactor: 2, periodString: "4,x", countLimit: 2.5 });
    expect(r.ok).toBe(false);
    expect(r.errors).toEqual({
      minDays: "must be at least 0",
      outageLossFactor: "must be at most 1",
      periodString: '"x" is not a whole number of weeks between 1 and 104',
      countLimit: "must be a whole number",
    });
  });

  it("bounds the unit, order-count and money parameters, so a slip of extra zeros is refused rather than stored", () => {
    const r = validateSupplierParameters({ qtyLimit: "1e21", countLimit: 1_000_001, orderAlert: 100_000_000_001, roundingTwo: 2_147_483_647 });
    expect(r.errors).toEqual({
      qtyLimit: "must be at most 2,147,483,647",
      countLimit: "must be at most 1,000,000",
      orderAlert: "must be at most 100,000,000,000",
    });
  });

  it("checks relations between fields", () => {
    const r = validateSupplierParameters({ minDays: 30, maxDays: 20, orderMin: 500, orderMax: 100 });
    expect(r.errors).toEqual({ maxDays: "must be at least min_days", orderMax: "must be at least order_min" });
  });

  it("normalises the period string", () => {
    expect(parsePeriodString("52, 4,8,8")).toEqual({ ok: true, weeks: [4, 8, 52] });
  });
});
