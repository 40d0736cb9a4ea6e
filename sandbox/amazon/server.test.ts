import { request } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startAmazonSandbox, type AmazonSandbox } from "./server.ts";

// The sandbox on its own, over plain HTTP with the Host header a LoopbackAgent would send. The adapter
// tests (tests/integration/channels/amazon-*.test.ts) drive it through amazon-sp-api.

const SP = "sellingpartnerapi-na.amazon.com";
let sandbox: AmazonSandbox;
let token = "";

type Answer = { status: number; headers: Record<string, string | string[] | undefined>; body: string; json: any };

function call(method: string, host: string, path: string, options: { body?: unknown; headers?: Record<string, string> } = {}): Promise<Answer> {
  const body = options.body === undefined ? undefined : typeof options.body === "string" ? options.body : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: "127.0.0.1", port: sandbox.port, method, path, headers: { host, "content-type": "application/json", ...options.headers } },
      (res) => {
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (text += chunk));
        res.on("end", () => {
          let json: unknown;
          try {
            json = JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json });
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

const sp = (method: string, path: string, body?: unknown) => call(method, SP, path, { body, headers: { "x-amz-access-token": token } });

beforeAll(async () => {
  sandbox = await startAmazonSandbox({ ordersPageSize: 2 });
});
afterAll(() => sandbox.close());

beforeEach(async () => {
  sandbox.faults.clear();
  const { state } = sandbox;
  const answer = await call("POST", "api.amazon.com", "/auth/o2/token", {
    body: { grant_type: "refresh_token", refresh_token: state.refreshToken, client_id: state.clientId, client_secret: state.clientSecret },
  });
  token = answer.json.access_token;
});

describe("Amazon sandbox", () => {
  it("mints LWA tokens for the right refresh token only, with OAuth error bodies", async () => {
    const { state } = sandbox;
    expect(token).toMatch(/^Atza\|/);
    const bad = await call("POST", "api.amazon.com", "/auth/o2/token", {
      body: { grant_type: "refresh_token", refresh_token: "nope", client_id: state.clientId, client_secret: state.clientSecret },
    });
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({ error: "invalid_grant", error_description: expect.any(String) });
    const wrongClient = await call("POST", "api.amazon.com", "/auth/o2/token", { body: { grant_type: "refresh_token", refresh_token: state.refreshToken, client_id: "x", client_secret: "y" } });
    expect(wrongClient.status).toBe(401);
  });

  it("expires tokens after the configured lifetime on the sandbox clock", async () => {
    let now = Date.parse("2026-11-24T00:00:00Z");
    const clocked = await startAmazonSandbox({ tokenTtlMs: 60_000, now: () => now });
    try {
      const { token: minted } = clocked.state.issueAccessToken();
      expect(clocked.state.tokenStatus(minted)).toBe("valid");
      now += 60_001;
      expect(clocked.state.tokenStatus(minted)).toBe("expired");
    } finally {
      await clocked.close();
    }
  });

  it("answers 403 with the exact expired-token body once a token outlives its TTL", async () => {
    sandbox.state.expireAccessTokens();
    const answer = await sp("GET", `/orders/v0/orders?MarketplaceIds=${sandbox.state.marketplaceId}&LastUpdatedAfter=2026-01-01T00:00:00Z`);
    expect(answer.status).toBe(403);
    expect(answer.json).toEqual({ errors: [{ code: "Unauthorized", message: "Access to requested resource is denied.", details: "The access token you provided has expired." }] });
    const missing = await call("GET", SP, "/orders/v0/orders?MarketplaceIds=x&LastUpdatedAfter=2026-01-01T00:00:00Z");
    expect(missing.status).toBe(403);
  });

  it("pages getOrders with reusable NextTokens that do not skip an order updated mid-walk", async () => {
    const { state } = sandbox;
    state.orders.clear();
    const t0 = Date.parse("2026-11-20T10:00:00Z");
    state.addListing({ sku: "A", quantity: 3 });
    const ids = [0, 1, 2, 3, 4].map((i) => state.addOrder({ at: t0 + i * 60_000, lines: [{ sku: "A", quantity: 1 }] }).AmazonOrderId);
    const first = await sp("GET", `/orders/v0/orders?LastUpdatedAfter=2026-11-20T00:00:00Z&MarketplaceIds=${state.marketplaceId}`);
    expect(first.status).toBe(200);
    expect(first.headers["x-amzn-ratelimit-limit"]).toBe("0.0167");
    expect(first.headers["x-amzn-requestid"]).toBeTruthy();
    expect(first.json.payload.Orders.map((o: { AmazonOrderId: string }) => o.AmazonOrderId)).toEqual(ids.slice(0, 2));

    // The first order changes while the client holds page 1's token: it moves to the end, nothing shifts.
    state.cancelOrder(ids[0] ?? "", t0 + 10 * 60_000);
    const seen: string[] = [];
    let next: string | undefined = first.json.payload.NextToken;
    while (next) {
      const page = await sp("GET", `/orders/v0/orders?MarketplaceIds=${state.marketplaceId}&NextToken=${encodeURIComponent(next)}`);
      seen.push(...page.json.payload.Orders.map((o: { AmazonOrderId: string }) => o.AmazonOrderId));
      next = page.json.payload.NextToken;
    }
    expect(seen).toEqual([...ids.slice(2), ids[0]]);

    // The same token again gives the same page (a retried page after a 429).
    const again = await sp("GET", `/orders/v0/orders?MarketplaceIds=${state.marketplaceId}&NextToken=${encodeURIComponent(first.json.payload.NextToken)}`);
    expect(again.json.payload.Orders[0].AmazonOrderId).toBe(ids[2]);

    const invalid = await sp("GET", `/orders/v0/orders?MarketplaceIds=${state.marketplaceId}`);
    expect(invalid.status).toBe(400);
    expect(invalid.json.errors[0].code).toBe("InvalidInput");
  });

  it("throttles with QuotaExceeded and the rate-limit header, then recovers", async () => {
    sandbox.faults.inject("throttle", { times: 1, path: "/orders", value: 100 });
    const throttled = await sp("GET", `/orders/v0/orders?MarketplaceIds=${sandbox.state.marketplaceId}&LastUpdatedAfter=2026-01-01T00:00:00Z`);
    expect(throttled.status).toBe(429);
    expect(throttled.headers["x-amzn-ratelimit-limit"]).toBe("100");
    expect(throttled.json.errors[0].code).toBe("QuotaExceeded");
    const ok = await sp("GET", `/orders/v0/orders?MarketplaceIds=${sandbox.state.marketplaceId}&LastUpdatedAfter=2026-01-01T00:00:00Z`);
    expect(ok.status).toBe(200);
  });

  it("schedules storms deterministically: every n-th matching request", async () => {
    sandbox.faults.inject("server_error", { every: 2, times: 2, path: "/fba" });
    const statuses = [];
    for (let i = 0; i < 6; i++) {
      statuses.push((await sp("GET", `/fba/inventory/v1/summaries?granularityType=Marketplace&granularityId=${sandbox.state.marketplaceId}&marketplaceIds=${sandbox.state.marketplaceId}`)).status);
    }
    expect(statuses).toEqual([200, 500, 200, 500, 200, 200]);
  });

  it("merges fulfillment_availability (keeps lead time), rejects bad quantities, records FBA conversions", async () => {
    const { state } = sandbox;
    state.addListing({ sku: "M 1", quantity: 1, leadTimeToShipMaxDays: 3 });
    state.addListing({ sku: "F1", fulfillmentChannel: "AFN", quantity: 9 });
    const path = (sku: string) => `/listings/2021-08-01/items/${state.sellerId}/${encodeURIComponent(sku)}?marketplaceIds=${state.marketplaceId}`;
    const patch = (quantity: unknown, op = "merge") => ({
      productType: "PRODUCT",
      patches: [{ op, path: "/attributes/fulfillment_availability", value: [{ fulfillment_channel_code: "DEFAULT", quantity }] }],
    });

    const accepted = await sp("PATCH", path("M 1"), patch(6));
    expect(accepted.json).toMatchObject({ sku: "M 1", status: "ACCEPTED", issues: [] });
    expect(state.listings.get("M 1")).toMatchObject({ quantity: 6, leadTimeToShipMaxDays: 3 });

    const invalid = await sp("PATCH", path("M 1"), patch(-1));
    expect(invalid.json.status).toBe("INVALID");
    expect(invalid.json.issues[0]).toMatchObject({ severity: "ERROR", attributeNames: ["fulfillment_availability"] });
    expect(state.listings.get("M 1")?.quantity).toBe(6);

    await sp("PATCH", path("M 1"), patch(4, "replace"));
    expect(state.listings.get("M 1")).toMatchObject({ quantity: 4, leadTimeToShipMaxDays: null });

    expect(state.channelSwitches).toEqual([]);
    await sp("PATCH", path("F1"), patch(1));
    expect(state.channelSwitches.map((s) => s.sku)).toEqual(["F1"]);
  });

  it("serves feed documents on the S3 host and processes JSON_LISTINGS_FEED into a report", async () => {
    const { state } = sandbox;
    state.addListing({ sku: "FEED-1", quantity: 0 });
    const document = await sp("POST", "/feeds/2021-06-30/documents", { contentType: "application/json; charset=UTF-8" });
    expect(document.status).toBe(201);
    const url = new URL(document.json.url);
    expect(url.host).toMatch(/amazonaws\.com$/);
    const feedBody = {
      header: { sellerId: state.sellerId, version: "2.0" },
      messages: [
        { messageId: 1, sku: "FEED-1", operationType: "PATCH", productType: "PRODUCT", patches: [{ op: "merge", path: "/attributes/fulfillment_availability", value: [{ fulfillment_channel_code: "DEFAULT", quantity: 12 }] }] },
        { messageId: 2, sku: "MISSING", operationType: "PATCH", productType: "PRODUCT", patches: [] },
      ],
    };
    const put = await call("PUT", url.host, url.pathname + url.search, { body: feedBody });
    expect(put.status).toBe(200);
    const feed = await sp("POST", "/feeds/2021-06-30/feeds", { feedType: "JSON_LISTINGS_FEED", marketplaceIds: [state.marketplaceId], inputFeedDocumentId: document.json.feedDocumentId });
    expect(feed.status).toBe(202);
    const status = await sp("GET", `/feeds/2021-06-30/feeds/${feed.json.feedId}`);
    expect(status.json.processingStatus).toBe("DONE");
    const result = await sp("GET", `/feeds/2021-06-30/documents/${status.json.resultFeedDocumentId}`);
    const resultUrl = new URL(result.json.url);
    const report = await call("GET", resultUrl.host, resultUrl.pathname + resultUrl.search);
    expect(report.json.summary).toMatchObject({ messagesProcessed: 2, messagesAccepted: 1, messagesInvalid: 1 });
    expect(report.json.issues[0]).toMatchObject({ messageId: 2, severity: "ERROR" });
    expect(state.listings.get("FEED-1")?.quantity).toBe(12);
    const missing = await call("GET", resultUrl.host, "/no-such-document");
    expect(missing.status).toBe(404);
    expect(missing.body).toContain("<Code>NoSuchKey</Code>");
  });

  it("lists refunds as Finances RefundEventList by date (two-minute rule) and by order, and serves getOrder", async () => {
    const { state } = sandbox;
    state.orders.clear();
    state.refundEvents.length = 0;
    const order = state.addOrder({ at: Date.parse("2026-11-20T10:00:00Z"), lines: [{ sku: "R-1", quantity: 3, unitPrice: "5.00" }] });
    expect(() => state.refundOrder(order.AmazonOrderId, [{ sku: "R-1", quantity: 1 }])).toThrow(/shipped/);
    state.shipOrder(order.AmazonOrderId, Date.parse("2026-11-20T11:00:00Z"));
    state.refundOrder(order.AmazonOrderId, [{ sku: "R-1", quantity: 2 }], Date.parse("2026-11-20T12:00:00Z"));
    expect(() => state.refundOrder(order.AmazonOrderId, [{ sku: "R-1", quantity: 2 }])).toThrow(/1 shipped and not refunded/);
    // Posted just now: not yet listed by date (PostedBefore defaults to two minutes ago), listed by order.
    state.refundOrder(order.AmazonOrderId, [{ sku: "R-1", quantity: 1 }]);
    expect(state.orders.get(order.AmazonOrderId)?.LastUpdateDate).toBe("2026-11-20T11:00:00Z");

    const byDate = await sp("GET", "/finances/v0/financialEvents?PostedAfter=2026-11-20T00:00:00Z&MaxResultsPerPage=100");
    expect(byDate.status).toBe(200);
    const [event] = byDate.json.payload.FinancialEvents.RefundEventList;
    expect(byDate.json.payload.FinancialEvents.RefundEventList).toHaveLength(1);
    expect(event).toMatchObject({ AmazonOrderId: order.AmazonOrderId, PostedDate: "2026-11-20T12:00:00Z" });
    expect(event.ShipmentItemAdjustmentList[0]).toMatchObject({
      SellerSKU: "R-1",
      OrderItemId: order.items[0]!.OrderItemId,
      QuantityShipped: 2,
      ItemChargeAdjustmentList: [{ ChargeType: "Principal", ChargeAmount: { CurrencyCode: "USD", CurrencyAmount: -10 } }],
    });
    const byOrder = await sp("GET", `/finances/v0/orders/${order.AmazonOrderId}/financialEvents`);
    expect(byOrder.json.payload.FinancialEvents.RefundEventList.map((e: { ShipmentItemAdjustmentList: { QuantityShipped: number }[] }) => e.ShipmentItemAdjustmentList[0]?.QuantityShipped)).toEqual([2, 1]);

    expect((await sp("GET", "/finances/v0/financialEvents")).status).toBe(400);
    const tooRecent = await sp("GET", `/finances/v0/financialEvents?PostedAfter=${new Date().toISOString()}`);
    expect(tooRecent.json.errors[0].message).toMatch(/two minutes/);
    expect((await sp("GET", `/orders/v0/orders/${order.AmazonOrderId}`)).json.payload).toMatchObject({ AmazonOrderId: order.AmazonOrderId, OrderStatus: "Shipped", NumberOfItemsShipped: 3 });
    expect((await sp("GET", "/orders/v0/orders/nope")).status).toBe(404);
  });

  it("continues its order ids after an earlier run's when told them, in Amazon's 3-7-7 format", async () => {
    const first = await startAmazonSandbox();
    const second = await startAmazonSandbox();
    try {
      const earlier = [1, 2, 3].map(() => first.state.addOrder({ lines: [{ sku: "A", quantity: 1 }] }).AmazonOrderId);
      second.state.resumeAfter([...earlier, "not-an-order-id"]);
      const next = second.state.addOrder({ lines: [{ sku: "A", quantity: 1 }] }).AmazonOrderId;
      expect(earlier).not.toContain(next);
      expect(next).toMatch(/^\d{3}-\d{7}-\d{7}$/);
      expect(Number(next.split("-")[1])).toBeGreaterThan(Math.max(...earlier.map((id) => Number(id.split("-")[1]))));
    } finally {
      await first.close();
      await second.close();
    }
  });

  it("refuses hosts it does not serve", async () => {
    const answer = await call("GET", "example.com", "/");
    expect(answer.status).toBe(404);
  });
});
