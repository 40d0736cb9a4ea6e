import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { LogSeverity, shopifyApi } from "@shopify/shopify-api";
import { setAbstractFetchFunc } from "@shopify/shopify-api/runtime";
import { prisma } from "./db.server.ts";
import { getEnv } from "./env.server.ts";

// The one configured Shopify SDK (template shape). Sessions live in Postgres through Prisma.
export const SHOPIFY_API_VERSION = ApiVersion.October26;

const env = getEnv();

// Tests and the demo talk to the local Shopify sandbox: every call the SDK makes (GraphQL, token
// exchange) keeps its path but goes to SHOPIFY_ADMIN_ORIGIN. Must run after the adapter import above,
// which installs the fetch this replaces. Never set in production.
if (env.SHOPIFY_ADMIN_ORIGIN) {
  const origin = env.SHOPIFY_ADMIN_ORIGIN.replace(/\/$/, "");
  setAbstractFetchFunc((input, init) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    return fetch(`${origin}${url.pathname}${url.search}`, init);
  });
}

const shopify = shopifyApp({
  apiKey: env.SHOPIFY_API_KEY,
  apiSecretKey: env.SHOPIFY_API_SECRET,
  apiVersion: SHOPIFY_API_VERSION,
  scopes: env.SCOPES.split(","),
  appUrl: env.SHOPIFY_APP_URL,
  authPathPrefix: "/auth",
  sessionStorage: new PrismaSessionStorage(prisma),
  distribution: AppDistribution.AppStore,
  future: { unstable_newEmbeddedAuthStrategy: true, expiringOfflineAccessTokens: true },
});

/**
 * The SDK's webhook verification (HMAC over the raw body, required headers) on its own. The app
 * wrapper's `authenticate.webhook` also loads the offline session to build an Admin client, a
 * database read per delivery that webhook intake never uses.
 */
export const webhookValidator = shopifyApi({
  apiKey: env.SHOPIFY_API_KEY,
  apiSecretKey: env.SHOPIFY_API_SECRET,
  apiVersion: SHOPIFY_API_VERSION,
  scopes: env.SCOPES.split(","),
  hostName: new URL(env.SHOPIFY_APP_URL).host,
  isEmbeddedApp: true,
  logger: { level: LogSeverity.Error },
}).webhooks;

export default shopify;
export const apiVersion = SHOPIFY_API_VERSION;
export const addDocumentResponseHeaders = shopify.addDocumentResponseHeaders;
export const authenticate = shopify.authenticate;
export const unauthenticated = shopify.unauthenticated;
export const login = shopify.login;
export const registerWebhooks = shopify.registerWebhooks;
export const sessionStorage = shopify.sessionStorage;
