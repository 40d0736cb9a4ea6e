import { signAppProxy } from "#sandbox/shopify/webhooks.ts";

export const PROXY_SECRET = "test-api-secret"; // SHOPIFY_API_SECRET in tests/setup/setup-test-env.ts

export type ProxyRequestOptions = {
  shop: string;
  path: "subscribe" | "eta";
  query?: Record<string, string>;
  method?: "GET" | "POST";
  body?: Record<string, string>;
  ip?: string;
  secret?: string;
  /** Seconds since the epoch; defaults to now. */
  timestamp?: number;
  unsigned?: boolean;
  /** Changes the query after signing, like a shopper editing the URL. */
  tamper?: Record<string, string>;
};

/** A request as Shopify's app proxy forwards it: shop, path_prefix, timestamp and the storefront query, signed. */
export function proxyRequest(options: ProxyRequestOptions): Request {
  const params: Record<string, string> = {
    shop: options.shop,
    logged_in_customer_id: "",
    path_prefix: "/apps/back-in-stock",
    timestamp: String(options.timestamp ?? Math.floor(Date.now() / 1000)),
    ...options.query,
  };
  if (!options.unsigned) params.signature = signAppProxy(options.secret ?? PROXY_SECRET, params);
  Object.assign(params, options.tamper);
  const url = `https://replenish.test/proxy/${options.path}?${new URLSearchParams(params).toString()}`;
  const method = options.method ?? (options.path === "subscribe" ? "POST" : "GET");
  return new Request(url, {
    method,
    headers: { "x-forwarded-for": options.ip ?? "203.0.113.7", ...(options.body ? { "content-type": "application/x-www-form-urlencoded" } : {}) },
    body: options.body ? new URLSearchParams(options.body).toString() : undefined,
  });
}
