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
export type WireFulfillmentOrderLine = { totalQuantity: number; lineItem: { id: string } };
export type WireFulfillmentOrder = {
  id: string;
  assignedLocation: { location: { id: string } | null } | null;
  lineItems: { nodes: WireFulfillmentOrderLine[]; pageInfo?: { hasNextPage: boolean; endCursor: string | null } };
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
  fulfillmentOrders?: { nodes: WireFulfillmentOrder[]; pageInfo?: { hasNextPage: boolean; endCursor: string | null } };
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
 * The Shopify location each line is fulfilled from, by its fulfillment orders: the location holding most
 * of the line's units (a line split between locations is booked whole where most of it goes; ties go to
 * the first). A line no fulfillment order names (a page not read, an app without access to a
 * fulfillment service's orders) goes where most of the order's units go; with no fulfillment order at
 * all, nowhere (the caller's default location).
 */
export function fulfillmentLocations(fulfillmentOrders: readonly WireFulfillmentOrder[]): { byLine: Map<string, string>; main: string | null } {
  const unitsByLine = new Map<string, Map<string, number>>();
  const unitsByLocation = new Map<string, number>();
  for (const fulfillmentOrder of fulfillmentOrders) {
    const location = fulfillmentOrder.assignedLocation?.location?.id;
    if (!location) continue;
    if (!unitsByLocation.has(location)) unitsByLocation.set(location, 0);
    for (const line of fulfillmentOrder.lineItems.nodes) {
      const perLocation = unitsByLine.get(line.lineItem.id) ?? new Map<string, number>();
      perLocation.set(location, (perLocation.get(location) ?? 0) + line.totalQuantity);
      unitsByLine.set(line.lineItem.id, perLocation);
      unitsByLocation.set(location, unitsByLocation.get(location)! + line.totalQuantity);
    }
  }
  const largest = (units: Map<string, number>): string | null => {
    let best: string | null = null;
    for (const [location, count] of units) if (best === null || count > units.get(best)!) best = location;
    return best;
  };
  const byLine = new Map([...unitsByLine].map(([line, units]) => [line, largest(units)!]));
  return { byLine, main: largest(unitsByLocation) };
}

/**
 * Units per line: Shopify's currentQuantity is what is left after refunds and removals, so
 * quantity − currentQuantity is everything taken back. On a cancelled order, what was taken back by
 * refunds made before the cancellation stays "refunded" and the rest is "cancelled" (timestamps have
 * second precision: a refund in the same second as the cancellation counts as part of it).
 */
export function mapOrder(order: WireOrder, lineItems: WireLineItem[] = order.lineItems.nodes, fulfillmentOrders: readonly WireFulfillmentOrder[] = order.fulfillmentOrders?.nodes ?? []): ChannelOrder {
  const locations = fulfillmentLocations(fulfillmentOrders);
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
      locationExternalId: locations.byLine.get(line.id) ?? locations.main,
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
