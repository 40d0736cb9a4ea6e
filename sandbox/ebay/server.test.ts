import { request } from "node:http";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startEbaySandbox, type EbaySandbox } from "./server.ts";

// The sandbox on its own over plain HTTP with the Host header the LoopbackAgent sends. The adapter tests
// (tests/integration/channels/ebay-*.test.ts) drive it through ebay-api.

const HOST = "api.ebay.com";
let sandbox: EbaySandbox;
let token = "";

type Answer = { status: number; headers: Record<string, string | string[] | undefined>; body: string; json: any };

function call(method: string, path: string, options: { body?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port: sandbox.port, method, path, headers: { host: HOST, "accept-encoding": "application/gzip", ...options.headers } }, (res) => {
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
    });
    req.on("error", reject);
    req.end(options.body);
  });
}

const basic = () => `Basic ${Buffer.from(`${sandbox.state.appId}:${sandbox.state.certId}`).toString("base64")}`;
const sell = (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  call(method, path, { body: body === undefined ? undefined : JSON.stringify(body), headers: { authorization: `Bearer ${token}`, "content-type": "application/json", ...headers } });

beforeAll(async () => {
  sandbox = await startEbaySandbox({ dailyRevisionLimit: 3 });
});
afterAll(() => sandbox.close());

beforeEach(async () => {
  sandbox.faults.clear();
  const answer = await call("POST", "/identity/v1/oauth2/token", {
    body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: sandbox.state.refreshToken, scope: "https://api.ebay.com/oauth/api_scope" }).toString(),
    headers: { authorization: basic(), "content-type": "application/x-www-form-urlencoded" },
  });
  token = answer.json.access_token;
});

describe("eBay sandbox", () => {
  it("mints user tokens with Basic auth and a valid refresh token, app tokens with client_credentials", async () => {
    expect(token).toBeTruthy();
    const form = (grant: Record<string, string>, authorization = basic()) =>
      call("POST", "/identity/v1/oauth2/token", { body: new URLSearchParams(grant).toString(), headers: { authorization, "content-type": "application/x-www-form-urlencoded" } });
    expect((await form({ grant_type: "refresh_token", refresh_token: "nope" })).json.error).toBe("invalid_grant");
    expect((await form({ grant_type: "client_credentials" }, "Basic eDp5")).status).toBe(401);
    const app = await form({ grant_type: "client_credentials", scope: "https://api.ebay.com/oauth/api_scope" });
    expect(app.json.token_type).toBe("Application Access Token");
    // An application token cannot act for the seller.
    const denied = await call("GET", "/sell/fulfillment/v1/order", { headers: { authorization: `Bearer ${app.json.access_token}` } });
    expect(denied.status).toBe(403);
  });

  it("continues its order and line item ids after an earlier run's when told them", async () => {
    const first = await startEbaySandbox();
    const second = await startEbaySandbox();
    try {
      const earlier = [1, 2, 3].map(() => first.state.addOrder({ lines: [{ sku: "R-1", quantity: 1 }] }));
      second.state.resumeAfter([...earlier.map((o) => o.orderId), "junk"]);
      const next = second.state.addOrder({ lines: [{ sku: "R-1", quantity: 1 }] });
      expect(earlier.map((o) => o.orderId)).not.toContain(next.orderId);
      expect(earlier.flatMap((o) => o.lineItems.map((l) => l.lineItemId))).not.toContain(next.lineItems[0]!.lineItemId);
      expect(next.orderId).toMatch(/^\d{2}-\d{5}-\d{5}$/);
    } finally {
      await first.close();
      await second.close();
    }
  });

  it("answers 401 Invalid access token with eBay's error body when the token expired", async () => {
    sandbox.state.expireTokens();
    const answer = await sell("GET", "/sell/fulfillment/v1/order");
    expect(answer.status).toBe(401);
    expect(answer.json.errors[0]).toMatchObject({ errorId: 1001, domain: "OAuth", category: "REQUEST", message: "Invalid access token" });
    expect(answer.headers["content-encoding"]).toBeUndefined();
  });

  it("filters orders by lastmodifieddate and pages with limit/offset and next links", async () => {
    const { state } = sandbox;
    state.orders.clear();
    state.addListing({ sku: "O-1", quantity: 9 });
    const t0 = Date.parse("2026-11-20T00:00:00.000Z");
    const ids = [0, 1, 2, 3].map((i) => state.addOrder({ at: t0 + i * 60_000, lines: [{ sku: "O-1", quantity: 1 }] }).orderId);
    state.cancelOrder(ids[0] ?? "", t0 + 3_600_000);
    const filter = encodeURIComponent("lastmodifieddate:[2026-11-20T00:01:00.000Z..]");
    const first = await sell("GET", `/sell/fulfillment/v1/order?filter=${filter}&limit=2&offset=0`);
    expect(first.json.total).toBe(4);
    expect(first.json.orders.map((o: { orderId: string }) => o.orderId)).toEqual(ids.slice(0, 2));
    expect(first.json.next).toContain("offset=2");
    const last = await sell("GET", `/sell/fulfillment/v1/order?filter=${filter}&limit=2&offset=2`);
    expect(last.json.next).toBeUndefined();
    expect(first.json.orders[0].cancelStatus.cancelState).toBe("CANCELED");
    const bad = await sell("GET", `/sell/fulfillment/v1/order?filter=${encodeURIComponent("lastmodifieddate:[nope..]")}`);
    expect(bad.status).toBe(400);
  });

  it("reads and replaces inventory items (204) and lists offers", async () => {
    sandbox.state.addListing({ sku: "I 1/a", quantity: 2 });
    const sku = encodeURIComponent("I 1/a");
    expect((await sell("GET", `/sell/inventory/v1/inventory_item/${sku}`)).json.availability.shipToLocationAvailability.quantity).toBe(2);
    const put = await sell("PUT", `/sell/inventory/v1/inventory_item/${sku}`, { availability: { shipToLocationAvailability: { quantity: 4 } }, condition: "NEW" }, { "content-language": "en-US" });
    expect(put.status).toBe(204);
    expect(put.body).toBe("");
    expect(sandbox.state.items.get("I 1/a")?.quantity).toBe(4);
    expect((await sell("PUT", `/sell/inventory/v1/inventory_item/${sku}`, {})).status).toBe(400);
    const offers = await sell("GET", `/sell/inventory/v1/offer?sku=${sku}&marketplace_id=EBAY_US`);
    expect(offers.json.offers[0]).toMatchObject({ sku: "I 1/a", status: "PUBLISHED", availableQuantity: 2 });
    expect((await sell("GET", "/sell/inventory/v1/inventory_item/missing")).status).toBe(404);
  });

  it("bulk-updates with 200 or 207 per-entry statuses, ≤ 25 requests, and enforces the daily revision limit", async () => {
    const { offer } = sandbox.state.addListing({ sku: "B-1", quantity: 1 });
    const update = (quantity: number, sku = "B-1") => ({ sku, shipToLocationAvailability: { quantity }, offers: [{ offerId: offer.offerId, availableQuantity: quantity }] });

    const ok = await sell("POST", "/sell/inventory/v1/bulk_update_price_quantity", { requests: [update(5)] });
    expect(ok.status).toBe(200);
    expect(ok.json.responses).toEqual([{ statusCode: 200, sku: "B-1", offerId: offer.offerId, errors: [], warnings: [] }]);

    const partial = await sell("POST", "/sell/inventory/v1/bulk_update_price_quantity", { requests: [update(6), { sku: "NOPE", shipToLocationAvailability: { quantity: 1 } }] });
    expect(partial.status).toBe(207);
    expect(partial.json.responses.map((r: { statusCode: number }) => r.statusCode)).toEqual([200, 404]);

    const tooMany = await sell("POST", "/sell/inventory/v1/bulk_update_price_quantity", { requests: Array.from({ length: 26 }, () => update(1)) });
    expect(tooMany.status).toBe(400);

    // Limit 3 in this sandbox: two revisions used above, one left.
    expect((await sell("POST", "/sell/inventory/v1/bulk_update_price_quantity", { requests: [update(7)] })).status).toBe(200);
    const blocked = await sell("POST", "/sell/inventory/v1/bulk_update_price_quantity", { requests: [update(8)] });
    expect(blocked.status).toBe(207);
    expect(blocked.json.responses[0]).toMatchObject({ statusCode: 400, errors: [{ errorId: 25002, domain: "API_INVENTORY", category: "REQUEST" }] });
    expect(blocked.json.responses[0].errors[0].message).toMatch(/maximum number of revisions/);
    expect(sandbox.state.items.get("B-1")?.quantity).toBe(7);
    expect(sandbox.state.offers.get(offer.offerId)?.availableQuantity).toBe(7);
  });

  it("throws switchable 429/5xx faults at the Sell APIs but not at the token endpoint", async () => {
    sandbox.faults.inject("throttle", { times: Infinity });
    expect((await sell("GET", "/sell/fulfillment/v1/order")).status).toBe(429);
    const refresh = await call("POST", "/identity/v1/oauth2/token", {
      body: new URLSearchParams({ grant_type: "refresh_token", refresh_token: sandbox.state.refreshToken }).toString(),
      headers: { authorization: basic(), "content-type": "application/x-www-form-urlencoded" },
    });
    expect(refresh.status).toBe(200);
    sandbox.faults.clear();
    sandbox.faults.inject("server_error", { path: "/sell/inventory" });
    expect((await sell("GET", "/sell/fulfillment/v1/order")).status).toBe(200);
    expect((await sell("GET", "/sell/inventory/v1/inventory_item/B-1")).status).toBe(500);
  });
});
