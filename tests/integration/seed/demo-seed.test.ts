import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { seedDemoShop, type SeedDemoShopSummary } from "../../../prisma/seed/demo-shop.ts";

// Seeds a small demo shop (20 SKUs) once for the file, then checks it with SQL written independently of
// the seed's own code. Reading the 7.6 MB log takes a few seconds, hence the long timeouts.
const DOMAIN = "demo-seed-test.myshopify.com";
const AS_OF = "2026-11-24";
const SKU_LIMIT = 20;

let first: SeedDemoShopSummary;
let shopId: string;

beforeAll(async () => {
  first = await seedDemoShop(prisma, { domain: DOMAIN, asOf: AS_OF, skuLimit: SKU_LIMIT });
  shopId = first.shopId;
}, 180_000);

const count = async (table: string) => {
  const [row] = await prisma.$queryRawUnsafe<{ n: bigint }[]>(`SELECT count(*) AS n FROM "${table}" WHERE "shopId" = $1`, shopId);
  return Number(row?.n ?? 0);
};

describe("seedDemoShop", () => {
  it("creates the shop with the counts it reports", async () => {
    expect(first.created).toBe(true);
    const shop = await prisma.shop.findUniqueOrThrow({ where: { id: shopId }, include: { settings: true } });
    expect(shop).toMatchObject({ domain: DOMAIN, timezone: "Europe/London", currency: "GBP", isDemo: true });
    expect(shop.settings).not.toBeNull();
    const c = first.counts;
    if (!c) throw new Error("no counts");
    expect(c.skus).toBe(SKU_LIMIT);
    expect(c.locations).toBe(2);
    expect(c.suppliers).toBe(14);
    expect(c.salesOrders).toBeGreaterThan(1000);
    expect(await count("Sku")).toBe(c.skus);
    expect(await count("Location")).toBe(2);
    expect(await count("SalesOrder")).toBe(c.salesOrders);
    expect(await count("SalesOrderLine")).toBe(c.salesOrderLines);
    expect(await count("InventoryMovement")).toBe(c.inventoryMovements);
    expect(await count("DailyDemand")).toBe(c.dailyDemand);
    expect(await count("PurchaseOrder")).toBe(c.purchaseOrders);
    expect(await count("Receipt")).toBe(c.receipts);
    expect(await count("ChannelListing")).toBe(c.channelListings);
    expect(await prisma.channelListing.count({ where: { shopId, channel: "SHOPIFY" } })).toBe(SKU_LIMIT);
  });

  it("keeps on-hand equal to the ledger, never negative", async () => {
    const mismatches = await prisma.$queryRaw<{ skuId: string }[]>`
      SELECT l."skuId" FROM "InventoryLevel" l
      LEFT JOIN (SELECT "skuId", "locationId", SUM("quantity") AS total FROM "InventoryMovement" WHERE "shopId" = ${shopId} GROUP BY 1, 2) m
        ON m."skuId" = l."skuId" AND m."locationId" = l."locationId"
      WHERE l."shopId" = ${shopId} AND l."onHand" <> COALESCE(m.total, 0)`;
    expect(mismatches).toEqual([]);
    expect(await prisma.inventoryLevel.count({ where: { shopId } })).toBe(SKU_LIMIT * 2);
    expect(await prisma.inventoryLevel.count({ where: { shopId, onHand: { lt: 0 } } })).toBe(0);
    // Replayed in time order, no SKU × location ever dips below zero.
    const [dip] = await prisma.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM (
        SELECT SUM("quantity") OVER (PARTITION BY "skuId", "locationId" ORDER BY "occurredAt", "kind", "id") AS running
        FROM "InventoryMovement" WHERE "shopId" = ${shopId}) r
      WHERE running < 0`;
    expect(Number(dip?.n)).toBe(0);
  });

  it("ends with a realistic mix: mostly in stock, some at zero", async () => {
    const levels = await prisma.inventoryLevel.findMany({ where: { shopId, location: { isDefault: true } }, select: { onHand: true } });
    const inStock = levels.filter((l) => l.onHand > 0).length;
    expect(inStock).toBeGreaterThanOrEqual(levels.length * 0.7);
    expect(await prisma.dailyDemand.count({ where: { shopId, outOfStock: true } })).toBeGreaterThan(0);
    expect(await prisma.dailyDemand.count({ where: { shopId, outOfStock: true, NOT: { units: 0 } } })).toBe(0);
  });

  it("gives every SKU a preferred supplier product and most suppliers ≥ 8 received POs", async () => {
    const skus = await prisma.sku.findMany({ where: { shopId }, select: { id: true, barcode: true, supplierProducts: { where: { isPreferred: true }, select: { id: true } } } });
    expect(skus.every((s) => s.supplierProducts.length === 1)).toBe(true);
    expect(skus.every((s) => s.barcode && /^\d{13}$/.test(s.barcode))).toBe(true);
    const perSupplier = await prisma.purchaseOrder.groupBy({ by: ["supplierId"], where: { shopId, receivedAt: { not: null }, sentAt: { not: null } }, _count: true });
    expect(perSupplier.filter((s) => s._count >= 8).length).toBeGreaterThanOrEqual(12);
    const numbers = await prisma.purchaseOrder.findMany({ where: { shopId }, select: { number: true } });
    expect(numbers.every((p) => /^PO-(2025|2026)-\d{4}$/.test(p.number))).toBe(true);
    const sequences = await prisma.documentSequence.findMany({ where: { shopId, kind: "PO" } });
    for (const s of sequences) expect(numbers.filter((p) => p.number.startsWith(`PO-${s.year}-`)).length).toBe(s.lastValue);
  });

  it("seeds a past, a running and a coming promotion dated from its today, each on a few of its SKUs", async () => {
    const promotions = await prisma.promotion.findMany({ where: { shopId }, orderBy: { startsOn: "asc" } });
    expect(promotions.map((p) => [p.name, p.startsOn.toISOString().slice(0, 10), p.endsOn.toISOString().slice(0, 10), p.upliftPct.toFixed(0)])).toEqual([
      ["Autumn clearance", "2026-10-15", "2026-10-28", "20"],
      ["Gift guide feature", "2026-11-21", "2026-12-05", "35"],
      ["Weekend flash sale", "2026-12-12", "2026-12-14", "60"],
    ]);
    const skuIds = new Set((await prisma.sku.findMany({ where: { shopId }, select: { id: true } })).map((s) => s.id));
    for (const p of promotions) {
      expect(p.skuIds.length).toBeGreaterThan(0);
      expect(p.skuIds.length).toBeLessThan(skuIds.size);
      for (const id of p.skuIds) expect(skuIds.has(id)).toBe(true);
    }
  });

  it("stores daily demand equal to the order lines of each UK day", async () => {
    // Both directions: every day with net units has its row with those units, and no row claims more.
    const diff = await prisma.$queryRaw<{ skuId: string; day: Date; lines: number | null; demand: number | null }[]>`
      WITH lines AS (
        SELECT l."skuId", l."locationId",
               ((o."placedAt" AT TIME ZONE 'UTC') AT TIME ZONE 'Europe/London')::date AS day,
               SUM(l."quantity" - l."cancelledQuantity")::int AS units
        FROM "SalesOrderLine" l JOIN "SalesOrder" o ON o."id" = l."orderId"
        WHERE l."shopId" = ${shopId}
        GROUP BY 1, 2, 3 HAVING SUM(l."quantity" - l."cancelledQuantity") > 0),
      demand AS (SELECT "skuId", "locationId", "day", "units" FROM "DailyDemand" WHERE "shopId" = ${shopId} AND "units" > 0)
      SELECT COALESCE(lines."skuId", demand."skuId") AS "skuId", COALESCE(lines.day, demand.day) AS day, lines.units AS lines, demand.units AS demand
      FROM lines FULL JOIN demand ON demand."skuId" = lines."skuId" AND demand."locationId" = lines."locationId" AND demand.day = lines.day
      WHERE lines.units IS DISTINCT FROM demand.units`;
    expect(diff).toEqual([]);
    const [last] = await prisma.$queryRaw<{ day: Date }[]>`SELECT max("day") AS day FROM "DailyDemand" WHERE "shopId" = ${shopId} AND "units" > 0`;
    expect(last?.day.toISOString().slice(0, 10)).toBe("2026-11-23");
  });

  it("does nothing on a second run, and reseeds identically with reset (through a direct pg connection)", async () => {
    const before = { orders: await count("SalesOrder"), movements: await count("InventoryMovement") };
    const again = await seedDemoShop(prisma, { domain: DOMAIN, asOf: AS_OF, skuLimit: SKU_LIMIT });
    expect(again).toMatchObject({ skipped: true, created: false, shopId, asOf: AS_OF });
    expect({ orders: await count("SalesOrder"), movements: await count("InventoryMovement") }).toEqual(before);

    const skusBefore = await prisma.sku.findMany({ where: { shopId }, orderBy: { code: "asc" }, select: { id: true, code: true, barcode: true, cost: true } });
    const levelsBefore = await prisma.inventoryLevel.findMany({ where: { shopId }, orderBy: { id: "asc" }, select: { id: true, onHand: true } });
    // The first seed went through Prisma; this one through `pg`: the same rows either way.
    const reset = await seedDemoShop(prisma, { domain: DOMAIN, asOf: AS_OF, skuLimit: SKU_LIMIT, reset: true, databaseUrl: process.env.DATABASE_URL });
    expect(reset.created).toBe(true);
    expect(reset.counts).toEqual(first.counts);
    shopId = reset.shopId;
    expect(await prisma.sku.findMany({ where: { shopId }, orderBy: { code: "asc" }, select: { id: true, code: true, barcode: true, cost: true } })).toEqual(skusBefore);
    expect(await prisma.inventoryLevel.findMany({ where: { shopId }, orderBy: { id: "asc" }, select: { id: true, onHand: true } })).toEqual(levelsBefore);
  }, 180_000);
});
