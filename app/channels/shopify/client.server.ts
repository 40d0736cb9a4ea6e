import {
  GraphqlQueryError,
  HttpMaxRetriesError,
  HttpRequestError,
  HttpResponseError,
  HttpThrottlingError,
} from "@shopify/shopify-api";
import { ChannelError } from "../errors.ts";

// The one way the adapter talks to Shopify: the app's own `admin.graphql` (from
// @shopify/shopify-app-remix, `unauthenticated.admin(shop)` in workers), called with tries: 1 so the
// client never sleeps and retries on its own — BullMQ owns retries and backoff. Every failure leaves
// here as a ChannelError.

/** The shape of `admin.graphql`: a query and its variables in, a fetch Response out. */
export type AdminGraphql = (query: string, options?: { variables?: Record<string, unknown>; tries?: number }) => Promise<Response>;

export type QueryCost = {
  requestedQueryCost: number;
  actualQueryCost: number | null;
  throttleStatus: { maximumAvailable: number; currentlyAvailable: number; restoreRate: number };
};

export async function adminRequest<T>(graphql: AdminGraphql, query: string, variables: Record<string, unknown> = {}): Promise<{ data: T; cost: QueryCost | null }> {
  let response: Response;
  try {
    response = await graphql(query, { variables, tries: 1 });
  } catch (error) {
    throw classifyShopifyError(error);
  }
  const body = (await response.json()) as { data?: T; extensions?: { cost?: QueryCost } };
  if (body.data === undefined || body.data === null) throw new ChannelError("SHOPIFY", "unavailable", "Shopify answered without data");
  return { data: body.data, cost: body.extensions?.cost ?? null };
}

/** Milliseconds until the bucket holds `points` again (by default, what the reported query requested). */
export function throttleWait(cost: QueryCost | null | undefined, points?: number): number {
  if (!cost) return 1000;
  const { currentlyAvailable, restoreRate } = cost.throttleStatus;
  return Math.max(0, Math.ceil((((points ?? cost.requestedQueryCost) - currentlyAvailable) / restoreRate) * 1000));
}

type GraphqlErrorEntry = { message?: string; extensions?: { code?: string } };

export function classifyShopifyError(error: unknown): ChannelError {
  if (error instanceof ChannelError) return error;

  if (error instanceof GraphqlQueryError) {
    const body = error.body as { errors?: { graphQLErrors?: GraphqlErrorEntry[] }; extensions?: { cost?: QueryCost } } | undefined;
    const entries = body?.errors?.graphQLErrors ?? [];
    const codes = entries.map((entry) => entry.extensions?.code);
    const message = entries.map((entry) => entry.message).join("; ") || error.message;
    if (codes.includes("THROTTLED")) {
      return new ChannelError("SHOPIFY", "rate_limited", "Shopify throttled the query (cost bucket empty)", { retryAfterMs: throttleWait(body?.extensions?.cost), cause: error });
    }
    if (codes.includes("ACCESS_DENIED")) return new ChannelError("SHOPIFY", "auth", `Shopify denied access: ${message}`, { cause: error });
    if (codes.includes("INTERNAL_SERVER_ERROR") || codes.includes("SERVICE_UNAVAILABLE")) {
      return new ChannelError("SHOPIFY", "unavailable", `Shopify failed: ${message}`, { cause: error });
    }
    // Schema validation, MAX_COST_EXCEEDED, bad variables: sending it again will not help.
    return new ChannelError("SHOPIFY", "invalid", `Shopify refused the query: ${message}`, { cause: error });
  }

  if (error instanceof HttpThrottlingError) {
    const seconds = error.response.retryAfter;
    return new ChannelError("SHOPIFY", "rate_limited", "Shopify answered 429", { retryAfterMs: seconds === undefined || Number.isNaN(seconds) ? 1000 : Math.ceil(seconds * 1000), status: 429, cause: error });
  }
  if (error instanceof HttpResponseError) {
    const status = error.response.code;
    if (status === 401 || status === 403) return new ChannelError("SHOPIFY", "auth", `Shopify rejected the access token (${status})`, { status, cause: error });
    if (status === 429) return new ChannelError("SHOPIFY", "rate_limited", "Shopify answered 429", { retryAfterMs: 1000, status, cause: error });
    if (status >= 500) return new ChannelError("SHOPIFY", "unavailable", `Shopify answered ${status}`, { status, cause: error });
    return new ChannelError("SHOPIFY", "invalid", `Shopify answered ${status}`, { status, cause: error });
  }
  if (error instanceof HttpMaxRetriesError || error instanceof HttpRequestError) {
    return new ChannelError("SHOPIFY", "unavailable", `Shopify could not be reached: ${error.message}`, { cause: error });
  }
  // A Response thrown by the Remix layer (e.g. a re-auth redirect) carries its status.
  if (error instanceof Response) {
    const kind = error.status === 401 || error.status === 403 || (error.status >= 300 && error.status < 400) ? "auth" : error.status >= 500 ? "unavailable" : "invalid";
    return new ChannelError("SHOPIFY", kind, `Shopify request ended with HTTP ${error.status}`, { status: error.status, cause: error });
  }
  return new ChannelError("SHOPIFY", "unavailable", `Shopify request failed: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
}
