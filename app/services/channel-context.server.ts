import type { Channel, ChannelConnection } from "@prisma/client";
import type { ChannelAdapter } from "#app/channels/channel.ts";
import { isNotConnectedYet } from "#app/channels/errors.ts";
import { createAdapter, type AdapterDeps } from "#app/channels/registry.server.ts";
import { prisma } from "#app/db.server.ts";
import { AppError } from "#app/lib/app-error.ts";
import { ensureShopifyConnection, getConnection, saveEncryptedCredentials } from "#app/models/channel-connection.server.ts";

// What the channel sync services need from the outside world, passed in so tests and the bench can pin
// the clock, swap the adapter source, or watch the push requests.

export type ChannelSyncDeps = {
  now?: () => Date;
  /** Builds the adapter for a connection (default: the registry). */
  adapterFor?: (connection: ChannelConnection, shopDomain: string) => Promise<ChannelAdapter>;
  /** Overrides only how Shopify's admin.graphql is obtained (registry default: unauthenticated.admin). */
  shopifyGraphql?: AdapterDeps["shopifyGraphql"];
  /** Called after orders changed stock positions (default: requestStockPush, a coalesced job). */
  requestStockPush?: (shopId: string, skuIds: string[]) => Promise<void>;
  /** Called after orders moved these SKUs' stock (default: requestReorderForSkus, coalesced per SKU set and minute). */
  requestReorder?: (shopId: string, skuIds: string[]) => Promise<unknown>;
};

export const clock = (deps: ChannelSyncDeps): Date => (deps.now ? deps.now() : new Date());

export type ActiveConnection = { connection: ChannelConnection; shop: { id: string; domain: string; timezone: string; status: string } };

/** The shop and its connection for a sync; an uninstalled shop or a disconnected channel does nothing. */
export async function loadActiveConnection(shopId: string, channel: Channel): Promise<ActiveConnection | null> {
  const shop = await prisma.shop.findUnique({ where: { id: shopId }, select: { id: true, domain: true, timezone: true, status: true } });
  if (!shop) throw new AppError("not_found", `Shop ${shopId} not found`);
  if (shop.status !== "ACTIVE") return null;
  if (channel === "SHOPIFY") await ensureShopifyConnection(shopId);
  const connection = await getConnection(shopId, channel);
  if (!connection || connection.status === "DISCONNECTED") return null;
  return { connection, shop };
}

export async function adapterFor(active: ActiveConnection, deps: ChannelSyncDeps): Promise<ChannelAdapter> {
  if (deps.adapterFor) return deps.adapterFor(active.connection, active.shop.domain);
  return createAdapter(active.connection, {
    shopDomain: active.shop.domain,
    ...(deps.shopifyGraphql ? { shopifyGraphql: deps.shopifyGraphql } : {}),
    saveCredentials: (encrypted) => saveEncryptedCredentials(active.shop.id, active.connection.channel, encrypted),
  });
}

/**
 * The adapter, or null while the channel is not connected yet (a Shopify shop that has not finished
 * OAuth): the sync then does nothing and records no error; the next sync after the install runs normally.
 */
export async function connectedAdapter(active: ActiveConnection, deps: ChannelSyncDeps): Promise<ChannelAdapter | null> {
  try {
    return await adapterFor(active, deps);
  } catch (error) {
    if (isNotConnectedYet(error)) return null;
    throw error;
  }
}
