import type { WebhookEvent } from "@prisma/client";
import pg from "pg";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { locationPartId, type ChannelOrder, type ChannelOrderLine } from "#app/channels/channel.ts";
import { createShopifyAdapter } from "#app/channels/shopify/adapter.server.ts";
import { prisma } from "#app/db.server.ts";
import type { ChannelSyncDeps } from "#app/services/channel-context.server.ts";
import { applyChannelOrders, refreshShopifyOrderOfFulfillmentOrder, syncOrders } from "#app/services/order-sync.server.ts";
import type { ProcessorDeps } from "#workers/processors/deps.ts";
import { handleFulfillmentOrderMovedWebhook, handleOrderWebhook } from "#workers/processors/webhook-handlers/index.ts";
import { pullStock, pushStock } from "#app/services/stock-sync.server.ts";
import type { StoreVariant } from "#sandbox/shopify/store.ts";
import { clock, levelOf, newShopifyShop, receive, startShopifyWorld, tick, type ShopifyWorld } from "./helpers.ts";

// Shopify holds a quantity per inventory item × location: each linked location of ours gets its own
// sellable quantity from its own ledger levels, with its own compare-and-set, through the real client
// against the sandbox. And a stock pull writes each page in a fixed number of statements.

let world: ShopifyWorld;
let secondGid: string;

beforeAll(async () => {
  world = await startShopifyWorld();
  const second = world.sandbox.store.addLocation({ name: "Second warehouse" });
  secondGid = `gid://shopify/Location/${second.id}`;
});
afterAll(async () => {
  await world?.sandbox.close();
  delete process.env.SHOPIFY_ADMIN_ORIGIN;
});
beforeEach(() => world.sandbox.faults.reset());

/** Deps whose Shopify adapter reads variants `pageSize` at a time, so a pull spans several pages. */
function depsWithPageSize(pageSize: number): ChannelSyncDeps {
  return {
    requestStockPush: async () => {},
    now: () => new Date(clock.now),
    adapterFor: async (_connection, domain) => {
      const { unauthenticated } = await import("#app/shopify.server.ts");
      const { admin } = await unauthenticated.admin(domain);
      // Waits out THROTTLED like a worker's backoff would (the jobs do it through BullMQ).
      const graphql: typeof admin.graphql = async (...args) => {
        for (let attempt = 0; ; attempt++) {
          try {
            return await admin.graphql(...args);
          } catch (error) {
            if (attempt > 50 || !/Throttled/.test(error instanceof Error ? error.message : "")) throw error;
            await new Promise((resolve) => setTimeout(resolve, 300));
          }
        }
      };
      return createShopifyAdapter({ graphql, maxVariantsPageSize: pageSize });
    },
  };
}

async function twoLocationShop(variants: number, available: number, buffers?: Record<string, number>) {
  const made = await newShopifyShop(world, { variants, available, ...(buffers ? { buffers } : {}) });
  const second = await prisma.location.create({ data: { shopId: made.shop.id, name: "Second warehouse", shopifyLocationId: secondGid } });
  return { ...made, main: made.location, second };
}

const at = (variant: StoreVariant, gid: string) => world.sandbox.store.findLevel(variant.inventoryItemId, Number(gid.split("/").pop()))!.quantities.available;

describe("Shopify quantities per location", () => {
  it("sets each linked location to its own on hand − committed − buffer, and a race at one location is re-read there", async () => {
    const { shop, main, second, variants, skus } = await twoLocationShop(2, 10, { SHOPIFY: 1 });
    const [v0, v1] = variants as [StoreVariant, StoreVariant];
    // Our ledger: 30 at main, 6 at the second warehouse for the first SKU; the second SKU only at main.
    await receive(shop.id, main.id, [{ skuId: skus[0]!.id, quantity: 30 }, { skuId: skus[1]!.id, quantity: 12 }], "opening", "INITIAL");
    await receive(shop.id, second.id, [{ skuId: skus[0]!.id, quantity: 6 }], "opening-2", "INITIAL");

    const deps = depsWithPageSize(250);
    const pulled = await pullStock(shop.id, "SHOPIFY", deps);
    expect(pulled).toMatchObject({ levels: 4, listings: 2 });
    const levels = await prisma.channelListingLevel.findMany({ where: { shopId: shop.id }, orderBy: [{ listingId: "asc" }, { locationId: "asc" }] });
    expect(levels).toHaveLength(4); // 2 items × 2 locations, as Shopify stocks them
    expect(levels.every((l) => l.lastKnownQuantity === 10)).toBe(true);

    // A sale on Shopify at the second warehouse that has not reached us yet: its level is now 9.
    world.sandbox.store.setQuantity({ variantId: v0.id, locationId: secondGid, quantity: 9 });

    const [summary] = await pushStock(shop.id, {}, deps);
    expect(summary).toMatchObject({ channel: "SHOPIFY", applied: 4, stale: 1, rejected: 0 });
    expect([at(v0, world.locationGid), at(v0, secondGid)]).toEqual([30 - 1, 6 - 1]);
    expect([at(v1, world.locationGid), at(v1, secondGid)]).toEqual([12 - 1, 0]); // none of it at the second warehouse

    // Every request carried one location's figure with that location's compare-and-set value.
    const sent = world.sandbox.requests
      .filter((r) => r.operationName === "ReplenishSetQuantities")
      .flatMap((r) => (r.variables as { input: { quantities: Array<{ inventoryItemId: string; locationId: string; quantity: number; changeFromQuantity: number | null }> } }).input.quantities)
      .filter((q) => [v0, v1].some((v) => q.inventoryItemId === `gid://shopify/InventoryItem/${v.inventoryItemId}`));
    expect(sent).toEqual(
      expect.arrayContaining([
        { inventoryItemId: `gid://shopify/InventoryItem/${v0.inventoryItemId}`, locationId: secondGid, quantity: 5, changeFromQuantity: 10 }, // refused: Shopify had 9
        { inventoryItemId: `gid://shopify/InventoryItem/${v0.inventoryItemId}`, locationId: secondGid, quantity: 5, changeFromQuantity: 9 }, // re-read, decided again
        { inventoryItemId: `gid://shopify/InventoryItem/${v1.inventoryItemId}`, locationId: secondGid, quantity: 0, changeFromQuantity: 10 },
      ]),
    );

    // The push records say where each quantity went and how the race ended.
    const records = await prisma.channelPush.findMany({ where: { shopId: shop.id, listing: { skuId: skus[0]!.id } }, orderBy: { requestedAt: "asc" } });
    const atSecond = records.filter((r) => r.locationId === second.id);
    expect(atSecond.map((r) => [r.status, r.quantity])).toEqual([["SUPERSEDED", 5], ["SUCCEEDED", 5]]);
    expect(atSecond[0]!.error).toContain("showed 9, not 10");
    expect(records.filter((r) => r.locationId === main.id).map((r) => [r.status, r.quantity])).toEqual([["SUCCEEDED", 29]]);
    const listing = await prisma.channelListing.findFirstOrThrow({ where: { shopId: shop.id, skuId: skus[0]!.id } });
    expect([listing.lastKnownQuantity, listing.lastPushedQuantity]).toEqual([34, 34]); // the total over both locations

    // Nothing changed: nothing is sent; a pull finds no drift at either location.
    expect(await pushStock(shop.id, {}, deps)).toEqual([expect.objectContaining({ pushed: 0, skipped: 4 })]);
    expect((await pullStock(shop.id, "SHOPIFY", deps)).drifted).toEqual([]);
  });

  it("a race that already shows our quantity ends with nothing more to push, and says so", async () => {
    const { shop, main, variants, skus } = await twoLocationShop(1, 10);
    const [v0] = variants as [StoreVariant];
    await receive(shop.id, main.id, [{ skuId: skus[0]!.id, quantity: 10 }], "opening", "INITIAL");
    const deps = depsWithPageSize(250);
    await pullStock(shop.id, "SHOPIFY", deps);
    // A sale of 2 on Shopify: its level drops to 8 there, and we import the order (committed 2 here).
    world.sandbox.store.createOrder({ lineItems: [{ variantId: v0.id, quantity: 2 }] });
    tick();
    await syncOrders(shop.id, "SHOPIFY", deps);
    expect(at(v0, world.locationGid)).toBe(8);
    const [summary] = await pushStock(shop.id, {}, deps);
    expect(summary).toMatchObject({ stale: 1, applied: 1 }); // the second warehouse (nothing there of ours) goes to 0
    const records = await prisma.channelPush.findMany({ where: { shopId: shop.id, locationId: main.id } });
    expect(records).toHaveLength(1); // refused, re-read, nothing more to send
    const [record] = records;
    expect(record).toMatchObject({ status: "SUPERSEDED" });
    expect(record!.error).toContain("already equals ours");
    expect(at(v0, world.locationGid)).toBe(8);
  });
});

describe("Shopify orders per location", () => {
  async function stockedShop(variants: number) {
    const made = await twoLocationShop(variants, 10);
    for (const [index, location] of [made.main, made.second].entries()) {
      await receive(made.shop.id, location.id, made.skus.map((sku) => ({ skuId: sku.id, quantity: 10 })), `opening-${index}`, "INITIAL");
    }
    const deps = depsWithPageSize(250);
    await pullStock(made.shop.id, "SHOPIFY", deps);
    return { ...made, deps };
  }

  it("books each line where Shopify routed it, so neither location is pushed off the other's sale", async () => {
    const { shop, main, second, variants, skus, deps } = await stockedShop(2);
    const [v0, v1] = variants as [StoreVariant, StoreVariant];
    // One order, split by Shopify's routing: the first SKU ships from the second warehouse.
    const order = world.sandbox.store.createOrder({ lineItems: [{ variantId: v0.id, quantity: 3, locationId: secondGid }, { variantId: v1.id, quantity: 2 }] });
    tick();
    await syncOrders(shop.id, "SHOPIFY", deps);
    const lines = await prisma.salesOrderLine.findMany({ where: { shopId: shop.id }, orderBy: { skuId: "asc" } });
    expect(new Map(lines.map((line) => [line.skuId, line.locationId]))).toEqual(new Map([[skus[0]!.id, second.id], [skus[1]!.id, main.id]]));
    const committed = async (skuIndex: number, locationId: string) => (await levelOf(shop.id, skus[skuIndex]!.id, locationId))?.committed;
    expect([await committed(0, second.id), await committed(0, main.id), await committed(1, main.id)]).toEqual([3, 0, 2]);

    // Ours and Shopify's agree at every location: the pushes meant for the sold levels find Shopify
    // already there (booked at the default location instead, the first SKU was set from 10 to 7 at main).
    expect(await pushStock(shop.id, {}, deps)).toEqual([expect.objectContaining({ applied: 0, rejected: 0 })]);
    expect([at(v0, world.locationGid), at(v0, secondGid), at(v1, world.locationGid), at(v1, secondGid)]).toEqual([10, 7, 8, 10]);

    // Shipped: the units leave the shelves they were routed to.
    world.sandbox.store.fulfillOrder(order.id);
    tick();
    await syncOrders(shop.id, "SHOPIFY", deps);
    const onHand = async (skuIndex: number, locationId: string) => (await levelOf(shop.id, skus[skuIndex]!.id, locationId))?.onHand;
    expect([await onHand(0, second.id), await onHand(0, main.id), await onHand(1, main.id), await onHand(1, second.id)]).toEqual([7, 10, 8, 10]);
    expect([await committed(0, second.id), await committed(1, main.id)]).toEqual([0, 0]);
  });

  it("reads every fulfillment order and every line of a large order", async () => {
    const { shop, main, second, variants, skus, deps } = await stockedShop(14);
    // 11 lines at the second warehouse (more than the first page of a fulfillment order's lines), one at
    // main and two at locations we do not manage: 4 fulfillment orders, more than the first page.
    const third = world.sandbox.store.addLocation({ name: "Pop-up", isActive: true });
    const fourth = world.sandbox.store.addLocation({ name: "Partner", isActive: true });
    try {
      world.sandbox.store.createOrder({
        lineItems: variants.map((variant, index) => ({ variantId: variant.id, quantity: 1, locationId: index < 11 ? secondGid : [world.locationGid, third.id, fourth.id][index - 11]! })),
      });
      tick();
      await syncOrders(shop.id, "SHOPIFY", deps);
    } finally {
      world.sandbox.store.locations.get(third.id)!.isActive = false;
      world.sandbox.store.locations.get(fourth.id)!.isActive = false;
    }
    const lines = await prisma.salesOrderLine.findMany({ where: { shopId: shop.id } });
    const where = new Map(lines.map((line) => [line.skuId, line.locationId]));
    expect(skus.slice(0, 11).map((sku) => where.get(sku.id))).toEqual(Array(11).fill(second.id));
    // Locations we do not manage fall back to the default one, as before.
    expect(skus.slice(11).map((sku) => where.get(sku.id))).toEqual([main.id, main.id, main.id]);
    const operations = world.sandbox.requests.map((r) => r.operationName);
    expect(operations).toContain("ReplenishOrderFulfillmentOrders");
    expect(operations).toContain("ReplenishFulfillmentOrderLines");
  });

  it("a fulfillment order moved to another warehouse takes its committed units along when the order next changes", async () => {
    const { shop, main, second, variants, skus, deps } = await stockedShop(1);
    const [v0] = variants as [StoreVariant];
    const order = world.sandbox.store.createOrder({ lineItems: [{ variantId: v0.id, quantity: 4 }] });
    tick();
    await syncOrders(shop.id, "SHOPIFY", deps);
    expect((await levelOf(shop.id, skus[0]!.id, main.id))?.committed).toBe(4);

    world.sandbox.store.moveFulfillmentOrder(order.fulfillmentOrders[0]!.id, secondGid);
    tick();
    world.sandbox.store.fulfillOrder(order.id);
    tick();
    await syncOrders(shop.id, "SHOPIFY", deps);
    const [atMain, atSecond] = [await levelOf(shop.id, skus[0]!.id, main.id), await levelOf(shop.id, skus[0]!.id, second.id)];
    expect([atMain?.onHand, atMain?.committed, atSecond?.onHand, atSecond?.committed]).toEqual([10, 0, 6, 0]);
    await pushStock(shop.id, {}, deps);
    expect([at(v0, world.locationGid), at(v0, secondGid)]).toEqual([10, 6]);
  });

  it("a fulfillment_orders/moved webhook re-reads the order, so its committed units follow the move before it ships", async () => {
    const { shop, main, second, variants, skus, deps } = await stockedShop(1);
    const [v0] = variants as [StoreVariant];
    const order = world.sandbox.store.createOrder({ lineItems: [{ variantId: v0.id, quantity: 4 }] });
    tick();
    await syncOrders(shop.id, "SHOPIFY", deps);
    const fulfillmentOrder = order.fulfillmentOrders[0]!;
    const source = fulfillmentOrder.locationId;
    world.sandbox.store.moveFulfillmentOrder(fulfillmentOrder.id, secondGid);
    tick();

    const enqueued: unknown[] = [];
    const processorDeps = { now: () => new Date(clock.now), queues: { enqueue: async (...args: unknown[]) => void enqueued.push(args.slice(0, 3)) } } as unknown as ProcessorDeps;
    const event = (payload: unknown) => ({ id: "evt-moved", shopId: shop.id, shopDomain: shop.domain, topic: "fulfillment_orders/moved", payload }) as unknown as WebhookEvent;
    await expect(handleFulfillmentOrderMovedWebhook(event({ moved_fulfillment_order: { id: "FulfillmentOrder/1" } }), processorDeps)).rejects.toThrow(/fulfillment order move body is malformed/);
    await handleFulfillmentOrderMovedWebhook(event(world.sandbox.payloads.fulfillmentOrderMoved(fulfillmentOrder, source)), processorDeps);
    const fulfillmentOrderId = `gid://shopify/FulfillmentOrder/${fulfillmentOrder.id}`;
    expect(enqueued).toEqual([["channel-sync", "refresh-order", { shopId: shop.id, fulfillmentOrderId }]]);

    // The job: the order comes back with the same updatedAt, now shipping from the second warehouse.
    expect(await refreshShopifyOrderOfFulfillmentOrder(shop.id, fulfillmentOrderId, deps)).toMatchObject({ applied: 1, skippedStale: 0 });
    const [atMain, atSecond] = [await levelOf(shop.id, skus[0]!.id, main.id), await levelOf(shop.id, skus[0]!.id, second.id)];
    expect([atMain?.committed, atSecond?.committed]).toEqual([0, 4]);
    await pushStock(shop.id, {}, deps);
    expect([at(v0, world.locationGid), at(v0, secondGid)]).toEqual([10, 6]);
    expect(await refreshShopifyOrderOfFulfillmentOrder(shop.id, "gid://shopify/FulfillmentOrder/999999999", deps)).toBeNull();
  });

  it("a sale booked at one location and later reported at another moves there with an adjustment, once", async () => {
    const { shop, main, second, skus } = await stockedShop(1);
    const version = (updatedAt: string, locationExternalId: string): ChannelOrder => ({
      externalId: "gid://shopify/Order/990001",
      name: "#990001",
      placedAt: "2026-11-20T09:00:00Z",
      updatedAt,
      cancelledAt: null,
      currency: "USD",
      customerEmail: null,
      financialStatus: "PAID",
      fulfillmentStatus: "FULFILLED",
      lines: [{ externalLineId: "gid://shopify/LineItem/990002", sku: skus[0]!.code, listingExternalId: skus[0]!.shopifyVariantId, quantity: 3, cancelledQuantity: 0, refundedQuantity: 0, unshippedQuantity: 0, unitPrice: "5.00", locationExternalId }],
    });
    await applyChannelOrders(shop.id, "SHOPIFY", [version("2026-11-20T09:05:00Z", world.locationGid)]);
    await applyChannelOrders(shop.id, "SHOPIFY", [version("2026-11-20T09:10:00Z", secondGid)]);
    await applyChannelOrders(shop.id, "SHOPIFY", [version("2026-11-20T09:10:00Z", secondGid)]); // a repeat posts nothing
    const movements = await prisma.inventoryMovement.findMany({ where: { shopId: shop.id, sourceType: "ORDER" }, orderBy: { idempotencyKey: "asc" } });
    expect(movements.map((m) => [m.locationId === main.id ? "main" : "second", m.kind, m.quantity])).toEqual([
      ["main", "SALE", -3],
      ["main", "ADJUSTMENT", 3],
      ["second", "SALE", -3],
    ]);
    expect([(await levelOf(shop.id, skus[0]!.id, main.id))?.onHand, (await levelOf(shop.id, skus[0]!.id, second.id))?.onHand]).toEqual([10, 7]);
    const demand = await prisma.dailyDemand.findMany({ where: { shopId: shop.id }, orderBy: { units: "asc" } });
    expect(demand.map((d) => [d.locationId === main.id ? "main" : "second", d.units])).toEqual([["main", 0], ["second", 3]]);
  });

  it("a line split between locations books each part where it ships, and a part folded back moves its sale", async () => {
    const { shop, main, second, skus } = await stockedShop(1);
    const lineId = "gid://shopify/LineItem/991002";
    const part = (overrides: Partial<ChannelOrderLine>): ChannelOrderLine => ({ externalLineId: lineId, sku: skus[0]!.code, listingExternalId: skus[0]!.shopifyVariantId, quantity: 0, cancelledQuantity: 0, refundedQuantity: 0, unshippedQuantity: 0, unitPrice: "5.00", locationExternalId: world.locationGid, ...overrides });
    const version = (updatedAt: string, lines: ChannelOrderLine[]): ChannelOrder => ({ externalId: "gid://shopify/Order/991001", name: "#991001", placedAt: "2026-11-20T09:00:00Z", updatedAt, cancelledAt: null, currency: "USD", customerEmail: null, financialStatus: "PAID", fulfillmentStatus: "PARTIALLY_FULFILLED", lines });
    const secondPart = locationPartId(lineId, secondGid);
    const level = async (locationId: string) => {
      const row = await levelOf(shop.id, skus[0]!.id, locationId);
      return [row?.onHand, row?.committed];
    };
    // 3 units: 2 shipped from main, 1 still to ship from the second warehouse.
    await applyChannelOrders(shop.id, "SHOPIFY", [version("2026-11-20T09:05:00Z", [part({ quantity: 2 }), part({ externalLineId: secondPart, quantity: 1, unshippedQuantity: 1, locationExternalId: secondGid })])]);
    expect([await level(main.id), await level(second.id)]).toEqual([[8, 0], [10, 1]]);
    // The second warehouse ships its unit.
    await applyChannelOrders(shop.id, "SHOPIFY", [version("2026-11-20T09:10:00Z", [part({ quantity: 2 }), part({ externalLineId: secondPart, quantity: 1, locationExternalId: secondGid })])]);
    expect([await level(main.id), await level(second.id)]).toEqual([[8, 0], [9, 0]]);
    // A later version has the line whole at main (the part is gone): its unit moves there, once.
    const folded = version("2026-11-20T09:15:00Z", [part({ quantity: 3 })]);
    await applyChannelOrders(shop.id, "SHOPIFY", [folded]);
    await applyChannelOrders(shop.id, "SHOPIFY", [folded]);
    expect([await level(main.id), await level(second.id)]).toEqual([[7, 0], [10, 0]]);
    const lines = await prisma.salesOrderLine.findMany({ where: { shopId: shop.id }, orderBy: { externalLineId: "asc" } });
    expect(lines.map((line) => [line.externalLineId, line.quantity])).toEqual([[lineId, 3], [secondPart, 0]]);
    const demand = await prisma.dailyDemand.findMany({ where: { shopId: shop.id }, orderBy: { units: "asc" } });
    expect(demand.map((d) => [d.locationId === main.id ? "main" : "second", d.units])).toEqual([["second", 0], ["main", 3]]);
  });

  it("a return restocked at another warehouse comes back there, not where the order shipped from", async () => {
    const { shop, main, second, variants, skus, deps } = await stockedShop(1);
    const [v0] = variants as [StoreVariant];
    const order = world.sandbox.store.createOrder({ lineItems: [{ variantId: v0.id, quantity: 3 }] });
    world.sandbox.store.fulfillOrder(order.id);
    tick();
    await syncOrders(shop.id, "SHOPIFY", deps);
    // The customer brings one back to the second warehouse, which restocks it.
    world.sandbox.store.refund(order.id, [{ lineItemId: order.lineItems[0]!.id, quantity: 1, restockType: "RETURN", locationId: secondGid }]);
    tick();
    await syncOrders(shop.id, "SHOPIFY", deps);
    await syncOrders(shop.id, "SHOPIFY", deps);
    const onHand = async (locationId: string) => (await levelOf(shop.id, skus[0]!.id, locationId))?.onHand;
    expect([await onHand(main.id), await onHand(second.id)]).toEqual([7, 11]);
    const returns = async () => (await prisma.inventoryMovement.findMany({ where: { shopId: shop.id, sourceType: "ORDER_RETURN" }, orderBy: { idempotencyKey: "asc" } })).map((m) => [m.locationId === second.id ? "second" : "main", m.kind, m.quantity]);
    expect(await returns()).toEqual([["second", "RETURN", 1]]);
    // A second unit comes back there later: one more, under its own key.
    world.sandbox.store.refund(order.id, [{ lineItemId: order.lineItems[0]!.id, quantity: 1, restockType: "RETURN", locationId: secondGid }]);
    tick();
    await syncOrders(shop.id, "SHOPIFY", deps);
    expect([await onHand(main.id), await onHand(second.id)]).toEqual([7, 12]);
    expect(await returns()).toEqual([["second", "RETURN", 1], ["second", "RETURN", 1]]);
    const { mapRestOrder, parseRestOrder } = await import("#workers/processors/webhook-handlers/shopify-order-payload.ts");
    expect(mapRestOrder(parseRestOrder(world.sandbox.payloads.order(order))).lines[0]?.restocks).toEqual([{ locationExternalId: secondGid, quantity: 1 }, { locationExternalId: secondGid, quantity: 1 }]);
    expect(await pushStock(shop.id, {}, deps)).toEqual([expect.objectContaining({ applied: 0, rejected: 0 })]);
    expect([at(v0, world.locationGid), at(v0, secondGid)]).toEqual([7, 12]);
  });

  it("an order webhook in a shop with several locations asks for a pull instead of guessing the location", async () => {
    const { shop, variants } = await stockedShop(1);
    const order = world.sandbox.store.createOrder({ lineItems: [{ variantId: variants[0]!.id, quantity: 2, locationId: secondGid }] });
    const enqueued: Array<[string, string]> = [];
    const processorDeps = { now: () => new Date(clock.now), queues: { enqueue: async (queue: string, name: string) => void enqueued.push([queue, name]) } } as unknown as ProcessorDeps;
    const event = { id: "evt-multi", shopId: shop.id, shopDomain: shop.domain, topic: "orders/create", payload: world.sandbox.payloads.order(order) } as unknown as WebhookEvent;
    expect(await handleOrderWebhook(event, processorDeps)).toEqual({ note: expect.stringContaining("order pull requested") });
    expect(enqueued).toEqual([["channel-sync", "pull-orders"]]);
    expect(await prisma.salesOrder.count({ where: { shopId: shop.id } })).toBe(0);
  });
});

describe("stock pull writes", () => {
  it("writes each page in a fixed number of statements, whatever the page size", async () => {
    const { shop } = await twoLocationShop(60, 7);
    const spy = vi.spyOn(pg.Client.prototype, "query");
    try {
      const pages = async (pageSize: number) => {
        spy.mockClear();
        const summary = await pullStock(shop.id, "SHOPIFY", depsWithPageSize(pageSize));
        return { summary, statements: spy.mock.calls.length };
      };
      const small = await pages(10); // 6+ pages (the sandbox shop holds other tests' variants too)
      const again = await pages(10); // every listing now exists: the update path
      const big = await pages(250);
      expect(small.summary.listings).toBeGreaterThanOrEqual(60);
      expect(big.summary.listings).toBe(small.summary.listings);
      const pageCount = (n: number) => Math.ceil(small.summary.listings / n);
      // A per-listing write would be ≥ 3 statements per listing (≥ 180 here).
      expect(small.statements).toBeLessThan(pageCount(10) * 12 + 30);
      expect(again.statements).toBeLessThan(pageCount(10) * 12 + 30);
      expect(big.statements).toBeLessThan(pageCount(250) * 12 + 30);
    } finally {
      spy.mockRestore();
    }
    const listings = await prisma.channelListing.count({ where: { shopId: shop.id, status: "MAPPED" } });
    expect(listings).toBe(60);
    expect(await prisma.channelListingLevel.count({ where: { shopId: shop.id, lastKnownQuantity: 7, listing: { status: "MAPPED" } } })).toBe(120);
  });
});
