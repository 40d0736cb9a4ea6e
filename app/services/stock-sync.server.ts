import { randomUUID } from "node:crypto";
import type { Channel, ChannelListing } from "@prisma/client";
import type { ChannelAdapter, ChannelStockLevel, StockPush, StockPushResult } from "#app/channels/channel.ts";
import { isChannelError } from "#app/channels/errors.ts";
import { prisma } from "#app/db.server.ts";
import { decideStockPushes, parseChannelBuffers, quantityDrift, sellableQuantity, type PushDecision, type StockPosition } from "#app/domain/channels/quantity-policy.ts";
import { enqueue, type EnqueueOptions, type QueueRegistry } from "#app/lib/queue.server.ts";
import { ensureShopifyConnection, listConnectedChannels, recordConnectionError, recordStockSync } from "#app/models/channel-connection.server.ts";
import { confirmChannelShowsOurs, finishPush, finishPushes, listListingLevels, listMappedListings, noteSupersededPushes, openChannelReview, recordKnownLevel, recordKnownQuantity, recordStockPage, startPushes, type StockPageRow } from "#app/models/channel-listing.server.ts";
import { jobId } from "#workers/queues.ts";
import { onAvailabilityChanged } from "./back-in-stock-notify.server.ts";
import { adapterFor, clock, connectedAdapter, loadActiveConnection, type ChannelSyncDeps } from "./channel-context.server.ts";
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
  // Every stock change passes here after its commit: waiting back-in-stock subscribers of a SKU that
  // is available again are told (a cheap no-op when nobody waits).
  await onAvailabilityChanged(shopId, skuIds, options.queues ? { queues: options.queues } : {});
}

export function pushJobOptions(shopId: string, delayMs = PUSH_COALESCE_MS): EnqueueOptions {
  return { delay: delayMs, deduplication: { id: jobId("push-stock", shopId, "coalesced"), keepLastIfActive: true }, removeOnComplete: { count: 100 }, removeOnFail: { count: 1000 } };
}

type LinkedLocation = { id: string; gid: string };

type Positions = {
  /** Marketplaces sell from every active location of ours. */
  all: Map<string, StockPosition>;
  /** Shopify holds a quantity per location: keyed `${skuId}|${locationId}` for locations linked to Shopify's. */
  byLocation: Map<string, StockPosition>;
  /** Our active locations linked to a Shopify location, the default one first. */
  shopifyLocations: LinkedLocation[];
};

const locationKey = (id: string, locationId: string) => `${id}|${locationId}`;

async function loadPositions(shopId: string, skuIds: readonly string[]): Promise<Positions> {
  const locations = await prisma.location.findMany({ where: { shopId, isActive: true }, select: { id: true, isDefault: true, shopifyLocationId: true }, orderBy: { createdAt: "asc" } });
  const shopifyLocations = locations
    .filter((l) => l.shopifyLocationId)
    .sort((a, b) => Number(b.isDefault) - Number(a.isDefault))
    .map((l) => ({ id: l.id, gid: l.shopifyLocationId! }));
  const levels = skuIds.length === 0 ? [] : await prisma.inventoryLevel.findMany({ where: { shopId, skuId: { in: [...skuIds] }, locationId: { in: locations.map((l) => l.id) } }, select: { skuId: true, locationId: true, onHand: true, committed: true } });
  const all = new Map<string, StockPosition>();
  const byLocation = new Map<string, StockPosition>();
  for (const level of levels) {
    const sum = all.get(level.skuId) ?? { onHand: 0, committed: 0 };
    all.set(level.skuId, { onHand: sum.onHand + level.onHand, committed: sum.committed + level.committed });
    byLocation.set(locationKey(level.skuId, level.locationId), { onHand: level.onHand, committed: level.committed });
  }
  return { all, byLocation, shopifyLocations };
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

/**
 * What one push sets: a marketplace listing as a whole, or a Shopify listing (inventory item) at one
 * linked location, with what we last knew there.
 */
type PushUnit = { key: string; listing: ChannelListing; location: LinkedLocation | null; lastKnownQuantity: number | null; lastPushedQuantity: number | null };

/**
 * Shopify: one unit per listing × linked location where Shopify stocks the item as far as our pulls
 * know (ChannelListingLevel rows); a listing never read per location goes to the default location with
 * the listing's own last-known figures, as before per-location pushes.
 */
async function pushUnits(shopId: string, channel: Channel, listings: readonly ChannelListing[], locations: readonly LinkedLocation[]): Promise<PushUnit[]> {
  if (channel !== "SHOPIFY") return listings.map((listing) => ({ key: listing.id, listing, location: null, lastKnownQuantity: listing.lastKnownQuantity, lastPushedQuantity: listing.lastPushedQuantity }));
  const linked = new Map(locations.map((l) => [l.id, l]));
  const levels = await listListingLevels(shopId, listings.map((l) => l.id));
  const byListing = new Map<string, typeof levels>();
  for (const level of levels) if (linked.has(level.locationId)) byListing.set(level.listingId, [...(byListing.get(level.listingId) ?? []), level]);
  const units: PushUnit[] = [];
  for (const listing of listings) {
    const known = byListing.get(listing.id);
    if (known && known.length > 0) {
      for (const level of known) units.push({ key: locationKey(listing.id, level.locationId), listing, location: linked.get(level.locationId)!, lastKnownQuantity: level.lastKnownQuantity, lastPushedQuantity: level.lastPushedQuantity });
    } else if (locations[0]) {
      units.push({ key: locationKey(listing.id, locations[0].id), listing, location: locations[0], lastKnownQuantity: listing.lastKnownQuantity, lastPushedQuantity: listing.lastPushedQuantity });
    } else {
      units.push({ key: listing.id, listing, location: null, lastKnownQuantity: listing.lastKnownQuantity, lastPushedQuantity: listing.lastPushedQuantity });
    }
  }
  return units;
}

async function pushChannel(shopId: string, channel: Channel, options: PushStockOptions & { runId: string }, buffers: ReturnType<typeof parseChannelBuffers>, deps: ChannelSyncDeps): Promise<PushStockSummary> {
  const summary: PushStockSummary = { channel, pushed: 0, applied: 0, stale: 0, rejected: 0, skipped: 0 };
  const active = await loadActiveConnection(shopId, channel);
  if (!active) return summary;
  let listings = await listMappedListings(shopId, { ...(options.skuIds ? { skuIds: options.skuIds } : {}), channel });
  if (listings.length === 0) return summary;
  let adapter: ChannelAdapter | undefined;
  let force = options.force ?? false;
  let onlyUnits: Set<string> | null = null;
  // Pushes refused as stale in the previous round, by unit: their record says how the re-read ended.
  let superseded = new Map<string, { idempotencyKey: string; note: string }>();
  // Shopify's figures we compare with may be newer than the orders we hold (a stock read, or a refused
  // push's re-read, just after a sale whose order is still to come): then the compare-and-set passes and
  // a push that raises a figure puts sold units back on sale. So before raising any Shopify figure, and
  // after any refusal, its orders are pulled first (a cheap incremental read). Marketplace order reads
  // are rate-limited (Amazon's getOrders restores one request a minute), so not for them.
  const pullOrdersFirst = channel === "SHOPIFY";

  for (let round = 1; round <= MAX_STALE_ROUNDS && listings.length > 0; round++) {
    const decide = async () => {
      const positions = await loadPositions(shopId, [...new Set(listings.flatMap((l) => (l.skuId ? [l.skuId] : [])))]);
      const units = (await pushUnits(shopId, channel, listings, positions.shopifyLocations)).filter((u) => !onlyUnits || onlyUnits.has(u.key));
      // The policy sees each unit as a listing and its own position (one location's, or all of them).
      const policyListings = units.map((u) => ({ ...toPolicyListing(u.listing), id: u.key, skuId: u.listing.skuId && u.location ? locationKey(u.listing.skuId, u.location.id) : u.listing.skuId, lastKnownQuantity: u.lastKnownQuantity, lastPushedQuantity: u.lastPushedQuantity }));
      return { byKey: new Map(units.map((u) => [u.key, u])), ...decideStockPushes(policyListings, channel === "SHOPIFY" ? positions.byLocation : positions.all, buffers, { force }) };
    };
    let { byKey, pushes, skipped } = await decide();
    if (pullOrdersFirst && round === 1 && pushes.some((push) => push.expectedQuantity !== null && push.quantity > push.expectedQuantity)) {
      try {
        await syncOrders(shopId, channel, deps);
        ({ byKey, pushes, skipped } = await decide());
      } catch {
        // Orders unreadable now: lower what must be lowered, raise nothing until they can be read.
        pushes = pushes.filter((push) => push.expectedQuantity === null || push.quantity <= push.expectedQuantity);
      }
    }
    summary.skipped += skipped.length;
    // In step without a push (the channel shows ours, or has oversold while we have nothing to sell): a push
    // refused as stale is closed, and a pushed figure other than what the channel shows is confirmed, or it
    // would read as drift for ever.
    const resolved = skipped.filter((s) => {
      if (s.reason !== "unchanged" && s.reason !== "oversold") return false;
      const unit = byKey.get(s.listingId)!;
      return superseded.has(s.listingId) || (unit.lastKnownQuantity !== null && unit.lastPushedQuantity !== null && unit.lastPushedQuantity !== unit.lastKnownQuantity);
    });
    const notes = resolved.flatMap((s) => {
      const stale = superseded.get(s.listingId);
      if (!stale) return [];
      const outcome = s.reason === "oversold" ? "the channel has oversold and we have nothing to sell either" : "that already equals ours";
      return [{ idempotencyKey: stale.idempotencyKey, note: `${stale.note}; ${outcome}, nothing more to push` }];
    });
    await noteSupersededPushes(shopId, notes);
    // The channel shows what we want it to show: in step, not drifted from what we last pushed.
    if (resolved.length > 0) {
      await confirmChannelShowsOurs(shopId, resolved.map((s) => ({ listingId: byKey.get(s.listingId)!.listing.id, locationId: byKey.get(s.listingId)!.location?.id ?? null })), clock(deps));
      await recordStockSync(shopId, channel, clock(deps));
    }
    superseded = new Map();
    if (pushes.length === 0) break;
    if (!adapter) {
      // Not connected yet (no Shopify session): nothing to push to, no PENDING pushes left behind, no error.
      try {
        const built = await connectedAdapter(active, deps);
        if (!built) return summary;
        adapter = built;
      } catch {
        // Recorded below, with the pushes it stopped (auth/invalid marks them FAILED).
      }
    }
    const now = clock(deps);
    const wire: Array<{ decision: PushDecision; unit: PushUnit; push: StockPush }> = pushes.map((decision) => {
      const unit = byKey.get(decision.listingId)!;
      const listing = unit.listing;
      const push: StockPush = {
        listingExternalId: listing.externalId,
        itemExternalId: listing.externalItemId,
        sku: listing.externalSku,
        locationExternalId: unit.location?.gid ?? null,
        quantity: decision.quantity,
        expectedQuantity: decision.expectedQuantity,
        // Stable across retries of this run (same job), different for the next intention.
        idempotencyKey: `push-${options.runId}-${unit.key.replace("|", "-")}-r${round}-q${decision.quantity}`,
      };
      return { decision, unit, push };
    });
    await startPushes(shopId, wire.map(({ unit, push }) => ({ listingId: unit.listing.id, locationId: unit.location?.id ?? null, channel, quantity: push.quantity, previousQuantity: unit.lastKnownQuantity ?? unit.lastPushedQuantity, idempotencyKey: push.idempotencyKey })), now);

    let results: StockPushResult[];
    try {
      adapter ??= await adapterFor(active, deps);
      results = await adapter.pushStock(wire.map((w) => w.push));
    } catch (error) {
      await recordConnectionError(shopId, channel, describe(error), clock(deps), isChannelError(error) && error.kind === "auth" ? { status: "ERROR" } : {});
      if (isChannelError(error) && (error.kind === "auth" || error.kind === "invalid")) {
        for (const { unit, push } of wire) await finishPush(shopId, { listingId: unit.listing.id, idempotencyKey: push.idempotencyKey }, { status: "FAILED", error: describe(error) }, clock(deps));
        await openChannelReview(shopId, { subjectType: "CHANNEL", subjectId: channel, reason: `${channel} refused quantity pushes: ${describe(error)}` });
      }
      throw error;
    }

    const staleUnits = new Set<string>();
    const done = clock(deps);
    const succeeded: Array<{ listingId: string; locationId: string | null; idempotencyKey: string; quantity: number }> = [];
    const failed: Array<{ idempotencyKey: string; error: string }> = [];
    const supersededNow: Array<{ idempotencyKey: string; note: string }> = [];
    const rejected: Array<{ item: (typeof wire)[number]; message: string }> = [];
    const known: Array<{ unit: PushUnit; quantity: number }> = [];
    for (const [i, result] of results.entries()) {
      const item = wire[i];
      if (!item) continue;
      summary.pushed++;
      if (result.status === "applied") {
        summary.applied++;
        succeeded.push({ listingId: item.unit.listing.id, locationId: item.unit.location?.id ?? null, idempotencyKey: item.push.idempotencyKey, quantity: result.quantity });
      } else if (result.status === "stale") {
        // Not a failure: the channel changed under us (a sale there, an edit). Re-read, decide again.
        summary.stale++;
        const note = `${channel} showed ${result.actualQuantity ?? "?"}, not ${item.push.expectedQuantity ?? "?"}: nothing changed there; re-read and decided again`;
        supersededNow.push({ idempotencyKey: item.push.idempotencyKey, note });
        superseded.set(item.unit.key, { idempotencyKey: item.push.idempotencyKey, note });
        if (result.actualQuantity !== null) known.push({ unit: item.unit, quantity: result.actualQuantity });
        staleUnits.add(item.unit.key);
      } else {
        summary.rejected++;
        failed.push({ idempotencyKey: item.push.idempotencyKey, error: result.message });
        rejected.push({ item, message: result.message });
      }
    }
    await finishPushes(shopId, { succeeded, failed, superseded: supersededNow }, done);
    // A push the channel applied is stock sync as much as a pull is ("Stock synced" on the admin).
    if (succeeded.length > 0) await recordStockSync(shopId, channel, done);
    for (const { unit, quantity } of known) {
      if (unit.location) await recordKnownLevel(shopId, unit.listing.id, unit.location.id, quantity, done);
      else await recordKnownQuantity(shopId, unit.listing.id, quantity, done);
    }
    for (const { item, message } of rejected) {
      const listing = item.unit.listing;
      await openChannelReview(shopId, { subjectType: "LISTING", subjectId: listing.id, reason: `${channel} rejected quantity ${item.push.quantity} for ${listing.externalSku ?? listing.externalId}: ${message}`, details: { channel, externalId: listing.externalId, quantity: item.push.quantity, ...(item.unit.location ? { location: item.unit.location.gid } : {}) } });
    }
    // What changed there is most often a sale whose order has not reached us yet: the orders come in
    // before deciding again; if they cannot, the stale units wait for the next push or repair.
    if (pullOrdersFirst && staleUnits.size > 0) {
      try {
        await syncOrders(shopId, channel, deps);
      } catch {
        break;
      }
    }
    // Re-read what changed under us and decide again against it (never a blind overwrite).
    const staleListings = new Set([...staleUnits].map((key) => byKey.get(key)!.listing.id));
    listings = staleUnits.size === 0 ? [] : (await listMappedListings(shopId, { channel })).filter((l) => staleListings.has(l.id));
    onlyUnits = staleUnits;
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
 * titles/barcodes/FBA flags refreshed, lastKnownQuantity recorded (Shopify: per linked location too),
 * and listings whose quantity differs from what we would show are returned as drifted. Each page is
 * written in a fixed handful of statements (recordStockPage), not per listing.
 */
export async function pullStock(shopId: string, channel: Channel, deps: ChannelSyncDeps = {}): Promise<PullStockSummary> {
  const summary: PullStockSummary = { channel, levels: 0, listings: 0, unmapped: 0, drifted: [] };
  const active = await loadActiveConnection(shopId, channel);
  if (!active) return summary;
  const adapter = await connectedAdapter(active, deps);
  if (!adapter) return summary;
  const shop = await prisma.shop.findUniqueOrThrow({ where: { id: shopId }, select: { settings: { select: { channelBuffers: true } } } });
  const buffer = parseChannelBuffers(shop.settings?.channelBuffers)[channel] ?? 0;
  const linked = channel === "SHOPIFY" ? new Map((await loadPositions(shopId, [])).shopifyLocations.map((l) => [l.gid, l.id])) : new Map<string, string>();
  // Listing → what the channel shows: per location of ours (Shopify) or as a whole (marketplaces).
  const mapped = new Map<string, { skuId: string; quantity: number | null; levels: ReadonlyArray<{ locationId: string; quantity: number }> }>();
  const at = clock(deps);

  for await (const page of adapter.pullStock()) {
    const byListing = new Map<string, ChannelStockLevel[]>();
    for (const level of page) byListing.set(level.listingExternalId, [...(byListing.get(level.listingExternalId) ?? []), level]);
    const rows: StockPageRow[] = [];
    for (const levels of byListing.values()) {
      summary.levels += levels.length;
      const first = levels[0]!;
      let quantity: number | null;
      const perLocation: Array<{ locationId: string; quantity: number }> = [];
      if (channel === "SHOPIFY") {
        for (const level of levels) {
          const ours = level.locationExternalId ? linked.get(level.locationExternalId) : undefined;
          if (ours) perLocation.push({ locationId: ours, quantity: level.available });
        }
        // The listing's figure is the total at our linked locations (or the only level there is).
        quantity = perLocation.length > 0 ? perLocation.reduce((sum, l) => sum + l.quantity, 0) : levels.length === 1 ? first.available : null;
      } else quantity = levels.reduce((sum, l) => sum + l.available, 0);
      rows.push({ listingExternalId: first.listingExternalId, itemExternalId: first.itemExternalId, sku: first.sku, barcode: first.barcode, title: first.title, fulfilledByChannel: first.fulfilledByChannel, known: quantity, levels: perLocation });
    }
    const listings = await recordStockPage(shopId, channel, rows, at);
    const rowOf = new Map(rows.map((r) => [r.listingExternalId, r]));
    for (const listing of listings) {
      summary.listings++;
      const row = rowOf.get(listing.externalId)!;
      if (listing.status !== "MAPPED" || !listing.skuId) summary.unmapped++;
      else if (!row.fulfilledByChannel && row.known !== null) mapped.set(listing.id, { skuId: listing.skuId, quantity: row.known, levels: row.levels });
    }
  }
  if (mapped.size > 0) {
    const positions = await loadPositions(shopId, [...new Set([...mapped.values()].map((v) => v.skuId))]);
    const defaultLocation = positions.shopifyLocations[0]?.id;
    for (const [listingId, { skuId, quantity, levels }] of mapped) {
      const drifts =
        channel !== "SHOPIFY"
          ? [quantityDrift(quantity, sellableQuantity({ ...(positions.all.get(skuId) ?? { onHand: 0, committed: 0 }), buffer }))]
          : levels.length > 0
            ? levels.map((l) => quantityDrift(l.quantity, sellableQuantity({ ...(positions.byLocation.get(locationKey(skuId, l.locationId)) ?? { onHand: 0, committed: 0 }), buffer })))
            : defaultLocation
              ? [quantityDrift(quantity, sellableQuantity({ ...(positions.byLocation.get(locationKey(skuId, defaultLocation)) ?? { onHand: 0, committed: 0 }), buffer }))]
              : [];
      if (drifts.some((drift) => drift !== null && drift !== 0)) summary.drifted.push(listingId);
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
      // An order placed between the two reads is in the stock read but not in ours: the push pulls
      // orders again before raising any figure.
      const pushed = await pushStock(shopId, { channel }, deps);
      summaries.push({ channel, orders: orders.orders, drifted: stock.drifted.length, pushed: pushed.reduce((sum, s) => sum + s.applied, 0) });
    } catch (error) {
      firstError ??= error;
    }
  }
  if (firstError !== undefined) throw firstError;
  return summaries;
}
