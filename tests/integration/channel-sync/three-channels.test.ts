import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { connectChannel } from "#app/models/channel-connection.server.ts";
import { listUnmappedListings, mapListing } from "#app/models/channel-listing.server.ts";
import { syncOrders } from "#app/services/order-sync.server.ts";
import { pullStock, pushStock } from "#app/services/stock-sync.server.ts";
import { startAmazonSandbox, type AmazonSandbox } from "#sandbox/amazon/server.ts";
import { startEbaySandbox, type EbaySandbox } from "#sandbox/ebay/server.ts";
import { availableIn, clock, levelOf, newShopifyShop, receive, startShopifyWorld, type ShopifyWorld } from "./helpers.ts";

// The three channels through the registry: Shopify via the offline session, Amazon and eBay from
// credentials stored encrypted on their connection and sandbox ports in its settings. Listings found on
// the marketplaces are unmapped until mapped through the suggestions (by SKU), then a receipt reaches all
// three with each channel's buffer, FBA stock is never pushed, and marketplace orders commit stock.

let shopify: ShopifyWorld;
let amazon: AmazonSandbox;
let ebay: EbaySandbox;
const deps = { requestStockPush: async () => {}, now: () => new Date(clock.now) };

beforeAll(async () => {
  shopify = await startShopifyWorld();
  amazon = await startAmazonSandbox();
  ebay = await startEbaySandbox();
});
afterAll(async () => {
  await Promise.all([shopify?.sandbox.close(), amazon?.close(), ebay?.close()]);
  delete process.env.SHOPIFY_ADMIN_ORIGIN;
});

describe("Shopify, Amazon and eBay", () => {
  it("map marketplace listings through suggestions, import their orders, and receive a push after a receipt with per-channel buffers", async () => {
    const { shop, location, variants, skus } = await newShopifyShop(shopify, { variants: 3, available: 10, buffers: { AMAZON: 2, EBAY: 1 } });
    await receive(shop.id, location.id, skus.map((s) => ({ skuId: s.id, quantity: 10 })), "opening", "INITIAL");
    for (const sku of skus) {
      amazon.state.addListing({ sku: sku.code, quantity: 10 });
      ebay.state.addListing({ sku: sku.code, quantity: 10 });
    }
    amazon.state.addListing({ sku: `FBA-${skus[0]!.code}`, fulfillmentChannel: "AFN", quantity: 25 });

    const since = new Date(clock.now - 60_000).toISOString();
    await connectChannel(shop.id, "AMAZON", {
      settings: { region: "na", sellerId: amazon.state.sellerId, marketplaceId: amazon.state.marketplaceId, loopbackPort: amazon.port, initialOrdersSince: since },
      credentials: { clientId: amazon.state.clientId, clientSecret: amazon.state.clientSecret, refreshToken: amazon.state.refreshToken },
    });
    await connectChannel(shop.id, "EBAY", {
      settings: { marketplaceId: "EBAY_US", loopbackPort: ebay.port, initialOrdersSince: since, rateLimitRetryAfterMs: 5 },
      credentials: { appId: ebay.state.appId, certId: ebay.state.certId, accessToken: ebay.state.issueToken("user").token, refreshToken: ebay.state.refreshToken },
    });
    const stored = await prisma.channelConnection.findFirstOrThrow({ where: { shopId: shop.id, channel: "AMAZON" } });
    expect(stored.encryptedCredentials).toMatch(/^v1\./);
    expect(stored.encryptedCredentials).not.toContain(amazon.state.refreshToken);

    for (const channel of ["SHOPIFY", "AMAZON", "EBAY"] as const) await pullStock(shop.id, channel, deps);
    const unmapped = (await listUnmappedListings(shop.id)).filter((l) => skus.some((s) => l.externalSku === s.code || l.externalSku === `FBA-${s.code}`));
    expect(unmapped.map((l) => l.channel).sort()).toEqual(["AMAZON", "AMAZON", "AMAZON", "AMAZON", "EBAY", "EBAY", "EBAY"]);
    for (const listing of unmapped) {
      // Every listing has a suggestion: its own SKU, or for the FBA listing our code inside Amazon's SKU.
      const fba = listing.externalSku === `FBA-${skus[0]!.code}`;
      expect(listing.suggestions[0]).toMatchObject(fba ? { matchedBy: "code-in-sku", skuId: skus[0]!.id } : { matchedBy: "sku" });
      await mapListing(shop.id, listing.id, listing.suggestions[0]!.skuId);
    }
    expect(await prisma.channelListing.findFirst({ where: { shopId: shop.id, externalId: `FBA-${skus[0]!.code}` } })).toMatchObject({ fulfilledByChannel: true, status: "MAPPED" });

    // Marketplace sales commit stock here.
    amazon.state.addOrder({ at: clock.now, lines: [{ sku: skus[1]!.code, quantity: 2, unitPrice: "9.50" }] });
    ebay.state.addOrder({ at: clock.now, lines: [{ sku: skus[2]!.code, quantity: 1 }] });
    expect(await syncOrders(shop.id, "AMAZON", deps)).toMatchObject({ orders: 1, done: true });
    expect(await syncOrders(shop.id, "EBAY", deps)).toMatchObject({ orders: 1, done: true });
    expect((await levelOf(shop.id, skus[1]!.id, location.id))?.committed).toBe(2);
    expect((await levelOf(shop.id, skus[2]!.id, location.id))?.committed).toBe(1);
    const demand = await prisma.dailyDemand.findFirstOrThrow({ where: { shopId: shop.id, skuId: skus[1]!.id } });
    expect([demand.units, Number(demand.revenue), demand.channelUnits]).toEqual([2, 19, { AMAZON: 2 }]);

    // A receipt of 20 units of each SKU, then one push to every channel.
    await receive(shop.id, location.id, skus.map((s) => ({ skuId: s.id, quantity: 20 })), "receipt-1");
    const summaries = await pushStock(shop.id, {}, deps);
    expect(summaries.map((s) => [s.channel, s.applied, s.rejected])).toEqual([
      ["SHOPIFY", 3, 0],
      ["AMAZON", 3, 0],
      ["EBAY", 3, 0],
    ]);
    const ours = [30, 30 - 2, 30 - 1]; // on hand − committed
    expect(variants.map((v) => availableIn(shopify, v))).toEqual(ours);
    expect(skus.map((s) => amazon.state.listings.get(s.code)?.quantity)).toEqual(ours.map((q) => q - 2));
    expect(skus.map((s) => ebay.state.items.get(s.code)?.quantity)).toEqual(ours.map((q) => q - 1));
    expect(skus.map((s) => ebay.state.offersOf(s.code)[0]?.availableQuantity)).toEqual(ours.map((q) => q - 1));
    expect(amazon.state.listings.get(`FBA-${skus[0]!.code}`)?.quantity).toBe(25); // Amazon's stock: never pushed
    const fba = await prisma.channelListing.findFirstOrThrow({ where: { shopId: shop.id, externalId: `FBA-${skus[0]!.code}` } });
    expect(await prisma.channelPush.count({ where: { listingId: fba.id } })).toBe(0);
    expect(await prisma.channelPush.count({ where: { shopId: shop.id, status: "SUCCEEDED" } })).toBe(9);
  });
});
