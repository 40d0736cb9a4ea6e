import type { ChannelName } from "./errors.ts";

export type { ChannelName };

// The one interface every sales channel implements. Adapters only map wire ⇄ these shapes and classify
// failures as ChannelError; business rules (what to push, buffers, coalescing) live in services.

/**
 * A line shipped from several locations comes as one ChannelOrderLine per location: the first (most
 * units, and what was cancelled or refunded as far as its units allow) keeps the channel's line id,
 * each other part has `locationPartId(line id, its location)`. A part missing from a later version of the order had its
 * units go back to the first part.
 */
export function locationPartId(externalLineId: string, locationExternalId: string): string {
  return `${externalLineId}@${locationExternalId}`;
}

export function isLocationPart(externalLineId: string): boolean {
  return externalLineId.includes("@");
}

export type ChannelOrderLine = {
  externalLineId: string;
  /** The channel's SKU string as sent (Shopify variant SKU, Amazon SellerSKU, eBay SKU). */
  sku: string | null;
  /** The channel listing id the line refers to (Shopify variant gid, Amazon SellerSKU, eBay SKU). */
  listingExternalId: string | null;
  quantity: number;
  cancelledQuantity: number;
  refundedQuantity: number;
  /** Units still to ship: committed stock. */
  unshippedQuantity: number;
  /** Of the cancelled and refunded units, those that did not go back to stock; absent when the channel does not say (all did). */
  notRestockedQuantity?: number;
  /** Where the restocked units went back, when the channel says (a return taken at a store goes back there, not where the line shipped from). */
  restocks?: Array<{ locationExternalId: string | null; quantity: number }>;
  /** Decimal string in the order currency, null when the channel does not say. */
  unitPrice: string | null;
  locationExternalId: string | null;
};

export type ChannelOrder = {
  externalId: string;
  name: string | null;
  placedAt: string; // ISO-8601
  updatedAt: string; // ISO-8601, drives the incremental cursor
  cancelledAt: string | null;
  currency: string | null;
  customerEmail: string | null;
  financialStatus: string | null;
  fulfillmentStatus: string | null;
  lines: ChannelOrderLine[];
};

export type OrderPage = {
  orders: ChannelOrder[];
  /** Opaque resume point: pass it back to get the next page; persisted between syncs. */
  cursor: string | null;
  /** True when this page reached the present (no further page right now). */
  done: boolean;
};

export type ChannelStockLevel = {
  /** Listing id on the channel (Shopify variant gid, Amazon SellerSKU, eBay SKU). */
  listingExternalId: string;
  /** Secondary id (Shopify inventory item gid, ASIN, eBay offer id). */
  itemExternalId: string | null;
  sku: string | null;
  barcode: string | null;
  title: string | null;
  locationExternalId: string | null;
  available: number;
  onHand: number | null;
  /** Stock the channel manages itself (Amazon FBA): read it, never push it. */
  fulfilledByChannel: boolean;
};

export type StockPush = {
  listingExternalId: string;
  itemExternalId: string | null;
  sku: string | null;
  locationExternalId: string | null;
  quantity: number;
  /** What we believe the channel holds now; adapters that support compare-and-set send it. */
  expectedQuantity: number | null;
  /** One key per intended change, reused on retries, so a retry never applies twice. */
  idempotencyKey: string;
};

export type StockPushResult =
  | { listingExternalId: string; status: "applied"; quantity: number }
  /** The channel's quantity was not what we expected (a concurrent change): re-read and decide again. */
  | { listingExternalId: string; status: "stale"; actualQuantity: number | null }
  | { listingExternalId: string; status: "rejected"; message: string };

export interface ChannelAdapter {
  readonly channel: ChannelName;
  pullOrders(cursor: string | null): Promise<OrderPage>;
  /** Pages of stock levels; the whole catalogue when iterated to the end. */
  pullStock(): AsyncIterable<ChannelStockLevel[]>;
  pushStock(pushes: StockPush[]): Promise<StockPushResult[]>;
}
