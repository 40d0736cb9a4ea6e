import { createHash } from "node:crypto";
import type { ChannelAdapter, ChannelOrder, ChannelStockLevel, OrderPage, StockPush, StockPushResult } from "../channel.ts";
import { ChannelError } from "../errors.ts";
import { adminRequest, throttleWait, type AdminGraphql, type QueryCost } from "./client.server.ts";
import { mapBulkStockLines, mapOrder, mapVariantLevels, type WireFulfillmentOrder, type WireFulfillmentOrderLine, type WireLineItem, type WireOrder, type WireVariant } from "./map.ts";
import { advanceOrderCursor, decodeOrderCursor, encodeOrderCursor, searchQueryFor } from "./order-cursor.ts";
import {
  BULK_RUN_MUTATION,
  BULK_STATUS_QUERY,
  BULK_STOCK_INNER_QUERY,
  FULFILLMENT_ORDER_LINES_QUERY,
  FULFILLMENT_ORDER_ORDER_QUERY,
  LEVEL_QUERY,
  LOCATIONS_QUERY,
  ORDER_FULFILLMENT_ORDERS_QUERY,
  ORDER_LINES_QUERY,
  ORDERS_PAGE_SIZE,
  ORDERS_QUERY,
  SET_QUANTITIES_MUTATION,
  variantCost,
  VARIANTS_QUERY_BASE_COST,
  VARIANTS_QUERY,
} from "./queries.ts";

// Shopify as a ChannelAdapter, through the app's own `admin.graphql` only: the adapter never builds a
// URL or reads the environment (tests point the SDK at the sandbox, production at the shop). It maps
// wire ⇄ contract and classifies failures; what to push and when is the services' business.

export type ShopifyAdapterOptions = {
  graphql: AdminGraphql;
  /** Orders per page (each may cost up to 279 points; 3 keeps a page under Shopify's 1,000 limit). */
  ordersPageSize?: number;
  /** Largest variants page; the effective size also keeps the query under 1,000 points. */
  maxVariantsPageSize?: number;
  /** Quantities per inventorySetQuantities call. */
  pushBatchSize?: number;
  /** Downloads the bulk result file (a signed storage URL in production). */
  fetch?: typeof fetch;
};

export type ShopifyLocation = { id: string; name: string; isActive: boolean; fulfillsOnlineOrders: boolean };

export type BulkImportOptions = { pollIntervalMs?: number; timeoutMs?: number; signal?: AbortSignal };

export interface ShopifyChannelAdapter extends ChannelAdapter {
  locations(): Promise<ShopifyLocation[]>;
  /** The current version of the order a fulfillment order belongs to; null when Shopify has neither. */
  orderOfFulfillmentOrder(fulfillmentOrderId: string): Promise<ChannelOrder | null>;
  /** The whole catalogue's stock through one bulk query operation (large shops). */
  runBulkStockImport(options?: BulkImportOptions): Promise<ChannelStockLevel[]>;
}

type PageInfo = { hasNextPage: boolean; endCursor: string | null };
type UserError = { field: string[] | null; message: string; code: string | null };

export function createShopifyAdapter(options: ShopifyAdapterOptions): ShopifyChannelAdapter {
  const { graphql } = options;
  const ordersPageSize = options.ordersPageSize ?? ORDERS_PAGE_SIZE;
  const maxVariantsPageSize = Math.min(250, options.maxVariantsPageSize ?? 250);
  const pushBatchSize = Math.min(250, options.pushBatchSize ?? 100);
  const download = options.fetch ?? fetch;

  async function readLocations(): Promise<{ nodes: ShopifyLocation[]; cost: QueryCost | null }> {
    const { data, cost } = await adminRequest<{ locations: { nodes: ShopifyLocation[] } }>(graphql, LOCATIONS_QUERY);
    return { nodes: data.locations.nodes, cost };
  }

  async function locations(): Promise<ShopifyLocation[]> {
    return (await readLocations()).nodes;
  }

  async function remainingLines(orderId: string, after: string | null): Promise<WireLineItem[]> {
    const lines: WireLineItem[] = [];
    let cursor = after;
    while (cursor) {
      const { data } = await adminRequest<{ order: { lineItems: { nodes: WireLineItem[]; pageInfo: PageInfo } } | null }>(graphql, ORDER_LINES_QUERY, { id: orderId, after: cursor });
      if (!data.order) break;
      lines.push(...data.order.lineItems.nodes);
      cursor = data.order.lineItems.pageInfo.hasNextPage ? data.order.lineItems.pageInfo.endCursor : null;
    }
    return lines;
  }

  /** Every fulfillment order of an order, each with all its lines, from what the orders page held. */
  async function allFulfillmentOrders(order: WireOrder): Promise<WireFulfillmentOrder[]> {
    const fulfillmentOrders = [...(order.fulfillmentOrders?.nodes ?? [])];
    let after = order.fulfillmentOrders?.pageInfo?.hasNextPage ? order.fulfillmentOrders.pageInfo.endCursor : null;
    while (after) {
      const { data }: { data: { order: { fulfillmentOrders: { nodes: WireFulfillmentOrder[]; pageInfo: PageInfo } } | null } } = await adminRequest(graphql, ORDER_FULFILLMENT_ORDERS_QUERY, { id: order.id, after });
      if (!data.order) break;
      fulfillmentOrders.push(...data.order.fulfillmentOrders.nodes);
      after = data.order.fulfillmentOrders.pageInfo.hasNextPage ? data.order.fulfillmentOrders.pageInfo.endCursor : null;
    }
    const complete: WireFulfillmentOrder[] = [];
    for (const fulfillmentOrder of fulfillmentOrders) {
      const lines = [...fulfillmentOrder.lineItems.nodes];
      let lineCursor = fulfillmentOrder.lineItems.pageInfo?.hasNextPage ? fulfillmentOrder.lineItems.pageInfo.endCursor : null;
      while (lineCursor) {
        const { data }: { data: { fulfillmentOrder: { lineItems: { nodes: WireFulfillmentOrderLine[]; pageInfo: PageInfo } } | null } } = await adminRequest(graphql, FULFILLMENT_ORDER_LINES_QUERY, { id: fulfillmentOrder.id, after: lineCursor });
        if (!data.fulfillmentOrder) break;
        lines.push(...data.fulfillmentOrder.lineItems.nodes);
        lineCursor = data.fulfillmentOrder.lineItems.pageInfo.hasNextPage ? data.fulfillmentOrder.lineItems.pageInfo.endCursor : null;
      }
      complete.push({ ...fulfillmentOrder, lineItems: { nodes: lines } });
    }
    return complete;
  }

  /** An order with every line and fulfillment order, whatever did not fit its first read. */
  async function completeOrder(wire: WireOrder): Promise<ChannelOrder> {
    const more = wire.lineItems.pageInfo?.hasNextPage ? await remainingLines(wire.id, wire.lineItems.pageInfo.endCursor) : [];
    return mapOrder(wire, [...wire.lineItems.nodes, ...more], await allFulfillmentOrders(wire));
  }

  async function orderOfFulfillmentOrder(fulfillmentOrderId: string): Promise<ChannelOrder | null> {
    const { data } = await adminRequest<{ fulfillmentOrder: { order: WireOrder | null } | null }>(graphql, FULFILLMENT_ORDER_ORDER_QUERY, { id: fulfillmentOrderId });
    const wire = data.fulfillmentOrder?.order;
    return wire ? completeOrder(wire) : null;
  }

  async function pullOrders(cursor: string | null): Promise<OrderPage> {
    let state;
    try {
      state = decodeOrderCursor(cursor);
    } catch (error) {
      throw new ChannelError("SHOPIFY", "invalid", error instanceof Error ? error.message : String(error));
    }
    const { data } = await adminRequest<{ orders: { nodes: WireOrder[]; pageInfo: PageInfo } }>(graphql, ORDERS_QUERY, {
      first: ordersPageSize,
      after: state.after,
      query: searchQueryFor(state),
    });
    const orders = [];
    for (const wire of data.orders.nodes) orders.push(await completeOrder(wire));
    const next = advanceOrderCursor(state, orders, data.orders.pageInfo);
    return { orders: next.orders, cursor: encodeOrderCursor(next.state), done: next.done };
  }

  // A page costs up to a whole bucket, and a throttled page fails the pull, whose retry starts again at
  // page one. Unpaced, a pull of more pages than the bucket holds never finished, and neither did one whose
  // first page met a bucket the job's own order sync had just dipped into (the retry waited exactly long
  // enough for the page, then the order sync took its points again: the demo's 15-minute repair was
  // throttled 25 times in 100 s). So every page, the first included, waits until the bucket Shopify last
  // reported (after the locations query, then after each page) holds the page's points; the time spent
  // writing a page counts towards it.
  async function* pullStock(): AsyncIterable<ChannelStockLevel[]> {
    const { nodes, cost: afterLocations } = await readLocations();
    const levels = Math.max(1, nodes.filter((location) => location.isActive).length);
    const first = Math.max(1, Math.min(maxVariantsPageSize, Math.floor((1000 - VARIANTS_QUERY_BASE_COST) / variantCost(levels))));
    const pageCost = VARIANTS_QUERY_BASE_COST + first * variantCost(levels);
    let readyAt = Date.now() + (afterLocations ? throttleWait(afterLocations, pageCost) : 0);
    let after: string | null = null;
    do {
      await delay(Math.max(0, readyAt - Date.now()));
      const { data, cost }: { data: { productVariants: { nodes: WireVariant[]; pageInfo: PageInfo } }; cost: QueryCost | null } = await adminRequest(graphql, VARIANTS_QUERY, { first, after, levels });
      readyAt = Date.now() + (cost ? throttleWait(cost, pageCost) : 0);
      yield data.productVariants.nodes.flatMap((variant) => mapVariantLevels(variant));
      after = data.productVariants.pageInfo.hasNextPage ? data.productVariants.pageInfo.endCursor : null;
    } while (after);
  }

  async function runBulkStockImport(bulkOptions: BulkImportOptions = {}): Promise<ChannelStockLevel[]> {
    const pollIntervalMs = bulkOptions.pollIntervalMs ?? 1000;
    const deadline = Date.now() + (bulkOptions.timeoutMs ?? 30 * 60_000);
    const { data } = await adminRequest<{ bulkOperationRunQuery: { bulkOperation: { id: string; status: string } | null; userErrors: UserError[] } }>(graphql, BULK_RUN_MUTATION, { query: BULK_STOCK_INNER_QUERY });
    const run = data.bulkOperationRunQuery;
    if (!run.bulkOperation) {
      const busy = run.userErrors.some((error) => error.code === "OPERATION_IN_PROGRESS");
      throw new ChannelError("SHOPIFY", busy ? "unavailable" : "invalid", `Shopify refused the bulk query: ${run.userErrors.map((e) => e.message).join("; ")}`);
    }
    for (;;) {
      const { data: status } = await adminRequest<{ bulkOperation: { status: string; errorCode: string | null; url: string | null } | null }>(graphql, BULK_STATUS_QUERY, { id: run.bulkOperation.id });
      const operation = status.bulkOperation;
      if (!operation) throw new ChannelError("SHOPIFY", "unavailable", "The bulk operation disappeared");
      if (operation.status === "COMPLETED") {
        if (!operation.url) return []; // nothing matched
        return mapBulkStockLines(await downloadJsonl(download, operation.url));
      }
      if (operation.status !== "CREATED" && operation.status !== "RUNNING") {
        throw new ChannelError("SHOPIFY", "unavailable", `The bulk operation ended ${operation.status}${operation.errorCode ? ` (${operation.errorCode})` : ""}`);
      }
      if (Date.now() > deadline) throw new ChannelError("SHOPIFY", "unavailable", "The bulk operation did not finish in time");
      await delay(pollIntervalMs, bulkOptions.signal);
    }
  }

  async function readAvailable(push: StockPush): Promise<number | null> {
    const { data } = await adminRequest<{ inventoryItem: { inventoryLevel: { quantities: Array<{ name: string; quantity: number }> } | null } | null }>(graphql, LEVEL_QUERY, {
      itemId: push.itemExternalId,
      locationId: push.locationExternalId,
    });
    return data.inventoryItem?.inventoryLevel?.quantities.find((q) => q.name === "available")?.quantity ?? null;
  }

  /**
   * One batch is applied entirely or not at all by Shopify. When some quantities are refused, those get
   * their result and the rest go again as a smaller batch (with the key of that smaller batch).
   */
  async function pushBatch(batch: StockPush[], results: Map<StockPush, StockPushResult>): Promise<void> {
    let pending = batch;
    while (pending.length > 0) {
      const { data } = await adminRequest<{ inventorySetQuantities: { inventoryAdjustmentGroup: { changes: Array<{ quantityAfterChange: number | null; item: { id: string } | null; location: { id: string } | null }> } | null; userErrors: UserError[] } }>(
        graphql,
        SET_QUANTITIES_MUTATION,
        {
          key: batchKey(pending),
          input: {
            name: "available",
            reason: "correction",
            quantities: pending.map((push) => ({
              inventoryItemId: push.itemExternalId,
              locationId: push.locationExternalId,
              quantity: push.quantity,
              // Always explicit: an Int compares-and-sets, null deliberately skips the check.
              changeFromQuantity: push.expectedQuantity,
            })),
          },
        },
      );
      const payload = data.inventorySetQuantities;
      if (payload.userErrors.length === 0) {
        const changes = payload.inventoryAdjustmentGroup?.changes ?? [];
        for (const push of pending) {
          const change = changes.find((c) => c.item?.id === push.itemExternalId && c.location?.id === push.locationExternalId);
          results.set(push, { listingExternalId: push.listingExternalId, status: "applied", quantity: change?.quantityAfterChange ?? push.quantity });
        }
        return;
      }
      const failed = new Set<StockPush>();
      for (const error of payload.userErrors) {
        const index = Number(error.field?.[2]);
        const targets = error.field?.[1] === "quantities" && Number.isInteger(index) && pending[index] ? [pending[index]] : pending;
        for (const push of targets) {
          if (failed.has(push)) continue;
          failed.add(push);
          results.set(
            push,
            error.code === "CHANGE_FROM_QUANTITY_STALE"
              ? { listingExternalId: push.listingExternalId, status: "stale", actualQuantity: await readAvailable(push) }
              : { listingExternalId: push.listingExternalId, status: "rejected", message: `${error.code ?? "ERROR"}: ${error.message}` },
          );
        }
      }
      pending = pending.filter((push) => !failed.has(push));
    }
  }

  async function pushStock(pushes: StockPush[]): Promise<StockPushResult[]> {
    const results = new Map<StockPush, StockPushResult>();
    const sendable: StockPush[] = [];
    for (const push of pushes) {
      if (!push.itemExternalId || !push.locationExternalId) {
        results.set(push, { listingExternalId: push.listingExternalId, status: "rejected", message: "Shopify needs the inventory item and the location to set a quantity" });
      } else sendable.push(push);
    }
    for (let start = 0; start < sendable.length; start += pushBatchSize) await pushBatch(sendable.slice(start, start + pushBatchSize), results);
    return pushes.map((push) => results.get(push)!);
  }

  return { channel: "SHOPIFY", pullOrders, pullStock, pushStock, locations, orderOfFulfillmentOrder, runBulkStockImport };
}

/**
 * One idempotency key per request: a single push keeps its own key; a batch gets a key derived from its
 * members' keys, so retrying the same batch replays it and a different batch never collides with it.
 */
export function batchKey(pushes: StockPush[]): string {
  if (pushes.length === 1) return pushes[0]!.idempotencyKey;
  return `batch-${createHash("sha256").update(pushes.map((push) => push.idempotencyKey).join("\n")).digest("hex").slice(0, 40)}`;
}

async function downloadJsonl(download: typeof fetch, url: string): Promise<Array<Record<string, unknown>>> {
  let response: Response;
  try {
    response = await download(url);
  } catch (error) {
    throw new ChannelError("SHOPIFY", "unavailable", `Could not download the bulk result: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (!response.ok) throw new ChannelError("SHOPIFY", "unavailable", `Bulk result download answered ${response.status}`, { status: response.status });
  const text = await response.text();
  return text
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => (clearTimeout(timer), reject(signal.reason)), { once: true });
  });
}
