import { Prisma } from "@prisma/client";
import { prisma } from "../db.server.ts";
import { forShop } from "./scoped-db.server.ts";
import { AppError } from "../lib/app-error.ts";

/**
 * Promotions and known events: a date range, the SKUs it lifts and the expected uplift. The reorder run
 * (reorder-snapshot.server.ts) turns each row into a forecast multiplier of 1 + uplift/100 over its days.
 *
 * The snapshot loader reads `skuIds` (empty = every SKU). A promotion chosen by product type therefore
 * stores the SKUs of that type *at save time* in `skuIds`, and keeps the choice in `collection` as
 * `productType:<type>` so the form can show it again. SKUs added to the type later are not included
 * until the promotion is saved again.
 *
 * A promotion chosen by collection keeps `collection:<handle>` and no SKUs: the reorder run resolves it
 * to the SKUs in that collection (Sku.collections) on the day it plans, so products added to the
 * collection later are lifted too (collections are curated to change; product types rarely do).
 */

export type PromotionScope = "all" | "skus" | "productType" | "collection";

const PRODUCT_TYPE_PREFIX = "productType:";
export const COLLECTION_PREFIX = "collection:";

export type PromotionSummary = {
  id: string;
  name: string;
  /** ISO days, inclusive. */
  startsOn: string;
  endsOn: string;
  upliftPct: number;
  scope: PromotionScope;
  productType: string | null;
  collection: string | null;
  skuCount: number;
};

export type PromotionDetails = PromotionSummary & { skus: { id: string; code: string; title: string }[] };

export type PromotionInput = {
  name: string;
  startsOn: string;
  endsOn: string;
  upliftPct: number;
  scope: PromotionScope;
  /** For scope "skus": the merchant's SKU codes. */
  skuCodes: string[];
  /** For scope "productType". */
  productType: string | null;
  /** For scope "collection": the collection's handle. */
  collection: string | null;
};

/** A choice the database cannot satisfy (unknown SKU codes, an empty product type): a field error. */
export type PromotionSaveResult = { ok: true; id: string } | { ok: false; field: "skuCodes" | "productType" | "collection"; message: string };

const isoDay = (date: Date) => date.toISOString().slice(0, 10);
const dateOf = (day: string) => new Date(`${day}T00:00:00.000Z`);

function scopeOf(row: { skuIds: string[]; collection: string | null }): { scope: PromotionScope; productType: string | null; collection: string | null } {
  if (row.collection?.startsWith(PRODUCT_TYPE_PREFIX)) return { scope: "productType", productType: row.collection.slice(PRODUCT_TYPE_PREFIX.length), collection: null };
  if (row.collection?.startsWith(COLLECTION_PREFIX)) return { scope: "collection", productType: null, collection: row.collection.slice(COLLECTION_PREFIX.length) };
  return { scope: row.skuIds.length > 0 ? "skus" : "all", productType: null, collection: null };
}

/** How many SKUs each collection holds now (a collection promotion's SKU count is today's, not the save day's). */
async function collectionSizes(shopId: string, handles: readonly string[]): Promise<Map<string, number>> {
  if (handles.length === 0) return new Map();
  // Raw SQL (unnest has no Prisma equivalent), hence the explicit shopId.
  const rows = await prisma.$queryRaw<{ handle: string; count: number }[]>(Prisma.sql`
    SELECT c AS handle, COUNT(*)::int AS count FROM "Sku", unnest("collections") AS c
    WHERE "shopId" = ${shopId} AND c = ANY(${[...handles]}::text[]) GROUP BY c`);
  return new Map(rows.map((r) => [r.handle, r.count]));
}

async function withCollectionCounts(shopId: string, summaries: PromotionSummary[]): Promise<PromotionSummary[]> {
  const sizes = await collectionSizes(shopId, [...new Set(summaries.flatMap((p) => (p.collection ? [p.collection] : [])))]);
  return summaries.map((p) => (p.collection ? { ...p, skuCount: sizes.get(p.collection) ?? 0 } : p));
}

function summary(row: { id: string; name: string; startsOn: Date; endsOn: Date; upliftPct: { toString(): string }; skuIds: string[]; collection: string | null }): PromotionSummary {
  return {
    id: row.id,
    name: row.name,
    startsOn: isoDay(row.startsOn),
    endsOn: isoDay(row.endsOn),
    upliftPct: Number(row.upliftPct.toString()),
    ...scopeOf(row),
    skuCount: row.skuIds.length,
  };
}

/** Every promotion of the shop, latest start first (a shop plans tens a year, not thousands). */
export async function listPromotions(shopId: string, limit = 500): Promise<PromotionSummary[]> {
  const rows = await forShop(shopId).promotion.findMany({ orderBy: [{ startsOn: "desc" }, { id: "asc" }], take: limit });
  return withCollectionCounts(shopId, rows.map(summary));
}

export async function getPromotion(shopId: string, promotionId: string): Promise<PromotionDetails> {
  const db = forShop(shopId);
  const row = await db.promotion.findUnique({ where: { id: promotionId } });
  if (!row) throw new AppError("not_found", "Promotion not found");
  const skus = row.skuIds.length > 0
    ? await db.sku.findMany({ where: { id: { in: row.skuIds } }, select: { id: true, code: true, title: true }, orderBy: { code: "asc" } })
    : [];
  const [withCount] = await withCollectionCounts(shopId, [summary(row)]);
  return { ...(withCount as PromotionSummary), skus };
}

/** Creates (promotionId null) or replaces a promotion, resolving its SKUs within the shop. */
export async function savePromotion(shopId: string, promotionId: string | null, input: PromotionInput): Promise<PromotionSaveResult> {
  const db = forShop(shopId);
  let skuIds: string[] = [];
  let collection: string | null = null;
  if (input.scope === "skus") {
    const codes = [...new Set(input.skuCodes)];
    const found = await db.sku.findMany({ where: { code: { in: codes } }, select: { id: true, code: true } });
    const known = new Set(found.map((s) => s.code));
    const missing = codes.filter((c) => !known.has(c));
    if (missing.length > 0) return { ok: false, field: "skuCodes", message: `Unknown SKU${missing.length > 1 ? "s" : ""}: ${missing.join(", ")}` };
    skuIds = found.map((s) => s.id).sort();
  } else if (input.scope === "productType" && input.productType) {
    const found = await db.sku.findMany({ where: { productType: input.productType }, select: { id: true } });
    if (found.length === 0) return { ok: false, field: "productType", message: `No SKU has the product type ${input.productType}` };
    skuIds = found.map((s) => s.id).sort();
    collection = `${PRODUCT_TYPE_PREFIX}${input.productType}`;
  } else if (input.scope === "collection" && input.collection) {
    // Checked now so a mistyped handle is a field error, not a promotion that silently lifts nothing.
    const size = (await collectionSizes(shopId, [input.collection])).get(input.collection) ?? 0;
    if (size === 0) return { ok: false, field: "collection", message: `No SKU is in the collection ${input.collection}` };
    collection = `${COLLECTION_PREFIX}${input.collection}`;
  }
  const data = {
    name: input.name,
    startsOn: dateOf(input.startsOn),
    endsOn: dateOf(input.endsOn),
    upliftPct: input.upliftPct.toFixed(2),
    skuIds,
    collection,
  };
  if (promotionId === null) {
    const created = await db.promotion.create({ data: { ...data, shopId }, select: { id: true } });
    return { ok: true, id: created.id };
  }
  const { count } = await db.promotion.updateMany({ where: { id: promotionId }, data });
  if (count === 0) throw new AppError("not_found", "Promotion not found");
  return { ok: true, id: promotionId };
}

export async function deletePromotion(shopId: string, promotionId: string): Promise<void> {
  const { count } = await forShop(shopId).promotion.deleteMany({ where: { id: promotionId } });
  if (count === 0) throw new AppError("not_found", "Promotion not found");
}

/** SKUs whose code or title contains the query, for the promotion form's search. */
export async function searchPromotionSkus(shopId: string, query: string, limit = 20): Promise<{ id: string; code: string; title: string }[]> {
  const q = query.trim();
  if (q === "") return [];
  return forShop(shopId).sku.findMany({
    where: { OR: [{ code: { contains: q, mode: "insensitive" } }, { title: { contains: q, mode: "insensitive" } }] },
    select: { id: true, code: true, title: true },
    orderBy: [{ code: "asc" }, { id: "asc" }],
    take: limit,
  });
}

/** The shop's product types (from the catalogue sync), for choosing a promotion's SKUs by type. */
export async function listProductTypes(shopId: string): Promise<string[]> {
  const rows = await forShop(shopId).sku.groupBy({ by: ["productType"], where: { productType: { not: null } }, orderBy: { productType: "asc" } });
  return rows.map((r) => r.productType).filter((t): t is string => t !== null && t !== "");
}

/** The collections the shop's SKUs belong to, for choosing a promotion's SKUs by collection. */
export async function listCollections(shopId: string): Promise<string[]> {
  const rows = await prisma.$queryRaw<{ handle: string }[]>(Prisma.sql`
    SELECT DISTINCT c AS handle FROM "Sku", unnest("collections") AS c WHERE "shopId" = ${shopId} AND c <> '' ORDER BY c`);
  return rows.map((r) => r.handle);
}
