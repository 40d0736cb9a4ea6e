import { randomUUID } from "node:crypto";
import { Session } from "@shopify/shopify-api";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ChannelOrder, StockPush } from "#app/channels/channel.ts";
import { ChannelError, isChannelError } from "#app/channels/errors.ts";
import { createShopifyAdapter, type ShopifyChannelAdapter } from "#app/channels/shopify/adapter.server.ts";
import { startShopifySandbox, type ShopifySandbox } from "#sandbox/shopify/index.ts";
import { sandboxAdminGraphql } from "../../support/channel-sandboxes.ts";
import type { StoreVariant } from "#sandbox/shopify/store.ts";

// Orders in, quantities out, through the app's real Shopify client (unauthenticated.admin(shop)
// .admin.graphql with SHOPIFY_ADMIN_ORIGIN pointing at the sandbox): incremental pulls across pages with
// a cancellation and a refund, a push after a receipt, a Shopify-side change racing our push, and a
// throttling/429/5xx storm that must end with every order imported exactly once.

const shop = "sandbox-shop.myshopify.com";
let sandbox: ShopifySandbox;
let adapter: ShopifyChannelAdapter;
let now = Date.parse("2026-11-20T10:00:00Z");
let variants: StoreVariant[];
let locationGid: string;

beforeAll(async () => {
  sandbox = await startShopifySandbox({ apiSecret: process.env.SHOPIFY_API_SECRET!, apiKey: process.env.SHOPIFY_API_KEY!, shopDomain: shop, store: { clock: () => now } });
  const location = sandbox.store.addLocation({ name: "Main warehouse" });
  locationGid = `gid://shopify/Location/${location.id}`;
  variants = sandbox.store.seed({ variants: 6, available: () => 100 });

  adapter = createShopifyAdapter({ graphql: await sandboxAdminGraphql(sandbox, shop, "read_orders,read_inventory,write_inventory") });
});

afterAll(async () => {
  await sandbox?.close();
  delete process.env.SHOPIFY_ADMIN_ORIGIN;
});

beforeEach(() => {
  sandbox.faults.reset();
});

const tick = (seconds = 1) => (now += seconds * 1000);

/** A sync run as a worker would do it, resuming from the cursor after each classified failure. */
async function syncOrders(cursor: string | null, onError: (error: ChannelError) => void = () => {}) {
  const orders: ChannelOrder[] = [];
  let pages = 0;
  for (let attempts = 0; attempts < 200; attempts++) {
    try {
      const page = await adapter.pullOrders(cursor);
      pages++;
      orders.push(...page.orders);
      cursor = page.cursor;
      if (page.done) return { orders, cursor, pages };
    } catch (error) {
      if (!isChannelError(error) || (error.kind !== "rate_limited" && error.kind !== "unavailable")) throw error;
      onError(error);
      await new Promise((resolve) => setTimeout(resolve, Math.min(error.retryAfterMs ?? 10, 2_000)));
    }
  }
  throw new Error("sync did not finish");
}

function available(variant: StoreVariant): number {
  return sandbox.store.findLevel(variant.inventoryItemId, Number(locationGid.split("/").pop()))!.quantities.available;
}

function push(variant: StoreVariant, quantity: number, expectedQuantity: number | null, idempotencyKey = randomUUID()): StockPush {
  return {
    listingExternalId: `gid://shopify/ProductVariant/${variant.id}`,
    itemExternalId: `gid://shopify/InventoryItem/${variant.inventoryItemId}`,
    sku: variant.sku,
    locationExternalId: locationGid,
    quantity,
    expectedQuantity,
    idempotencyKey,
  };
}

describe("Shopify orders", () => {
  let cursor: string | null = null;

  it("imports orders incrementally across pages, then only what changed: a cancellation, a refund, new orders", async () => {
    const created = [];
    for (let i = 0; i < 12; i++) {
      if (i % 3 === 0) tick(); // several orders share a second, as they do in a busy shop
      created.push(sandbox.store.createOrder({ lineItems: [{ variantId: variants[i % 6]!.id, quantity: 1 + (i % 3) }, { variantId: variants[(i + 1) % 6]!.id, quantity: 2 }], email: `c${i}@example.com` }));
    }
    const first = await syncOrders(null);
    expect(first.pages).toBe(4); // 3 orders a page (279 points each at most)
    expect(first.orders.map((o) => o.externalId)).toEqual(created.map((o) => `gid://shopify/Order/${o.id}`));
    expect(first.orders[0]).toMatchObject({ name: "#1001", customerEmail: "c0@example.com", currency: "USD", cancelledAt: null, financialStatus: "PAID", fulfillmentStatus: "UNFULFILLED" });
    expect(first.orders[0]!.lines[0]).toMatchObject({ sku: variants[0]!.sku, quantity: 1, cancelledQuantity: 0, refundedQuantity: 0, unshippedQuantity: 1, unitPrice: variants[0]!.price });
    cursor = first.cursor;

    // Nothing changed: nothing comes back, even though the watermark is inclusive.
    expect((await syncOrders(cursor)).orders).toEqual([]);

    tick();
    const cancelled = sandbox.store.cancelOrder(created[2]!.id);
    const refundedOrder = created[4]!;
    sandbox.store.refund(refundedOrder.id, [{ lineItemId: refundedOrder.lineItems[1]!.id, quantity: 1 }]);
    const fresh = sandbox.store.createOrder({ lineItems: [{ variantId: variants[5]!.id, quantity: 4 }] });
    const second = await syncOrders(cursor);
    expect(second.orders.map((o) => o.externalId).sort()).toEqual([cancelled, refundedOrder, fresh].map((o) => `gid://shopify/Order/${o.id}`).sort());
    const byId = new Map(second.orders.map((o) => [o.externalId, o]));
    const cancelledLines = byId.get(`gid://shopify/Order/${cancelled.id}`)!.lines;
    expect(byId.get(`gid://shopify/Order/${cancelled.id}`)!.cancelledAt).toBe(new Date(now).toISOString().replace(".000", ""));
    expect(cancelledLines.map((l) => [l.quantity, l.cancelledQuantity, l.refundedQuantity, l.unshippedQuantity])).toEqual([
      [3, 3, 0, 0],
      [2, 2, 0, 0],
    ]);
    expect(byId.get(`gid://shopify/Order/${refundedOrder.id}`)!.lines[1]).toMatchObject({ quantity: 2, refundedQuantity: 1, cancelledQuantity: 0, unshippedQuantity: 1 });
    cursor = second.cursor;

    // An order changed again in the same second as the watermark still comes through.
    sandbox.store.refund(refundedOrder.id, [{ lineItemId: refundedOrder.lineItems[0]!.id, quantity: 1 }]);
    const third = await syncOrders(cursor);
    expect(third.orders.map((o) => o.externalId)).toEqual([`gid://shopify/Order/${refundedOrder.id}`]);
    expect(third.orders[0]!.lines[0]).toMatchObject({ refundedQuantity: 1 });
  });

  it("ends a throttling, 429 and 5xx storm with every order imported exactly once", async () => {
    tick(60);
    const start = await syncOrders(null);
    for (let i = 0; i < 23; i++) {
      if (i % 4 === 0) tick();
      sandbox.store.createOrder({ lineItems: [{ variantId: variants[i % 6]!.id, quantity: 1 }] });
    }
    const seen = new Map<string, number>();
    const errors: string[] = [];
    let cursor = start.cursor;
    sandbox.faults.set({ throttleNext: 3, http429Next: { count: 2, retryAfterSeconds: 0.1 }, http5xxNext: 2 });
    const storm = await syncOrders(cursor, (error) => {
      errors.push(`${error.kind}:${error.status ?? "200"}`);
      // Keep it stormy: throttle again after each recovery, a few times.
      if (errors.length < 6) sandbox.faults.set({ throttleNext: 1 });
    });
    for (const order of storm.orders) seen.set(order.externalId, (seen.get(order.externalId) ?? 0) + 1);
    cursor = storm.cursor;

    expect(seen.size).toBe(23);
    expect([...seen.values()].every((count) => count === 1)).toBe(true);
    expect(errors).toEqual(expect.arrayContaining(["rate_limited:200", "rate_limited:429", "unavailable:503"]));
    expect((await syncOrders(cursor)).orders).toEqual([]);
  });

  it("classifies an invalid token as auth (the merchant must reconnect)", async () => {
    sandbox.faults.set({ invalidTokenNext: 1 });
    await expect(adapter.pullOrders(null)).rejects.toMatchObject({ name: "ChannelError", kind: "auth", status: 401 });
  });
});

describe("Shopify quantity pushes", () => {
  it("pushes the new quantity after a receipt, and a retried push does not apply twice", async () => {
    const variant = variants[0]!;
    const before = available(variant);
    const receipt = push(variant, before + 24, before); // 24 units received in our warehouse
    expect(await adapter.pushStock([receipt])).toEqual([{ listingExternalId: receipt.listingExternalId, status: "applied", quantity: before + 24 }]);
    expect(available(variant)).toBe(before + 24);

    sandbox.store.createOrder({ lineItems: [{ variantId: variant.id, quantity: 1 }] }); // a sale since
    expect(await adapter.pushStock([receipt])).toEqual([{ listingExternalId: receipt.listingExternalId, status: "applied", quantity: before + 24 }]); // the replay
    expect(available(variant)).toBe(before + 23);
    const mutation = sandbox.requests.filter((request) => request.operationName === "ReplenishSetQuantities").at(-1)!;
    expect(mutation.variables).toMatchObject({ key: receipt.idempotencyKey, input: { name: "available", reason: "correction", quantities: [{ changeFromQuantity: before, quantity: before + 24 }] } });
  });

  it("detects a Shopify-side change racing our push, changes nothing, and resolves it by re-reading", async () => {
    const variant = variants[1]!;
    const ours = available(variant);
    sandbox.store.setQuantity({ variantId: variant.id, locationId: locationGid, quantity: ours - 3 }); // a merchant edit in Shopify admin
    const [result] = await adapter.pushStock([push(variant, ours + 10, ours)]);
    expect(result).toEqual({ listingExternalId: `gid://shopify/ProductVariant/${variant.id}`, status: "stale", actualQuantity: ours - 3 });
    expect(available(variant)).toBe(ours - 3); // not overwritten blindly

    // The service decides again from what it re-read, with a new key for the new intention.
    const [retry] = await adapter.pushStock([push(variant, ours - 3 + 10, result?.status === "stale" ? result.actualQuantity : null)]);
    expect(retry).toMatchObject({ status: "applied", quantity: ours + 7 });
    expect(available(variant)).toBe(ours + 7);
  });

  it("applies the rest of a batch when one quantity is stale or refused", async () => {
    const [a, b, c] = [variants[2]!, variants[3]!, variants[4]!];
    const [qa, qb, qc] = [available(a), available(b), available(c)];
    sandbox.store.setQuantity({ variantId: b.id, locationId: locationGid, quantity: qb + 1 });
    const bogus = { ...push(c, 5, null), itemExternalId: "gid://shopify/InventoryItem/999999" };
    const results = await adapter.pushStock([push(a, qa + 1, qa), push(b, qb + 5, qb), bogus, push(c, qc + 2, qc)]);
    expect(results.map((r) => r.status)).toEqual(["applied", "stale", "rejected", "applied"]);
    expect(results[2]).toMatchObject({ message: expect.stringContaining("INVALID_INVENTORY_ITEM") });
    expect([available(a), available(b), available(c)]).toEqual([qa + 1, qb + 1, qc + 2]);
  });

  it("lands pushes through a 429/5xx storm by retrying the same keys, with quantities equal to ours", async () => {
    const targets = variants.slice(0, 3);
    const pushes = targets.map((variant) => push(variant, 40, null));
    sandbox.faults.set({ http429Next: { count: 1, retryAfterSeconds: 0.1 }, http5xxNext: 1, throttleNext: 1 });
    const kinds: string[] = [];
    for (let attempt = 0; ; attempt++) {
      try {
        const results = await adapter.pushStock(pushes);
        expect(results.every((r) => r.status === "applied")).toBe(true);
        break;
      } catch (error) {
        if (!isChannelError(error) || attempt > 10) throw error;
        kinds.push(error.kind);
        await new Promise((resolve) => setTimeout(resolve, Math.min(error.retryAfterMs ?? 10, 1_000)));
      }
    }
    expect(kinds.sort()).toEqual(["rate_limited", "rate_limited", "unavailable"]);
    expect(targets.map(available)).toEqual([40, 40, 40]);
  });
});

describe("Shopify expiring offline tokens", () => {
  it("refreshes an expired offline token through the token endpoint and goes on working", async () => {
    // An install with expiring offline tokens: exchange a token for an expiring pair, the SDK's way.
    const exchange = await fetch(`${sandbox.origin}/admin/oauth/access_token`, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify({
        client_id: process.env.SHOPIFY_API_KEY,
        client_secret: process.env.SHOPIFY_API_SECRET,
        grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
        subject_token: sandbox.issueAccessToken(),
        subject_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
        requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
        expiring: "1",
      }),
    });
    const pair = (await exchange.json()) as { access_token: string; refresh_token: string; expires_in: number };
    expect(pair.expires_in).toBe(3600);

    const { sessionStorage, unauthenticated } = await import("#app/shopify.server.ts");
    sandbox.revokeAccessToken(pair.access_token); // it has expired on Shopify's side too
    await sessionStorage.storeSession(
      new Session({ id: `offline_${shop}`, shop, state: "", isOnline: false, accessToken: pair.access_token, scope: "read_orders", expires: new Date(Date.now() - 60_000), refreshToken: pair.refresh_token, refreshTokenExpires: new Date(Date.now() + 86_400_000) }),
    );
    const { admin, session } = await unauthenticated.admin(shop);
    expect(session.accessToken).not.toBe(pair.access_token);
    expect(session.refreshToken).not.toBe(pair.refresh_token); // refresh tokens rotate
    expect((await sessionStorage.loadSession(`offline_${shop}`))?.accessToken).toBe(session.accessToken);
    // The storm above left the cost bucket low: a throttled page is retried after Shopify's wait, as the worker does.
    const refreshed = createShopifyAdapter({ graphql: admin.graphql });
    let page;
    for (let attempt = 0; !page; attempt++) {
      try {
        page = await refreshed.pullOrders(null);
      } catch (error) {
        if (!isChannelError(error) || error.kind !== "rate_limited" || attempt >= 5) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.min(error.retryAfterMs ?? 1_000, 5_000)));
      }
    }
    expect(page.orders.length).toBeGreaterThan(0);
    expect(sandbox.requests.filter((request) => request.path === "/admin/oauth/access_token").map((request) => request.status)).toEqual([200, 200]);
  });
});
