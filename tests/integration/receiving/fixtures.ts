import type { PurchaseOrderStatus } from "@prisma/client";
import { prisma } from "#app/db.server.ts";
import { nextDocumentNumber } from "#app/models/document-sequence.server.ts";
import { createLocation, createShop, createSku, createSupplier, recordMovement } from "#tests/factories/index.ts";

export interface ReceivingFixture {
  shopId: string;
  supplierId: string;
  locationId: string;
  purchaseOrderId: string;
  number: string;
  mugId: string;
  plateId: string;
  mugLineId: string;
  plateLineId: string;
}

/**
 * A sent PO for 3 mugs (MUG-BLUE, barcode 4006381333900, 4.00 each, 2 already on hand) and 2 plates
 * (PLATE-WHITE, barcode 4006381333931, 2.50 each): total 17.00.
 */
export async function createReceivingFixture(options: { sentAt?: Date; depositPct?: string; status?: PurchaseOrderStatus; shopId?: string } = {}): Promise<ReceivingFixture> {
  const shopId = options.shopId ?? (await createShop()).id;
  const supplier = await createSupplier({ shopId, paymentTermsDays: 30, depositPct: options.depositPct ?? "0" });
  const location = await createLocation({ shopId });
  const suffix = options.shopId ? `-${Math.random().toString(36).slice(2, 6).toUpperCase()}` : "";
  const mug = await createSku({ shopId, code: `MUG-BLUE${suffix}`, title: "Blue mug", barcode: `40063813339${suffix ? "01" : "00"}` });
  const plate = await createSku({ shopId, code: `PLATE-WHITE${suffix}`, title: "White plate", barcode: `40063813339${suffix ? "32" : "31"}` });
  await recordMovement({ shopId, skuId: mug.id, locationId: location.id, quantity: 2 });
  const number = await prisma.$transaction((tx) => nextDocumentNumber(tx, shopId, "PO", 2026));
  const status = options.status ?? "SENT";
  const po = await prisma.purchaseOrder.create({
    data: {
      shopId,
      number,
      supplierId: supplier.id,
      locationId: location.id,
      status,
      subtotal: "17.00",
      total: "17.00",
      approvedAt: status === "DRAFT" ? null : new Date("2026-03-01T00:00:00Z"),
      sentAt: status === "DRAFT" ? null : (options.sentAt ?? new Date("2026-03-02T09:00:00Z")),
      lines: {
        create: [
          { shopId, skuId: mug.id, quantityOrdered: 3, unitCost: "4.00" },
          { shopId, skuId: plate.id, quantityOrdered: 2, unitCost: "2.50" },
        ],
      },
    },
    include: { lines: true },
  });
  const lineOf = (skuId: string) => po.lines.find((l) => l.skuId === skuId)?.id as string;
  return {
    shopId,
    supplierId: supplier.id,
    locationId: location.id,
    purchaseOrderId: po.id,
    number,
    mugId: mug.id,
    plateId: plate.id,
    mugLineId: lineOf(mug.id),
    plateLineId: lineOf(plate.id),
  };
}
