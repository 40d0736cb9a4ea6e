import type { ChannelOrder, ChannelOrderLine, ChannelStockLevel, StockPush, StockPushResult } from "../channel.ts";
import { toPriceUnits } from "#app/domain/shared/money.ts";
import { ChannelError } from "../errors.ts";
// Same wire rule on both marketplaces (a line total divided exactly into a unit price); reused rather
// than copied. If a third adapter needs it, it belongs in a shared channel helper.
import { unitPrice } from "../amazon/map.ts";
import { isRevisionLimit } from "./errors.ts";

// eBay wire ⇄ channel shapes. Pure: no client, no clock. Only the fields Replenish reads are typed.

type Amount = { value?: string; currency?: string };

export type EbayOrderWire = {
  orderId: string;
  creationDate: string;
  lastModifiedDate: string;
  orderFulfillmentStatus?: string;
  orderPaymentStatus?: string;
  cancelStatus?: { cancelState?: string; cancelRequests?: { cancelRequestedDate?: string; cancelCompletedDate?: string }[] };
  pricingSummary?: { total?: Amount };
  buyer?: { buyerRegistrationAddress?: { email?: string } };
  lineItems?: EbayLineItemWire[];
};

/** A refund against one line item (Fulfillment API lineItems[].refunds[]): an amount, never a quantity. */
export type EbayLineRefundWire = { amount?: Amount; refundDate?: string; refundId?: string; refundReferenceId?: string };

export type EbayLineItemWire = {
  lineItemId: string;
  legacyItemId?: string;
  sku?: string;
  quantity: number;
  lineItemCost?: Amount;
  lineItemFulfillmentStatus?: string;
  refunds?: EbayLineRefundWire[];
};

export type EbayInventoryItemWire = { sku: string; product?: { title?: string; ean?: string[]; upc?: string[] }; availability?: { shipToLocationAvailability?: { quantity?: number } } };
export type EbayOfferWire = { offerId: string; sku: string; marketplaceId?: string; availableQuantity?: number; status?: string };

export type EbayErrorDetail = { errorId?: number; message?: string; longMessage?: string };
export type PriceQuantityResponse = { statusCode?: number; sku?: string; offerId?: string; errors?: EbayErrorDetail[] };

// ---------- orders ----------

export function mapEbayOrder(order: EbayOrderWire): ChannelOrder {
  const cancelled = order.cancelStatus?.cancelState === "CANCELED";
  const cancelRequest = order.cancelStatus?.cancelRequests?.at(-1);
  return {
    externalId: order.orderId,
    name: order.orderId,
    placedAt: order.creationDate,
    updatedAt: order.lastModifiedDate,
    cancelledAt: cancelled ? (cancelRequest?.cancelCompletedDate ?? cancelRequest?.cancelRequestedDate ?? order.lastModifiedDate) : null,
    currency: order.pricingSummary?.total?.currency ?? null,
    customerEmail: order.buyer?.buyerRegistrationAddress?.email ?? null,
    financialStatus: order.orderPaymentStatus ?? null,
    fulfillmentStatus: order.orderFulfillmentStatus ?? null,
    lines: (order.lineItems ?? []).map((line) => mapLine(line, cancelled)),
  };
}

function mapLine(line: EbayLineItemWire, cancelled: boolean): ChannelOrderLine {
  const fulfilled = line.lineItemFulfillmentStatus === "FULFILLED";
  const cancelledQuantity = cancelled && !fulfilled ? line.quantity : 0;
  // A cancelled line is refunded as part of the cancellation: counting it again as refunded would take
  // the same units out of demand twice.
  const refundedQuantity = Math.min(refundedUnits(line), line.quantity - cancelledQuantity);
  return {
    externalLineId: line.lineItemId,
    sku: line.sku ?? null,
    listingExternalId: line.sku ?? null,
    quantity: line.quantity,
    // eBay cancels whole orders before shipment; a CANCELED order's lines are cancelled in full.
    cancelledQuantity,
    refundedQuantity,
    // Units refunded before shipment will not ship: they are no longer committed.
    unshippedQuantity: cancelled || fulfilled ? 0 : line.quantity - refundedQuantity,
    // lineItemCost is the line's price before discounts, i.e. unit price × quantity.
    unitPrice: unitPrice(line.lineItemCost?.value, line.quantity),
    locationExternalId: null,
  };
}

/**
 * Units refunded on a line, derived from amounts: lineItems[].refunds carries money only (the quantity of
 * a return lives in the Post-Order API). A refund total that reaches the line's cost refunds every unit;
 * less refunds the whole units it covers at the line's unit price (floor), so a partial-price refund
 * (a goodwill credit, shipping) never counts as a returned unit. Approximation: a refund that mixes units
 * and goodwill rounds down; a refund in another currency than the line's is ignored.
 */
export function refundedUnits(line: EbayLineItemWire): number {
  const cost = line.lineItemCost?.value;
  if (!line.refunds?.length || cost === undefined || cost === "" || line.quantity <= 0) return 0;
  const lineUnits = toPriceUnits(cost);
  let refunded = 0;
  for (const refund of line.refunds) {
    if (refund.amount?.value === undefined || refund.amount.value === "") continue;
    if (refund.amount.currency && line.lineItemCost?.currency && refund.amount.currency !== line.lineItemCost.currency) continue;
    refunded += toPriceUnits(refund.amount.value);
  }
  if (refunded <= 0 || lineUnits <= 0) return 0;
  if (refunded >= lineUnits) return line.quantity;
  // Integer price units: refunded × quantity / lineUnits, floored, without float drift.
  return Math.min(line.quantity, Math.floor((refunded * line.quantity) / lineUnits));
}

// ---------- orders cursor ----------

/** Resume point: the window start (lastmodifieddate), the offset inside it, the newest modification seen. */
export type EbayOrdersCursor = { since: string; offset: number; high?: string };

export function encodeEbayCursor(cursor: EbayOrdersCursor): string {
  return Buffer.from(JSON.stringify({ v: 1, ...cursor })).toString("base64url");
}

export function decodeEbayCursor(cursor: string): EbayOrdersCursor {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as Partial<EbayOrdersCursor> & { v?: number };
    if (parsed.v === 1 && typeof parsed.since === "string" && typeof parsed.offset === "number") {
      return { since: parsed.since, offset: parsed.offset, ...(parsed.high ? { high: parsed.high } : {}) };
    }
  } catch {
    // fall through
  }
  throw new ChannelError("EBAY", "invalid", `Not an eBay orders cursor: ${cursor.slice(0, 40)}`);
}

/** The Fulfillment API filter: lastmodifieddate:[start..] with a millisecond ISO timestamp. */
export function lastModifiedFilter(since: string): string {
  return `lastmodifieddate:[${new Date(since).toISOString()}..]`;
}

// ---------- stock ----------

/** The listing shows the smaller of the item's ship-to-home quantity and the offer's availableQuantity. */
export function mapEbayStock(item: EbayInventoryItemWire, offer: EbayOfferWire | undefined): ChannelStockLevel {
  const shipTo = item.availability?.shipToLocationAvailability?.quantity ?? 0;
  return {
    listingExternalId: item.sku,
    itemExternalId: offer?.offerId ?? null,
    sku: item.sku,
    barcode: item.product?.upc?.[0] ?? item.product?.ean?.[0] ?? null,
    title: item.product?.title ?? null,
    locationExternalId: null,
    available: offer?.availableQuantity !== undefined ? Math.min(shipTo, offer.availableQuantity) : shipTo,
    onHand: shipTo,
    fulfilledByChannel: false,
  };
}

// ---------- pushes ----------

export const BULK_LIMIT = 25;

/** Splits pushes into calls of ≤ 25 requests; a SKU never appears twice in one call (eBay rejects that). */
export function batchPushes(pushes: StockPush[]): StockPush[][] {
  const batches: StockPush[][] = [];
  let current: StockPush[] = [];
  for (const push of pushes) {
    if (current.length === BULK_LIMIT || current.some((queued) => queued.listingExternalId === push.listingExternalId)) {
      batches.push(current);
      current = [];
    }
    current.push(push);
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** One bulk request entry: the item's ship-to-home quantity and, when the listing is known, its offer. */
export function priceQuantityRequest(push: StockPush, offerIds: string[]) {
  return {
    sku: push.listingExternalId,
    shipToLocationAvailability: { quantity: push.quantity },
    ...(offerIds.length > 0 ? { offers: offerIds.map((offerId) => ({ offerId, availableQuantity: push.quantity })) } : {}),
  };
}

/** Per-SKU result from the 200/207 responses: applied only if every entry for the SKU succeeded. */
export function mapBulkResponses(batch: StockPush[], responses: PriceQuantityResponse[]): StockPushResult[] {
  return batch.map((push) => {
    const entries = responses.filter((entry) => entry.sku === push.listingExternalId);
    const failed = entries.filter((entry) => entry.statusCode !== 200);
    if (entries.length > 0 && failed.length === 0) return { listingExternalId: push.listingExternalId, status: "applied", quantity: push.quantity };
    if (entries.length === 0) return { listingExternalId: push.listingExternalId, status: "rejected", message: "eBay returned no result for this SKU." };
    const errors = failed.flatMap((entry) => entry.errors ?? []);
    if (errors.some(isRevisionLimit)) {
      return {
        listingExternalId: push.listingExternalId,
        status: "rejected",
        message: `eBay daily revision limit reached (250 revisions per listing per calendar day): quantity ${push.quantity} not applied; the next push can only land tomorrow. ${errors.map((e) => e.message).join("; ")}`,
      };
    }
    const detail = errors.map((e) => `${e.errorId ? `${e.errorId}: ` : ""}${e.message ?? ""}`).join("; ");
    return { listingExternalId: push.listingExternalId, status: "rejected", message: `HTTP ${failed[0]?.statusCode ?? "?"} ${detail}`.trim() };
  });
}

export function refuseEbayPush(push: StockPush): StockPushResult | null {
  if (!Number.isInteger(push.quantity) || push.quantity < 0) {
    return { listingExternalId: push.listingExternalId, status: "rejected", message: `Quantity must be a whole number ≥ 0, got ${push.quantity}.` };
  }
  return null;
}
