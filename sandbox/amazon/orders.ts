import type { AmazonOrder } from "./state.ts";
import { decodeToken, encodeToken, invalidInput, isIsoDate, list, spError, type AmazonReply, type AmazonRequest } from "./wire.ts";

// Orders API: v0 getOrders / getOrderItems (what amazon-sp-api calls by default) and 2026-01-01
// searchOrders (the successor; v0 is deprecated, to be migrated by 2027-03-27).
//
// Pagination tokens are keysets (sort key + order id of the last order returned), not offsets, so an
// order updated while a client pages moves to the end of the walk instead of shifting later pages and
// being skipped.

type OrdersFilter = { by: "LastUpdateDate" | "PurchaseDate"; after: string; statuses: string[]; channels: string[]; size: number };
type OrdersToken = { f: OrdersFilter; k: [string, string] };

export function getOrders(req: AmazonRequest): AmazonReply {
  const { query, state } = req;
  const marketplaceIds = list(query, "MarketplaceIds");
  if (marketplaceIds.length === 0) return invalidInput("Missing required 'MarketplaceIds' parameter.");
  if (!marketplaceIds.includes(state.marketplaceId)) return invalidInput(`Invalid MarketplaceIds: ${marketplaceIds.join(",")}`);

  let filter: OrdersFilter;
  let after: [string, string] | null = null;
  const nextToken = query.get("NextToken");
  if (nextToken) {
    // As on Amazon, a NextToken carries the original filter; the other filter parameters are ignored.
    const token = decodeToken<OrdersToken>(nextToken);
    if (!token) return invalidInput("Invalid NextToken.");
    filter = token.f;
    after = token.k;
  } else {
    const updatedAfter = query.get("LastUpdatedAfter");
    const createdAfter = query.get("CreatedAfter");
    if ((updatedAfter === null) === (createdAfter === null)) return invalidInput("Exactly one of CreatedAfter or LastUpdatedAfter must be specified.");
    const value = updatedAfter ?? createdAfter;
    if (!isIsoDate(value)) return invalidInput(`Invalid date: ${String(value)}`);
    const size = Number(query.get("MaxResultsPerPage") ?? state.ordersPageSize);
    if (!Number.isInteger(size) || size < 1 || size > 100) return invalidInput("MaxResultsPerPage must be between 1 and 100.");
    filter = {
      by: updatedAfter !== null ? "LastUpdateDate" : "PurchaseDate",
      after: new Date(value).toISOString(),
      statuses: list(query, "OrderStatuses"),
      channels: list(query, "FulfillmentChannels"),
      size: Math.min(size, state.ordersPageSize),
    };
  }

  const selected = selectOrders([...state.orders.values()], filter, after);
  const page = selected.slice(0, filter.size);
  const payload: Record<string, unknown> = { Orders: page.map(orderWire) };
  const last = page.at(-1);
  if (selected.length > page.length && last) payload.NextToken = encodeToken({ f: filter, k: [last[filter.by], last.AmazonOrderId] } satisfies OrdersToken);
  if (filter.by === "LastUpdateDate") payload.LastUpdatedBefore = state.timestamp();
  else payload.CreatedBefore = state.timestamp();
  return { status: 200, json: { payload } };
}

function selectOrders(orders: AmazonOrder[], filter: OrdersFilter, after: [string, string] | null): AmazonOrder[] {
  const since = Date.parse(filter.after);
  return orders
    .filter((order) => Date.parse(order[filter.by]) >= since)
    .filter((order) => filter.statuses.length === 0 || filter.statuses.includes(order.OrderStatus))
    .filter((order) => filter.channels.length === 0 || filter.channels.includes(order.FulfillmentChannel))
    .sort((a, b) => compareKey([a[filter.by], a.AmazonOrderId], [b[filter.by], b.AmazonOrderId]))
    .filter((order) => after === null || compareKey([order[filter.by], order.AmazonOrderId], after) > 0);
}

function compareKey(a: [string, string], b: [string, string]): number {
  const byTime = Date.parse(a[0]) - Date.parse(b[0]);
  if (byTime !== 0) return byTime;
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

export function orderWire(order: AmazonOrder) {
  const { items, ...wire } = order;
  const shipped = items.reduce((sum, item) => sum + item.QuantityShipped, 0);
  const ordered = items.reduce((sum, item) => sum + item.QuantityOrdered, 0);
  return {
    ...wire,
    NumberOfItemsShipped: shipped,
    NumberOfItemsUnshipped: order.OrderStatus === "Canceled" ? 0 : ordered - shipped,
    MarketplaceId: order.MarketplaceId,
  };
}

/** v0 getOrder: one order, the same shape as in getOrders. */
export function getOrder(req: AmazonRequest, orderId: string): AmazonReply {
  const order = req.state.orders.get(orderId);
  if (!order) return spError(404, "NotFound", `Order ${orderId} not found.`);
  return { status: 200, json: { payload: orderWire(order) } };
}

export function getOrderItems(req: AmazonRequest, orderId: string): AmazonReply {
  const order = req.state.orders.get(orderId);
  if (!order) return spError(404, "NotFound", `Order ${orderId} not found.`);
  const nextToken = req.query.get("NextToken");
  const start = nextToken ? (decodeToken<{ o: number }>(nextToken)?.o ?? -1) : 0;
  if (start < 0) return invalidInput("Invalid NextToken.");
  const size = req.state.orderItemsPageSize;
  const page = order.items.slice(start, start + size);
  const payload: Record<string, unknown> = { AmazonOrderId: order.AmazonOrderId, OrderItems: page };
  if (start + size < order.items.length) payload.NextToken = encodeToken({ o: start + size });
  return { status: 200, json: { payload } };
}

const FULFILLMENT_STATUS: Record<AmazonOrder["OrderStatus"], string> = {
  Pending: "PENDING",
  Unshipped: "UNSHIPPED",
  PartiallyShipped: "PARTIALLY_SHIPPED",
  Shipped: "SHIPPED",
  Canceled: "CANCELLED",
  Unfulfillable: "UNFULFILLABLE",
};

/** 2026-01-01 searchOrders: camelCase, items inline, no payload wrapper, pagination.nextToken. */
export function searchOrders(req: AmazonRequest): AmazonReply {
  const { query, state } = req;
  const marketplaceIds = list(query, "marketplaceIds");
  if (marketplaceIds.length === 0) return invalidInput("Missing required 'marketplaceIds' parameter.");
  let filter: OrdersFilter;
  let after: [string, string] | null = null;
  const paginationToken = query.get("paginationToken");
  if (paginationToken) {
    const token = decodeToken<OrdersToken>(paginationToken);
    if (!token) return invalidInput("Invalid paginationToken.");
    filter = token.f;
    after = token.k;
  } else {
    const updatedAfter = query.get("lastUpdatedAfter");
    const createdAfter = query.get("createdAfter");
    if ((updatedAfter === null) === (createdAfter === null)) return invalidInput("Exactly one of createdAfter or lastUpdatedAfter must be specified.");
    const value = updatedAfter ?? createdAfter;
    if (!isIsoDate(value)) return invalidInput(`Invalid date: ${String(value)}`);
    const fulfilledBy = list(query, "fulfilledBy");
    filter = {
      by: updatedAfter !== null ? "LastUpdateDate" : "PurchaseDate",
      after: new Date(value).toISOString(),
      statuses: [],
      channels: fulfilledBy.map((value) => (value === "AMAZON" ? "AFN" : "MFN")),
      size: Math.min(Number(query.get("maxResultsPerPage") ?? state.ordersPageSize), state.ordersPageSize),
    };
  }
  const selected = selectOrders([...state.orders.values()], filter, after);
  const page = selected.slice(0, filter.size);
  const last = page.at(-1);
  return {
    status: 200,
    json: {
      orders: page.map((order) => ({
        orderId: order.AmazonOrderId,
        createdTime: order.PurchaseDate,
        lastUpdatedTime: order.LastUpdateDate,
        salesChannel: { channelName: "AMAZON", marketplaceId: order.MarketplaceId },
        fulfillment: { fulfillmentStatus: FULFILLMENT_STATUS[order.OrderStatus], fulfilledBy: order.FulfillmentChannel === "AFN" ? "AMAZON" : "MERCHANT" },
        orderItems: order.items.map((item) => ({
          orderItemId: item.OrderItemId,
          quantityOrdered: item.QuantityOrdered,
          quantityShipped: item.QuantityShipped,
          product: { sellerSku: item.SellerSKU, asin: item.ASIN, title: item.Title },
          ...(item.ItemPrice ? { itemPrice: { currencyCode: item.ItemPrice.CurrencyCode, amount: item.ItemPrice.Amount } } : {}),
        })),
      })),
      pagination: selected.length > page.length && last ? { nextToken: encodeToken({ f: filter, k: [last[filter.by], last.AmazonOrderId] } satisfies OrdersToken) } : {},
    },
  };
}
