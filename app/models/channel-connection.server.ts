import type { Channel, ChannelConnection, ConnectionStatus, Prisma } from "@prisma/client";
import { credentialsContext, encryptCredentials } from "#app/channels/credentials.server.ts";
import { prisma } from "#app/db.server.ts";

// ChannelConnection: one per shop × channel. Credentials go in only encrypted (and never come back out
// of this module except to the registry); cursors and sync times are written by the sync services.

type Db = Prisma.TransactionClient;

export type ConnectionView = Omit<ChannelConnection, "encryptedCredentials"> & { hasCredentials: boolean };

export async function getConnection(shopId: string, channel: Channel, tx?: Db): Promise<ChannelConnection | null> {
  return (tx ?? prisma).channelConnection.findUnique({ where: { shopId_channel: { shopId, channel } } });
}

export async function listConnectedChannels(shopId: string): Promise<ChannelConnection[]> {
  return prisma.channelConnection.findMany({ where: { shopId, status: { not: "DISCONNECTED" } }, orderBy: { channel: "asc" } });
}

/** For the admin: everything but the ciphertext. */
export async function listConnectionViews(shopId: string): Promise<ConnectionView[]> {
  const rows = await prisma.channelConnection.findMany({ where: { shopId }, orderBy: { channel: "asc" } });
  return rows.map(({ encryptedCredentials, ...rest }) => ({ ...rest, hasCredentials: encryptedCredentials !== null }));
}

export async function connectChannel(
  shopId: string,
  channel: Channel,
  input: { settings?: Prisma.InputJsonValue; credentials?: Record<string, unknown>; status?: ConnectionStatus },
): Promise<ChannelConnection> {
  const encryptedCredentials = input.credentials ? encryptCredentials(input.credentials, credentialsContext(shopId, channel)) : undefined;
  const data = {
    status: input.status ?? "CONNECTED",
    ...(input.settings !== undefined ? { settings: input.settings } : {}),
    ...(encryptedCredentials !== undefined ? { encryptedCredentials } : {}),
    lastError: null,
    lastErrorAt: null,
  };
  return prisma.channelConnection.upsert({ where: { shopId_channel: { shopId, channel } }, create: { shopId, channel, ...data }, update: data });
}

export async function saveEncryptedCredentials(shopId: string, channel: Channel, encryptedCredentials: string): Promise<void> {
  await prisma.channelConnection.updateMany({ where: { shopId, channel }, data: { encryptedCredentials } });
}

/** Persisted inside the transaction that committed the page, so a crash never skips or repeats a page's effects. */
export async function saveOrderCursor(tx: Db, shopId: string, channel: Channel, cursor: string | null, at: Date): Promise<void> {
  await tx.channelConnection.updateMany({ where: { shopId, channel }, data: { orderCursor: cursor, lastOrderSyncAt: at } });
}

/**
 * An order that arrived by webhook is order sync too: the admin's "Orders synced" means when orders last
 * came in, whichever way (the pull's cursor is left where it was; the reconcile still sweeps behind).
 */
export async function recordOrderSync(tx: Db, shopId: string, channel: Channel, at: Date): Promise<void> {
  await tx.channelConnection.updateMany({ where: { shopId, channel, OR: [{ lastOrderSyncAt: null }, { lastOrderSyncAt: { lt: at } }] }, data: { lastOrderSyncAt: at } });
}

/** A pull that read the channel's quantities, or a push the channel applied. */
export async function recordStockSync(shopId: string, channel: Channel, at: Date): Promise<void> {
  await prisma.channelConnection.updateMany({ where: { shopId, channel }, data: { lastStockSyncAt: at } });
}

export async function recordConnectionError(shopId: string, channel: Channel, message: string, at: Date, options: { status?: ConnectionStatus } = {}): Promise<void> {
  await prisma.channelConnection.updateMany({
    where: { shopId, channel },
    data: { lastError: message.slice(0, 1000), lastErrorAt: at, ...(options.status ? { status: options.status } : {}) },
  });
}

export async function clearConnectionError(shopId: string, channel: Channel): Promise<void> {
  await prisma.channelConnection.updateMany({ where: { shopId, channel, OR: [{ lastError: { not: null } }, { status: "ERROR" }] }, data: { lastError: null, lastErrorAt: null, status: "CONNECTED" } });
}

/**
 * Shopify is the platform the app is installed on: its connection exists as soon as the shop does (the
 * offline session is its credential), so it is created on first use rather than by a "connect" step.
 * A connection the merchant disconnected stays disconnected.
 */
export async function ensureShopifyConnection(shopId: string): Promise<void> {
  await prisma.channelConnection.upsert({ where: { shopId_channel: { shopId, channel: "SHOPIFY" } }, create: { shopId, channel: "SHOPIFY", status: "CONNECTED" }, update: {} });
}

/**
 * Whether Shopify has given the app its offline session (the install's OAuth finished). Until then the
 * Shopify channel is "not connected yet" (see `isAwaitingInstall`): its syncs do nothing, which is not a failure.
 */
export async function hasShopifySession(shopId: string): Promise<boolean> {
  const shop = await prisma.shop.findUnique({ where: { id: shopId }, select: { domain: true } });
  if (!shop) return false;
  return (await prisma.session.count({ where: { shop: shop.domain, isOnline: false } })) > 0;
}

/**
 * The one rule for "not connected yet" (the Channels page and the dashboard both show it): Shopify, not
 * disconnected by the merchant, before the install's offline session exists (`hasShopifySession`).
 * Nothing can sync yet, and that is neither an error nor healthy.
 */
export function isAwaitingInstall(channel: Channel, status: ConnectionStatus, shopifySession: boolean): boolean {
  return channel === "SHOPIFY" && status !== "DISCONNECTED" && !shopifySession;
}
