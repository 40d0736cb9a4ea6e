import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAmazonAdapter } from "#app/channels/amazon/adapter.server.ts";
import type { ChannelStockLevel, StockPush } from "#app/channels/channel.ts";
import { startAmazonSandbox, type AmazonSandbox } from "#sandbox/amazon/server.ts";
import { sandboxAmazonConfig } from "../../support/channel-sandboxes.ts";

// Amazon throttles each operation with a token bucket (burst, then rate per second). A pull that outpaces
// it gets a 429 part-way and the job's retry starts it again at page one, so a catalogue larger than the
// burst would never finish. Here the sandbox enforces the documented plans (FBA summaries 2/s, burst 2;
// Listings Items 5/s, burst 10): the adapter must read more pages and send more pushes than the bursts
// allow without a single 429.

let sandbox: AmazonSandbox;

beforeAll(async () => {
  sandbox = await startAmazonSandbox({ inventoryPageSize: 2, enforceUsagePlans: true });
  for (let i = 0; i < 8; i++) sandbox.state.addListing({ sku: `FBA-${i}`, fulfillmentChannel: "AFN", quantity: 10 + i });
  for (let i = 0; i < 232; i++) sandbox.state.addListing({ sku: `MFN-${i}`, quantity: i % 9 });
});
afterAll(() => sandbox.close());

const adapter = () => createAmazonAdapter(sandboxAmazonConfig(sandbox));

const throttled = () => sandbox.requests.filter((r) => r.status === 429).map((r) => `${r.method} ${r.path}`);

describe("Amazon usage plans", () => {
  it("pages FBA summaries and listings past their bursts without a 429", async () => {
    const levels: ChannelStockLevel[] = [];
    for await (const page of adapter().pullStock()) levels.push(...page);
    expect(levels.filter((l) => l.fulfilledByChannel)).toHaveLength(8);
    expect(levels.filter((l) => !l.fulfilledByChannel)).toHaveLength(232);
    expect(sandbox.requests.filter((r) => r.path === "/fba/inventory/v1/summaries")).toHaveLength(4); // burst 2
    expect(sandbox.requests.filter((r) => r.method === "GET" && r.path === `/listings/2021-08-01/items/${sandbox.state.sellerId}`)).toHaveLength(12); // burst 10
    expect(throttled()).toEqual([]);
  });

  it("sends more pushes than the patch burst, one by one, without a 429", async () => {
    const pushes: StockPush[] = Array.from({ length: 16 }, (_, i) => ({
      listingExternalId: `MFN-${i}`,
      itemExternalId: null,
      sku: `MFN-${i}`,
      locationExternalId: "DEFAULT",
      quantity: 100 + i,
      expectedQuantity: null,
      idempotencyKey: `usage-plan-${i}`,
    }));
    const results = await adapter().pushStock(pushes);
    expect(results.map((r) => r.status)).toEqual(pushes.map(() => "applied"));
    expect(sandbox.state.listings.get("MFN-15")?.quantity).toBe(115);
    expect(throttled()).toEqual([]);
  });
});
