import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAmazonAdapter, type AmazonAdapterConfig } from "#app/channels/amazon/adapter.server.ts";
import type { ChannelStockLevel, StockPush } from "#app/channels/channel.ts";
import { startAmazonSandbox, type AmazonSandbox } from "#sandbox/amazon/server.ts";
import { sandboxAmazonConfig } from "../../support/channel-sandboxes.ts";

// Amazon stock through amazon-sp-api against the sandbox: FBA summaries (read only), merchant quantities
// via Listings Items patches, large batches via JSON_LISTINGS_FEED (document upload to the S3 host).

let sandbox: AmazonSandbox;

function adapterConfig(overrides: Partial<AmazonAdapterConfig> = {}): AmazonAdapterConfig {
  return sandboxAmazonConfig(sandbox, { feedPoll: { intervalMs: 5, maxPolls: 10 }, ...overrides });
}

const push = (level: Pick<ChannelStockLevel, "listingExternalId" | "locationExternalId">, quantity: number): StockPush => ({
  listingExternalId: level.listingExternalId,
  itemExternalId: null,
  sku: level.listingExternalId,
  locationExternalId: level.locationExternalId,
  quantity,
  expectedQuantity: null,
  idempotencyKey: `push-${level.listingExternalId}-${quantity}`,
});

async function allLevels(adapter: ReturnType<typeof createAmazonAdapter>): Promise<ChannelStockLevel[]> {
  const levels: ChannelStockLevel[] = [];
  for await (const page of adapter.pullStock()) levels.push(...page);
  return levels;
}

beforeAll(async () => {
  sandbox = await startAmazonSandbox({ inventoryPageSize: 2 });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  const { state } = sandbox;
  sandbox.faults.clear();
  sandbox.requests.length = 0;
  state.listings.clear();
  state.channelSwitches.length = 0;
  state.feedPollsBeforeDone = 0;
  state.addListing({ sku: "MFN-1", quantity: 3, leadTimeToShipMaxDays: 2 });
  state.addListing({ sku: "MFN/2 (blue)", quantity: 0 });
  for (let i = 1; i <= 3; i++) state.addListing({ sku: `FBA-${i}`, fulfillmentChannel: "AFN", quantity: 10 * i, inbound: 1, reserved: 2 });
});

describe("Amazon stock through amazon-sp-api", () => {
  it("reads FBA stock as fulfilled by Amazon and merchant stock from listings", async () => {
    const levels = await allLevels(createAmazonAdapter(adapterConfig()));
    const fba = levels.filter((l) => l.fulfilledByChannel);
    expect(fba.map((l) => [l.listingExternalId, l.available, l.onHand, l.locationExternalId])).toEqual([
      ["FBA-1", 10, 13, "AMAZON_NA"],
      ["FBA-2", 20, 23, "AMAZON_NA"],
      ["FBA-3", 30, 33, "AMAZON_NA"],
    ]);
    expect(levels.filter((l) => !l.fulfilledByChannel).map((l) => [l.listingExternalId, l.available, l.locationExternalId])).toEqual([
      ["MFN-1", 3, "DEFAULT"],
      ["MFN/2 (blue)", 0, "DEFAULT"],
    ]);
    // FBA summaries are paged (2 per page here): both pages were read.
    expect(sandbox.requests.filter((r) => r.path === "/fba/inventory/v1/summaries")).toHaveLength(2);
  });

  it("lands a push of new merchant quantities with a merge patch, and never pushes FBA stock", async () => {
    const adapter = createAmazonAdapter(adapterConfig());
    const levels = await allLevels(adapter);
    sandbox.requests.length = 0;

    // Even a caller that pushes every level it read cannot touch FBA quantities.
    const results = await adapter.pushStock(levels.map((level) => push(level, level.fulfilledByChannel ? 0 : level.available + 5)));
    expect(results.filter((r) => r.status === "applied").map((r) => r.listingExternalId)).toEqual(["MFN-1", "MFN/2 (blue)"]);
    expect(results.filter((r) => r.status === "rejected").map((r) => r.listingExternalId)).toEqual(["FBA-1", "FBA-2", "FBA-3"]);

    const { listings, channelSwitches } = sandbox.state;
    expect(listings.get("MFN-1")).toMatchObject({ quantity: 8, leadTimeToShipMaxDays: 2 });
    expect(listings.get("MFN/2 (blue)")?.quantity).toBe(5);
    expect([1, 2, 3].map((i) => listings.get(`FBA-${i}`)?.quantity)).toEqual([10, 20, 30]);
    expect(channelSwitches).toEqual([]);

    const patches = sandbox.requests.filter((r) => r.method === "PATCH");
    expect(patches.map((r) => r.path)).toEqual([`/listings/2021-08-01/items/${sandbox.state.sellerId}/MFN-1`, `/listings/2021-08-01/items/${sandbox.state.sellerId}/MFN%2F2%20%28blue%29`]);
    expect(JSON.parse(patches[0]!.body)).toEqual({
      productType: "PRODUCT",
      patches: [{ op: "merge", path: "/attributes/fulfillment_availability", value: [{ fulfillment_channel_code: "DEFAULT", quantity: 8 }] }],
    });
  });

  it("reports an INVALID listings answer as a rejected push with Amazon's issue", async () => {
    const results = await createAmazonAdapter(adapterConfig()).pushStock([push({ listingExternalId: "GONE", locationExternalId: "DEFAULT" }, 4)]);
    expect(results).toEqual([{ listingExternalId: "GONE", status: "rejected", message: expect.stringContaining("does not exist") }]);
  });

  it("sends large batches as one JSON_LISTINGS_FEED and reads the processing report per SKU", async () => {
    const { state } = sandbox;
    for (let i = 0; i < 24; i++) state.addListing({ sku: `BULK-${i}`, quantity: 0 });
    state.feedPollsBeforeDone = 2;
    const pushes = [
      ...Array.from({ length: 24 }, (_, i) => push({ listingExternalId: `BULK-${i}`, locationExternalId: "DEFAULT" }, i + 1)),
      push({ listingExternalId: "NOT-LISTED", locationExternalId: "DEFAULT" }, 1),
      push({ listingExternalId: "FBA-1", locationExternalId: "AMAZON_NA" }, 1),
    ];
    const results = await createAmazonAdapter(adapterConfig()).pushStock(pushes);

    expect(results.map((r) => r.listingExternalId)).toEqual(pushes.map((p) => p.listingExternalId));
    expect(results.filter((r) => r.status === "applied")).toHaveLength(24);
    expect(results.at(-2)).toMatchObject({ status: "rejected", message: expect.stringContaining("NOT-LISTED") });
    expect(results.at(-1)).toMatchObject({ status: "rejected", message: expect.stringContaining("FBA") });
    expect(state.listings.get("BULK-23")?.quantity).toBe(24);

    const wire = sandbox.requests.map((r) => `${r.method} ${r.host}`);
    expect(wire.filter((w) => w.startsWith("PATCH"))).toEqual([]);
    expect(wire).toContain("PUT tortuga-prod-na.s3-external-1.amazonaws.com");
    expect(sandbox.requests.filter((r) => r.path.startsWith("/feeds/2021-06-30/feeds/"))).toHaveLength(3);
    const uploaded = JSON.parse(sandbox.requests.find((r) => r.method === "PUT")!.body) as { messages: { sku: string }[] };
    expect(uploaded.messages.map((m) => m.sku)).not.toContain("FBA-1");
  });

  it("stops polling a feed after the configured bound and says how to resume", async () => {
    const { state } = sandbox;
    for (let i = 0; i < 21; i++) state.addListing({ sku: `SLOW-${i}`, quantity: 0 });
    state.feedPollsBeforeDone = 50;
    const adapter = createAmazonAdapter(adapterConfig({ feedPoll: { intervalMs: 1, maxPolls: 2 } }));
    const pushes = Array.from({ length: 21 }, (_, i) => push({ listingExternalId: `SLOW-${i}`, locationExternalId: "DEFAULT" }, 2));
    await expect(adapter.pushStock(pushes)).rejects.toMatchObject({ kind: "unavailable", message: expect.stringContaining("readStockFeedResults") });

    // The queue-friendly halves: submit now, read later.
    state.feedPollsBeforeDone = 0;
    const submission = await adapter.submitStockFeed(pushes.slice(0, 3));
    expect((await adapter.readStockFeedResults(submission))?.map((r) => r.status)).toEqual(["applied", "applied", "applied"]);
  });

  it("turns a throttled patch into rate_limited with the advertised wait", async () => {
    sandbox.faults.inject("throttle", { path: "/listings", value: 5 });
    await expect(createAmazonAdapter(adapterConfig()).pushStock([push({ listingExternalId: "MFN-1", locationExternalId: "DEFAULT" }, 1)])).rejects.toMatchObject({
      kind: "rate_limited",
      retryAfterMs: 200,
    });
  });
});
