import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { syncOrders } from "#app/services/order-sync.server.ts";
import { createShopifyAdapter, type ShopifyChannelAdapter } from "#app/channels/shopify/adapter.server.ts";
import type { ChannelSyncDeps } from "#app/services/channel-context.server.ts";
import { pullStock, pushStock, reconcileChannels } from "#app/services/stock-sync.server.ts";
import { availableIn, clock, levelOf, newShopifyShop, receive, startShopifyWorld, tick, type ShopifyWorld } from "./helpers.ts";

// Orders in and quantities out through the real Shopify client (unauthenticated.admin → admin.graphql)
// against the sandbox, through the services the channel-sync jobs call.

let world: ShopifyWorld;
const noPush = { requestStockPush: async () => {}, now: () => new Date(clock.now) };

/** Deps whose Shopify adapter is the real one with some methods replaced (to place a sale mid-call). */
function depsWithAdapter(replace: (adapter: ShopifyChannelAdapter) => Partial<ShopifyChannelAdapter>): ChannelSyncDeps {
  return {
    ...noPush,
    adapterFor: async (_connection, domain) => {
      const { unauthenticated } = await import("#app/shopify.server.ts");
      const adapter = createShopifyAdapter({ graphql: (await unauthenticated.admin(domain)).admin.graphql });
      return { ...adapter, ...replace(adapter) };
    },
  };
}

beforeAll(async () => {
  world = await startShopifyWorld();
});
afterAll(async () => {
  await world?.sandbox.close();
  delete process.env.SHOPIFY_ADMIN_ORIGIN;
});
beforeEach(() => world.sandbox.faults.reset());

describe("orders into the ledger and demand", () => {
  it("commits unshipped units, posts SALE for shipped ones, reverses cancellations and returns, and rebuilds demand; a re-run changes nothing", async () => {
    const { shop, location, variants, skus } = await newShopifyShop(world, { variants: 3, available: 50 });
    await receive(shop.id, location.id, skus.map((s) => ({ skuId: s.id, quantity: 50 })), "opening", "INITIAL");
    const [v0, v1, v2] = variants as [typeof variants[0], typeof variants[0], typeof variants[0]];
    const [s0, s1, s2] = skus as [typeof skus[0], typeof skus[0], typeof skus[0]];
    const { store } = world.sandbox;

    const o1 = store.createOrder({ lineItems: [{ variantId: v0.id, quantity: 2 }, { variantId: v1.id, quantity: 1 }] });
    const o2 = store.createOrder({ lineItems: [{ variantId: v0.id, quantity: 3 }] });
    const [foreign] = store.seed({ variants: 1, available: () => 5 }); // on Shopify, not in our catalogue
    const o3 = store.createOrder({ lineItems: [{ variantId: v2.id, quantity: 4 }, { variantId: foreign!.id, quantity: 1 }] });
    tick();
    expect(await syncOrders(shop.id, "SHOPIFY", noPush)).toMatchObject({ orders: 3, applied: 3, done: true });
    expect((await levelOf(shop.id, s0.id, location.id))?.committed).toBe(5);
    expect((await levelOf(shop.id, s2.id, location.id))?.committed).toBe(4);
    expect(await prisma.inventoryMovement.count({ where: { shopId: shop.id, kind: "SALE" } })).toBe(0); // nothing shipped yet

    // Unmapped line kept with its SKU code, its listing UNMAPPED: nothing guessed.
    const custom = await prisma.salesOrderLine.findFirst({ where: { shopId: shop.id, externalLineId: `gid://shopify/LineItem/${o3.lineItems[1]!.id}` } });
    expect(custom).toMatchObject({ skuId: null, skuCode: foreign!.sku, quantity: 1 });
    expect(await prisma.channelListing.findFirst({ where: { shopId: shop.id, externalId: `gid://shopify/ProductVariant/${foreign!.id}` } })).toMatchObject({ status: "UNMAPPED", skuId: null, externalSku: foreign!.sku });

    store.fulfillOrder(o1.id);
    store.cancelOrder(o2.id);
    store.fulfillOrder(o3.id);
    tick();
    store.refund(o3.id, [{ lineItemId: o3.lineItems[0]!.id, quantity: 1, restockType: "RETURN" }]);
    tick();
    expect(await syncOrders(shop.id, "SHOPIFY", noPush)).toMatchObject({ orders: 3, applied: 3 });

    const l0 = await levelOf(shop.id, s0.id, location.id);
    const l1 = await levelOf(shop.id, s1.id, location.id);
    const l2 = await levelOf(shop.id, s2.id, location.id);
    expect([l0?.onHand, l0?.committed]).toEqual([48, 0]); // o1 shipped 2, o2 cancelled before shipping
    expect([l1?.onHand, l1?.committed]).toEqual([49, 0]);
    expect([l2?.onHand, l2?.committed]).toEqual([47, 0]); // 4 shipped, 1 came back
    const movements = await prisma.inventoryMovement.findMany({ where: { shopId: shop.id, sourceType: "ORDER" }, orderBy: { idempotencyKey: "asc" } });
    expect(movements.map((m) => [m.kind, m.quantity])).toEqual(expect.arrayContaining([["SALE", -2], ["SALE", -1], ["SALE", -3]]));
    expect(movements.filter((m) => m.kind === "SALE").every((m) => m.quantity < 0)).toBe(true);
    expect(movements.every((m) => /^sale-SHOPIFY-\d+-\d+-v\d+$/.test(m.idempotencyKey))).toBe(true);

    const demand = await prisma.dailyDemand.findMany({ where: { shopId: shop.id }, orderBy: { skuId: "asc" } });
    const bySku = new Map(demand.map((d) => [d.skuId, d]));
    expect(bySku.get(s0.id)).toMatchObject({ units: 2, orderCount: 1, largestOrderUnits: 2, channelUnits: { SHOPIFY: 2 } });
    expect(bySku.get(s1.id)).toMatchObject({ units: 1, orderCount: 1 });
    expect(bySku.get(s2.id)).toMatchObject({ units: 3, returnedUnits: 1, orderCount: 1 });
    expect(Number(bySku.get(s2.id)!.revenue)).toBeCloseTo(3 * Number(v2.price), 2);

    // Replaying the whole history (cursor from the start) posts nothing again.
    const before = await prisma.inventoryMovement.count({ where: { shopId: shop.id } });
    await prisma.channelConnection.update({ where: { shopId_channel: { shopId: shop.id, channel: "SHOPIFY" } }, data: { orderCursor: null } });
    await syncOrders(shop.id, "SHOPIFY", noPush);
    expect(await prisma.inventoryMovement.count({ where: { shopId: shop.id } })).toBe(before);
    expect((await prisma.dailyDemand.findMany({ where: { shopId: shop.id, skuId: s0.id } }))[0]).toMatchObject({ units: 2 });
  });
});

describe("quantities out", () => {
  it("units refunded or cancelled without a restock stay gone, as Shopify counts them, so nothing is pushed back up", async () => {
    const { shop, location, variants, skus } = await newShopifyShop(world, { variants: 2, available: 20 });
    await receive(shop.id, location.id, skus.map((s) => ({ skuId: s.id, quantity: 20 })), "opening", "INITIAL");
    const deps = { now: () => new Date(clock.now) };
    await pullStock(shop.id, "SHOPIFY", deps);
    const [v0, v1] = variants as [typeof variants[0], typeof variants[0]];
    const [s0, s1] = skus as [typeof skus[0], typeof skus[0]];
    const { store } = world.sandbox;

    // 3 shipped; one comes back to the shelf, one is refunded and kept (damaged).
    const shipped = store.createOrder({ lineItems: [{ variantId: v0.id, quantity: 3 }] });
    store.fulfillOrder(shipped.id);
    tick();
    store.refund(shipped.id, [{ lineItemId: shipped.lineItems[0]!.id, quantity: 1, restockType: "RETURN" }, { lineItemId: shipped.lineItems[0]!.id, quantity: 1, restockType: "NO_RESTOCK" }]);
    // 4 never shipped, cancelled and written off.
    const writtenOff = store.createOrder({ lineItems: [{ variantId: v1.id, quantity: 4 }] });
    tick();
    store.cancelOrder(writtenOff.id, { restock: false });
    tick();
    expect([availableIn(world, v0), availableIn(world, v1)]).toEqual([18, 16]);

    await syncOrders(shop.id, "SHOPIFY", noPush);
    const [l0, l1] = [await levelOf(shop.id, s0.id, location.id), await levelOf(shop.id, s1.id, location.id)];
    expect([l0?.onHand, l0?.committed, l1?.onHand, l1?.committed]).toEqual([18, 0, 16, 0]);
    const line = await prisma.salesOrderLine.findFirstOrThrow({ where: { shopId: shop.id, skuId: s0.id } });
    expect([line.refundedQuantity, line.restockedQuantity]).toEqual([2, 1]);
    // The orders/* webhook body says the same (single-location shops book it directly).
    const { mapRestOrder, parseRestOrder } = await import("#workers/processors/webhook-handlers/shopify-order-payload.ts");
    expect(mapRestOrder(parseRestOrder(world.sandbox.payloads.order(shipped))).lines[0]).toMatchObject({ refundedQuantity: 2, notRestockedQuantity: 1 });
    expect(mapRestOrder(parseRestOrder(world.sandbox.payloads.order(writtenOff))).lines[0]).toMatchObject({ cancelledQuantity: 4, notRestockedQuantity: 4 });

    // Ours and Shopify's agree: no push raises either (before, 19 and 20: phantom units to oversell).
    expect(await pushStock(shop.id, {}, deps)).toEqual([expect.objectContaining({ applied: 0, rejected: 0 })]);
    expect([availableIn(world, v0), availableIn(world, v1)]).toEqual([18, 16]);
  });

  it("after a receipt, Shopify holds on hand − committed − buffer; a Shopify-side change racing the push is re-read, not overwritten", async () => {
    const { shop, location, variants, skus } = await newShopifyShop(world, { variants: 3, available: 10, buffers: { SHOPIFY: 1 } });
    await receive(shop.id, location.id, skus.map((s) => ({ skuId: s.id, quantity: 10 })), "opening", "INITIAL");
    const stock = await pullStock(shop.id, "SHOPIFY", noPush);
    expect(stock.unmapped).toBeGreaterThanOrEqual(0);
    const listings = await prisma.channelListing.findMany({ where: { shopId: shop.id, status: "MAPPED" } });
    expect(listings).toHaveLength(3); // mapped by identity (the variants our SKUs were imported from)
    expect(listings.every((l) => l.lastKnownQuantity === 10 && l.externalItemId?.startsWith("gid://shopify/InventoryItem/"))).toBe(true);

    // A sale on Shopify (its available drops to 8) that we import, then 24 units received.
    world.sandbox.store.createOrder({ lineItems: [{ variantId: variants[0]!.id, quantity: 2 }] });
    tick();
    await syncOrders(shop.id, "SHOPIFY", noPush);
    await receive(shop.id, location.id, [{ skuId: skus[0]!.id, quantity: 24 }, { skuId: skus[1]!.id, quantity: 24 }], "receipt-1");

    const [summary] = await pushStock(shop.id, {}, noPush);
    expect(summary).toMatchObject({ channel: "SHOPIFY", applied: 3, stale: 1, rejected: 0 });
    expect(variants.map((v) => availableIn(world, v))).toEqual([34 - 2 - 1, 34 - 1, 10 - 1]);
    const pushes = await prisma.channelPush.findMany({ where: { shopId: shop.id, listing: { skuId: skus[0]!.id } }, orderBy: { requestedAt: "asc" } });
    expect(pushes.map((p) => [p.status, p.quantity])).toEqual([
      ["SUPERSEDED", 31], // expected 10, Shopify had 8: nothing changed there
      ["SUCCEEDED", 31], // re-read 8, decided again
    ]);
    expect(pushes[0]!.error).toContain("showed 8, not 10");
    expect(pushes.every((p) => p.locationId === location.id)).toBe(true);
    const listing = await prisma.channelListing.findFirstOrThrow({ where: { shopId: shop.id, skuId: skus[0]!.id } });
    expect([listing.lastPushedQuantity, listing.lastKnownQuantity]).toEqual([31, 31]);

    // Nothing changed: nothing is sent.
    const mutations = world.sandbox.requests.filter((r) => r.operationName === "ReplenishSetQuantities").length;
    expect(await pushStock(shop.id, {}, noPush)).toEqual([expect.objectContaining({ pushed: 0, skipped: 3 })]);
    expect(world.sandbox.requests.filter((r) => r.operationName === "ReplenishSetQuantities").length).toBe(mutations);
  });

  it("a push that would raise a figure pulls orders first, and one refused because Shopify sold meanwhile pulls again before deciding again", async () => {
    const { shop, location, variants, skus } = await newShopifyShop(world, { variants: 1, available: 10 });
    await receive(shop.id, location.id, [{ skuId: skus[0]!.id, quantity: 10 }], "opening", "INITIAL");
    await pullStock(shop.id, "SHOPIFY", noPush);
    const sell = (quantity: number) => world.sandbox.store.createOrder({ lineItems: [{ variantId: variants[0]!.id, quantity }] });
    // 5 received here while Shopify sells 2 that we have not pulled yet (its available: 8), and 3 more
    // while our push is on its way.
    await receive(shop.id, location.id, [{ skuId: skus[0]!.id, quantity: 5 }], "receipt-race");
    sell(2);
    tick();
    let sold = false;
    const deps = depsWithAdapter((adapter) => ({
      pushStock: async (pushes) => {
        if (!sold) {
          sold = true;
          sell(3);
          tick();
        }
        return adapter.pushStock(pushes);
      },
    }));

    const [summary] = await pushStock(shop.id, {}, deps);
    expect(summary).toMatchObject({ stale: 1, applied: 1 });
    // 15 − 5 committed: never 15 or 13 (units already sold, back on sale).
    expect(availableIn(world, variants[0]!)).toBe(10);
    const pushes = await prisma.channelPush.findMany({ where: { shopId: shop.id }, orderBy: { requestedAt: "asc" } });
    expect(pushes.map((p) => [p.status, p.previousQuantity, p.quantity])).toEqual([["SUPERSEDED", 10, 13], ["SUCCEEDED", 5, 10]]);
    expect((await levelOf(shop.id, skus[0]!.id, location.id))?.committed).toBe(5);
  });

  it("a repair does not raise a figure over an order placed between its order read and its stock read", async () => {
    const { shop, location, variants, skus } = await newShopifyShop(world, { variants: 1, available: 10 });
    await receive(shop.id, location.id, [{ skuId: skus[0]!.id, quantity: 10 }], "opening", "INITIAL");
    await pullStock(shop.id, "SHOPIFY", noPush);
    let placed = false;
    // The sale lands on Shopify just after the repair read its orders, before it reads stock.
    const deps = depsWithAdapter((adapter) => ({
      async *pullStock() {
        if (!placed) {
          placed = true;
          world.sandbox.store.createOrder({ lineItems: [{ variantId: variants[0]!.id, quantity: 3 }] });
          tick();
        }
        yield* adapter.pullStock();
      },
    }));
    const [summary] = await reconcileChannels(shop.id, { channel: "SHOPIFY" }, deps);
    expect(summary).toMatchObject({ channel: "SHOPIFY", orders: 0, drifted: 1, pushed: 0 }); // the push pulled the sale first
    expect(availableIn(world, variants[0]!)).toBe(7); // not 10: those 3 are sold
    expect((await levelOf(shop.id, skus[0]!.id, location.id))?.committed).toBe(3);
  });

  it("a rejected quantity is recorded FAILED with a CHANNEL_ERROR review item; FBA-like listings are never pushed", async () => {
    const { shop, location, skus } = await newShopifyShop(world, { variants: 2, available: 5 });
    await receive(shop.id, location.id, skus.map((s) => ({ skuId: s.id, quantity: 7 })), "opening", "INITIAL");
    await pullStock(shop.id, "SHOPIFY", noPush);
    const [broken, channelManaged] = await prisma.channelListing.findMany({ where: { shopId: shop.id, status: "MAPPED" }, orderBy: { externalId: "asc" } });
    await prisma.channelListing.update({ where: { id: broken!.id }, data: { externalItemId: "gid://shopify/InventoryItem/999999999" } });
    await prisma.channelListing.update({ where: { id: channelManaged!.id }, data: { fulfilledByChannel: true } });
    const [summary] = await pushStock(shop.id, {}, noPush);
    expect(summary).toMatchObject({ rejected: 1, applied: 0 });
    expect(await prisma.channelPush.findFirst({ where: { listingId: broken!.id } })).toMatchObject({ status: "FAILED" });
    expect(await prisma.channelPush.count({ where: { listingId: channelManaged!.id } })).toBe(0);
    expect(await prisma.reviewItem.findFirst({ where: { shopId: shop.id, kind: "CHANNEL_ERROR", subjectId: broken!.id } })).toMatchObject({ status: "OPEN" });
  });
});
