import type { WebhookEvent } from "@prisma/client";
import { z } from "zod";
import { prisma } from "#app/db.server.ts";
import { AppError } from "#app/lib/app-error.ts";
import { parseChannelBuffers, quantityDrift, sellableQuantity } from "#app/domain/channels/quantity-policy.ts";
import { findListingByItem, flagMappingChange, recordKnownLevel, recordListingFromStock } from "#app/models/channel-listing.server.ts";
import { onAvailabilityChanged } from "#app/services/back-in-stock-notify.server.ts";
import { applyChannelOrders } from "#app/services/order-sync.server.ts";
import { requestReorderForSkus } from "#app/services/replenishment.server.ts";
import { requestStockPush } from "#app/services/stock-sync.server.ts";
import { jobId } from "#workers/queues.ts";
import type { ProcessorDeps } from "../deps.ts";
import type { WebhookHandler, WebhookHandlers } from "../webhook-event.ts";
import { describeIssues } from "./payload-issues.ts";
import { looksLikeRestOrder, mapRestOrder, parseRestOrder } from "./shopify-order-payload.ts";

// Shopify business webhooks (issue 4 item 2). Each is idempotent and order-independent:
// - orders/*: the payload is a full version of the order; the order sync keeps the newest version by
//   updated_at, posts ledger deltas under versioned keys, so a repeat posts nothing and a cancellation
//   arriving before its creation ends in the cancelled state. With several Shopify locations the body
//   cannot say where each line ships from, so it asks for an order pull (fulfillment orders) instead;
// - refunds/create carries only the refund: it asks for an incremental order pull (coalesced), which
//   brings the order's current version in through the same path;
// - inventory_levels/update records what Shopify shows and, when it differs from ours, asks for a
//   reconcile (orders first, then stock, then a push), never an immediate push: the difference is often
//   an order whose webhook has not been processed yet, and pushing our older figure would oversell;
// - fulfillment_orders/moved re-reads the moved order, whose lines now ship from another location;
// - products/update refreshes listings (titles, barcodes, SKUs) and flags mappings a SKU change put in doubt.

/** Orders must settle before a reconcile compares quantities: a short delay lets their webhooks land. */
export const RECONCILE_AFTER_DRIFT_MS = 3_000;

async function shopOf(event: WebhookEvent): Promise<{ id: string; status: string } | null> {
  return event.shopId
    ? prisma.shop.findUnique({ where: { id: event.shopId }, select: { id: true, status: true } })
    : prisma.shop.findUnique({ where: { domain: event.shopDomain }, select: { id: true, status: true } });
}

export const handleOrderWebhook: WebhookHandler = async (event, deps) => {
  const shop = await shopOf(event);
  if (!shop || shop.status !== "ACTIVE") return { note: `no active shop for ${event.shopDomain}` };
  if (!looksLikeRestOrder(event.payload)) return { note: "payload is not an order" };
  // Booked at the default location, a line Shopify routed elsewhere would be pushed off the wrong shelf.
  if ((await prisma.location.count({ where: { shopId: shop.id, isActive: true, shopifyLocationId: { not: null } } })) > 1) {
    await requestOrderPull(shop.id, deps);
    return { note: "several locations: order pull requested (the body does not say where each line ships from)" };
  }
  const result = await applyChannelOrders(shop.id, "SHOPIFY", [mapRestOrder(parseRestOrder(event.payload))], { now: deps.now() });
  if (result.skuIds.length > 0) {
    await requestStockPush(shop.id, result.skuIds, { queues: deps.queues });
    await requestReorderForSkus(shop.id, result.skuIds, { queues: deps.queues, now: deps.now() });
  }
  return result.skippedStale > 0 ? { note: "an equal or newer version of the order is already recorded" } : {};
};

async function requestOrderPull(shopId: string, deps: ProcessorDeps): Promise<void> {
  await deps.queues.enqueue("channel-sync", "pull-orders", { shopId, channel: "SHOPIFY" }, { delay: 500, deduplication: { id: jobId("pull-orders", shopId, "SHOPIFY") }, removeOnComplete: { count: 100 } });
}

export const handleRefundWebhook: WebhookHandler = async (event, deps) => {
  const shop = await shopOf(event);
  if (!shop || shop.status !== "ACTIVE") return { note: `no active shop for ${event.shopDomain}` };
  await requestOrderPull(shop.id, deps);
  return { note: "order pull requested" };
};

type InventoryLevelPayload = { inventory_item_id: number; location_id: number; available: number | null };

export const handleInventoryLevelWebhook: WebhookHandler = async (event, deps) => {
  const shop = await shopOf(event);
  if (!shop || shop.status !== "ACTIVE") return { note: `no active shop for ${event.shopDomain}` };
  const payload = event.payload as InventoryLevelPayload;
  if (typeof payload?.inventory_item_id !== "number" || typeof payload.available !== "number") return { note: "payload without an available quantity" };
  const listing = await findListingByItem(shop.id, "SHOPIFY", `gid://shopify/InventoryItem/${payload.inventory_item_id}`);
  if (!listing) return { note: "unknown inventory item" };
  // Quantities are pushed per linked location, so each location's figure is compared with its own.
  const pushed = await prisma.location.findFirst({ where: { shopId: shop.id, isActive: true, shopifyLocationId: `gid://shopify/Location/${payload.location_id}` }, select: { id: true } });
  if (!pushed) return { note: "a location we do not push to" };
  await recordKnownLevel(shop.id, listing.id, pushed.id, payload.available, deps.now());
  if (listing.status !== "MAPPED" || !listing.skuId) return { note: "unmapped listing: quantity recorded" };
  // Shopify's own figure: a manual adjustment in Shopify can put a variant back on sale before our ledger knows.
  await onAvailabilityChanged(shop.id, [{ skuId: listing.skuId, after: payload.available }], { queues: deps.queues });
  const [level, settings] = await Promise.all([
    prisma.inventoryLevel.findUnique({ where: { shopId_skuId_locationId: { shopId: shop.id, skuId: listing.skuId, locationId: pushed.id } }, select: { onHand: true, committed: true } }),
    prisma.shopSettings.findUnique({ where: { shopId: shop.id }, select: { channelBuffers: true } }),
  ]);
  const ours = sellableQuantity({ onHand: level?.onHand ?? 0, committed: level?.committed ?? 0, buffer: parseChannelBuffers(settings?.channelBuffers).SHOPIFY ?? 0 });
  const drift = quantityDrift(payload.available, ours);
  if (!drift) return {};
  await deps.queues.enqueue("channel-sync", "reconcile", { shopId: shop.id, channel: "SHOPIFY" }, { delay: RECONCILE_AFTER_DRIFT_MS, deduplication: { id: jobId("reconcile", shop.id, "SHOPIFY") }, removeOnComplete: { count: 100 } });
  return { note: `drift ${drift > 0 ? "+" : ""}${drift} (Shopify ${payload.available}, ours ${ours}): reconcile requested` };
};

const productPayload = z.object({
  title: z.string().nullish(),
  variants: z
    .array(
      z.object({
        id: z.number(),
        sku: z.string().nullish(),
        barcode: z.string().nullish(),
        title: z.string().nullish(),
        inventory_item_id: z.number().nullish(),
      }),
    )
    .optional(),
});

export const handleProductWebhook: WebhookHandler = async (event) => {
  const shop = await shopOf(event);
  if (!shop || shop.status !== "ACTIVE") return { note: `no active shop for ${event.shopDomain}` };
  // A variant without an id would become a listing "ProductVariant/undefined": the whole body is refused instead.
  const parsed = productPayload.safeParse(event.payload);
  if (!parsed.success) throw new AppError("invalid", `the product body is malformed: ${describeIssues(parsed.error)}`);
  const payload = parsed.data;
  let flagged = 0;
  for (const variant of payload.variants ?? []) {
    const title = variant.title && variant.title !== "Default Title" ? `${payload.title ?? ""} - ${variant.title}` : (payload.title ?? null);
    const listing = await recordListingFromStock(
      shop.id,
      "SHOPIFY",
      { listingExternalId: `gid://shopify/ProductVariant/${variant.id}`, itemExternalId: variant.inventory_item_id ? `gid://shopify/InventoryItem/${variant.inventory_item_id}` : null, sku: variant.sku ?? null, barcode: variant.barcode ?? null, title, fulfilledByChannel: false },
      null,
    );
    if (await flagMappingChange(shop.id, listing.id)) flagged++;
  }
  return flagged > 0 ? { note: `${flagged} mapping(s) to confirm` } : {};
};

const fulfillmentOrderRef = z.union([z.number().int().positive(), z.string().regex(/^(gid:\/\/shopify\/FulfillmentOrder\/)?\d+$/)]);
const fulfillmentOrderMovedPayload = z.object({
  original_fulfillment_order: z.object({ id: fulfillmentOrderRef }),
  moved_fulfillment_order: z.object({ id: fulfillmentOrderRef }).nullish(),
});

/**
 * fulfillment_orders/moved: the body names fulfillment orders, not their order, and the move need not
 * change the order's updatedAt, so the incremental pull would not see it: the order is re-read by one of
 * its fulfillment orders (a channel-sync job, so Shopify's rate limit paces it like any other read).
 */
export const handleFulfillmentOrderMovedWebhook: WebhookHandler = async (event, deps) => {
  const shop = await shopOf(event);
  if (!shop || shop.status !== "ACTIVE") return { note: `no active shop for ${event.shopDomain}` };
  const parsed = fulfillmentOrderMovedPayload.safeParse(event.payload);
  if (!parsed.success) throw new AppError("invalid", `the fulfillment order move body is malformed: ${describeIssues(parsed.error)}`);
  const ref = String((parsed.data.moved_fulfillment_order ?? parsed.data.original_fulfillment_order).id);
  const fulfillmentOrderId = ref.startsWith("gid://") ? ref : `gid://shopify/FulfillmentOrder/${ref}`;
  await deps.queues.enqueue("channel-sync", "refresh-order", { shopId: shop.id, fulfillmentOrderId }, { delay: 500, deduplication: { id: jobId("refresh-order", shop.id, fulfillmentOrderId.split("/").pop()!) }, removeOnComplete: { count: 100 } });
  return { note: "order refresh requested" };
};

export const channelWebhookHandlers: WebhookHandlers = {
  "orders/create": handleOrderWebhook,
  "orders/updated": handleOrderWebhook,
  "orders/cancelled": handleOrderWebhook,
  "refunds/create": handleRefundWebhook,
  "inventory_levels/update": handleInventoryLevelWebhook,
  "products/update": handleProductWebhook,
  "fulfillment_orders/moved": handleFulfillmentOrderMovedWebhook,
};
