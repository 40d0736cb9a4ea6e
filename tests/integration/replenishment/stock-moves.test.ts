// Every writer that moves a SKU's stock asks the engine to re-plan that SKU (issue 3: "whenever a SKU's
// stock moves"), through the coalesced STOCK_CHANGE job: order pulls, order webhooks, reconciles.
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import type { ChannelAdapter, ChannelOrder } from "#app/channels/channel.ts";
import { closeQueues, getProducerQueues } from "#app/lib/queue.server.ts";
import { syncOrders } from "#app/services/order-sync.server.ts";
import { STOCK_CHANGE_COALESCE_MS } from "#app/services/replenishment.server.ts";
import { serviceDeps } from "#workers/processors/channel-sync.ts";
import type { ProcessorDeps } from "#workers/processors/deps.ts";
import { handleOrderWebhook } from "#workers/processors/webhook-handlers/index.ts";
import { resetDatabase } from "#tests/setup/db.ts";
import { createLocation, createShop, createSku, recordMovement } from "#tests/factories/index.ts";
import type { WebhookEvent } from "@prisma/client";

const queues = () => getProducerQueues();

beforeEach(async () => {
  await resetDatabase();
  await queues().queue("reorder").obliterate({ force: true });
});
afterAll(async () => {
  await queues().queue("reorder").obliterate({ force: true });
  await queues().queue("channel-sync").obliterate({ force: true });
  await closeQueues();
});

async function shopWithStock() {
  const shop = await createShop({ timezone: "UTC" });
  const location = await createLocation({ shopId: shop.id, isDefault: true });
  const a = await createSku({ shopId: shop.id, code: "A", shopifyVariantId: "gid://shopify/ProductVariant/11" });
  const b = await createSku({ shopId: shop.id, code: "B", shopifyVariantId: "gid://shopify/ProductVariant/22" });
  const untouched = await createSku({ shopId: shop.id, code: "C", shopifyVariantId: "gid://shopify/ProductVariant/33" });
  for (const sku of [a, b, untouched]) await recordMovement({ shopId: shop.id, skuId: sku.id, locationId: location.id, quantity: 50, kind: "INITIAL" });
  return { shop, a, b, untouched };
}

const order = (id: number, at: Date, lines: { variant: number; quantity: number }[]): ChannelOrder => ({
  externalId: `gid://shopify/Order/${id}`, name: `#${id}`, placedAt: at.toISOString(), updatedAt: at.toISOString(), cancelledAt: null, currency: "USD",
  customerEmail: null, financialStatus: "paid", fulfillmentStatus: null,
  lines: lines.map((l, k) => ({
    externalLineId: `${id}-${k}`, listingExternalId: `gid://shopify/ProductVariant/${l.variant}`, sku: null, locationExternalId: null,
    quantity: l.quantity, cancelledQuantity: 0, refundedQuantity: 0, unshippedQuantity: 0, unitPrice: "5.00",
  })) as ChannelOrder["lines"],
});

async function reorderJobs() {
  const jobs = await queues().queue("reorder").getJobs(["delayed", "waiting"]);
  return jobs.map((j) => ({ id: j.id, data: j.data as unknown, delay: j.opts.delay ?? 0 }));
}

describe("stock moves request a re-plan of the SKUs they moved", () => {
  it("an order pull (worker wiring) asks once per minute for exactly the SKUs its orders moved", async () => {
    const { shop, a, b } = await shopWithStock();
    // Just after a window opens, so both pulls fall in the same one.
    const now = new Date(Math.floor(Date.now() / STOCK_CHANGE_COALESCE_MS) * STOCK_CHANGE_COALESCE_MS + 1_000);
    let pages: ChannelOrder[][] = [[order(1, now, [{ variant: 22, quantity: 2 }, { variant: 11, quantity: 1 }])]];
    const adapter = { pullOrders: async () => ({ orders: pages.shift() ?? [], cursor: "c", done: true }) } as unknown as ChannelAdapter;
    const deps = { ...serviceDeps({ queues: queues(), now: () => now } as unknown as ProcessorDeps), adapterFor: async () => adapter };

    const first = await syncOrders(shop.id, "SHOPIFY", deps);
    expect(first.skuIds).toEqual([a.id, b.id].sort());
    const jobs = await reorderJobs();
    expect(jobs).toEqual([{ id: expect.stringMatching(`^reorder-stock-${shop.id}-`), data: { shopId: shop.id, trigger: "STOCK_CHANGE", skuIds: [a.id, b.id].sort() }, delay: STOCK_CHANGE_COALESCE_MS - 1_000 }]);

    // A second order for the same SKUs in the same minute is the same job.
    pages = [[order(2, now, [{ variant: 11, quantity: 3 }, { variant: 22, quantity: 1 }])]];
    await syncOrders(shop.id, "SHOPIFY", deps);
    expect(await reorderJobs()).toEqual(jobs);
  });

  it("a pull that moves nothing asks for nothing", async () => {
    const { shop } = await shopWithStock();
    const adapter = { pullOrders: async () => ({ orders: [], cursor: "c", done: true }) } as unknown as ChannelAdapter;
    await syncOrders(shop.id, "SHOPIFY", { adapterFor: async () => adapter, requestStockPush: async () => {} });
    expect(await reorderJobs()).toEqual([]);
  });

  it("the web default (no worker deps) enqueues through the producer", async () => {
    const { shop, b } = await shopWithStock();
    const adapter = { pullOrders: async () => ({ orders: [order(3, new Date(), [{ variant: 22, quantity: 4 }])], cursor: "c", done: true }) } as unknown as ChannelAdapter;
    await syncOrders(shop.id, "SHOPIFY", { adapterFor: async () => adapter, requestStockPush: async () => {} });
    expect((await reorderJobs()).map((j) => j.data)).toEqual([{ shopId: shop.id, trigger: "STOCK_CHANGE", skuIds: [b.id] }]);
  });

  it("an orders/create webhook asks for the SKUs of its lines only", async () => {
    const { shop, a } = await shopWithStock();
    const now = new Date();
    const payload = { id: 9, created_at: now.toISOString(), updated_at: now.toISOString(), currency: "USD", line_items: [{ id: 91, variant_id: 11, sku: "A", quantity: 2, price: "5.00" }] };
    const event = { id: "evt", shopId: shop.id, shopDomain: shop.domain, topic: "orders/create", payload } as unknown as WebhookEvent;
    await handleOrderWebhook(event, { queues: queues(), now: () => now } as unknown as ProcessorDeps);
    expect((await reorderJobs()).map((j) => j.data)).toEqual([{ shopId: shop.id, trigger: "STOCK_CHANGE", skuIds: [a.id] }]);
  });
});
