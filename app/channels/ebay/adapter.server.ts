import type { ChannelAdapter, ChannelStockLevel, OrderPage, StockPush, StockPushResult } from "../channel.ts";
import { createEbayClient, type EbayClient, type EbayClientConfig } from "./client.server.ts";
import { classifyEbayError, DEFAULT_RETRY_AFTER_MS } from "./errors.ts";
import {
  batchPushes,
  decodeEbayCursor,
  encodeEbayCursor,
  lastModifiedFilter,
  mapBulkResponses,
  mapEbayOrder,
  mapEbayStock,
  priceQuantityRequest,
  refuseEbayPush,
  type EbayInventoryItemWire,
  type EbayOfferWire,
  type EbayOrderWire,
  type PriceQuantityResponse,
} from "./map.ts";

// eBay as a ChannelAdapter, through ebay-api only. Translation and failure classification; no business
// rules.
//
// - pullOrders walks getOrders(filter lastmodifieddate:[since..], limit, offset): exactly once within a
//   walk, at-least-once across walks (the next walk starts at the newest lastModifiedDate seen, inclusive),
//   so the service upserts by externalId. A ChannelError leaves the cursor where it was.
// - Refunds move an order's lastModifiedDate, so the same walk re-delivers a refunded order; its lines
//   carry refundedQuantity derived from lineItems[].refunds amounts (see refundedUnits in map.ts).
// - pushStock sends bulkUpdatePriceQuantity in calls of ≤ 25 SKUs, setting the item's ship-to-home
//   quantity and each offer's availableQuantity (the listing shows the smaller of the two). Results are
//   per SKU from the 200/207 per-entry statusCodes.
// - eBay allows 250 revisions per listing per calendar day. The adapter reports a refusal clearly
//   (rejected, "daily revision limit"); avoiding it is the service's job: coalesce bursts into one push
//   per SKU (the latest quantity wins) before calling pushStock.
// - No compare-and-set and no idempotency key on eBay: expectedQuantity/idempotencyKey are not sent;
//   quantities are absolute, so a retried push lands the same state (but counts as another revision).

export type EbayAdapterConfig = EbayClientConfig & {
  /** Where the first pull starts (ISO-8601) when there is no cursor yet: the service's choice. */
  initialOrdersSince: string;
  /** getOrders limit (1–200). Default 50 (eBay's default). */
  ordersPageSize?: number;
  /** getInventoryItems limit for pullStock (1–200). Default 100. */
  stockPageSize?: number;
  /** retryAfterMs for a 429 (eBay sends no Retry-After). Default 60 s. */
  rateLimitRetryAfterMs?: number;
};

type OrdersBody = { orders?: EbayOrderWire[]; next?: string; limit?: number; total?: number };
type InventoryItemsBody = { inventoryItems?: EbayInventoryItemWire[]; next?: string };
type OffersBody = { offers?: EbayOfferWire[] };
type BulkBody = { responses?: PriceQuantityResponse[] };

export function createEbayAdapter(config: EbayAdapterConfig, client: EbayClient = createEbayClient(config)): ChannelAdapter {
  const { api } = client;
  const pageSize = config.ordersPageSize ?? 50;
  const retryAfter = config.rateLimitRetryAfterMs ?? DEFAULT_RETRY_AFTER_MS;

  async function call<T>(operation: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw classifyEbayError(operation, error, retryAfter);
    } finally {
      await client.tokenPersisted();
    }
  }

  /** The SKU's published offers on our marketplace; none (404) means the item is not listed. */
  async function offersOf(sku: string): Promise<EbayOfferWire[]> {
    try {
      const body = (await api.sell.inventory.getOffers({ sku, marketplaceId: config.marketplaceId })) as OffersBody;
      return (body.offers ?? []).filter((offer) => offer.status === undefined || offer.status === "PUBLISHED");
    } catch (error) {
      const classified = classifyEbayError("inventory.getOffers", error, retryAfter);
      if (classified.status === 404) return [];
      throw classified;
    } finally {
      await client.tokenPersisted();
    }
  }

  return {
    channel: "EBAY",

    async pullOrders(cursor: string | null): Promise<OrderPage> {
      const position = cursor ? decodeEbayCursor(cursor) : { since: config.initialOrdersSince, offset: 0 };
      const body = await call("fulfillment.getOrders", async () =>
        (await api.sell.fulfillment.getOrders({ filter: lastModifiedFilter(position.since), limit: pageSize, offset: position.offset })) as OrdersBody,
      );
      const wire = body.orders ?? [];
      const orders = wire.map(mapEbayOrder);
      const high = wire.reduce((max, order) => (Date.parse(order.lastModifiedDate) > Date.parse(max) ? order.lastModifiedDate : max), position.high ?? position.since);
      if (body.next) return { orders, cursor: encodeEbayCursor({ since: position.since, offset: position.offset + (body.limit ?? pageSize), high }), done: false };
      return { orders, cursor: encodeEbayCursor({ since: high, offset: 0 }), done: true };
    },

    async *pullStock(): AsyncIterable<ChannelStockLevel[]> {
      const limit = config.stockPageSize ?? 100;
      for (let offset = 0; ; offset += limit) {
        const body = await call("inventory.getInventoryItems", async () => (await api.sell.inventory.getInventoryItems({ limit, offset })) as InventoryItemsBody);
        const levels: ChannelStockLevel[] = [];
        for (const item of body.inventoryItems ?? []) levels.push(mapEbayStock(item, (await offersOf(item.sku))[0]));
        if (levels.length > 0) yield levels;
        if (!body.next) return;
      }
    },

    async pushStock(pushes: StockPush[]): Promise<StockPushResult[]> {
      const results = new Map<StockPush, StockPushResult>();
      const sendable: StockPush[] = [];
      for (const push of pushes) {
        const refusal = refuseEbayPush(push);
        if (refusal) results.set(push, refusal);
        else sendable.push(push);
      }
      for (const batch of batchPushes(sendable)) {
        const requests: ReturnType<typeof priceQuantityRequest>[] = [];
        for (const push of batch) {
          // itemExternalId is the offer id when the listing mapping knows it; otherwise look it up.
          const offerIds = push.itemExternalId ? [push.itemExternalId] : (await offersOf(push.listingExternalId)).map((offer) => offer.offerId);
          requests.push(priceQuantityRequest(push, offerIds));
        }
        const body = await call("inventory.bulkUpdatePriceQuantity", async () => (await api.sell.inventory.bulkUpdatePriceQuantity({ requests })) as BulkBody);
        mapBulkResponses(batch, body.responses ?? []).forEach((result, index) => {
          const push = batch[index];
          if (push) results.set(push, result);
        });
      }
      return pushes.map((push) => results.get(push) ?? { listingExternalId: push.listingExternalId, status: "rejected", message: "Not sent." });
    },
  };
}
