// A small hand-built shop for the replenishment tests. Every input the engine sees is written here, and
// `expectedInput()` rebuilds the engine's input from the same literal values WITHOUT the loader, so tests
// can compare what the service stored with the engine called directly.
import type { Location, Shop, Sku, Supplier } from "@prisma/client";
import { prisma } from "#app/db.server.ts";
import {
  DEFAULT_SUPPLIER_PARAMETERS,
  toCents,
  toPriceUnits,
  type ReplenishmentInput,
  type SkuLocationSnapshot,
} from "#app/domain/reorder/index.ts";
import { addDays, toDayNumber } from "#app/domain/shared/day.ts";
import { createLocation, createShop, createSku, createSupplier, createSupplierProduct, recordMovement } from "#tests/factories/index.ts";

export const AS_OF = "2026-03-10";
/** Noon UTC on AS_OF: the shop is on UTC, so its local day is AS_OF. */
export const NOW = new Date(`${AS_OF}T12:00:00.000Z`);
export const DEMAND_DAYS = 120;
const HISTORY_DAYS = 728; // the loader's default window

export interface ShopFixture {
  shop: Shop;
  main: Location;
  annex: Location;
  reliable: Supplier;
  disputed: Supplier;
  skus: { a: Sku; b: Sku; c: Sku; d: Sku; t: Sku };
  /** Units per day index (0 = AS_OF − DEMAND_DAYS) per SKU × location, as written to DailyDemand. */
  demand: Map<string, number[]>;
  onHand: Map<string, number>;
  receivedPos: { sentOn: string; receivedOn: string; skuIds: string[]; quantity: number }[];
}

export const key = (skuId: string, locationId: string) => `${skuId}|${locationId}`;

async function writeDemand(shopId: string, skuId: string, locationId: string, unitsOf: (i: number) => number, f: ShopFixture["demand"]) {
  const units = Array.from({ length: DEMAND_DAYS }, (_, i) => unitsOf(i));
  f.set(key(skuId, locationId), units);
  await prisma.dailyDemand.createMany({
    data: units.map((u, i) => ({
      shopId, skuId, locationId, day: new Date(`${addDays(AS_OF, i - DEMAND_DAYS)}T00:00:00.000Z`), units: u, orderCount: u > 0 ? 1 : 0, largestOrderUnits: u,
    })),
  });
}

async function stock(shopId: string, skuId: string, locationId: string, quantity: number, f: ShopFixture["onHand"]) {
  f.set(key(skuId, locationId), quantity);
  await recordMovement({ shopId, skuId, locationId, quantity, kind: "INITIAL" });
}

/**
 * Shop A: a reliable supplier with 8 received POs (lead time from history) supplying A, B, D (discontinued)
 * and T (stocked at Main, selling at the Annex: a transfer), and a supplier with an open quality dispute
 * supplying C. Everything is short at Main, so both suppliers get a PO; the disputed one is flagged.
 */
export async function buildShop(overrides: { domain?: string } = {}): Promise<ShopFixture> {
  const shop = await createShop({ timezone: "UTC", currency: "USD", ...(overrides.domain ? { domain: overrides.domain, isDemo: true } : {}) });
  // Above the reliable supplier's PO (~$2,130): only the disputed supplier's PO is flagged.
  await prisma.shopSettings.update({ where: { shopId: shop.id }, data: { approvalThreshold: "5000.00" } });
  const main = await createLocation({ shopId: shop.id, name: "Main", isDefault: true, createdAt: new Date("2025-01-01T00:00:00Z") });
  const annex = await createLocation({ shopId: shop.id, name: "Annex", createdAt: new Date("2025-01-02T00:00:00Z") });
  const reliable = await createSupplier({ shopId: shop.id, name: "Reliable Co", leadTimeDays: 12 });
  const disputed = await createSupplier({ shopId: shop.id, name: "Disputed Ltd", leadTimeDays: 20, qualityDisputeOpen: true });
  const skus = {
    a: await createSku({ shopId: shop.id, code: "A-100", title: "Alpha mug" }),
    b: await createSku({ shopId: shop.id, code: "B-200", title: "Beta bowl" }),
    c: await createSku({ shopId: shop.id, code: "C-300", title: "Gamma plate" }),
    d: await createSku({ shopId: shop.id, code: "D-400", title: "Delta jug", status: "DISCONTINUED" }),
    t: await createSku({ shopId: shop.id, code: "T-500", title: "Theta tray" }),
  };
  for (const sku of [skus.a, skus.b, skus.d, skus.t]) await createSupplierProduct({ shopId: shop.id, supplierId: reliable.id, skuId: sku.id, unitCost: "4.00" });
  await createSupplierProduct({ shopId: shop.id, supplierId: disputed.id, skuId: skus.c.id, unitCost: "3.25", supplierPartNumber: "DL-C" });

  const f: ShopFixture = { shop, main, annex, reliable, disputed, skus, demand: new Map(), onHand: new Map(), receivedPos: [] };
  await writeDemand(shop.id, skus.a.id, main.id, (i) => 8 + (i % 5), f.demand);
  await writeDemand(shop.id, skus.b.id, main.id, (i) => (i % 2 === 0 ? 6 : 3), f.demand);
  await writeDemand(shop.id, skus.c.id, main.id, (i) => 2 + (i % 3), f.demand);
  await writeDemand(shop.id, skus.d.id, main.id, (i) => (i % 4 === 0 ? 2 : 1), f.demand);
  await writeDemand(shop.id, skus.t.id, main.id, (i) => (i % 10 === 0 ? 1 : 0), f.demand);
  await writeDemand(shop.id, skus.t.id, annex.id, (i) => 3 + (i % 3), f.demand);
  await stock(shop.id, skus.a.id, main.id, 20, f.onHand);
  await stock(shop.id, skus.b.id, main.id, 10, f.onHand);
  await stock(shop.id, skus.c.id, main.id, 5, f.onHand);
  await stock(shop.id, skus.d.id, main.id, 2, f.onHand);
  await stock(shop.id, skus.t.id, main.id, 600, f.onHand);

  // Eight received POs from the reliable supplier (A on each): enough for a lead time from history.
  for (let k = 0; k < 8; k++) {
    const sentOn = addDays("2025-10-01", 12 * k);
    const receivedOn = addDays(sentOn, 9 + (k % 3));
    const po = await prisma.purchaseOrder.create({
      data: {
        shopId: shop.id, number: `HIST-${k}`, supplierId: reliable.id, locationId: main.id, status: "RECEIVED",
        sentAt: new Date(`${sentOn}T10:00:00.000Z`), receivedAt: new Date(`${receivedOn}T15:00:00.000Z`), total: "1600.00", subtotal: "1600.00",
      },
    });
    await prisma.purchaseOrderLine.create({ data: { shopId: shop.id, purchaseOrderId: po.id, skuId: skus.a.id, quantityOrdered: 400, quantityReceived: 400, unitCost: "4.00" } });
    f.receivedPos.push({ sentOn, receivedOn, skuIds: [skus.a.id], quantity: 400 });
  }
  return f;
}

/** A second shop with plenty of everything: none of it may reach shop A's run. */
export async function buildOtherShop(): Promise<{ shop: Shop; sku: Sku; supplier: Supplier }> {
  const shop = await createShop({ timezone: "UTC" });
  const location = await createLocation({ shopId: shop.id, name: "Main", isDefault: true });
  const supplier = await createSupplier({ shopId: shop.id, name: "Reliable Co" });
  const sku = await createSku({ shopId: shop.id, code: "A-100" });
  await createSupplierProduct({ shopId: shop.id, supplierId: supplier.id, skuId: sku.id, unitCost: "1.00" });
  await prisma.dailyDemand.createMany({
    data: Array.from({ length: DEMAND_DAYS }, (_, i) => ({ shopId: shop.id, skuId: sku.id, locationId: location.id, day: new Date(`${addDays(AS_OF, i - DEMAND_DAYS)}T00:00:00.000Z`), units: 500 })),
  });
  return { shop, sku, supplier };
}

/** The engine input for shop A, written from the fixture's literals (the loader is not used). */
export function expectedInput(f: ShopFixture): ReplenishmentInput {
  const startDay = addDays(AS_OF, -HISTORY_DAYS);
  const offset = HISTORY_DAYS - DEMAND_DAYS;
  const snapshot = (skuId: string, locationId: string, status: SkuLocationSnapshot["status"], offers: SkuLocationSnapshot["offers"], recent: number[]): SkuLocationSnapshot => {
    const daily = f.demand.get(key(skuId, locationId)) ?? [];
    const units = new Float64Array(HISTORY_DAYS);
    daily.forEach((u, i) => (units[offset + i] = u));
    const orderDay: number[] = [];
    const orderQuantity: number[] = [];
    units.forEach((u, i) => {
      if (u > 0) {
        orderDay.push(i);
        orderQuantity.push(u);
      }
    });
    const firstIndex = daily.findIndex((u) => u > 0);
    return {
      skuId, locationId, status,
      history: { startDay, units, outOfStock: new Uint8Array(HISTORY_DAYS), orderDay: Int32Array.from(orderDay), orderQuantity: Float64Array.from(orderQuantity) },
      firstSaleDay: addDays(AS_OF, firstIndex - DEMAND_DAYS),
      onHand: f.onHand.get(key(skuId, locationId)) ?? 0, committed: 0, backordered: 0, kitSupply: 0, openPurchaseOrders: [],
      sellPrice: toPriceUnits("12.00"), offers, recentPurchaseQuantities: recent,
    };
  };
  const reliableOffer = { supplierId: f.reliable.id, unitCost: toPriceUnits("4.00"), priceBreaks: [], moq: 1, casePack: 1, defectRate: 0, moqFlexibility: 0.5 };
  const disputedOffer = { ...reliableOffer, supplierId: f.disputed.id, unitCost: toPriceUnits("3.25") };
  const { a, b, c, d, t } = f.skus;
  // Sent within the last 365 days: each of the 8 history POs is a "recent purchase" of A at Main.
  const recentA = f.receivedPos.filter((p) => toDayNumber(AS_OF) - toDayNumber(p.sentOn) <= 365).map((p) => p.quantity).slice(0, 10);
  const skus = [
    snapshot(a.id, f.main.id, "active", [reliableOffer], recentA),
    snapshot(b.id, f.main.id, "active", [reliableOffer], []),
    snapshot(c.id, f.main.id, "active", [disputedOffer], []),
    snapshot(d.id, f.main.id, "discontinued", [reliableOffer], []),
    snapshot(t.id, f.annex.id, "active", [reliableOffer], []),
    snapshot(t.id, f.main.id, "active", [reliableOffer], []),
  ].sort((x, y) => (x.skuId === y.skuId ? (x.locationId < y.locationId ? -1 : 1) : x.skuId < y.skuId ? -1 : 1));
  return {
    shop: {
      currency: "USD", forecastMethod: "auto", serviceLevels: { A: 0.999, B: 0.995, C: 0.995 }, reviewDays: 1, leadTimePercentile: 85, trustPeriod: false,
      approvalThreshold: toCents("5000.00"), holdingCostRate: 0.25,
    },
    suppliers: [
      { supplierId: f.reliable.id, name: f.reliable.name, parameters: { ...DEFAULT_SUPPLIER_PARAMETERS, leadTimeDays: 12 }, disputeOpen: false,
        receivedPurchaseOrders: f.receivedPos.map((p) => ({ placedOn: p.sentOn, receivedOn: p.receivedOn, skuIds: p.skuIds })) },
      { supplierId: f.disputed.id, name: f.disputed.name, parameters: { ...DEFAULT_SUPPLIER_PARAMETERS, leadTimeDays: 20 }, disputeOpen: true, receivedPurchaseOrders: [] },
    ].sort((x, y) => (x.supplierId < y.supplierId ? -1 : 1)),
    skus,
    promotions: [],
  };
}
