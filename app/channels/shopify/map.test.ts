import { describe, expect, it } from "vitest";
import { fulfillmentLocations, mapBulkStockLines, mapOrder, mapVariantLevels, type WireFulfillmentOrder, type WireOrder, type WireVariant } from "./map.ts";
import { advanceOrderCursor, decodeOrderCursor, encodeOrderCursor, searchQueryFor } from "./order-cursor.ts";

// Fixture payloads in the shapes queries.ts selects (as the Admin API returns them).

const order: WireOrder = {
  id: "gid://shopify/Order/1001",
  name: "#1001",
  createdAt: "2026-11-20T10:00:00Z",
  updatedAt: "2026-11-20T12:00:00Z",
  cancelledAt: null,
  currencyCode: "EUR",
  email: "ana@example.com",
  displayFinancialStatus: "PARTIALLY_REFUNDED",
  displayFulfillmentStatus: "UNFULFILLED",
  lineItems: {
    nodes: [
      { id: "gid://shopify/LineItem/1", sku: "TEE-S", quantity: 3, currentQuantity: 2, unfulfilledQuantity: 2, variant: { id: "gid://shopify/ProductVariant/11" }, originalUnitPriceSet: { shopMoney: { amount: "19.90" } } },
      { id: "gid://shopify/LineItem/2", sku: null, quantity: 1, currentQuantity: 1, unfulfilledQuantity: 0, variant: null, originalUnitPriceSet: null },
    ],
  },
  refunds: [{ createdAt: "2026-11-20T11:00:00Z", refundLineItems: { nodes: [{ quantity: 1, lineItem: { id: "gid://shopify/LineItem/1" } }] } }],
};

const fulfillmentOrder = (location: string | null, lines: Array<[line: string, total: number, remaining?: number]>): WireFulfillmentOrder => ({
  id: `gid://shopify/FulfillmentOrder/${location ?? "none"}`,
  assignedLocation: { location: location === null ? null : { id: `gid://shopify/Location/${location}` } },
  lineItems: { nodes: lines.map(([line, totalQuantity, remainingQuantity]) => ({ totalQuantity, remainingQuantity: remainingQuantity ?? totalQuantity, lineItem: { id: `gid://shopify/LineItem/${line}` } })) },
});
const firstLocations = (byLine: Map<string, Array<{ location: string }>>) => Object.fromEntries([...byLine].map(([line, allocations]) => [line.split("/").pop(), allocations.map((a) => a.location.split("/").pop())]));

describe("fulfillmentLocations", () => {
  it("lists each line's locations, most units first, and names where most of the order goes", () => {
    const { byLine, main } = fulfillmentLocations([
      fulfillmentOrder("A", [["1", 2], ["2", 1]]),
      fulfillmentOrder("B", [["1", 5, 1], ["3", 1]]), // line 1 split 2 / 5
      fulfillmentOrder(null, [["4", 9]]), // a deleted location names nothing
    ]);
    expect(firstLocations(byLine)).toEqual({ 1: ["B", "A"], 2: ["A"], 3: ["B"] });
    expect(byLine.get("gid://shopify/LineItem/1")![0]).toEqual({ location: "gid://shopify/Location/B", units: 5, remaining: 1 });
    expect(main).toBe("gid://shopify/Location/B"); // 6 units against 3
  });

  it("breaks ties by the first fulfillment order", () => {
    const { byLine, main } = fulfillmentLocations([fulfillmentOrder("A", [["1", 0]]), fulfillmentOrder("B", [["1", 0]])]);
    expect(firstLocations(byLine)).toEqual({ 1: ["A", "B"] });
    expect(main).toBe("gid://shopify/Location/A");
  });

  it("names no location without fulfillment orders (the caller books at its default)", () => {
    expect(fulfillmentLocations([])).toEqual({ byLine: new Map(), main: null });
    expect(mapOrder(order).lines.map((line) => line.locationExternalId)).toEqual([null, null]);
    const routed = mapOrder({ ...order, fulfillmentOrders: { nodes: [fulfillmentOrder("B", [["1", 2]])] } });
    expect(routed.lines.map((line) => line.locationExternalId)).toEqual(["gid://shopify/Location/B", "gid://shopify/Location/B"]);
  });
});

describe("mapOrder restocking", () => {
  it("counts refunded units Shopify did not restock, so they stay gone", () => {
    const refunds = [
      { createdAt: "2026-11-20T11:00:00Z", refundLineItems: { nodes: [{ quantity: 1, restocked: false, lineItem: { id: "gid://shopify/LineItem/1" } }] } },
      { createdAt: "2026-11-20T11:30:00Z", refundLineItems: { nodes: [{ quantity: 1, restocked: true, lineItem: { id: "gid://shopify/LineItem/1" } }] } },
    ];
    const [line] = mapOrder({ ...order, refunds, lineItems: { nodes: [{ ...order.lineItems.nodes[0]!, quantity: 3, currentQuantity: 1, unfulfilledQuantity: 0 }] } }).lines;
    expect(line).toMatchObject({ refundedQuantity: 2, notRestockedQuantity: 1 });
  });
});

describe("mapOrder with a line split between locations", () => {
  // Line 1: 3 ordered, 1 refunded; of the 2 left, 1 ships from A (still open) and 1 from B (shipped).
  const split = { ...order, fulfillmentOrders: { nodes: [fulfillmentOrder("A", [["1", 1, 1]]), fulfillmentOrder("B", [["1", 1, 0]])] } };

  it("makes the other location's units a part of their own; the first part keeps the refund", () => {
    const lines = mapOrder({ ...split, lineItems: { nodes: [{ ...order.lineItems.nodes[0]!, unfulfilledQuantity: 1 }] } }).lines;
    expect(lines.map((line) => [line.externalLineId, line.locationExternalId, line.quantity, line.refundedQuantity, line.unshippedQuantity])).toEqual([
      ["gid://shopify/LineItem/1", "gid://shopify/Location/A", 2, 1, 1],
      ["gid://shopify/LineItem/1@gid://shopify/Location/B", "gid://shopify/Location/B", 1, 0, 0],
    ]);
  });

  it("puts a return the first part cannot hold on the part that shipped it", () => {
    // 3 ordered: 2 still open at A, 1 shipped from B and returned.
    const returned = { ...order, refunds: [], fulfillmentOrders: { nodes: [fulfillmentOrder("A", [["1", 2, 2]]), fulfillmentOrder("B", [["1", 1, 0]])] } };
    const lines = mapOrder({ ...returned, lineItems: { nodes: [{ ...order.lineItems.nodes[0]!, quantity: 3, currentQuantity: 2, unfulfilledQuantity: 2 }] } }).lines;
    expect(lines.map((line) => [line.locationExternalId, line.quantity, line.refundedQuantity, line.cancelledQuantity, line.unshippedQuantity])).toEqual([
      ["gid://shopify/Location/A", 2, 0, 0, 2],
      ["gid://shopify/Location/B", 1, 1, 0, 0],
    ]);
  });

  it("keeps a line whole when the fulfillment orders do not add up to it", () => {
    const lines = mapOrder({ ...split, lineItems: { nodes: [{ ...order.lineItems.nodes[0]!, quantity: 1, currentQuantity: 1, unfulfilledQuantity: 0 }] } }).lines;
    expect(lines.map((line) => [line.externalLineId, line.locationExternalId, line.quantity])).toEqual([["gid://shopify/LineItem/1", "gid://shopify/Location/A", 1]]);
  });
});

describe("mapOrder", () => {
  it("maps an order with a partial refund: refunded = ordered − current", () => {
    expect(mapOrder(order)).toEqual({
      externalId: "gid://shopify/Order/1001",
      name: "#1001",
      placedAt: "2026-11-20T10:00:00Z",
      updatedAt: "2026-11-20T12:00:00Z",
      cancelledAt: null,
      currency: "EUR",
      customerEmail: "ana@example.com",
      financialStatus: "PARTIALLY_REFUNDED",
      fulfillmentStatus: "UNFULFILLED",
      lines: [
        { externalLineId: "gid://shopify/LineItem/1", sku: "TEE-S", listingExternalId: "gid://shopify/ProductVariant/11", quantity: 3, cancelledQuantity: 0, refundedQuantity: 1, unshippedQuantity: 2, notRestockedQuantity: 0, restocks: [{ locationExternalId: null, quantity: 1 }], unitPrice: "19.90", locationExternalId: null },
        { externalLineId: "gid://shopify/LineItem/2", sku: null, listingExternalId: null, quantity: 1, cancelledQuantity: 0, refundedQuantity: 0, unshippedQuantity: 0, notRestockedQuantity: 0, unitPrice: null, locationExternalId: null },
      ],
    });
  });

  it("on a cancelled order, counts what the cancellation removed as cancelled and earlier refunds as refunded", () => {
    const cancelled: WireOrder = {
      ...order,
      cancelledAt: "2026-11-20T13:00:00Z",
      lineItems: { nodes: [{ ...order.lineItems.nodes[0]!, currentQuantity: 0, unfulfilledQuantity: 0 }] },
      refunds: [
        ...order.refunds,
        { createdAt: "2026-11-20T13:00:00Z", refundLineItems: { nodes: [{ quantity: 2, lineItem: { id: "gid://shopify/LineItem/1" } }] } },
      ],
    };
    expect(mapOrder(cancelled).lines[0]).toMatchObject({ quantity: 3, refundedQuantity: 1, cancelledQuantity: 2, unshippedQuantity: 0 });
  });
});

describe("stock mapping", () => {
  const variant: WireVariant = {
    id: "gid://shopify/ProductVariant/11",
    sku: "TEE-S",
    barcode: "4006381333931",
    displayName: "Tee - S",
    inventoryItem: {
      id: "gid://shopify/InventoryItem/21",
      tracked: true,
      inventoryLevels: {
        nodes: [
          { location: { id: "gid://shopify/Location/1" }, quantities: [{ name: "available", quantity: 4 }, { name: "on_hand", quantity: 6 }] },
          { location: { id: "gid://shopify/Location/2" }, quantities: [{ name: "available", quantity: -1 }, { name: "on_hand", quantity: 0 }] },
        ],
      },
    },
  };

  it("gives one row per location, and one location-less row for a variant stocked nowhere", () => {
    expect(mapVariantLevels(variant)).toEqual([
      { listingExternalId: variant.id, itemExternalId: "gid://shopify/InventoryItem/21", sku: "TEE-S", barcode: "4006381333931", title: "Tee - S", locationExternalId: "gid://shopify/Location/1", available: 4, onHand: 6, fulfilledByChannel: false },
      { listingExternalId: variant.id, itemExternalId: "gid://shopify/InventoryItem/21", sku: "TEE-S", barcode: "4006381333931", title: "Tee - S", locationExternalId: "gid://shopify/Location/2", available: -1, onHand: 0, fulfilledByChannel: false },
    ]);
    expect(mapVariantLevels({ ...variant, inventoryItem: { id: "gid://shopify/InventoryItem/21", tracked: true, inventoryLevels: { nodes: [] } } })).toEqual([
      expect.objectContaining({ locationExternalId: null, available: 0, onHand: null }),
    ]);
  });

  it("assembles bulk JSONL lines whatever their order (children before parents)", () => {
    const lines = [
      { location: { id: "gid://shopify/Location/2" }, quantities: [{ name: "available", quantity: 7 }], __parentId: "gid://shopify/ProductVariant/12" },
      { id: "gid://shopify/ProductVariant/11", sku: "A", barcode: null, displayName: "A", inventoryItem: { id: "gid://shopify/InventoryItem/21", tracked: true } },
      { location: { id: "gid://shopify/Location/1" }, quantities: [{ name: "available", quantity: 3 }, { name: "on_hand", quantity: 3 }], __parentId: "gid://shopify/ProductVariant/11" },
      { id: "gid://shopify/ProductVariant/12", sku: "B", barcode: null, displayName: "B", inventoryItem: { id: "gid://shopify/InventoryItem/22", tracked: true } },
      { id: "gid://shopify/ProductVariant/13", sku: "C", barcode: null, displayName: "C", inventoryItem: { id: "gid://shopify/InventoryItem/23", tracked: true } },
    ];
    expect(mapBulkStockLines(lines).map((row) => [row.sku, row.locationExternalId, row.available, row.onHand])).toEqual([
      ["A", "gid://shopify/Location/1", 3, 3],
      ["B", "gid://shopify/Location/2", 7, null],
      ["C", null, 0, null],
    ]);
  });
});

describe("order cursor", () => {
  const at = (id: number, updatedAt: string) => mapOrder({ ...order, id: `gid://shopify/Order/${id}`, updatedAt });

  it("walks pages, then starts the next run at the newest second without repeating what it delivered", () => {
    let state = decodeOrderCursor(null);
    expect(searchQueryFor(state)).toBeNull();
    let step = advanceOrderCursor(state, [at(1, "2026-11-20T10:00:00Z"), at(2, "2026-11-20T10:00:05Z")], { hasNextPage: true, endCursor: "c1" });
    expect(step.done).toBe(false);
    state = decodeOrderCursor(encodeOrderCursor(step.state));
    expect(state.after).toBe("c1");
    step = advanceOrderCursor(state, [at(3, "2026-11-20T10:00:09Z")], { hasNextPage: false, endCursor: "c2" });
    expect(step.done).toBe(true);
    state = decodeOrderCursor(encodeOrderCursor(step.state));
    expect(searchQueryFor(state)).toBe("updated_at:>='2026-11-20T10:00:09Z'");
    expect(state.after).toBeNull();

    // Next run: order 3 comes back (inclusive watermark) unchanged and is skipped; order 4, updated in
    // the same second, and order 3 changed again, come through.
    step = advanceOrderCursor(state, [at(3, "2026-11-20T10:00:09Z"), at(4, "2026-11-20T10:00:09Z")], { hasNextPage: false, endCursor: null });
    expect(step.orders.map((o) => o.externalId)).toEqual(["gid://shopify/Order/4"]);
    state = step.state;
    const changed = { ...at(3, "2026-11-20T10:00:09Z"), financialStatus: "REFUNDED" };
    step = advanceOrderCursor(state, [at(3, "2026-11-20T10:00:09Z"), at(4, "2026-11-20T10:00:09Z"), changed], { hasNextPage: false, endCursor: null });
    expect(step.orders).toEqual([changed]);
  });

  it("keeps its place when a run finds nothing new", () => {
    const state = advanceOrderCursor(decodeOrderCursor(null), [at(1, "2026-11-20T10:00:00Z")], { hasNextPage: false, endCursor: null }).state;
    const again = advanceOrderCursor(state, [at(1, "2026-11-20T10:00:00Z")], { hasNextPage: false, endCursor: null });
    expect(again.orders).toEqual([]);
    expect(again.state).toEqual(state);
  });

  it("refuses a cursor it did not write", () => {
    expect(() => decodeOrderCursor("not-a-cursor")).toThrow(/Unreadable Shopify order cursor/);
  });
});
