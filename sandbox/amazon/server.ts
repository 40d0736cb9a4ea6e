import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Faults, type ArmedFault } from "#sandbox/shared/faults.ts";
import { listen, readBody, sleep } from "#sandbox/shared/http-server.ts";
import { hostOf, type RecordedRequest } from "#sandbox/shared/request-log.ts";
import { getInventorySummaries } from "./fba-inventory.ts";
import { createFeed, createFeedDocument, getFeed, getFeedDocument, isS3Host, s3Object } from "./feeds.ts";
import { getListingsItem, patchListingsItem, searchListingsItems } from "./listings.ts";
import { lwaToken } from "./lwa.ts";
import { listFinancialEvents, listFinancialEventsByOrderId } from "./finances.ts";
import { getOrder, getOrderItems, getOrders, searchOrders } from "./orders.ts";
import { AmazonSellerState, type AmazonSandboxOptions } from "./state.ts";
import { spError, type AmazonReply, type AmazonRequest } from "./wire.ts";

// A local Amazon: LWA (api.amazon.com), SP-API (sellingpartnerapi-{na,eu,fe}.amazon.com) and the S3 host
// of feed documents, all on one port and told apart by the Host header, which is what amazon-sp-api sends
// when its https_proxy_agent is the LoopbackAgent. See ../shared/notes/channel-apis.md §2.

export type AmazonFaultKind =
  | "throttle" // 429 QuotaExceeded with x-amzn-RateLimit-Limit (options.value overrides the rate sent)
  | "expired_token" // 403 Unauthorized "The access token you provided has expired." (the client refreshes)
  | "server_error" // 500 InternalFailure
  | "unavailable" // 503 ServiceUnavailable
  | "delay"; // answers normally after options.delayMs

export type AmazonSandbox = {
  port: number;
  state: AmazonSellerState;
  faults: Faults<AmazonFaultKind>;
  requests: RecordedRequest[];
  close(): Promise<void>;
};

type Route = {
  method: string;
  pattern: RegExp;
  /** Requests per second Amazon documents for the operation: sent as x-amzn-RateLimit-Limit. */
  rate: number;
  /** The usage plan's burst: the bucket's size when `enforceUsagePlans` is on. */
  burst: number;
  handle: (req: AmazonRequest, params: string[], region: string) => AmazonReply;
};

const SP_API_HOST = /^(?:sandbox\.)?sellingpartnerapi-(na|eu|fe)\.amazon\.com$/;
const LWA_HOST = "api.amazon.com";

const routes: Route[] = [
  { method: "GET", pattern: /^\/orders\/v0\/orders$/, rate: 0.0167, burst: 20, handle: (req) => getOrders(req) },
  { method: "GET", pattern: /^\/orders\/v0\/orders\/([^/]+)$/, rate: 0.5, burst: 30, handle: (req, [id]) => getOrder(req, id ?? "") },
  { method: "GET", pattern: /^\/finances\/v0\/financialEvents$/, rate: 0.5, burst: 30, handle: (req) => listFinancialEvents(req) },
  { method: "GET", pattern: /^\/finances\/v0\/orders\/([^/]+)\/financialEvents$/, rate: 0.5, burst: 30, handle: (req, [id]) => listFinancialEventsByOrderId(req, id ?? "") },
  { method: "GET", pattern: /^\/orders\/v0\/orders\/([^/]+)\/orderItems$/, rate: 0.5, burst: 30, handle: (req, [id]) => getOrderItems(req, id ?? "") },
  { method: "GET", pattern: /^\/orders\/2026-01-01\/orders$/, rate: 0.0056, burst: 20, handle: (req) => searchOrders(req) },
  { method: "GET", pattern: /^\/fba\/inventory\/v1\/summaries$/, rate: 2, burst: 2, handle: (req) => getInventorySummaries(req) },
  { method: "GET", pattern: /^\/listings\/2021-08-01\/items\/([^/]+)$/, rate: 5, burst: 10, handle: (req, [seller], region) => searchListingsItems(req, seller ?? "", region) },
  { method: "GET", pattern: /^\/listings\/2021-08-01\/items\/([^/]+)\/([^/]+)$/, rate: 5, burst: 10, handle: (req, [seller, sku], region) => getListingsItem(req, seller ?? "", sku ?? "", region) },
  { method: "PATCH", pattern: /^\/listings\/2021-08-01\/items\/([^/]+)\/([^/]+)$/, rate: 5, burst: 10, handle: (req, [seller, sku]) => patchListingsItem(req, seller ?? "", sku ?? "") },
  { method: "POST", pattern: /^\/feeds\/2021-06-30\/documents$/, rate: 0.5, burst: 15, handle: (req, _params, region) => createFeedDocument(req, region) },
  { method: "GET", pattern: /^\/feeds\/2021-06-30\/documents\/([^/]+)$/, rate: 0.0222, burst: 10, handle: (req, [id], region) => getFeedDocument(req, id ?? "", region) },
  { method: "POST", pattern: /^\/feeds\/2021-06-30\/feeds$/, rate: 0.0083, burst: 15, handle: (req) => createFeed(req) },
  { method: "GET", pattern: /^\/feeds\/2021-06-30\/feeds\/([^/]+)$/, rate: 2, burst: 15, handle: (req, [id]) => getFeed(req, id ?? "") },
];

export type AmazonSandboxServerOptions = AmazonSandboxOptions & {
  port?: number;
  /**
   * Throttle as Amazon does: one token bucket per operation, `burst` tokens refilled at `rate` per second,
   * 429 QuotaExceeded when empty. Off by default, so tests that are not about rate limits run unthrottled.
   */
  enforceUsagePlans?: boolean;
};

export async function startAmazonSandbox(options: AmazonSandboxServerOptions = {}): Promise<AmazonSandbox> {
  const state = new AmazonSellerState(options);
  const faults = new Faults<AmazonFaultKind>();
  const requests: RecordedRequest[] = [];
  const buckets = new Map<Route, { tokens: number; at: number }>();

  /** Takes one token of the operation's bucket; false when it is empty (nothing taken). */
  function takeToken(route: Route): boolean {
    if (!options.enforceUsagePlans) return true;
    const now = Date.now();
    const bucket = buckets.get(route) ?? { tokens: route.burst, at: now };
    bucket.tokens = Math.min(route.burst, bucket.tokens + ((now - bucket.at) / 1000) * route.rate);
    bucket.at = now;
    buckets.set(route, bucket);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  async function handle(incoming: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(incoming.url ?? "/", "http://sandbox.invalid");
    const host = hostOf(incoming.headers);
    const record: RecordedRequest = {
      method: incoming.method ?? "GET",
      host,
      path: url.pathname,
      query: url.searchParams,
      headers: incoming.headers,
      body: await readBody(incoming),
      status: null,
    };
    requests.push(record);
    const req: AmazonRequest = { ...record, state };
    const { reply, rate } = await answer(req);
    record.status = reply.status;
    send(res, reply, rate);
  }

  async function answer(req: AmazonRequest): Promise<{ reply: AmazonReply; rate: number | null }> {
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    const spApi = SP_API_HOST.exec(req.host);
    const fault = faults.next(req, { explicitHostOnly: !spApi });
    if (fault?.kind === "delay") await sleep(fault.options.delayMs ?? 0);

    if (req.host === LWA_HOST && req.method === "POST" && req.path === "/auth/o2/token") {
      return { reply: faultReply(fault, 1) ?? lwaToken(req), rate: null };
    }
    if (isS3Host(req.host)) return { reply: faultReply(fault, 1) ?? s3Object(req), rate: null };
    if (!spApi) return { reply: spError(404, "NotFound", `The sandbox does not serve host '${req.host}'.`), rate: null };

    const region = spApi[1] ?? "na";
    for (const route of routes) {
      const match = route.method === req.method ? route.pattern.exec(req.path) : null;
      if (!match) continue;
      const faulted = faultReply(fault, route.rate);
      if (faulted) return { reply: faulted, rate: fault?.kind === "throttle" ? (fault.options.value ?? route.rate) : route.rate };
      if (!takeToken(route)) return { reply: quotaExceeded(route.rate), rate: route.rate };
      const token = req.headers["x-amz-access-token"];
      const status = state.tokenStatus(typeof token === "string" ? token : undefined);
      if (status === "expired") return { reply: expiredToken(), rate: route.rate };
      if (status === "invalid") {
        return { reply: spError(403, "Unauthorized", "Access to requested resource is denied.", "The access token you provided is revoked, malformed or invalid."), rate: route.rate };
      }
      const params = match.slice(1).map((part) => decodeURIComponent(part));
      return { reply: route.handle(req, params, region), rate: route.rate };
    }
    return { reply: spError(404, "NotFound", `No SP-API operation at ${req.method} ${req.path} in the sandbox.`), rate: null };
  }

  const server = await listen(handle, options.port ?? 0);
  return { port: server.port, state, faults, requests, close: server.close };
}

function expiredToken(): AmazonReply {
  return spError(403, "Unauthorized", "Access to requested resource is denied.", "The access token you provided has expired.");
}

function quotaExceeded(rate: number): AmazonReply {
  return { ...spError(429, "QuotaExceeded", "You exceeded your quota for the requested resource."), headers: { "x-amzn-RateLimit-Limit": String(rate) } };
}

function faultReply(fault: ArmedFault<AmazonFaultKind> | undefined, rate: number): AmazonReply | null {
  switch (fault?.kind) {
    case "throttle":
      return quotaExceeded(fault.options.value ?? rate);
    case "expired_token":
      return expiredToken();
    case "server_error":
      return spError(500, "InternalFailure", "We encountered an internal error. Please try again.");
    case "unavailable":
      return spError(503, "ServiceUnavailable", "Service temporarily unavailable. Please try again.");
    default:
      return null;
  }
}

function send(res: ServerResponse, reply: AmazonReply, rate: number | null): void {
  const body = reply.json !== undefined ? JSON.stringify(reply.json) : (reply.text ?? "");
  const headers: Record<string, string> = {
    "content-type": reply.json !== undefined ? "application/json" : (reply.contentType ?? "text/plain"),
    "content-length": String(Buffer.byteLength(body)),
    "x-amzn-RequestId": randomUUID(),
    ...(rate !== null ? { "x-amzn-RateLimit-Limit": String(rate) } : {}),
    ...reply.headers,
  };
  res.writeHead(reply.status, headers);
  res.end(body);
}
