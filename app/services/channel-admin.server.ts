import type { Channel } from "@prisma/client";
import { enqueue } from "#app/lib/queue.server.ts";
import { listConnectionViews } from "#app/models/channel-connection.server.ts";
import { countListingsByStatus, latestPushes, listUnmappedListings, mapListing } from "#app/models/channel-listing.server.ts";
import { jobId } from "#workers/queues.ts";
import { requestStockPush } from "./stock-sync.server.ts";

// The admin Channels page's use cases: what each channel looks like, "sync now", and mapping a listing.

export const CHANNELS: readonly Channel[] = ["SHOPIFY", "AMAZON", "EBAY"];

export async function getChannelsOverview(shopId: string) {
  const [connections, counts, unmapped, pushes] = await Promise.all([listConnectionViews(shopId), countListingsByStatus(shopId), listUnmappedListings(shopId), latestPushes(shopId, 20)]);
  const channels = CHANNELS.map((channel) => {
    const connection = connections.find((c) => c.channel === channel) ?? null;
    const count = (status: string) => counts.find((c) => c.channel === channel && c.status === status)?.count ?? 0;
    return {
      channel,
      status: connection?.status ?? "DISCONNECTED",
      lastOrderSyncAt: connection?.lastOrderSyncAt ?? null,
      lastStockSyncAt: connection?.lastStockSyncAt ?? null,
      lastError: connection?.lastError ?? null,
      lastErrorAt: connection?.lastErrorAt ?? null,
      mapped: count("MAPPED"),
      unmapped: count("UNMAPPED"),
    };
  });
  return { channels, unmapped, pushes };
}

/**
 * "Sync now": a reconcile of one channel (orders, stock, then pushes), de-duplicated so repeated clicks
 * while one waits make one job.
 */
export async function requestChannelSync(shopId: string, channel: Channel): Promise<void> {
  await enqueue("channel-sync", "reconcile", { shopId, channel }, { deduplication: { id: jobId("reconcile", shopId, channel) }, removeOnComplete: { count: 100 } });
}

/** A person maps a listing to a SKU; the listing then gets our quantity. */
export async function mapChannelListing(shopId: string, listingId: string, skuId: string): Promise<void> {
  const listing = await mapListing(shopId, listingId, skuId);
  await requestStockPush(shopId, listing.skuId ? [listing.skuId] : []);
}
