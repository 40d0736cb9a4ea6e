import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ChannelStockLevel, StockPush } from "#app/channels/channel.ts";
import { createEbayAdapter, type EbayAdapterConfig } from "#app/channels/ebay/adapter.server.ts";
import { startEbaySandbox, type EbaySandbox } from "#sandbox/ebay/server.ts";

// eBay stock through ebay-api against the sandbox: inventory items + offers, bulkUpdatePriceQuantity in
// calls of 25 with 200/207 per-entry results, and the per-listing daily revision limit.

let sandbox: EbaySandbox;

function adapterConfig(overrides: Partial<EbayAdapterConfig> = {}): EbayAdapterConfig {
  const { state } = sandbox;
  return {
    appId: state.appId,
    certId: state.certId,
    marketplaceId: "EBAY_US",
    token: { accessToken: state.issueToken("user").token, refreshToken: state.refreshToken },
    loopbackPort: sandbox.port,
    initialOrdersSince: "2026-11-01T00:00:00.000Z",
    stockPageSize: 2,
    rateLimitRetryAfterMs: 5,
    ...overrides,
  };
}

const push = (sku: string, quantity: number, offerId: string | null = null): StockPush => ({
  listingExternalId: sku,
  itemExternalId: offerId,
  sku,
  locationExternalId: null,
  quantity,
  expectedQuantity: null,
  idempotencyKey: `push-${sku}-${quantity}`,
});

type BulkBody = { requests: { sku: string; shipToLocationAvailability: { quantity: number }; offers?: { offerId: string; availableQuantity: number }[] }[] };
const bulkCalls = () => sandbox.requests.filter((r) => r.path === "/sell/inventory/v1/bulk_update_price_quantity").map((r) => JSON.parse(r.body) as BulkBody);

beforeAll(async () => {
  sandbox = await startEbaySandbox();
});
afterAll(() => sandbox.close());
beforeEach(() => {
  const { state } = sandbox;
  sandbox.faults.clear();
  sandbox.requests.length = 0;
  state.items.clear();
  state.offers.clear();
  state.revisions.clear();
  state.dailyRevisionLimit = 250;
  state.addListing({ sku: "E-1", quantity: 5 });
  state.addListing({ sku: "E 2/x", quantity: 1 });
  state.addListing({ sku: "E-3", quantity: 0 });
});

describe("eBay stock through ebay-api", () => {
  it("reads inventory items with their offers across pages", async () => {
    sandbox.state.offers.get(sandbox.state.offersOf("E-1")[0]!.offerId)!.availableQuantity = 3;
    const levels: ChannelStockLevel[] = [];
    for await (const page of createEbayAdapter(adapterConfig()).pullStock()) levels.push(...page);
    expect(levels.map((l) => [l.listingExternalId, l.available, l.onHand, l.itemExternalId !== null])).toEqual([
      ["E 2/x", 1, 1, true],
      ["E-1", 3, 5, true],
      ["E-3", 0, 0, true],
    ]);
    expect(sandbox.requests.filter((r) => r.path === "/sell/inventory/v1/inventory_item").map((r) => r.query.get("offset"))).toEqual(["0", "2"]);
  });

  it("lands new quantities on both the item and its offer, looking the offer up when unknown", async () => {
    const { state } = sandbox;
    const offerId = state.offersOf("E-1")[0]!.offerId;
    const results = await createEbayAdapter(adapterConfig()).pushStock([push("E-1", 9, offerId), push("E 2/x", 4)]);
    expect(results).toEqual([
      { listingExternalId: "E-1", status: "applied", quantity: 9 },
      { listingExternalId: "E 2/x", status: "applied", quantity: 4 },
    ]);
    expect(state.items.get("E-1")?.quantity).toBe(9);
    expect(state.offers.get(offerId)?.availableQuantity).toBe(9);
    expect(state.items.get("E 2/x")?.quantity).toBe(4);
    expect(state.offersOf("E 2/x")[0]?.availableQuantity).toBe(4);
    // One getOffers for the SKU without a known offer id, one bulk call for both.
    expect(sandbox.requests.filter((r) => r.path === "/sell/inventory/v1/offer").map((r) => r.query.get("sku"))).toEqual(["E 2/x"]);
    expect(bulkCalls()).toHaveLength(1);
    expect(bulkCalls()[0]?.requests[0]).toEqual({ sku: "E-1", shipToLocationAvailability: { quantity: 9 }, offers: [{ offerId, availableQuantity: 9 }] });
  });

  it("reports a 207 partial failure per SKU", async () => {
    const { state } = sandbox;
    const results = await createEbayAdapter(adapterConfig()).pushStock([
      push("E-1", 2, state.offersOf("E-1")[0]!.offerId),
      push("GONE", 1, "123"),
      push("E-3", 6, state.offersOf("E-3")[0]!.offerId),
      push("E 2/x", -1),
    ]);
    expect(sandbox.requests.find((r) => r.path.endsWith("bulk_update_price_quantity"))?.status).toBe(207);
    expect(results.map((r) => [r.listingExternalId, r.status])).toEqual([
      ["E-1", "applied"],
      ["GONE", "rejected"],
      ["E-3", "applied"],
      ["E 2/x", "rejected"],
    ]);
    expect(results[1]).toMatchObject({ message: expect.stringContaining("404") });
    expect(state.items.get("E-3")?.quantity).toBe(6);
  });

  it("sends at most 25 SKUs per bulk call", async () => {
    const { state } = sandbox;
    const pushes = Array.from({ length: 30 }, (_, i) => {
      const { offer } = state.addListing({ sku: `B-${i}`, quantity: 0 });
      return push(`B-${i}`, i, offer.offerId);
    });
    const results = await createEbayAdapter(adapterConfig()).pushStock(pushes);
    expect(results.every((r) => r.status === "applied")).toBe(true);
    expect(bulkCalls().map((call) => call.requests.length)).toEqual([25, 5]);
    expect(state.items.get("B-29")?.quantity).toBe(29);
  });

  it("refuses clearly once a listing reached its daily revision limit", async () => {
    const { state } = sandbox;
    state.dailyRevisionLimit = 2;
    const offerId = state.offersOf("E-1")[0]!.offerId;
    const adapter = createEbayAdapter(adapterConfig());
    for (const quantity of [6, 7]) expect((await adapter.pushStock([push("E-1", quantity, offerId)]))[0]?.status).toBe("applied");
    const [limited] = await adapter.pushStock([push("E-1", 8, offerId)]);
    expect(limited).toMatchObject({ status: "rejected", message: expect.stringContaining("daily revision limit") });
    expect(state.items.get("E-1")?.quantity).toBe(7);
  });

  it("turns 429 into rate_limited and a 401 after refresh into auth", async () => {
    sandbox.faults.inject("throttle", { path: "/sell/inventory/v1/bulk_update_price_quantity" });
    await expect(createEbayAdapter(adapterConfig()).pushStock([push("E-1", 1, "x")])).rejects.toMatchObject({ kind: "rate_limited", retryAfterMs: 5, status: 429 });

    sandbox.faults.inject("invalid_token", { times: 2, path: "/sell/inventory" });
    await expect(createEbayAdapter(adapterConfig()).pushStock([push("E-1", 1, "x")])).rejects.toMatchObject({ kind: "auth" });
  });
});
