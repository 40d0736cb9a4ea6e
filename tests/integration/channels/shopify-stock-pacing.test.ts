import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createShopifyAdapter, type ShopifyChannelAdapter } from "#app/channels/shopify/adapter.server.ts";
import type { ChannelStockLevel } from "#app/channels/channel.ts";
import { startShopifySandbox, type ShopifySandbox } from "#sandbox/shopify/index.ts";
import { sandboxAdminGraphql } from "../../support/channel-sandboxes.ts";

// A stock pull spans pages that each cost up to a whole bucket. A throttled page fails the pull and the
// worker's retry starts again at page one, so a pull that asks faster than the bucket refills never ends.
// Here the bucket holds one page (1,000 points, refilled in a second): the adapter must wait for it
// before each page, through the app's real client, and never be throttled.

const shop = "pacing-shop.myshopify.com";
let sandbox: ShopifySandbox;
let adapter: ShopifyChannelAdapter;

beforeAll(async () => {
  sandbox = await startShopifySandbox({ apiSecret: process.env.SHOPIFY_API_SECRET!, apiKey: process.env.SHOPIFY_API_KEY!, shopDomain: shop, throttle: { maximumAvailable: 1000, restoreRate: 1000 } });
  sandbox.store.addLocation({ name: "Main warehouse" });
  sandbox.store.seed({ variants: 300, available: (i) => i % 50 });

  adapter = createShopifyAdapter({ graphql: await sandboxAdminGraphql(sandbox, shop, "read_orders,read_inventory,write_inventory") });
});

afterAll(async () => {
  await sandbox?.close();
  delete process.env.SHOPIFY_ADMIN_ORIGIN;
});

describe("Shopify stock pull pacing", () => {
  it("reads a three-page catalogue on a one-page bucket without being throttled", async () => {
    const levels: ChannelStockLevel[] = [];
    let pages = 0;
    for await (const page of adapter.pullStock()) {
      pages++;
      levels.push(...page);
    }
    expect(pages).toBe(3);
    expect(levels).toHaveLength(300);
    expect(new Set(levels.map((l) => l.listingExternalId)).size).toBe(300);
    expect(levels.reduce((sum, l) => sum + l.available, 0)).toBe(6 * (49 * 50) / 2);
    const variantQueries = sandbox.requests.filter((r) => r.operationName === "ReplenishVariants");
    expect(variantQueries.map((r) => r.throttled)).toEqual([false, false, false]);
    // Paced, not retried: one request per page, each after the bucket had refilled (~1 s apart).
    const gaps = variantQueries.slice(1).map((r, i) => r.at - variantQueries[i]!.at);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(900);
  });

  it("waits before the first page too, when something else has just used the bucket", async () => {
    // As the job's own order sync does right before its stock pull: the bucket holds enough for the
    // locations query (252 points requested) but not for a page (996).
    sandbox.drainBucket();
    await new Promise((resolve) => setTimeout(resolve, 300));
    sandbox.requests.length = 0;
    let levels = 0;
    for await (const page of adapter.pullStock()) levels += page.length;
    expect(levels).toBe(300);
    const variantQueries = sandbox.requests.filter((r) => r.operationName === "ReplenishVariants");
    expect(variantQueries.map((r) => r.throttled)).toEqual([false, false, false]);
    const locationsQuery = sandbox.requests.find((r) => r.operationName === "ReplenishLocations")!;
    expect(variantQueries[0]!.at - locationsQuery.at).toBeGreaterThanOrEqual(500);
  });
});
