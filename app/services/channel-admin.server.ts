import type { Channel } from "@prisma/client";
import { enqueue } from "#app/lib/queue.server.ts";
import { z } from "zod";
import { connectChannel, ensureShopifyConnection, hasShopifySession, isAwaitingInstall, listConnectionViews } from "#app/models/channel-connection.server.ts";
import { countListingsByStatus, latestPushes, listUnmappedListings, mapListing } from "#app/models/channel-listing.server.ts";
import { AppError } from "#app/lib/app-error.ts";
import { ignoreListing } from "#app/models/review-item.server.ts";
import { forShop } from "#app/models/scoped-db.server.ts";
import { jobId } from "#workers/queues.ts";
import { requestStockPush } from "./stock-sync.server.ts";

// The admin Channels page's use cases: what each channel looks like, "sync now", and mapping a listing.

export const CHANNELS: readonly Channel[] = ["SHOPIFY", "AMAZON", "EBAY"];

export async function getChannelsOverview(shopId: string) {
  await ensureShopifyConnection(shopId);
  const [connections, counts, unmapped, pushes, shopifySession] = await Promise.all([listConnectionViews(shopId), countListingsByStatus(shopId), listUnmappedListings(shopId), latestPushes(shopId, 20), hasShopifySession(shopId)]);
  const channels = CHANNELS.map((channel) => {
    const connection = connections.find((c) => c.channel === channel) ?? null;
    const count = (status: string) => counts.find((c) => c.channel === channel && c.status === status)?.count ?? 0;
    const status = connection?.status ?? "DISCONNECTED";
    return {
      channel,
      status,
      /** Shopify before the install's OAuth finished: nothing can sync yet, and that is not an error. */
      awaitingInstall: isAwaitingInstall(channel, status, shopifySession),
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
  // A request while a sync runs keeps one more queued (keepLastIfActive): the running one may have read
  // the channel before the change that prompted this request (the demo's replayed marketplace orders
  // were dropped that way and waited for the 15-minute reconcile).
  await enqueue("channel-sync", "reconcile", { shopId, channel }, { deduplication: { id: jobId("reconcile", shopId, channel), keepLastIfActive: true }, removeOnComplete: { count: 100 } });
}

/**
 * A person types the SKU code a listing sells (no suggestion fitted). Unknown codes are refused with the
 * code named, so a typo never maps a listing to nothing.
 */
export async function mapChannelListingByCode(shopId: string, listingId: string, code: string): Promise<{ ok: true; code: string } | { ok: false; message: string }> {
  const wanted = code.trim();
  if (!wanted) return { ok: false, message: "Type the SKU code this listing sells." };
  // Case-insensitive for convenience, but codes that differ only in case are different SKUs: an exact
  // match wins, and an ambiguous one is refused.
  const matches = await forShop(shopId).sku.findMany({ where: { code: { equals: wanted, mode: "insensitive" } }, select: { id: true, code: true }, take: 5 });
  const sku = matches.find((m) => m.code === wanted) ?? (matches.length === 1 ? matches[0] : undefined);
  if (!sku) {
    return { ok: false, message: matches.length > 1 ? `Several SKUs match “${wanted}” (${matches.map((m) => m.code).join(", ")}): type the code exactly.` : `No SKU has the code “${wanted}”.` };
  }
  await mapChannelListing(shopId, listingId, sku.id);
  return { ok: true, code: sku.code };
}

/** A listing that is not ours to stock (a bundle, a marketplace-only item): left out of mapping and pushes. */
export async function ignoreChannelListing(shopId: string, listingId: string): Promise<void> {
  const listing = await forShop(shopId).channelListing.findFirst({ where: { id: listingId }, select: { status: true } });
  if (!listing) throw new AppError("not_found", "Listing not found");
  await ignoreListing(shopId, listingId);
}

/** A person maps a listing to a SKU; the listing then gets our quantity. */
export async function mapChannelListing(shopId: string, listingId: string, skuId: string): Promise<void> {
  const listing = await mapListing(shopId, listingId, skuId);
  await requestStockPush(shopId, listing.skuId ? [listing.skuId] : []);
}

const amazonConnectForm = z.object({
  region: z.enum(["na", "eu", "fe"]).default("na"),
  sellerId: z.string().trim().min(1, "Required"),
  marketplaceId: z.string().trim().min(1, "Required"),
  clientId: z.string().trim().min(1, "Required"),
  clientSecret: z.string().trim().min(1, "Required"),
  refreshToken: z.string().trim().min(1, "Required"),
});
const ebayConnectForm = z.object({
  marketplaceId: z.string().trim().min(1).default("EBAY_US"),
  appId: z.string().trim().min(1, "Required"),
  certId: z.string().trim().min(1, "Required"),
  accessToken: z.string().trim().min(1, "Required"),
  refreshToken: z.string().trim().min(1, "Required"),
});

export type ConnectResult = { ok: true } | { ok: false; fieldErrors: Record<string, string> };

/**
 * Connects Amazon or eBay: settings kept readable, secrets encrypted (AES-256-GCM, bound to this shop
 * and channel). Validation errors come back per field; nothing is stored until the form is complete.
 */
export async function connectMarketplace(shopId: string, channel: "AMAZON" | "EBAY", form: Record<string, unknown>): Promise<ConnectResult> {
  const parsed = channel === "AMAZON" ? amazonConnectForm.safeParse(form) : ebayConnectForm.safeParse(form);
  if (!parsed.success) return { ok: false, fieldErrors: Object.fromEntries(parsed.error.issues.map((issue) => [String(issue.path[0]), issue.message])) };
  if (channel === "AMAZON") {
    const { region, sellerId, marketplaceId, ...credentials } = parsed.data as z.infer<typeof amazonConnectForm>;
    await connectChannel(shopId, "AMAZON", { settings: { region, sellerId, marketplaceId }, credentials });
  } else {
    const { marketplaceId, ...credentials } = parsed.data as z.infer<typeof ebayConnectForm>;
    await connectChannel(shopId, "EBAY", { settings: { marketplaceId }, credentials });
  }
  await requestChannelSync(shopId, channel);
  return { ok: true };
}
