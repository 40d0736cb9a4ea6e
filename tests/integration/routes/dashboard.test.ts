import type { PurchaseOrderStatus } from "@prisma/client";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { loader } from "#app/routes/app._index.tsx";
import { resetDatabase } from "#tests/setup/db.ts";
import { createLocation, createShop, createSku, createSupplier, recordMovement } from "#tests/factories/index.ts";
import { callLoader, createDemoShop, useDemoMode } from "./helpers.ts";

beforeAll(useDemoMode);
beforeEach(resetDatabase);

async function createPo(shopId: string, supplierId: string, locationId: string, number: string, status: PurchaseOrderStatus, total: string, currency = "USD") {
  return prisma.purchaseOrder.create({ data: { shopId, supplierId, locationId, number, status, total, subtotal: total, currency } });
}

/** A small shop whose every figure is known, plus a second shop whose data must never be counted. */
async function seed() {
  const shop = await createDemoShop();
  const main = await createLocation({ shopId: shop.id, name: "Main" });
  const annex = await createLocation({ shopId: shop.id, name: "Annex" });

  // Stock, as [code, status, cost, quantity per location]:
  const catalogue = [
    { code: "A", status: "ACTIVE", cost: "2.5000", stock: [[main, 10], [annex, 4]] }, // 14 units, 35.00
    { code: "B", status: "ACTIVE", cost: "0.3333", stock: [[main, 3]] }, // 3 units, 0.9999 → 1.00
    { code: "C", status: "ACTIVE", cost: "7.0000", stock: [[main, 5], [main, -5]] }, // sold out: 0 → out of stock
    { code: "D", status: "SEASONAL", cost: "1.0000", stock: [] }, // never stocked → out of stock
    { code: "E", status: "DISCONTINUED", cost: "9.0000", stock: [] }, // out, but on purpose: not counted
    { code: "F", status: "ACTIVE", cost: null, stock: [[annex, 6]] }, // 6 units, no cost
    { code: "G", status: "ACTIVE", cost: "1.0000", stock: [[main, 2], [annex, 2], [annex, -3]] }, // main 2, annex -1 (oversold)
  ] as const;
  for (const item of catalogue) {
    const sku = await createSku({ shopId: shop.id, code: item.code, status: item.status, cost: item.cost });
    for (const [location, quantity] of item.stock) {
      await recordMovement({ shopId: shop.id, skuId: sku.id, locationId: location.id, quantity, kind: quantity > 0 ? "INITIAL" : "SALE" });
    }
  }

  const supplier = await createSupplier({ shopId: shop.id });
  await createPo(shop.id, supplier.id, main.id, "PO-1", "DRAFT", "100.00");
  await createPo(shop.id, supplier.id, main.id, "PO-2", "SENT", "250.50");
  await createPo(shop.id, supplier.id, main.id, "PO-3", "SENT", "49.50");
  await createPo(shop.id, supplier.id, main.id, "PO-4", "PARTIALLY_RECEIVED", "80.00", "EUR");
  await createPo(shop.id, supplier.id, main.id, "PO-5", "RECEIVED", "999.00"); // complete: not open
  await createPo(shop.id, supplier.id, main.id, "PO-6", "CANCELLED", "555.00"); // failed: not open

  await prisma.reviewItem.createMany({
    data: [
      { shopId: shop.id, kind: "LATE_SHIPMENT", subjectType: "PURCHASE_ORDER", subjectId: "x", reason: "late", dedupeKey: "1" },
      { shopId: shop.id, kind: "CHANNEL_ERROR", subjectType: "CHANNEL", subjectId: "y", reason: "down", dedupeKey: "2" },
      { shopId: shop.id, kind: "CHANNEL_ERROR", subjectType: "CHANNEL", subjectId: "z", reason: "old", dedupeKey: "3", status: "RESOLVED" },
    ],
  });
  await prisma.reorderRun.create({
    data: { shopId: shop.id, asOf: new Date("2026-03-01"), trigger: "NIGHTLY", status: "COMPLETED", startedAt: new Date("2026-03-01T05:00:00Z"), skuCount: 7, suggestionCount: 2 },
  });
  await prisma.reorderRun.create({
    data: { shopId: shop.id, asOf: new Date("2026-03-02"), trigger: "MANUAL", status: "FAILED", startedAt: new Date("2026-03-02T05:00:00Z"), skuCount: 7, suggestionCount: 0 },
  });
  // Two stock-change runs after it re-plan a few SKUs: the card keeps the whole-shop run and counts them.
  for (const at of ["2026-03-02T06:00:00Z", "2026-03-02T07:30:00Z"]) {
    await prisma.reorderRun.create({ data: { shopId: shop.id, asOf: new Date("2026-03-02"), trigger: "STOCK_CHANGE", status: "COMPLETED", startedAt: new Date(at), skuCount: 1, suggestionCount: 1 } });
  }

  // The other shop: plenty of everything, none of which may show up.
  const other = await createShop();
  const otherLocation = await createLocation({ shopId: other.id });
  const otherSku = await createSku({ shopId: other.id, code: "A", cost: "100.00" });
  await recordMovement({ shopId: other.id, skuId: otherSku.id, locationId: otherLocation.id, quantity: 1000 });
  await createSku({ shopId: other.id, code: "Z" }); // out of stock in the other shop
  const otherSupplier = await createSupplier({ shopId: other.id });
  await createPo(other.id, otherSupplier.id, otherLocation.id, "PO-1", "SENT", "5000.00");
  await prisma.reviewItem.create({ data: { shopId: other.id, kind: "LATE_SHIPMENT", subjectType: "PURCHASE_ORDER", subjectId: "o", reason: "late", dedupeKey: "1" } });
  await prisma.reorderRun.create({ data: { shopId: other.id, asOf: new Date("2026-04-01"), trigger: "NIGHTLY", startedAt: new Date("2026-04-01T05:00:00Z") } });

  return { catalogue };
}

describe("dashboard loader", () => {
  it("computes each figure from this shop's data only", async () => {
    const { catalogue } = await seed();
    const { figures } = await callLoader(loader, "/app");

    // Independent computation from the seed table: per SKU × location balance, positive balances only.
    let units = 0;
    let valueTenThousandths = 0;
    let withoutCost = 0;
    let outOfStock = 0;
    for (const item of catalogue) {
      const byLocation = new Map<string, number>();
      for (const [location, quantity] of item.stock) byLocation.set(location.id, (byLocation.get(location.id) ?? 0) + quantity);
      const held = [...byLocation.values()].filter((q) => q > 0).reduce((a, b) => a + b, 0);
      units += held;
      if (item.cost === null && held > 0) withoutCost++;
      if (item.cost !== null) valueTenThousandths += held * Math.round(Number(item.cost) * 10_000);
      if ((item.status === "ACTIVE" || item.status === "SEASONAL") && held === 0) outOfStock++;
    }

    expect(figures.skuCount).toBe(catalogue.length);
    expect(figures.unitsOnHand).toBe(units); // 14 + 3 + 6 + 2 = 25
    expect(units).toBe(25);
    expect(figures.valueOnHandAtCost).toBe(Math.round(valueTenThousandths / 100)); // cents
    expect(figures.valueOnHandAtCost).toBe(3800); // 35.00 + 1.00 (0.9999 rounded) + 2.00
    expect(figures.skusOnHandWithoutCost).toBe(withoutCost);
    expect(figures.outOfStockSkuCount).toBe(outOfStock);
    expect(outOfStock).toBe(2); // C (sold out) and D (never stocked); E is discontinued

    expect(figures.openPurchaseOrders.count).toBe(4);
    expect(figures.openPurchaseOrders.totals).toEqual([
      { currency: "EUR", total: 8000 },
      { currency: "USD", total: 40000 },
    ]);
    expect(figures.openPurchaseOrders.byStatus).toEqual([
      { status: "DRAFT", count: 1, totals: [{ currency: "USD", total: 10000 }] },
      { status: "SENT", count: 2, totals: [{ currency: "USD", total: 30000 }] },
      { status: "PARTIALLY_RECEIVED", count: 1, totals: [{ currency: "EUR", total: 8000 }] },
    ]);

    expect(figures.openReviewItemCount).toBe(2);
    expect(figures.lastReorderRun).toMatchObject({
      status: "FAILED", trigger: "MANUAL", startedAt: "2026-03-02T05:00:00.000Z", stockChangeRunsSince: 2, lastStockChangeAt: "2026-03-02T07:30:00.000Z",
    });
  });

  it("shows zeros and no run for a shop with nothing yet", async () => {
    await createDemoShop();
    const { figures } = await callLoader(loader, "/app");
    expect(figures).toMatchObject({
      skuCount: 0,
      unitsOnHand: 0,
      valueOnHandAtCost: 0,
      outOfStockSkuCount: 0,
      openPurchaseOrders: { count: 0, totals: [], byStatus: [] },
      openReviewItemCount: 0,
      lastReorderRun: null,
    });
  });

  it("shows a reorder run that finished after today's snapshot row was written", async () => {
    const shop = await createDemoShop();
    expect((await callLoader(loader, "/app")).figures.lastReorderRun).toBeNull(); // writes today's row
    await prisma.reorderRun.create({ data: { shopId: shop.id, asOf: new Date(), trigger: "MANUAL", status: "COMPLETED", startedAt: new Date(), skuCount: 3, suggestionCount: 6 } });
    expect((await callLoader(loader, "/app")).figures.lastReorderRun).toMatchObject({ status: "COMPLETED", trigger: "MANUAL", skuCount: 3, suggestionCount: 6, stockChangeRunsSince: 0 });
  });

  it("channel health says Shopify is not connected yet (not Healthy) until the install's offline session exists, as the Channels page does", async () => {
    const shop = await createDemoShop();
    await prisma.channelConnection.createMany({ data: [{ shopId: shop.id, channel: "SHOPIFY", status: "CONNECTED" }, { shopId: shop.id, channel: "AMAZON", status: "CONNECTED" }] });
    const before = (await callLoader(loader, "/app")).figures.channels;
    expect(before.map((c) => [c.channel, c.status, c.awaitingInstall])).toEqual([
      ["SHOPIFY", "CONNECTED", true],
      ["AMAZON", "CONNECTED", false],
    ]);

    // The install finishes after today's snapshot row was written: the dashboard follows at once.
    await prisma.session.create({ data: { id: `offline_${shop.domain}`, shop: shop.domain, state: "", isOnline: false, accessToken: "token" } });
    const after = (await callLoader(loader, "/app")).figures.channels;
    expect(after.map((c) => [c.channel, c.awaitingInstall])).toEqual([
      ["SHOPIFY", false],
      ["AMAZON", false],
    ]);
  });

  it("answers 503 when the demo shop has not been seeded", async () => {
    await expect(callLoader(loader, "/app")).rejects.toMatchObject({ status: 503 });
  });
});
