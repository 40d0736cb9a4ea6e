import { describe, expect, it } from "vitest";
import type { StockPush } from "../channel.ts";
import { ChannelError } from "../errors.ts";
import { classifySpApiResponse, classifyThrown, isExpiredAccessToken, retryAfterMs } from "./errors.ts";
import {
  buildListingsFeed,
  decodeOrdersCursor,
  encodeOrdersCursor,
  mapFbaSummary,
  mapFeedReport,
  mapMerchantListing,
  mapOrder,
  mapPatchResponse,
  refundedByItem,
  refundedOrderIds,
  refusePush,
  unitPrice,
} from "./map.ts";

const push = (sku: string, quantity: number, locationExternalId: string | null = "DEFAULT"): StockPush => ({
  listingExternalId: sku,
  itemExternalId: null,
  sku,
  locationExternalId,
  quantity,
  expectedQuantity: null,
  idempotencyKey: `k-${sku}`,
});

describe("Amazon orders mapping", () => {
  const order = { AmazonOrderId: "111-1", PurchaseDate: "2026-11-20T10:00:00Z", LastUpdateDate: "2026-11-21T08:00:00Z", OrderStatus: "Unshipped", FulfillmentChannel: "MFN" as const, OrderTotal: { CurrencyCode: "USD", Amount: "29.97" } };
  const items = [
    { OrderItemId: "OI1", SellerSKU: "A", ASIN: "B01", QuantityOrdered: 3, QuantityShipped: 1, ItemPrice: { CurrencyCode: "USD", Amount: "29.97" } },
    { OrderItemId: "OI2", SellerSKU: "B", QuantityOrdered: 1 },
  ];

  it("fills refundedQuantity from Finances RefundEventList (per OrderItemId, summed, deduplicated) and dates the version at the newest refund", () => {
    const shipped = { ...order, OrderStatus: "Shipped" };
    const shippedItems = items.map((item) => ({ ...item, QuantityShipped: item.QuantityOrdered }));
    const refunds = [
      { AmazonOrderId: "111-1", PostedDate: "2026-11-22T09:00:00Z", ShipmentItemAdjustmentList: [{ SellerSKU: "A", OrderItemId: "OI1", OrderAdjustmentItemId: "ADJ1", QuantityShipped: 1 }] },
      // A second refund of the same line, and the first one listed again (overlapping pages): counted once.
      { AmazonOrderId: "111-1", PostedDate: "2026-11-23T09:00:00Z", ShipmentItemAdjustmentList: [{ SellerSKU: "A", OrderItemId: "OI1", OrderAdjustmentItemId: "ADJ2", QuantityShipped: 1 }] },
      { AmazonOrderId: "111-1", PostedDate: "2026-11-22T09:00:00Z", ShipmentItemAdjustmentList: [{ SellerSKU: "A", OrderItemId: "OI1", OrderAdjustmentItemId: "ADJ1", QuantityShipped: 1 }] },
    ];
    const mapped = mapOrder(shipped, shippedItems, "na", refunds);
    expect(mapped.updatedAt).toBe("2026-11-23T09:00:00Z");
    expect(mapped.lines.map((l) => [l.externalLineId, l.refundedQuantity, l.unshippedQuantity])).toEqual([["OI1", 2, 0], ["OI2", 0, 0]]);
    // Without refunds the version is the order's own LastUpdateDate.
    expect(mapOrder(shipped, shippedItems, "na").updatedAt).toBe(order.LastUpdateDate);
  });

  it("matches by SellerSKU when an adjustment has no OrderItemId, and never refunds more than the units not cancelled", () => {
    expect(refundedByItem([{ ShipmentItemAdjustmentList: [{ SellerSKU: "B", QuantityShipped: 1 }] }])).toEqual(new Map([["sku:B", 1]]));
    expect(mapOrder({ ...order, OrderStatus: "Shipped" }, items, "na", [{ ShipmentItemAdjustmentList: [{ SellerSKU: "B", QuantityShipped: 1 }] }]).lines[1]?.refundedQuantity).toBe(1);
    // Canceled with one of three units shipped: two cancelled, at most one refundable.
    const cancelled = mapOrder({ ...order, OrderStatus: "Canceled" }, items, "na", [{ ShipmentItemAdjustmentList: [{ OrderItemId: "OI1", QuantityShipped: 3 }] }]);
    expect(cancelled.lines[0]).toMatchObject({ cancelledQuantity: 2, refundedQuantity: 1, unshippedQuantity: 0 });
    expect(refundedOrderIds([{ AmazonOrderId: "2" }, { AmazonOrderId: "1" }, { AmazonOrderId: "2" }, {}])).toEqual(["2", "1"]);
  });

  it("maps an open order: unshipped = ordered − shipped, unit price from the line total", () => {
    const mapped = mapOrder(order, items, "na");
    expect(mapped).toMatchObject({ externalId: "111-1", placedAt: order.PurchaseDate, updatedAt: order.LastUpdateDate, cancelledAt: null, currency: "USD", fulfillmentStatus: "Unshipped" });
    expect(mapped.lines[0]).toEqual({
      externalLineId: "OI1",
      sku: "A",
      listingExternalId: "A",
      quantity: 3,
      cancelledQuantity: 0,
      refundedQuantity: 0,
      unshippedQuantity: 2,
      unitPrice: "9.99",
      locationExternalId: "DEFAULT",
    });
    expect(mapped.lines[1]).toMatchObject({ unshippedQuantity: 1, unitPrice: null });
  });

  it("maps a cancellation: what was not shipped is cancelled, nothing stays committed", () => {
    const mapped = mapOrder({ ...order, OrderStatus: "Canceled" }, items, "na");
    expect(mapped.cancelledAt).toBe(order.LastUpdateDate);
    expect(mapped.lines.map((l) => [l.cancelledQuantity, l.unshippedQuantity])).toEqual([[2, 0], [1, 0]]);
  });

  it("puts FBA orders at the Amazon network location", () => {
    expect(mapOrder({ ...order, FulfillmentChannel: "AFN" }, items, "eu").lines[0]?.locationExternalId).toBe("AMAZON_EU");
  });

  it("divides line totals exactly, keeping sub-cent unit prices", () => {
    expect(unitPrice("10.00", 3)).toBe("3.3333");
    expect(unitPrice("0.375", 3)).toBe("0.125");
    expect(unitPrice("12.5", 1)).toBe("12.50");
    expect(unitPrice(undefined, 1)).toBeNull();
  });

  it("round-trips the cursor and refuses foreign ones as invalid", () => {
    const cursor = { since: "2026-11-20T00:00:00Z", nextToken: "abc", high: "2026-11-21T00:00:00Z" };
    expect(decodeOrdersCursor(encodeOrdersCursor(cursor))).toEqual(cursor);
    expect(() => decodeOrdersCursor("garbage")).toThrow(ChannelError);
    const refunds = { since: "2026-11-21T00:00:00Z", phase: "refunds" as const, refundsSince: "2026-11-19T00:00:00Z", refundsToken: "t", refundsHigh: "2026-11-20T00:00:00Z" };
    expect(decodeOrdersCursor(encodeOrdersCursor(refunds))).toEqual(refunds);
    // A cursor stored before the refunds walk existed still decodes (the adapter starts refunds at `since`).
    expect(decodeOrdersCursor(Buffer.from(JSON.stringify({ v: 1, since: "2026-11-20T00:00:00Z" })).toString("base64url"))).toEqual({ since: "2026-11-20T00:00:00Z" });
  });
});

describe("Amazon stock mapping", () => {
  it("reports FBA summaries as fulfilled by the channel", () => {
    expect(mapFbaSummary({ sellerSku: "F", asin: "B0F", totalQuantity: 12, inventoryDetails: { fulfillableQuantity: 9 } }, "na")).toMatchObject({
      listingExternalId: "F",
      locationExternalId: "AMAZON_NA",
      available: 9,
      onHand: 12,
      fulfilledByChannel: true,
    });
  });

  it("reads the merchant quantity from DEFAULT availability and skips FBA listings", () => {
    expect(mapMerchantListing({ sku: "M", fulfillmentAvailability: [{ fulfillmentChannelCode: "DEFAULT", quantity: 4 }] })).toMatchObject({ available: 4, fulfilledByChannel: false });
    expect(mapMerchantListing({ sku: "F", fulfillmentAvailability: [{ fulfillmentChannelCode: "AMAZON_NA", quantity: 4 }] })).toBeNull();
  });
});

describe("Amazon pushes", () => {
  it("refuses FBA locations and impossible quantities before calling Amazon", () => {
    expect(refusePush(push("F", 3, "AMAZON_NA"))).toMatchObject({ status: "rejected" });
    expect(refusePush(push("M", -1))).toMatchObject({ status: "rejected" });
    expect(refusePush(push("M", 2.5))).toMatchObject({ status: "rejected" });
    expect(refusePush(push("M", 0))).toBeNull();
  });

  it("maps ACCEPTED to applied and INVALID to rejected with the issue text", () => {
    expect(mapPatchResponse(push("M", 5), { status: "ACCEPTED", issues: [] })).toEqual({ listingExternalId: "M", status: "applied", quantity: 5 });
    expect(
      mapPatchResponse(push("M", 5), { status: "INVALID", issues: [{ code: "90000900", message: "bad quantity", severity: "ERROR" }, { message: "fyi", severity: "WARNING" }] }),
    ).toEqual({ listingExternalId: "M", status: "rejected", message: "90000900: bad quantity" });
  });

  it("builds one PATCH message per push and reads the report per messageId", () => {
    const pushes = [push("A", 1), push("B", 2), push("C", 3)];
    const feed = buildListingsFeed("SELLER", "PRODUCT", pushes);
    expect(feed.header).toMatchObject({ sellerId: "SELLER", version: "2.0" });
    expect(feed.messages.map((m) => [m.messageId, m.sku, m.patches[0]?.value[0]?.quantity])).toEqual([[1, "A", 1], [2, "B", 2], [3, "C", 3]]);
    const results = mapFeedReport(pushes, { issues: [{ messageId: 2, code: "X", message: "no such sku", severity: "ERROR" }, { messageId: 3, message: "warn", severity: "WARNING" }] });
    expect(results.map((r) => r.status)).toEqual(["applied", "rejected", "applied"]);
  });
});

describe("Amazon error classification", () => {
  it("turns 429 into rate_limited, waiting one token at the advertised rate", () => {
    const error = classifySpApiResponse("orders.getOrders", 429, { "x-amzn-ratelimit-limit": "0.5" }, { errors: [{ code: "QuotaExceeded", message: "quota" }] });
    expect(error).toMatchObject({ kind: "rate_limited", retryAfterMs: 2000, status: 429 });
  });

  it("falls back to the documented rate of the operation, then to one minute", () => {
    expect(retryAfterMs("orders.getOrders", {})).toBe(59_881);
    expect(retryAfterMs("unknown.op", {})).toBe(60_000);
  });

  it("maps auth, invalid and unavailable", () => {
    expect(classifySpApiResponse("x", 403, {}, { errors: [{ code: "Unauthorized" }] }).kind).toBe("auth");
    expect(classifySpApiResponse("x", 400, {}, { errors: [{ code: "InvalidInput" }] }).kind).toBe("invalid");
    expect(classifySpApiResponse("x", 503, {}, {}).kind).toBe("unavailable");
    expect(classifyThrown("x", Object.assign(new Error("bad grant"), { code: "invalid_grant" })).kind).toBe("auth");
    expect(classifyThrown("x", Object.assign(new Error("socket"), { code: "ECONNREFUSED" })).kind).toBe("unavailable");
  });

  it("recognises the expired-token answer the same way amazon-sp-api does", () => {
    const body = { errors: [{ code: "Unauthorized", message: "Access to requested resource is denied.", details: "The access token you provided has expired." }] };
    expect(isExpiredAccessToken(403, body)).toBe(true);
    expect(isExpiredAccessToken(403, { errors: [{ code: "Unauthorized", details: "revoked" }] })).toBe(false);
  });
});
