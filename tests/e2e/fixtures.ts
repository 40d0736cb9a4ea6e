// A small, deterministic demo shop for the browser tests: enough SKUs for two pages of products, a few
// suppliers, purchase orders in every stage and stock posted through the ledger. (The real demo seed,
// derived from the order history, is prisma/seed.ts; this one stays small so the suite stays fast.)
import type { Prisma, PrismaClient, PurchaseOrderStatus } from "@prisma/client";
import { appendMovements } from "#app/models/ledger.server.ts";

export const E2E_DEMO_DOMAIN = "e2e-demo.myshopify.com";
export const E2E_SHOP_NAME = "Harbor & Pine";

const PRODUCTS = ["Stoneware mug", "Linen napkin", "Oak serving board", "Glass carafe", "Enamel pot", "Wool throw"];
const COLOURS = ["Sea glass", "Charcoal", "Oat", "Terracotta", "Moss", "Indigo", "Sand", "Rust", "Fog", "Clay"];

export type E2eSeed = { shopId: string; skuCodes: string[]; purchaseOrderNumbers: string[] };

export async function seedE2eDemoShop(db: PrismaClient, domain = E2E_DEMO_DOMAIN): Promise<E2eSeed> {
  const shop = await db.shop.create({
    data: { domain, name: E2E_SHOP_NAME, isDemo: true, timezone: "America/New_York", settings: { create: {} } },
  });
  const [store, warehouse] = await Promise.all([
    db.location.create({ data: { shopId: shop.id, name: "Shop floor", isDefault: true } }),
    db.location.create({ data: { shopId: shop.id, name: "Back warehouse" } }),
  ]);

  // 60 SKUs: every product in every colour. Some run out, some are discontinued.
  const skuRows: Prisma.SkuCreateManyInput[] = [];
  PRODUCTS.forEach((product, p) =>
    COLOURS.forEach((colour, c) => {
      const code = `${product.split(" ").map((w) => w.slice(0, 3).toUpperCase()).join("-")}-${String(c + 1).padStart(2, "0")}`;
      skuRows.push({
        shopId: shop.id,
        code,
        title: product,
        variantTitle: colour,
        cost: (4 + p * 3.25 + c * 0.5).toFixed(4),
        price: (12 + p * 8 + c).toFixed(2),
        status: c === 9 ? "DISCONTINUED" : p === 5 && c >= 7 ? "SEASONAL" : "ACTIVE",
      });
    }),
  );
  await db.sku.createMany({ data: skuRows });
  const skus = await db.sku.findMany({ where: { shopId: shop.id }, orderBy: { code: "asc" } });

  const opening = new Date("2026-01-02T09:00:00Z");
  await appendMovements(
    shop.id,
    skus.flatMap((sku, i) => {
      // Every seventh SKU is sold out (no stock anywhere); the rest hold stock in one or two places.
      if (i % 7 === 3) return [];
      const movements = [
        { skuId: sku.id, locationId: store!.id, kind: "INITIAL" as const, quantity: 5 + ((i * 13) % 40), sourceType: "SEED", idempotencyKey: `e2e-open-${sku.code}-store`, occurredAt: opening },
      ];
      if (i % 3 === 0) {
        movements.push({ skuId: sku.id, locationId: warehouse!.id, kind: "INITIAL" as const, quantity: 20 + (i % 11), sourceType: "SEED", idempotencyKey: `e2e-open-${sku.code}-wh`, occurredAt: opening });
      }
      return movements;
    }),
    db as unknown as Prisma.TransactionClient,
  );

  // Units sold but not shipped yet (committed follows open order lines; it is not a ledger quantity).
  for (const sku of skus.filter((_, i) => i % 5 === 1)) {
    await db.inventoryLevel.updateMany({ where: { shopId: shop.id, skuId: sku.id, locationId: store!.id }, data: { committed: 2 } });
  }

  const suppliers = await Promise.all(
    [
      { name: "Northwind Ceramics", orderEmail: "orders@northwind.test", poDelivery: "EMAIL" as const, leadTimeDays: 21, autoSend: true },
      { name: "Loom & Field", orderEmail: "po@loomfield.test", poDelivery: "PORTAL" as const, leadTimeDays: 35, autoSend: false },
      { name: "Cedar Works", orderEmail: null, poDelivery: "EMAIL" as const, leadTimeDays: 10, autoSend: false },
    ].map((data) => db.supplier.create({ data: { ...data, shopId: shop.id } })),
  );
  await db.supplierProduct.createMany({
    data: skus.map((sku, i) => ({
      shopId: shop.id,
      supplierId: suppliers[i % suppliers.length]!.id,
      skuId: sku.id,
      unitCost: sku.cost ?? "1.00",
      moq: 12,
      casePack: 6,
      isPreferred: true,
    })),
  });

  const statuses: PurchaseOrderStatus[] = ["DRAFT", "AWAITING_APPROVAL", "SENT", "CONFIRMED", "SHIPPED", "PARTIALLY_RECEIVED", "RECEIVED", "CANCELLED"];
  const purchaseOrderNumbers: string[] = [];
  for (const [i, status] of statuses.entries()) {
    const number = `PO-2026-${String(i + 1).padStart(4, "0")}`;
    purchaseOrderNumbers.push(number);
    const lines = skus.slice(i * 4, i * 4 + 3).map((sku) => ({ shopId: shop.id, skuId: sku.id, quantityOrdered: 24, unitCost: sku.cost ?? "1.00" }));
    const total = lines.reduce((sum, line) => sum + 24 * Number(line.unitCost), 0).toFixed(2);
    await db.purchaseOrder.create({
      data: {
        shopId: shop.id,
        number,
        supplierId: suppliers[i % suppliers.length]!.id,
        locationId: store!.id,
        status,
        subtotal: total,
        total,
        createdAt: new Date(Date.UTC(2026, 1, 1 + i)),
        expectedArrivalDate: new Date(Date.UTC(2026, 2, 10 + i)),
        lines: { create: lines.map(({ shopId, skuId, quantityOrdered, unitCost }) => ({ shopId, skuId, quantityOrdered, unitCost })) },
      },
    });
  }

  await db.reorderRun.create({
    data: {
      shopId: shop.id,
      asOf: new Date("2026-03-01"),
      trigger: "NIGHTLY",
      status: "COMPLETED",
      startedAt: new Date("2026-03-01T05:00:00Z"),
      finishedAt: new Date("2026-03-01T05:00:04Z"),
      skuCount: skus.length,
      suggestionCount: 9,
    },
  });
  await db.reviewItem.create({
    data: { shopId: shop.id, kind: "LATE_SHIPMENT", subjectType: "PURCHASE_ORDER", subjectId: purchaseOrderNumbers[4]!, reason: "Shipment is 3 days late", dedupeKey: "late-po-5" },
  });

  await backfillSnapshots(db, shop.id);

  return { shopId: shop.id, skuCodes: skus.map((s) => s.code), purchaseOrderNumbers };
}

/**
 * The dashboard's history, as the nightly job writes it. The snapshot service uses the app's Prisma
 * client, so it is pointed at this database for the call (the e2e setup runs in the Vitest process).
 */
async function backfillSnapshots(db: PrismaClient, shopId: string): Promise<void> {
  const { recordNightlySnapshots } = await import("#app/services/daily-snapshot.server.ts");
  const previous = globalThis.__replenishPrisma;
  globalThis.__replenishPrisma = db;
  try {
    await recordNightlySnapshots(shopId, new Date());
  } finally {
    globalThis.__replenishPrisma = previous;
  }
}
