// Data builders for integration tests: each takes overrides and returns the created row. Defaults are
// unique per call (a counter), so tests create as many rows as they like without clashing on the
// schema's unique keys. Stock is only ever created through the ledger, like in the app.
import type { InventoryMovement, Location, Prisma, Shop, Sku, Supplier, SupplierProduct } from "@prisma/client";
import { prisma } from "#app/db.server.ts";
import { appendMovement, type MovementInput } from "#app/models/ledger.server.ts";

let counter = 0;
const next = () => ++counter;

export async function createShop(overrides: Partial<Prisma.ShopUncheckedCreateInput> = {}): Promise<Shop> {
  const n = next();
  return prisma.shop.create({
    data: { domain: `test-shop-${n}.myshopify.com`, name: `Test shop ${n}`, settings: { create: {} }, ...overrides },
  });
}

async function shopIdOf(overrides: { shopId?: string }): Promise<string> {
  return overrides.shopId ?? (await createShop()).id;
}

export async function createLocation(overrides: Partial<Prisma.LocationUncheckedCreateInput> = {}): Promise<Location> {
  const n = next();
  return prisma.location.create({ data: { name: `Warehouse ${n}`, ...overrides, shopId: await shopIdOf(overrides) } });
}

export async function createSku(overrides: Partial<Prisma.SkuUncheckedCreateInput> = {}): Promise<Sku> {
  const n = next();
  return prisma.sku.create({
    data: { code: `SKU-${n}`, title: `Product ${n}`, cost: "4.50", price: "12.00", ...overrides, shopId: await shopIdOf(overrides) },
  });
}

export async function createSupplier(overrides: Partial<Prisma.SupplierUncheckedCreateInput> = {}): Promise<Supplier> {
  const n = next();
  return prisma.supplier.create({
    data: { name: `Supplier ${n}`, orderEmail: `orders+${n}@supplier.test`, ...overrides, shopId: await shopIdOf(overrides) },
  });
}

/** Links a supplier and a SKU of the same shop; creates whichever is not given. */
export async function createSupplierProduct(overrides: Partial<Prisma.SupplierProductUncheckedCreateInput> = {}): Promise<SupplierProduct> {
  const shopId = await shopIdOf(overrides);
  const supplierId = overrides.supplierId ?? (await createSupplier({ shopId })).id;
  const skuId = overrides.skuId ?? (await createSku({ shopId })).id;
  return prisma.supplierProduct.create({ data: { unitCost: "4.00", ...overrides, shopId, supplierId, skuId } });
}

/**
 * Posts one movement through the ledger (the only writer of stock). Creates the shop, SKU and location
 * when not given; defaults to an opening balance of 10 units.
 */
export async function recordMovement(
  overrides: Partial<MovementInput> & { shopId?: string } = {},
): Promise<InventoryMovement> {
  const { shopId: givenShopId, ...movement } = overrides;
  const shopId = givenShopId ?? (await createShop()).id;
  const n = next();
  return appendMovement(shopId, {
    kind: "INITIAL",
    quantity: 10,
    sourceType: "MANUAL",
    sourceId: null,
    idempotencyKey: `test-movement-${n}`,
    occurredAt: new Date("2026-01-01T00:00:00Z"),
    ...movement,
    skuId: movement.skuId ?? (await createSku({ shopId })).id,
    locationId: movement.locationId ?? (await createLocation({ shopId })).id,
  });
}
