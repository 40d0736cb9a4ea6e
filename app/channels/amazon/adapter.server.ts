import type { ChannelAdapter, ChannelStockLevel, OrderPage, StockPush, StockPushResult } from "../channel.ts";
import { ChannelError, isChannelError } from "../errors.ts";
import { createAmazonClient, type AmazonClient, type AmazonClientConfig, type SpApiCall } from "./client.server.ts";
import { UsagePlanPacer } from "./usage-plan-pacer.ts";
import {
  availabilityPatches,
  buildListingsFeed,
  decodeOrdersCursor,
  encodeOrdersCursor,
  latest,
  mapFbaSummary,
  mapFeedReport,
  mapMerchantListing,
  mapOrder,
  mapPatchResponse,
  refundedOrderIds,
  refundEventKey,
  refusePush,
  type FbaSummaryWire,
  type FeedReport,
  type ListingsPatchResponse,
  type ListingWire,
  type OrderItemWire,
  type OrdersCursor,
  type OrderWire,
  type RefundEventWire,
} from "./map.ts";

// Amazon as a ChannelAdapter, through amazon-sp-api only. Translation and failure classification; what to
// push and when (buffers, coalescing, which SKUs) is decided by the services.
//
// Semantics worth knowing:
// - pullOrders is exactly-once within one walk of pages (NextToken) and at-least-once across walks: the
//   next walk starts at the newest LastUpdateDate seen (inclusive, and Amazon's index lags a little), so
//   the service upserts by externalId and updatedAt.
// - Refunds are not in the Orders API and do not move LastUpdateDate. Every delivered order carries its
//   refunds from listFinancialEventsByOrderId (only for orders with shipped units: Amazon charges at
//   shipment, so nothing else can have been refunded), and after each orders walk a second walk over
//   listFinancialEvents (RefundEventList, PostedAfter = newest PostedDate seen, inclusive) re-delivers
//   every order refunded since, with updatedAt = its newest refund. The walk ends with done: true only
//   after the refunds walk; both are at-least-once across syncs, exactly-once within one.
// - Any ChannelError aborts the page without advancing the cursor; calling again with the same cursor
//   repeats the page (NextTokens are reusable), so a 429 never loses or duplicates orders.
// - The Listings Items API has no compare-and-set and no idempotency key: expectedQuantity and
//   idempotencyKey are not sent. Quantities are absolute, so a retried push is harmless.
// - FBA stock is Amazon's: pullStock reports it with fulfilledByChannel: true and pushStock refuses any
//   push aimed at an AMAZON_* location (a DEFAULT availability on an FBA offer would convert it to MFN).

/** Amazon: "It may take up to 48 hours for orders to appear in your financial events" (Finances API v0). */
export const AMAZON_FINANCIAL_EVENTS_DELAY_MS = 48 * 3_600_000;

export type AmazonAdapterConfig = AmazonClientConfig & {
  sellerId: string;
  marketplaceId: string;
  /** Where the first pull starts (ISO-8601) when there is no cursor yet: the service's choice. */
  initialOrdersSince: string;
  /** listFinancialEvents MaxResultsPerPage (1–100) in the refunds walk. Default 100. */
  refundEventsPageSize?: number;
  /**
   * How far before the newest refund already seen the next refunds walk starts. Default 48 hours
   * (AMAZON_FINANCIAL_EVENTS_DELAY_MS): Amazon documents that financial events can take up to 48 hours to
   * appear, so a refund may show up in the API days after the order and hours after its own PostedDate,
   * behind a watermark that has moved on. Events already delivered inside the window are remembered in
   * the cursor, so the overlap costs one listFinancialEvents walk, not a re-read of every refunded order.
   */
  refundsOverlapMs?: number;
  /** getOrders MaxResultsPerPage (1–100). Default 100. */
  ordersPageSize?: number;
  /** The productType sent with listings patches. Default "PRODUCT" (accepted for availability-only patches). */
  productType?: string;
  /** pushStock uses the JSON listings feed above this many pushes (Listings Items allows 5 calls/s). Default 20. */
  feedThreshold?: number;
  /** Bounded polling of a submitted feed in pushStockFeed. Defaults: every 30 s, at most 20 times. */
  feedPoll?: { intervalMs: number; maxPolls: number };
};

export type StockFeedSubmission = { feedId: string; pushes: StockPush[]; refused: StockPushResult[] };

export type AmazonAdapter = ChannelAdapter & {
  /** Large batches through one JSON_LISTINGS_FEED: submit, poll (bounded), read the processing report. */
  pushStockFeed(pushes: StockPush[]): Promise<StockPushResult[]>;
  /** The two halves of pushStockFeed, for a queue that would rather re-check later than poll. */
  submitStockFeed(pushes: StockPush[]): Promise<StockFeedSubmission>;
  /** null while Amazon is still processing the feed. */
  readStockFeedResults(submission: StockFeedSubmission): Promise<StockPushResult[] | null>;
};

type OrdersPayload = { payload: { Orders?: OrderWire[]; NextToken?: string } };
type OrderItemsPayload = { payload: { OrderItems?: OrderItemWire[]; NextToken?: string } };
type OrderPayload = { payload: OrderWire };
type FinancialEventsPayload = { payload: { NextToken?: string; FinancialEvents?: { RefundEventList?: RefundEventWire[] } } };
type FbaSummariesBody = { pagination?: { nextToken?: string | null }; payload?: { inventorySummaries?: FbaSummaryWire[] } };
type ListingsSearchBody = { items?: ListingWire[]; pagination?: { nextToken?: string } };
type FeedBody = { feedId: string; processingStatus: string; resultFeedDocumentId?: string };
type FeedDocumentBody = { feedDocumentId: string; url: string; compressionAlgorithm?: string };

const FEED_CONTENT_TYPE = "application/json; charset=UTF-8";

export function createAmazonAdapter(config: AmazonAdapterConfig, client: AmazonClient = createAmazonClient(config)): AmazonAdapter {
  const productType = config.productType ?? "PRODUCT";
  const feedThreshold = config.feedThreshold ?? 20;
  const feedPoll = config.feedPoll ?? { intervalMs: 30_000, maxPolls: 20 };
  const pacer = new UsagePlanPacer();
  /** For the calls a pull pages through or a push repeats: waits for the operation's token first. */
  async function pacedCall<T>(call: SpApiCall): Promise<T> {
    await pacer.take(call.operation);
    return client.call<T>(call);
  }

  async function orderItems(orderId: string): Promise<OrderItemWire[]> {
    const items: OrderItemWire[] = [];
    let nextToken: string | undefined;
    do {
      const body = await client.call<OrderItemsPayload>({
        operation: "orders.getOrderItems",
        path: { orderId },
        ...(nextToken ? { query: { NextToken: nextToken } } : {}),
      });
      items.push(...(body.payload.OrderItems ?? []));
      nextToken = body.payload.NextToken;
    } while (nextToken);
    return items;
  }

  /** Every refund event of one order (listFinancialEventsByOrderId, paged). */
  async function orderRefunds(order: OrderWire): Promise<RefundEventWire[]> {
    if (!mayHaveRefunds(order)) return [];
    const events: RefundEventWire[] = [];
    let nextToken: string | undefined;
    do {
      const body = await client.call<FinancialEventsPayload>({
        operation: "finances.listFinancialEventsByOrderId",
        path: { orderId: order.AmazonOrderId },
        query: nextToken ? { NextToken: nextToken } : { MaxResultsPerPage: 100 },
      });
      events.push(...(body.payload.FinancialEvents?.RefundEventList ?? []));
      nextToken = body.payload.NextToken;
    } while (nextToken);
    return events;
  }

  async function fullOrder(order: OrderWire) {
    return mapOrder(order, await orderItems(order.AmazonOrderId), config.region, await orderRefunds(order));
  }

  /** One page of the refunds walk: the orders refunded since position.refundsSince, each re-read in full. */
  async function refundsPage(position: OrdersCursor, refundsSince: string): Promise<OrderPage> {
    // Amazon refuses a PostedAfter less than two minutes old; nothing younger is listed anyway.
    const postedAfter = new Date(Math.min(Date.parse(refundsSince), Date.now() - 120_000)).toISOString();
    const body = await client.call<FinancialEventsPayload>({
      operation: "finances.listFinancialEvents",
      query: position.refundsToken ? { NextToken: position.refundsToken } : { PostedAfter: postedAfter, MaxResultsPerPage: config.refundEventsPageSize ?? 100 },
    });
    const events = body.payload.FinancialEvents?.RefundEventList ?? [];
    // Inside the overlap window: an order is re-read only for an event not delivered before.
    const seen = new Set(position.refundsSeen ?? []);
    const fresh = events.filter((event) => !seen.has(refundEventKey(event)));
    for (const event of events) seen.add(refundEventKey(event));
    const orders = [];
    for (const orderId of refundedOrderIds(fresh)) {
      const found = await client.call<OrderPayload>({ operation: "orders.getOrder", path: { orderId } }).catch((error: unknown) => {
        // An order Amazon no longer returns must not wedge the walk on this page forever.
        if (isChannelError(error) && error.status === 404) return null;
        throw error;
      });
      // Financial events span all the seller's marketplaces; the orders walk reads only this one.
      if (!found || (found.payload.MarketplaceId !== undefined && found.payload.MarketplaceId !== config.marketplaceId)) continue;
      orders.push(await fullOrder(found.payload));
    }
    const high = events.reduce((max, event) => (event.PostedDate ? latest(max, event.PostedDate) : max), position.refundsHigh ?? refundsSince);
    const nextToken = body.payload.NextToken;
    if (nextToken) return { orders, cursor: encodeOrdersCursor({ since: position.since, phase: "refunds", refundsSince, refundsToken: nextToken, refundsHigh: high, refundsSeen: [...seen] }), done: false };
    const overlapped = new Date(Date.parse(high) - (config.refundsOverlapMs ?? AMAZON_FINANCIAL_EVENTS_DELAY_MS)).toISOString();
    const nextSince = latest(refundsSince, overlapped);
    const stillInWindow = [...seen].filter((key) => Date.parse(key.split("#")[0]!) >= Date.parse(nextSince));
    return { orders, cursor: encodeOrdersCursor({ since: position.since, refundsSince: nextSince, ...(stillInWindow.length > 0 ? { refundsSeen: stillInWindow } : {}) }), done: true };
  }

  async function pushOne(push: StockPush): Promise<StockPushResult> {
    const refused = refusePush(push);
    if (refused) return refused;
    const response = await pacedCall<ListingsPatchResponse>({
      operation: "listingsItems.patchListingsItem",
      path: { sellerId: config.sellerId, sku: push.listingExternalId },
      query: { marketplaceIds: [config.marketplaceId], issueLocale: "en_US" },
      body: { productType, patches: availabilityPatches(push.quantity) },
    });
    return mapPatchResponse(push, response);
  }

  const adapter: AmazonAdapter = {
    channel: "AMAZON",

    async pullOrders(cursor: string | null): Promise<OrderPage> {
      const position: OrdersCursor = cursor ? decodeOrdersCursor(cursor) : { since: config.initialOrdersSince };
      const refundsSince = position.refundsSince ?? position.since;
      if (position.phase === "refunds") return refundsPage(position, refundsSince);
      const query = position.nextToken
        ? { MarketplaceIds: [config.marketplaceId], NextToken: position.nextToken }
        : { MarketplaceIds: [config.marketplaceId], LastUpdatedAfter: position.since, MaxResultsPerPage: config.ordersPageSize ?? 100 };
      const body = await client.call<OrdersPayload>({ operation: "orders.getOrders", query });
      const wireOrders = body.payload.Orders ?? [];

      // One getOrderItems (and, for shipped orders, one financial events call) per order, sequentially:
      // their rates are 0.5/s and bursts are small.
      const orders = [];
      for (const order of wireOrders) orders.push(await fullOrder(order));

      const high = wireOrders.reduce((max, order) => latest(max, order.LastUpdateDate), position.high ?? position.since);
      const nextToken = body.payload.NextToken;
      const refundsSeen = position.refundsSeen ? { refundsSeen: position.refundsSeen } : {};
      if (nextToken) return { orders, cursor: encodeOrdersCursor({ since: position.since, nextToken, high, refundsSince, ...refundsSeen }), done: false };
      // The orders walk reached the present; the refunds walk comes next in the same sync.
      return { orders, cursor: encodeOrdersCursor({ since: high, phase: "refunds", refundsSince, ...refundsSeen }), done: false };
    },

    async *pullStock(): AsyncIterable<ChannelStockLevel[]> {
      let nextToken: string | null | undefined;
      do {
        const body = await pacedCall<FbaSummariesBody>({
          operation: "fbaInventory.getInventorySummaries",
          query: {
            details: true,
            granularityType: "Marketplace",
            granularityId: config.marketplaceId,
            marketplaceIds: [config.marketplaceId],
            ...(nextToken ? { nextToken } : {}),
          },
        });
        const levels = (body.payload?.inventorySummaries ?? []).flatMap((summary) => mapFbaSummary(summary, config.region) ?? []);
        if (levels.length > 0) yield levels;
        nextToken = body.pagination?.nextToken;
      } while (nextToken);

      let pageToken: string | undefined;
      do {
        const body = await pacedCall<ListingsSearchBody>({
          operation: "listingsItems.searchListingsItems",
          path: { sellerId: config.sellerId },
          query: {
            marketplaceIds: [config.marketplaceId],
            includedData: ["summaries", "fulfillmentAvailability"],
            pageSize: 20,
            ...(pageToken ? { pageToken } : {}),
          },
        });
        const levels = (body.items ?? []).flatMap((listing) => mapMerchantListing(listing) ?? []);
        if (levels.length > 0) yield levels;
        pageToken = body.pagination?.nextToken;
      } while (pageToken);
    },

    async pushStock(pushes: StockPush[]): Promise<StockPushResult[]> {
      if (pushes.length > feedThreshold) return adapter.pushStockFeed(pushes);
      // Sequential: 5 calls/s. A ChannelError aborts the rest; re-sending the applied ones is harmless.
      const results: StockPushResult[] = [];
      for (const push of pushes) results.push(await pushOne(push));
      return results;
    },

    async submitStockFeed(pushes: StockPush[]): Promise<StockFeedSubmission> {
      const refused: StockPushResult[] = [];
      const sendable: StockPush[] = [];
      for (const push of pushes) {
        const refusal = refusePush(push);
        if (refusal) refused.push(refusal);
        else sendable.push(push);
      }
      if (sendable.length === 0) return { feedId: "", pushes: [], refused };
      const document = await client.call<FeedDocumentBody>({ operation: "feeds.createFeedDocument", body: { contentType: FEED_CONTENT_TYPE } });
      await client.upload(document.url, JSON.stringify(buildListingsFeed(config.sellerId, productType, sendable)), FEED_CONTENT_TYPE);
      const feed = await client.call<{ feedId: string }>({
        operation: "feeds.createFeed",
        body: { feedType: "JSON_LISTINGS_FEED", marketplaceIds: [config.marketplaceId], inputFeedDocumentId: document.feedDocumentId },
      });
      return { feedId: feed.feedId, pushes: sendable, refused };
    },

    async readStockFeedResults(submission: StockFeedSubmission): Promise<StockPushResult[] | null> {
      if (submission.feedId === "") return submission.refused;
      const feed = await client.call<FeedBody>({ operation: "feeds.getFeed", path: { feedId: submission.feedId } });
      if (feed.processingStatus === "IN_QUEUE" || feed.processingStatus === "IN_PROGRESS") return null;
      let report: FeedReport = {};
      if (feed.resultFeedDocumentId) {
        const document = await client.call<FeedDocumentBody>({ operation: "feeds.getFeedDocument", path: { feedDocumentId: feed.resultFeedDocumentId } });
        report = await client.downloadJson<FeedReport>(document.url, document.compressionAlgorithm);
      }
      if (feed.processingStatus !== "DONE") {
        const reason = report.issues?.map((issue) => issue.message).filter(Boolean).join("; ") || `feed ${submission.feedId} ended ${feed.processingStatus}`;
        return [...submission.refused, ...submission.pushes.map((push) => ({ listingExternalId: push.listingExternalId, status: "rejected" as const, message: reason }))];
      }
      return [...submission.refused, ...mapFeedReport(submission.pushes, report)];
    },

    async pushStockFeed(pushes: StockPush[]): Promise<StockPushResult[]> {
      const submission = await adapter.submitStockFeed(pushes);
      for (let poll = 0; poll <= feedPoll.maxPolls; poll++) {
        const results = await adapter.readStockFeedResults(submission);
        if (results) return order(pushes, results);
        if (poll < feedPoll.maxPolls) await new Promise((resolve) => setTimeout(resolve, feedPoll.intervalMs));
      }
      throw new ChannelError("AMAZON", "unavailable", `Feed ${submission.feedId} still processing after ${feedPoll.maxPolls} polls; read it later with readStockFeedResults.`, {
        retryAfterMs: feedPoll.intervalMs,
      });
    },
  };
  return adapter;
}

/** Amazon charges at shipment: an order with no shipped unit has nothing that could have been refunded. */
function mayHaveRefunds(order: OrderWire): boolean {
  return order.OrderStatus === "Shipped" || order.OrderStatus === "PartiallyShipped" || (order.NumberOfItemsShipped ?? 0) > 0;
}

/** Results in the order of the pushes (refused ones were collected first). */
function order(pushes: StockPush[], results: StockPushResult[]): StockPushResult[] {
  const remaining = [...results];
  return pushes.map((push) => {
    const index = remaining.findIndex((result) => result.listingExternalId === push.listingExternalId);
    const result = index >= 0 ? remaining.splice(index, 1)[0] : undefined;
    return result ?? { listingExternalId: push.listingExternalId, status: "rejected", message: "No result for this push in the feed report." };
  });
}
