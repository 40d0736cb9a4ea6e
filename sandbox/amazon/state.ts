import { randomUUID } from "node:crypto";

// The simulated Amazon seller behind the sandbox: listings (merchant-fulfilled and FBA), orders with
// items, LWA tokens, feed documents. Tests and the demo drive it directly (add orders, cancel, ship, read
// quantities); the HTTP layer only translates the wire to these calls.

export type FulfillmentChannel = "MFN" | "AFN";
export type OrderStatus = "Pending" | "Unshipped" | "PartiallyShipped" | "Shipped" | "Canceled" | "Unfulfillable";

export type AmazonListing = {
  sku: string;
  asin: string;
  title: string;
  fulfillmentChannel: FulfillmentChannel;
  /** MFN: the quantity in fulfillment_availability (DEFAULT). AFN: fulfillable units at Amazon. */
  quantity: number;
  /** FBA only: units on their way in / reserved, reported in inventory summaries. */
  inbound: number;
  reserved: number;
  fnSku: string | null;
  productType: string;
  leadTimeToShipMaxDays: number | null;
  restockDate: string | null;
  lastUpdated: string;
};

export type AmazonOrderItem = {
  OrderItemId: string;
  ASIN: string;
  SellerSKU: string;
  Title: string;
  QuantityOrdered: number;
  QuantityShipped: number;
  ItemPrice?: { CurrencyCode: string; Amount: string };
};

export type AmazonOrder = {
  AmazonOrderId: string;
  PurchaseDate: string;
  LastUpdateDate: string;
  OrderStatus: OrderStatus;
  FulfillmentChannel: FulfillmentChannel;
  MarketplaceId: string;
  SalesChannel: string;
  OrderType: "StandardOrder";
  OrderTotal?: { CurrencyCode: string; Amount: string };
  items: AmazonOrderItem[];
};

/** Finances v0 ShipmentItem of a refund (ShipmentItemAdjustmentList): QuantityShipped is the refunded quantity. */
export type AmazonRefundItem = {
  SellerSKU: string;
  OrderItemId: string;
  OrderAdjustmentItemId: string;
  QuantityShipped: number;
  ItemChargeAdjustmentList: { ChargeType: "Principal"; ChargeAmount: { CurrencyCode: string; CurrencyAmount: number } }[];
};

/** Finances v0 ShipmentEvent as listed in RefundEventList. */
export type AmazonRefundEvent = {
  AmazonOrderId: string;
  MarketplaceName: string;
  PostedDate: string;
  ShipmentItemAdjustmentList: AmazonRefundItem[];
};

export type FeedDocument = { id: string; contentType: string; content: string | null; kind: "input" | "result" };
export type Feed = {
  feedId: string;
  feedType: string;
  marketplaceIds: string[];
  inputFeedDocumentId: string;
  createdTime: string;
  processingStatus: "IN_QUEUE" | "IN_PROGRESS" | "DONE" | "FATAL" | "CANCELLED";
  resultFeedDocumentId: string | null;
  /** getFeed calls left before processing finishes (sandbox option feedPollsBeforeDone). */
  pollsLeft: number;
};

export type AmazonSandboxOptions = {
  sellerId?: string;
  marketplaceId?: string;
  clientId?: string;
  clientSecret?: string;
  refreshToken?: string;
  /** Lifetime of minted access tokens; SP-API answers 403 "expired" afterwards. Default 3600 s. */
  tokenTtlMs?: number;
  /** getOrders / searchOrders default page size (Amazon: 100). */
  ordersPageSize?: number;
  /** getOrderItems page size (Amazon pages long orders too). */
  orderItemsPageSize?: number;
  /** FBA summaries page size (Amazon: 50). */
  inventoryPageSize?: number;
  /** listFinancialEvents page size cap (Amazon: MaxResultsPerPage ≤ 100, default 100). */
  financialEventsPageSize?: number;
  /** getFeed calls that still answer IN_PROGRESS before DONE. Default 0. */
  feedPollsBeforeDone?: number;
  /** The clock used for LastUpdateDate and token expiry; tests may freeze or advance it. */
  now?: () => number;
};

export class AmazonSellerState {
  readonly sellerId: string;
  readonly marketplaceId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  refreshToken: string;
  tokenTtlMs: number;
  ordersPageSize: number;
  orderItemsPageSize: number;
  inventoryPageSize: number;
  feedPollsBeforeDone: number;
  financialEventsPageSize: number;
  now: () => number;

  readonly listings = new Map<string, AmazonListing>();
  readonly orders = new Map<string, AmazonOrder>();
  /** Finances RefundEventList events, in posting order (refundOrder). */
  readonly refundEvents: AmazonRefundEvent[] = [];
  /** access token → expiry (ms since epoch). */
  readonly accessTokens = new Map<string, number>();
  readonly documents = new Map<string, FeedDocument>();
  readonly feeds = new Map<string, Feed>();
  /** Every fulfillment_availability write that moved an FBA listing to merchant fulfilment: must stay empty. */
  readonly channelSwitches: { sku: string; at: string }[] = [];
  tokensIssued = 0;
  private sequence = 0;

  constructor(options: AmazonSandboxOptions = {}) {
    this.sellerId = options.sellerId ?? "A2SANDBOXSELLER";
    this.marketplaceId = options.marketplaceId ?? "ATVPDKIKX0DER";
    this.clientId = options.clientId ?? "amzn1.application-oa2-client.sandbox";
    this.clientSecret = options.clientSecret ?? "sandbox-client-secret";
    this.refreshToken = options.refreshToken ?? "Atzr|sandbox-refresh-token";
    this.tokenTtlMs = options.tokenTtlMs ?? 3_600_000;
    this.ordersPageSize = options.ordersPageSize ?? 100;
    this.orderItemsPageSize = options.orderItemsPageSize ?? 100;
    this.inventoryPageSize = options.inventoryPageSize ?? 50;
    this.feedPollsBeforeDone = options.feedPollsBeforeDone ?? 0;
    this.financialEventsPageSize = options.financialEventsPageSize ?? 100;
    this.now = options.now ?? Date.now;
  }

  /** Amazon timestamps: ISO-8601 UTC without milliseconds. */
  timestamp(ms: number = this.now()): string {
    return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  nextId(prefix: string): string {
    this.sequence += 1;
    return `${prefix}${String(this.sequence).padStart(7, "0")}`;
  }

  /**
   * Continues the id sequence after the order ids (114-1234567-7654321) and prefixed ids (OI0000042) an
   * earlier run handed out: the sandbox keeps nothing between runs, but Amazon never reuses an order id,
   * and an app that already holds one takes the new order for an update of the old.
   */
  resumeAfter(ids: Iterable<string>): void {
    for (const id of ids) {
      const match = /^\d{3}-(\d{7,})-\d{7}$/.exec(id) ?? /^[A-Z]+(\d{7,})$/.exec(id);
      const n = match ? Number(match[1]) : NaN;
      if (Number.isSafeInteger(n) && n > this.sequence) this.sequence = n;
    }
  }

  /** Amazon order ids look like 114-1234567-7654321. */
  private nextOrderId(): string {
    this.sequence += 1;
    const n = this.sequence;
    return `11${n % 10}-${String(n).padStart(7, "0")}-${String((n * 7919) % 10_000_000).padStart(7, "0")}`;
  }

  addListing(input: Partial<AmazonListing> & { sku: string; fulfillmentChannel?: FulfillmentChannel; quantity?: number }): AmazonListing {
    const listing: AmazonListing = {
      asin: `B0${input.sku.replace(/[^A-Z0-9]/gi, "").toUpperCase().padEnd(8, "X").slice(0, 8)}`,
      title: `Product ${input.sku}`,
      fulfillmentChannel: "MFN",
      quantity: 0,
      inbound: 0,
      reserved: 0,
      fnSku: null,
      productType: "PRODUCT",
      leadTimeToShipMaxDays: null,
      restockDate: null,
      lastUpdated: this.timestamp(),
      ...input,
    };
    if (listing.fulfillmentChannel === "AFN" && !listing.fnSku) listing.fnSku = `X00${listing.asin.slice(2)}`;
    this.listings.set(listing.sku, listing);
    return listing;
  }

  /** Places an order; `at` (ms) sets PurchaseDate and LastUpdateDate. */
  addOrder(input: {
    id?: string;
    at?: number;
    status?: OrderStatus;
    fulfillmentChannel?: FulfillmentChannel;
    currency?: string;
    lines: { sku: string; quantity: number; unitPrice?: string }[];
  }): AmazonOrder {
    const at = input.at ?? this.now();
    const currency = input.currency ?? "USD";
    const id = input.id ?? this.nextOrderId();
    const items: AmazonOrderItem[] = input.lines.map((line) => {
      const listing = this.listings.get(line.sku);
      const item: AmazonOrderItem = {
        OrderItemId: this.nextId("OI"),
        ASIN: listing?.asin ?? "B000000000",
        SellerSKU: line.sku,
        Title: listing?.title ?? line.sku,
        QuantityOrdered: line.quantity,
        QuantityShipped: 0,
      };
      if (line.unitPrice !== undefined) item.ItemPrice = { CurrencyCode: currency, Amount: (Number(line.unitPrice) * line.quantity).toFixed(2) };
      return item;
    });
    const total = items.reduce((sum, item) => sum + Number(item.ItemPrice?.Amount ?? 0), 0);
    const order: AmazonOrder = {
      AmazonOrderId: id,
      PurchaseDate: this.timestamp(at),
      LastUpdateDate: this.timestamp(at),
      OrderStatus: input.status ?? "Unshipped",
      FulfillmentChannel: input.fulfillmentChannel ?? "MFN",
      MarketplaceId: this.marketplaceId,
      SalesChannel: "Amazon.com",
      OrderType: "StandardOrder",
      OrderTotal: { CurrencyCode: currency, Amount: total.toFixed(2) },
      items,
    };
    this.orders.set(id, order);
    return order;
  }

  /**
   * A refund of shipped units (after a return, or an A-to-z claim), posted as a Finances RefundEventList
   * event at `at`. Amazon charges at shipment, so only shipped, not yet refunded units can be refunded.
   * The order itself is not touched: Orders API v0 has no refund fields and LastUpdateDate tracks order
   * status, so an incremental order pull alone never sees a refund (the adapter reads Finances for that).
   */
  refundOrder(id: string, lines: { sku: string; quantity: number }[], at: number = this.now()): AmazonRefundEvent {
    const order = this.requireOrder(id);
    const items = lines.map((line) => {
      const item = order.items.find((candidate) => candidate.SellerSKU === line.sku);
      if (!item) throw new Error(`sandbox: Amazon order ${id} has no item ${line.sku}`);
      const refundable = item.QuantityShipped - this.refundedQuantity(id, item.OrderItemId);
      if (!Number.isInteger(line.quantity) || line.quantity < 1 || line.quantity > refundable) {
        throw new Error(`sandbox: cannot refund ${line.quantity} of ${line.sku} on ${id} (${refundable} shipped and not refunded)`);
      }
      const unit = item.ItemPrice ? Number(item.ItemPrice.Amount) / item.QuantityOrdered : 0;
      return {
        SellerSKU: item.SellerSKU,
        OrderItemId: item.OrderItemId,
        OrderAdjustmentItemId: this.nextId("OA"),
        QuantityShipped: line.quantity,
        ItemChargeAdjustmentList: [{ ChargeType: "Principal" as const, ChargeAmount: { CurrencyCode: item.ItemPrice?.CurrencyCode ?? "USD", CurrencyAmount: -Number((unit * line.quantity).toFixed(2)) } }],
      };
    });
    const event: AmazonRefundEvent = { AmazonOrderId: id, MarketplaceName: order.SalesChannel, PostedDate: this.timestamp(at), ShipmentItemAdjustmentList: items };
    this.refundEvents.push(event);
    return event;
  }

  refundedQuantity(orderId: string, orderItemId: string): number {
    return this.refundEvents
      .filter((event) => event.AmazonOrderId === orderId)
      .flatMap((event) => event.ShipmentItemAdjustmentList)
      .filter((item) => item.OrderItemId === orderItemId)
      .reduce((sum, item) => sum + item.QuantityShipped, 0);
  }

  cancelOrder(id: string, at: number = this.now()): AmazonOrder {
    const order = this.requireOrder(id);
    order.OrderStatus = "Canceled";
    order.LastUpdateDate = this.timestamp(at);
    return order;
  }

  shipOrder(id: string, at: number = this.now()): AmazonOrder {
    const order = this.requireOrder(id);
    for (const item of order.items) item.QuantityShipped = item.QuantityOrdered;
    order.OrderStatus = "Shipped";
    order.LastUpdateDate = this.timestamp(at);
    return order;
  }

  issueAccessToken(): { token: string; expiresInSeconds: number } {
    const token = `Atza|sandbox-${randomUUID()}`;
    this.accessTokens.set(token, this.now() + this.tokenTtlMs);
    this.tokensIssued += 1;
    return { token, expiresInSeconds: Math.round(this.tokenTtlMs / 1000) };
  }

  /** Expires every issued access token now (the next SP-API call gets the 403 "expired" answer). */
  expireAccessTokens(): void {
    for (const token of this.accessTokens.keys()) this.accessTokens.set(token, 0);
  }

  tokenStatus(token: string | undefined): "valid" | "expired" | "invalid" {
    const expiry = token ? this.accessTokens.get(token) : undefined;
    if (expiry === undefined) return "invalid";
    return expiry > this.now() ? "valid" : "expired";
  }

  private requireOrder(id: string): AmazonOrder {
    const order = this.orders.get(id);
    if (!order) throw new Error(`sandbox: no Amazon order ${id}`);
    return order;
  }
}
