import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createAmazonAdapter, type AmazonAdapterConfig } from "#app/channels/amazon/adapter.server.ts";
import type { ChannelAdapter, ChannelOrder } from "#app/channels/channel.ts";
import { ChannelError, isChannelError } from "#app/channels/errors.ts";
import { startAmazonSandbox, type AmazonSandbox } from "#sandbox/amazon/server.ts";
import { sandboxAmazonConfig } from "../../support/channel-sandboxes.ts";

// Amazon orders through amazon-sp-api against the local SP-API + LWA sandbox (LoopbackAgent).

let sandbox: AmazonSandbox;
const T0 = Date.parse("2026-11-20T08:00:00Z");
const minutes = (n: number) => T0 + n * 60_000;

function adapterConfig(overrides: Partial<AmazonAdapterConfig> = {}): AmazonAdapterConfig {
  return sandboxAmazonConfig(sandbox, { ordersPageSize: 3, ...overrides });
}

/** The worker's loop in miniature: pull pages until done; on rate_limited wait retryAfterMs and resume from the cursor. */
async function sync(adapter: ChannelAdapter, start: string | null) {
  const delivered: ChannelOrder[] = [];
  const waits: number[] = [];
  let cursor = start;
  for (let guard = 0; guard < 500; guard++) {
    try {
      const page = await adapter.pullOrders(cursor);
      delivered.push(...page.orders);
      cursor = page.cursor;
      if (page.done) return { delivered, cursor, waits };
    } catch (error) {
      if (!isChannelError(error) || error.kind !== "rate_limited") throw error;
      waits.push(error.retryAfterMs ?? -1);
      await sleep(error.retryAfterMs ?? 0);
    }
  }
  throw new Error("sync did not finish");
}

function seedOrders(count: number, from = 0) {
  return Array.from({ length: count }, (_, i) =>
    sandbox.state.addOrder({ at: minutes(from + i), lines: [{ sku: "MFN-A", quantity: 2, unitPrice: "12.50" }, { sku: "MFN-B", quantity: 1, unitPrice: "4.00" }] }),
  );
}

beforeAll(async () => {
  sandbox = await startAmazonSandbox({ ordersPageSize: 100, orderItemsPageSize: 1 });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.faults.clear();
  sandbox.state.orders.clear();
  sandbox.state.refundEvents.length = 0;
  sandbox.requests.length = 0;
  sandbox.state.listings.clear();
  sandbox.state.addListing({ sku: "MFN-A", quantity: 10 });
  sandbox.state.addListing({ sku: "MFN-B", quantity: 10 });
});

describe("Amazon orders through amazon-sp-api", () => {
  it("pulls incrementally across pages (LastUpdatedAfter + NextToken), items per order, cancellations as cancelledQuantity", async () => {
    const orders = seedOrders(8);
    sandbox.state.cancelOrder(orders[2]!.AmazonOrderId, minutes(20));
    const adapter = createAmazonAdapter(adapterConfig());

    const first = await sync(adapter, null);
    expect(first.delivered.map((o) => o.externalId).sort()).toEqual(orders.map((o) => o.AmazonOrderId).sort());
    const pages = sandbox.requests.filter((r) => r.path === "/orders/v0/orders");
    expect(pages).toHaveLength(3);
    expect(pages[0]?.query.get("LastUpdatedAfter")).toBe("2026-11-01T00:00:00Z");
    expect(pages[1]?.query.get("NextToken")).toBeTruthy();
    // Items are paged too (one per page in this sandbox): every line arrived.
    expect(first.delivered.every((o) => o.lines.length === 2)).toBe(true);

    const cancelled = first.delivered.find((o) => o.externalId === orders[2]!.AmazonOrderId)!;
    expect(cancelled.cancelledAt).toBe("2026-11-20T08:20:00Z");
    expect(cancelled.lines.map((l) => [l.cancelledQuantity, l.unshippedQuantity])).toEqual([[2, 0], [1, 0]]);
    const open = first.delivered.find((o) => o.externalId === orders[0]!.AmazonOrderId)!;
    expect(open.lines[0]).toMatchObject({ sku: "MFN-A", quantity: 2, unshippedQuantity: 2, unitPrice: "12.50", locationExternalId: "DEFAULT" });

    // Next sync from the stored cursor: only what changed since (new orders, a later cancellation); the
    // newest order of the previous walk may come again (the window start is inclusive).
    const later = seedOrders(2, 30);
    sandbox.state.cancelOrder(orders[5]!.AmazonOrderId, minutes(40));
    sandbox.requests.length = 0;
    const second = await sync(adapter, first.cursor);
    const ids = new Set(second.delivered.map((o) => o.externalId));
    expect(ids).toEqual(new Set([orders[2]!.AmazonOrderId, ...later.map((o) => o.AmazonOrderId), orders[5]!.AmazonOrderId]));
    expect(sandbox.requests.find((r) => r.path === "/orders/v0/orders")?.query.get("LastUpdatedAfter")).toBe("2026-11-20T08:20:00Z");
    expect(second.delivered.find((o) => o.externalId === orders[5]!.AmazonOrderId)?.lines[0]?.cancelledQuantity).toBe(2);
  });

  it("reflects refunds (Finances RefundEventList) made after the first sync on the next incremental pull", async () => {
    const orders = seedOrders(4);
    for (const order of orders.slice(0, 3)) sandbox.state.shipOrder(order.AmazonOrderId, minutes(10));
    // Refunded before the first sync: the orders walk itself reads the order's financial events.
    sandbox.state.refundOrder(orders[2]!.AmazonOrderId, [{ sku: "MFN-B", quantity: 1 }], minutes(15));
    // No overlap, to pin the walk's exact windows (the 48 h default is covered in amazon-refunds-demand).
    const adapter = createAmazonAdapter(adapterConfig({ refundsOverlapMs: 0 }));
    const first = await sync(adapter, null);
    // orders[2] comes twice: from the orders walk and again from the refunds walk (at-least-once).
    expect(first.delivered.map((o) => o.externalId).sort()).toEqual([...orders.map((o) => o.AmazonOrderId), orders[2]!.AmazonOrderId].sort());
    const early = first.delivered.find((o) => o.externalId === orders[2]!.AmazonOrderId)!;
    expect(early.lines.map((l) => [l.sku, l.refundedQuantity])).toEqual([["MFN-A", 0], ["MFN-B", 1]]);
    expect(early.updatedAt).toBe("2026-11-20T08:15:00Z");
    // Unshipped orders cannot have been refunded (Amazon charges at shipment): no Finances call for them.
    const byOrder = sandbox.requests.filter((r) => r.path.startsWith("/finances/v0/orders/")).map((r) => r.path.split("/")[4]);
    expect([...new Set(byOrder)].sort()).toEqual(orders.slice(0, 3).map((o) => o.AmazonOrderId).sort());

    // After the first sync: one unit of a two-unit line, then a whole order. Refunds leave LastUpdateDate alone.
    sandbox.state.refundOrder(orders[0]!.AmazonOrderId, [{ sku: "MFN-A", quantity: 1 }], minutes(60));
    sandbox.state.refundOrder(orders[1]!.AmazonOrderId, [{ sku: "MFN-A", quantity: 2 }, { sku: "MFN-B", quantity: 1 }], minutes(61));
    expect(sandbox.state.orders.get(orders[1]!.AmazonOrderId)?.LastUpdateDate).toBe("2026-11-20T08:10:00Z");
    sandbox.requests.length = 0;
    const second = await sync(adapter, first.cursor);
    const byId = new Map(second.delivered.map((o) => [o.externalId, o]));
    expect(byId.get(orders[0]!.AmazonOrderId)?.lines.map((l) => [l.sku, l.quantity, l.refundedQuantity, l.unshippedQuantity])).toEqual([["MFN-A", 2, 1, 0], ["MFN-B", 1, 0, 0]]);
    expect(byId.get(orders[1]!.AmazonOrderId)?.lines.map((l) => l.refundedQuantity)).toEqual([2, 1]);
    // The version carrying the refund is newer than the one delivered before it.
    expect(byId.get(orders[1]!.AmazonOrderId)?.updatedAt).toBe("2026-11-20T09:01:00Z");
    expect(byId.has(orders[3]!.AmazonOrderId)).toBe(false);
    const listed = sandbox.requests.filter((r) => r.path === "/finances/v0/financialEvents");
    expect(listed).toHaveLength(1);
    // The refunds walk resumes at the newest refund the first sync saw (inclusive, at-least-once).
    expect(listed[0]?.query.get("PostedAfter")).toBe("2026-11-20T08:15:00.000Z");

    // Next sync with nothing new: the inclusive window start brings back the orders last updated at 08:10;
    // the newest refund's event is listed again but was delivered already (the cursor remembers it), so
    // its order is not re-read; every version carries the same totals (no double counting).
    const third = await sync(adapter, second.cursor);
    const refundedNow = (id: string) => third.delivered.filter((o) => o.externalId === id).map((o) => o.lines.map((l) => l.refundedQuantity));
    expect(refundedNow(orders[0]!.AmazonOrderId)).toEqual([[1, 0]]);
    expect(refundedNow(orders[1]!.AmazonOrderId)).toEqual([[2, 1]]);
    expect(refundedNow(orders[2]!.AmazonOrderId)).toEqual([[0, 1]]);
  });

  it("walks refund events across pages through a 429 storm, each refunded order delivered once by the refunds walk", async () => {
    const orders = seedOrders(5);
    orders.forEach((order, i) => sandbox.state.shipOrder(order.AmazonOrderId, minutes(10 + i)));
    const adapter = createAmazonAdapter(adapterConfig({ refundEventsPageSize: 2 }));
    const first = await sync(adapter, null);
    orders.forEach((order, i) => sandbox.state.refundOrder(order.AmazonOrderId, [{ sku: "MFN-A", quantity: 1 + (i % 2) }], minutes(30 + i)));
    sandbox.requests.length = 0;
    sandbox.faults.inject("throttle", { every: 2, times: 8, value: 200 });
    const second = await sync(adapter, first.cursor);
    const counts = new Map<string, number>();
    for (const order of second.delivered) counts.set(order.externalId, (counts.get(order.externalId) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(orders.map((o) => o.AmazonOrderId).sort());
    // The last shipped order also starts the (inclusive) orders window again; every other comes once.
    expect(orders.map((o) => counts.get(o.AmazonOrderId))).toEqual([1, 1, 1, 1, 2]);
    expect(second.waits).toHaveLength(8);
    const pages = sandbox.requests.filter((r) => r.path === "/finances/v0/financialEvents" && r.status === 200);
    expect(pages.map((r) => Boolean(r.query.get("NextToken")))).toEqual([false, true, true]);
    for (const [i, order] of orders.entries()) {
      expect(second.delivered.find((o) => o.externalId === order.AmazonOrderId)?.lines[0]?.refundedQuantity).toBe(1 + (i % 2));
    }
  });

  it("refreshes an expired LWA token through the library and carries on", async () => {
    seedOrders(2);
    const adapter = createAmazonAdapter(adapterConfig());
    await adapter.pullOrders(null);
    expect(sandbox.state.tokensIssued).toBeGreaterThanOrEqual(1);
    const issued = sandbox.state.tokensIssued;

    sandbox.state.expireAccessTokens();
    sandbox.requests.length = 0;
    const page = await adapter.pullOrders(null);
    expect(page.orders).toHaveLength(2);
    expect(sandbox.state.tokensIssued).toBe(issued + 1);
    expect(sandbox.requests.slice(0, 3).map((r) => `${r.host} ${r.status}`)).toEqual([
      "sellingpartnerapi-na.amazon.com 403",
      "api.amazon.com 200",
      "sellingpartnerapi-na.amazon.com 200",
    ]);
  });

  it("reports auth when the token expired and the refresh token is no longer accepted", async () => {
    const adapter = createAmazonAdapter(adapterConfig());
    await adapter.pullOrders(null);
    sandbox.state.expireAccessTokens();
    const revoked = sandbox.state.refreshToken;
    sandbox.state.refreshToken = "Atzr|rotated";
    try {
      await expect(adapter.pullOrders(null)).rejects.toMatchObject({ kind: "auth", channel: "AMAZON" });
    } finally {
      sandbox.state.refreshToken = revoked;
    }
  });

  it("ends a 429 storm with every order imported exactly once, waiting what x-amzn-RateLimit-Limit says", async () => {
    const orders = seedOrders(10);
    sandbox.state.cancelOrder(orders[7]!.AmazonOrderId, minutes(30));
    // Every 2nd SP-API call is throttled, 12 times; the header advertises 200 req/s → 5 ms waits.
    sandbox.faults.inject("throttle", { every: 2, times: 12, value: 200 });
    const adapter = createAmazonAdapter(adapterConfig());

    const started = Date.now();
    const { delivered, waits } = await sync(adapter, null);
    const counts = new Map<string, number>();
    for (const order of delivered) counts.set(order.externalId, (counts.get(order.externalId) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(orders.map((o) => o.AmazonOrderId).sort());
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    expect(delivered.find((o) => o.externalId === orders[7]!.AmazonOrderId)?.cancelledAt).not.toBeNull();
    // Every 429 surfaced to the loop (no hidden client-side sleeping or retrying), each with the header's wait.
    expect(waits).toHaveLength(12);
    expect(new Set(waits)).toEqual(new Set([5]));
    expect(sandbox.requests.filter((r) => r.status === 429)).toHaveLength(12);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it("waits the rate the 429 advertises (getOrders: 0.0167/s ≈ 1 min) and maps 5xx to unavailable", async () => {
    seedOrders(1);
    const adapter = createAmazonAdapter(adapterConfig());
    sandbox.faults.inject("throttle", { path: "/orders/v0/orders" });
    const throttled = await adapter.pullOrders(null).catch((error: unknown) => error);
    expect(throttled).toBeInstanceOf(ChannelError);
    // The sandbox sends getOrders' own rate (0.0167/s) as the header: about a minute.
    expect((throttled as ChannelError).retryAfterMs).toBeGreaterThan(55_000);

    sandbox.faults.inject("server_error", { path: "/orders/v0/orders" });
    await expect(adapter.pullOrders(null)).rejects.toMatchObject({ kind: "unavailable", status: 500 });
  });

  it("gives up on a slow answer at the configured deadline (unavailable), and the next call works", async () => {
    seedOrders(1);
    const adapter = createAmazonAdapter(adapterConfig({ timeoutMs: 100 }));
    await adapter.pullOrders(null);
    sandbox.faults.inject("delay", { path: "/orders/v0/orders", delayMs: 400 });
    await expect(adapter.pullOrders(null)).rejects.toMatchObject({ kind: "unavailable", message: expect.stringContaining("API_DEADLINE_TIMEOUT") });
    expect((await adapter.pullOrders(null)).orders).toHaveLength(1);
  });
});
