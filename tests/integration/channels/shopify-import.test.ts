import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChannelStockLevel } from "#app/channels/channel.ts";
import { createShopifyAdapter, type ShopifyChannelAdapter } from "#app/channels/shopify/adapter.server.ts";
import { startShopifySandbox, type ShopifySandbox } from "#sandbox/shopify/index.ts";
import { sandboxAdminGraphql } from "../../support/channel-sandboxes.ts";

// Initial import of a 5,000-variant shop through the app's real Shopify client
// (unauthenticated.admin(shop).admin.graphql, redirected to the sandbox by SHOPIFY_ADMIN_ORIGIN):
// once page by page, once as a bulk operation; both must see exactly the sandbox's stock.

const shop = "sandbox-shop.myshopify.com";
let sandbox: ShopifySandbox;
let adapter: ShopifyChannelAdapter;

beforeAll(async () => {
  // A bucket the size of an enterprise plan's: on a standard plan (2,000 points, 100/s) this import
  // takes minutes page by page, which is why large shops take the bulk path.
  sandbox = await startShopifySandbox({ apiSecret: process.env.SHOPIFY_API_SECRET!, apiKey: process.env.SHOPIFY_API_KEY!, shopDomain: shop, throttle: { maximumAvailable: 100_000, restoreRate: 50_000 } });
  sandbox.store.addLocation({ name: "Main warehouse" });
  sandbox.store.addLocation({ name: "Shop floor" });
  sandbox.store.seed({ variants: 5_000, perProduct: 4 });

  adapter = createShopifyAdapter({ graphql: await sandboxAdminGraphql(sandbox, shop, "read_products,read_inventory,write_inventory") });
});

afterAll(async () => {
  await sandbox?.close();
  delete process.env.SHOPIFY_ADMIN_ORIGIN;
});

/** What the sandbox holds, in the contract's shape, for comparison. */
function expectedLevels(): Array<[string, string | null, number, number]> {
  const { store } = sandbox;
  return [...store.levels.values()].map((level) => {
    const item = store.inventoryItems.get(level.inventoryItemId)!;
    return [`gid://shopify/ProductVariant/${item.variantId}`, `gid://shopify/Location/${level.locationId}`, level.quantities.available, store.quantity(level, "on_hand")];
  });
}

function comparable(rows: ChannelStockLevel[]) {
  return rows.map((row) => [row.listingExternalId, row.locationExternalId, row.available, row.onHand]).sort((a, b) => String(a).localeCompare(String(b)));
}

describe("Shopify initial import (5,000 variants)", () => {
  it("pages through productVariants under the query-cost limit and sees every level", async () => {
    const started = performance.now();
    const pages: ChannelStockLevel[][] = [];
    for await (const page of adapter.pullStock()) pages.push(page);
    const rows = pages.flat();

    expect(new Set(rows.map((row) => row.listingExternalId)).size).toBe(5_000);
    expect(rows).toHaveLength(10_000);
    expect(comparable(rows)).toEqual(expectedLevels().sort((a, b) => String(a).localeCompare(String(b))));
    expect(rows.find((row) => row.sku === "SKU-00001")).toMatchObject({ barcode: "400000000000", title: "Product 1 - Size 1", fulfilledByChannel: false });

    // 2 locations: 10 points per variant → 99 variants per page, every page under 1,000 points.
    const variantCalls = sandbox.requests.filter((request) => request.operationName === "ReplenishVariants");
    expect(variantCalls).toHaveLength(Math.ceil(5_000 / 99));
    expect(Math.max(...variantCalls.map((request) => request.cost!.requestedQueryCost))).toBeLessThanOrEqual(1_000);
    expect(performance.now() - started).toBeLessThan(20_000);
  });

  it("imports the same catalogue through a bulk operation (JSONL with child lines in any order)", async () => {
    const rows = await adapter.runBulkStockImport({ pollIntervalMs: 20, timeoutMs: 10_000 });
    expect(new Set(rows.map((row) => row.listingExternalId)).size).toBe(5_000);
    expect(comparable(rows)).toEqual(expectedLevels().sort((a, b) => String(a).localeCompare(String(b))));
    const operations = sandbox.requests.filter((request) => request.operationName?.startsWith("ReplenishBulk")).map((request) => request.operationName);
    expect(operations[0]).toBe("ReplenishBulkRun");
    expect(operations.slice(1).every((name) => name === "ReplenishBulkStatus")).toBe(true);
    expect(sandbox.requests.some((request) => request.path.startsWith("/bulk/") && request.status === 200)).toBe(true);
  });
});
