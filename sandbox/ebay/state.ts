import { randomUUID } from "node:crypto";

// The simulated eBay seller behind the sandbox: inventory items (ship-to-home quantity), their offers
// (live listings with availableQuantity), orders, OAuth tokens and the per-listing daily revision count.
// Tests and the demo drive it directly; the HTTP layer only translates the wire to these calls.

export type EbayInventoryItem = { sku: string; title: string; condition: string; locale: string; quantity: number };

export type EbayOffer = {
  offerId: string;
  sku: string;
  marketplaceId: string;
  format: "FIXED_PRICE";
  availableQuantity: number;
  price: { value: string; currency: string };
  status: "PUBLISHED" | "UNPUBLISHED";
  listingId: string;
  soldQuantity: number;
};

export type EbayLineItem = {
  lineItemId: string;
  legacyItemId: string;
  sku: string;
  title: string;
  quantity: number;
  lineItemCost: { value: string; currency: string };
  lineItemFulfillmentStatus: "NOT_STARTED" | "IN_PROGRESS" | "FULFILLED";
  /** Fulfillment API LineItemRefund: amounts only, eBay sends no refunded quantity. */
  refunds?: EbayLineRefund[];
};

export type EbayLineRefund = { amount: { value: string; currency: string }; refundDate: string; refundId: string; refundReferenceId: string };
export type EbayPaymentRefund = EbayLineRefund & { refundStatus: "REFUNDED" | "PENDING" | "FAILED"; refundType: "REFUND" };

export type EbayOrder = {
  orderId: string;
  legacyOrderId: string;
  creationDate: string;
  lastModifiedDate: string;
  orderFulfillmentStatus: "NOT_STARTED" | "IN_PROGRESS" | "FULFILLED";
  orderPaymentStatus: "PENDING" | "PAID" | "FULLY_REFUNDED" | "PARTIALLY_REFUNDED";
  cancelStatus: { cancelState: "NONE_REQUESTED" | "IN_PROGRESS" | "CANCELED"; cancelRequests: unknown[] };
  pricingSummary: { total: { value: string; currency: string } };
  /** Only refunds are modelled (payments are not read by Replenish). */
  paymentSummary: { refunds: EbayPaymentRefund[] };
  buyer: { username: string };
  lineItems: EbayLineItem[];
};

export type EbaySandboxOptions = {
  appId?: string;
  certId?: string;
  refreshToken?: string;
  marketplaceId?: string;
  /** Lifetime of minted access tokens; afterwards the Sell APIs answer 401 "Invalid access token". Default 7200 s. */
  tokenTtlMs?: number;
  /** eBay: each listing can be revised at most 250 times per calendar day. */
  dailyRevisionLimit?: number;
  now?: () => number;
};

export class EbaySellerState {
  readonly appId: string;
  readonly certId: string;
  refreshToken: string;
  readonly marketplaceId: string;
  tokenTtlMs: number;
  dailyRevisionLimit: number;
  now: () => number;

  readonly items = new Map<string, EbayInventoryItem>();
  readonly offers = new Map<string, EbayOffer>();
  readonly orders = new Map<string, EbayOrder>();
  /** access token → { expiry, kind } */
  readonly tokens = new Map<string, { expiresAt: number; kind: "user" | "application" }>();
  /** `${listingId}|${YYYY-MM-DD}` → revisions that day. */
  readonly revisions = new Map<string, number>();
  tokensIssued = 0;
  private sequence = 0;

  constructor(options: EbaySandboxOptions = {}) {
    this.appId = options.appId ?? "Replenis-Sandbox-PRD-0123456789-abcdef01";
    this.certId = options.certId ?? "PRD-sandbox-cert-id";
    this.refreshToken = options.refreshToken ?? "v^1.1#i^1#sandbox-refresh-token";
    this.marketplaceId = options.marketplaceId ?? "EBAY_US";
    this.tokenTtlMs = options.tokenTtlMs ?? 7_200_000;
    this.dailyRevisionLimit = options.dailyRevisionLimit ?? 250;
    this.now = options.now ?? Date.now;
  }

  /** eBay timestamps: ISO-8601 UTC with milliseconds. */
  timestamp(ms: number = this.now()): string {
    return new Date(ms).toISOString();
  }

  private next(): number {
    this.sequence += 1;
    return this.sequence;
  }

  /**
   * Continues the sequence after the order ids (12-10002-15838) and line item ids (10000000020) an
   * earlier run handed out: the sandbox keeps nothing between runs, but eBay never reuses an id, and an
   * app that already holds one takes the new order for an update of the old.
   */
  resumeAfter(ids: Iterable<string>): void {
    for (const id of ids) {
      const order = /^\d{2}-(\d{5,})-\d{5}$/.exec(id);
      const n = order ? Number(order[1]) - 10_000 : /^\d{11,}$/.test(id) ? Math.floor((Number(id) - 10_000_000_000) / 10) : NaN;
      if (Number.isSafeInteger(n) && n > this.sequence) this.sequence = n;
    }
  }

  /** An inventory item with one published offer on the marketplace (a live fixed-price listing). */
  addListing(input: { sku: string; quantity?: number; price?: string; title?: string }): { item: EbayInventoryItem; offer: EbayOffer } {
    const quantity = input.quantity ?? 0;
    const item: EbayInventoryItem = { sku: input.sku, title: input.title ?? `Product ${input.sku}`, condition: "NEW", locale: "en_US", quantity };
    const n = this.next();
    const offer: EbayOffer = {
      offerId: String(9_000_000_000 + n),
      sku: input.sku,
      marketplaceId: this.marketplaceId,
      format: "FIXED_PRICE",
      availableQuantity: quantity,
      price: { value: input.price ?? "19.99", currency: "USD" },
      status: "PUBLISHED",
      listingId: String(110_000_000_000 + n),
      soldQuantity: 0,
    };
    this.items.set(item.sku, item);
    this.offers.set(offer.offerId, offer);
    return { item, offer };
  }

  offersOf(sku: string): EbayOffer[] {
    return [...this.offers.values()].filter((offer) => offer.sku === sku);
  }

  addOrder(input: { id?: string; at?: number; lines: { sku: string; quantity: number; unitPrice?: string }[]; currency?: string }): EbayOrder {
    const at = this.timestamp(input.at ?? this.now());
    const n = this.next();
    const currency = input.currency ?? "USD";
    const lineItems: EbayLineItem[] = input.lines.map((line, index) => {
      const offer = this.offersOf(line.sku)[0];
      const unit = line.unitPrice ?? offer?.price.value ?? "0.00";
      return {
        lineItemId: String(10_000_000_000 + n * 10 + index),
        legacyItemId: offer?.listingId ?? "0",
        sku: line.sku,
        title: this.items.get(line.sku)?.title ?? line.sku,
        quantity: line.quantity,
        lineItemCost: { value: (Number(unit) * line.quantity).toFixed(2), currency },
        lineItemFulfillmentStatus: "NOT_STARTED",
      };
    });
    const total = lineItems.reduce((sum, line) => sum + Number(line.lineItemCost.value), 0);
    const orderId = input.id ?? `${String(10 + (n % 90))}-${String(10_000 + n).padStart(5, "0")}-${String(n * 7919 % 100_000).padStart(5, "0")}`;
    const order: EbayOrder = {
      orderId,
      legacyOrderId: `${110_000_000_000 + n}-${2_000_000_000_000 + n}`,
      creationDate: at,
      lastModifiedDate: at,
      orderFulfillmentStatus: "NOT_STARTED",
      orderPaymentStatus: "PAID",
      cancelStatus: { cancelState: "NONE_REQUESTED", cancelRequests: [] },
      pricingSummary: { total: { value: total.toFixed(2), currency } },
      paymentSummary: { refunds: [] },
      buyer: { username: `buyer_${n}` },
      lineItems,
    };
    this.orders.set(orderId, order);
    return order;
  }

  cancelOrder(orderId: string, at: number = this.now()): EbayOrder {
    const order = this.requireOrder(orderId);
    order.cancelStatus = { cancelState: "CANCELED", cancelRequests: [{ cancelReason: "BUYER_ASKED_CANCEL", cancelState: "COMPLETED", cancelRequestedDate: this.timestamp(at) }] };
    order.orderPaymentStatus = "FULLY_REFUNDED";
    order.lastModifiedDate = this.timestamp(at);
    return order;
  }

  /**
   * A seller-issued refund (after a return, or goodwill): `units` of a line refunded at its unit price, or
   * an explicit `amount`. As on eBay, it is recorded as money on the line (lineItems[].refunds) and on the
   * order (paymentSummary.refunds), the payment status moves, and lastModifiedDate moves.
   */
  refundOrder(orderId: string, lines: { sku: string; units?: number; amount?: string }[], at: number = this.now()): EbayOrder {
    const order = this.requireOrder(orderId);
    const refundDate = this.timestamp(at);
    for (const request of lines) {
      const line = order.lineItems.find((item) => item.sku === request.sku);
      if (!line) throw new Error(`sandbox: eBay order ${orderId} has no line for ${request.sku}`);
      const value = request.amount ?? ((Number(line.lineItemCost.value) / line.quantity) * (request.units ?? line.quantity)).toFixed(2);
      const refundId = `5${String(this.next()).padStart(12, "0")}`;
      const refund: EbayLineRefund = { amount: { value, currency: line.lineItemCost.currency }, refundDate, refundId, refundReferenceId: `REF-${refundId}` };
      line.refunds = [...(line.refunds ?? []), refund];
      order.paymentSummary.refunds.push({ ...refund, refundStatus: "REFUNDED", refundType: "REFUND" });
    }
    const refunded = order.paymentSummary.refunds.reduce((sum, refund) => sum + Number(refund.amount.value), 0);
    order.orderPaymentStatus = refunded + 0.005 >= Number(order.pricingSummary.total.value) ? "FULLY_REFUNDED" : "PARTIALLY_REFUNDED";
    order.lastModifiedDate = refundDate;
    return order;
  }

  shipOrder(orderId: string, at: number = this.now()): EbayOrder {
    const order = this.requireOrder(orderId);
    order.orderFulfillmentStatus = "FULFILLED";
    for (const line of order.lineItems) line.lineItemFulfillmentStatus = "FULFILLED";
    order.lastModifiedDate = this.timestamp(at);
    return order;
  }

  issueToken(kind: "user" | "application"): { token: string; expiresInSeconds: number } {
    const token = `v^1.1#i^1#${kind === "user" ? "u" : "a"}#${randomUUID()}`;
    this.tokens.set(token, { expiresAt: this.now() + this.tokenTtlMs, kind });
    this.tokensIssued += 1;
    return { token, expiresInSeconds: Math.round(this.tokenTtlMs / 1000) };
  }

  /** Makes every issued token expire now: the next Sell API call answers 401 and the client refreshes. */
  expireTokens(): void {
    for (const [token, value] of this.tokens) this.tokens.set(token, { ...value, expiresAt: 0 });
  }

  tokenKind(token: string | undefined): "user" | "application" | "invalid" {
    const entry = token ? this.tokens.get(token) : undefined;
    if (!entry || entry.expiresAt <= this.now()) return "invalid";
    return entry.kind;
  }

  /** Counts one revision of a listing today; false (and nothing counted) once the daily limit is reached. */
  reviseListing(listingId: string): boolean {
    const key = `${listingId}|${this.timestamp().slice(0, 10)}`;
    const count = this.revisions.get(key) ?? 0;
    if (count >= this.dailyRevisionLimit) return false;
    this.revisions.set(key, count + 1);
    return true;
  }

  revisionsToday(listingId: string): number {
    return this.revisions.get(`${listingId}|${this.timestamp().slice(0, 10)}`) ?? 0;
  }

  private requireOrder(orderId: string): EbayOrder {
    const order = this.orders.get(orderId);
    if (!order) throw new Error(`sandbox: no eBay order ${orderId}`);
    return order;
  }
}
