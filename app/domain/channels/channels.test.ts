import { describe, expect, it } from "vitest";
import { aggregateDemand, demandUnits, lineMovementDelta, restockedUnits, saleMovementKey, shippedNetUnits } from "./order-effects.ts";
import { decideStockPushes, mergeSkuScopes, parseChannelBuffers, quantityDrift, sellableQuantity, type ListingForPush } from "./quantity-policy.ts";

const listing = (overrides: Partial<ListingForPush> = {}): ListingForPush => ({ id: "l1", channel: "AMAZON", skuId: "s1", status: "MAPPED", fulfilledByChannel: false, lastKnownQuantity: null, lastPushedQuantity: null, ...overrides });

describe("quantity policy", () => {
  it("sellable is on hand − committed − buffer, never negative", () => {
    expect(sellableQuantity({ onHand: 10, committed: 3, buffer: 2 })).toBe(5);
    expect(sellableQuantity({ onHand: 2, committed: 3, buffer: 2 })).toBe(0);
    expect(sellableQuantity({ onHand: 5, committed: 0, buffer: -4 })).toBe(5);
  });

  it("reads buffers from settings JSON, ignoring junk", () => {
    expect(parseChannelBuffers({ AMAZON: 2, EBAY: "3", SHOPIFY: -1, OTHER: 9 })).toEqual({ AMAZON: 2, EBAY: 3 });
    expect(parseChannelBuffers(null)).toEqual({});
  });

  it("pushes per channel buffer, skips unmapped, FBA and unchanged listings", () => {
    const positions = new Map([["s1", { onHand: 10, committed: 1 }]]);
    const { pushes, skipped } = decideStockPushes(
      [listing(), listing({ id: "l2", channel: "SHOPIFY", lastKnownQuantity: 4 }), listing({ id: "l3", status: "UNMAPPED", skuId: null }), listing({ id: "l4", fulfilledByChannel: true }), listing({ id: "l5", channel: "EBAY", lastPushedQuantity: 6 })],
      positions,
      { AMAZON: 2, EBAY: 3 },
    );
    expect(pushes).toEqual([
      { listingId: "l1", quantity: 7, expectedQuantity: null },
      { listingId: "l2", quantity: 9, expectedQuantity: 4 },
    ]);
    expect(skipped.map((s) => [s.listingId, s.reason])).toEqual([
      ["l3", "unmapped"],
      ["l4", "fulfilled_by_channel"],
      ["l5", "unchanged"],
    ]);
    expect(decideStockPushes([listing({ id: "l5", channel: "EBAY", lastPushedQuantity: 6 })], positions, { EBAY: 3 }, { force: true }).pushes).toHaveLength(1);
  });

  it("leaves an oversold listing alone while we have nothing to sell, and refills it when we do", () => {
    const empty = new Map([["s1", { onHand: 2, committed: 3 }]]);
    const oversold = listing({ channel: "SHOPIFY", lastKnownQuantity: -4, lastPushedQuantity: 0 });
    expect(decideStockPushes([oversold], empty, {})).toEqual({ pushes: [], skipped: [{ listingId: "l1", reason: "oversold" }] });
    expect(decideStockPushes([oversold], empty, {}, { force: true }).pushes).toEqual([{ listingId: "l1", quantity: 0, expectedQuantity: -4 }]);
    const restocked = new Map([["s1", { onHand: 12, committed: 3 }]]);
    expect(decideStockPushes([oversold], restocked, {}).pushes).toEqual([{ listingId: "l1", quantity: 9, expectedQuantity: -4 }]);
    expect(quantityDrift(-4, 0)).toBe(0);
    expect(quantityDrift(-4, 9)).toBe(-13);
    expect(quantityDrift(3, 0)).toBe(3);
    expect(quantityDrift(null, 0)).toBeNull();
  });

  it("merges push scopes; everything absorbs the rest", () => {
    expect(mergeSkuScopes(["b", "a"], ["a", "c"])).toEqual(["a", "b", "c"]);
    expect(mergeSkuScopes(["a"], undefined)).toBeUndefined();
  });
});

describe("order effects", () => {
  it("only shipped units leave on hand; cancelled and refunded ones do not count as demand", () => {
    const line = { quantity: 5, cancelledQuantity: 1, refundedQuantity: 1, unshippedQuantity: 2 };
    expect(shippedNetUnits(line)).toBe(1);
    expect(demandUnits(line)).toBe(3);
  });

  it("units taken back without a restock stay gone, and never more than were taken back", () => {
    const line = { quantity: 5, cancelledQuantity: 1, refundedQuantity: 1, unshippedQuantity: 2 };
    expect(restockedUnits({ ...line, notRestockedQuantity: 1 })).toBe(1);
    expect(shippedNetUnits({ ...line, notRestockedQuantity: 1 })).toBe(2);
    expect(shippedNetUnits({ ...line, notRestockedQuantity: 9 })).toBe(3);
    expect(demandUnits({ ...line, notRestockedQuantity: 1 })).toBe(3); // demand does not change
  });

  it("posts deltas towards the target: SALE negative, RETURN positive, nothing when there", () => {
    expect(lineMovementDelta(-3, 0)).toEqual({ kind: "SALE", quantity: -3 });
    expect(lineMovementDelta(-1, -3)).toEqual({ kind: "RETURN", quantity: 2 });
    expect(lineMovementDelta(-3, -3)).toBeNull();
    expect(saleMovementKey("SHOPIFY", "gid://shopify/Order/12", "gid://shopify/LineItem/34", 2)).toBe("sale-SHOPIFY-12-34-v2");
  });

  it("aggregates demand per SKU × location × day with revenue in cents, order count and largest order", () => {
    const rows = aggregateDemand([
      { skuId: "s", locationId: "l", orderId: "o1", channel: "SHOPIFY", day: "2026-11-20", units: 2, returnedUnits: 0, unitPrice: 0.1 },
      { skuId: "s", locationId: "l", orderId: "o2", channel: "AMAZON", day: "2026-11-20", units: 3, returnedUnits: 1, unitPrice: 0.2 },
      { skuId: "s", locationId: "l", orderId: "o3", channel: "AMAZON", day: "2026-11-20", units: 0, returnedUnits: 0, unitPrice: 9 },
    ]);
    expect(rows).toEqual([{ skuId: "s", locationId: "l", day: "2026-11-20", units: 5, returnedUnits: 1, revenue: 0.8, orderCount: 2, largestOrderUnits: 3, channelUnits: { SHOPIFY: 2, AMAZON: 3 } }]);
  });
});
