// How a channel order line moves our stock and feeds demand. Pure.
//
// The ledger mirrors Shopify's own model: a sale first *commits* units (InventoryLevel.committed,
// from unshipped quantities), and only units that actually left the building reduce on hand (SALE
// movements). So sellable = on hand − committed counts every unit once. Units that left and came back
// (a refund of shipped goods, restocked) are a RETURN; units cancelled before shipping never touched
// on hand, they just stop being committed. Units taken back without going back to stock (Shopify's
// NO_RESTOCK: a damaged return the customer keeps, a cancellation that writes the units off) are gone,
// as Shopify counts them: a refund does not bring them back.

export type OrderLineQuantities = {
  quantity: number;
  cancelledQuantity: number;
  refundedQuantity: number;
  unshippedQuantity: number;
  /** Of the cancelled and refunded units, those that did not go back to stock (absent: none). */
  notRestockedQuantity?: number;
};

/** Units taken back (cancelled or refunded) that went back to stock. */
export function restockedUnits(line: OrderLineQuantities): number {
  const takenBack = line.cancelledQuantity + line.refundedQuantity;
  return takenBack - Math.min(takenBack, Math.max(0, line.notRestockedQuantity ?? 0));
}

/** Units that left our stock for good: ordered − taken back into stock − still to ship. */
export function shippedNetUnits(line: OrderLineQuantities): number {
  return Math.max(0, line.quantity - restockedUnits(line) - Math.max(0, line.unshippedQuantity));
}

/** Units sold, net of cancellations and refunds: demand. */
export function demandUnits(line: OrderLineQuantities): number {
  return Math.max(0, line.quantity - line.cancelledQuantity - line.refundedQuantity);
}

/**
 * The movement that brings a line's ledger postings (sum of its movements so far, ≤ 0) to the target
 * (−shipped net units): a negative SALE when more left, a positive RETURN when units came back, or
 * nothing. Versioned keys make a replay of the same state a no-op and any later state a new posting.
 */
export function lineMovementDelta(targetOnHandEffect: number, postedSoFar: number): { kind: "SALE" | "RETURN"; quantity: number } | null {
  const delta = targetOnHandEffect - postedSoFar;
  if (delta === 0) return null;
  return delta < 0 ? { kind: "SALE", quantity: delta } : { kind: "RETURN", quantity: delta };
}

/** `sale-<channel>-<order>-<line>-v<n>`: deterministic, so a retried transaction cannot post twice. */
export function saleMovementKey(channel: string, orderExternalId: string, lineExternalId: string, version: number): string {
  return `sale-${channel}-${shortId(orderExternalId)}-${shortId(lineExternalId)}-v${version}`;
}

function shortId(id: string): string {
  // gid://shopify/Order/123 → 123; other channels' ids are already plain.
  return id.replace(/^gid:\/\/shopify\/[A-Za-z]+\//, "");
}

export type DemandLine = {
  skuId: string;
  locationId: string;
  orderId: string;
  channel: string;
  day: string; // YYYY-MM-DD in the shop's zone
  units: number;
  returnedUnits: number;
  unitPrice: number | null;
};

export type DemandRow = {
  skuId: string;
  locationId: string;
  day: string;
  units: number;
  returnedUnits: number;
  revenue: number;
  orderCount: number;
  largestOrderUnits: number;
  channelUnits: Record<string, number>;
};

/** DailyDemand rows rebuilt from every line of the affected (SKU, location, day) cells. */
export function aggregateDemand(lines: readonly DemandLine[]): DemandRow[] {
  const cells = new Map<string, { row: DemandRow; perOrder: Map<string, number> }>();
  for (const line of lines) {
    const key = `${line.skuId}|${line.locationId}|${line.day}`;
    let cell = cells.get(key);
    if (!cell) {
      cell = { row: { skuId: line.skuId, locationId: line.locationId, day: line.day, units: 0, returnedUnits: 0, revenue: 0, orderCount: 0, largestOrderUnits: 0, channelUnits: {} }, perOrder: new Map() };
      cells.set(key, cell);
    }
    const { row, perOrder } = cell;
    row.units += line.units;
    row.returnedUnits += line.returnedUnits;
    // Cents as integers: summing decimal prices as floats drifts.
    row.revenue = Math.round(row.revenue * 100 + Math.round((line.unitPrice ?? 0) * 100) * line.units) / 100;
    if (line.units > 0) row.channelUnits[line.channel] = (row.channelUnits[line.channel] ?? 0) + line.units;
    perOrder.set(line.orderId, (perOrder.get(line.orderId) ?? 0) + line.units);
  }
  return [...cells.values()].map(({ row, perOrder }) => {
    const orderUnits = [...perOrder.values()].filter((units) => units > 0);
    return { ...row, orderCount: orderUnits.length, largestOrderUnits: orderUnits.reduce((max, units) => Math.max(max, units), 0) };
  });
}
