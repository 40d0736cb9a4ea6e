import { ChannelError } from "../errors.ts";

// SP-API failures → ChannelError. Pure, so the mapping is unit-tested without a server.

/**
 * Documented request rates (requests per second) of the operations Replenish calls. They are the
 * fallback when a 429 carries no x-amzn-RateLimit-Limit header: the wait for one token to come back is
 * 1/rate seconds. Source: the SP-API usage-plan tables (the same values amazon-sp-api 1.2.1 uses as
 * restore_rate).
 */
export const DOCUMENTED_RATES: Record<string, number> = {
  "orders.getOrders": 0.0167,
  "orders.getOrderItems": 0.5,
  "orders.searchOrders": 0.0056,
  "fbaInventory.getInventorySummaries": 2,
  "listingsItems.patchListingsItem": 5,
  "listingsItems.getListingsItem": 5,
  "listingsItems.searchListingsItems": 5,
  "feeds.createFeedDocument": 0.5,
  "feeds.createFeed": 0.0083,
  "feeds.getFeed": 2,
  "feeds.getFeedDocument": 0.0222,
};

/** Used when neither the header nor the table knows the operation: one minute, Amazon's slowest common rate. */
export const DEFAULT_RETRY_AFTER_MS = 60_000;

export type SpApiError = { code?: string; message?: string; details?: string };

export function firstSpApiError(body: unknown): SpApiError | undefined {
  if (typeof body !== "object" || body === null || !("errors" in body)) return undefined;
  const errors = (body as { errors?: unknown }).errors;
  return Array.isArray(errors) && typeof errors[0] === "object" ? (errors[0] as SpApiError) : undefined;
}

/** amazon-sp-api's own test for "refresh and retry" (SellingPartner.callAPI), reproduced for raw results. */
export function isExpiredAccessToken(status: number, body: unknown): boolean {
  const error = firstSpApiError(body);
  return status === 403 && error?.code === "Unauthorized" && /access token.*expired/.test(error.details ?? "");
}

export function retryAfterMs(operation: string, headers: Record<string, string | string[] | undefined>): number {
  const header = headers["x-amzn-ratelimit-limit"];
  const limit = Number(Array.isArray(header) ? header[0] : header);
  if (Number.isFinite(limit) && limit > 0) return Math.ceil(1000 / limit);
  const rate = DOCUMENTED_RATES[operation];
  return rate ? Math.ceil(1000 / rate) : DEFAULT_RETRY_AFTER_MS;
}

export function classifySpApiResponse(
  operation: string,
  status: number,
  headers: Record<string, string | string[] | undefined>,
  body: unknown,
): ChannelError {
  const error = firstSpApiError(body);
  const requestId = headers["x-amzn-requestid"];
  const text = `${operation}: HTTP ${status} ${error?.code ?? ""} ${error?.message ?? ""}${error?.details ? ` (${error.details})` : ""}${requestId ? ` [request ${String(requestId)}]` : ""}`.replace(/\s+/g, " ").trim();
  if (status === 429) return new ChannelError("AMAZON", "rate_limited", text, { status, retryAfterMs: retryAfterMs(operation, headers) });
  if (status === 401 || status === 403) return new ChannelError("AMAZON", "auth", text, { status });
  if (status >= 500) return new ChannelError("AMAZON", "unavailable", text, { status });
  return new ChannelError("AMAZON", "invalid", text, { status });
}

/**
 * Errors thrown by amazon-sp-api itself (not an HTTP answer): LWA refusals during a token refresh,
 * timeouts, network errors, unparsable bodies.
 */
export function classifyThrown(operation: string, thrown: unknown): ChannelError {
  if (thrown instanceof ChannelError) return thrown;
  const code = typeof thrown === "object" && thrown !== null && "code" in thrown ? String((thrown as { code: unknown }).code) : "";
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  const text = `${operation}: ${code ? `${code}: ` : ""}${message}`;
  // LWA answers OAuth errors: the refresh token is revoked/invalid or the app credentials are wrong.
  if (["invalid_grant", "invalid_client", "unauthorized_client", "access_denied", "NO_ACCESS_TOKEN_PRESENT"].includes(code)) {
    return new ChannelError("AMAZON", "auth", text, { cause: thrown });
  }
  if (["INVALID_OPERATION_FOR_ENDPOINT", "OPERATION_NOT_FOUND_FOR_VERSION", "INVALID_VERSION", "REQUIRED_PATH_PARAMETER_NOT_FOUND", "NO_PATH_FOUND"].includes(code)) {
    return new ChannelError("AMAZON", "invalid", text, { cause: thrown });
  }
  return new ChannelError("AMAZON", "unavailable", text, { cause: thrown });
}
