// The demo's purchase orders: every state of the lifecycle, each reached through the app's own
// services (so each has its event log), one three-round negotiation waiting for the merchant, receipts
// through the ledger; a second run adds nothing.
import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { getNegotiationView } from "#app/services/po-negotiation.server.ts";
import { seedPurchasingDemo } from "../../../prisma/seed/purchasing-demo.ts";
import { createLocation, createShop, createSku, createSupplier, createSupplierProduct } from "#tests/factories/index.ts";
import { resetDatabase } from "#tests/setup/db.ts";

beforeEach(resetDatabase);

describe("seedPurchasingDemo", () => {
  it("creates POs in every state with realistic event logs and one open multi-round negotiation", async () => {
    const shop = await createShop({ currency: "GBP" });
    const location = await createLocation({ shopId: shop.id, isDefault: true });
    for (let s = 0; s < 3; s++) {
      const supplier = await createSupplier({ shopId: shop.id, contactName: `Contact ${s}` });
      for (let i = 0; i < 2; i++) await createSupplierProduct({ shopId: shop.id, supplierId: supplier.id, skuId: (await createSku({ shopId: shop.id })).id, unitCost: "3.50", casePack: 6 });
    }
    const counts = { purchaseOrders: 0, purchaseOrderLines: 0, purchaseOrderEvents: 0, receipts: 0, receiptLines: 0, inventoryMovements: 0 };
    const summary = await seedPurchasingDemo(prisma, shop.id, { asOf: "2026-11-24", counts });

    const statuses = (await prisma.purchaseOrder.findMany({ where: { shopId: shop.id }, select: { status: true } })).map((p) => p.status);
    expect(new Set(statuses)).toEqual(new Set(["DRAFT", "AWAITING_APPROVAL", "SENT", "ACKNOWLEDGED", "COUNTERED", "CONFIRMED", "SHIPPED", "ARRIVING", "PARTIALLY_RECEIVED", "CLOSED", "CANCELLED"]));
    expect(counts).toEqual({
      purchaseOrders: await prisma.purchaseOrder.count(),
      purchaseOrderLines: await prisma.purchaseOrderLine.count(),
      purchaseOrderEvents: await prisma.purchaseOrderEvent.count(),
      receipts: 2,
      receiptLines: await prisma.receiptLine.count(),
      inventoryMovements: await prisma.inventoryMovement.count(),
    });

    const view = await getNegotiationView(shop.id, summary.negotiationPurchaseOrderId!);
    expect(view.status).toBe("COUNTERED");
    expect(view.turn).toBe("MERCHANT");
    expect(view.thread.filter((e) => e.type === "OFFER").map((e) => [e.actorType, e.offer?.round])).toEqual([["SUPPLIER", 1], ["MERCHANT", 2], ["SUPPLIER", 3]]);

    // Every open or finished PO past approval has its send in the log, with backdated instants in order.
    const shipped = await prisma.purchaseOrder.findFirstOrThrow({ where: { shopId: shop.id, status: "SHIPPED" }, include: { events: { orderBy: { createdAt: "asc" } } } });
    expect(shipped.events.filter((e) => e.type === "STATUS_CHANGE").map((e) => e.toStatus)).toEqual(["DRAFT", "SENT", "CONFIRMED", "SHIPPED"]);
    expect(shipped.trackingNumbers).toHaveLength(1);
    expect(shipped.expectedArrivalDate).not.toBeNull();

    // Receipts went through the ledger: on-hand equals the movements.
    const levels = await prisma.inventoryLevel.findMany({ where: { shopId: shop.id, locationId: location.id } });
    for (const level of levels) {
      const sum = await prisma.inventoryMovement.aggregate({ where: { shopId: shop.id, skuId: level.skuId, locationId: location.id }, _sum: { quantity: true } });
      expect(level.onHand).toBe(sum._sum.quantity);
    }

    const again = await seedPurchasingDemo(prisma, shop.id, { asOf: "2026-11-24" });
    expect(again.created).toEqual([]);
    expect(await prisma.purchaseOrder.count()).toBe(statuses.length);
  });
});
