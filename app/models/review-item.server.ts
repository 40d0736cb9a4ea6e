import type { Prisma, ReviewItem, ReviewKind } from "@prisma/client";
import { prisma } from "../db.server.ts";
import { forShop } from "./scoped-db.server.ts";

/**
 * The anomaly queue's rows. One open item per cause (the dedupeKey); detectors open, refresh and resolve
 * their own items idempotently, people resolve or dismiss them from the queue.
 */

export interface DetectedCause {
  kind: ReviewKind;
  subjectType: string;
  subjectId: string;
  dedupeKey: string;
  reason: string;
  details?: Prisma.InputJsonObject;
}

export interface SyncOutcome {
  opened: number;
  resolved: number;
}

/**
 * Makes the queue match what a detector sees now: each cause gets an open item (created, refreshed, or
 * reopened if it had been resolved; a dismissed one stays dismissed: a person said it is fine), and the
 * detector's open items whose cause is gone are resolved. `owns` says which open items are the detector's.
 */
export async function syncDetectedCauses(
  shopId: string,
  causes: readonly DetectedCause[],
  owns: { kind: ReviewKind; dedupeKeyPrefixes: readonly string[] },
  now: Date,
): Promise<SyncOutcome> {
  const db = forShop(shopId);
  const outcome: SyncOutcome = { opened: 0, resolved: 0 };
  const keys = causes.map((c) => c.dedupeKey);
  const existing = keys.length
    ? await db.reviewItem.findMany({ where: { dedupeKey: { in: keys } }, select: { id: true, dedupeKey: true, status: true } })
    : [];
  const byKey = new Map(existing.map((e) => [e.dedupeKey, e]));
  for (const cause of causes) {
    const found = byKey.get(cause.dedupeKey);
    const reason = cause.reason.slice(0, 1000);
    if (!found) {
      await db.reviewItem.create({
        data: { shopId, kind: cause.kind, subjectType: cause.subjectType, subjectId: cause.subjectId, dedupeKey: cause.dedupeKey, reason, createdAt: now, ...(cause.details ? { details: cause.details } : {}) },
      });
      outcome.opened++;
    } else if (found.status === "RESOLVED") {
      await db.reviewItem.update({ where: { id: found.id }, data: { status: "OPEN", reason, resolvedAt: null, resolvedBy: null, createdAt: now, ...(cause.details ? { details: cause.details } : {}) } });
      outcome.opened++;
    } else if (found.status === "OPEN") {
      await db.reviewItem.update({ where: { id: found.id }, data: { reason, ...(cause.details ? { details: cause.details } : {}) } });
    }
  }
  const current = new Set(keys);
  const open = await db.reviewItem.findMany({
    where: { kind: owns.kind, status: "OPEN", OR: owns.dedupeKeyPrefixes.map((p) => ({ dedupeKey: { startsWith: p } })) },
    select: { id: true, dedupeKey: true },
  });
  const gone = open.filter((o) => !current.has(o.dedupeKey)).map((o) => o.id);
  if (gone.length) {
    const { count } = await db.reviewItem.updateMany({ where: { id: { in: gone }, status: "OPEN" }, data: { status: "RESOLVED", resolvedAt: now, resolvedBy: "system: the cause went away" } });
    outcome.resolved += count;
  }
  return outcome;
}

/** Resolves the given open items (a detector that only closes what others open). */
export async function resolveReviewItems(shopId: string, ids: readonly string[], now: Date, by: string): Promise<number> {
  if (ids.length === 0) return 0;
  const { count } = await forShop(shopId).reviewItem.updateMany({ where: { id: { in: [...ids] }, status: "OPEN" }, data: { status: "RESOLVED", resolvedAt: now, resolvedBy: by } });
  return count;
}

export async function listOpenReviewItems(shopId: string, kind?: ReviewKind): Promise<ReviewItem[]> {
  return forShop(shopId).reviewItem.findMany({ where: { status: "OPEN", ...(kind ? { kind } : {}) }, orderBy: [{ kind: "asc" }, { createdAt: "desc" }, { id: "asc" }], take: 500 });
}

export async function findOpenReviewItem(shopId: string, id: string): Promise<ReviewItem | null> {
  return forShop(shopId).reviewItem.findFirst({ where: { id, status: "OPEN" } });
}

export async function closeReviewItem(shopId: string, id: string, status: "RESOLVED" | "DISMISSED", now: Date, by: string): Promise<boolean> {
  const { count } = await forShop(shopId).reviewItem.updateMany({ where: { id, status: "OPEN" }, data: { status, resolvedAt: now, resolvedBy: by } });
  return count === 1;
}

/** Items opened and closed in a period (the digest's "anomalies opened/closed"). */
export async function countReviewActivity(shopId: string, from: Date, to: Date): Promise<{ opened: number; closed: number }> {
  const db = forShop(shopId);
  const [opened, closed] = await Promise.all([
    db.reviewItem.count({ where: { createdAt: { gte: from, lt: to } } }),
    db.reviewItem.count({ where: { status: { in: ["RESOLVED", "DISMISSED"] }, resolvedAt: { gte: from, lt: to } } }),
  ]);
  return { opened, closed };
}

// ───────────────────────────── What the detectors read ─────────────────────────────

export async function loadPurchaseOrdersForDetectors(shopId: string) {
  return forShop(shopId).purchaseOrder.findMany({
    where: { status: { in: ["DRAFT", "AWAITING_APPROVAL", "SENT", "ACKNOWLEDGED", "COUNTERED", "CONFIRMED", "SHIPPED", "ARRIVING", "PARTIALLY_RECEIVED"] } },
    select: { id: true, number: true, status: true, sentAt: true, expectedArrivalDate: true, supplier: { select: { name: true } } },
  });
}

export async function loadOpenFlaggedPoItems(shopId: string) {
  const items = await forShop(shopId).reviewItem.findMany({ where: { kind: "FLAGGED_PO", status: "OPEN", subjectType: "PURCHASE_ORDER" }, select: { id: true, subjectId: true } });
  if (items.length === 0) return [];
  const pos = await forShop(shopId).purchaseOrder.findMany({ where: { id: { in: items.map((i) => i.subjectId) } }, select: { id: true, status: true } });
  const status = new Map(pos.map((p) => [p.id, p.status]));
  return items.map((i) => ({ id: i.id, poStatus: status.get(i.subjectId) ?? null }));
}

export async function loadChannelProblems(shopId: string) {
  const [connections, failedListings] = await Promise.all([
    forShop(shopId).channelConnection.findMany({ select: { channel: true, status: true, lastError: true, lastErrorAt: true } }),
    // The latest push of each listing: only a listing whose last attempt failed still has a problem.
    prisma.$queryRaw<{ listingId: string; channel: string; error: string | null; externalId: string; externalSku: string | null }[]>`
      SELECT p."listingId", p."channel"::text AS "channel", p."error", l."externalId", l."externalSku"
      FROM (SELECT DISTINCT ON ("listingId") "listingId", "channel", "status", "error" FROM "ChannelPush"
            WHERE "shopId" = ${shopId} AND "status"::text IN ('SUCCEEDED', 'FAILED') ORDER BY "listingId", "requestedAt" DESC, "id" DESC) p
      JOIN "ChannelListing" l ON l."id" = p."listingId" AND l."shopId" = ${shopId}
      WHERE p."status"::text = 'FAILED'`,
  ]);
  // The latest finished push per channel failed: the channel-level item the stock push opened still stands.
  const lastPerChannel = await prisma.$queryRaw<{ channel: string; status: string }[]>`
    SELECT DISTINCT ON ("channel") "channel"::text AS "channel", "status"::text AS "status" FROM "ChannelPush"
    WHERE "shopId" = ${shopId} AND "status"::text IN ('SUCCEEDED', 'FAILED') ORDER BY "channel", "requestedAt" DESC, "id" DESC`;
  return { connections, failedListings, lastPushFailed: new Set(lastPerChannel.filter((r) => r.status === "FAILED").map((r) => r.channel)) };
}

export async function loadUnmappedListings(shopId: string) {
  return forShop(shopId).channelListing.findMany({
    where: { status: "UNMAPPED" },
    select: { id: true, channel: true, externalId: true, externalSku: true, title: true, lastKnownQuantity: true },
    orderBy: { createdAt: "asc" },
  });
}

export async function loadMappingChecks(shopId: string) {
  const items = await forShop(shopId).reviewItem.findMany({ where: { kind: "UNMAPPED_LISTING", status: "OPEN", dedupeKey: { startsWith: "mapping-" } }, select: { id: true, subjectId: true } });
  if (items.length === 0) return [];
  const listings = await forShop(shopId).channelListing.findMany({ where: { id: { in: items.map((i) => i.subjectId) } }, select: { id: true, status: true, externalSku: true, sku: { select: { code: true } } } });
  const byId = new Map(listings.map((l) => [l.id, l]));
  return items.map((i) => {
    const l = byId.get(i.subjectId);
    return { id: i.id, stillMismatched: !!l && l.status === "MAPPED" && !!l.externalSku && !!l.sku && l.externalSku !== l.sku.code };
  });
}

/** Units sold per SKU over shop days [from, to] and whether any of those days was a stock-out. */
export async function loadRecentDemand(shopId: string, fromDay: Date, toDay: Date) {
  const rows = await forShop(shopId).dailyDemand.groupBy({
    by: ["skuId"],
    where: { day: { gte: fromDay, lte: toDay } },
    _sum: { units: true },
  });
  const outOfStock = await forShop(shopId).dailyDemand.groupBy({ by: ["skuId"], where: { day: { gte: fromDay, lte: toDay }, outOfStock: true } });
  const oos = new Set(outOfStock.map((r) => r.skuId));
  return new Map(rows.map((r) => [r.skuId, { units: r._sum.units ?? 0, hadStockout: oos.has(r.skuId) }]));
}

export async function loadSkusByIds(shopId: string, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return forShop(shopId).sku.findMany({ where: { id: { in: [...ids] } }, select: { id: true, code: true, title: true, status: true } });
}

export async function loadSuppliersForStaleCheck(shopId: string) {
  return forShop(shopId).supplier.findMany({
    where: { products: { some: {} } },
    select: { id: true, name: true, dataConfirmedAt: true, createdAt: true, _count: { select: { products: true } } },
  });
}

export async function markSupplierDataConfirmed(shopId: string, supplierId: string, at: Date): Promise<void> {
  await forShop(shopId).supplier.updateMany({ where: { id: supplierId }, data: { dataConfirmedAt: at } });
}

export async function ignoreListing(shopId: string, listingId: string): Promise<void> {
  await forShop(shopId).channelListing.updateMany({ where: { id: listingId, status: "UNMAPPED" }, data: { status: "IGNORED" } });
}

/** Subjects' display names for the queue (PO numbers, SKU codes, supplier names). */
export async function loadSubjectNames(shopId: string, items: readonly Pick<ReviewItem, "subjectType" | "subjectId">[]) {
  const ids = (type: string) => [...new Set(items.filter((i) => i.subjectType === type).map((i) => i.subjectId))];
  const db = forShop(shopId);
  const [pos, skus, suppliers, receipts] = await Promise.all([
    db.purchaseOrder.findMany({ where: { id: { in: ids("PURCHASE_ORDER") } }, select: { id: true, number: true, supplierId: true } }),
    db.sku.findMany({ where: { id: { in: ids("SKU") } }, select: { id: true, code: true } }),
    db.supplier.findMany({ where: { id: { in: ids("SUPPLIER") } }, select: { id: true, name: true } }),
    db.receipt.findMany({ where: { id: { in: ids("RECEIPT") } }, select: { id: true, purchaseOrder: { select: { id: true, number: true } } } }),
  ]);
  return {
    purchaseOrders: new Map(pos.map((p) => [p.id, p])),
    skus: new Map(skus.map((s) => [s.id, s])),
    suppliers: new Map(suppliers.map((s) => [s.id, s])),
    receipts: new Map(receipts.map((r) => [r.id, r.purchaseOrder])),
  };
}

/** The engine's explanation of each suggestion behind flagged POs (by PO id) and flagged suggestions (by id). */
export async function loadEngineExplanations(shopId: string, purchaseOrderIds: readonly string[], suggestionIds: readonly string[]) {
  if (purchaseOrderIds.length + suggestionIds.length === 0) return { byPurchaseOrder: new Map<string, string[]>(), bySuggestion: new Map<string, string>() };
  const db = forShop(shopId);
  // A PO's explanations are those of its current lines' suggestions. Every run that refreshed the draft left
  // its own suggestion pointing at the PO, so "every suggestion of this PO" repeats a SKU once per run.
  const lines = purchaseOrderIds.length === 0 ? [] : await db.purchaseOrderLine.findMany({
    where: { purchaseOrderId: { in: [...purchaseOrderIds] }, suggestionId: { not: null } },
    select: { purchaseOrderId: true, suggestionId: true },
  });
  const rows = await db.reorderSuggestion.findMany({
    where: { id: { in: [...new Set([...lines.map((l) => l.suggestionId as string), ...suggestionIds])] } },
    select: { id: true, explanationText: true, flags: true, quantity: true, unitCost: true },
    orderBy: { id: "asc" },
  });
  // The queue shows a flagged PO's first few lines: the lines that carry flags, then the costliest (what a
  // "PO value above the threshold" is made of), not whichever came first by id.
  const value = (r: (typeof rows)[number]) => r.quantity * Number(r.unitCost ?? 0);
  rows.sort((a, b) => Number(b.flags.length > 0) - Number(a.flags.length > 0) || value(b) - value(a));
  const bySuggestion = new Map(rows.map((r) => [r.id, r.explanationText]));
  const poOf = new Map(lines.map((l) => [l.suggestionId as string, l.purchaseOrderId]));
  const byPurchaseOrder = new Map<string, string[]>();
  for (const r of rows) {
    const po = poOf.get(r.id);
    if (po) byPurchaseOrder.set(po, [...(byPurchaseOrder.get(po) ?? []), r.explanationText]);
  }
  return { byPurchaseOrder, bySuggestion };
}

/**
 * Each SKU's daily sales over shop days [from, to] (all locations, days without a row count as zero):
 * mean and standard deviation, the baseline a velocity check uses when no forecast predates its window.
 */
export async function loadDailySalesBaseline(shopId: string, fromDay: Date, toDay: Date): Promise<Map<string, { mean: number; stdDev: number }>> {
  const days = Math.round((toDay.getTime() - fromDay.getTime()) / 86_400_000) + 1;
  const rows = await prisma.$queryRaw<{ skuId: string; total: number; squares: number }[]>`
    SELECT d."skuId", SUM(d."u")::float8 AS "total", SUM(d."u" * d."u")::float8 AS "squares"
    FROM (SELECT "skuId", "day", SUM("units") AS "u" FROM "DailyDemand" WHERE "shopId" = ${shopId} AND "day" BETWEEN ${fromDay} AND ${toDay} GROUP BY "skuId", "day") d
    GROUP BY d."skuId"`;
  return new Map(
    rows.map((r) => {
      const mean = r.total / days;
      return [r.skuId, { mean, stdDev: Math.sqrt(Math.max(0, r.squares / days - mean * mean)) }];
    }),
  );
}
