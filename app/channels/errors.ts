// One classification for every channel failure (ARCHITECTURE principle 7). Adapters translate wire
// errors into it; workers decide what it means (retry with backoff, rate-limit the queue, or stop and
// show the failure to the merchant).
export type ChannelName = "SHOPIFY" | "AMAZON" | "EBAY";

export type ChannelErrorKind =
  | "rate_limited" // throttled: retry after retryAfterMs
  | "auth" // token expired/revoked and could not be refreshed: needs the merchant
  | "invalid" // the request was wrong (bad SKU, schema error): retrying will not help
  | "unavailable"; // network, 5xx, timeout: retry with backoff

export class ChannelError extends Error {
  readonly kind: ChannelErrorKind;
  readonly channel: ChannelName;
  readonly retryAfterMs?: number;
  readonly status?: number;
  /**
   * The shop has not finished installing (no offline Shopify session yet): not a channel failure, the
   * sync has nothing to talk to until OAuth completes. Services treat it as "not connected yet".
   */
  readonly notConnectedYet: boolean;

  constructor(channel: ChannelName, kind: ChannelErrorKind, message: string, options: { retryAfterMs?: number; status?: number; cause?: unknown; notConnectedYet?: boolean } = {}) {
    super(message, { cause: options.cause });
    this.name = "ChannelError";
    this.channel = channel;
    this.kind = kind;
    this.retryAfterMs = options.retryAfterMs;
    this.status = options.status;
    this.notConnectedYet = options.notConnectedYet ?? false;
  }
}

export function isChannelError(error: unknown): error is ChannelError {
  return error instanceof ChannelError;
}

export function isNotConnectedYet(error: unknown): boolean {
  return isChannelError(error) && error.notConnectedYet;
}
