import { describe, expect, it } from "vitest";
import { addDays } from "../shared/day.ts";
import { computeLeadTimeDistribution } from "./lead-time-distribution.ts";

const po = (days: number, skuIds?: string[]) => ({ placedOn: "2024-01-01", receivedOn: addDays("2024-01-01", days), promisedDays: 18, ...(skuIds ? { skuIds } : {}) });

describe("computeLeadTimeDistribution", () => {
  it("uses the configured lead time and flags it with fewer than 8 received POs", () => {
    const d = computeLeadTimeDistribution([po(10), po(12)], { configuredLeadTimeDays: 14, percentile: 85, minReceivedOrders: 8 });
    expect(d.source).toBe("configured");
    expect(d.percentileDays).toBe(14);
    expect(d.flags).toEqual(["insufficient_lead_time_history"]);
  });

  it("takes the percentile of the supplier's history", () => {
    const hist = [14, 15, 16, 17, 17, 18, 19, 20, 22].map((d) => po(d));
    const d = computeLeadTimeDistribution(hist, { configuredLeadTimeDays: 10, percentile: 85, minReceivedOrders: 8 });
    expect(d.source).toBe("supplier-history");
    expect(d.meanDays).toBe(158 / 9);
    expect(d.percentileDays).toBeCloseTo(19.8, 10); // rank 6.8 between 19 and 20
    expect(d.minDays).toBe(14);
    expect(d.maxDays).toBe(22);
    expect(d.onTimeRate).toBe(6 / 9);
    const trust = computeLeadTimeDistribution(hist, { configuredLeadTimeDays: 10, percentile: 90, minReceivedOrders: 8 });
    expect(trust.percentileDays).toBeCloseTo(20.4, 10); // rank 7.2 between 20 and 22
  });

  it("prefers the SKU's own history, which already includes transit even when the supplier quotes ship dates", () => {
    const hist = [...Array.from({ length: 8 }, () => po(5, ["A"])), ...Array.from({ length: 8 }, () => po(30))];
    const d = computeLeadTimeDistribution(hist, { configuredLeadTimeDays: 10, percentile: 85, minReceivedOrders: 8, skuId: "A", quotesShipDate: true, shipMethod: "ocean" });
    expect(d.source).toBe("sku-history");
    expect(d.percentileDays).toBe(5); // placed → received: the ocean crossing is inside those days
    expect(d.transitDays).toBe(0);
  });

  it("adds the ship method's transit days to a lead time quoted to the ship date, and only then", () => {
    const few = Array.from({ length: 3 }, () => po(40));
    const ocean = computeLeadTimeDistribution(few, { configuredLeadTimeDays: 10, percentile: 85, minReceivedOrders: 8, quotesShipDate: true, shipMethod: "ocean" });
    expect(ocean).toMatchObject({ source: "configured", percentileDays: 45, meanDays: 45, transitDays: 35 });
    const ownTable = computeLeadTimeDistribution(few, { configuredLeadTimeDays: 10, percentile: 85, minReceivedOrders: 8, quotesShipDate: true, shipMethod: "air", transitDays: { air: 4 } });
    expect(ownTable).toMatchObject({ percentileDays: 14, transitDays: 4 });
    const toDoor = computeLeadTimeDistribution(few, { configuredLeadTimeDays: 10, percentile: 85, minReceivedOrders: 8, quotesShipDate: false, shipMethod: "ocean" });
    expect(toDoor).toMatchObject({ percentileDays: 10, transitDays: 0 });
    // Quoting ship dates without a ship method: no transit to add, and no guess.
    expect(computeLeadTimeDistribution(few, { configuredLeadTimeDays: 10, percentile: 85, minReceivedOrders: 8, quotesShipDate: true }).transitDays).toBe(0);
  });
});
