import { SellingPartner } from "amazon-sp-api";
import { LoopbackAgent } from "../loopback-agent.server.ts";
import { classifySpApiResponse, classifyThrown, isExpiredAccessToken } from "./errors.ts";

// The one place that builds amazon-sp-api's SellingPartner, and the one call path every Amazon request
// takes. Configuration is injected (ARCHITECTURE principle 6): no credentials file, no process.env.
//
// Choices, each against a default of the library that does not fit a queue-driven sync:
// - auto_request_throttled: false. The library would otherwise sleep 1/rate seconds on every 429 (60 s for
//   getOrders) and retry without a cap. A 429 becomes ChannelError("rate_limited", retryAfterMs) and the
//   queue waits instead.
// - raw_result: true on every call, because only the raw answer carries x-amzn-RateLimit-Limit. The raw
//   path also skips the library's "expired token → refresh → retry once", so call() repeats exactly that
//   (same test, sp.refreshAccessToken(), one retry).
// - retry_remote_timeout: false. The library retries ECONNRESET/ETIMEDOUT immediately and without limit.
// - endpoints_versions pins listingsItems to 2021-08-01; the default is the oldest version with the operation.
// - timeouts.deadline: a slow answer becomes "unavailable" instead of holding a worker.
// - downloadStream()/downloadReportStream() are never used: they bypass the agent (and would reach the
//   internet from tests). download() and upload() do go through it.

export type AmazonRegion = "na" | "eu" | "fe";

export type AmazonCredentials = {
  clientId: string;
  clientSecret: string;
  refreshToken: string;
  /** A still-valid LWA access token, if one is stored; otherwise the first call mints one. */
  accessToken?: string;
};

export type AmazonClientConfig = {
  region: AmazonRegion;
  credentials: AmazonCredentials;
  /** Sandbox only: send every request (SP-API, LWA, S3) to 127.0.0.1:<port>. */
  loopbackPort?: number;
  /** Deadline per HTTP request in ms. Default 30 000. */
  timeoutMs?: number;
};

export type SpApiCall = {
  /** "endpoint.operation", e.g. "orders.getOrders". */
  operation: string;
  path?: Record<string, string>;
  query?: Record<string, string | number | boolean | string[] | undefined>;
  body?: unknown;
  /** Per-call API version, e.g. "2026-01-01" for orders.searchOrders. */
  version?: string;
};

export type AmazonClient = {
  /** The parsed JSON body of a 2xx answer; anything else throws ChannelError. */
  call<T>(call: SpApiCall): Promise<T>;
  /** PUT a feed document to its presigned URL (through the same agent). */
  upload(url: string, content: string, contentType: string): Promise<void>;
  /** GET a (small, uncompressed or GZIP) result document as JSON. */
  downloadJson<T>(url: string, compressionAlgorithm?: string): Promise<T>;
};

type RawResult = { statusCode: number; headers: Record<string, string | string[] | undefined>; body: string };

export function createAmazonClient(config: AmazonClientConfig): AmazonClient {
  const sp = new SellingPartner({
    region: config.region,
    refresh_token: config.credentials.refreshToken,
    access_token: config.credentials.accessToken,
    credentials: {
      SELLING_PARTNER_APP_CLIENT_ID: config.credentials.clientId,
      SELLING_PARTNER_APP_CLIENT_SECRET: config.credentials.clientSecret,
    },
    endpoints_versions: { listingsItems: "2021-08-01" },
    options: {
      auto_request_throttled: false,
      auto_request_tokens: true,
      retry_remote_timeout: false,
      debug_log: false,
      timeouts: { deadline: config.timeoutMs ?? 30_000 },
      ...(config.loopbackPort !== undefined ? { https_proxy_agent: new LoopbackAgent(config.loopbackPort) } : {}),
    },
  });

  async function raw(call: SpApiCall): Promise<RawResult> {
    try {
      // A fresh copy each time: the library encodes `path` in place, so reusing it would double-encode.
      const result: unknown = await sp.callAPI({
        operation: call.operation,
        ...(call.path ? { path: { ...call.path } } : {}),
        ...(call.query ? { query: Object.fromEntries(Object.entries(call.query).filter(([, v]) => v !== undefined)) } : {}),
        ...(call.body !== undefined ? { body: call.body } : {}),
        options: { raw_result: true, ...(call.version ? { version: call.version } : {}) },
      } as Parameters<SellingPartner["callAPI"]>[0]);
      return result as RawResult;
    } catch (error) {
      throw classifyThrown(call.operation, error);
    }
  }

  return {
    async call<T>(call: SpApiCall): Promise<T> {
      let result = await raw(call);
      let body = parseBody(result.body);
      if (isExpiredAccessToken(result.statusCode, body)) {
        try {
          await sp.refreshAccessToken();
        } catch (error) {
          throw classifyThrown(`${call.operation} (token refresh)`, error);
        }
        result = await raw(call);
        body = parseBody(result.body);
      }
      if (result.statusCode >= 200 && result.statusCode < 300) return body as T;
      throw classifySpApiResponse(call.operation, result.statusCode, result.headers, body);
    },

    async upload(url, content, contentType) {
      try {
        await sp.upload({ url }, { content, contentType });
      } catch (error) {
        throw classifyThrown("feeds.upload", error);
      }
    },

    async downloadJson<T>(url: string, compressionAlgorithm?: string): Promise<T> {
      try {
        const content: unknown = await sp.download({ url, ...(compressionAlgorithm ? { compressionAlgorithm } : {}) }, { json: true });
        return (typeof content === "string" ? JSON.parse(content) : content) as T;
      } catch (error) {
        throw classifyThrown("feeds.download", error);
      }
    },
  };
}

function parseBody(text: string): unknown {
  if (text === "") return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { errors: [{ code: "UnparsableResponse", message: text.slice(0, 200) }] };
  }
}
