import type { ChannelConnection } from "@prisma/client";
import { z } from "zod";
import { createAmazonAdapter } from "./amazon/adapter.server.ts";
import type { ChannelAdapter } from "./channel.ts";
import { credentialsContext, decryptCredentials, encryptCredentials } from "./credentials.server.ts";
import { createEbayAdapter } from "./ebay/adapter.server.ts";
import { ChannelError, type ChannelName } from "./errors.ts";
import type { AdminGraphql } from "./shopify/client.server.ts";
import { createShopifyAdapter } from "./shopify/adapter.server.ts";

// One adapter per channel, picked by name (ARCHITECTURE principle 7). The registry is the only place
// that turns a stored ChannelConnection into a working adapter: Shopify through the app's own offline
// session (`unauthenticated.admin(shop)`), Amazon and eBay from their encrypted credentials plus the
// connection's settings. Sandbox ports come from those settings too (tests, demo), never from
// process.env, so production code paths never build a loopback agent.

export type AdapterConnection = Pick<ChannelConnection, "shopId" | "channel" | "settings" | "encryptedCredentials">;

export type AdapterDeps = {
  /** The shop's myshopify domain (the Shopify offline session is keyed by it). */
  shopDomain: string;
  /** Overrides how Shopify's admin.graphql is obtained (defaults to unauthenticated.admin(shopDomain)). */
  shopifyGraphql?: (shopDomain: string) => Promise<AdminGraphql>;
  /** Persists re-encrypted credentials when a channel rotates a token (eBay refresh). */
  saveCredentials?: (encrypted: string) => Promise<void>;
  /** Where the first order pull starts when there is no cursor yet (ISO). */
  initialOrdersSince?: string;
};

export type AdapterFactory = (connection: AdapterConnection, deps: AdapterDeps) => Promise<ChannelAdapter>;

const loopbackPort = z.number().int().min(1).max(65_535).optional();

export const amazonSettingsSchema = z.object({
  region: z.enum(["na", "eu", "fe"]).default("na"),
  sellerId: z.string().min(1),
  marketplaceId: z.string().min(1),
  loopbackPort,
  initialOrdersSince: z.string().optional(),
  feedThreshold: z.number().int().positive().optional(),
});
export const amazonCredentialsSchema = z.object({ clientId: z.string().min(1), clientSecret: z.string().min(1), refreshToken: z.string().min(1), accessToken: z.string().optional() });

export const ebaySettingsSchema = z.object({
  marketplaceId: z.string().min(1).default("EBAY_US"),
  loopbackPort,
  initialOrdersSince: z.string().optional(),
  rateLimitRetryAfterMs: z.number().int().positive().optional(),
});
export const ebayCredentialsSchema = z.object({
  appId: z.string().min(1),
  certId: z.string().min(1),
  accessToken: z.string().min(1),
  refreshToken: z.string().min(1),
});

export const shopifySettingsSchema = z.object({ ordersPageSize: z.number().int().min(1).max(50).optional() });

/** Orders older than this are history for a first pull (a new connection does not re-import years). */
const DEFAULT_LOOKBACK_MS = 30 * 86_400_000;

function parseSettings<T extends z.ZodType>(channel: ChannelName, schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) throw new ChannelError(channel, "invalid", `The ${channel} connection settings are incomplete: ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}`);
  return parsed.data;
}

function credentialsOf<T extends z.ZodType>(connection: AdapterConnection, schema: T): z.output<T> {
  const channel = connection.channel;
  if (!connection.encryptedCredentials) throw new ChannelError(channel, "auth", `${channel} is not connected: no credentials stored`);
  let raw: unknown;
  try {
    raw = decryptCredentials(connection.encryptedCredentials, credentialsContext(connection.shopId, channel));
  } catch (error) {
    throw new ChannelError(channel, "auth", error instanceof Error ? error.message : "Credentials unreadable");
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new ChannelError(channel, "auth", `The stored ${channel} credentials are incomplete`);
  return parsed.data;
}

async function defaultShopifyGraphql(shopDomain: string): Promise<AdminGraphql> {
  const { unauthenticated } = await import("#app/shopify.server.ts");
  try {
    const { admin } = await unauthenticated.admin(shopDomain);
    return admin.graphql as AdminGraphql;
  } catch (error) {
    // No offline session: the shop has not finished installing (OAuth), or the session went with an
    // uninstall (the shop is then no longer ACTIVE and its syncs stop before getting here).
    throw new ChannelError("SHOPIFY", "auth", `Shopify is not connected yet: ${shopDomain} has not finished installing the app`, { cause: error, notConnectedYet: true });
  }
}

export const adapterFactories: Record<ChannelName, AdapterFactory> = {
  async SHOPIFY(connection, deps) {
    const settings = parseSettings("SHOPIFY", shopifySettingsSchema, connection.settings);
    const graphql = await (deps.shopifyGraphql ?? defaultShopifyGraphql)(deps.shopDomain);
    return createShopifyAdapter({ graphql, ...(settings.ordersPageSize ? { ordersPageSize: settings.ordersPageSize } : {}) });
  },

  async AMAZON(connection, deps) {
    const settings = parseSettings("AMAZON", amazonSettingsSchema, connection.settings);
    const credentials = credentialsOf(connection, amazonCredentialsSchema);
    return createAmazonAdapter({
      region: settings.region,
      sellerId: settings.sellerId,
      marketplaceId: settings.marketplaceId,
      credentials,
      initialOrdersSince: settings.initialOrdersSince ?? deps.initialOrdersSince ?? new Date(Date.now() - DEFAULT_LOOKBACK_MS).toISOString(),
      ...(settings.loopbackPort !== undefined ? { loopbackPort: settings.loopbackPort } : {}),
      ...(settings.feedThreshold !== undefined ? { feedThreshold: settings.feedThreshold } : {}),
    });
  },

  async EBAY(connection, deps) {
    const settings = parseSettings("EBAY", ebaySettingsSchema, connection.settings);
    const credentials = credentialsOf(connection, ebayCredentialsSchema);
    return createEbayAdapter({
      appId: credentials.appId,
      certId: credentials.certId,
      marketplaceId: settings.marketplaceId,
      token: { accessToken: credentials.accessToken, refreshToken: credentials.refreshToken },
      initialOrdersSince: settings.initialOrdersSince ?? deps.initialOrdersSince ?? new Date(Date.now() - DEFAULT_LOOKBACK_MS).toISOString(),
      ...(settings.loopbackPort !== undefined ? { loopbackPort: settings.loopbackPort } : {}),
      ...(settings.rateLimitRetryAfterMs !== undefined ? { rateLimitRetryAfterMs: settings.rateLimitRetryAfterMs } : {}),
      // eBay caps token minting per day: a refreshed token is kept (encrypted) for the next process.
      onTokenRefreshed: async (token) => {
        await deps.saveCredentials?.(
          encryptCredentials({ ...credentials, accessToken: token.accessToken, refreshToken: token.refreshToken }, credentialsContext(connection.shopId, "EBAY")),
        );
      },
    });
  },
};

export function createAdapter(connection: AdapterConnection, deps: AdapterDeps): Promise<ChannelAdapter> {
  const factory = adapterFactories[connection.channel];
  return factory(connection, deps);
}
