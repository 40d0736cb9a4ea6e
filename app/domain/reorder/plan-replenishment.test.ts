import { describe, expect, it } from "vitest";
import { addDays } from "../shared/day.ts";
import { toPriceUnits } from "../shared/money.ts";
import { DEFAULT_SUPPLIER_PARAMETERS, planReplenishment, type SkuLocationSnapshot, type SupplierInput } from "./index.ts";
import { formatServiceLevel } from "./safety-stock.ts";

const asOf = "2024-05-01";
const start = addDays(asOf, -120);

/** 120 days at 18/day; in the last 30 one day of 32 and one of 4, so the 30-day EWA is exactly 18 and the peak 32. */
function publishedHistory(): Float64Array {
  const units = new Float64Array(120).fill(18);
  units[95] = 32;
  units[100] = 4;
  return units;
}

const received = [13, 14, 14, 15, 16, 18, 20, 20, 23].map((d, i) => ({ placedOn: addDays("2024-01-01", i * 7), receivedOn: addDays("2024-01-01", i * 7 + d) }));

const supplier: SupplierInput = { supplierId: "acme", parameters: { ...DEFAULT_SUPPLIER_PARAMETERS, autoSend: true }, receivedPurchaseOrders: received };

/** The published formula: EWA velocity, simple safety stock, target = ROP + demand over the p85 lead time. */
const published = { forecastMethod: "ewa", safetyStockMethod: "simple", targetCycle: "lead-time", conservativeRate: false, useCatalogueTrend: false } as const;

const sku = (over: Partial<SkuLocationSnapshot> = {}): SkuLocationSnapshot => ({
  skuId: "MUG", locationId: "main", status: "active", history: { startDay: start, units: publishedHistory() },
  onHand: 412, committed: 0, backordered: 0, kitSupply: 0, openPurchaseOrders: [], sellPrice: toPriceUnits(9.5),
  offers: [{ supplierId: "acme", unitCost: toPriceUnits(3.42) }], ...over,
});

describe("planReplenishment", () => {
  it("reproduces the published example end to end and explains every number", () => {
    const plan = planReplenishment({ shop: published, suppliers: [supplier], skus: [sku()] }, asOf);
    const s = plan.suggestions[0];
    expect(s?.forecast.dailyRate).toBe(18);
    expect(s?.forecast.peakDay).toBe(32);
    expect(s?.leadTime.meanDays).toBe(17);
    expect(s?.leadTime.percentileDays).toBe(20);
    expect(s?.safetyStock.units).toBe(238);
    expect(s?.reorderPoint).toBe(598);
    expect(s?.target.target).toBe(958);
    expect(s?.orderQuantity.quantity).toBe(546);
    expect(s?.orderQuantity.lineTotal).toBe(186732);
    expect(s?.daysLeft).toBeCloseTo(412 / 18, 10);
    expect(s?.stockOutDate).toBe("2024-05-23");
    expect(s?.flags).toEqual([]);
    expect(plan.purchaseOrders).toHaveLength(1);
    expect(plan.purchaseOrders[0]).toMatchObject({ supplierId: "acme", status: "proposed", total: 186732, autoSend: true });
    for (const text of ["18.00 units/day", "peak day 32", "mean 17 days", "85th percentile 20 days", "Safety stock 238", "(32 − 18) × 17", "Reorder point 598", "Target 958", "Position 412 = 412 on hand", "Order 546 units", "$3.42 = $1,867.32", "projected stock-out 2024-05-23", "No flags."]) {
      expect(s?.explanation).toContain(text);
    }
  });

  it("adds the shop's own transit days to the lead time of a supplier that quotes ship dates (the table the portal's ETA uses)", () => {
    const quoting: SupplierInput = { ...supplier, receivedPurchaseOrders: [], parameters: { ...supplier.parameters, leadTimeDays: 12 }, quotesShipDate: true, shipMethod: "air" };
    const byDefault = planReplenishment({ shop: published, suppliers: [quoting], skus: [sku()] }, asOf).suggestions[0];
    const ownTable = planReplenishment({ shop: { ...published, transitDays: { air: 4 } }, suppliers: [quoting], skus: [sku()] }, asOf).suggestions[0];
    expect(byDefault?.leadTime).toMatchObject({ source: "configured", transitDays: 7, percentileDays: 19 });
    expect(ownTable?.leadTime).toMatchObject({ transitDays: 4, percentileDays: 16 });
    expect(ownTable?.explanation).toContain("Lead time 16 days = the configured 12 days to the ship date + 4 transit days (air)");
    // Its received POs, once there are enough, measure placed → received: the transit is inside them.
    const measured = planReplenishment({ shop: { ...published, transitDays: { air: 4 } }, suppliers: [{ ...quoting, receivedPurchaseOrders: received }], skus: [sku()] }, asOf).suggestions[0];
    expect(measured?.leadTime).toMatchObject({ source: "supplier-history", transitDays: 0, percentileDays: 20 });
  });

  it("chooses among suppliers by the shop's weights and explains every candidate's score", () => {
    const beta: SupplierInput = { supplierId: "beta", parameters: { ...DEFAULT_SUPPLIER_PARAMETERS }, receivedPurchaseOrders: [] };
    const offers = [{ supplierId: "acme", unitCost: toPriceUnits(3.42) }, { supplierId: "beta", unitCost: toPriceUnits(3.0), defectRate: 0.05 }];
    const input = { suppliers: [supplier, beta], skus: [sku({ offers })] };
    // Default 40/30/20/10: acme's measured reliability and clean quality outweigh beta's 12 % lower price.
    const byDefault = planReplenishment({ ...input, shop: published }, asOf).suggestions[0]!;
    expect(byDefault.supplierId).toBe("acme");
    expect(byDefault.supplierWeights).toEqual({ price: 0.4, leadTime: 0.3, quality: 0.2, moqFlexibility: 0.1 });
    const [first, second] = [...byDefault.supplierScores].sort((a, b) => b.total - a.total);
    expect(first).toMatchObject({ supplierId: "acme", components: { quality: 1, moqFlexibility: 1 } });
    expect(first!.components.price).toBeCloseTo(3 / 3.42, 12);
    expect(second).toMatchObject({ supplierId: "beta", components: { price: 1, leadTime: 0.5, quality: 0.5 } });
    expect(first!.total).toBeCloseTo(0.4 * (3 / 3.42) + 0.3 * first!.components.leadTime + 0.2 + 0.1, 12);
    expect(second!.total).toBeCloseTo(0.4 + 0.15 + 0.1 + 0.1, 12);
    expect(byDefault.explanation).toContain(
      `Supplier choice weighs price 40 %, lead-time reliability 30 %, quality 20 %, MOQ flexibility 10 %: acme ${first!.total.toFixed(2)} (price 0.88, lead time ${first!.components.leadTime.toFixed(2)}, quality 1.00, MOQ 1.00); beta 0.75 (price 1.00, lead time 0.50, quality 0.50, MOQ 1.00). Chosen: acme.`,
    );
    // A shop that buys on price alone gets the cheaper supplier, at its price.
    const onPrice = planReplenishment({ ...input, shop: { ...published, supplierWeights: { price: 1, leadTime: 0, quality: 0, moqFlexibility: 0 } } }, asOf).suggestions[0]!;
    expect(onPrice.supplierId).toBe("beta");
    expect(onPrice.orderQuantity.unitPrice).toBe(toPriceUnits(3.0));
    expect(onPrice.explanation).toContain("Supplier choice weighs price 100 %, lead-time reliability 0 %, quality 0 %, MOQ flexibility 0 %: beta 1.00");
    expect(onPrice.explanation).toContain("Chosen: beta.");
  });

  it("plans a supplier's SKUs on the estimator the supplier is set to, without the automatic method's floor", () => {
    // 90 days at 30/day, then 30 at 10/day: the recent rates fell, the longer periods still remember 30.
    const units = new Float64Array(120).fill(30).fill(10, 90);
    const falling = sku({ history: { startDay: start, units } });
    const byShop = planReplenishment({ shop: {}, suppliers: [supplier], skus: [falling] }, asOf).suggestions[0]!;
    expect(byShop.forecast).toMatchObject({ method: "auto" });
    expect(byShop.forecast.methodChosenBy).toBeUndefined();
    expect(byShop.forecast.baseRate).toBeGreaterThan(15); // the floor: never below a period's rate

    const ewaSupplier: SupplierInput = { ...supplier, parameters: { ...supplier.parameters, forecastMethod: "ewa" } };
    const bySupplier = planReplenishment({ shop: {}, suppliers: [ewaSupplier], skus: [falling] }, asOf).suggestions[0]!;
    expect(bySupplier.forecast).toMatchObject({ method: "ewa", methodChosenBy: "supplier", baseRateSource: "model" });
    expect(bySupplier.forecast.baseRate).toBeCloseTo(bySupplier.forecast.ewaRate, 10);
    expect(bySupplier.forecast.ewaRate).toBeLessThan(11);
    expect(bySupplier.explanation).toContain("the method this supplier is set to (ewa)");
    expect(bySupplier.reorderPoint).toBeLessThan(byShop.reorderPoint);

    // The shop's own choice of one estimator is planned on alone too, and a supplier set to "shop" follows it.
    const shopEwa = planReplenishment({ shop: { forecastMethod: "ewa" }, suppliers: [supplier], skus: [falling] }, asOf).suggestions[0]!;
    expect(shopEwa.forecast).toMatchObject({ method: "ewa", baseRateSource: "model" });
    expect(shopEwa.forecast.methodChosenBy).toBeUndefined();
    // And a supplier set to "auto" in a shop that chose the EWA gets the automatic method, floor included.
    const autoSupplier: SupplierInput = { ...supplier, parameters: { ...supplier.parameters, forecastMethod: "auto" } };
    const backToAuto = planReplenishment({ shop: { forecastMethod: "ewa" }, suppliers: [autoSupplier], skus: [falling] }, asOf).suggestions[0]!;
    expect(backToAuto.forecast).toMatchObject({ method: "auto", methodChosenBy: "supplier" });
    expect(backToAuto.forecast.baseRate).toBeGreaterThan(15);
  });

  it("does not order above the reorder point, nor for a discontinued product", () => {
    const plan = planReplenishment(
      { shop: published, suppliers: [supplier], skus: [sku({ onHand: 700 }), sku({ skuId: "OLD", status: "discontinued", onHand: 0 })] },
      asOf,
    );
    expect(plan.suggestions.map((s) => s.orderQuantity.quantity)).toEqual([0, 0]);
    expect(plan.purchaseOrders).toEqual([]);
  });

  it("flags a supplier without lead-time history and never auto-sends its PO", () => {
    const plan = planReplenishment({ shop: published, suppliers: [{ ...supplier, receivedPurchaseOrders: [] }], skus: [sku()] }, asOf);
    const s = plan.suggestions[0];
    expect(s?.leadTime.source).toBe("configured");
    expect(s?.leadTime.percentileDays).toBe(14);
    expect(s?.flags.map((f) => f.code)).toEqual(["insufficient_lead_time_history"]);
    expect(s?.explanation).toContain("configured value");
    expect(plan.purchaseOrders[0]?.autoSend).toBe(false);
    expect(plan.purchaseOrders[0]?.needsReview).toBe(true);
  });

  it("uses the SKU's lead-time override instead of any PO history or the configured lead time", () => {
    const offers = [{ supplierId: "acme", unitCost: toPriceUnits(3.42), leadTimeDays: 30 }];
    const withHistory = planReplenishment({ shop: published, suppliers: [supplier], skus: [sku({ offers })] }, asOf).suggestions[0];
    expect(withHistory?.leadTime).toMatchObject({ source: "sku-override", percentileDays: 30, meanDays: 30 });
    // 18/day over 30 days + the same simple safety stock (peak − average) × mean lead time.
    expect(withHistory?.reorderPoint).toBe(18 * 30 + (32 - 18) * 30);
    // The supplier's deliveries are known, so the override needs no review.
    expect(withHistory?.flags).toEqual([]);
    expect(withHistory?.explanation).toContain("Lead time 30 days is the merchant's override for this SKU and supplier; it replaces the history, which says mean 17 days from 9 received POs (this supplier).");

    const noHistory = planReplenishment({ shop: published, suppliers: [{ ...supplier, receivedPurchaseOrders: [] }], skus: [sku({ offers })] }, asOf);
    expect(noHistory.suggestions[0]?.leadTime.percentileDays).toBe(30);
    expect(noHistory.suggestions[0]?.flags.map((f) => f.code)).toEqual(["insufficient_lead_time_history"]);

    // It wins over this SKU's own PO history (≥ 8 received) too: the merchant typed it because they know
    // better (the supplier moved production), and it was saved but ignored.
    const own = received.map((po) => ({ ...po, skuIds: ["MUG"] }));
    const overSkuHistory = planReplenishment({ shop: published, suppliers: [{ ...supplier, receivedPurchaseOrders: own }], skus: [sku({ offers })] }, asOf).suggestions[0];
    expect(overSkuHistory?.leadTime).toMatchObject({ source: "sku-override", percentileDays: 30, meanDays: 30, overriddenHistory: { source: "sku-history", sampleCount: 9, meanDays: 17 } });
    expect(overSkuHistory?.reorderPoint).toBe(18 * 30 + (32 - 18) * 30);
    expect(overSkuHistory?.flags).toEqual([]);
    expect(overSkuHistory?.explanation).toContain("Lead time 30 days is the merchant's override for this SKU and supplier; it replaces the history, which says mean 17 days from 9 received POs (this SKU).");
    // Without an override the SKU's own history is used.
    const fromSkuHistory = planReplenishment({ shop: published, suppliers: [{ ...supplier, receivedPurchaseOrders: own }], skus: [sku()] }, asOf).suggestions[0];
    expect(fromSkuHistory?.leadTime).toMatchObject({ source: "sku-history", percentileDays: 20 });
  });

  it("proposes a transfer instead of buying when another location has stock beyond its target", () => {
    const plan = planReplenishment(
      { shop: published, suppliers: [supplier], skus: [sku({ locationId: "east", onHand: 3000 }), sku({ locationId: "west", onHand: 100 })] },
      asOf,
    );
    expect(plan.transfers).toEqual([{ skuId: "MUG", fromLocationId: "east", toLocationId: "west", quantity: 858 }]);
    expect(plan.suggestions.map((s) => [s.locationId, s.orderQuantity.quantity])).toEqual([["east", 0], ["west", 0]]);
  });

  it("says which recent rate set the planning rate when it is above the model's forecast", () => {
    // 10 a day until four weeks ago, 2 a day since: the model and the EWA follow the drop, the longer
    // periods of the period string still remember the higher rate, and the default never plans below them.
    const units = new Float64Array(200);
    for (let i = 0; i < 200; i++) units[i] = i < 172 ? 10 : 2;
    const s = planReplenishment({ suppliers: [supplier], skus: [sku({ history: { startDay: addDays(asOf, -200), units }, onHand: 10 })] }, asOf).suggestions[0];
    const f = s?.forecast;
    expect(f?.baseRateSource).toMatch(/^\d+-week period$/);
    expect(f?.baseRate).toBeGreaterThan(Math.max(f?.modelRate ?? Infinity, f?.ewaRate ?? Infinity));
    expect(f?.dailyRate).toBeCloseTo((f?.baseRate ?? 0) * (f?.trendMultiplier ?? 0), 9);
    const trend = f?.trendMultiplier !== 1 ? ` × shop trend ${f?.trendMultiplier.toFixed(2)}` : "";
    expect(s?.explanation).toContain(
      `forecast ${f?.dailyRate.toFixed(2)} units/day = the ${f?.baseRateSource}'s rate ${f?.baseRate.toFixed(2)}${trend} (the plan never goes below the 30-day EWA or a period's rate; ${f?.model} alone gave ${f?.modelRate.toFixed(2)})`,
    );

    // Without the conservative rate the model's own forecast is the base, and the paragraph says so.
    const plain = planReplenishment({ shop: { conservativeRate: false }, suppliers: [supplier], skus: [sku({ history: { startDay: addDays(asOf, -200), units }, onHand: 10 })] }, asOf).suggestions[0];
    expect(plain?.forecast).toMatchObject({ baseRateSource: "model", baseRate: plain?.forecast.modelRate });
    expect(plain?.explanation).toContain(`units/day from ${plain?.forecast.model}`);
  });

  it("takes days left and the stock-out date from the planning rate, so they agree with each other", () => {
    // 10 a day, then 2 a day for four weeks: the period-string floor holds the planning rate well above the
    // model's forecast. Walking the model's daily forecast put the stock-out date weeks after the days left.
    const units = new Float64Array(200);
    for (let i = 0; i < 200; i++) units[i] = i < 172 ? 10 : 2;
    const s = planReplenishment({ suppliers: [supplier], skus: [sku({ history: { startDay: addDays(asOf, -200), units }, onHand: 100 })] }, asOf).suggestions[0];
    expect(s?.forecast.dailyRate).toBeGreaterThan(2 * (s?.forecast.modelRate ?? Infinity));
    expect(s?.daysLeft).toBeCloseTo(100 / (s?.forecast.dailyRate ?? 0), 10);
    expect(s?.stockOutDate).toBe(addDays(asOf, Math.floor(s?.daysLeft ?? NaN)));
    expect(s?.explanation).toContain(`Days left ${s?.daysLeft?.toFixed(1)}, projected stock-out ${s?.stockOutDate}.`);
  });

  it("applies a promotion to the planning rate even when a recent velocity, not the model, sets it", () => {
    // The period-string floor holds the rate above the model (as above); a +200 % promotion over the next
    // three weeks was applied to the model before the max and vanished under the floor.
    const units = new Float64Array(200);
    for (let i = 0; i < 200; i++) units[i] = i < 172 ? 10 : 2;
    const snapshot = sku({ history: { startDay: addDays(asOf, -200), units }, onHand: 10 });
    const plain = planReplenishment({ suppliers: [supplier], skus: [snapshot] }, asOf).suggestions[0];
    const promotions = [{ id: "spring-sale", from: asOf, to: addDays(asOf, 20), multiplier: 3 }];
    const s = planReplenishment({ suppliers: [supplier], skus: [snapshot], promotions }, asOf).suggestions[0];
    expect(s?.forecast.baseRateSource).not.toBe("model");
    expect(s?.forecast.baseRate).toBe(plain?.forecast.baseRate);
    // The mean multiplier over the days the reorder point covers (lead time + review period), not over the
    // forecast's 56 days: with a window of 21 days or less it is ×3 throughout.
    const window = Math.ceil((s?.leadTime.meanDays ?? 0) + 1);
    expect(window).toBeLessThanOrEqual(21);
    expect(s?.forecast.promotionMultiplier).toBe(3);
    expect(s?.forecast.dailyRate).toBeCloseTo((plain?.forecast.dailyRate ?? 0) * (s?.forecast.promotionMultiplier ?? 0), 9);
    expect(s?.reorderPoint).toBeGreaterThan((plain?.reorderPoint ?? Infinity) * 1.5);
    expect(s?.explanation).toContain(`× promotions ${s?.forecast.promotionMultiplier.toFixed(2)}`);
  });

  it("averages a promotion over the lead time plus the review period: one starting after that window lifts nothing yet", () => {
    const units = new Float64Array(200).fill(10);
    const snapshot = sku({ history: { startDay: addDays(asOf, -200), units }, onHand: 10 });
    const plain = planReplenishment({ suppliers: [supplier], skus: [snapshot] }, asOf).suggestions[0]!;
    const window = Math.ceil(plain.leadTime.meanDays + 1);
    const late = [{ id: "later", from: addDays(asOf, window + 2), to: addDays(asOf, window + 20), multiplier: 3 }];
    expect(planReplenishment({ suppliers: [supplier], skus: [snapshot], promotions: late }, asOf).suggestions[0]!.forecast.promotionMultiplier).toBe(1);
    // The first half of the window at ×2: ×1.5 on average (index 0 is the plan's day, as in the forecast).
    const half = Math.floor(window / 2);
    const early = [{ id: "now", from: asOf, to: addDays(asOf, half - 1), multiplier: 2 }];
    const s = planReplenishment({ suppliers: [supplier], skus: [snapshot], promotions: early }, asOf).suggestions[0]!;
    expect(s.forecast.promotionMultiplier).toBeCloseTo((half * 2 + (window - half)) / window, 12);
  });

  it("says which lead time and which service level drove the reorder point", () => {
    // Default policy: compound safety stock, levels skewed by value inside each class. A cheap steady SKU and
    // a dear lumpy one, both class C, get levels either side of the class's.
    const lumpy = new Float64Array(400);
    for (let i = 0; i < 400; i++) lumpy[i] = i % 3 === 0 ? 12 : i % 11 === 0 ? 40 : 0;
    const steady = new Float64Array(400).fill(5);
    const shop = { serviceLevels: { A: 0.999, B: 0.995, C: 0.995 } };
    const n1 = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(1));
    const plan = planReplenishment({
      shop, suppliers: [supplier],
      skus: [
        sku({ skuId: "CHEAP", abcClass: "C", history: { startDay: addDays(asOf, -400), units: steady }, onHand: 10, offers: [{ supplierId: "acme", unitCost: toPriceUnits(0.5) }] }),
        sku({ skuId: "DEAR", abcClass: "C", history: { startDay: addDays(asOf, -400), units: lumpy }, onHand: 10, offers: [{ supplierId: "acme", unitCost: toPriceUnits(40) }] }),
      ],
    }, asOf);
    for (const s of plan.suggestions) {
      const lt = s.leadTime;
      expect(s.reorderPointLeadTimeDays).toBe(lt.meanDays + 1);
      expect(s.explanation).toContain(
        `× ${n1(s.reorderPointLeadTimeDays)} days (mean lead time ${n1(lt.meanDays)} + 1-day review period) + ${s.safetyStock.units.toFixed(0)} safety stock. ` +
          `Late deliveries are covered by the safety stock, whose quantile is taken over the whole lead-time distribution, its late tail included (up to ${n1(lt.maxDays)} days), ` +
          `so the 85th percentile (${n1(lt.percentileDays)} days) does not set the reorder point.`,
      );
      expect(s.classServiceLevel).toBe(0.995);
      expect(s.serviceLevelSkewedByValue).toBe(true);
      const direction = s.serviceLevel > 0.995 ? "raised" : "lowered";
      expect(s.explanation).toContain(`at service level ${formatServiceLevel(s.serviceLevel)}% (class ${s.abcClass}'s 99.5% ${direction} for this SKU by its value`);
      expect(s.explanation).not.toMatch(/100\.0%/);
    }
    expect(plan.suggestions.find((s) => s.skuId === "CHEAP")?.serviceLevel).toBeGreaterThan(0.995);
    expect(plan.suggestions.find((s) => s.skuId === "DEAR")?.serviceLevel).toBeLessThan(0.995);

    // The formula methods multiply by the lead-time percentile, and the class's level is used as set.
    const published1 = planReplenishment({ shop: published, suppliers: [supplier], skus: [sku()] }, asOf).suggestions[0];
    expect(published1?.explanation).toContain("Reorder point 598 = 18.00 × 20 days (the 85th-percentile lead time) + 238 safety stock.");
    expect(published1?.explanation).toContain("at service level 99.9% (class A's level).");
  });

  it("plans on at least the 90th-percentile lead time in the trust period, with the default method too, and says so", () => {
    const lumpy = new Float64Array(400);
    for (let i = 0; i < 400; i++) lumpy[i] = i % 3 === 0 ? 12 : i % 11 === 0 ? 40 : 0;
    const input = (trustPeriod: boolean) => ({
      shop: { trustPeriod }, suppliers: [supplier],
      skus: [sku({ skuId: "LUMPY", history: { startDay: addDays(asOf, -400), units: lumpy }, onHand: 10 })],
    });
    const normal = planReplenishment(input(false), asOf).suggestions[0]!;
    const trusting = planReplenishment(input(true), asOf).suggestions[0]!;
    expect(normal.safetyStock.method).toBe("compound");
    expect(normal.leadTime.percentile).toBe(85);
    expect(normal.reorderPointLeadTimeDays).toBe(normal.leadTime.meanDays + 1);
    // Lead times 13–23 days (mean exactly 17): the 90th percentile is 20.6 days.
    expect(normal.leadTime.meanDays).toBe(17);
    expect(trusting.leadTime.percentile).toBe(90);
    expect(trusting.leadTime.percentileDays).toBeCloseTo(20.6, 6);
    expect(trusting.reorderPointLeadTimeDays).toBeCloseTo(20.6 + 1, 6);
    expect(trusting.reorderPoint - normal.reorderPoint).toBeCloseTo(trusting.forecast.dailyRate * (20.6 - normal.leadTime.meanDays), 6);
    expect(trusting.explanation).toContain(
      `(the 90th-percentile lead time 20.6 + 1-day review period, not the mean ${normal.leadTime.meanDays}, while the shop is in its trust period)`,
    );
    expect(normal.explanation).not.toContain("trust period");
  });

  it("plans a low-data product on its longest period under the default policy, not on a recent window, and sends it to review", () => {
    // Two orders in a year: 5 units 350 days ago, 8 units 10 days ago.
    const units = new Float64Array(400);
    units[50] = 5;
    units[390] = 8;
    const plan = planReplenishment({ suppliers: [supplier], skus: [sku({ history: { startDay: addDays(asOf, -400), units }, onHand: 0 })] }, asOf);
    const s = plan.suggestions[0]!;
    expect(s.demand.lowData).toBe(true);
    expect(s.forecast.baseRateSource).toBe("longest period");
    // The 52-week period holds both orders: 13 units over 364 days. The 4-week one alone would say 8 / 28.
    expect(s.forecast.baseRate).toBeCloseTo(13 / 364, 9);
    // A recent window alone would have planned on far more: the 30-day EWA weighs the 8-unit order.
    expect(s.forecast.ewaRate).toBeGreaterThan(0.1);
    expect(s.explanation).toContain(`= the longest period's rate ${(13 / 364).toFixed(2)}`);
    expect(s.explanation).toContain("a low-data product");
    expect(s.flags.map((f) => f.code)).toContain("low_data");
    expect(plan.purchaseOrders[0]?.needsReview).toBe(true);
    expect(plan.purchaseOrders[0]?.autoSend).toBe(false);
  });

  it("shows service levels with enough decimals, and 100 % only for exactly 1", () => {
    expect(formatServiceLevel(0.9985)).toBe("99.85");
    expect(formatServiceLevel(0.99853)).toBe("99.85");
    expect(formatServiceLevel(0.9998)).toBe("99.98");
    expect(formatServiceLevel(0.99995)).toBe("99.995");
    expect(formatServiceLevel(0.995)).toBe("99.5");
    expect(formatServiceLevel(0.98)).toBe("98");
    expect(formatServiceLevel(0.9999999)).not.toBe("100");
    expect(formatServiceLevel(1)).toBe("100");
  });

  it("runs the default policy on a lumpy seller and returns a consistent plan", () => {
    const units = new Float64Array(400);
    for (let i = 0; i < 400; i++) units[i] = i % 3 === 0 ? 12 : i % 11 === 0 ? 40 : 0;
    const plan = planReplenishment({ suppliers: [supplier], skus: [sku({ history: { startDay: addDays(asOf, -400), units }, onHand: 10 })] }, asOf);
    const s = plan.suggestions[0];
    expect(s?.forecast.dailyRate).toBeGreaterThan(3);
    expect(s?.forecast.dailyRate).toBeLessThan(12);
    // The default plans on the higher of model and recent velocities (times the shop-wide trend).
    expect(s?.forecast.dailyRate).toBeGreaterThanOrEqual((s?.forecast.modelRate ?? Infinity) * (s?.forecast.trendMultiplier ?? 1) - 1e-9);
    expect(s?.safetyStock.method).toBe("compound");
    expect(s?.reorderPoint).toBeGreaterThan(s?.forecast.dailyRate ?? 0);
    expect(s?.orderQuantity.quantity).toBe(Math.ceil((s?.target.target ?? 0) - 10));
  });
});
