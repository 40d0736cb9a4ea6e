import type { IncomingMessage, ServerResponse } from "node:http";
import { listen, readBody, sendJson, sendText, sleep } from "#sandbox/shared/http-server.ts";
import { BulkOperations } from "./bulk.ts";
import { Faults, type FaultSettings } from "./faults.ts";
import { handleGraphql, type GraphqlBody } from "./graphql-endpoint.ts";
import { InventoryMutations } from "./inventory-mutations.ts";
import { TokenRegistry } from "./oauth.ts";
import { loadAdminSchema, type SandboxApiVersion } from "./schema.ts";
import { ShopifyStore, type StoreFulfillmentOrder, type StoreOptions, type StoreOrder, type StoreProduct, type StoreRefund } from "./store.ts";
import { LeakyBucket, type QueryCostExtension } from "./throttle.ts";
import { Views } from "./views.ts";
import { fulfillmentOrderMovedPayload, orderPayload, productPayload, refundPayload, sendWebhook, shopPayload, signAppProxy, type SendWebhookOptions } from "./webhooks.ts";

export { ShopifyStore } from "./store.ts";
export type { FaultSettings } from "./faults.ts";

// A local Shopify for tests and the demo: the Admin GraphQL API (validated against Shopify's published
// schema, priced and throttled like Shopify), the OAuth token endpoint, bulk-operation downloads, a
// webhook sender and an app-proxy signer, over one simulated store. Point the app's Shopify client at it
// with SHOPIFY_ADMIN_ORIGIN = sandbox.origin (see app/shopify.server.ts).

export type ShopifySandboxOptions = {
  /** 0 (default) = a free port. */
  port?: number;
  /** The app's API secret: signs webhooks and app-proxy requests, authenticates token requests. */
  apiSecret: string;
  /** When set, token requests must carry this client_id (and session tokens this audience). */
  apiKey?: string;
  apiVersion?: SandboxApiVersion;
  shopDomain?: string;
  /** Access tokens accepted without being issued (e.g. the one a test stores in its session). */
  accessTokens?: string[];
  scopes?: string;
  /** Leaky bucket; Shopify's standard plan is 2000 points restoring at 100/s. */
  throttle?: { maximumAvailable?: number; restoreRate?: number };
  /** How long a bulk operation stays RUNNING before its file is ready. */
  bulkRunningMs?: number;
  store?: StoreOptions;
};

export type LoggedRequest = {
  at: number;
  method: string;
  path: string;
  status: number;
  operationName: string | null;
  variables: unknown;
  throttled: boolean;
  cost: QueryCostExtension | null;
};

export type ShopifySandbox = {
  origin: string;
  port: number;
  shopDomain: string;
  apiVersion: SandboxApiVersion;
  store: ShopifyStore;
  faults: { set(settings: FaultSettings): void; reset(): void; pending(): ReturnType<Faults["pending"]> };
  /** Every request, in order (GraphQL operation names and variables included). */
  requests: LoggedRequest[];
  /** Issues a valid non-expiring offline access token (as an install would). */
  issueAccessToken(): string;
  revokeAccessToken(token: string): void;
  /** Empties the leaky bucket, so the next request meets a real throttle. */
  drainBucket(): void;
  /** REST webhook bodies built from the store's records (inventory_levels/update: store.setQuantity). */
  payloads: {
    order(order: StoreOrder): ReturnType<typeof orderPayload>;
    refund(order: StoreOrder, refund: StoreRefund): ReturnType<typeof refundPayload>;
    fulfillmentOrderMoved(fulfillmentOrder: StoreFulfillmentOrder, sourceLocationId: number): ReturnType<typeof fulfillmentOrderMovedPayload>;
    product(product: StoreProduct): ReturnType<typeof productPayload>;
    shop(): ReturnType<typeof shopPayload>;
  };
  /** POSTs a signed delivery to `${appUrl}/webhooks/<topic>` (compliance topics: /webhooks/compliance); resolves to the HTTP status. */
  sendWebhook(topic: string, payload: unknown, options: SendWebhookOptions): Promise<number>;
  signAppProxy(params: Record<string, string | string[]>): string;
  close(): Promise<void>;
};

const GRAPHQL_PATH = /^\/admin\/api\/([^/]+)\/graphql\.json$/;
const BULK_PATH = /^\/bulk\/(\d+)\.jsonl$/;

export async function startShopifySandbox(options: ShopifySandboxOptions): Promise<ShopifySandbox> {
  const apiVersion = options.apiVersion ?? "2026-10";
  const schema = loadAdminSchema(apiVersion);
  const shopDomain = options.shopDomain ?? options.store?.shopDomain ?? "sandbox-shop.myshopify.com";
  const store = new ShopifyStore({ ...options.store, shopDomain });
  const faults = new Faults();
  const bucket = new LeakyBucket(options.throttle?.maximumAvailable ?? 2000, options.throttle?.restoreRate ?? 100);
  const tokens = new TokenRegistry(options.apiSecret, options.apiKey ?? null, options.scopes ?? "read_products,write_products,read_orders,read_inventory,write_inventory,read_locations,read_merchant_managed_fulfillment_orders", options.accessTokens ?? []);
  const requests: LoggedRequest[] = [];
  let origin = "";

  const views = new Views(store);
  const bulk = new BulkOperations(schema, store, () => origin, options.bulkRunningMs ?? 30);
  const rootValue = { ...views.queryRoot(), ...new InventoryMutations(store, views).resolvers(), ...bulk.resolvers() };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://sandbox");
    const log = (status: number, extra: Partial<LoggedRequest> = {}) =>
      requests.push({ at: Date.now(), method: req.method ?? "GET", path: url.pathname, status, operationName: null, variables: undefined, throttled: false, cost: null, ...extra });
    if (faults.delayMs > 0) await sleep(faults.delayMs);

    const graphql = GRAPHQL_PATH.exec(url.pathname);
    if (graphql && req.method === "POST") {
      const raw = await readBody(req);
      if (graphql[1] !== apiVersion) {
        // Shopify serves every supported version; the sandbox only has this one schema.
        log(404);
        return sendJson(res, 404, { errors: `Not Found: the sandbox serves API version ${apiVersion} only` });
      }
      const fault = faults.nextHttpFault();
      const token = req.headers["x-shopify-access-token"];
      if (fault.kind === "invalidToken" || !tokens.isValid(typeof token === "string" ? token : undefined)) {
        log(401);
        return sendJson(res, 401, { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
      }
      if (fault.kind === "http429") {
        log(429);
        return sendJson(res, 429, { errors: "Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service." }, { "retry-after": fault.retryAfterSeconds.toFixed(1) });
      }
      if (fault.kind === "http5xx") {
        log(fault.status);
        return sendJson(res, fault.status, { errors: fault.status === 503 ? "Service Unavailable" : "Internal Server Error" });
      }
      let body: GraphqlBody;
      try {
        body = JSON.parse(raw) as GraphqlBody;
      } catch {
        log(400);
        return sendJson(res, 400, { errors: { query: "Required parameter missing or invalid" } });
      }
      const reply = handleGraphql({ schema, rootValue, bucket, forceThrottle: () => faults.takeThrottle() }, body);
      log(reply.status, { operationName: reply.operationName, variables: body.variables, throttled: reply.throttled, cost: reply.cost });
      return sendJson(res, reply.status, reply.body, { "x-request-id": `sandbox-${requests.length}` });
    }

    if (url.pathname === "/admin/oauth/access_token" && req.method === "POST") {
      const reply = tokens.handle(await readBody(req), req.headers["content-type"]);
      log(reply.status);
      return sendJson(res, reply.status, reply.body);
    }

    const download = BULK_PATH.exec(url.pathname);
    if (download && req.method === "GET") {
      const file = bulk.file(Number(download[1]));
      log(file === null ? 404 : 200);
      if (file === null) return sendText(res, 404, "Not Found", "text/plain");
      return sendText(res, 200, file, "application/jsonl");
    }

    log(404);
    sendJson(res, 404, { errors: "Not Found" });
  }

  const server = await listen(handle, options.port ?? 0);
  origin = server.origin;

  return {
    origin,
    port: server.port,
    shopDomain,
    apiVersion,
    store,
    faults: { set: (settings) => faults.set(settings), reset: () => faults.reset(), pending: () => faults.pending() },
    requests,
    issueAccessToken: () => tokens.issue(),
    revokeAccessToken: (token) => tokens.revoke(token),
    drainBucket: () => bucket.drain(),
    payloads: {
      order: (order) => orderPayload(store, order),
      refund: (order, refund) => refundPayload(order, refund),
      fulfillmentOrderMoved: (fulfillmentOrder, sourceLocationId) => fulfillmentOrderMovedPayload(fulfillmentOrder, sourceLocationId),
      product: (product) => productPayload(store, product),
      shop: () => shopPayload(store),
    },
    sendWebhook: (topic, payload, webhookOptions) => sendWebhook({ apiSecret: options.apiSecret, shopDomain, apiVersion }, topic, payload, webhookOptions),
    signAppProxy: (params) => signAppProxy(options.apiSecret, params),
    close: () => server.close(),
  };
}
