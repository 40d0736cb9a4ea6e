import type { PurchaseOrderStatus } from "@prisma/client";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { loader as purchaseOrdersLoader } from "#app/routes/app.purchase-orders._index.tsx";
import { loader as receivingLoader } from "#app/routes/app.receiving._index.tsx";
import { loader as suppliersLoader } from "#app/routes/app.suppliers._index.tsx";
import { loader as shellLoader } from "#app/routes/app.tsx";
import { resetDatabase } from "#tests/setup/db.ts";
import { createLocation, createShop, createSku, createSupplier, createSupplierProduct } from "#tests/factories/index.ts";
import { callLoader, createDemoShop, useDemoMode } from "./helpers.ts";

beforeAll(useDemoMode);
beforeEach(resetDatabase);

async function seedPos(shopId: string, statuses: PurchaseOrderStatus[], prefix = "PO") {
  const supplier = await createSupplier({ shopId, name: `${prefix} supplier` });
  const location = await createLocation({ shopId });
  const sku = await createSku({ shopId, code: `${prefix}-SKU`, title: `${prefix} widget` });
  const orders = [];
  for (const [i, status] of statuses.entries()) {
    orders.push(
      await prisma.purchaseOrder.create({
        data: {
          shopId,
          supplierId: supplier.id,
          locationId: location.id,
          number: `${prefix}-${i + 1}`,
          status,
          total: "10.00",
          createdAt: new Date(Date.UTC(2026, 0, 1 + i)),
          expectedArrivalDate: i % 2 === 0 ? new Date(Date.UTC(2026, 1, 20 - i)) : null,
          lines: { create: { shopId, skuId: sku.id, quantityOrdered: 12, quantityReceived: i, unitCost: "0.8333" } },
        },
      }),
    );
  }
  return orders;
}

describe("app shell loader", () => {
  it("says demo and names the shop", async () => {
    await createDemoShop({ name: "Bright Mugs" });
    expect(await callLoader(shellLoader, "/app")).toEqual({ apiKey: "test-api-key", demo: true, shopName: "Bright Mugs" });
  });
});

describe("suppliers loader", () => {
  it("lists the shop's suppliers with their product counts", async () => {
    const shop = await createDemoShop();
    const acme = await createSupplier({ shopId: shop.id, name: "Acme", poDelivery: "PORTAL", leadTimeDays: 21, autoSend: true });
    await createSupplier({ shopId: shop.id, name: "Bolt & Co", orderEmail: null });
    await createSupplierProduct({ shopId: shop.id, supplierId: acme.id });
    await createSupplierProduct({ shopId: shop.id, supplierId: acme.id });
    await createSupplier({ shopId: (await createShop()).id, name: "Elsewhere Ltd" });

    const { suppliers } = await callLoader(suppliersLoader, "/app/suppliers");
    expect(suppliers.map((s) => [s.name, s.productCount, s.poDelivery, s.leadTimeDays, s.autoSend, s.orderEmail])).toEqual([
      ["Acme", 2, "PORTAL", 21, true, acme.orderEmail],
      ["Bolt & Co", 0, "EMAIL", 14, false, null],
    ]);
  });
});

describe("purchase orders loader", () => {
  it("filters by status group, newest first, within the shop", async () => {
    const shop = await createDemoShop();
    await seedPos(shop.id, ["DRAFT", "SENT", "RECEIVED", "CLOSED", "CANCELLED", "PARTIALLY_RECEIVED"]);
    await seedPos((await createShop()).id, ["DRAFT", "RECEIVED"], "XX");

    const numbers = async (path: string) => (await callLoader(purchaseOrdersLoader, path)).page.items.map((po) => po.number);
    expect(await numbers("/app/purchase-orders")).toEqual(["PO-6", "PO-2", "PO-1"]); // OPEN by default
    expect(await numbers("/app/purchase-orders?status=OPEN")).toEqual(["PO-6", "PO-2", "PO-1"]);
    expect(await numbers("/app/purchase-orders?status=COMPLETE")).toEqual(["PO-4", "PO-3"]);
    expect(await numbers("/app/purchase-orders?status=FAILED")).toEqual(["PO-5"]);
    expect(await numbers("/app/purchase-orders?status=ALL")).toEqual(["PO-6", "PO-5", "PO-4", "PO-3", "PO-2", "PO-1"]);
    expect(await numbers("/app/purchase-orders?status=bogus")).toEqual(["PO-6", "PO-2", "PO-1"]);

    const [first] = (await callLoader(purchaseOrdersLoader, "/app/purchase-orders")).page.items;
    expect(first).toMatchObject({ number: "PO-6", supplierName: "PO supplier", locationName: expect.stringMatching(/^Warehouse \d+$/), status: "PARTIALLY_RECEIVED", total: 1000, currency: "USD" });
  });
});

describe("receiving loader", () => {
  it("lists POs awaiting receipt, soonest expected first", async () => {
    const shop = await createDemoShop();
    // Index 0..5; even indexes have an expected date that gets earlier as the index grows.
    await seedPos(shop.id, ["DRAFT", "SENT", "CONFIRMED", "SHIPPED", "PARTIALLY_RECEIVED", "RECEIVED"]);
    const { desk } = await callLoader(receivingLoader, "/app/receiving");
    expect(desk.awaiting.map((po) => po.number)).toEqual(["PO-5", "PO-3", "PO-2", "PO-4"]);
    expect(desk.lookup).toBeUndefined();
  });

  it("finds a scanned PO by number (any case, stray spaces), with its lines", async () => {
    const shop = await createDemoShop();
    await seedPos(shop.id, ["SENT", "RECEIVED"]);
    const { desk } = await callLoader(receivingLoader, "/app/receiving?po=%20po-1%20");
    expect(desk.lookup).toMatchObject({
      number: "PO-1",
      purchaseOrder: { number: "PO-1", awaitingReceipt: true, lines: [{ skuCode: "PO-SKU", quantityOrdered: 12, quantityReceived: 0 }] },
    });
    const received = await callLoader(receivingLoader, "/app/receiving?po=PO-2");
    expect(received.desk.lookup?.purchaseOrder).toMatchObject({ status: "RECEIVED", awaitingReceipt: false });
  });

  it("reports a number it does not know, including another shop's PO", async () => {
    await createDemoShop();
    await seedPos((await createShop()).id, ["SENT"], "XX");
    const { desk } = await callLoader(receivingLoader, "/app/receiving?po=XX-1");
    expect(desk.lookup).toEqual({ number: "XX-1", purchaseOrder: null });
    expect(desk.awaiting).toEqual([]);
  });
});
