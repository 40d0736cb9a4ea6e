import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { Faults, type ArmedFault } from "#sandbox/shared/faults.ts";
import { listen, readBody, sleep } from "#sandbox/shared/http-server.ts";
import { hostOf, type RecordedRequest } from "#sandbox/shared/request-log.ts";
import { getOrders } from "./fulfillment.ts";
import { bulkUpdatePriceQuantity, getInventoryItem, getInventoryItems, getOffers, putInventoryItem } from "./inventory.ts";
import { oauthToken } from "./oauth.ts";
import { EbaySellerState, type EbaySandboxOptions } from "./state.ts";
import { ebayError, INVALID_ACCESS_TOKEN, type EbayReply, type EbayRequest } from "./wire.ts";

// A local eBay: OAuth token endpoint and the Sell Fulfillment/Inventory APIs on api.ebay.com (or
// api.sandbox.ebay.com), reached through the LoopbackAgent passed to ebay-api as axiosConfig.httpsAgent.
// See ../shared/notes/channel-apis.md §3. Answers are never compressed, whatever Accept-Encoding says
// (ebay-api sends an odd "Accept-Encoding: application/gzip").

export type EbayFaultKind =
  | "invalid_token" // 401 "Invalid access token" (ebay-api refreshes once and retries)
  | "throttle" // 429 Too many requests
  | "server_error" // 500 Internal error
  | "unavailable" // 503
  | "delay"; // answers normally after options.delayMs

export type EbaySandbox = {
  port: number;
  state: EbaySellerState;
  faults: Faults<EbayFaultKind>;
  requests: RecordedRequest[];
  close(): Promise<void>;
};

const HOSTS = new Set(["api.ebay.com", "api.sandbox.ebay.com"]);
const TOKEN_PATH = "/identity/v1/oauth2/token";

type Route = { method: string; pattern: RegExp; handle: (req: EbayRequest, params: string[]) => EbayReply };

const routes: Route[] = [
  { method: "GET", pattern: /^\/sell\/fulfillment\/v1\/order$/, handle: (req) => getOrders(req) },
  { method: "GET", pattern: /^\/sell\/inventory\/v1\/inventory_item$/, handle: (req) => getInventoryItems(req) },
  { method: "GET", pattern: /^\/sell\/inventory\/v1\/inventory_item\/([^/]+)$/, handle: (req, [sku]) => getInventoryItem(req, sku ?? "") },
  { method: "PUT", pattern: /^\/sell\/inventory\/v1\/inventory_item\/([^/]+)$/, handle: (req, [sku]) => putInventoryItem(req, sku ?? "") },
  { method: "GET", pattern: /^\/sell\/inventory\/v1\/offer$/, handle: (req) => getOffers(req) },
  { method: "POST", pattern: /^\/sell\/inventory\/v1\/bulk_update_price_quantity$/, handle: (req) => bulkUpdatePriceQuantity(req) },
];

export async function startEbaySandbox(options: EbaySandboxOptions & { port?: number } = {}): Promise<EbaySandbox> {
  const state = new EbaySellerState(options);
  const faults = new Faults<EbayFaultKind>();
  const requests: RecordedRequest[] = [];

  async function handle(incoming: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(incoming.url ?? "/", "http://sandbox.invalid");
    const record: RecordedRequest = {
      method: incoming.method ?? "GET",
      host: hostOf(incoming.headers),
      path: url.pathname,
      query: url.searchParams,
      headers: incoming.headers,
      body: await readBody(incoming),
      status: null,
    };
    requests.push(record);
    const reply = await answer({ ...record, state });
    record.status = reply.status;
    send(res, reply);
  }

  async function answer(req: EbayRequest): Promise<EbayReply> {
    if (faults.latencyMs > 0) await sleep(faults.latencyMs);
    if (!HOSTS.has(req.host)) return ebayError(404, { errorId: 2002, domain: "ACCESS", category: "REQUEST", message: `The sandbox does not serve host '${req.host}'.` });
    const isToken = req.path === TOKEN_PATH;
    const fault = faults.next(req, { explicitPathOnly: isToken });
    if (fault?.kind === "delay") await sleep(fault.options.delayMs ?? 0);
    const faulted = faultReply(fault);
    if (faulted) return faulted;
    if (isToken) return req.method === "POST" ? oauthToken(req) : ebayError(405, { errorId: 2002, domain: "ACCESS", category: "REQUEST", message: "Method not allowed" });

    for (const route of routes) {
      const match = route.method === req.method ? route.pattern.exec(req.path) : null;
      if (!match) continue;
      const authorization = String(req.headers.authorization ?? "");
      const kind = state.tokenKind(authorization.startsWith("Bearer ") ? authorization.slice(7) : undefined);
      if (kind === "invalid") return ebayError(401, INVALID_ACCESS_TOKEN);
      if (kind === "application") {
        return ebayError(403, { errorId: 1100, domain: "ACCESS", category: "REQUEST", message: "Access denied", longMessage: "Insufficient permissions to fulfill the request." });
      }
      return route.handle(req, match.slice(1).map((part) => decodeURIComponent(part)));
    }
    return ebayError(404, { errorId: 2002, domain: "ACCESS", category: "REQUEST", message: `Resource not found: ${req.method} ${req.path}` });
  }

  const server = await listen(handle, options.port ?? 0);
  return { port: server.port, state, faults, requests, close: server.close };
}

function faultReply(fault: ArmedFault<EbayFaultKind> | undefined): EbayReply | null {
  switch (fault?.kind) {
    case "invalid_token":
      return ebayError(401, INVALID_ACCESS_TOKEN);
    case "throttle":
      return ebayError(429, { errorId: 2001, domain: "ACCESS", category: "REQUEST", message: "Too many requests. The request limit has been reached for the resource." });
    case "server_error":
      return ebayError(500, { errorId: 2003, domain: "ACCESS", category: "APPLICATION", message: "Internal error", longMessage: "There was a problem with an eBay internal system or process. Contact eBay developer support for assistance." });
    case "unavailable":
      return ebayError(503, { errorId: 2003, domain: "ACCESS", category: "APPLICATION", message: "Service unavailable" });
    default:
      return null;
  }
}

function send(res: ServerResponse, reply: EbayReply): void {
  const body = reply.json !== undefined ? JSON.stringify(reply.json) : "";
  res.writeHead(reply.status, {
    ...(reply.json !== undefined ? { "content-type": "application/json" } : {}),
    "content-length": String(Buffer.byteLength(body)),
    "x-ebay-c-request-id": randomUUID(),
    ...reply.headers,
  });
  res.end(body);
}
