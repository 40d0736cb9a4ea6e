import eBayApi from "ebay-api";
import { logger } from "#app/lib/logger.server.ts";
import { LoopbackAgent } from "../loopback-agent.server.ts";

// The one place that builds ebay-api's client. Configuration is injected (ARCHITECTURE principle 6).
//
// - The user token (access + refresh) comes from our store; with autoRefreshToken ebay-api refreshes it
//   once when a call answers 401 "Invalid access token" (or any 403 on /sell/inventory/v1) and retries.
//   It announces the new token with a "refreshAuthToken" event: we hand it to onTokenRefreshed so the
//   caller persists it (token minting is capped per day, so tokens must be reused across processes).
// - ebay-api has no retry or backoff of its own; 429s surface as errors the adapter classifies.
// - Sandboxed: every request (OAuth included) goes through axios' httpsAgent = LoopbackAgent, and
//   proxy: false, because axios would otherwise honour HTTPS_PROXY and tunnel past the agent.

export type EbayToken = { accessToken: string; refreshToken: string; expiresIn?: number };

export type EbayClientConfig = {
  appId: string;
  certId: string;
  devId?: string;
  ruName?: string;
  /** e.g. "EBAY_US". */
  marketplaceId: string;
  /** BCP-47 content language of listings, e.g. "en-US". Default "en-US". */
  contentLanguage?: string;
  token: EbayToken;
  /** OAuth scopes of the user token (sent again on refresh). */
  scopes?: string[];
  /** Called with every refreshed token; persist it (encrypted) for the next process. */
  onTokenRefreshed?: (token: EbayToken) => void | Promise<void>;
  /** Sandbox only: send every request to 127.0.0.1:<port>. */
  loopbackPort?: number;
  /** Per-request timeout in ms. Default 30 000. */
  timeoutMs?: number;
};

export const DEFAULT_SCOPES = [
  "https://api.ebay.com/oauth/api_scope",
  "https://api.ebay.com/oauth/api_scope/sell.inventory",
  "https://api.ebay.com/oauth/api_scope/sell.fulfillment.readonly",
];

export type EbayClient = {
  api: eBayApi;
  /** Resolves once every refreshed token seen so far has been handed to onTokenRefreshed. */
  tokenPersisted(): Promise<void>;
};

export function createEbayClient(config: EbayClientConfig): EbayClient {
  const api = new eBayApi({
    appId: config.appId,
    certId: config.certId,
    ...(config.devId ? { devId: config.devId } : {}),
    ...(config.ruName ? { ruName: config.ruName } : {}),
    sandbox: false,
    marketplaceId: config.marketplaceId as eBayApi["config"]["marketplaceId"],
    contentLanguage: (config.contentLanguage ?? "en-US") as eBayApi["config"]["contentLanguage"],
    acceptLanguage: (config.contentLanguage ?? "en-US") as eBayApi["config"]["acceptLanguage"],
    scope: config.scopes ?? DEFAULT_SCOPES,
    autoRefreshToken: true,
    axiosConfig: {
      timeout: config.timeoutMs ?? 30_000,
      ...(config.loopbackPort !== undefined ? { httpsAgent: new LoopbackAgent(config.loopbackPort), proxy: false as const } : {}),
    },
  });
  api.OAuth2.setCredentials({
    access_token: config.token.accessToken,
    refresh_token: config.token.refreshToken,
    ...(config.token.expiresIn !== undefined ? { expires_in: config.token.expiresIn } : {}),
    token_type: "User Access Token",
  });

  let persisting: Promise<void> = Promise.resolve();
  api.OAuth2.on("refreshAuthToken", (token: { access_token: string; refresh_token?: string; expires_in?: number }) => {
    const refreshed: EbayToken = {
      accessToken: token.access_token,
      refreshToken: token.refresh_token ?? config.token.refreshToken,
      ...(token.expires_in !== undefined ? { expiresIn: token.expires_in } : {}),
    };
    // The event is synchronous; the callback may not be. A failed save must not fail the sync (the token
    // in memory works and a later refresh saves again), but it must be visible.
    persisting = persisting
      .then(() => config.onTokenRefreshed?.(refreshed))
      .catch((error: unknown) => logger.warn({ err: error }, "eBay: persisting the refreshed token failed"));
  });

  return { api, tokenPersisted: () => persisting };
}
