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

  it("prefers the SKU's own history and adds transit when the supplier quotes a ship date", () => {
    const hist = [...Array.from({ length: 8 }, () => po(5, ["A"])), ...Array.from({ length: 8 }, () => po(30))];
    const d = computeLeadTimeDistribution(hist, { configuredLeadTimeDays: 10, percentile: 85, minReceivedOrders: 8, skuId: "A", quotesShipDate: true, shipMethod: "ocean" });
    expect(d.source).toBe("sku-history");
    expect(d.percentileDays).toBe(40);
    expect(d.transitDays).toBe(35);
  });
});
