import type { ChannelOrder, ChannelOrderLine, ChannelStockLevel } from "../channel.ts";

// Shopify wire shapes (as selected in queries.ts) ⇄ the channel contract. Pure: no IO, no clock.

export type WireMoneyBag = { shopMoney: { amount: string } } | null;
export type WireLineItem = {
  id: string;
  sku: string | null;
  quantity: number;
  currentQuantity: number;
  unfulfilledQuantity: number;
  variant: { id: string } | null;
  originalUnitPriceSet: WireMoneyBag;
};
export type WireRefund = { createdAt: string | null; refundLineItems: { nodes: Array<{ quantity: number; lineItem: { id: string } }> } };
export type WireOrder = {
  id: string;
  name: string | null;
  createdAt: string;
  updatedAt: string;
  cancelledAt: string | null;
  currencyCode: string | null;
  email: string | null;
  displayFinancialStatus: string | null;
  displayFulfillmentStatus: string | null;
  lineItems: { nodes: WireLineItem[]; pageInfo?: { hasNextPage: boolean; endCursor: string | null } };
  refunds: WireRefund[];
};

export type WireLevel = { location: { id: string }; quantities: Array<{ name: string; quantity: number }> };
export type WireVariant = {
  id: string;
  sku: string | null;
  barcode: string | null;
  displayName: string | null;
  inventoryItem: { id: string; tracked: boolean; inventoryLevels?: { nodes: WireLevel[] } } | null;
};

/**
 * Units per line: Shopify's currentQuantity is what is left after refunds and removals, so
 * quantity − currentQuantity is everything taken back. On a cancelled order, what was taken back by
 * refunds made before the cancellation stays "refunded" and the rest is "cancelled" (timestamps have
 * second precision: a refund in the same second as the cancellation counts as part of it).
 */
export function mapOrder(order: WireOrder, lineItems: WireLineItem[] = order.lineItems.nodes): ChannelOrder {
  const cancelledAt = order.cancelledAt === null ? null : Date.parse(order.cancelledAt);
  const refundedBeforeCancel = new Map<string, number>();
  if (cancelledAt !== null) {
    for (const refund of order.refunds) {
      if (refund.createdAt === null || Date.parse(refund.createdAt) >= cancelledAt) continue;
      for (const line of refund.refundLineItems.nodes) refundedBeforeCancel.set(line.lineItem.id, (refundedBeforeCancel.get(line.lineItem.id) ?? 0) + line.quantity);
    }
  }
  const lines = lineItems.map((line): ChannelOrderLine => {
    const removed = Math.max(0, line.quantity - line.currentQuantity);
    const refunded = cancelledAt === null ? removed : Math.min(removed, refundedBeforeCancel.get(line.id) ?? 0);
    return {
      externalLineId: line.id,
      sku: line.sku,
      listingExternalId: line.variant?.id ?? null,
      quantity: line.quantity,
      cancelledQuantity: removed - refunded,
      refundedQuantity: refunded,
      unshippedQuantity: line.unfulfilledQuantity,
      unitPrice: line.originalUnitPriceSet?.shopMoney.amount ?? null,
      locationExternalId: null,
    };
  });
  return {
    externalId: order.id,
    name: order.name,
    placedAt: order.createdAt,
    updatedAt: order.updatedAt,
    cancelledAt: order.cancelledAt,
    currency: order.currencyCode,
    customerEmail: order.email,
    financialStatus: order.displayFinancialStatus,
    fulfillmentStatus: order.displayFulfillmentStatus,
    lines,
  };
}

function quantity(level: WireLevel, name: string): number | null {
  return level.quantities.find((q) => q.name === name)?.quantity ?? null;
}

/** One row per (variant, location); a variant stocked nowhere still appears once, with no location. */
export function mapVariantLevels(variant: WireVariant, levels: WireLevel[] = variant.inventoryItem?.inventoryLevels?.nodes ?? []): ChannelStockLevel[] {
  const base = {
    listingExternalId: variant.id,
    itemExternalId: variant.inventoryItem?.id ?? null,
    sku: variant.sku,
    barcode: variant.barcode,
    title: variant.displayName,
    fulfilledByChannel: false,
  };
  if (levels.length === 0) return [{ ...base, locationExternalId: null, available: 0, onHand: null }];
  return levels.map((level) => ({
    ...base,
    locationExternalId: level.location.id,
    available: quantity(level, "available") ?? 0,
    onHand: quantity(level, "on_hand"),
  }));
}

/**
 * Assembles a bulk-operation JSONL result: variant lines, and level lines pointing at their variant
 * with __parentId. Lines may come in any order (a child before its parent), so everything is grouped
 * first; the result follows the variants' order in the file.
 */
export function mapBulkStockLines(lines: Iterable<Record<string, unknown>>): ChannelStockLevel[] {
  const variants: WireVariant[] = [];
  const levelsByParent = new Map<string, WireLevel[]>();
  for (const line of lines) {
    const parentId = line.__parentId;
    if (typeof parentId === "string") {
      const list = levelsByParent.get(parentId) ?? [];
      list.push(line as unknown as WireLevel);
      levelsByParent.set(parentId, list);
    } else if (typeof line.id === "string" && line.id.startsWith("gid://shopify/ProductVariant/")) {
      variants.push(line as unknown as WireVariant);
    }
  }
  return variants.flatMap((variant) => mapVariantLevels(variant, levelsByParent.get(variant.id) ?? []));
}
