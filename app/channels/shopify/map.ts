import { locationPartId, type ChannelOrder, type ChannelOrderLine, type ChannelStockLevel } from "../channel.ts";

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
export type WireFulfillmentOrderLine = { totalQuantity: number; remainingQuantity: number; lineItem: { id: string } };
export type WireFulfillmentOrder = {
  id: string;
  assignedLocation: { location: { id: string } | null } | null;
  lineItems: { nodes: WireFulfillmentOrderLine[]; pageInfo?: { hasNextPage: boolean; endCursor: string | null } };
};
/** `restocked` false: the units did not go back to stock (NO_RESTOCK); absent in older fixtures: they did. */
export type WireRefund = { createdAt: string | null; refundLineItems: { nodes: Array<{ quantity: number; restocked?: boolean; location?: { id: string } | null; lineItem: { id: string } }> } };
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

/** A line's units at one location: all of them (shipped or not) and those still to ship. */
export type LineAllocation = { location: string; units: number; remaining: number };

/**
 * Where each line is fulfilled from, by its fulfillment orders: per line, its units per location, most
 * first (ties: the first fulfillment order). A line no fulfillment order names (a page not read, an app
 * without access to a fulfillment service's orders) goes where most of the order's units go (`main`);
 * with no fulfillment order at all, nowhere (the caller's default location).
 */
export function fulfillmentLocations(fulfillmentOrders: readonly WireFulfillmentOrder[]): { byLine: Map<string, LineAllocation[]>; main: string | null } {
  const byLine = new Map<string, LineAllocation[]>();
  const unitsByLocation = new Map<string, number>();
  for (const fulfillmentOrder of fulfillmentOrders) {
    const location = fulfillmentOrder.assignedLocation?.location?.id;
    if (!location) continue;
    if (!unitsByLocation.has(location)) unitsByLocation.set(location, 0);
    for (const line of fulfillmentOrder.lineItems.nodes) {
      const allocations = byLine.get(line.lineItem.id) ?? [];
      let allocation = allocations.find((candidate) => candidate.location === location);
      if (!allocation) allocations.push((allocation = { location, units: 0, remaining: 0 }));
      allocation.units += line.totalQuantity;
      allocation.remaining += line.remainingQuantity;
      byLine.set(line.lineItem.id, allocations);
      unitsByLocation.set(location, unitsByLocation.get(location)! + line.totalQuantity);
    }
  }
  for (const allocations of byLine.values()) allocations.sort((a, b) => b.units - a.units); // stable: ties keep their order
  let main: string | null = null;
  for (const [location, units] of unitsByLocation) if (main === null || units > unitsByLocation.get(main)!) main = location;
  return { byLine, main };
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
  const notRestocked = new Map<string, number>();
  const restocks = new Map<string, Array<{ locationExternalId: string | null; quantity: number }>>();
  for (const refund of order.refunds) {
    for (const line of refund.refundLineItems.nodes) {
      if (line.restocked === false) notRestocked.set(line.lineItem.id, (notRestocked.get(line.lineItem.id) ?? 0) + line.quantity);
      else restocks.set(line.lineItem.id, [...(restocks.get(line.lineItem.id) ?? []), { locationExternalId: line.location?.id ?? null, quantity: line.quantity }]);
    }
  }
  if (cancelledAt !== null) {
    for (const refund of order.refunds) {
      if (refund.createdAt === null || Date.parse(refund.createdAt) >= cancelledAt) continue;
      for (const line of refund.refundLineItems.nodes) refundedBeforeCancel.set(line.lineItem.id, (refundedBeforeCancel.get(line.lineItem.id) ?? 0) + line.quantity);
    }
  }
  const lines = lineItems.flatMap((line): ChannelOrderLine[] => {
    const removed = Math.max(0, line.quantity - line.currentQuantity);
    const refunded = cancelledAt === null ? removed : Math.min(removed, refundedBeforeCancel.get(line.id) ?? 0);
    const allocations = locations.byLine.get(line.id) ?? [];
    const whole: ChannelOrderLine = {
      externalLineId: line.id,
      sku: line.sku,
      listingExternalId: line.variant?.id ?? null,
      quantity: line.quantity,
      cancelledQuantity: removed - refunded,
      refundedQuantity: refunded,
      unshippedQuantity: line.unfulfilledQuantity,
      notRestockedQuantity: Math.min(removed, notRestocked.get(line.id) ?? 0),
      ...(restocks.has(line.id) ? { restocks: restocks.get(line.id)! } : {}),
      unitPrice: line.originalUnitPriceSet?.shopMoney.amount ?? null,
      locationExternalId: allocations[0]?.location ?? locations.main,
    };
    // A line Shopify split between locations: each other location's units become their own part, so each
    // shelf carries what leaves it. The first part keeps what was cancelled or refunded as far as its own
    // units allow; units returned beyond that were shipped from the other parts (in their order). Figures
    // that do not add up (a fulfillment order read mid-change) keep the line whole where most of it goes.
    const others = allocations.slice(1).filter((allocation) => allocation.units > 0);
    if (others.length === 0) return [whole];
    const total = (list: LineAllocation[], field: "units" | "remaining") => list.reduce((sum, allocation) => sum + allocation[field], 0);
    const allUnits = total(allocations, "units");
    if (allUnits > line.quantity || allUnits < line.currentQuantity || total(allocations, "remaining") !== line.unfulfilledQuantity) return [whole];
    const firstQuantity = line.quantity - total(others, "units");
    const firstOpen = line.unfulfilledQuantity - total(others, "remaining");
    const returnedElsewhere = Math.max(0, removed - (firstQuantity - firstOpen));
    let unplaced = returnedElsewhere;
    const parts = others.map((allocation) => {
      const returned = Math.min(unplaced, allocation.units - allocation.remaining);
      unplaced -= returned;
      // Restocks stay on the first part, which holds the line's id.
      const part: ChannelOrderLine = { externalLineId: locationPartId(line.id, allocation.location), sku: whole.sku, listingExternalId: whole.listingExternalId, quantity: allocation.units, cancelledQuantity: 0, refundedQuantity: returned, unshippedQuantity: allocation.remaining, unitPrice: whole.unitPrice, locationExternalId: allocation.location };
      return part;
    });
    if (unplaced > 0) return [whole];
    const fromRefunded = Math.min(returnedElsewhere, refunded);
    const first = { ...whole, quantity: firstQuantity, cancelledQuantity: whole.cancelledQuantity - (returnedElsewhere - fromRefunded), refundedQuantity: refunded - fromRefunded, unshippedQuantity: firstOpen };
    // Units not restocked go with the units taken back, the first part's first.
    let notRestockedLeft = whole.notRestockedQuantity ?? 0;
    for (const part of [first, ...parts]) {
      part.notRestockedQuantity = Math.min(notRestockedLeft, part.cancelledQuantity + part.refundedQuantity);
      notRestockedLeft -= part.notRestockedQuantity;
    }
    return [first, ...parts];
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
