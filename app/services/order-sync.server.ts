import type { Channel, Prisma } from "@prisma/client";
import { isLocationPart, type ChannelAdapter, type ChannelOrder, type ChannelOrderLine } from "#app/channels/channel.ts";
import type { ShopifyChannelAdapter } from "#app/channels/shopify/adapter.server.ts";
import { prisma } from "#app/db.server.ts";
import { aggregateDemand, demandUnits, lineMovementDelta, restockedUnits, saleMovementKey, shippedNetUnits, type DemandLine } from "#app/domain/channels/order-effects.ts";
import { appendMovements, type MovementInput } from "#app/models/ledger.server.ts";
import { clearConnectionError, recordOrderSync, saveOrderCursor } from "#app/models/channel-connection.server.ts";
import { resolveListing } from "#app/models/channel-listing.server.ts";
import { writeDemandCells } from "#app/models/daily-demand.server.ts";
import { demandSourceLines, findOrder, linePostings, lockOrder, recomputeCommitted, upsertOrderHeader, upsertOrderLine } from "#app/models/sales-order.server.ts";
import { clock, connectedAdapter, loadActiveConnection, type ChannelSyncDeps } from "./channel-context.server.ts";

// Orders in (issue 4 item 2): channel orders → SalesOrder/Lines, ledger movements, committed stock and
// DailyDemand, in one transaction per page, with the cursor saved in that same transaction. Order
// pulls and order webhooks both end here, so a replay, a late webhook or a pull racing a webhook all
// converge on the channel's newest version of the order:
//   - an older version than the stored one (by the channel's updatedAt) is ignored;
//   - movements are deltas towards a target derived from the line's quantities, with versioned keys,
//     so applying the same state twice posts nothing and a later state posts exactly the difference;
//   - writers of one order are serialized by an advisory lock.

type Db = Prisma.TransactionClient;

export type ApplyResult = { applied: number; skippedStale: number; skuIds: string[] };

type LocationIndex = { byExternal: Map<string, string>; defaultId: string | null };

async function locationIndex(tx: Db, shopId: string): Promise<LocationIndex> {
  const locations = await tx.location.findMany({ where: { shopId }, select: { id: true, shopifyLocationId: true, isDefault: true, isActive: true }, orderBy: { createdAt: "asc" } });
  const byExternal = new Map(locations.flatMap((l) => (l.shopifyLocationId ? [[l.shopifyLocationId, l.id] as const] : [])));
  const defaultId = (locations.find((l) => l.isDefault) ?? locations.find((l) => l.isActive) ?? locations[0])?.id ?? null;
  return { byExternal, defaultId };
}

/** Our location for a line: FBA lines (Amazon's own warehouses) have none, they never touch our stock. */
function lineLocation(line: ChannelOrderLine, index: LocationIndex): string | null {
  const external = line.locationExternalId;
  if (external?.startsWith("AMAZON_")) return null;
  return (external ? index.byExternal.get(external) : undefined) ?? index.defaultId;
}

function localDay(at: Date, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(at);
  } catch {
    return at.toISOString().slice(0, 10);
  }
}

type Touched = { pairs: Array<{ skuId: string; locationId: string }>; cells: Array<{ skuId: string; locationId: string; day: string }> };

async function applyOne(tx: Db, shopId: string, channel: Channel, order: ChannelOrder, ctx: { index: LocationIndex; timeZone: string; now: Date }, touched: Touched): Promise<"applied" | "stale"> {
  await lockOrder(tx, shopId, channel, order.externalId);
  const existing = await findOrder(tx, shopId, channel, order.externalId);
  const incomingAt = new Date(order.updatedAt);
  if (existing?.channelUpdatedAt && existing.channelUpdatedAt.getTime() > incomingAt.getTime()) return "stale";

  const placedAt = new Date(order.placedAt);
  const saved = await upsertOrderHeader(tx, shopId, channel, order.externalId, {
    name: order.name,
    placedAt,
    channelUpdatedAt: incomingAt,
    cancelledAt: order.cancelledAt ? new Date(order.cancelledAt) : null,
    financialStatus: order.financialStatus,
    fulfillmentStatus: order.fulfillmentStatus,
    customerEmail: order.customerEmail,
    currency: order.currency,
  });
  const day = localDay(placedAt, ctx.timeZone);
  // Cells and pairs the previous version touched are rebuilt too (a line re-mapped or moved).
  for (const line of existing?.lines ?? []) {
    if (line.skuId && line.locationId) {
      touched.pairs.push({ skuId: line.skuId, locationId: line.locationId });
      touched.cells.push({ skuId: line.skuId, locationId: line.locationId, day: localDay(existing!.placedAt, ctx.timeZone) });
    }
  }

  const movements: MovementInput[] = [];
  for (const line of order.lines) {
    let skuId: string | null = null;
    if (line.listingExternalId) {
      const listing = await resolveListing(tx, shopId, channel, { externalId: line.listingExternalId, externalSku: line.sku });
      skuId = listing.skuId;
    }
    const locationId = lineLocation(line, ctx.index);
    const row = await upsertOrderLine(tx, shopId, saved.id, line.externalLineId, {
      skuId,
      skuCode: line.sku,
      locationId,
      quantity: line.quantity,
      cancelledQuantity: line.cancelledQuantity,
      refundedQuantity: line.refundedQuantity,
      restockedQuantity: restockedUnits(line),
      unshippedQuantity: locationId ? line.unshippedQuantity : 0,
      unitPrice: line.unitPrice,
    });
    if (!skuId || !locationId) continue;
    touched.pairs.push({ skuId, locationId });
    touched.cells.push({ skuId, locationId, day });
    const posted = await linePostings(tx, shopId, row.id);
    const key = movementKeys(channel, order.externalId, line.externalLineId, posted.count);
    const note = `${channel} order ${order.name ?? order.externalId}`;
    movements.push(...movedAway(posted.byLocation, locationId, { skuId, sourceId: row.id, key, at: ctx.now, note }));
    // Units restocked at another of our locations (a return taken at a store) leave this one's figures
    // as if not restocked, and come back there.
    const elsewhere = restockedElsewhere(line, locationId, ctx.index);
    const elsewhereUnits = [...elsewhere.values()].reduce((sum, units) => sum + units, 0);
    const here = elsewhereUnits > 0 ? { ...line, notRestockedQuantity: (line.notRestockedQuantity ?? 0) + elsewhereUnits } : line;
    const delta = lineMovementDelta(-shippedNetUnits(here), posted.byLocation.get(locationId) ?? 0);
    if (delta) movements.push({ skuId, locationId, kind: delta.kind, quantity: delta.quantity, sourceType: "ORDER", sourceId: row.id, idempotencyKey: key(), occurredAt: ctx.now, note });
    const returned = await linePostings(tx, shopId, row.id, RETURN_SOURCE);
    const returnKey = movementKeys(channel, order.externalId, `${line.externalLineId}-return`, returned.count);
    for (const [restockedAt, units] of elsewhere) {
      const returnDelta = units - (returned.byLocation.get(restockedAt) ?? 0);
      if (returnDelta === 0) continue;
      touched.pairs.push({ skuId, locationId: restockedAt });
      movements.push({ skuId, locationId: restockedAt, kind: returnDelta > 0 ? "RETURN" : "ADJUSTMENT", quantity: returnDelta, sourceType: RETURN_SOURCE, sourceId: row.id, idempotencyKey: returnKey(), occurredAt: ctx.now, note: `${note}: restocked here` });
    }
  }
  // A location part of a line (see ChannelOrderLine) that this version no longer has: its units are back
  // on the line's first part, which posted them above.
  const incoming = new Set(order.lines.map((line) => line.externalLineId));
  for (const gone of existing?.lines ?? []) {
    if (incoming.has(gone.externalLineId) || !isLocationPart(gone.externalLineId) || gone.quantity === 0) continue;
    await upsertOrderLine(tx, shopId, saved.id, gone.externalLineId, { skuId: gone.skuId, skuCode: gone.skuCode, locationId: gone.locationId, quantity: 0, cancelledQuantity: 0, refundedQuantity: 0, restockedQuantity: 0, unshippedQuantity: 0, unitPrice: gone.unitPrice?.toString() ?? null });
    if (!gone.skuId) continue;
    const posted = await linePostings(tx, shopId, gone.id);
    const key = movementKeys(channel, order.externalId, gone.externalLineId, posted.count);
    movements.push(...movedAway(posted.byLocation, null, { skuId: gone.skuId, sourceId: gone.id, key, at: ctx.now, note: `${channel} order ${order.name ?? order.externalId}` }));
  }
  if (movements.length > 0) await appendMovements(shopId, movements, tx);
  return "applied";
}

/** Returns restocked away from their line's location are posted under their own source, apart from the sale. */
const RETURN_SOURCE = "ORDER_RETURN";

/** Units restocked at one of our locations other than the line's, by location (unknown locations: the line's). */
function restockedElsewhere(line: ChannelOrderLine, locationId: string, index: LocationIndex): Map<string, number> {
  const elsewhere = new Map<string, number>();
  let left = restockedUnits(line);
  for (const restock of line.restocks ?? []) {
    const at = restock.locationExternalId ? index.byExternal.get(restock.locationExternalId) : undefined;
    const units = Math.min(left, restock.quantity);
    left -= units;
    if (!at || at === locationId || units <= 0) continue;
    elsewhere.set(at, (elsewhere.get(at) ?? 0) + units);
  }
  return elsewhere;
}

/** Next versioned movement keys of one line, after the `posted` it already has. */
function movementKeys(channel: Channel, orderExternalId: string, lineExternalId: string, posted: number): () => string {
  let version = posted;
  return () => saleMovementKey(channel, orderExternalId, lineExternalId, ++version);
}

/**
 * Units a line posted where it no longer ships from (a routed or moved fulfillment order, a location part
 * folded back) go back there as an adjustment (no customer returned them): the location that ships them
 * carries the sale.
 */
function movedAway(byLocation: Map<string, number>, keep: string | null, line: { skuId: string; sourceId: string; key: () => string; at: Date; note: string }): MovementInput[] {
  return [...byLocation]
    .filter(([locationId, sum]) => locationId !== keep && sum !== 0)
    .map(([locationId, sum]) => ({ skuId: line.skuId, locationId, kind: "ADJUSTMENT" as const, quantity: -sum, sourceType: "ORDER", sourceId: line.sourceId, idempotencyKey: line.key(), occurredAt: line.at, note: `${line.note} ships from another location` }));
}

async function rebuildDemand(tx: Db, shopId: string, timeZone: string, cells: Touched["cells"]): Promise<void> {
  if (cells.length === 0) return;
  const wanted = new Map(cells.map((c) => [`${c.skuId}|${c.locationId}|${c.day}`, c]));
  const days = [...new Set(cells.map((c) => c.day))].sort();
  // Local days span at most ±14 h around UTC midnight: read a margin, then keep the wanted cells.
  const from = new Date(Date.parse(`${days[0]}T00:00:00Z`) - 86_400_000);
  const to = new Date(Date.parse(`${days.at(-1)}T00:00:00Z`) + 2 * 86_400_000);
  const source = await demandSourceLines(tx, shopId, [...new Set(cells.map((c) => c.skuId))], from, to);
  const lines: DemandLine[] = source.flatMap((line) => {
    const day = localDay(line.placedAt, timeZone);
    if (!wanted.has(`${line.skuId}|${line.locationId}|${day}`)) return [];
    return [{ skuId: line.skuId, locationId: line.locationId, orderId: line.orderId, channel: line.channel, day, units: demandUnits(line), returnedUnits: line.refundedQuantity, unitPrice: line.unitPrice === null ? null : Number(line.unitPrice) }];
  });
  const rows = aggregateDemand(lines);
  const built = new Set(rows.map((r) => `${r.skuId}|${r.locationId}|${r.day}`));
  await writeDemandCells(tx, shopId, rows, [...wanted.entries()].filter(([key]) => !built.has(key)).map(([, cell]) => cell));
}

/**
 * Applies channel orders (a pulled page or one webhook's order) in one transaction; when `cursor` is
 * given it is saved in the same transaction, so a page's effects and its resume point commit together.
 */
export async function applyChannelOrders(
  shopId: string,
  channel: Channel,
  orders: readonly ChannelOrder[],
  options: { now?: Date; cursor?: { value: string | null } } = {},
): Promise<ApplyResult> {
  const now = options.now ?? new Date();
  return prisma.$transaction(
    async (tx) => {
      const shop = await tx.shop.findUniqueOrThrow({ where: { id: shopId }, select: { timezone: true } });
      const index = await locationIndex(tx, shopId);
      const touched: Touched = { pairs: [], cells: [] };
      let applied = 0;
      let skippedStale = 0;
      // Ordered by id so two pages locking overlapping orders take the locks in the same order.
      for (const order of [...orders].sort((a, b) => (a.externalId < b.externalId ? -1 : 1))) {
        if ((await applyOne(tx, shopId, channel, order, { index, timeZone: shop.timezone, now }, touched)) === "applied") applied++;
        else skippedStale++;
      }
      await recomputeCommitted(tx, shopId, touched.pairs);
      await rebuildDemand(tx, shopId, shop.timezone, touched.cells);
      if (options.cursor) await saveOrderCursor(tx, shopId, channel, options.cursor.value, now);
      else if (orders.length > 0) await recordOrderSync(tx, shopId, channel, now);
      return { applied, skippedStale, skuIds: [...new Set(touched.pairs.map((p) => p.skuId))].sort() };
    },
    { timeout: 60_000, maxWait: 10_000 },
  );
}

export type SyncOrdersResult = { pages: number; orders: number; applied: number; done: boolean; skuIds: string[] };

/**
 * Pulls pages from the connection's cursor until the channel says done (or `maxPages`, after which the
 * next job resumes). A ChannelError propagates with nothing of its page applied and the cursor where it
 * was: the retry re-reads that page.
 */
export async function syncOrders(shopId: string, channel: Channel, deps: ChannelSyncDeps = {}, options: { maxPages?: number } = {}): Promise<SyncOrdersResult> {
  const active = await loadActiveConnection(shopId, channel);
  if (!active) return { pages: 0, orders: 0, applied: 0, done: true, skuIds: [] };
  const adapter = await connectedAdapter(active, deps);
  if (!adapter) return { pages: 0, orders: 0, applied: 0, done: true, skuIds: [] };
  let cursor = active.connection.orderCursor;
  const result: SyncOrdersResult = { pages: 0, orders: 0, applied: 0, done: false, skuIds: [] };
  const skuIds = new Set<string>();
  try {
    while (result.pages < (options.maxPages ?? 200)) {
      const page = await adapter.pullOrders(cursor);
      const applied = await applyChannelOrders(shopId, channel, page.orders, { now: clock(deps), cursor: { value: page.cursor } });
      cursor = page.cursor;
      result.pages++;
      result.orders += page.orders.length;
      result.applied += applied.applied;
      applied.skuIds.forEach((id) => skuIds.add(id));
      if (page.done) {
        result.done = true;
        break;
      }
    }
  } finally {
    // Whatever committed before a failure still changed stock: the other channels must hear of it, and
    // the engine re-plans those SKUs.
    await afterStockChanged(shopId, [...skuIds], deps);
  }
  await clearConnectionError(shopId, channel);
  return { ...result, skuIds: [...skuIds].sort() };
}

function looksUpOrders(adapter: ChannelAdapter): adapter is ShopifyChannelAdapter {
  return "orderOfFulfillmentOrder" in adapter;
}

/**
 * Re-reads one Shopify order, found by one of its fulfillment orders (the fulfillment_orders/moved
 * webhook names no order), and applies it as the pull would: a move changes where the order's lines
 * ship from without necessarily touching the order's updatedAt, which the incremental pull follows.
 */
export async function refreshShopifyOrderOfFulfillmentOrder(shopId: string, fulfillmentOrderId: string, deps: ChannelSyncDeps = {}): Promise<ApplyResult | null> {
  const active = await loadActiveConnection(shopId, "SHOPIFY");
  if (!active) return null;
  const adapter = await connectedAdapter(active, deps);
  if (!adapter || !looksUpOrders(adapter)) return null;
  const order = await adapter.orderOfFulfillmentOrder(fulfillmentOrderId);
  if (!order) return null;
  const applied = await applyChannelOrders(shopId, "SHOPIFY", [order], { now: clock(deps) });
  await afterStockChanged(shopId, applied.skuIds, deps);
  await clearConnectionError(shopId, "SHOPIFY");
  return applied;
}

/** Orders that moved stock: every channel hears of it and the engine re-plans those SKUs. */
async function afterStockChanged(shopId: string, skuIds: string[], deps: ChannelSyncDeps): Promise<void> {
  if (skuIds.length === 0) return;
  await (deps.requestStockPush ?? defaultRequestPush)(shopId, skuIds);
  await (deps.requestReorder ?? defaultRequestReorder)(shopId, skuIds);
}

async function defaultRequestPush(shopId: string, skuIds: string[]): Promise<void> {
  const { requestStockPush } = await import("./stock-sync.server.ts");
  await requestStockPush(shopId, skuIds);
}

async function defaultRequestReorder(shopId: string, skuIds: string[]): Promise<void> {
  const { requestReorderForSkus } = await import("./replenishment.server.ts");
  await requestReorderForSkus(shopId, skuIds);
}
