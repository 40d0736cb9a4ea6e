import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ChannelAdapter, ChannelOrder } from "#app/channels/channel.ts";
import { createEbayAdapter, type EbayAdapterConfig } from "#app/channels/ebay/adapter.server.ts";
import type { EbayToken } from "#app/channels/ebay/client.server.ts";
import { isChannelError } from "#app/channels/errors.ts";
import { startEbaySandbox, type EbaySandbox } from "#sandbox/ebay/server.ts";

// eBay orders through ebay-api against the local Fulfillment API + OAuth sandbox (LoopbackAgent).

let sandbox: EbaySandbox;
const T0 = Date.parse("2026-11-20T08:00:00.000Z");
const minutes = (n: number) => T0 + n * 60_000;

function adapterConfig(overrides: Partial<EbayAdapterConfig> = {}): EbayAdapterConfig {
  const { state } = sandbox;
  return {
    appId: state.appId,
    certId: state.certId,
    marketplaceId: "EBAY_US",
    token: { accessToken: state.issueToken("user").token, refreshToken: state.refreshToken },
    loopbackPort: sandbox.port,
    initialOrdersSince: "2026-11-01T00:00:00.000Z",
    ordersPageSize: 3,
    rateLimitRetryAfterMs: 5,
    ...overrides,
  };
}

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

const seedOrders = (count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => sandbox.state.addOrder({ at: minutes(from + i), lines: [{ sku: "E-1", quantity: 2, unitPrice: "7.25" }] }));

beforeAll(async () => {
  sandbox = await startEbaySandbox();
  sandbox.state.addListing({ sku: "E-1", quantity: 50 });
});
afterAll(() => sandbox.close());
beforeEach(() => {
  sandbox.faults.clear();
  sandbox.state.orders.clear();
  sandbox.requests.length = 0;
});

describe("eBay orders through ebay-api", () => {
  it("pulls incrementally by lastmodifieddate across offset pages, cancellations as cancelledQuantity", async () => {
    const orders = seedOrders(8);
    sandbox.state.cancelOrder(orders[1]!.orderId, minutes(20));
    const adapter = createEbayAdapter(adapterConfig());

    const first = await sync(adapter, null);
    expect(first.delivered.map((o) => o.externalId).sort()).toEqual(orders.map((o) => o.orderId).sort());
    const pages = sandbox.requests.filter((r) => r.path === "/sell/fulfillment/v1/order");
    expect(pages.map((r) => r.query.get("offset"))).toEqual(["0", "3", "6"]);
    expect(pages[0]?.query.get("filter")).toBe("lastmodifieddate:[2026-11-01T00:00:00.000Z..]");
    const cancelled = first.delivered.find((o) => o.externalId === orders[1]!.orderId)!;
    expect(cancelled.cancelledAt).toBe("2026-11-20T08:20:00.000Z");
    expect(cancelled.lines[0]).toMatchObject({ quantity: 2, cancelledQuantity: 2, unshippedQuantity: 0 });
    expect(first.delivered[0]?.lines[0]).toMatchObject({ sku: "E-1", unitPrice: "7.25", unshippedQuantity: 2 });

    const later = seedOrders(2, 40);
    sandbox.state.shipOrder(orders[4]!.orderId, minutes(45));
    sandbox.requests.length = 0;
    const second = await sync(adapter, first.cursor);
    expect(new Set(second.delivered.map((o) => o.externalId))).toEqual(new Set([orders[1]!.orderId, ...later.map((o) => o.orderId), orders[4]!.orderId]));
    expect(sandbox.requests[0]?.query.get("filter")).toBe("lastmodifieddate:[2026-11-20T08:20:00.000Z..]");
    expect(second.delivered.find((o) => o.externalId === orders[4]!.orderId)?.lines[0]?.unshippedQuantity).toBe(0);
  });

  it("reflects a refund made after the first sync on the next incremental pull (line refund amounts → refundedQuantity)", async () => {
    const [full, partial, untouched] = [
      sandbox.state.addOrder({ at: minutes(0), lines: [{ sku: "E-1", quantity: 2, unitPrice: "7.25" }] }),
      sandbox.state.addOrder({ at: minutes(1), lines: [{ sku: "E-1", quantity: 3, unitPrice: "7.25" }] }),
      sandbox.state.addOrder({ at: minutes(2), lines: [{ sku: "E-1", quantity: 1, unitPrice: "7.25" }] }),
    ];
    for (const order of [full!, partial!]) sandbox.state.shipOrder(order.orderId, minutes(5));
    const adapter = createEbayAdapter(adapterConfig());
    const first = await sync(adapter, null);
    expect(first.delivered.flatMap((o) => o.lines.map((l) => l.refundedQuantity))).toEqual([0, 0, 0]);

    // After the first sync: a whole line refunded, one unit of three refunded, then a goodwill credit.
    sandbox.state.refundOrder(full!.orderId, [{ sku: "E-1" }], minutes(60));
    sandbox.state.refundOrder(partial!.orderId, [{ sku: "E-1", units: 1 }], minutes(61));
    sandbox.state.refundOrder(partial!.orderId, [{ sku: "E-1", amount: "2.00" }], minutes(62));
    const second = await sync(adapter, first.cursor);
    const byId = new Map(second.delivered.map((o) => [o.externalId, o]));
    expect(byId.get(full!.orderId)).toMatchObject({ financialStatus: "FULLY_REFUNDED", updatedAt: "2026-11-20T09:00:00.000Z" });
    expect(byId.get(full!.orderId)?.lines[0]).toMatchObject({ quantity: 2, refundedQuantity: 2, cancelledQuantity: 0, unshippedQuantity: 0 });
    expect(byId.get(partial!.orderId)).toMatchObject({ financialStatus: "PARTIALLY_REFUNDED" });
    expect(byId.get(partial!.orderId)?.lines[0]).toMatchObject({ quantity: 3, refundedQuantity: 1 });
    expect(byId.has(untouched!.orderId)).toBe(false);
  });

  it("refreshes an expired token through ebay-api and hands the new token to the persistence callback", async () => {
    seedOrders(1);
    const persisted: EbayToken[] = [];
    const adapter = createEbayAdapter(adapterConfig({ onTokenRefreshed: async (token) => void persisted.push(token) }));
    sandbox.state.expireTokens();
    const page = await adapter.pullOrders(null);
    expect(page.orders).toHaveLength(1);
    expect(sandbox.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      "GET /sell/fulfillment/v1/order 401",
      "POST /identity/v1/oauth2/token 200",
      "GET /sell/fulfillment/v1/order 200",
    ]);
    const tokenCall = sandbox.requests[1]!;
    expect(tokenCall.headers.authorization).toBe(`Basic ${Buffer.from(`${sandbox.state.appId}:${sandbox.state.certId}`).toString("base64")}`);
    expect(new URLSearchParams(tokenCall.body).get("grant_type")).toBe("refresh_token");
    expect(persisted).toEqual([{ accessToken: expect.stringMatching(/^v\^1\.1/), refreshToken: sandbox.state.refreshToken, expiresIn: 7200 }]);
    expect(sandbox.state.tokenKind(persisted[0]!.accessToken)).toBe("user");
  });

  it("reports auth when the refresh token is refused, and when a 401 survives the refresh", async () => {
    const adapter = createEbayAdapter(adapterConfig({ token: { accessToken: "expired", refreshToken: "revoked" } }));
    await expect(adapter.pullOrders(null)).rejects.toMatchObject({ kind: "auth", channel: "EBAY" });

    sandbox.faults.inject("invalid_token", { times: 2 });
    await expect(createEbayAdapter(adapterConfig()).pullOrders(null)).rejects.toMatchObject({ kind: "auth", status: 401 });
  });

  it("ends a 429 storm with every order imported exactly once", async () => {
    const orders = seedOrders(11);
    sandbox.state.cancelOrder(orders[9]!.orderId, minutes(30));
    sandbox.faults.inject("throttle", { every: 2, times: 6, path: "/sell/fulfillment" });
    const { delivered, waits } = await sync(createEbayAdapter(adapterConfig()), null);
    const counts = new Map<string, number>();
    for (const order of delivered) counts.set(order.externalId, (counts.get(order.externalId) ?? 0) + 1);
    expect([...counts.keys()].sort()).toEqual(orders.map((o) => o.orderId).sort());
    expect([...counts.values()].every((n) => n === 1)).toBe(true);
    // 4 pages of 3; every 2nd call throttled: page, 429, page, 429, page, 429, page.
    expect(waits).toEqual([5, 5, 5]);
    expect(sandbox.requests.filter((r) => r.status === 429)).toHaveLength(3);
  });

  it("maps 5xx to unavailable without moving the cursor", async () => {
    seedOrders(2);
    sandbox.faults.inject("server_error", { path: "/sell/fulfillment" });
    const adapter = createEbayAdapter(adapterConfig());
    await expect(adapter.pullOrders(null)).rejects.toMatchObject({ kind: "unavailable", status: 500 });
    expect((await adapter.pullOrders(null)).orders).toHaveLength(2);
  });

  it("gives up on a slow answer at the configured timeout (unavailable)", async () => {
    seedOrders(1);
    const adapter = createEbayAdapter(adapterConfig({ timeoutMs: 100 }));
    sandbox.faults.inject("delay", { path: "/sell/fulfillment", delayMs: 400 });
    await expect(adapter.pullOrders(null)).rejects.toMatchObject({ kind: "unavailable" });
    expect((await adapter.pullOrders(null)).orders).toHaveLength(1);
  });
});
