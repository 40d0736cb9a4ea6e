import { Prisma, type SkuStatus } from "@prisma/client";
import { toCents, toPriceUnits, type Cents, type PriceUnits } from "../domain/shared/money.ts";
import { prisma } from "../db.server.ts";
import { currentPlanRuns } from "./current-plan-runs.server.ts";
import { forShop } from "./scoped-db.server.ts";
import { cursorArgs, toPage, type PageQuery, type Paged } from "./pagination.server.ts";

/**
 * "Out of stock now": a SKU that is still meant to sell (active or seasonal) and that no location holds
 * a positive quantity of. Discontinued and end-of-life SKUs running out is the plan, not a problem.
 * Shared by the dashboard count and the products filter so the two always agree.
 */
export const OUT_OF_STOCK_WHERE = {
  status: { in: ["ACTIVE", "SEASONAL"] },
  inventoryLevels: { none: { onHand: { gt: 0 } } },
} satisfies Prisma.SkuWhereInput;

export type SkuListFilter = { query?: string; outOfStock?: boolean; atReorderPoint?: boolean };

export type SkuListRow = {
  id: string;
  code: string;
  title: string;
  variantTitle: string | null;
  status: SkuStatus;
  /** Summed over every location. */
  onHand: number;
  committed: number;
  available: number;
  cost: PriceUnits | null;
  /**
   * From the latest reorder plan of each location (null before the first run): days of cover left at the
   * most urgent location (null when nothing is forecast to sell), and the reorder points summed.
   */
  daysLeft: number | null;
  /** Where daysLeft was measured, when the SKU is planned at several locations (its stock is their sum). */
  daysLeftLocation: string | null;
  reorderPoint: number | null;
};

export const SKU_PAGE_SIZE = 50;

/** Latest plan per SKU × location (runs that failed excluded), folded per SKU: most urgent days left, summed reorder point. */
type PlanSummary = { daysLeft: number | null; daysLeftLocation: string | null; reorderPoint: number; locations: number };

/** `skuIds` "all" reads every planned SKU of the shop (the days-left sort ranks the whole catalogue). */
async function latestPlanBySku(shopId: string, skuIds: readonly string[] | "all"): Promise<Map<string, PlanSummary>> {
  if (skuIds !== "all" && skuIds.length === 0) return new Map();
  // Raw SQL (DISTINCT ON has no Prisma equivalent), hence the explicit shopId.
  const rows = await prisma.$queryRaw<{ skuId: string; locationName: string; daysLeft: string | null; reorderPoint: string }[]>`
    SELECT DISTINCT ON (s."skuId", s."locationId") s."skuId", l."name" AS "locationName", s."daysLeft"::text AS "daysLeft", s."reorderPoint"::text AS "reorderPoint"
    FROM "ReorderSuggestion" s JOIN "ReorderRun" r ON r."id" = s."runId" AND r."shopId" = s."shopId"
    JOIN "Location" l ON l."id" = s."locationId" AND l."shopId" = s."shopId"
    WHERE s."shopId" = ${shopId} AND r."status" <> 'FAILED' AND ${currentPlanRuns(shopId)} ${skuIds === "all" ? Prisma.empty : Prisma.sql`AND s."skuId" = ANY(${[...skuIds]}::text[])`}
    ORDER BY s."skuId", s."locationId", r."startedAt" DESC, s."createdAt" DESC, s."id" DESC`;
  const out = new Map<string, PlanSummary>();
  for (const row of rows) {
    const daysLeft = row.daysLeft === null ? null : Number(row.daysLeft);
    const seen = out.get(row.skuId);
    if (!seen) out.set(row.skuId, { daysLeft, daysLeftLocation: row.locationName, reorderPoint: Number(row.reorderPoint), locations: 1 });
    else {
      seen.reorderPoint += Number(row.reorderPoint);
      seen.locations += 1;
      if (daysLeft !== null && (seen.daysLeft === null || daysLeft < seen.daysLeft)) [seen.daysLeft, seen.daysLeftLocation] = [daysLeft, row.locationName];
    }
  }
  return out;
}

/**
 * "At or below reorder point": SKUs still meant to sell whose latest plan, at any location, puts the stock
 * position (on hand + on order − committed) at or under the reorder point — what needs buying or a
 * transfer now, the merchant's urgent list.
 */
async function skusAtReorderPoint(shopId: string): Promise<string[]> {
  // Raw SQL (DISTINCT ON has no Prisma equivalent), hence the explicit shopId.
  const rows = await prisma.$queryRaw<{ skuId: string }[]>`
    SELECT DISTINCT latest."skuId" FROM (
      SELECT DISTINCT ON (s."skuId", s."locationId") s."skuId", s."stockPosition", s."reorderPoint"
      FROM "ReorderSuggestion" s JOIN "ReorderRun" r ON r."id" = s."runId" AND r."shopId" = s."shopId"
      WHERE s."shopId" = ${shopId} AND r."status" <> 'FAILED' AND ${currentPlanRuns(shopId)}
      ORDER BY s."skuId", s."locationId", r."startedAt" DESC, s."createdAt" DESC, s."id" DESC
    ) latest
    WHERE latest."stockPosition" <= latest."reorderPoint"`;
  return rows.map((r) => r.skuId);
}

function skuWhere(filter: SkuListFilter, atReorderPoint: string[] | null): Prisma.SkuWhereInput {
  const query = filter.query?.trim();
  return {
    ...(filter.outOfStock ? OUT_OF_STOCK_WHERE : {}),
    ...(atReorderPoint ? { id: { in: atReorderPoint }, status: { in: ["ACTIVE", "SEASONAL"] } } : {}),
    ...(query
      ? {
          OR: [
            { code: { contains: query, mode: "insensitive" } },
            { title: { contains: query, mode: "insensitive" } },
            { barcode: { equals: query } },
          ],
        }
      : {}),
  };
}

/**
 * The Products list's orders: by SKU code, or by days left, most urgent first (or most cover first). In both
 * days-left orders SKUs without a plan yet come last, and ties go by code.
 */
export const SKU_SORTS = ["code", "code_desc", "days_left", "days_left_desc"] as const;
export type SkuSort = (typeof SKU_SORTS)[number];

const SKU_ROW_SELECT = {
  id: true,
  code: true,
  title: true,
  variantTitle: true,
  status: true,
  cost: true,
  inventoryLevels: { select: { onHand: true, committed: true } },
} satisfies Prisma.SkuSelect;

/** One page of the shop's SKUs in the chosen order, with stock summed across locations. */
export async function listSkuPage(
  shopId: string,
  filter: SkuListFilter,
  page: PageQuery,
  pageSize = SKU_PAGE_SIZE,
  sort: SkuSort = "code",
): Promise<Paged<SkuListRow> & { totalCount: number }> {
  const db = forShop(shopId);
  const where = skuWhere(filter, filter.atReorderPoint ? await skusAtReorderPoint(shopId) : null);
  const [rows, totalCount, plans] =
    sort === "days_left" || sort === "days_left_desc"
      ? await pageByDaysLeft(shopId, where, page, pageSize, sort === "days_left_desc")
      : await Promise.all([
          db.sku.findMany({
            where,
            orderBy: sort === "code_desc" ? [{ code: "desc" }, { id: "desc" }] : [{ code: "asc" }, { id: "asc" }],
            ...cursorArgs(shopId, page, pageSize),
            select: SKU_ROW_SELECT,
          }),
          db.sku.count({ where }),
          null,
        ]);
  return { ...skuPageOf(rows, plans ?? (await latestPlanBySku(shopId, rows.map((r) => r.id))), page, pageSize), totalCount };
}

type SkuRow = Prisma.SkuGetPayload<{ select: typeof SKU_ROW_SELECT }>;

/**
 * Days left lives on each location's latest plan, not on the SKU, so the database cannot page by it with a
 * cursor: the matching SKUs' ids and codes are ranked here (a few hundred kB for a 10,000-SKU catalogue),
 * the page is cut at the cursor's position, and only its rows are loaded. Same cursor contract as by code.
 */
async function pageByDaysLeft(
  shopId: string,
  where: Prisma.SkuWhereInput,
  page: PageQuery,
  pageSize: number,
  descending: boolean,
): Promise<[SkuRow[], number, Map<string, PlanSummary>]> {
  const db = forShop(shopId);
  const [matching, plans] = await Promise.all([
    db.sku.findMany({ where, select: { id: true, code: true } }),
    latestPlanBySku(shopId, "all"),
  ]);
  // Tiers: most urgent first is finite days left, then planned with nothing forecast to sell (∞); most cover
  // first is the reverse. SKUs not planned yet come last either way, having no days left to rank by.
  const rankOf = (id: string): { tier: number; days: number } => {
    const plan = plans.get(id);
    if (!plan) return { tier: 2, days: 0 };
    if (plan.daysLeft === null) return { tier: descending ? 0 : 1, days: 0 };
    return { tier: descending ? 1 : 0, days: descending ? -plan.daysLeft : plan.daysLeft };
  };
  const ranked = matching
    .map((m) => ({ ...m, ...rankOf(m.id) }))
    .sort((a, b) => a.tier - b.tier || a.days - b.days || (a.code < b.code ? -1 : a.code > b.code ? 1 : a.id < b.id ? -1 : 1));
  // The same window cursorArgs asks the database for: one look-ahead row, backwards pages ending before the cursor.
  let window: typeof ranked;
  if (page.before) {
    const at = ranked.findIndex((m) => m.id === page.before);
    window = at < 0 ? [] : ranked.slice(Math.max(0, at - pageSize - 1), at);
  } else if (page.after) {
    const at = ranked.findIndex((m) => m.id === page.after);
    window = at < 0 ? [] : ranked.slice(at + 1, at + 2 + pageSize);
  } else window = ranked.slice(0, pageSize + 1);
  const loaded = new Map((await db.sku.findMany({ where: { id: { in: window.map((m) => m.id) } }, select: SKU_ROW_SELECT })).map((r) => [r.id, r]));
  const rows = window.map((m) => loaded.get(m.id)).filter((r): r is SkuRow => r !== undefined);
  return [rows, matching.length, plans];
}

function skuPageOf(rows: SkuRow[], plans: Map<string, PlanSummary>, page: PageQuery, pageSize: number): Paged<SkuListRow> {
  return toPage(
    rows.map((row) => {
      const onHand = row.inventoryLevels.reduce((sum, level) => sum + level.onHand, 0);
      const committed = row.inventoryLevels.reduce((sum, level) => sum + level.committed, 0);
      return {
        id: row.id,
        code: row.code,
        title: row.title,
        variantTitle: row.variantTitle,
        status: row.status,
        onHand,
        committed,
        available: onHand - committed,
        cost: row.cost === null ? null : toPriceUnits(row.cost.toString()),
        daysLeft: plans.get(row.id)?.daysLeft ?? null,
        daysLeftLocation: (plans.get(row.id)?.locations ?? 0) > 1 ? (plans.get(row.id)?.daysLeftLocation ?? null) : null,
        reorderPoint: plans.has(row.id) ? Math.ceil(plans.get(row.id)!.reorderPoint) : null,
      };
    }),
    page,
    pageSize,
  );
}

export type StockOnHandTotals = {
  /** Units held, counting only locations with a positive quantity (oversold stock is not an asset). */
  units: number;
  /** Those units at the SKU's cost, exact to the cent. */
  valueAtCost: Cents;
  /** SKUs held in stock whose cost is unknown: their units count, their value cannot. */
  skusWithoutCost: number;
};

export async function getStockOnHandTotals(shopId: string): Promise<StockOnHandTotals> {
  // A join and a sum: done in the database so the dashboard does not load every level of a large catalogue.
  // Raw SQL is outside forShop's reach, hence the explicit shopId on both tables.
  const [row] = await prisma.$queryRaw<{ units: bigint | null; value: string | null; without_cost: bigint }[]>`
    SELECT SUM(l."onHand")::bigint AS units,
           ROUND(SUM(l."onHand" * s."cost"), 2)::text AS value,
           COUNT(DISTINCT s."id") FILTER (WHERE s."cost" IS NULL)::bigint AS without_cost
    FROM "InventoryLevel" l
    JOIN "Sku" s ON s."id" = l."skuId" AND s."shopId" = l."shopId"
    WHERE l."shopId" = ${shopId} AND l."onHand" > 0`;
  return {
    units: Number(row?.units ?? 0),
    valueAtCost: row?.value ? toCents(row.value) : 0,
    skusWithoutCost: Number(row?.without_cost ?? 0),
  };
}

export async function countSkus(shopId: string): Promise<number> {
  return forShop(shopId).sku.count();
}

export async function countOutOfStockSkus(shopId: string): Promise<number> {
  return forShop(shopId).sku.count({ where: OUT_OF_STOCK_WHERE });
}
