import { randomUUID } from "node:crypto";
import type { Channel, ChannelListing } from "@prisma/client";
import type { ChannelAdapter, ChannelStockLevel, StockPush, StockPushResult } from "#app/channels/channel.ts";
import { isChannelError } from "#app/channels/errors.ts";
import { prisma } from "#app/db.server.ts";
import { decideStockPushes, parseChannelBuffers, quantityDrift, sellableQuantity, type PushDecision, type StockPosition } from "#app/domain/channels/quantity-policy.ts";
import { enqueue, type EnqueueOptions, type QueueRegistry } from "#app/lib/queue.server.ts";
import { ensureShopifyConnection, listConnectedChannels, recordConnectionError, recordStockSync } from "#app/models/channel-connection.server.ts";
import { finishPush, finishPushes, listMappedListings, openChannelReview, recordKnownQuantity, recordListingFromStock, startPushes } from "#app/models/channel-listing.server.ts";
import { jobId } from "#workers/queues.ts";
import { adapterFor, clock, loadActiveConnection, type ChannelSyncDeps } from "./channel-context.server.ts";
import { syncOrders } from "./order-sync.server.ts";

// Quantities out (issue 4 items 3–6): what each channel listing should show is decided by the pure
// policy (on hand − committed − the channel's buffer, never negative; FBA never pushed), pushed through
// the channel's adapter, and every push recorded (ChannelPush: what, when, result). A push that finds
// the channel changed under it (stale) re-reads and decides again; it never overwrites blindly.

/** A burst of changes within this window becomes one push job. */
export const PUSH_COALESCE_MS = 250;

/**
 * Asks for a stock push of a shop after its stock changed (receipts, orders). Coalesced: one job per
 * shop, deduplicated while it waits, and at most one more queued while one runs (BullMQ
 * keepLastIfActive), so a burst of receipts is one push and a change during a push is never lost. The
 * job reads the current state when it runs, so it pushes every listing whose quantity changed; `skuIds`
 * only documents the request.
 */
export async function requestStockPush(shopId: string, skuIds: readonly string[] = [], options: { delayMs?: number; queues?: QueueRegistry } = {}): Promise<void> {
  void skuIds;
  const opts = pushJobOptions(shopId, options.delayMs);
  if (options.queues) await options.queues.enqueue("channel-sync", "push-stock", { shopId }, opts);
  else await enqueue("channel-sync", "push-stock", { shopId }, opts);
}

export function pushJobOptions(shopId: string, delayMs = PUSH_COALESCE_MS): EnqueueOptions {
  return { delay: delayMs, deduplication: { id: jobId("push-stock", shopId, "coalesced"), keepLastIfActive: true }, removeOnComplete: { count: 100 }, removeOnFail: { count: 1000 } };
}

type Positions = {
  /** Marketplaces sell from every active location of ours. */
  all: Map<string, StockPosition>;
  /** Shopify quantities are set at one Shopify location: the level of the location linked to it. */
  shopify: Map<string, StockPosition>;
  shopifyLocationGid: string | null;
};

async function loadPositions(shopId: string, skuIds: readonly string[]): Promise<Positions> {
  const locations = await prisma.location.findMany({ where: { shopId, isActive: true }, select: { id: true, isDefault: true, shopifyLocationId: true }, orderBy: { createdAt: "asc" } });
  const linked = locations.filter((l) => l.shopifyLocationId);
  const shopifyLocation = linked.find((l) => l.isDefault) ?? linked[0] ?? null;
  const levels = await prisma.inventoryLevel.findMany({ where: { shopId, skuId: { in: [...skuIds] }, locationId: { in: locations.map((l) => l.id) } }, select: { skuId: true, locationId: true, onHand: true, committed: true } });
  const all = new Map<string, StockPosition>();
  const shopify = new Map<string, StockPosition>();
  for (const level of levels) {
    const sum = all.get(level.skuId) ?? { onHand: 0, committed: 0 };
    all.set(level.skuId, { onHand: sum.onHand + level.onHand, committed: sum.committed + level.committed });
    if (shopifyLocation && level.locationId === shopifyLocation.id) shopify.set(level.skuId, { onHand: level.onHand, committed: level.committed });
  }
  return { all, shopify, shopifyLocationGid: shopifyLocation?.shopifyLocationId ?? null };
}

export type PushStockOptions = { skuIds?: readonly string[]; channel?: Channel; force?: boolean; runId?: string };
export type PushStockSummary = { channel: Channel; pushed: number; applied: number; stale: number; rejected: number; skipped: number };

const MAX_STALE_ROUNDS = 3;

/**
 * Pushes sellable quantities of a shop's mapped listings (some SKUs, one channel, or all) to every
 * connected channel. A ChannelError (rate limit, outage, auth) is recorded on the connection and
 * rethrown for the worker to retry/back off/stop; the pushes it interrupted stay PENDING and the retry
 * sends the same idempotency keys (same runId).
 */
export async function pushStock(shopId: string, options: PushStockOptions = {}, deps: ChannelSyncDeps = {}): Promise<PushStockSummary[]> {
  const shop = await prisma.shop.findUnique({ where: { id: shopId }, select: { status: true, settings: { select: { channelBuffers: true } } } });
  if (!shop || shop.status !== "ACTIVE") return [];
  const buffers = parseChannelBuffers(shop.settings?.channelBuffers);
  const runId = options.runId ?? randomUUID();
  await ensureShopifyConnection(shopId);
  const connections = (await listConnectedChannels(shopId)).filter((c) => !options.channel || c.channel === options.channel);
  // One channel after the other (measured: running them in parallel gained nothing once results are
  // recorded in bulk); one channel's outage does not hold back the others, the first error is rethrown
  // at the end for the job to retry.
  const summaries: PushStockSummary[] = [];
  let firstError: unknown;
  for (const connection of connections) {
    try {
      summaries.push(await pushChannel(shopId, connection.channel, { ...options, runId }, buffers, deps));
    } catch (error) {
      firstError ??= error;
    }
  }
  if (firstError !== undefined) throw firstError;
  return summaries;
}

async function pushChannel(shopId: string, channel: Channel, options: PushStockOptions & { runId: string }, buffers: ReturnType<typeof parseChannelBuffers>, deps: ChannelSyncDeps): Promise<PushStockSummary> {
  const summary: PushStockSummary = { channel, pushed: 0, applied: 0, stale: 0, rejected: 0, skipped: 0 };
  const active = await loadActiveConnection(shopId, channel);
  if (!active) return summary;
  let listings = await listMappedListings(shopId, { ...(options.skuIds ? { skuIds: options.skuIds } : {}), channel });
  if (listings.length === 0) return summary;
  let adapter: ChannelAdapter | undefined;
  let force = options.force ?? false;

  for (let round = 1; round <= MAX_STALE_ROUNDS && listings.length > 0; round++) {
    const positions = await loadPositions(shopId, [...new Set(listings.flatMap((l) => (l.skuId ? [l.skuId] : [])))]);
    const { pushes, skipped } = decideStockPushes(listings.map(toPolicyListing), channel === "SHOPIFY" ? positions.shopify : positions.all, buffers, { force });
    summary.skipped += skipped.length;
    if (pushes.length === 0) break;
    const byId = new Map(listings.map((l) => [l.id, l]));
    const now = clock(deps);
    const wire: Array<{ decision: PushDecision; listing: ChannelListing; push: StockPush }> = pushes.map((decision) => {
      const listing = byId.get(decision.listingId)!;
      const push: StockPush = {
        listingExternalId: listing.externalId,
        itemExternalId: listing.externalItemId,
        sku: listing.externalSku,
        locationExternalId: channel === "SHOPIFY" ? positions.shopifyLocationGid : null,
        quantity: decision.quantity,
        expectedQuantity: decision.expectedQuantity,
        // Stable across retries of this run (same job), different for the next intention.
        idempotencyKey: `push-${options.runId}-${listing.id}-r${round}-q${decision.quantity}`,
      };
      return { decision, listing, push };
    });
    await startPushes(shopId, wire.map(({ listing, push }) => ({ listingId: listing.id, channel, quantity: push.quantity, previousQuantity: listing.lastKnownQuantity ?? listing.lastPushedQuantity, idempotencyKey: push.idempotencyKey })), now);

    let results: StockPushResult[];
    try {
      adapter ??= await adapterFor(active, deps);
      results = await adapter.pushStock(wire.map((w) => w.push));
    } catch (error) {
      await recordConnectionError(shopId, channel, describe(error), clock(deps), isChannelError(error) && error.kind === "auth" ? { status: "ERROR" } : {});
      if (isChannelError(error) && (error.kind === "auth" || error.kind === "invalid")) {
        for (const { listing, push } of wire) await finishPush(shopId, { listingId: listing.id, idempotencyKey: push.idempotencyKey }, { status: "FAILED", error: describe(error) }, clock(deps));
        await openChannelReview(shopId, { subjectType: "CHANNEL", subjectId: channel, reason: `${channel} refused quantity pushes: ${describe(error)}` });
      }
      throw error;
    }

    const staleIds = new Set<string>();
    const done = clock(deps);
    const succeeded: Array<{ listingId: string; idempotencyKey: string; quantity: number }> = [];
    const failed: Array<{ idempotencyKey: string; error: string }> = [];
    const rejected: Array<{ item: (typeof wire)[number]; message: string }> = [];
    const known: Array<{ listingId: string; quantity: number }> = [];
    for (const [i, result] of results.entries()) {
      const item = wire[i];
      if (!item) continue;
      summary.pushed++;
      if (result.status === "applied") {
        summary.applied++;
        succeeded.push({ listingId: item.listing.id, idempotencyKey: item.push.idempotencyKey, quantity: result.quantity });
      } else if (result.status === "stale") {
        summary.stale++;
        failed.push({ idempotencyKey: item.push.idempotencyKey, error: `stale: the channel showed ${result.actualQuantity ?? "?"}, not ${item.push.expectedQuantity ?? "?"}; re-decided` });
        if (result.actualQuantity !== null) known.push({ listingId: item.listing.id, quantity: result.actualQuantity });
        staleIds.add(item.listing.id);
      } else {
        summary.rejected++;
        failed.push({ idempotencyKey: item.push.idempotencyKey, error: result.message });
        rejected.push({ item, message: result.message });
      }
    }
    await finishPushes(shopId, { succeeded, failed }, done);
    for (const { listingId, quantity } of known) await recordKnownQuantity(shopId, listingId, quantity, done);
    for (const { item, message } of rejected) {
      await openChannelReview(shopId, { subjectType: "LISTING", subjectId: item.listing.id, reason: `${channel} rejected quantity ${item.push.quantity} for ${item.listing.externalSku ?? item.listing.externalId}: ${message}`, details: { channel, externalId: item.listing.externalId, quantity: item.push.quantity } });
    }
    // Re-read what changed under us and decide again against it (never a blind overwrite).
    listings = staleIds.size === 0 ? [] : (await listMappedListings(shopId, { channel })).filter((l) => staleIds.has(l.id));
    force = false;
  }
  return summary;
}

function toPolicyListing(listing: ChannelListing) {
  return { id: listing.id, channel: listing.channel, skuId: listing.skuId, status: listing.status, fulfilledByChannel: listing.fulfilledByChannel, lastKnownQuantity: listing.lastKnownQuantity, lastPushedQuantity: listing.lastPushedQuantity };
}

function describe(error: unknown): string {
  return error instanceof Error ? `${isChannelError(error) ? `${error.kind}: ` : ""}${error.message}` : String(error);
}

export type PullStockSummary = { channel: Channel; levels: number; listings: number; unmapped: number; drifted: string[] };

/**
 * Reads the channel's catalogue and quantities: listings are created (mapped only by identity),
 * titles/barcodes/FBA flags refreshed, lastKnownQuantity recorded, and listings whose quantity differs
 * from what we would show are returned as drifted.
 */
export async function pullStock(shopId: string, channel: Channel, deps: ChannelSyncDeps = {}): Promise<PullStockSummary> {
  const summary: PullStockSummary = { channel, levels: 0, listings: 0, unmapped: 0, drifted: [] };
  const active = await loadActiveConnection(shopId, channel);
  if (!active) return summary;
  const adapter = await adapterFor(active, deps);
  const shop = await prisma.shop.findUniqueOrThrow({ where: { id: shopId }, select: { settings: { select: { channelBuffers: true } } } });
  const buffer = parseChannelBuffers(shop.settings?.channelBuffers)[channel] ?? 0;
  const shopifyLocation = channel === "SHOPIFY" ? (await loadPositions(shopId, [])).shopifyLocationGid : null;
  const mapped = new Map<string, string>();
  const at = clock(deps);

  for await (const page of adapter.pullStock()) {
    // Shopify reports one level per location: the quantity we compare is the one at the pushed location.
    const byListing = new Map<string, ChannelStockLevel[]>();
    for (const level of page) byListing.set(level.listingExternalId, [...(byListing.get(level.listingExternalId) ?? []), level]);
    for (const levels of byListing.values()) {
      summary.levels += levels.length;
      const first = levels[0]!;
      const chosen = channel === "SHOPIFY" ? levels.find((l) => l.locationExternalId === shopifyLocation) ?? (levels.length === 1 ? first : undefined) : undefined;
      const quantity = channel === "SHOPIFY" ? (chosen?.available ?? null) : levels.reduce((sum, l) => sum + l.available, 0);
      const listing = await recordListingFromStock(shopId, channel, first, quantity === null ? null : { quantity, at });
      summary.listings++;
      if (listing.status !== "MAPPED" || !listing.skuId) summary.unmapped++;
      else if (!first.fulfilledByChannel && quantity !== null) mapped.set(listing.id, `${listing.skuId}|${quantity}`);
    }
  }
  if (mapped.size > 0) {
    const skuIds = [...new Set([...mapped.values()].map((v) => v.split("|")[0]!))];
    const positions = await loadPositions(shopId, skuIds);
    for (const [listingId, value] of mapped) {
      const [skuId, quantity] = value.split("|") as [string, string];
      const position = (channel === "SHOPIFY" ? positions.shopify : positions.all).get(skuId) ?? { onHand: 0, committed: 0 };
      const drift = quantityDrift(Number(quantity), sellableQuantity({ ...position, buffer }));
      if (drift !== null && drift !== 0) summary.drifted.push(listingId);
    }
  }
  await recordStockSync(shopId, channel, at);
  return summary;
}

export type ReconcileSummary = { channel: Channel; orders: number; drifted: number; pushed: number };

/**
 * The 15-minute repair (ARCHITECTURE principle 9): pull orders a missed webhook would have lost, re-read
 * the channel's quantities, and push where they drifted from ours.
 */
export async function reconcileChannels(shopId: string, options: { channel?: Channel } = {}, deps: ChannelSyncDeps = {}): Promise<ReconcileSummary[]> {
  const shop = await prisma.shop.findUnique({ where: { id: shopId }, select: { status: true } });
  if (!shop || shop.status !== "ACTIVE") return [];
  await ensureShopifyConnection(shopId);
  const connections = (await listConnectedChannels(shopId)).filter((c) => !options.channel || c.channel === options.channel);
  const summaries: ReconcileSummary[] = [];
  let firstError: unknown;
  for (const { channel } of connections) {
    try {
      const orders = await syncOrders(shopId, channel, { ...deps, requestStockPush: async () => {} });
      const stock = await pullStock(shopId, channel, deps);
      const pushed = await pushStock(shopId, { channel }, deps);
      summaries.push({ channel, orders: orders.orders, drifted: stock.drifted.length, pushed: pushed.reduce((sum, s) => sum + s.applied, 0) });
    } catch (error) {
      firstError ??= error;
    }
  }
  if (firstError !== undefined) throw firstError;
  return summaries;
}
