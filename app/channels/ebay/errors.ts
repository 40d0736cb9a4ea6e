import { ChannelError } from "../errors.ts";

// ebay-api failures → ChannelError. ebay-api throws EBayApiError subclasses whose `meta.res` holds the
// HTTP answer and `meta.req` the request; which subclass depends on the body (EBayAccessDenied for any
// domain "ACCESS" error, even a 429), so classification goes by HTTP status, not by class.

/** eBay sends no Retry-After on 429 (its limits are daily quotas with short-burst protection). */
export const DEFAULT_RETRY_AFTER_MS = 60_000;

type EbayThrown = {
  name?: string;
  message?: string;
  description?: string;
  errorCode?: number;
  meta?: { res?: { status?: number; headers?: Record<string, string> }; req?: { url?: string } };
};

export function classifyEbayError(operation: string, thrown: unknown, rateLimitRetryAfterMs = DEFAULT_RETRY_AFTER_MS): ChannelError {
  if (thrown instanceof ChannelError) return thrown;
  const error = (typeof thrown === "object" && thrown !== null ? thrown : {}) as EbayThrown;
  const status = error.meta?.res?.status;
  const fromTokenEndpoint = (error.meta?.req?.url ?? "").includes("/identity/v1/oauth2/token");
  const text = `${operation}: ${status ? `HTTP ${status} ` : ""}${error.errorCode ? `${error.errorCode} ` : ""}${error.message ?? String(thrown)}${error.description ? ` (${error.description})` : ""}`;
  const options = { cause: thrown, ...(status ? { status } : {}) };

  if (status === 429) {
    const header = Number(error.meta?.res?.headers?.["retry-after"]);
    return new ChannelError("EBAY", "rate_limited", text, { ...options, retryAfterMs: Number.isFinite(header) && header > 0 ? header * 1000 : rateLimitRetryAfterMs });
  }
  // A refused refresh (invalid_grant / invalid_client) or a 401 left after ebay-api's one refresh attempt.
  if (fromTokenEndpoint && status !== undefined && status >= 400 && status < 500) return new ChannelError("EBAY", "auth", text, options);
  if (status === 401 || status === 403) return new ChannelError("EBAY", "auth", text, options);
  if (status !== undefined && status >= 500) return new ChannelError("EBAY", "unavailable", text, options);
  if (status !== undefined && status >= 400) return new ChannelError("EBAY", "invalid", text, options);
  // No HTTP answer: network error or timeout, or ebay-api refusing to refresh without a refresh token.
  if (/refresh_token is not set|Missing credentials/i.test(error.message ?? "")) return new ChannelError("EBAY", "auth", text, options);
  return new ChannelError("EBAY", "unavailable", text, options);
}

/** Whether an Inventory API error detail is the per-listing daily revision limit (250 per calendar day). */
export function isRevisionLimit(error: { message?: string; longMessage?: string }): boolean {
  const text = `${error.message ?? ""} ${error.longMessage ?? ""}`;
  return /revis/i.test(text) && /(limit|maximum|exceed)/i.test(text);
}
