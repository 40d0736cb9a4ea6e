// Follow-up to issue 7: overstock has one definition (app/domain/reports/overstock.ts). On the seeded demo
// shop, the dashboard's and the weekly digest's overstock figures must equal the overstock report's totals
// for the same day; before, the snapshot priced excess with the plan's forecast and the report with the
// 90-day sales rate, and the two disagreed.
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { loadOverstockReport } from "#app/models/overstock.server.ts";
import { loadDashboard, recordNightlySnapshots } from "#app/services/daily-snapshot.server.ts";
import { buildDigest } from "#app/services/digest.server.ts";
import { createSku, recordMovement } from "#tests/factories/index.ts";
import { seedDemoShop } from "../../../prisma/seed/demo-shop.ts";

const DOMAIN = "overstock-agreement.myshopify.com";
const AS_OF = "2026-11-24";
const NOW = new Date(`${AS_OF}T11:00:00Z`); // London: the seed's "today"
let shopId: string;

beforeAll(async () => {
  shopId = (await seedDemoShop(prisma, { domain: DOMAIN, asOf: AS_OF, skuLimit: 40 })).shopId;
  // The demo's 40 best sellers hold well under 90 days of stock: a delivery far beyond the needs of the
  // best-selling SKU gives the comparison a selling SKU over the threshold too.
  const [top] = await prisma.dailyDemand.groupBy({ by: ["skuId", "locationId"], where: { shopId }, _sum: { units: true }, orderBy: { _sum: { units: "desc" } }, take: 1 });
  // And a product that never sold, for dead stock.
  const dead = await createSku({ shopId, code: "DEAD-STOCK", cost: "2.5000", price: "9.00" });
  await recordMovement({ shopId, skuId: dead.id, locationId: top!.locationId, quantity: 40, kind: "INITIAL", occurredAt: new Date(`${AS_OF}T08:00:00Z`), idempotencyKey: "overstock-agreement-dead" });
  await recordMovement({ shopId, skuId: top!.skuId, locationId: top!.locationId, quantity: 100_000, kind: "ADJUSTMENT", occurredAt: new Date(`${AS_OF}T08:00:00Z`), idempotencyKey: "overstock-agreement-delivery" });
  await recordNightlySnapshots(shopId, NOW);
}, 240_000);

const cents = (amount: number) => Math.round(amount * 100);

describe("overstock: one definition for the report, the dashboard and the digest", () => {
  it("the dashboard and the digest show the report's totals", async () => {
    const report = await loadOverstockReport(shopId, AS_OF);
    // The comparison means something only when the demo shop has overstock of both kinds.
    expect(report.rows.some((r) => r.dead)).toBe(true);
    expect(report.rows.some((r) => !r.dead && r.excessValue > 0)).toBe(true);

    const view = await loadDashboard(shopId, NOW);
    expect(view.today).toBe(AS_OF);
    expect(view.overstock).toEqual({
      skuCount: report.totals.skus,
      excessValueCents: cents(report.totals.excessValue),
      carryingCostPerMonthCents: cents(report.totals.carryingCostPerMonth),
      thresholdDays: report.settings.overstockDays,
      seasonalThresholdDays: report.settings.overstockDaysSeasonal,
    });
    const digest = await buildDigest(shopId, NOW);
    expect(digest.overstock).toEqual({ skuCount: report.totals.skus, excessValueCents: cents(report.totals.excessValue), carryingCostPerMonthCents: cents(report.totals.carryingCostPerMonth), thresholdDays: 90 });
  });

  it("the report's rows follow the definition: excess beyond the threshold's days of the 90-day rate, at cost", async () => {
    const report = await loadOverstockReport(shopId, AS_OF);
    for (const r of report.rows) {
      const threshold = r.thresholdDays;
      expect(r.daysOfSupply > threshold || r.dead).toBe(true);
      expect(r.excessUnits).toBe(Math.max(0, Math.ceil(r.onHand - r.dailyRate * threshold)));
      expect(r.carryingCostPerMonth).toBeCloseTo((r.excessValue * report.settings.carryingCostPctYear) / 12, 10);
    }
  });
});
