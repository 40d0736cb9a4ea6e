import { createHash } from "node:crypto";
import { toPriceUnits, PRICE_SCALE } from "#app/domain/shared/money.ts";
import type { ChannelOrder, ChannelOrderLine, ChannelStockLevel, StockPush, StockPushResult } from "../channel.ts";
import { ChannelError } from "../errors.ts";

// Amazon wire ⇄ channel shapes. Pure: no client, no clock. Only the fields Replenish reads are typed.

export type Money = { CurrencyCode?: string; Amount?: string };

export type OrderWire = {
  AmazonOrderId: string;
  PurchaseDate: string;
  LastUpdateDate: string;
  OrderStatus: string;
  FulfillmentChannel?: "MFN" | "AFN";
  OrderTotal?: Money;
  BuyerInfo?: { BuyerEmail?: string };
  NumberOfItemsShipped?: number;
  MarketplaceId?: string;
};

export type OrderItemWire = {
  OrderItemId: string;
  ASIN?: string;
  SellerSKU?: string;
  QuantityOrdered: number;
  QuantityShipped?: number;
  ItemPrice?: Money;
};

/** Finances v0 ShipmentEvent as found in RefundEventList; ShipmentItemAdjustmentList[].QuantityShipped is the refunded quantity. */
export type RefundEventWire = {
  AmazonOrderId?: string;
  PostedDate?: string;
  ShipmentItemAdjustmentList?: { SellerSKU?: string; OrderItemId?: string; OrderAdjustmentItemId?: string; QuantityShipped?: number }[];
};

export type FbaSummaryWire = {
  asin?: string;
  fnSku?: string;
  sellerSku?: string;
  productName?: string;
  totalQuantity?: number;
  inventoryDetails?: { fulfillableQuantity?: number };
};

export type ListingWire = {
  sku: string;
  summaries?: { asin?: string; itemName?: string; fnSku?: string }[];
  fulfillmentAvailability?: { fulfillmentChannelCode: string; quantity?: number }[];
};

export type ListingsPatchResponse = { sku?: string; status: "ACCEPTED" | "INVALID" | string; issues?: { code?: string; message?: string; severity?: string }[] };

export type FeedReport = {
  issues?: { messageId?: number; code?: string; message?: string; severity?: string }[];
  summary?: { messagesProcessed?: number; messagesAccepted?: number; messagesInvalid?: number };
};

/** Merchant-fulfilled stock: the fulfillment channel code of the seller's own network. */
export const MERCHANT_LOCATION = "DEFAULT";

/** FBA stock is held per region's Amazon network: AMAZON_NA, AMAZON_EU, AMAZON_FE. */
export function fbaLocation(region: string): string {
  return `AMAZON_${region.toUpperCase()}`;
}

export function isFbaLocation(location: string | null): boolean {
  return location !== null && location.startsWith("AMAZON_");
}

// ---------- orders ----------

/**
 * `refunds` are the order's RefundEventList events from the Finances API (all of them: refundedQuantity is
 * a total, not a delta). A refund does not move LastUpdateDate, so the version we report is the later of
 * LastUpdateDate and the newest refund's PostedDate: a version carrying a refund is never older than one
 * without it, and the service's "older version is ignored" rule keeps the refund.
 */
export function mapOrder(order: OrderWire, items: OrderItemWire[], region: string, refunds: RefundEventWire[] = []): ChannelOrder {
  const cancelled = order.OrderStatus === "Canceled";
  const location = order.FulfillmentChannel === "AFN" ? fbaLocation(region) : MERCHANT_LOCATION;
  const refunded = refundedByItem(refunds);
  return {
    externalId: order.AmazonOrderId,
    name: order.AmazonOrderId,
    placedAt: order.PurchaseDate,
    updatedAt: refunds.reduce((max, event) => (event.PostedDate ? latest(max, event.PostedDate) : max), order.LastUpdateDate),
    // v0 orders carry no cancellation timestamp: the last update of a Canceled order is the cancellation.
    cancelledAt: cancelled ? order.LastUpdateDate : null,
    currency: order.OrderTotal?.CurrencyCode ?? items.find((item) => item.ItemPrice?.CurrencyCode)?.ItemPrice?.CurrencyCode ?? null,
    customerEmail: order.BuyerInfo?.BuyerEmail ?? null,
    financialStatus: null,
    fulfillmentStatus: order.OrderStatus,
    lines: items.map((item) => mapOrderItem(item, cancelled, location, refunded.get(item.OrderItemId) ?? (item.SellerSKU ? refunded.get(skuKey(item.SellerSKU)) : undefined) ?? 0)),
  };
}

const skuKey = (sku: string) => `sku:${sku}`;

/**
 * Refunded units per OrderItemId (or per SellerSKU for an adjustment without OrderItemId), summed over
 * the events. Amounts are ignored: the adjustment carries the refunded quantity itself.
 */
export function refundedByItem(refunds: RefundEventWire[]): Map<string, number> {
  const totals = new Map<string, number>();
  const seen = new Set<string>();
  for (const event of refunds) {
    for (const item of event.ShipmentItemAdjustmentList ?? []) {
      // One adjustment listed twice (a by-date page overlapping a by-order page) counts once.
      if (item.OrderAdjustmentItemId) {
        if (seen.has(item.OrderAdjustmentItemId)) continue;
        seen.add(item.OrderAdjustmentItemId);
      }
      const key = item.OrderItemId ?? (item.SellerSKU ? skuKey(item.SellerSKU) : null);
      if (key === null) continue;
      totals.set(key, (totals.get(key) ?? 0) + Math.abs(item.QuantityShipped ?? 0));
    }
  }
  return totals;
}

/** The Amazon order ids a page of financial events refers to, first appearance first. */
export function refundedOrderIds(refunds: RefundEventWire[]): string[] {
  return [...new Set(refunds.flatMap((event) => (event.AmazonOrderId ? [event.AmazonOrderId] : [])))];
}

function mapOrderItem(item: OrderItemWire, cancelled: boolean, location: string, refunded: number): ChannelOrderLine {
  const ordered = item.QuantityOrdered;
  const shipped = Math.min(item.QuantityShipped ?? 0, ordered);
  const cancelledQuantity = cancelled ? ordered - shipped : 0;
  return {
    externalLineId: item.OrderItemId,
    sku: item.SellerSKU ?? null,
    listingExternalId: item.SellerSKU ?? null,
    quantity: ordered,
    cancelledQuantity,
    // Refunds come from the Finances API (RefundEventList); Amazon refunds charged, i.e. shipped, units,
    // so never more than the units not cancelled.
    refundedQuantity: Math.min(refunded, ordered - cancelledQuantity),
    unshippedQuantity: ordered - shipped - cancelledQuantity,
    unitPrice: unitPrice(item.ItemPrice?.Amount, ordered),
    locationExternalId: location,
  };
}

/** ItemPrice is the line total (unit price × quantity); the contract wants the unit price as a decimal string. */
export function unitPrice(lineTotal: string | undefined, quantity: number): string | null {
  if (lineTotal === undefined || lineTotal === "" || quantity <= 0) return null;
  const units = toPriceUnits(lineTotal);
  const unit = units >= 0 ? Math.round(units / quantity) : -Math.round(-units / quantity);
  return formatDecimal(unit);
}

function formatDecimal(priceUnits: number): string {
  const sign = priceUnits < 0 ? "-" : "";
  const abs = Math.abs(priceUnits);
  const whole = Math.floor(abs / PRICE_SCALE);
  // Two decimals at least ("12.50"), up to four for sub-cent prices ("0.125").
  const fraction = String(abs % PRICE_SCALE).padStart(4, "0").replace(/0+$/, "").padEnd(2, "0");
  return `${sign}${whole}.${fraction}`;
}

// ---------- orders cursor ----------

/**
 * Resume point of an incremental pull. Two walks share it: orders by LastUpdateDate (window start, page
 * token, newest update seen) and then refund events by PostedDate (`phase: "refunds"`, with their own
 * window start, token and newest posting seen). Cursors written before refunds existed have no
 * refundsSince: the refunds walk then starts at the orders window.
 */
export type OrdersCursor = {
  since: string;
  nextToken?: string;
  high?: string;
  phase?: "refunds";
  refundsSince?: string;
  refundsToken?: string;
  refundsHigh?: string;
  /** Refund events already delivered inside the overlap window (refundEventKey), so a re-walk skips their orders. */
  refundsSeen?: string[];
};

/**
 * A refund event's identity: its PostedDate (to prune once it falls behind the walk's start) and a short
 * hash of its order and adjustment ids.
 */
export function refundEventKey(event: RefundEventWire): string {
  const ids = [event.AmazonOrderId ?? "", ...(event.ShipmentItemAdjustmentList ?? []).map((item) => `${item.OrderItemId ?? ""}:${item.OrderAdjustmentItemId ?? ""}:${item.QuantityShipped ?? ""}`)].join("|");
  return `${event.PostedDate ?? ""}#${createHash("sha256").update(ids).digest("base64url").slice(0, 12)}`;
}

const CURSOR_STRINGS = ["nextToken", "high", "refundsSince", "refundsToken", "refundsHigh"] as const;

export function encodeOrdersCursor(cursor: OrdersCursor): string {
  return Buffer.from(JSON.stringify({ v: 1, ...cursor })).toString("base64url");
}

export function decodeOrdersCursor(cursor: string): OrdersCursor {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as Partial<OrdersCursor> & { v?: number };
    if (parsed.v === 1 && typeof parsed.since === "string") {
      const decoded: OrdersCursor = { since: parsed.since };
      for (const key of CURSOR_STRINGS) {
        const value = parsed[key];
        if (typeof value === "string" && value !== "") decoded[key] = value;
      }
      if (parsed.phase === "refunds") decoded.phase = "refunds";
      if (Array.isArray(parsed.refundsSeen)) decoded.refundsSeen = parsed.refundsSeen.filter((key): key is string => typeof key === "string");
      return decoded;
    }
  } catch {
    // fall through
  }
  throw new ChannelError("AMAZON", "invalid", `Not an Amazon orders cursor: ${cursor.slice(0, 40)}`);
}

export function latest(a: string, b: string): string {
  return Date.parse(b) > Date.parse(a) ? b : a;
}

// ---------- stock ----------

export function mapFbaSummary(summary: FbaSummaryWire, region: string): ChannelStockLevel | null {
  if (!summary.sellerSku) return null;
  return {
    listingExternalId: summary.sellerSku,
    itemExternalId: summary.asin ?? null,
    sku: summary.sellerSku,
    barcode: null,
    title: summary.productName ?? null,
    locationExternalId: fbaLocation(region),
    available: summary.inventoryDetails?.fulfillableQuantity ?? 0,
    onHand: summary.totalQuantity ?? null,
    fulfilledByChannel: true,
  };
}

/** A listing's merchant-fulfilled level; null for FBA listings (read from the FBA summaries instead). */
export function mapMerchantListing(listing: ListingWire): ChannelStockLevel | null {
  const merchant = listing.fulfillmentAvailability?.find((entry) => entry.fulfillmentChannelCode === MERCHANT_LOCATION);
  if (!merchant) return null;
  const summary = listing.summaries?.[0];
  return {
    listingExternalId: listing.sku,
    itemExternalId: summary?.asin ?? null,
    sku: listing.sku,
    barcode: null,
    title: summary?.itemName ?? null,
    locationExternalId: MERCHANT_LOCATION,
    available: merchant.quantity ?? 0,
    onHand: null,
    fulfilledByChannel: false,
  };
}

// ---------- pushes ----------

/**
 * The patch that sets the merchant-fulfilled quantity. `merge` (not `replace`) keeps the listing's
 * lead time and restock date, which Replenish does not own.
 */
export function availabilityPatches(quantity: number) {
  return [{ op: "merge", path: "/attributes/fulfillment_availability", value: [{ fulfillment_channel_code: MERCHANT_LOCATION, quantity }] }];
}

/** Pushes the adapter refuses before calling Amazon, with the reason; null when the push may be sent. */
export function refusePush(push: StockPush): StockPushResult | null {
  if (isFbaLocation(push.locationExternalId)) {
    return { listingExternalId: push.listingExternalId, status: "rejected", message: "FBA stock is managed by Amazon and is never pushed." };
  }
  if (!Number.isInteger(push.quantity) || push.quantity < 0) {
    return { listingExternalId: push.listingExternalId, status: "rejected", message: `Quantity must be a whole number ≥ 0, got ${push.quantity}.` };
  }
  return null;
}

export function mapPatchResponse(push: StockPush, response: ListingsPatchResponse): StockPushResult {
  if (response.status === "ACCEPTED") return { listingExternalId: push.listingExternalId, status: "applied", quantity: push.quantity };
  return { listingExternalId: push.listingExternalId, status: "rejected", message: issuesText(response.issues) || `Amazon answered ${response.status}.` };
}

function issuesText(issues: { code?: string; message?: string; severity?: string }[] | undefined): string {
  return (issues ?? [])
    .filter((issue) => issue.severity !== "WARNING")
    .map((issue) => `${issue.code ? `${issue.code}: ` : ""}${issue.message ?? ""}`)
    .join("; ");
}

/** A JSON_LISTINGS_FEED with one PATCH message per push; messageId n is pushes[n-1]. */
export function buildListingsFeed(sellerId: string, productType: string, pushes: StockPush[]) {
  return {
    header: { sellerId, version: "2.0", issueLocale: "en_US" },
    messages: pushes.map((push, index) => ({
      messageId: index + 1,
      sku: push.listingExternalId,
      operationType: "PATCH",
      productType,
      patches: availabilityPatches(push.quantity),
    })),
  };
}

export function mapFeedReport(pushes: StockPush[], report: FeedReport): StockPushResult[] {
  return pushes.map((push, index) => {
    const issues = (report.issues ?? []).filter((issue) => issue.messageId === index + 1 && issue.severity === "ERROR");
    if (issues.length === 0) return { listingExternalId: push.listingExternalId, status: "applied", quantity: push.quantity };
    return { listingExternalId: push.listingExternalId, status: "rejected", message: issuesText(issues) };
  });
}
