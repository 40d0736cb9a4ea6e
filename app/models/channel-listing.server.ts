import { randomUUID } from "node:crypto";
import type { Channel, ChannelListing, ChannelListingLevel, Prisma } from "@prisma/client";
import { AppError } from "#app/lib/app-error.ts";
import { prisma } from "#app/db.server.ts";

// ChannelListing links a channel's identifiers to our SKU. A listing is MAPPED only when we know it is
// the SKU: the Shopify variant the SKU was imported from (identity, not a guess) or a person's choice.
// Everything else stays UNMAPPED with suggestions; nothing is matched silently (issue 4 item 5).

type Db = Prisma.TransactionClient;

export type ListingKey = { externalId: string; externalItemId?: string | null; externalSku?: string | null; title?: string | null; barcode?: string | null; fulfilledByChannel?: boolean };

/**
 * Finds or creates the listing for a channel identifier and returns it with its SKU (if mapped). A
 * Shopify variant that one of our SKUs was imported from is mapped on sight.
 */
export async function resolveListing(tx: Db, shopId: string, channel: Channel, key: ListingKey): Promise<Pick<ChannelListing, "id" | "skuId" | "status">> {
  const existing = await tx.channelListing.findUnique({ where: { shopId_channel_externalId: { shopId, channel, externalId: key.externalId } }, select: { id: true, skuId: true, status: true, externalSku: true, externalItemId: true } });
  if (existing) {
    const updates: Prisma.ChannelListingUpdateInput = {};
    if (key.externalSku && existing.externalSku !== key.externalSku) updates.externalSku = key.externalSku;
    if (key.externalItemId && existing.externalItemId !== key.externalItemId) updates.externalItemId = key.externalItemId;
    if (Object.keys(updates).length > 0) await tx.channelListing.update({ where: { id: existing.id }, data: updates });
    return { id: existing.id, skuId: existing.status === "MAPPED" ? existing.skuId : null, status: existing.status };
  }
  const identity = channel === "SHOPIFY" ? await tx.sku.findFirst({ where: { shopId, shopifyVariantId: key.externalId }, select: { id: true } }) : null;
  const created = await tx.channelListing.upsert({
    where: { shopId_channel_externalId: { shopId, channel, externalId: key.externalId } },
    create: {
      shopId,
      channel,
      externalId: key.externalId,
      externalItemId: key.externalItemId ?? null,
      externalSku: key.externalSku ?? null,
      title: key.title ?? null,
      barcode: key.barcode ?? null,
      fulfilledByChannel: key.fulfilledByChannel ?? false,
      skuId: identity?.id ?? null,
      status: identity ? "MAPPED" : "UNMAPPED",
    },
    update: {},
    select: { id: true, skuId: true, status: true },
  });
  return { id: created.id, skuId: created.status === "MAPPED" ? created.skuId : null, status: created.status };
}

/** The mapped, pushable listings of some SKUs (all when skuIds is undefined). */
export async function listMappedListings(shopId: string, filter: { skuIds?: readonly string[]; channel?: Channel } = {}): Promise<ChannelListing[]> {
  return prisma.channelListing.findMany({
    where: { shopId, status: "MAPPED", skuId: filter.skuIds ? { in: [...filter.skuIds] } : { not: null }, ...(filter.channel ? { channel: filter.channel } : {}) },
    orderBy: [{ channel: "asc" }, { externalId: "asc" }],
  });
}

export async function getListing(shopId: string, listingId: string): Promise<ChannelListing | null> {
  return prisma.channelListing.findFirst({ where: { shopId, id: listingId } });
}

export async function recordKnownQuantity(shopId: string, listingId: string, quantity: number, at: Date, tx?: Db): Promise<void> {
  await (tx ?? prisma).channelListing.updateMany({ where: { shopId, id: listingId }, data: { lastKnownQuantity: quantity, lastKnownAt: at } });
}

export async function updateListingDetails(shopId: string, listingId: string, data: { title?: string | null; barcode?: string | null; externalSku?: string | null; fulfilledByChannel?: boolean }): Promise<void> {
  await prisma.channelListing.updateMany({ where: { shopId, id: listingId }, data });
}

export type PushRecord = { listingId: string; locationId?: string | null; channel: Channel; quantity: number; previousQuantity: number | null; idempotencyKey: string };

/** Records the intention before calling the channel (PENDING), so a crash mid-push leaves a trace. */
export async function startPushes(shopId: string, pushes: readonly PushRecord[], at: Date): Promise<void> {
  if (pushes.length === 0) return;
  await prisma.channelPush.createMany({ data: pushes.map((push) => ({ shopId, ...push, status: "PENDING" as const, requestedAt: at })), skipDuplicates: true });
}

export async function finishPush(
  shopId: string,
  push: { listingId: string; idempotencyKey: string },
  result: { status: "SUCCEEDED"; quantity: number } | { status: "FAILED"; error: string },
  at: Date,
): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await tx.channelPush.updateMany({
      where: { shopId, idempotencyKey: push.idempotencyKey },
      data: { status: result.status, completedAt: at, error: result.status === "FAILED" ? result.error.slice(0, 1000) : null },
    });
    if (result.status === "SUCCEEDED") {
      // What we pushed is also what the channel now shows (it applied it).
      await tx.channelListing.updateMany({ where: { shopId, id: push.listingId }, data: { lastPushedQuantity: result.quantity, lastPushedAt: at, lastKnownQuantity: result.quantity, lastKnownAt: at } });
    }
  });
}

export type SkuSuggestion = { skuId: string; code: string; title: string; matchedBy: "sku" | "barcode" | "code-in-sku" };

/**
 * The parts of a channel SKU that could be our code: marketplaces prefix or suffix a seller's code
 * ("FBA-AMZ-22423", "MUG-RED_UK"), so every run of whole parts between separators is a candidate
 * ("22423", "MUG-RED"), not any substring ("2242" would match the wrong SKU).
 */
function codeTokens(externalSku: string): string[] {
  const starts: number[] = [];
  const ends: number[] = [];
  for (const m of externalSku.matchAll(/[A-Za-z0-9]+/g)) {
    starts.push(m.index);
    ends.push(m.index + m[0].length);
  }
  if (starts.length > 8) return []; // not a code with a prefix: nothing sensible to guess
  const out = new Set<string>();
  for (const i of starts) for (const j of ends) if (j > i) out.add(externalSku.slice(i, j));
  out.delete(externalSku);
  return [...out].filter((t) => t.length >= 3);
}
export type UnmappedListing = Pick<ChannelListing, "id" | "channel" | "externalId" | "externalSku" | "title" | "barcode" | "lastKnownQuantity" | "createdAt"> & { suggestions: SkuSuggestion[] };

/** Unmapped listings with SKUs whose code equals the listing's SKU, whose barcode equals its barcode, or whose code is a whole part of the listing's SKU. */
export async function listUnmappedListings(shopId: string, limit = 200): Promise<UnmappedListing[]> {
  const listings = await prisma.channelListing.findMany({
    where: { shopId, status: "UNMAPPED" },
    select: { id: true, channel: true, externalId: true, externalSku: true, title: true, barcode: true, lastKnownQuantity: true, createdAt: true },
    orderBy: [{ channel: "asc" }, { createdAt: "asc" }],
    take: limit,
  });
  const tokensOf = new Map(listings.map((l) => [l.id, new Set(l.externalSku ? codeTokens(l.externalSku) : [])]));
  const codes = [...new Set(listings.flatMap((l) => (l.externalSku ? [l.externalSku, ...(tokensOf.get(l.id) ?? [])] : [])))];
  const barcodes = [...new Set(listings.flatMap((l) => (l.barcode ? [l.barcode] : [])))];
  const skus =
    codes.length + barcodes.length === 0
      ? []
      : await prisma.sku.findMany({
          where: { shopId, OR: [...(codes.length ? [{ code: { in: codes } }] : []), ...(barcodes.length ? [{ barcode: { in: barcodes } }] : [])] },
          select: { id: true, code: true, title: true, barcode: true },
        });
  return listings.map((listing) => {
    const suggestions: SkuSuggestion[] = [];
    const tokens = tokensOf.get(listing.id) ?? new Set<string>();
    for (const sku of skus) {
      if (listing.externalSku && sku.code === listing.externalSku) suggestions.push({ skuId: sku.id, code: sku.code, title: sku.title, matchedBy: "sku" });
      else if (listing.barcode && sku.barcode === listing.barcode) suggestions.push({ skuId: sku.id, code: sku.code, title: sku.title, matchedBy: "barcode" });
      else if (tokens.has(sku.code)) suggestions.push({ skuId: sku.id, code: sku.code, title: sku.title, matchedBy: "code-in-sku" });
    }
    // An exact SKU or barcode match before a code found inside the channel SKU.
    const rank = { sku: 0, barcode: 1, "code-in-sku": 2 } as const;
    suggestions.sort((a, b) => rank[a.matchedBy] - rank[b.matchedBy]);
    return { ...listing, suggestions };
  });
}

/** A person's decision: this listing is that SKU. Both must be this shop's. */
export async function mapListing(shopId: string, listingId: string, skuId: string): Promise<ChannelListing> {
  const [listing, sku] = await Promise.all([
    prisma.channelListing.findFirst({ where: { shopId, id: listingId }, select: { id: true } }),
    prisma.sku.findFirst({ where: { shopId, id: skuId }, select: { id: true } }),
  ]);
  if (!listing) throw new AppError("not_found", "Listing not found");
  if (!sku) throw new AppError("not_found", "SKU not found");
  return prisma.channelListing.update({ where: { id: listing.id }, data: { skuId: sku.id, status: "MAPPED" } });
}

export async function countListingsByStatus(shopId: string): Promise<Array<{ channel: Channel; status: string; count: number }>> {
  const rows = await prisma.channelListing.groupBy({ by: ["channel", "status"], where: { shopId }, _count: { _all: true } });
  return rows.map((row) => ({ channel: row.channel, status: row.status, count: row._count._all }));
}

export async function latestPushes(shopId: string, take = 20) {
  return prisma.channelPush.findMany({
    where: { shopId },
    orderBy: { requestedAt: "desc" },
    take,
    select: { id: true, channel: true, quantity: true, previousQuantity: true, status: true, error: true, requestedAt: true, completedAt: true, listing: { select: { externalId: true, externalSku: true, lastKnownQuantity: true } } },
  });
}

/** One open CHANNEL_ERROR review item per listing (dedupeKey); a repeat refreshes its reason. */
export async function openChannelReview(shopId: string, input: { subjectType: "LISTING" | "CHANNEL"; subjectId: string; reason: string; details?: Prisma.InputJsonValue }): Promise<void> {
  const dedupeKey = `channel-error-${input.subjectType.toLowerCase()}-${input.subjectId}`;
  await prisma.reviewItem.upsert({
    where: { shopId_dedupeKey: { shopId, dedupeKey } },
    create: { shopId, kind: "CHANNEL_ERROR", subjectType: input.subjectType, subjectId: input.subjectId, reason: input.reason.slice(0, 1000), dedupeKey, ...(input.details !== undefined ? { details: input.details } : {}) },
    update: { reason: input.reason.slice(0, 1000), status: "OPEN", resolvedAt: null, ...(input.details !== undefined ? { details: input.details } : {}) },
  });
}

/** Upserts what a channel's catalogue says about a listing (identity mapping as in resolveListing). */
export async function recordListingFromStock(
  shopId: string,
  channel: Channel,
  level: { listingExternalId: string; itemExternalId: string | null; sku: string | null; barcode: string | null; title: string | null; fulfilledByChannel: boolean },
  known: { quantity: number; at: Date } | null,
): Promise<Pick<ChannelListing, "id" | "skuId" | "status">> {
  return prisma.$transaction(async (tx) => {
    const listing = await resolveListing(tx, shopId, channel, { externalId: level.listingExternalId, externalItemId: level.itemExternalId, externalSku: level.sku, title: level.title, barcode: level.barcode, fulfilledByChannel: level.fulfilledByChannel });
    await tx.channelListing.update({
      where: { id: listing.id },
      data: {
        title: level.title,
        barcode: level.barcode,
        fulfilledByChannel: level.fulfilledByChannel,
        ...(known ? { lastKnownQuantity: known.quantity, lastKnownAt: known.at } : {}),
      },
    });
    return listing;
  });
}

export async function findListingByItem(shopId: string, channel: Channel, externalItemId: string): Promise<ChannelListing | null> {
  return prisma.channelListing.findFirst({ where: { shopId, channel, externalItemId } });
}

/** A mapped listing whose channel SKU no longer matches our SKU code: a person should confirm the mapping. */
export async function flagMappingChange(shopId: string, listingId: string): Promise<boolean> {
  const listing = await prisma.channelListing.findFirst({ where: { shopId, id: listingId }, select: { id: true, status: true, externalSku: true, channel: true, sku: { select: { code: true, barcode: true } } } });
  if (!listing || listing.status !== "MAPPED" || !listing.sku || !listing.externalSku || listing.externalSku === listing.sku.code) return false;
  const dedupeKey = `mapping-${listing.id}`;
  const reason = `${listing.channel} listing now has SKU ${listing.externalSku} but is mapped to ${listing.sku.code}: confirm or re-map it`;
  await prisma.reviewItem.upsert({
    where: { shopId_dedupeKey: { shopId, dedupeKey } },
    create: { shopId, kind: "UNMAPPED_LISTING", subjectType: "LISTING", subjectId: listing.id, reason, dedupeKey },
    update: { reason, status: "OPEN", resolvedAt: null },
  });
  return true;
}

/**
 * Records many push results at once (a 200-SKU receipt is 600 pushes over three channels): one
 * statement per kind of change instead of a transaction per push. A result with a `locationId`
 * (Shopify) updates that location's ChannelListingLevel, and the listing then shows the total over
 * its locations. `superseded`: refused by the channel's compare-and-set, re-read and decided again.
 */
export async function finishPushes(
  shopId: string,
  results: {
    succeeded: Array<{ listingId: string; locationId?: string | null; idempotencyKey: string; quantity: number }>;
    failed: Array<{ idempotencyKey: string; error: string }>;
    superseded?: Array<{ idempotencyKey: string; note: string }>;
  },
  at: Date,
): Promise<void> {
  const { succeeded, failed, superseded = [] } = results;
  const listingWide = succeeded.filter((s) => !s.locationId);
  const perLocation = succeeded.filter((s) => s.locationId);
  await prisma.$transaction(async (tx) => {
    if (succeeded.length > 0) {
      await tx.channelPush.updateMany({ where: { shopId, idempotencyKey: { in: succeeded.map((s) => s.idempotencyKey) } }, data: { status: "SUCCEEDED", completedAt: at, error: null } });
    }
    if (listingWide.length > 0) {
      // What we pushed is also what the channel now shows (it applied it).
      await tx.$executeRaw`
        UPDATE "ChannelListing" AS l
        SET "lastPushedQuantity" = v.q, "lastPushedAt" = ${at}, "lastKnownQuantity" = v.q, "lastKnownAt" = ${at}, "updatedAt" = ${at}
        FROM unnest(${listingWide.map((s) => s.listingId)}::text[], ${listingWide.map((s) => s.quantity)}::int[]) AS v(id, q)
        WHERE l."id" = v.id AND l."shopId" = ${shopId}`;
    }
    if (perLocation.length > 0) {
      await upsertLevels(tx, shopId, perLocation.map((s) => ({ listingId: s.listingId, locationId: s.locationId!, known: s.quantity, pushed: s.quantity })), at);
      await rollUpLevels(tx, shopId, [...new Set(perLocation.map((s) => s.listingId))], at);
    }
    for (const failure of failed) {
      await tx.channelPush.updateMany({ where: { shopId, idempotencyKey: failure.idempotencyKey }, data: { status: "FAILED", completedAt: at, error: failure.error.slice(0, 1000) } });
    }
    for (const item of superseded) {
      await tx.channelPush.updateMany({ where: { shopId, idempotencyKey: item.idempotencyKey }, data: { status: "SUPERSEDED", completedAt: at, error: item.note.slice(0, 1000) } });
    }
  });
}

/** Adds how a superseded push was resolved (the re-read quantity already equalled ours, say) to its record. */
export async function noteSupersededPushes(shopId: string, notes: ReadonlyArray<{ idempotencyKey: string; note: string }>): Promise<void> {
  for (const { idempotencyKey, note } of notes) {
    await prisma.channelPush.updateMany({ where: { shopId, idempotencyKey, status: "SUPERSEDED" }, data: { error: note.slice(0, 1000) } });
  }
}

/**
 * A push refused as stale whose re-read already shows our quantity: what the channel shows is what we
 * want it to show, so it counts as pushed (otherwise the old pushed figure reads as drift for ever).
 */
export async function confirmChannelShowsOurs(shopId: string, units: ReadonlyArray<{ listingId: string; locationId: string | null }>, at: Date): Promise<void> {
  if (units.length === 0) return;
  const perLocation = units.filter((u) => u.locationId);
  const listingWide = units.filter((u) => !u.locationId).map((u) => u.listingId);
  await prisma.$transaction(async (tx) => {
    for (const unit of perLocation) {
      await tx.channelListingLevel.updateMany({ where: { shopId, listingId: unit.listingId, locationId: unit.locationId!, lastKnownQuantity: { not: null } }, data: { lastPushedAt: at } });
      await tx.$executeRaw`UPDATE "ChannelListingLevel" SET "lastPushedQuantity" = "lastKnownQuantity" WHERE "shopId" = ${shopId} AND "listingId" = ${unit.listingId} AND "locationId" = ${unit.locationId} AND "lastKnownQuantity" IS NOT NULL`;
    }
    if (perLocation.length > 0) await rollUpLevels(tx, shopId, [...new Set(perLocation.map((u) => u.listingId))], at);
    if (listingWide.length > 0) {
      await tx.$executeRaw`UPDATE "ChannelListing" SET "lastPushedQuantity" = "lastKnownQuantity", "lastPushedAt" = ${at}, "updatedAt" = ${at} WHERE "shopId" = ${shopId} AND "id" = ANY(${listingWide}::text[]) AND "lastKnownQuantity" IS NOT NULL`;
    }
  });
}

export type ListingLevelState = Pick<ChannelListingLevel, "listingId" | "locationId" | "lastKnownQuantity" | "lastPushedQuantity">;

/** What we last saw and pushed per listing × location (Shopify). */
export async function listListingLevels(shopId: string, listingIds: readonly string[]): Promise<ListingLevelState[]> {
  if (listingIds.length === 0) return [];
  return prisma.channelListingLevel.findMany({ where: { shopId, listingId: { in: [...listingIds] } }, select: { listingId: true, locationId: true, lastKnownQuantity: true, lastPushedQuantity: true } });
}

/** What the channel showed at one location (a re-read after a refused compare-and-set, a webhook). */
export async function recordKnownLevel(shopId: string, listingId: string, locationId: string, quantity: number, at: Date): Promise<void> {
  await prisma.$transaction(async (tx) => {
    await upsertLevels(tx, shopId, [{ listingId, locationId, known: quantity, pushed: undefined }], at);
    await rollUpLevels(tx, shopId, [listingId], at);
  });
}

type LevelWrite = { listingId: string; locationId: string; known: number; pushed: number | undefined };

async function upsertLevels(tx: Db, shopId: string, rows: readonly LevelWrite[], at: Date): Promise<void> {
  if (rows.length === 0) return;
  const pushed = rows.map((r) => r.pushed ?? null);
  await tx.$executeRaw`
    INSERT INTO "ChannelListingLevel" ("id", "shopId", "listingId", "locationId", "lastKnownQuantity", "lastKnownAt", "lastPushedQuantity", "lastPushedAt")
    SELECT v.id, ${shopId}, v.listing, v.location, v.known, ${at}, v.pushed, CASE WHEN v.pushed IS NULL THEN NULL ELSE ${at}::timestamp(3) END
    FROM unnest(${rows.map(() => randomUUID())}::text[], ${rows.map((r) => r.listingId)}::text[], ${rows.map((r) => r.locationId)}::text[], ${rows.map((r) => r.known)}::int[], ${pushed}::int[]) AS v(id, listing, location, known, pushed)
    ON CONFLICT ("listingId", "locationId") DO UPDATE
    SET "lastKnownQuantity" = EXCLUDED."lastKnownQuantity", "lastKnownAt" = EXCLUDED."lastKnownAt",
        "lastPushedQuantity" = COALESCE(EXCLUDED."lastPushedQuantity", "ChannelListingLevel"."lastPushedQuantity"),
        "lastPushedAt" = COALESCE(EXCLUDED."lastPushedAt", "ChannelListingLevel"."lastPushedAt")`;
}

/** The listing shows the total over its locations (the admin's last-known quantity and drift). */
async function rollUpLevels(tx: Db, shopId: string, listingIds: readonly string[], at: Date): Promise<void> {
  if (listingIds.length === 0) return;
  await tx.$executeRaw`
    UPDATE "ChannelListing" AS l
    SET "lastKnownQuantity" = t.known, "lastKnownAt" = ${at}, "lastPushedQuantity" = COALESCE(t.pushed, l."lastPushedQuantity"), "lastPushedAt" = CASE WHEN t.pushed IS NULL THEN l."lastPushedAt" ELSE t."pushedAt" END, "updatedAt" = ${at}
    FROM (SELECT "listingId", sum("lastKnownQuantity")::int AS known, sum("lastPushedQuantity")::int AS pushed, max("lastPushedAt") AS "pushedAt"
          FROM "ChannelListingLevel" WHERE "shopId" = ${shopId} AND "listingId" = ANY(${[...listingIds]}::text[]) GROUP BY "listingId") AS t
    WHERE l."id" = t."listingId" AND l."shopId" = ${shopId}`;
}

export type StockPageRow = {
  listingExternalId: string;
  itemExternalId: string | null;
  sku: string | null;
  barcode: string | null;
  title: string | null;
  fulfilledByChannel: boolean;
  /** The listing-wide quantity the channel showed (null: unknown). */
  known: number | null;
  /** Per location of ours (Shopify). */
  levels: ReadonlyArray<{ locationId: string; quantity: number }>;
};

/**
 * One page of a stock pull in a fixed handful of statements, whatever its size: read the page's
 * listings, create the missing ones (a Shopify variant one of our SKUs was imported from is mapped on
 * sight, as in resolveListing), refresh details and last-known quantities in one UPDATE, and the
 * per-location levels in one upsert.
 */
export async function recordStockPage(shopId: string, channel: Channel, rows: readonly StockPageRow[], at: Date): Promise<Array<Pick<ChannelListing, "id" | "skuId" | "status" | "externalId">>> {
  if (rows.length === 0) return [];
  const externalIds = [...new Set(rows.map((r) => r.listingExternalId))];
  const select = { id: true, skuId: true, status: true, externalId: true } as const;
  return prisma.$transaction(async (tx) => {
    const found = await tx.channelListing.findMany({ where: { shopId, channel, externalId: { in: externalIds } }, select });
    const byExternal = new Map(found.map((l) => [l.externalId, l]));
    const missing = rows.filter((r) => !byExternal.has(r.listingExternalId));
    if (missing.length > 0) {
      const identities = channel === "SHOPIFY" ? await tx.sku.findMany({ where: { shopId, shopifyVariantId: { in: missing.map((r) => r.listingExternalId) } }, select: { id: true, shopifyVariantId: true } }) : [];
      const skuOf = new Map(identities.map((s) => [s.shopifyVariantId!, s.id]));
      await tx.channelListing.createMany({
        data: missing.map((r) => ({ shopId, channel, externalId: r.listingExternalId, externalItemId: r.itemExternalId, externalSku: r.sku, title: r.title, barcode: r.barcode, fulfilledByChannel: r.fulfilledByChannel, skuId: skuOf.get(r.listingExternalId) ?? null, status: skuOf.has(r.listingExternalId) ? ("MAPPED" as const) : ("UNMAPPED" as const) })),
        skipDuplicates: true,
      });
      for (const l of await tx.channelListing.findMany({ where: { shopId, channel, externalId: { in: missing.map((r) => r.listingExternalId) } }, select })) byExternal.set(l.externalId, l);
    }
    const known = rows.map((r) => r.known);
    await tx.$executeRaw`
      UPDATE "ChannelListing" AS l
      SET "title" = v.title, "barcode" = v.barcode, "fulfilledByChannel" = v.fbc,
          "externalSku" = COALESCE(v.sku, l."externalSku"), "externalItemId" = COALESCE(v.item, l."externalItemId"),
          "lastKnownQuantity" = COALESCE(v.known, l."lastKnownQuantity"), "lastKnownAt" = CASE WHEN v.known IS NULL THEN l."lastKnownAt" ELSE ${at}::timestamp(3) END,
          "updatedAt" = ${at}
      FROM unnest(${rows.map((r) => r.listingExternalId)}::text[], ${rows.map((r) => r.title)}::text[], ${rows.map((r) => r.barcode)}::text[], ${rows.map((r) => r.fulfilledByChannel)}::boolean[],
                  ${rows.map((r) => r.sku)}::text[], ${rows.map((r) => r.itemExternalId)}::text[], ${known}::int[]) AS v(ext, title, barcode, fbc, sku, item, known)
      WHERE l."shopId" = ${shopId} AND l."channel" = ${channel}::"Channel" AND l."externalId" = v.ext`;
    const levels = rows.flatMap((r) => {
      const listing = byExternal.get(r.listingExternalId);
      return listing ? r.levels.map((level) => ({ listingId: listing.id, locationId: level.locationId, known: level.quantity, pushed: undefined })) : [];
    });
    await upsertLevels(tx, shopId, levels, at);
    return externalIds.flatMap((id) => {
      const l = byExternal.get(id);
      return l ? [{ ...l, skuId: l.status === "MAPPED" ? l.skuId : null }] : [];
    });
  });
}
