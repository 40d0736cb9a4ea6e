import { GraphqlQueryError, HttpInternalError, HttpRequestError, HttpResponseError, HttpThrottlingError } from "@shopify/shopify-api";
import { describe, expect, it } from "vitest";
import { classifyShopifyError } from "./client.server.ts";

// The errors Shopify's client throws (with tries: 1), as built by @shopify/shopify-api itself.

function graphqlError(code: string, extensions: Record<string, unknown> = {}) {
  return new GraphqlQueryError({
    message: code,
    response: {},
    body: { errors: { networkStatusCode: 200, graphQLErrors: [{ message: code, extensions: { code } }] }, extensions },
  });
}

describe("classifyShopifyError", () => {
  it("turns THROTTLED into rate_limited, waiting until the bucket holds the requested cost", () => {
    const error = classifyShopifyError(
      graphqlError("THROTTLED", { cost: { requestedQueryCost: 862, actualQueryCost: null, throttleStatus: { maximumAvailable: 2000, currentlyAvailable: 600, restoreRate: 100 } } }),
    );
    expect(error).toMatchObject({ kind: "rate_limited", retryAfterMs: 2620 });
  });

  it("turns 429 into rate_limited with Retry-After seconds as milliseconds", () => {
    const error = classifyShopifyError(new HttpThrottlingError({ message: "429", code: 429, statusText: "Too Many Requests", retryAfter: 2 }));
    expect(error).toMatchObject({ kind: "rate_limited", retryAfterMs: 2000, status: 429 });
  });

  it("turns 401/403 into auth, 5xx and network failures into unavailable, schema errors into invalid", () => {
    expect(classifyShopifyError(new HttpResponseError({ message: "401", code: 401, statusText: "Unauthorized" }))).toMatchObject({ kind: "auth", status: 401 });
    expect(classifyShopifyError(new HttpResponseError({ message: "403", code: 403, statusText: "Forbidden" }))).toMatchObject({ kind: "auth" });
    expect(classifyShopifyError(new HttpInternalError({ message: "503", code: 503, statusText: "Service Unavailable" }))).toMatchObject({ kind: "unavailable", status: 503 });
    expect(classifyShopifyError(new HttpRequestError("fetch failed"))).toMatchObject({ kind: "unavailable" });
    expect(classifyShopifyError(graphqlError("undefinedField"))).toMatchObject({ kind: "invalid" });
    expect(classifyShopifyError(graphqlError("MAX_COST_EXCEEDED"))).toMatchObject({ kind: "invalid" });
    expect(classifyShopifyError(graphqlError("ACCESS_DENIED"))).toMatchObject({ kind: "auth" });
  });
});
