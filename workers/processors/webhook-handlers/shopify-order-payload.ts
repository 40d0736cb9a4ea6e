import type { ChannelOrder } from "#app/channels/channel.ts";

// The REST-shaped order body Shopify sends with orders/* webhooks, mapped to the same ChannelOrder the
// GraphQL pull produces (same ids, same cancelled/refunded split), so a webhook and a later pull of the
// same version of an order are indistinguishable to the order sync.

type RestRefund = { created_at?: string | null; refund_line_items?: Array<{ line_item_id: number; quantity: number }> };
type RestLine = { id: number; variant_id: number | null; sku: string | null; quantity: number; current_quantity?: number; fulfillable_quantity?: number; price?: string | null };
export type RestOrder = {
  id: number;
  admin_graphql_api_id?: string;
  name?: string | null;
  email?: string | null;
  currency?: string | null;
  created_at: string;
  updated_at: string;
  cancelled_at?: string | null;
  financial_status?: string | null;
  fulfillment_status?: string | null;
  line_items?: RestLine[];
  refunds?: RestRefund[];
};

export function isRestOrder(value: unknown): value is RestOrder {
  const v = value as RestOrder | null;
  return typeof v === "object" && v !== null && typeof v.id === "number" && typeof v.updated_at === "string" && typeof v.created_at === "string";
}

const FULFILLMENT: Record<string, string> = { fulfilled: "FULFILLED", partial: "PARTIALLY_FULFILLED", restocked: "RESTOCKED" };

export function mapRestOrder(order: RestOrder): ChannelOrder {
  const cancelledAt = order.cancelled_at ? Date.parse(order.cancelled_at) : null;
  const refunds = order.refunds ?? [];
  const refundedBeforeCancel = new Map<number, number>();
  const refundedTotal = new Map<number, number>();
  for (const refund of refunds) {
    const before = cancelledAt !== null && refund.created_at && Date.parse(refund.created_at) < cancelledAt;
    for (const line of refund.refund_line_items ?? []) {
      refundedTotal.set(line.line_item_id, (refundedTotal.get(line.line_item_id) ?? 0) + line.quantity);
      if (before) refundedBeforeCancel.set(line.line_item_id, (refundedBeforeCancel.get(line.line_item_id) ?? 0) + line.quantity);
    }
  }
  return {
    externalId: order.admin_graphql_api_id ?? `gid://shopify/Order/${order.id}`,
    name: order.name ?? null,
    placedAt: order.created_at,
    updatedAt: order.updated_at,
    cancelledAt: order.cancelled_at ?? null,
    currency: order.currency ?? null,
    customerEmail: order.email ?? null,
    financialStatus: order.financial_status ? order.financial_status.toUpperCase() : null,
    fulfillmentStatus: order.fulfillment_status ? (FULFILLMENT[order.fulfillment_status] ?? order.fulfillment_status.toUpperCase()) : "UNFULFILLED",
    lines: (order.line_items ?? []).map((line) => {
      const current = line.current_quantity ?? line.quantity - (refundedTotal.get(line.id) ?? 0);
      const removed = Math.max(0, line.quantity - current);
      const refunded = cancelledAt === null ? removed : Math.min(removed, refundedBeforeCancel.get(line.id) ?? 0);
      return {
        externalLineId: `gid://shopify/LineItem/${line.id}`,
        sku: line.sku,
        listingExternalId: line.variant_id === null ? null : `gid://shopify/ProductVariant/${line.variant_id}`,
        quantity: line.quantity,
        cancelledQuantity: removed - refunded,
        refundedQuantity: refunded,
        unshippedQuantity: Math.max(0, line.fulfillable_quantity ?? current),
        unitPrice: line.price ?? null,
        locationExternalId: null,
      };
    }),
  };
}
