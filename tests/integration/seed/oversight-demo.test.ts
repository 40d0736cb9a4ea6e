// Issue 7 acceptance (demo): the seeded demo shop has a populated dashboard (backfilled snapshots) and
// at least one open anomaly of each kind, opened by the real detectors; a second run adds nothing.
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { loadDashboard } from "#app/services/daily-snapshot.server.ts";
import { seedDemoShop, type SeedDemoShopSummary } from "../../../prisma/seed/demo-shop.ts";
import { seedOversightDemo } from "../../../prisma/seed/oversight-demo.ts";

const DOMAIN = "oversight-demo-test.myshopify.com";
const AS_OF = "2026-11-24";
let seeded: SeedDemoShopSummary;

beforeAll(async () => {
  seeded = await seedDemoShop(prisma, { domain: DOMAIN, asOf: AS_OF, skuLimit: 40 });
}, 240_000);

describe("oversight demo", () => {
  it("fills 90 days of snapshots and an anomaly queue with every kind", async () => {
    const snapshots = await prisma.shopDailySnapshot.count({ where: { shopId: seeded.shopId } });
    expect(snapshots).toBe(91); // today and the 90 days before it
    const view = await loadDashboard(seeded.shopId, new Date(`${AS_OF}T11:00:00Z`));
    expect(view.trend).toHaveLength(90);
    expect(view.rates.every((r) => r.all !== null && r.all > 0.5)).toBe(true);
    expect(view.skuCount).toBe(40);

    const open = await prisma.reviewItem.groupBy({ by: ["kind"], where: { shopId: seeded.shopId, status: "OPEN" }, _count: { _all: true } });
    const kinds = ["FLAGGED_PO", "UNACKNOWLEDGED_PO", "LATE_SHIPMENT", "RECEIPT_DISCREPANCY", "CHANNEL_ERROR", "UNMAPPED_LISTING", "VELOCITY_CHANGE", "STALE_SUPPLIER_DATA"];
    expect(kinds.filter((k) => !open.some((o) => o.kind === k))).toEqual([]);
    // The stale suppliers and the velocity changes are in the seeded data itself: the seed did not stage them.
    const velocity = await prisma.reviewItem.findFirstOrThrow({ where: { shopId: seeded.shopId, kind: "VELOCITY_CHANGE", status: "OPEN" } });
    expect(velocity.reason).toMatch(/usual \(8-week average\)/);
  }, 60_000);

  it("changes nothing when run again", async () => {
    const before = await prisma.reviewItem.findMany({ where: { shopId: seeded.shopId }, orderBy: { id: "asc" }, select: { id: true, status: true } });
    const pos = await prisma.purchaseOrder.count({ where: { shopId: seeded.shopId } });
    const again = await seedOversightDemo(prisma, seeded.shopId, { asOf: AS_OF });
    expect(again.staged).toEqual([]);
    expect(await prisma.purchaseOrder.count({ where: { shopId: seeded.shopId } })).toBe(pos);
    expect(await prisma.reviewItem.findMany({ where: { shopId: seeded.shopId }, orderBy: { id: "asc" }, select: { id: true, status: true } })).toEqual(before);
  }, 60_000);
});
