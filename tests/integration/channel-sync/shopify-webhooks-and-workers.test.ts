import { randomUUID } from "node:crypto";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { closeQueues } from "#app/lib/queue.server.ts";
import { action as appUninstalled } from "#app/routes/webhooks.app.uninstalled.tsx";
import { action as inventoryLevelsUpdate } from "#app/routes/webhooks.inventory_levels.update.tsx";
import { action as ordersCancelled } from "#app/routes/webhooks.orders.cancelled.tsx";
import { action as ordersCreate } from "#app/routes/webhooks.orders.create.tsx";
import { action as ordersUpdated } from "#app/routes/webhooks.orders.updated.tsx";
import { action as productsUpdate } from "#app/routes/webhooks.products.update.tsx";
import { pullStock } from "#app/services/stock-sync.server.ts";
import { startWorkers, type RunningWorkers } from "#workers/index.ts";
import { signedWebhookRequest } from "#tests/support/shopify-webhook.ts";
import { waitForFinished, waitUntil } from "#tests/integration/workers/helpers.ts";
import { availableIn, levelOf, newShopifyShop, receive, startShopifyWorld, tick, type ShopifyWorld } from "./helpers.ts";

// Webhooks through the real intake (HMAC, stored by event id, enqueued) and real workers (BullMQ on
// this file's queue prefix) into the channel handlers and services; jobs through the bull adapter's
// error mapping while the sandbox throttles, answers 429 and fails.

let world: ShopifyWorld;
let workers: RunningWorkers;

type Action = typeof ordersCreate;
async function deliver(action: Action, topic: string, shop: string, payload: unknown, eventId = randomUUID()): Promise<number> {
  const response = (await action({ request: signedWebhookRequest({ topic, shop, payload, eventId }), params: {}, context: {} })) as Response;
  return response.status;
}

/**
 * Waits until the webhooks and channel-sync queues are idle (asking Redis, not the database), then checks
 * that `count` events of the shop were handled. Keeping the test's own queries out of the workers' way
 * also keeps the embedded PGlite used without TEST_DATABASE_URL clear of pglite-socket's interleaving of
 * concurrent connections (electric-sql/pglite#1046); CI runs on PostgreSQL.
 */
async function processed(shopDomain: string, count: number): Promise<void> {
  await settle();
  const events = await prisma.webhookEvent.findMany({ where: { shopDomain } });
  expect(events.filter((e) => e.status === "PROCESSED")).toHaveLength(count);
  expect(events.filter((e) => e.status === "FAILED").map((e) => `${e.topic}: ${e.error}`)).toEqual([]);
}

async function settle(): Promise<void> {
  await waitUntil(async () => {
    const counts = await Promise.all((["channel-sync", "webhooks"] as const).map((q) => workers.queues.queue(q).getJobCounts("active", "waiting", "delayed", "prioritized")));
    return counts.every((c) => Object.values(c).every((n) => n === 0));
  }, 20_000);
}

beforeAll(async () => {
  world = await startShopifyWorld();
  workers = await startWorkers({ syncSchedulers: false });
});
afterAll(async () => {
  await workers?.close();
  await closeQueues();
  await world?.sandbox.close();
  delete process.env.SHOPIFY_ADMIN_ORIGIN;
});
beforeEach(() => world.sandbox.faults.reset());
// Follow-up jobs (coalesced pushes, delayed reconciles) of one test finish before the next begins.
afterEach(() => settle());

describe("order webhooks", () => {
  it("processes the same event delivered twice once, and a repeated payload under a new event id changes nothing", async () => {
    const { shop, location, variants, skus } = await newShopifyShop(world, { variants: 2, available: 20 });
    await receive(shop.id, location.id, skus.map((s) => ({ skuId: s.id, quantity: 20 })), "opening", "INITIAL");
    const order = world.sandbox.store.createOrder({ lineItems: [{ variantId: variants[0]!.id, quantity: 2 }] });
    const payload = world.sandbox.payloads.order(order);
    const eventId = randomUUID();
    expect(await deliver(ordersCreate, "orders/create", shop.domain, payload, eventId)).toBe(200);
    expect(await deliver(ordersCreate, "orders/create", shop.domain, payload, eventId)).toBe(200);
    await processed(shop.domain, 1);
    expect(await deliver(ordersUpdated, "orders/updated", shop.domain, payload)).toBe(200);
    await processed(shop.domain, 2);

    const events = await prisma.webhookEvent.findMany({ where: { shopDomain: shop.domain }, orderBy: { receivedAt: "asc" } });
    expect(events.map((e) => [e.topic, e.status, e.attempts])).toEqual([
      ["orders/create", "PROCESSED", 1],
      ["orders/updated", "PROCESSED", 1],
    ]);
    expect(await prisma.salesOrder.count({ where: { shopId: shop.id } })).toBe(1);
    expect((await levelOf(shop.id, skus[0]!.id, location.id))?.committed).toBe(2);
    expect(await prisma.inventoryMovement.count({ where: { shopId: shop.id, sourceType: "ORDER" } })).toBe(0);
    // The coalesced push the order asked for lands: Shopify shows on hand − committed.
    await waitUntil(() => availableIn(world, variants[0]!) === 18, 10_000);
  });

  it("ends in the right state when a cancellation or a fulfilment arrives before the creation", async () => {
    const { shop, location, variants, skus } = await newShopifyShop(world, { variants: 2, available: 20 });
    await receive(shop.id, location.id, skus.map((s) => ({ skuId: s.id, quantity: 20 })), "opening", "INITIAL");
    const { store, payloads } = world.sandbox;
    const cancelledOrder = store.createOrder({ lineItems: [{ variantId: variants[0]!.id, quantity: 1 }] });
    const shippedOrder = store.createOrder({ lineItems: [{ variantId: variants[1]!.id, quantity: 3 }] });
    const created = [payloads.order(cancelledOrder), payloads.order(shippedOrder)];
    tick();
    store.cancelOrder(cancelledOrder.id);
    store.fulfillOrder(shippedOrder.id);
    tick();
    await deliver(ordersCancelled, "orders/cancelled", shop.domain, payloads.order(cancelledOrder));
    await processed(shop.domain, 1);
    await deliver(ordersUpdated, "orders/updated", shop.domain, payloads.order(shippedOrder));
    await processed(shop.domain, 2);
    await deliver(ordersCreate, "orders/create", shop.domain, created[0]);
    await processed(shop.domain, 3);
    await deliver(ordersCreate, "orders/create", shop.domain, created[1]);
    await processed(shop.domain, 4);

    const orders = await prisma.salesOrder.findMany({ where: { shopId: shop.id }, include: { lines: true }, orderBy: { name: "asc" } });
    expect(orders.map((o) => [o.cancelledAt !== null, o.lines[0]?.cancelledQuantity, o.lines[0]?.unshippedQuantity])).toEqual([
      [true, 1, 0],
      [false, 0, 0],
    ]);
    expect([(await levelOf(shop.id, skus[0]!.id, location.id))?.committed, (await levelOf(shop.id, skus[1]!.id, location.id))?.committed]).toEqual([0, 0]);
    const movements = await prisma.inventoryMovement.findMany({ where: { shopId: shop.id, sourceType: "ORDER" } });
    expect(movements.map((m) => [m.skuId, m.kind, m.quantity])).toEqual([[skus[1]!.id, "SALE", -3]]);
    const demand = await prisma.dailyDemand.findMany({ where: { shopId: shop.id }, orderBy: { units: "asc" } });
    expect(demand.map((d) => [d.skuId, d.units])).toEqual([
      [skus[0]!.id, 0],
      [skus[1]!.id, 3],
    ]);
    const skipped = await prisma.webhookEvent.findMany({ where: { shopDomain: shop.domain, topic: "orders/create" } });
    expect(skipped.every((e) => e.error?.includes("newer version"))).toBe(true);
  });
});

describe("stock webhooks", () => {
  it("records a Shopify-side quantity change as drift and reconciles it back to ours", async () => {
    const { shop, location, variants, skus } = await newShopifyShop(world, { variants: 1, available: 9 });
    await receive(shop.id, location.id, [{ skuId: skus[0]!.id, quantity: 9 }], "opening", "INITIAL");
    await pullStock(shop.id, "SHOPIFY");
    const payload = world.sandbox.store.setQuantity({ variantId: variants[0]!.id, locationId: world.locationGid, quantity: 40 }); // someone typed 40 in Shopify admin
    await deliver(inventoryLevelsUpdate, "inventory_levels/update", shop.domain, payload);
    await processed(shop.domain, 1);
    const event = await prisma.webhookEvent.findFirstOrThrow({ where: { shopDomain: shop.domain } });
    expect(event.error).toContain("drift +31");
    // processed() waited for the reconcile too (delayed so orders land first): it re-read 40 and pushed ours.
    expect(availableIn(world, variants[0]!)).toBe(9);
    const listing = await prisma.channelListing.findFirstOrThrow({ where: { shopId: shop.id, skuId: skus[0]!.id } });
    expect([listing.lastKnownQuantity, listing.lastPushedQuantity]).toEqual([9, 9]);
    expect(await prisma.channelPush.findFirst({ where: { listingId: listing.id }, orderBy: { requestedAt: "desc" } })).toMatchObject({ status: "SUCCEEDED", quantity: 9, previousQuantity: 40 });
  });

  it("refreshes listings from products/update and asks a person to confirm a mapping whose SKU changed", async () => {
    const { shop, variants } = await newShopifyShop(world, { variants: 1, available: 1 });
    await pullStock(shop.id, "SHOPIFY");
    const variant = world.sandbox.store.variants.get(variants[0]!.id)!;
    variant.sku = "RENAMED-1";
    variant.barcode = "999000111";
    await deliver(productsUpdate, "products/update", shop.domain, world.sandbox.payloads.product(world.sandbox.store.products.get(variant.productId)!));
    await processed(shop.domain, 1);
    expect(await prisma.channelListing.findFirst({ where: { shopId: shop.id, externalId: `gid://shopify/ProductVariant/${variant.id}` } })).toMatchObject({ externalSku: "RENAMED-1", barcode: "999000111", status: "MAPPED" });
    expect(await prisma.reviewItem.findFirst({ where: { shopId: shop.id, kind: "UNMAPPED_LISTING" } })).toMatchObject({ status: "OPEN", reason: expect.stringContaining("RENAMED-1") });
  });
});

describe("jobs through the worker", () => {
  const fast = { attempts: 30, backoff: { type: "fixed" as const, delay: 50 } };

  it("a throttling/429/5xx storm during a sync ends with every order imported exactly once and Shopify's quantity equal to ours", async () => {
    const { shop, location, variants, skus } = await newShopifyShop(world, { variants: 3, available: 30 });
    await receive(shop.id, location.id, skus.map((s) => ({ skuId: s.id, quantity: 30 })), "opening", "INITIAL");
    await pullStock(shop.id, "SHOPIFY");
    for (let i = 0; i < 17; i++) {
      if (i % 4 === 0) tick();
      world.sandbox.store.createOrder({ lineItems: [{ variantId: variants[i % 3]!.id, quantity: 1 }] });
    }
    tick();
    world.sandbox.faults.set({ throttleNext: 3, http429Next: { count: 2, retryAfterSeconds: 0.1 }, http5xxNext: 2 });
    const id = await workers.queues.enqueue("channel-sync", "pull-orders", { shopId: shop.id, channel: "SHOPIFY" }, { jobId: `pull-${shop.id}`, ...fast });
    const job = await waitForFinished(workers.queues.queue("channel-sync"), id, 20_000);
    expect(await job.getState()).toBe("completed");
    expect(world.sandbox.faults.pending()).toMatchObject({ throttleNext: 0, http5xxNext: { count: 0 } });

    const lines = await prisma.salesOrderLine.findMany({ where: { shopId: shop.id } });
    expect(await prisma.salesOrder.count({ where: { shopId: shop.id } })).toBe(17);
    expect(lines).toHaveLength(17);
    expect(skus.map((s) => lines.filter((l) => l.skuId === s.id).length)).toEqual([6, 6, 5]);

    // The push the import asked for, through another storm: Shopify ends equal to ours.
    world.sandbox.faults.set({ http429Next: { count: 1, retryAfterSeconds: 0.1 }, http5xxNext: 1 });
    const push = await workers.queues.enqueue("channel-sync", "push-stock", { shopId: shop.id }, { jobId: `push-${shop.id}`, ...fast });
    await waitForFinished(workers.queues.queue("channel-sync"), push, 20_000);
    await waitUntil(async () => variants.every((v, i) => availableIn(world, v) === 30 - [6, 6, 5][i]!), 10_000);
    const ours = await Promise.all(skus.map(async (s) => (await levelOf(shop.id, s.id, location.id))!));
    expect(variants.map((v) => availableIn(world, v))).toEqual(ours.map((l) => l.onHand - l.committed));
  });

  it("an auth failure stops the job and shows on the connection", async () => {
    const { shop } = await newShopifyShop(world, { variants: 1, available: 1 });
    world.sandbox.faults.set({ invalidTokenNext: 1 });
    const id = await workers.queues.enqueue("channel-sync", "pull-orders", { shopId: shop.id, channel: "SHOPIFY" }, { jobId: `auth-${shop.id}`, ...fast });
    const job = await waitForFinished(workers.queues.queue("channel-sync"), id);
    expect(await job.getState()).toBe("failed");
    expect(job.attemptsMade).toBe(1);
    expect(await prisma.channelConnection.findFirst({ where: { shopId: shop.id } })).toMatchObject({ status: "ERROR", lastError: expect.stringContaining("auth") });
  });

  it("app/uninstalled marks the shop inactive and later channel jobs do nothing", async () => {
    const { shop, location, variants, skus } = await newShopifyShop(world, { variants: 1, available: 4 });
    await receive(shop.id, location.id, [{ skuId: skus[0]!.id, quantity: 50 }], "opening", "INITIAL");
    await pullStock(shop.id, "SHOPIFY");
    expect(await deliver(appUninstalled, "app/uninstalled", shop.domain, { id: 1, domain: shop.domain })).toBe(200);
    await processed(shop.domain, 1);
    expect(await prisma.shop.findUnique({ where: { id: shop.id } })).toMatchObject({ status: "UNINSTALLED" });

    world.sandbox.store.createOrder({ lineItems: [{ variantId: variants[0]!.id, quantity: 1 }] });
    tick();
    const ids = [
      await workers.queues.enqueue("channel-sync", "pull-orders", { shopId: shop.id, channel: "SHOPIFY" }, { jobId: `u-pull-${shop.id}` }),
      await workers.queues.enqueue("channel-sync", "push-stock", { shopId: shop.id }, { jobId: `u-push-${shop.id}` }),
      await workers.queues.enqueue("channel-sync", "reconcile", { shopId: shop.id }, { jobId: `u-rec-${shop.id}` }),
    ];
    for (const id of ids) expect(await (await waitForFinished(workers.queues.queue("channel-sync"), id)).getState()).toBe("completed");
    expect(await prisma.salesOrder.count({ where: { shopId: shop.id } })).toBe(0);
    expect(await prisma.channelPush.count({ where: { shopId: shop.id } })).toBe(0);
    expect(availableIn(world, variants[0]!)).toBe(3); // Shopify's own figure, untouched by us
  });
});
