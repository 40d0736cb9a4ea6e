// The reorder snapshot's order sizes (the outlier test's input) on the seeded demo shop, checked against
// an independent computation from the orders read row by row: each order's net units per SKU × location
// on its day in the shop's time zone (unlocated lines at the default location), plus the day's units no
// order line explains. The loader sums lines per order in SQL and hash-joins them to the window's orders;
// this pins that the rewrite (which took the 200-SKU demo from 190 s to 2–4 s without planner statistics)
// kept the output.
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { addDays, toDayNumber } from "#app/domain/shared/day.ts";
import { DEFAULT_HISTORY_DAYS, loadReorderSnapshot } from "#app/models/reorder-snapshot.server.ts";
import { seedDemoShop } from "../../../prisma/seed/demo-shop.ts";

const DOMAIN = "snapshot-orders.myshopify.com";
const AS_OF = "2026-11-24";
let shopId: string;

beforeAll(async () => {
  shopId = (await seedDemoShop(prisma, { domain: DOMAIN, asOf: AS_OF, skuLimit: 25 })).shopId;
}, 240_000);

const localDay = (at: Date, timeZone: string) => new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);

describe("loadReorderSnapshot order sizes", () => {
  it("equal each order's net units per SKU × location and day, plus the day's unexplained rest", async () => {
    const snapshot = await loadReorderSnapshot(shopId, AS_OF);
    const shop = await prisma.shop.findUniqueOrThrow({ where: { id: shopId } });
    const active = new Set((await prisma.location.findMany({ where: { shopId, isActive: true } })).map((l) => l.id));
    const start = toDayNumber(addDays(AS_OF, -DEFAULT_HISTORY_DAYS));
    const orders = await prisma.salesOrder.findMany({ where: { shopId, cancelledAt: null }, include: { lines: true } });

    const expected = new Map<string, Map<number, number[]>>(); // pair → day index → order sizes
    let counted = 0;
    for (const order of orders) {
      const idx = toDayNumber(localDay(order.placedAt, shop.timezone)) - start;
      if (idx < 0 || idx >= DEFAULT_HISTORY_DAYS) continue;
      const perLine = new Map<string, { skuId: string; locationId: string | null; qty: number }>();
      for (const line of order.lines) {
        if (!line.skuId) continue;
        const key = `${line.skuId}|${line.locationId}`;
        const entry = perLine.get(key) ?? { skuId: line.skuId, locationId: line.locationId, qty: 0 };
        entry.qty += line.quantity - line.cancelledQuantity;
        perLine.set(key, entry);
      }
      for (const { skuId, locationId, qty } of perLine.values()) {
        if (qty <= 0) continue;
        const location = locationId && active.has(locationId) ? locationId : snapshot.defaultLocationId;
        const days = expected.get(`${skuId}|${location}`) ?? new Map<number, number[]>();
        days.set(idx, [...(days.get(idx) ?? []), qty]);
        expected.set(`${skuId}|${location}`, days);
        counted++;
      }
    }
    expect(counted).toBeGreaterThan(1000);

    let compared = 0;
    for (const sku of snapshot.input.skus) {
      const h = sku.history;
      const days = expected.get(`${sku.skuId}|${sku.locationId}`) ?? new Map<number, number[]>();
      const want: [number, number][] = [];
      for (let i = 0; i < DEFAULT_HISTORY_DAYS; i++) {
        const sizes = days.get(i) ?? [];
        for (const q of sizes) want.push([i, q]);
        const rest = (h.units[i] ?? 0) - sizes.reduce((a, b) => a + b, 0);
        if (rest > 0) want.push([i, rest]);
      }
      const got = Array.from(h.orderDay!, (d, i) => [d, h.orderQuantity![i]!] as [number, number]);
      const byDayThenSize = (a: [number, number], b: [number, number]) => a[0] - b[0] || a[1] - b[1];
      expect(got.sort(byDayThenSize), sku.skuId).toEqual(want.sort(byDayThenSize));
      compared += got.length;
    }
    expect(compared).toBeGreaterThan(1000);
  });
});
