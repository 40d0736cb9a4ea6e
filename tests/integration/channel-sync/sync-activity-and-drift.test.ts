import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { WebhookEvent } from "@prisma/client";
import { prisma } from "#app/db.server.ts";
import { loadChannelHealth } from "#app/models/shop-snapshot.server.ts";
import { syncOrders } from "#app/services/order-sync.server.ts";
import { pullStock, pushStock } from "#app/services/stock-sync.server.ts";
import type { ProcessorDeps } from "#workers/processors/deps.ts";
import { handleOrderWebhook } from "#workers/processors/webhook-handlers/index.ts";
import { availableIn, clock, newShopifyShop, receive, startShopifyWorld, tick, type ShopifyWorld } from "./helpers.ts";

// What the Channels page and the Dashboard say about Shopify (QA of the demo: "Orders synced: Never,
// Stock synced: Never, 10 drifted" while webhooks and pushes worked; "No Shopify session" shown as a
// channel error before the install finished).

let world: ShopifyWorld;
const deps = { requestStockPush: async () => {}, requestReorder: async () => {}, now: () => new Date(clock.now) };

beforeAll(async () => {
  world = await startShopifyWorld();
});
afterAll(async () => {
  await world?.sandbox.close();
  delete process.env.SHOPIFY_ADMIN_ORIGIN;
});

const shopifyHealth = async (shopId: string) => (await loadChannelHealth(shopId)).find((c) => c.channel === "SHOPIFY")!;

describe("sync activity", () => {
  it("an order webhook counts as order sync and an applied push as stock sync", async () => {
    const { shop, location, variants, skus } = await newShopifyShop(world, { variants: 1, available: 10 });
    await receive(shop.id, location.id, [{ skuId: skus[0]!.id, quantity: 10 }], "opening", "INITIAL");
    await pullStock(shop.id, "SHOPIFY", deps);
    await prisma.channelConnection.update({ where: { shopId_channel: { shopId: shop.id, channel: "SHOPIFY" } }, data: { lastOrderSyncAt: null, lastStockSyncAt: null } });

    const order = world.sandbox.store.createOrder({ lineItems: [{ variantId: variants[0]!.id, quantity: 2 }] });
    const enqueued: string[] = [];
    const processorDeps = { now: () => new Date(clock.now), queues: { enqueue: async (queue: string, name: string) => void enqueued.push(`${queue}:${name}`) } } as unknown as ProcessorDeps;
    const event = { id: "evt-1", shopId: shop.id, shopDomain: shop.domain, topic: "orders/create", payload: world.sandbox.payloads.order(order) } as unknown as WebhookEvent;
    await handleOrderWebhook(event, processorDeps);
    const afterWebhook = await shopifyHealth(shop.id);
    expect(afterWebhook.lastOrderSyncAt).toBe(new Date(clock.now).toISOString());
    expect(afterWebhook.lastStockSyncAt).toBeNull();

    tick(60);
    await receive(shop.id, location.id, [{ skuId: skus[0]!.id, quantity: 4 }], "receipt-1");
    const [summary] = await pushStock(shop.id, {}, deps);
    expect(summary).toMatchObject({ applied: 1 });
    expect(availableIn(world, variants[0]!)).toBe(12);
    expect((await shopifyHealth(shop.id)).lastStockSyncAt).toBe(new Date(clock.now).toISOString());
  });
});

describe("drift", () => {
  it("a push refused as stale whose re-read already equals ours is not drift", async () => {
    const { shop, location, variants, skus } = await newShopifyShop(world, { variants: 2, available: 10, buffers: { SHOPIFY: 1 } });
    await receive(shop.id, location.id, skus.map((s) => ({ skuId: s.id, quantity: 10 })), "opening", "INITIAL");
    await pullStock(shop.id, "SHOPIFY", deps); // Shopify shows 10, we want 9 (buffer 1)
    await pushStock(shop.id, {}, deps);
    expect(variants.map((v) => availableIn(world, v))).toEqual([9, 9]);
    expect((await shopifyHealth(shop.id)).driftCount).toBe(0);

    // We receive 5 (we want 14) while someone on Shopify already set 14: our push expects 9, is refused,
    // the re-read shows 14 = ours, and nothing more is sent.
    await receive(shop.id, location.id, [{ skuId: skus[0]!.id, quantity: 5 }], "receipt-1");
    world.sandbox.store.findLevel(variants[0]!.inventoryItemId, Number(world.locationGid.split("/").pop()))!.quantities.available = 14;
    tick();
    const [summary] = await pushStock(shop.id, {}, deps);
    expect(summary).toMatchObject({ stale: 1, applied: 0 });
    expect(await prisma.channelPush.findFirst({ where: { shopId: shop.id, status: "SUPERSEDED" } })).toMatchObject({ error: expect.stringContaining("already equals ours") });
    expect((await shopifyHealth(shop.id)).driftCount).toBe(0);

    // A real difference still counts: Shopify drops to 3 behind our back and a pull sees it.
    world.sandbox.store.findLevel(variants[1]!.inventoryItemId, Number(world.locationGid.split("/").pop()))!.quantities.available = 3;
    tick();
    const pulled = await pullStock(shop.id, "SHOPIFY", deps);
    expect(pulled.drifted).toHaveLength(1);
    expect((await shopifyHealth(shop.id)).driftCount).toBe(1);
  });

  it("an oversold Shopify listing is left negative while we have nothing to sell, and refilled when we do", async () => {
    // Setting an oversold level to 0 made Shopify add on-hand units for orders that had no stock, and
    // the 15-minute repair did it again after every oversell (demo: 9 "drifted" listings, all negative).
    const { shop, location, variants, skus } = await newShopifyShop(world, { variants: 1, available: 1 });
    await receive(shop.id, location.id, [{ skuId: skus[0]!.id, quantity: 3 }], "opening", "INITIAL");
    await pullStock(shop.id, "SHOPIFY", deps);
    expect((await pushStock(shop.id, {}, deps))[0]).toMatchObject({ applied: 1 }); // we last pushed 3
    tick();
    world.sandbox.store.createOrder({ lineItems: [{ variantId: variants[0]!.id, quantity: 5 }] }); // 2 more than it had
    tick();
    await syncOrders(shop.id, "SHOPIFY", deps);
    expect(availableIn(world, variants[0]!)).toBe(-2);
    await pullStock(shop.id, "SHOPIFY", deps);
    const mutations = () => world.sandbox.requests.filter((r) => r.operationName === "ReplenishSetQuantities").length;
    const before = mutations();
    const [summary] = await pushStock(shop.id, {}, deps);
    expect(summary).toMatchObject({ applied: 0, skipped: 1 });
    expect(mutations()).toBe(before);
    expect(availableIn(world, variants[0]!)).toBe(-2);
    expect((await pullStock(shop.id, "SHOPIFY", deps)).drifted).toEqual([]);
    expect((await shopifyHealth(shop.id)).driftCount).toBe(0);

    // Stock arrives: 10 units cover the 2 oversold and 8 are for sale again.
    tick();
    await receive(shop.id, location.id, [{ skuId: skus[0]!.id, quantity: 10 }], "receipt-1");
    expect((await pushStock(shop.id, {}, deps))[0]).toMatchObject({ applied: 1 });
    expect(availableIn(world, variants[0]!)).toBe(8);
  });

  it("compares a Shopify listing location by location: a second location that already shows ours, never pushed, is not drift", async () => {
    const { shop, location, variants, skus } = await newShopifyShop(world, { variants: 1, available: 6 });
    const second = world.sandbox.store.addLocation({ name: "Shop floor" });
    const floor = await prisma.location.create({ data: { shopId: shop.id, name: "Shop floor", shopifyLocationId: `gid://shopify/Location/${second.id}` } });
    world.sandbox.store.level(variants[0]!.inventoryItemId, second.id, true).quantities.available = 4;
    await receive(shop.id, location.id, [{ skuId: skus[0]!.id, quantity: 10 }], "opening", "INITIAL");
    await receive(shop.id, floor.id, [{ skuId: skus[0]!.id, quantity: 4 }], "opening-floor", "INITIAL");
    await pullStock(shop.id, "SHOPIFY", deps); // main shows 6 (we want 10), the floor shows 4 = ours
    const [summary] = await pushStock(shop.id, {}, deps);
    expect(summary).toMatchObject({ applied: 1, skipped: 1 });
    const levels = await prisma.channelListingLevel.findMany({ where: { shopId: shop.id, listing: { skuId: skus[0]!.id } }, orderBy: { lastKnownQuantity: "asc" } });
    expect(levels.map((l) => [l.lastKnownQuantity, l.lastPushedQuantity])).toEqual([[4, null], [10, 10]]);
    expect((await shopifyHealth(shop.id)).driftCount).toBe(0);
  });
});

describe("a shop that has not finished installing", () => {
  it("syncs nothing and records no channel error while there is no Shopify session", async () => {
    const { shop, location, skus } = await newShopifyShop(world, { variants: 1, available: 10 });
    await receive(shop.id, location.id, [{ skuId: skus[0]!.id, quantity: 12 }], "opening", "INITIAL");
    await prisma.session.deleteMany({ where: { shop: shop.domain } });
    const { adapterFor: _unused, ...live } = { ...deps, adapterFor: undefined };
    void _unused;
    expect(await syncOrders(shop.id, "SHOPIFY", live)).toMatchObject({ pages: 0, orders: 0 });
    expect(await pullStock(shop.id, "SHOPIFY", live)).toMatchObject({ listings: 0 });
    expect(await pushStock(shop.id, {}, live)).toEqual([expect.objectContaining({ pushed: 0 })]);
    const connection = await prisma.channelConnection.findUniqueOrThrow({ where: { shopId_channel: { shopId: shop.id, channel: "SHOPIFY" } } });
    expect(connection).toMatchObject({ status: "CONNECTED", lastError: null });
    expect(await prisma.channelPush.count({ where: { shopId: shop.id } })).toBe(0);
  });
});
