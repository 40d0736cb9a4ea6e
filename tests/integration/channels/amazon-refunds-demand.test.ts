import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { connectChannel } from "#app/models/channel-connection.server.ts";
import { listUnmappedListings, mapListing } from "#app/models/channel-listing.server.ts";
import { syncOrders } from "#app/services/order-sync.server.ts";
import { pullStock } from "#app/services/stock-sync.server.ts";
import { startAmazonSandbox, type AmazonSandbox } from "#sandbox/amazon/server.ts";
import { clock, newShopifyShop, startShopifyWorld, type ShopifyWorld } from "../channel-sync/helpers.ts";

// Issue 4 acceptance, "cancellations and refunds reflected in demand", for Amazon end to end: sandbox →
// amazon-sp-api → adapter (Finances RefundEventList) → order sync → DailyDemand.returnedUnits.

let shopify: ShopifyWorld;
let amazon: AmazonSandbox;
const deps = { requestStockPush: async () => {}, now: () => new Date(clock.now) };

beforeAll(async () => {
  shopify = await startShopifyWorld();
  amazon = await startAmazonSandbox();
});
afterAll(async () => {
  await Promise.all([shopify?.sandbox.close(), amazon?.close()]);
  delete process.env.SHOPIFY_ADMIN_ORIGIN;
});

describe("Amazon refunds in demand", () => {
  it("a refund posted after the first sync becomes returned units on the next incremental sync, a cancellation leaves no demand", async () => {
    const { shop, skus } = await newShopifyShop(shopify, { variants: 2, available: 10 });
    for (const sku of skus) amazon.state.addListing({ sku: sku.code, quantity: 10 });
    await connectChannel(shop.id, "AMAZON", {
      settings: { region: "na", sellerId: amazon.state.sellerId, marketplaceId: amazon.state.marketplaceId, loopbackPort: amazon.port, initialOrdersSince: new Date(clock.now - 60_000).toISOString() },
      credentials: { clientId: amazon.state.clientId, clientSecret: amazon.state.clientSecret, refreshToken: amazon.state.refreshToken },
    });
    await pullStock(shop.id, "AMAZON", deps);
    for (const listing of await listUnmappedListings(shop.id)) await mapListing(shop.id, listing.id, listing.suggestions[0]!.skuId);

    const sold = amazon.state.addOrder({ at: clock.now, lines: [{ sku: skus[0]!.code, quantity: 3, unitPrice: "5.00" }] });
    const cancelled = amazon.state.addOrder({ at: clock.now, lines: [{ sku: skus[1]!.code, quantity: 2, unitPrice: "5.00" }] });
    amazon.state.shipOrder(sold.AmazonOrderId, clock.now + 60_000);
    amazon.state.cancelOrder(cancelled.AmazonOrderId, clock.now + 60_000);
    await syncOrders(shop.id, "AMAZON", deps);
    const demandOf = (skuId: string) => prisma.dailyDemand.findFirst({ where: { shopId: shop.id, skuId } });
    expect(await demandOf(skus[0]!.id)).toMatchObject({ units: 3, returnedUnits: 0 });
    expect((await demandOf(skus[1]!.id))?.units ?? 0).toBe(0);

    // Two of the three units come back; the order itself does not change on Amazon.
    amazon.state.refundOrder(sold.AmazonOrderId, [{ sku: skus[0]!.code, quantity: 2 }], clock.now + 3_600_000);
    await syncOrders(shop.id, "AMAZON", deps);
    // Demand is net of refunds (the service's rule): 3 sold − 2 refunded, the 2 recorded as returned.
    expect(await demandOf(skus[0]!.id)).toMatchObject({ units: 1, returnedUnits: 2 });
    const line = await prisma.salesOrderLine.findFirstOrThrow({ where: { skuId: skus[0]!.id } });
    expect(line).toMatchObject({ quantity: 3, refundedQuantity: 2 });

    // A sync with nothing new changes nothing.
    await syncOrders(shop.id, "AMAZON", deps);
    expect(await demandOf(skus[0]!.id)).toMatchObject({ units: 1, returnedUnits: 2 });
  });

  it("a refund that appears late in the Finances API, dated before the walk's watermark, is counted once (default overlap: 48 h)", async () => {
    const { shop, skus } = await newShopifyShop(shopify, { variants: 1, available: 10 });
    const sku = skus[0]!;
    amazon.state.addListing({ sku: sku.code, quantity: 10 });
    await connectChannel(shop.id, "AMAZON", {
      // No refundsOverlapMs: the adapter's default applies.
      settings: { region: "na", sellerId: amazon.state.sellerId, marketplaceId: amazon.state.marketplaceId, loopbackPort: amazon.port, initialOrdersSince: new Date(clock.now - 60_000).toISOString() },
      credentials: { clientId: amazon.state.clientId, clientSecret: amazon.state.clientSecret, refreshToken: amazon.state.refreshToken },
    });
    await pullStock(shop.id, "AMAZON", deps);
    // The sandbox also lists the first test's SKUs: only ours have a suggestion here.
    for (const listing of await listUnmappedListings(shop.id)) if (listing.suggestions[0]) await mapListing(shop.id, listing.id, listing.suggestions[0].skuId);
    const demandOf = () => prisma.dailyDemand.findFirst({ where: { shopId: shop.id, skuId: sku.id } });

    const order = amazon.state.addOrder({ at: clock.now, lines: [{ sku: sku.code, quantity: 5, unitPrice: "4.00" }] });
    amazon.state.shipOrder(order.AmazonOrderId, clock.now + 60_000);
    // A later order elsewhere moves the orders walk past ours, so only the refunds walk can see it again.
    amazon.state.addListing({ sku: `OTHER-${shop.id}`, quantity: 5 });
    amazon.state.addOrder({ at: clock.now + 120_000, lines: [{ sku: `OTHER-${shop.id}`, quantity: 1, unitPrice: "1.00" }] });
    // Refunded a day after the order; the walk's watermark moves to that refund.
    amazon.state.refundOrder(order.AmazonOrderId, [{ sku: sku.code, quantity: 1 }], clock.now + 86_400_000);
    await syncOrders(shop.id, "AMAZON", deps);
    expect(await demandOf()).toMatchObject({ units: 4, returnedUnits: 1 });

    // Another refund posted 6 hours before that one only shows up in the API now (Amazon: up to 48 h),
    // behind the watermark. The overlap finds it; the order's own events count it exactly once.
    amazon.state.refundOrder(order.AmazonOrderId, [{ sku: sku.code, quantity: 2 }], clock.now + 86_400_000 - 6 * 3_600_000);
    await syncOrders(shop.id, "AMAZON", deps);
    expect(await demandOf()).toMatchObject({ units: 2, returnedUnits: 3 });
    expect(await prisma.salesOrderLine.findFirstOrThrow({ where: { shopId: shop.id, skuId: sku.id } })).toMatchObject({ quantity: 5, refundedQuantity: 3 });

    // Later syncs walk the same window again but re-read no order for events already delivered.
    const reads = () => amazon.requests.filter((r) => r.path === `/orders/v0/orders/${order.AmazonOrderId}`).length;
    const before = reads();
    await syncOrders(shop.id, "AMAZON", deps);
    await syncOrders(shop.id, "AMAZON", deps);
    expect(reads()).toBe(before);
    expect(await demandOf()).toMatchObject({ units: 2, returnedUnits: 3 });
  });
});
