import { z } from "zod";
import type { ChannelOrder } from "#app/channels/channel.ts";
import { MAX_STORED_UNITS } from "#app/domain/shared/quantity.ts";
import { AppError } from "#app/lib/app-error.ts";
import { describeIssues } from "./payload-issues.ts";

// The REST-shaped order body Shopify sends with orders/* webhooks, mapped to the same ChannelOrder the
// GraphQL pull produces (same ids, same cancelled/refunded split), so a webhook and a later pull of the
// same version of an order are indistinguishable to the order sync.

const timestamp = z.string().refine((value) => !Number.isNaN(Date.parse(value)), "not a date and time");
const units = z.number().int().nonnegative().max(MAX_STORED_UNITS);

const restLine = z.object({
  id: z.number(),
  variant_id: z.number().nullish(),
  sku: z.string().nullish(),
  quantity: units,
  current_quantity: units.optional(),
  fulfillable_quantity: units.optional(),
  price: z.string().nullish(),
});

const restRefund = z.object({
  created_at: timestamp.nullish(),
  refund_line_items: z.array(z.object({ line_item_id: z.number(), quantity: units, restock_type: z.string().nullish(), location_id: z.number().nullish() })).optional(),
});

const restOrder = z.object({
  id: z.number(),
  admin_graphql_api_id: z.string().optional(),
  name: z.string().nullish(),
  email: z.string().nullish(),
  currency: z.string().nullish(),
  created_at: timestamp,
  updated_at: timestamp,
  cancelled_at: timestamp.nullish(),
  financial_status: z.string().nullish(),
  fulfillment_status: z.string().nullish(),
  line_items: z.array(restLine).optional(),
  refunds: z.array(restRefund).optional(),
});

export type RestOrder = z.infer<typeof restOrder>;

/** Whether the payload claims to be an order at all (an id and its two timestamps); other bodies are only noted. */
export function looksLikeRestOrder(value: unknown): boolean {
  const v = value as { id?: unknown; created_at?: unknown; updated_at?: unknown } | null;
  return typeof v === "object" && v !== null && typeof v.id === "number" && typeof v.updated_at === "string" && typeof v.created_at === "string";
}

/**
 * The order, or an `invalid` AppError naming each malformed field. Retrying cannot repair a body, so the
 * worker fails the event at once with that message instead of retrying it into a raw TypeError; the
 * stored payload stays for a look and a later pull of the order brings its real version.
 */
export function parseRestOrder(value: unknown): RestOrder {
  const parsed = restOrder.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new AppError("invalid", `the order body is malformed: ${describeIssues(parsed.error)}`);
}

const FULFILLMENT: Record<string, string> = { fulfilled: "FULFILLED", partial: "PARTIALLY_FULFILLED", restocked: "RESTOCKED" };

export function mapRestOrder(order: RestOrder): ChannelOrder {
  const cancelledAt = order.cancelled_at ? Date.parse(order.cancelled_at) : null;
  const refunds = order.refunds ?? [];
  const refundedBeforeCancel = new Map<number, number>();
  const refundedTotal = new Map<number, number>();
  const notRestocked = new Map<number, number>();
  const restocks = new Map<number, Array<{ locationExternalId: string | null; quantity: number }>>();
  for (const refund of refunds) {
    const before = cancelledAt !== null && refund.created_at && Date.parse(refund.created_at) < cancelledAt;
    for (const line of refund.refund_line_items ?? []) {
      refundedTotal.set(line.line_item_id, (refundedTotal.get(line.line_item_id) ?? 0) + line.quantity);
      if (line.restock_type === "no_restock") notRestocked.set(line.line_item_id, (notRestocked.get(line.line_item_id) ?? 0) + line.quantity);
      else restocks.set(line.line_item_id, [...(restocks.get(line.line_item_id) ?? []), { locationExternalId: line.location_id ? `gid://shopify/Location/${line.location_id}` : null, quantity: line.quantity }]);
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
        sku: line.sku ?? null,
        listingExternalId: line.variant_id == null ? null : `gid://shopify/ProductVariant/${line.variant_id}`,
        quantity: line.quantity,
        cancelledQuantity: removed - refunded,
        refundedQuantity: refunded,
        unshippedQuantity: Math.max(0, line.fulfillable_quantity ?? current),
        notRestockedQuantity: Math.min(removed, notRestocked.get(line.id) ?? 0),
        ...(restocks.has(line.id) ? { restocks: restocks.get(line.id)! } : {}),
        unitPrice: line.price ?? null,
        locationExternalId: null,
      };
    }),
  };
}
