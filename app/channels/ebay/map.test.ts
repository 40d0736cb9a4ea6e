import { describe, expect, it } from "vitest";
import type { StockPush } from "../channel.ts";
import { ChannelError } from "../errors.ts";
import { classifyEbayError, isRevisionLimit } from "./errors.ts";
import { batchPushes, decodeEbayCursor, encodeEbayCursor, lastModifiedFilter, mapBulkResponses, mapEbayOrder, mapEbayStock, priceQuantityRequest } from "./map.ts";

const push = (sku: string, quantity = 1): StockPush => ({ listingExternalId: sku, itemExternalId: null, sku, locationExternalId: null, quantity, expectedQuantity: null, idempotencyKey: `k-${sku}` });

const order = {
  orderId: "12-34567-89012",
  creationDate: "2026-11-20T10:00:00.000Z",
  lastModifiedDate: "2026-11-20T11:00:00.000Z",
  orderFulfillmentStatus: "NOT_STARTED",
  orderPaymentStatus: "PAID",
  cancelStatus: { cancelState: "NONE_REQUESTED", cancelRequests: [] },
  pricingSummary: { total: { value: "39.98", currency: "USD" } },
  lineItems: [{ lineItemId: "L1", sku: "E-1", quantity: 2, lineItemCost: { value: "39.98", currency: "USD" }, lineItemFulfillmentStatus: "NOT_STARTED" }],
};

describe("eBay orders mapping", () => {
  it("maps an open order with its unit price and committed units", () => {
    const mapped = mapEbayOrder(order);
    expect(mapped).toMatchObject({ externalId: order.orderId, placedAt: order.creationDate, updatedAt: order.lastModifiedDate, currency: "USD", financialStatus: "PAID", cancelledAt: null });
    expect(mapped.lines[0]).toMatchObject({ sku: "E-1", quantity: 2, unshippedQuantity: 2, cancelledQuantity: 0, unitPrice: "19.99" });
  });

  it("maps a cancelled order: lines cancelled in full, cancellation time from the request", () => {
    const mapped = mapEbayOrder({ ...order, cancelStatus: { cancelState: "CANCELED", cancelRequests: [{ cancelRequestedDate: "2026-11-20T10:30:00.000Z" }] } });
    expect(mapped.cancelledAt).toBe("2026-11-20T10:30:00.000Z");
    expect(mapped.lines[0]).toMatchObject({ cancelledQuantity: 2, unshippedQuantity: 0 });
  });

  it("maps a shipped line as no longer committed", () => {
    const line = { ...order.lineItems[0]!, lineItemFulfillmentStatus: "FULFILLED" };
    expect(mapEbayOrder({ ...order, lineItems: [line] }).lines[0]).toMatchObject({ unshippedQuantity: 0, cancelledQuantity: 0 });
  });

  it("derives refunded units from line refund amounts: the full line, whole units, never goodwill credits", () => {
    const shipped = { ...order.lineItems[0]!, lineItemFulfillmentStatus: "FULFILLED" };
    const refund = (value: string) => ({ amount: { value, currency: "USD" }, refundDate: "2026-11-21T10:00:00.000Z", refundId: `R${value}` });
    const lineWith = (...values: string[]) => mapEbayOrder({ ...order, orderPaymentStatus: "PARTIALLY_REFUNDED", lineItems: [{ ...shipped, refunds: values.map(refund) }] }).lines[0];
    expect(lineWith("39.98")).toMatchObject({ refundedQuantity: 2, unshippedQuantity: 0, cancelledQuantity: 0 });
    expect(lineWith("19.99")).toMatchObject({ refundedQuantity: 1 });
    // Two refunds of one unit each add up.
    expect(lineWith("19.99", "19.99")).toMatchObject({ refundedQuantity: 2 });
    // Less than one unit's price (a goodwill credit or shipping refund) returns no units.
    expect(lineWith("5.00")).toMatchObject({ refundedQuantity: 0 });
    // More than the line (shipping or tax refunded with it) is capped at the line's quantity.
    expect(lineWith("45.00")).toMatchObject({ refundedQuantity: 2 });
    // A refund in another currency cannot be compared with the line's cost: ignored.
    expect(mapEbayOrder({ ...order, lineItems: [{ ...shipped, refunds: [{ amount: { value: "39.98", currency: "EUR" } }] }] }).lines[0]?.refundedQuantity).toBe(0);
    expect(mapEbayOrder(order).lines[0]?.refundedQuantity).toBe(0);
  });

  it("counts units refunded before shipment out of the committed units, and never refunds a cancelled line twice", () => {
    const refunds = [{ amount: { value: "19.99", currency: "USD" } }];
    expect(mapEbayOrder({ ...order, lineItems: [{ ...order.lineItems[0]!, refunds }] }).lines[0]).toMatchObject({ refundedQuantity: 1, unshippedQuantity: 1 });
    const cancelled = mapEbayOrder({
      ...order,
      cancelStatus: { cancelState: "CANCELED", cancelRequests: [] },
      lineItems: [{ ...order.lineItems[0]!, refunds: [{ amount: { value: "39.98", currency: "USD" } }] }],
    });
    expect(cancelled.lines[0]).toMatchObject({ cancelledQuantity: 2, refundedQuantity: 0, unshippedQuantity: 0 });
  });

  it("round-trips the cursor, refuses foreign ones and builds the millisecond filter", () => {
    expect(decodeEbayCursor(encodeEbayCursor({ since: "2026-11-20T00:00:00Z", offset: 50, high: "2026-11-21T00:00:00Z" }))).toEqual({ since: "2026-11-20T00:00:00Z", offset: 50, high: "2026-11-21T00:00:00Z" });
    expect(() => decodeEbayCursor("nope")).toThrow(ChannelError);
    expect(lastModifiedFilter("2026-11-20T00:00:00Z")).toBe("lastmodifieddate:[2026-11-20T00:00:00.000Z..]");
  });
});

describe("eBay stock and pushes", () => {
  it("reports the smaller of ship-to-home and offer quantity as available", () => {
    const item = { sku: "E-1", product: { title: "T", upc: ["0123"] }, availability: { shipToLocationAvailability: { quantity: 5 } } };
    expect(mapEbayStock(item, { offerId: "9", sku: "E-1", availableQuantity: 3 })).toMatchObject({ available: 3, onHand: 5, itemExternalId: "9", barcode: "0123", fulfilledByChannel: false });
    expect(mapEbayStock(item, undefined)).toMatchObject({ available: 5, itemExternalId: null });
  });

  it("batches ≤ 25 per call and never repeats a SKU inside one call", () => {
    const batches = batchPushes([...Array.from({ length: 30 }, (_, i) => push(`S${i}`)), push("S29", 2)]);
    expect(batches.map((b) => b.length)).toEqual([25, 5, 1]);
    expect(batchPushes([push("A"), push("A", 2), push("B")]).map((b) => b.map((p) => p.quantity))).toEqual([[1], [2, 1]]);
  });

  it("sets both the item quantity and each offer's availableQuantity", () => {
    expect(priceQuantityRequest(push("E-1", 4), ["9", "10"])).toEqual({
      sku: "E-1",
      shipToLocationAvailability: { quantity: 4 },
      offers: [{ offerId: "9", availableQuantity: 4 }, { offerId: "10", availableQuantity: 4 }],
    });
    expect(priceQuantityRequest(push("E-1", 4), [])).toEqual({ sku: "E-1", shipToLocationAvailability: { quantity: 4 } });
  });

  it("reads 207 entries per SKU, naming the revision limit when that is the cause", () => {
    const results = mapBulkResponses([push("A", 1), push("B", 2), push("C", 3)], [
      { statusCode: 200, sku: "A", offerId: "1" },
      { statusCode: 404, sku: "B", errors: [{ errorId: 25702, message: "SKU B is not available in the system." }] },
      { statusCode: 400, sku: "C", offerId: "3", errors: [{ errorId: 25002, message: "A user error has occurred. You have reached the maximum number of revisions (250) allowed for this listing today." }] },
    ]);
    expect(results[0]).toEqual({ listingExternalId: "A", status: "applied", quantity: 1 });
    expect(results[1]).toMatchObject({ status: "rejected", message: expect.stringContaining("25702") });
    expect(results[2]).toMatchObject({ status: "rejected", message: expect.stringContaining("daily revision limit") });
    expect(isRevisionLimit({ message: "Invalid quantity" })).toBe(false);
  });
});

describe("eBay error classification", () => {
  const thrown = (status: number | undefined, url = "https://api.ebay.com/sell/inventory/v1/offer", message = "x") => ({ message, meta: { res: status === undefined ? undefined : { status, headers: {} }, req: { url } } });

  it("maps by HTTP status, with refused refreshes as auth", () => {
    expect(classifyEbayError("op", thrown(429), 1234)).toMatchObject({ kind: "rate_limited", retryAfterMs: 1234 });
    expect(classifyEbayError("op", thrown(401)).kind).toBe("auth");
    expect(classifyEbayError("op", thrown(400, "https://api.ebay.com/identity/v1/oauth2/token", "invalid_grant")).kind).toBe("auth");
    expect(classifyEbayError("op", thrown(400)).kind).toBe("invalid");
    expect(classifyEbayError("op", thrown(503)).kind).toBe("unavailable");
    expect(classifyEbayError("op", thrown(undefined, "", "timeout of 30000ms exceeded")).kind).toBe("unavailable");
  });
});
