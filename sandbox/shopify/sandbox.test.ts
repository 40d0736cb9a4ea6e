import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startShopifySandbox, type ShopifySandbox } from "./index.ts";

// The sandbox over plain HTTP, as Shopify's client would see it (the client itself is exercised by the
// integration tests in tests/integration/channels/shopify-*.test.ts).

const secret = "sandbox-test-secret";
const token = "shpat_static_test_token";
let sandbox: ShopifySandbox;

async function gql(query: string, variables: Record<string, unknown> = {}, accessToken = token) {
  const response = await fetch(`${sandbox.origin}/admin/api/2026-10/graphql.json`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-shopify-access-token": accessToken },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

const SET = `mutation Set($input: InventorySetQuantitiesInput!, $key: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $key) {
    inventoryAdjustmentGroup { id reason changes { name delta quantityAfterChange item { id } location { id } } }
    userErrors { field message code }
  }
}`;

const LEVEL = `query Level($id: ID!, $loc: ID!) { inventoryItem(id: $id) { inventoryLevel(locationId: $loc) { quantities(names: ["available", "on_hand", "committed"]) { name quantity } } } }`;

let itemId: string;
let locationId: string;

beforeAll(async () => {
  sandbox = await startShopifySandbox({ apiSecret: secret, accessTokens: [token], throttle: { maximumAvailable: 2000, restoreRate: 100 } });
  const location = sandbox.store.addLocation({ name: "Main" });
  const { variants } = sandbox.store.addProduct({ title: "Tee", variants: [{ sku: "TEE-S", barcode: "111", available: 10 }, { sku: "TEE-M", available: 4 }] });
  itemId = `gid://shopify/InventoryItem/${variants[0]!.inventoryItemId}`;
  locationId = `gid://shopify/Location/${location.id}`;
});

afterAll(() => sandbox.close());

beforeEach(() => {
  sandbox.faults.reset();
});

async function available(): Promise<number> {
  const { body } = await gql(LEVEL, { id: itemId, loc: locationId });
  return body.data.inventoryItem.inventoryLevel.quantities.find((q: { name: string }) => q.name === "available").quantity;
}

describe("schema validation", () => {
  it("rejects a typo'd field the way Shopify does, with nothing executed", async () => {
    const { status, body } = await gql(`query { productVariants(first: 5) { nodes { id skuu } } }`);
    expect(status).toBe(200);
    expect(body.data).toBeUndefined();
    expect(body.errors).toEqual([
      { message: "Field 'skuu' doesn't exist on type 'ProductVariant'", locations: [{ line: 1, column: 48 }], extensions: { code: "undefinedField", typeName: "ProductVariant", fieldName: "skuu" } },
    ]);
  });

  it("rejects arguments removed from 2026-10 (ignoreCompareQuantity)", async () => {
    const { body } = await gql(`mutation($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) { userErrors { code } } }`, {
      input: { name: "available", reason: "correction", ignoreCompareQuantity: true, quantities: [] },
    });
    expect(body.errors[0].extensions.code).toBe("INVALID_VARIABLE");
    expect(body.errors[0].extensions.problems[0].explanation).toContain("ignoreCompareQuantity");
  });

  it("answers a valid query with data and the cost extension", async () => {
    const { body } = await gql(`{ shop { name myshopifyDomain currencyCode } productVariants(first: 10) { nodes { sku barcode inventoryQuantity } } }`);
    expect(body.data.shop).toEqual({ name: "Sandbox Shop", myshopifyDomain: "sandbox-shop.myshopify.com", currencyCode: "USD" });
    expect(body.data.productVariants.nodes).toEqual([
      { sku: "TEE-S", barcode: "111", inventoryQuantity: 10 },
      { sku: "TEE-M", barcode: null, inventoryQuantity: 4 },
    ]);
    // shop 1 + connection 2 + 10 × variant 1 requested; 2 variants returned.
    expect(body.extensions.cost).toMatchObject({ requestedQueryCost: 13, actualQueryCost: 5, throttleStatus: { maximumAvailable: 2000, restoreRate: 100 } });
  });

  it("refuses a query above the single-query cost limit", async () => {
    const { body } = await gql(`{ productVariants(first: 250) { nodes { id inventoryItem { inventoryLevels(first: 10) { nodes { location { id } } } } } } }`);
    expect(body.errors[0].extensions).toMatchObject({ code: "MAX_COST_EXCEEDED", maxCost: 1000 });
  });
});

describe("inventorySetQuantities", () => {
  it("requires @idempotent and an explicit changeFromQuantity, as 2026-10 does", async () => {
    const noKey = await gql(`mutation($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) { userErrors { code } } }`, {
      input: { name: "available", reason: "correction", quantities: [{ inventoryItemId: itemId, locationId, quantity: 1, changeFromQuantity: null }] },
    });
    expect(noKey.body.errors).toEqual([expect.objectContaining({ message: "The @idempotent directive is required for this mutation but was not provided.", extensions: { code: "BAD_REQUEST" } })]);
    expect(noKey.body.data).toBeUndefined();

    const noCompare = await gql(SET, { key: "k-omit", input: { name: "available", reason: "correction", quantities: [{ inventoryItemId: itemId, locationId, quantity: 1 }] } });
    expect(noCompare.body.errors[0]).toMatchObject({ message: "InventoryQuantityInput must include the following argument: changeFromQuantity", extensions: { code: "INVALID_FIELD_ARGUMENTS" } });
    expect(await available()).toBe(10);
  });

  it("sets with compare-and-set, and refuses a stale changeFromQuantity without changing anything", async () => {
    const before = await available();
    const stale = await gql(SET, { key: "k-stale", input: { name: "available", reason: "correction", quantities: [{ inventoryItemId: itemId, locationId, quantity: 99, changeFromQuantity: before + 1 }] } });
    expect(stale.body.data.inventorySetQuantities).toEqual({
      inventoryAdjustmentGroup: null,
      userErrors: [{ field: ["input", "quantities", "0", "changeFromQuantity"], message: "The changeFromQuantity value does not match persisted value.", code: "CHANGE_FROM_QUANTITY_STALE" }],
    });
    expect(await available()).toBe(before);

    const ok = await gql(SET, { key: "k-ok", input: { name: "available", reason: "correction", quantities: [{ inventoryItemId: itemId, locationId, quantity: before + 5, changeFromQuantity: before }] } });
    expect(ok.body.data.inventorySetQuantities.userErrors).toEqual([]);
    expect(ok.body.data.inventorySetQuantities.inventoryAdjustmentGroup.changes).toEqual([
      { name: "available", delta: 5, quantityAfterChange: before + 5, item: { id: itemId }, location: { id: locationId } },
      { name: "on_hand", delta: 5, quantityAfterChange: before + 5, item: { id: itemId }, location: { id: locationId } },
    ]);
    expect(await available()).toBe(before + 5);
  });

  it("replays the same key with the same variables, refuses it with other variables", async () => {
    const start = await available();
    const input = { name: "available", reason: "correction", quantities: [{ inventoryItemId: itemId, locationId, quantity: start + 1, changeFromQuantity: start }] };
    const first = await gql(SET, { key: "k-replay", input });
    sandbox.store.setQuantity({ inventoryItemId: itemId, locationId, quantity: 50 }); // someone changes it since
    const again = await gql(SET, { key: "k-replay", input });
    expect(again.body.data).toEqual(first.body.data);
    expect(await available()).toBe(50); // the replay applied nothing

    const other = await gql(SET, { key: "k-replay", input: { ...input, quantities: [{ ...input.quantities[0], quantity: 7 }] } });
    expect(other.body.data.inventorySetQuantities.userErrors[0].code).toBe("IDEMPOTENCY_KEY_PARAMETER_MISMATCH");
    expect(await available()).toBe(50);
  });
});

describe("throttling and faults", () => {
  it("answers THROTTLED with HTTP 200 and the bucket state when the bucket is short", async () => {
    const local = await startShopifySandbox({ apiSecret: secret, accessTokens: [token] });
    try {
      local.drainBucket();
      const response = await fetch(`${local.origin}/admin/api/2026-10/graphql.json`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-shopify-access-token": token },
        body: JSON.stringify({ query: `{ productVariants(first: 50) { nodes { id } } }` }),
      });
      const body = (await response.json()) as any;
      expect(response.status).toBe(200);
      expect(body.errors).toEqual([{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }]);
      expect(body.extensions.cost).toMatchObject({ requestedQueryCost: 52, actualQueryCost: null, throttleStatus: { maximumAvailable: 2000, restoreRate: 100 } });
      expect(body.extensions.cost.throttleStatus.currentlyAvailable).toBeLessThan(52);
    } finally {
      await local.close();
    }
  });

  it("injects THROTTLED, 429 with Retry-After, 5xx and 401", async () => {
    sandbox.faults.set({ throttleNext: 1, http429Next: { count: 1, retryAfterSeconds: 2 }, http5xxNext: 1, invalidTokenNext: 1 });
    const q = `{ shop { name } }`;
    const unauthorized = await gql(q);
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.body).toEqual({ errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
    const limited = await gql(q);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("retry-after")).toBe("2.0");
    expect((await gql(q)).status).toBe(503);
    expect((await gql(q)).body.errors[0].extensions.code).toBe("THROTTLED");
    expect((await gql(q)).body.data.shop.name).toBe("Sandbox Shop");
  });

  it("refuses unknown access tokens", async () => {
    expect((await gql(`{ shop { name } }`, {}, "shpat_nope")).status).toBe(401);
    expect((await gql(`{ shop { name } }`, {}, sandbox.issueAccessToken())).status).toBe(200);
  });
});

describe("pagination", () => {
  it("pages productVariants with cursors until hasNextPage is false", async () => {
    const local = await startShopifySandbox({ apiSecret: secret, accessTokens: [token] });
    try {
      local.store.seed({ variants: 23, locations: 2 });
      const seen: string[] = [];
      let after: string | null = null;
      let pages = 0;
      do {
        const response = await fetch(`${local.origin}/admin/api/2026-10/graphql.json`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-shopify-access-token": token },
          body: JSON.stringify({ query: `query($after: String) { productVariants(first: 10, after: $after) { nodes { sku } pageInfo { hasNextPage endCursor } } }`, variables: { after } }),
        });
        const body = (await response.json()) as any;
        seen.push(...body.data.productVariants.nodes.map((n: { sku: string }) => n.sku));
        after = body.data.productVariants.pageInfo.hasNextPage ? body.data.productVariants.pageInfo.endCursor : null;
        pages++;
      } while (after);
      expect(pages).toBe(3);
      expect(seen).toHaveLength(23);
      expect(new Set(seen).size).toBe(23);
      expect(seen[0]).toBe("SKU-00001");
    } finally {
      await local.close();
    }
  });

  it("continues its ids and order numbers after an earlier run's when told them", async () => {
    // The demo restarts the sandbox empty on a database that holds the last run's orders.
    const first = await startShopifySandbox({ apiSecret: secret, accessTokens: [token] });
    const second = await startShopifySandbox({ apiSecret: secret, accessTokens: [token] });
    try {
      const [v1] = first.store.seed({ variants: 1 });
      const earlier = [first.store.createOrder({ lineItems: [{ variantId: v1!.id, quantity: 1 }] }), first.store.createOrder({ lineItems: [{ variantId: v1!.id, quantity: 1 }] })];
      const [v2] = second.store.seed({ variants: 1 });
      expect(second.store.createOrder({ lineItems: [{ variantId: v2!.id, quantity: 1 }] }).id).toBe(earlier[0]!.id); // what went wrong
      second.store.resumeAfter({ ids: earlier.map((o) => `gid://shopify/Order/${o.id}`), orderNames: [...earlier.map((o) => o.name), "not a number"] });
      const next = second.store.createOrder({ lineItems: [{ variantId: v2!.id, quantity: 1 }] });
      expect(next.id).toBeGreaterThan(earlier[1]!.id);
      expect(next.name).toBe(`#${earlier[1]!.number + 1}`);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it("filters orders by updated_at and sorts them by UPDATED_AT", async () => {
    let now = Date.parse("2026-11-20T10:00:00Z");
    const local = await startShopifySandbox({ apiSecret: secret, accessTokens: [token], store: { clock: () => now } });
    try {
      const [variant] = local.store.seed({ variants: 1 });
      const a = local.store.createOrder({ lineItems: [{ variantId: variant!.id, quantity: 1 }] });
      now += 60_000;
      const b = local.store.createOrder({ lineItems: [{ variantId: variant!.id, quantity: 2 }] });
      now += 60_000;
      local.store.cancelOrder(a.id); // a moves after b
      const response = await fetch(`${local.origin}/admin/api/2026-10/graphql.json`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-shopify-access-token": token },
        body: JSON.stringify({ query: `{ orders(first: 10, query: "updated_at:>='2026-11-20T10:00:30Z'", sortKey: UPDATED_AT) { nodes { id updatedAt cancelledAt } } }` }),
      });
      const body = (await response.json()) as any;
      expect(body.data.orders.nodes).toEqual([
        { id: `gid://shopify/Order/${b.id}`, updatedAt: "2026-11-20T10:01:00Z", cancelledAt: null },
        { id: `gid://shopify/Order/${a.id}`, updatedAt: "2026-11-20T10:02:00Z", cancelledAt: "2026-11-20T10:02:00Z" },
      ]);
    } finally {
      await local.close();
    }
  });
});

describe("bulk operations", () => {
  it("runs a query into JSONL where nested connection nodes carry __parentId", async () => {
    const run = await gql(`mutation($q: String!) { bulkOperationRunQuery(query: $q) { bulkOperation { id status } userErrors { code message } } }`, {
      q: `{ productVariants { edges { node { id sku inventoryItem { id inventoryLevels { edges { node { location { id } quantities(names: ["available"]) { name quantity } } } } } } } } }`,
    });
    const id = run.body.data.bulkOperationRunQuery.bulkOperation.id as string;
    let status = "CREATED";
    let url: string | null = null;
    for (let i = 0; i < 50 && status !== "COMPLETED"; i++) {
      const poll = await gql(`query($id: ID!) { bulkOperation(id: $id) { status url objectCount rootObjectCount } }`, { id });
      status = poll.body.data.bulkOperation.status;
      url = poll.body.data.bulkOperation.url;
      if (status !== "COMPLETED") await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(status).toBe("COMPLETED");
    const lines = (await (await fetch(url!)).text()).trim().split("\n").map((line) => JSON.parse(line));
    const variants = lines.filter((line) => !line.__parentId);
    const levels = lines.filter((line) => line.__parentId);
    expect(variants.map((v) => v.sku).sort()).toEqual(["TEE-M", "TEE-S"]);
    expect(levels).toHaveLength(2);
    for (const level of levels) expect(variants.map((v) => v.id)).toContain(level.__parentId);
    expect(variants[0].inventoryItem.inventoryLevels).toBeUndefined();
  });
});

describe("webhooks and app proxy", () => {
  it("delivers a signed webhook with Shopify's headers to the compliance or topic route", async () => {
    const received: Array<{ url: string; headers: Record<string, unknown>; body: string }> = [];
    const app = createServer((req, res) => {
      let body = "";
      req.on("data", (chunk) => (body += chunk));
      req.on("end", () => {
        received.push({ url: req.url ?? "", headers: req.headers, body });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((resolve) => app.listen(0, "127.0.0.1", resolve));
    const appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
    try {
      const { variants } = sandbox.store.addProduct({ title: "Cap", variants: [{ sku: "CAP", available: 3 }] });
      const order = sandbox.store.createOrder({ lineItems: [{ variantId: variants[0]!.id, quantity: 1 }] });
      const payload = sandbox.payloads.order(order);
      expect(await sandbox.sendWebhook("orders/create", payload, { appUrl, eventId: "evt-1" })).toBe(200);
      expect(await sandbox.sendWebhook("shop/redact", { shop_id: 1, shop_domain: sandbox.shopDomain }, { appUrl })).toBe(200);
      const [delivery, compliance] = received;
      expect(delivery!.url).toBe("/webhooks/orders/create");
      expect(compliance!.url).toBe("/webhooks/compliance");
      expect(delivery!.headers).toMatchObject({
        "x-shopify-topic": "orders/create",
        "x-shopify-shop-domain": "sandbox-shop.myshopify.com",
        "x-shopify-api-version": "2026-10",
        "x-shopify-event-id": "evt-1",
        "x-shopify-hmac-sha256": createHmac("sha256", secret).update(delivery!.body).digest("base64"),
      });
      expect(delivery!.headers["x-shopify-webhook-id"]).toBeTruthy();
      expect(JSON.parse(delivery!.body)).toMatchObject({ admin_graphql_api_id: `gid://shopify/Order/${order.id}`, line_items: [{ sku: "CAP", quantity: 1, variant_id: variants[0]!.id }] });
    } finally {
      await new Promise((resolve) => app.close(resolve));
    }
  });

  it("returns the inventory_levels/update payload for an admin-side change", () => {
    const [variant] = sandbox.store.seed({ variants: 1 });
    const payload = sandbox.store.setQuantity({ variantId: variant!.id, quantity: 42 });
    expect(payload).toMatchObject({ inventory_item_id: variant!.inventoryItemId, available: 42 });
    expect(payload.admin_graphql_api_id).toMatch(/^gid:\/\/shopify\/InventoryLevel\/\d+\?inventory_item_id=\d+$/);
  });

  it("signs app-proxy parameters sorted, joined with no separator", () => {
    const params = { shop: "sandbox-shop.myshopify.com", path_prefix: "/apps/back-in-stock", timestamp: "1700000000", ids: ["2", "1"] };
    const expected = createHmac("sha256", secret).update("ids=2,1path_prefix=/apps/back-in-stockshop=sandbox-shop.myshopify.comtimestamp=1700000000").digest("hex");
    expect(sandbox.signAppProxy(params)).toBe(expected);
  });
});
