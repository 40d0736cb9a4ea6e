// What each channel listing should show (issue 4 item 6). Pure: the service loads levels, listings
// and settings, this decides, the service pushes and records.
//
// sellable = on hand − committed − the channel's buffer, never negative. A buffer keeps units back
// from marketplaces (Shopify's own storefront usually has none), so a burst on Amazon cannot sell the
// last units the web shop already promised.

export type ChannelKey = "SHOPIFY" | "AMAZON" | "EBAY";

export type ChannelBuffers = Readonly<Partial<Record<ChannelKey, number>>>;

/** ShopSettings.channelBuffers is free JSON: keep only non-negative integers per known channel. */
export function parseChannelBuffers(value: unknown): ChannelBuffers {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
  const buffers: Partial<Record<ChannelKey, number>> = {};
  for (const channel of ["SHOPIFY", "AMAZON", "EBAY"] as const) {
    const raw = (value as Record<string, unknown>)[channel];
    const n = typeof raw === "string" ? Number(raw) : raw;
    if (typeof n === "number" && Number.isInteger(n) && n > 0) buffers[channel] = n;
  }
  return buffers;
}

export function sellableQuantity(input: { onHand: number; committed: number; buffer: number }): number {
  return Math.max(0, input.onHand - input.committed - Math.max(0, input.buffer));
}

export type ListingForPush = {
  id: string;
  channel: ChannelKey;
  skuId: string | null;
  status: "MAPPED" | "UNMAPPED" | "IGNORED";
  fulfilledByChannel: boolean;
  lastKnownQuantity: number | null;
  lastPushedQuantity: number | null;
};

export type StockPosition = { onHand: number; committed: number };

export type PushDecision = { listingId: string; quantity: number; expectedQuantity: number | null };

export type SkipReason = "unmapped" | "fulfilled_by_channel" | "unchanged" | "oversold";

/**
 * A channel that shows fewer than zero has taken more orders than it had units. It sells nothing, the
 * same as at 0, and setting it to 0 would make Shopify add units to on hand to cover orders that have
 * no stock, and hide the oversell from the merchant. The channel is in step with our 0.
 */
export function oversoldAtZero(channelQuantity: number | null, sellable: number): boolean {
  return sellable === 0 && channelQuantity !== null && channelQuantity < 0;
}

/**
 * One decision per listing. Skipped: listings not mapped to a SKU, FBA listings (Amazon's stock, read
 * only), listings whose channel already shows the sellable quantity (as far as we know: last known
 * from the channel, else last pushed), and oversold listings when we have nothing to sell either, unless
 * `force` (reconciliation re-sends after drift).
 */
export function decideStockPushes(
  listings: readonly ListingForPush[],
  positions: ReadonlyMap<string, StockPosition>,
  buffers: ChannelBuffers,
  options: { force?: boolean } = {},
): { pushes: PushDecision[]; skipped: Array<{ listingId: string; reason: SkipReason }> } {
  const pushes: PushDecision[] = [];
  const skipped: Array<{ listingId: string; reason: SkipReason }> = [];
  for (const listing of listings) {
    if (listing.status !== "MAPPED" || listing.skuId === null) {
      skipped.push({ listingId: listing.id, reason: "unmapped" });
      continue;
    }
    if (listing.fulfilledByChannel) {
      skipped.push({ listingId: listing.id, reason: "fulfilled_by_channel" });
      continue;
    }
    const position = positions.get(listing.skuId) ?? { onHand: 0, committed: 0 };
    const quantity = sellableQuantity({ ...position, buffer: buffers[listing.channel] ?? 0 });
    const believed = listing.lastKnownQuantity ?? listing.lastPushedQuantity;
    if (!options.force && believed === quantity) {
      skipped.push({ listingId: listing.id, reason: "unchanged" });
      continue;
    }
    if (!options.force && oversoldAtZero(listing.lastKnownQuantity, quantity)) {
      skipped.push({ listingId: listing.id, reason: "oversold" });
      continue;
    }
    pushes.push({ listingId: listing.id, quantity, expectedQuantity: listing.lastKnownQuantity });
  }
  return { pushes, skipped };
}

/**
 * Drift: what the channel shows minus what it should show (null when the channel's figure is unknown;
 * none when it has oversold and we have nothing to sell).
 */
export function quantityDrift(channelQuantity: number | null, sellable: number): number | null {
  if (channelQuantity === null) return null;
  return oversoldAtZero(channelQuantity, sellable) ? 0 : channelQuantity - sellable;
}

/**
 * Coalescing: a burst of push requests becomes one job; the SKUs it covers are the union, and one
 * request for "everything" (undefined) absorbs the rest.
 */
export function mergeSkuScopes(a: readonly string[] | undefined, b: readonly string[] | undefined): string[] | undefined {
  if (a === undefined || b === undefined) return undefined;
  return [...new Set([...a, ...b])].sort();
}
