import type { PurchaseOrder, PurchaseOrderStatus } from "@prisma/client";
import { prisma } from "#app/db.server.ts";
import { nextDocumentNumber } from "#app/models/document-sequence.server.ts";
import { createLocation, createShop, createSku, createSupplier } from "#tests/factories/index.ts";

export interface PurchasingFixture {
  shopId: string;
  supplierId: string;
  locationId: string;
  skuIds: string[];
}

export async function createPurchasingFixture(options: { autoSend?: boolean; currency?: string } = {}): Promise<PurchasingFixture> {
  const shop = await createShop(options.currency ? { currency: options.currency } : {});
  const supplier = await createSupplier({ shopId: shop.id, autoSend: options.autoSend ?? false });
  const location = await createLocation({ shopId: shop.id });
  const skus = [await createSku({ shopId: shop.id }), await createSku({ shopId: shop.id })];
  return { shopId: shop.id, supplierId: supplier.id, locationId: location.id, skuIds: skus.map((s) => s.id) };
}

/** A numbered PO with two lines, as the replenishment service would write it; optional ABC classes via engine suggestions. */
export async function createPurchaseOrder(
  f: PurchasingFixture,
  options: { status?: PurchaseOrderStatus; total?: string; currency?: string; flags?: string[]; abcClasses?: (string | null)[]; approvedAt?: Date } = {},
): Promise<PurchaseOrder> {
  const number = await prisma.$transaction((tx) => nextDocumentNumber(tx, f.shopId, "PO", 2026));
  let suggestionIds: (string | null)[] = f.skuIds.map(() => null);
  if (options.abcClasses) {
    const run = await prisma.reorderRun.create({ data: { shopId: f.shopId, asOf: new Date("2026-03-01"), trigger: "MANUAL", status: "COMPLETED" } });
    suggestionIds = await Promise.all(
      f.skuIds.map(async (skuId, i) => {
        const s = await prisma.reorderSuggestion.create({
          data: {
            shopId: f.shopId, runId: run.id, skuId, locationId: f.locationId, action: "PURCHASE", quantity: 10, rawQuantity: "10",
            dailyForecast: "1", safetyStock: "2", reorderPoint: "5", targetStock: "15", stockPosition: 3, flags: [],
            explanation: {}, explanationText: "test", abcClass: options.abcClasses?.[i] ?? null,
          },
        });
        return s.id;
      }),
    );
  }
  return prisma.purchaseOrder.create({
    data: {
      shopId: f.shopId,
      number,
      supplierId: f.supplierId,
      locationId: f.locationId,
      status: options.status ?? "DRAFT",
      currency: options.currency ?? "USD",
      subtotal: options.total ?? "500.00",
      total: options.total ?? "500.00",
      flags: options.flags ?? [],
      approvedAt: options.approvedAt ?? null,
      lines: {
        create: f.skuIds.map((skuId, i) => ({ shopId: f.shopId, skuId, quantityOrdered: 50, unitCost: "5.00", suggestionId: suggestionIds[i] ?? null })),
      },
    },
  });
}
