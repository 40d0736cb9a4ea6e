import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { connectChannel } from "#app/models/channel-connection.server.ts";
import { listUnmappedListings, mapListing } from "#app/models/channel-listing.server.ts";
import { syncOrders } from "#app/services/order-sync.server.ts";
import { pullStock } from "#app/services/stock-sync.server.ts";
import { startEbaySandbox, type EbaySandbox } from "#sandbox/ebay/server.ts";
import { clock, newShopifyShop, startShopifyWorld, type ShopifyWorld } from "../channel-sync/helpers.ts";

// Issue 4 acceptance, "cancellations and refunds reflected in demand", for eBay end to end: sandbox →
// ebay-api → adapter (lineItems[].refunds amounts → units) → order sync → DailyDemand.returnedUnits.

let shopify: ShopifyWorld;
let ebay: EbaySandbox;
const deps = { requestStockPush: async () => {}, now: () => new Date(clock.now) };

beforeAll(async () => {
  shopify = await startShopifyWorld();
  ebay = await startEbaySandbox();
});
afterAll(async () => {
  await Promise.all([shopify?.sandbox.close(), ebay?.close()]);
  delete process.env.SHOPIFY_ADMIN_ORIGIN;
});

describe("eBay refunds in demand", () => {
  it("a refund made after the first sync becomes returned units on the next incremental sync, a cancellation leaves no demand", async () => {
    const { shop, skus } = await newShopifyShop(shopify, { variants: 2, available: 10 });
    for (const sku of skus) ebay.state.addListing({ sku: sku.code, quantity: 10 });
    await connectChannel(shop.id, "EBAY", {
      settings: { marketplaceId: "EBAY_US", loopbackPort: ebay.port, initialOrdersSince: new Date(clock.now - 60_000).toISOString(), rateLimitRetryAfterMs: 5 },
      credentials: { appId: ebay.state.appId, certId: ebay.state.certId, accessToken: ebay.state.issueToken("user").token, refreshToken: ebay.state.refreshToken },
    });
    await pullStock(shop.id, "EBAY", deps);
    for (const listing of await listUnmappedListings(shop.id)) await mapListing(shop.id, listing.id, listing.suggestions[0]!.skuId);

    const sold = ebay.state.addOrder({ at: clock.now, lines: [{ sku: skus[0]!.code, quantity: 3, unitPrice: "5.00" }] });
    const cancelled = ebay.state.addOrder({ at: clock.now, lines: [{ sku: skus[1]!.code, quantity: 2, unitPrice: "5.00" }] });
    ebay.state.shipOrder(sold.orderId, clock.now + 60_000);
    ebay.state.cancelOrder(cancelled.orderId, clock.now + 60_000);
    await syncOrders(shop.id, "EBAY", deps);
    const demandOf = (skuId: string) => prisma.dailyDemand.findFirst({ where: { shopId: shop.id, skuId } });
    expect(await demandOf(skus[0]!.id)).toMatchObject({ units: 3, returnedUnits: 0 });
    expect((await demandOf(skus[1]!.id))?.units ?? 0).toBe(0);

    // Two units refunded (eBay records the amount, 10.00 of the line's 15.00), then a goodwill credit.
    ebay.state.refundOrder(sold.orderId, [{ sku: skus[0]!.code, units: 2 }], clock.now + 3_600_000);
    ebay.state.refundOrder(sold.orderId, [{ sku: skus[0]!.code, amount: "1.00" }], clock.now + 3_660_000);
    await syncOrders(shop.id, "EBAY", deps);
    // Demand is net of refunds (the service's rule): 3 sold − 2 refunded, the 2 recorded as returned.
    expect(await demandOf(skus[0]!.id)).toMatchObject({ units: 1, returnedUnits: 2 });
    expect(await prisma.salesOrderLine.findFirstOrThrow({ where: { skuId: skus[0]!.id } })).toMatchObject({ quantity: 3, refundedQuantity: 2 });

    await syncOrders(shop.id, "EBAY", deps);
    expect(await demandOf(skus[0]!.id)).toMatchObject({ units: 1, returnedUnits: 2 });
  });
});
