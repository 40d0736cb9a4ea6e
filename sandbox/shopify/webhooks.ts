import { createHmac, randomUUID } from "node:crypto";
import { gid, shopifyTime } from "./ids.ts";
import type { ShopifyStore, StoreFulfillmentOrder, StoreOrder, StoreProduct, StoreRefund } from "./store.ts";

// What Shopify sends the app: webhook deliveries (REST-shaped JSON bodies, signed with the app secret)
// and app-proxy requests (query string signed with the app secret). Payload builders take the store's
// records so a test can create an order and deliver exactly what Shopify would.

export const COMPLIANCE_TOPICS = new Set(["customers/data_request", "customers/redact", "shop/redact"]);

export type SendWebhookOptions = {
  appUrl: string;
  eventId?: string;
  webhookId?: string;
  /** Sign with another secret (a forged delivery). */
  secret?: string;
  triggeredAt?: Date;
};

export async function sendWebhook(
  config: { apiSecret: string; shopDomain: string; apiVersion: string },
  topic: string,
  payload: unknown,
  options: SendWebhookOptions,
): Promise<number> {
  const body = JSON.stringify(payload);
  const path = COMPLIANCE_TOPICS.has(topic) ? "compliance" : topic;
  const response = await fetch(`${options.appUrl.replace(/\/$/, "")}/webhooks/${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-shopify-hmac-sha256": createHmac("sha256", options.secret ?? config.apiSecret).update(body).digest("base64"),
      "x-shopify-topic": topic,
      "x-shopify-shop-domain": config.shopDomain,
      "x-shopify-api-version": config.apiVersion,
      "x-shopify-webhook-id": options.webhookId ?? randomUUID(),
      "x-shopify-event-id": options.eventId ?? randomUUID(),
      "x-shopify-triggered-at": (options.triggeredAt ?? new Date()).toISOString(),
    },
    body,
  });
  await response.arrayBuffer(); // release the connection
  return response.status;
}

/**
 * The `signature` Shopify adds to an app-proxy request: HMAC-SHA256 (hex) of the other query parameters
 * sorted by name as `key=value` joined with no separator (array values joined with commas).
 */
export function signAppProxy(apiSecret: string, params: Record<string, string | string[]>): string {
  const message = Object.keys(params)
    .filter((key) => key !== "signature")
    .sort()
    .map((key) => {
      const value = params[key]!;
      return `${key}=${Array.isArray(value) ? value.join(",") : value}`;
    })
    .join("");
  return createHmac("sha256", apiSecret).update(message).digest("hex");
}

// ───────────── REST payloads ─────────────

export function orderPayload(store: ShopifyStore, order: StoreOrder) {
  const refunded = (lineId: number) => store.refundedQuantity(order, lineId);
  const total = order.lineItems.reduce((sum, line) => sum + Number(line.price) * line.quantity, 0).toFixed(2);
  const fulfilled = order.lineItems.every((line) => store.unfulfilledQuantity(order, line) === 0) && order.lineItems.some((line) => line.fulfilledQuantity > 0);
  return {
    id: order.id,
    admin_graphql_api_id: gid("Order", order.id),
    name: order.name,
    order_number: order.number,
    email: order.email,
    currency: order.currency,
    created_at: shopifyTime(order.createdAt),
    updated_at: shopifyTime(order.updatedAt),
    processed_at: shopifyTime(order.createdAt),
    cancelled_at: order.cancelledAt === null ? null : shopifyTime(order.cancelledAt),
    cancel_reason: order.cancelReason?.toLowerCase() ?? null,
    financial_status: order.refunds.length === 0 ? "paid" : order.lineItems.every((line) => refunded(line.id) >= line.quantity) ? "refunded" : "partially_refunded",
    fulfillment_status: fulfilled ? "fulfilled" : order.lineItems.some((line) => line.fulfilledQuantity > 0) ? "partial" : null,
    total_price: total,
    subtotal_price: total,
    line_items: order.lineItems.map((line) => ({
      id: line.id,
      admin_graphql_api_id: gid("LineItem", line.id),
      variant_id: line.variantId,
      product_id: line.productId,
      sku: line.sku,
      title: line.title,
      name: line.title,
      quantity: line.quantity,
      current_quantity: store.currentQuantity(order, line),
      fulfillable_quantity: store.unfulfilledQuantity(order, line),
      fulfillment_status: line.fulfilledQuantity >= line.quantity ? "fulfilled" : line.fulfilledQuantity > 0 ? "partial" : null,
      price: line.price,
      requires_shipping: true,
      gift_card: false,
    })),
    refunds: order.refunds.map((refund) => refundPayload(order, refund)),
  };
}

export function refundPayload(order: StoreOrder, refund: StoreRefund) {
  return {
    id: refund.id,
    admin_graphql_api_id: gid("Refund", refund.id),
    order_id: order.id,
    created_at: shopifyTime(refund.createdAt),
    processed_at: shopifyTime(refund.createdAt),
    note: refund.note,
    restock: refund.lines.some((line) => line.restockType !== "NO_RESTOCK"),
    refund_line_items: refund.lines.map((line) => {
      const item = order.lineItems.find((candidate) => candidate.id === line.lineItemId)!;
      return {
        id: line.id,
        line_item_id: line.lineItemId,
        quantity: line.quantity,
        restock_type: line.restockType.toLowerCase(),
        location_id: line.locationId,
        subtotal: (Number(item.price) * line.quantity).toFixed(2),
        total_tax: "0.00",
        line_item: { id: item.id, variant_id: item.variantId, sku: item.sku, quantity: item.quantity, price: item.price },
      };
    }),
  };
}

/** fulfillment_orders/moved for a whole fulfillment order moved (the sandbox's only kind): original and moved are one. */
export function fulfillmentOrderMovedPayload(fulfillmentOrder: StoreFulfillmentOrder, sourceLocationId: number) {
  const moved = { id: gid("FulfillmentOrder", fulfillmentOrder.id), status: "open", assigned_location_id: gid("Location", fulfillmentOrder.locationId) };
  return {
    original_fulfillment_order: moved,
    moved_fulfillment_order: moved,
    destination_location_id: gid("Location", fulfillmentOrder.locationId),
    fulfillment_order_line_items_requested: null,
    source_location: { id: gid("Location", sourceLocationId) },
  };
}

export function productPayload(store: ShopifyStore, product: StoreProduct) {
  return {
    id: product.id,
    admin_graphql_api_id: gid("Product", product.id),
    title: product.title,
    status: product.status.toLowerCase(),
    vendor: product.vendor,
    created_at: shopifyTime(product.createdAt),
    updated_at: shopifyTime(product.updatedAt),
    variants: product.variantIds.map((id) => {
      const variant = store.variants.get(id)!;
      return {
        id: variant.id,
        admin_graphql_api_id: gid("ProductVariant", variant.id),
        product_id: product.id,
        title: variant.title,
        sku: variant.sku,
        barcode: variant.barcode,
        price: variant.price,
        position: variant.position,
        inventory_item_id: variant.inventoryItemId,
        inventory_quantity: store.levelsOfItem(variant.inventoryItemId).reduce((sum, level) => sum + level.quantities.available, 0),
        updated_at: shopifyTime(variant.updatedAt),
      };
    }),
  };
}

export function shopPayload(store: ShopifyStore) {
  return { id: store.shop.id, name: store.shop.name, domain: store.shop.domain, myshopify_domain: store.shop.domain, currency: store.shop.currencyCode, iana_timezone: store.shop.ianaTimezone };
}
