import { Prisma, type PurchaseOrderStatus, type RunStatus, type RunTrigger, type SuggestionAction } from "@prisma/client";
import { addDays, fromDayNumber, toDayNumber } from "#app/domain/shared/day.ts";
import { lineTotalCents, toPriceUnits, type Cents, type Flag, type IsoDay, type PriceUnits } from "#app/domain/reorder/index.ts";
import { prisma } from "#app/db.server.ts";
import { forShop } from "#app/models/scoped-db.server.ts";
import { currentPlanRuns } from "#app/models/current-plan-runs.server.ts";

/**
 * Reads of the engine's stored results for the admin. "Latest" is per SKU × location: a nightly run plans
 * the whole catalogue and later stock-change runs re-plan single SKUs, so the current advice for a SKU is
 * its newest suggestion from any run that did not fail, not "the suggestions of the last run".
 */

interface LatestRow {
  id: string;
  runId: string;
  skuId: string;
  locationId: string;
  supplierId: string | null;
  action: SuggestionAction;
  quantity: number;
  unitCost: string | null;
  flags: string[];
  daysLeft: string | null;
  stockoutDate: Date | string | null;
}

/** Raw SQL (DISTINCT ON has no Prisma equivalent), hence the explicit shopId. */
async function latestRows(shopId: string, filter: { supplierId?: string; skuId?: string; purchasesOnly?: boolean }): Promise<LatestRow[]> {
  return prisma.$queryRaw<LatestRow[]>(Prisma.sql`
    SELECT * FROM (
      SELECT DISTINCT ON (s."skuId", s."locationId")
             s."id", s."runId", s."skuId", s."locationId", s."supplierId", s."action"::text AS action, s."quantity",
             s."unitCost"::text AS "unitCost", s."flags", s."daysLeft"::text AS "daysLeft", s."stockoutDate"
      FROM "ReorderSuggestion" s JOIN "ReorderRun" r ON r."id" = s."runId" AND r."shopId" = s."shopId"
      WHERE s."shopId" = ${shopId} AND r."status" <> 'FAILED' AND ${currentPlanRuns(shopId)}
        ${filter.skuId ? Prisma.sql`AND s."skuId" = ${filter.skuId}` : Prisma.empty}
      ORDER BY s."skuId", s."locationId", r."startedAt" DESC, s."createdAt" DESC, s."id" DESC
    ) latest
    WHERE TRUE
      ${filter.supplierId ? Prisma.sql`AND latest."supplierId" = ${filter.supplierId}` : Prisma.empty}
      ${filter.purchasesOnly ? Prisma.sql`AND latest."action" = 'PURCHASE' AND latest."quantity" > 0` : Prisma.empty}`);
}

export interface SupplierSuggestionLine {
  id: string;
  runId: string;
  skuId: string;
  locationId: string;
  action: SuggestionAction;
  quantity: number;
  unitCost: Prisma.Decimal | null;
  flags: Flag[];
  /** The mean lead time the plan used (a SKU's override included); null in a suggestion stored without it. */
  leadTimeDays: number | null;
}

/** The current advice of every SKU × location that chose this supplier (with its flags' sentences). */
export async function latestSuggestionsForSupplier(shopId: string, supplierId: string): Promise<SupplierSuggestionLine[]> {
  const rows = await latestRows(shopId, { supplierId });
  if (rows.length === 0) return [];
  const details = await forShop(shopId).reorderSuggestion.findMany({ where: { id: { in: rows.map((r) => r.id) } }, select: { id: true, explanation: true } });
  const flagsById = new Map(details.map((d) => [d.id, flagsOf(d.explanation)]));
  const leadTimeById = new Map(details.map((d) => [d.id, leadTimeDaysOf(d.explanation)]));
  return rows
    .map((r) => ({
      id: r.id, runId: r.runId, skuId: r.skuId, locationId: r.locationId, action: r.action, quantity: r.quantity,
      unitCost: r.unitCost === null ? null : new Prisma.Decimal(r.unitCost), flags: flagsById.get(r.id) ?? [], leadTimeDays: leadTimeById.get(r.id) ?? null,
    }))
    .sort((a, b) => (a.skuId === b.skuId ? (a.locationId < b.locationId ? -1 : 1) : a.skuId < b.skuId ? -1 : 1));
}

function leadTimeDaysOf(explanation: Prisma.JsonValue): number | null {
  if (typeof explanation !== "object" || explanation === null || Array.isArray(explanation)) return null;
  const leadTime = explanation.leadTime;
  if (typeof leadTime !== "object" || leadTime === null || Array.isArray(leadTime)) return null;
  return typeof leadTime.meanDays === "number" && Number.isFinite(leadTime.meanDays) && leadTime.meanDays >= 0 ? leadTime.meanDays : null;
}

function flagsOf(explanation: Prisma.JsonValue): Flag[] {
  if (typeof explanation !== "object" || explanation === null || Array.isArray(explanation) || !Array.isArray(explanation.flags)) return [];
  return explanation.flags.filter(
    (f): f is { code: string; message: string } => typeof f === "object" && f !== null && !Array.isArray(f) && typeof f.code === "string" && typeof f.message === "string",
  ) as Flag[];
}

// ───────────────────────────── Reorder by supplier ─────────────────────────────

export interface SupplierReorderRow {
  supplierId: string;
  name: string;
  currency: string;
  lineCount: number;
  flaggedLineCount: number;
  units: number;
  /** Σ quantity × unit cost, each line rounded to the cent once (as on the PO). */
  value: Cents;
  /** The supplier's open drafts made from suggestions: one per ship-to location, by location name. */
  drafts: { id: string; number: string; status: PurchaseOrderStatus; total: Cents; locationName: string }[];
}

export interface LatestRunInfo {
  id: string;
  asOf: IsoDay;
  trigger: RunTrigger;
  status: RunStatus;
  startedAt: Date;
  finishedAt: Date | null;
  skuCount: number;
  suggestionCount: number;
  error: string | null;
  /**
   * When the latest run re-planned only the SKUs whose stock moved: the last whole-shop run (nightly or
   * manual) and how many SKUs stock-change runs have re-planned since. The Reorder page lists the latest
   * advice for every SKU, so "3 SKUs" from the last stock-change run alone would misdescribe it.
   */
  wholeShop: { asOf: IsoDay; trigger: RunTrigger; status: RunStatus; skuCount: number; suggestionCount: number; skusReplannedSince: number } | null;
}

const NEWEST_RUN_FIRST = [{ startedAt: "desc" }, { id: "desc" }] satisfies Prisma.ReorderRunOrderByWithRelationInput[];

/**
 * The latest run that planned every SKU (nightly or by hand), not a stock-change run that re-planned the
 * few whose stock moved: that is the plan the merchant acts on. Its parameters (the catalogue figures) are
 * left out; they can be large and no summary shows them.
 */
export async function latestWholeShopRun(shopId: string) {
  return forShop(shopId).reorderRun.findFirst({ where: { trigger: { not: "STOCK_CHANGE" } }, orderBy: NEWEST_RUN_FIRST, omit: { parameters: true } });
}

export async function getLatestRun(shopId: string): Promise<LatestRunInfo | null> {
  const db = forShop(shopId);
  const run = await db.reorderRun.findFirst({ orderBy: NEWEST_RUN_FIRST, omit: { parameters: true } });
  if (!run) return null;
  let wholeShop: LatestRunInfo["wholeShop"] = null;
  if (run.trigger === "STOCK_CHANGE") {
    const whole = await latestWholeShopRun(shopId);
    if (whole) {
      const replanned = await db.reorderSuggestion.findMany({
        where: { run: { trigger: "STOCK_CHANGE", status: "COMPLETED", startedAt: { gt: whole.startedAt } } }, distinct: ["skuId"], select: { skuId: true },
      });
      wholeShop = {
        asOf: fromDayNumber(toDayNumber(whole.asOf)), trigger: whole.trigger, status: whole.status, skuCount: whole.skuCount, suggestionCount: whole.suggestionCount,
        skusReplannedSince: replanned.length,
      };
    }
  }
  return {
    id: run.id, asOf: fromDayNumber(toDayNumber(run.asOf)), trigger: run.trigger, status: run.status, startedAt: run.startedAt, finishedAt: run.finishedAt,
    skuCount: run.skuCount, suggestionCount: run.suggestionCount, error: run.error, wholeShop,
  };
}

export async function listReorderBySupplier(shopId: string): Promise<SupplierReorderRow[]> {
  const db = forShop(shopId);
  const rows = await latestRows(shopId, { purchasesOnly: true });
  const bySupplier = new Map<string, { lines: number; flagged: number; units: number; value: Cents }>();
  for (const r of rows) {
    if (!r.supplierId || r.unitCost === null) continue;
    const agg = bySupplier.get(r.supplierId) ?? { lines: 0, flagged: 0, units: 0, value: 0 };
    agg.lines += 1;
    if (r.flags.length > 0) agg.flagged += 1;
    agg.units += r.quantity;
    agg.value += lineTotalCents(r.quantity, toPriceUnits(r.unitCost));
    bySupplier.set(r.supplierId, agg);
  }
  const ids = [...bySupplier.keys()];
  if (ids.length === 0) return [];
  const [suppliers, drafts] = await Promise.all([
    db.supplier.findMany({ where: { id: { in: ids } }, select: { id: true, name: true, currency: true } }),
    db.purchaseOrder.findMany({
      where: { supplierId: { in: ids }, reorderRunId: { not: null }, status: { in: ["DRAFT", "AWAITING_APPROVAL"] }, approvedAt: null, sentAt: null },
      select: { id: true, number: true, status: true, total: true, supplierId: true, location: { select: { name: true } } },
      orderBy: [{ location: { name: "asc" } }, { createdAt: "desc" }],
    }),
  ]);
  const draftsBySupplier = new Map<string, (typeof drafts)[number][]>();
  for (const d of drafts) draftsBySupplier.set(d.supplierId, [...(draftsBySupplier.get(d.supplierId) ?? []), d]);
  return suppliers
    .map((s): SupplierReorderRow => {
      const agg = bySupplier.get(s.id) as { lines: number; flagged: number; units: number; value: Cents };
      const own = draftsBySupplier.get(s.id) ?? [];
      return {
        supplierId: s.id, name: s.name, currency: s.currency, lineCount: agg.lines, flaggedLineCount: agg.flagged, units: agg.units, value: agg.value,
        drafts: own.map((d) => ({ id: d.id, number: d.number, status: d.status, total: decimalToCents(d.total), locationName: d.location.name })),
      };
    })
    .sort((a, b) => b.value - a.value || a.name.localeCompare(b.name));
}

export interface SupplierLineView {
  suggestionId: string;
  skuId: string;
  code: string;
  title: string;
  locationName: string;
  quantity: number;
  unitCost: PriceUnits;
  lineTotal: Cents;
  daysLeft: number | null;
  stockoutDate: IsoDay | null;
  flags: Flag[];
}

/** Drill-down: the SKU lines behind a supplier's figure, most urgent first. */
export async function listSupplierReorderLines(shopId: string, supplierId: string): Promise<{ supplier: { id: string; name: string; currency: string } | null; lines: SupplierLineView[] }> {
  const db = forShop(shopId);
  const supplier = await db.supplier.findUnique({ where: { id: supplierId }, select: { id: true, name: true, currency: true } });
  if (!supplier) return { supplier: null, lines: [] };
  const latest = (await latestSuggestionsForSupplier(shopId, supplierId)).filter((l) => l.action === "PURCHASE" && l.quantity > 0 && l.unitCost !== null);
  const rows = await latestRows(shopId, { supplierId, purchasesOnly: true });
  const rowById = new Map(rows.map((r) => [r.id, r]));
  const [skus, locations] = await Promise.all([
    db.sku.findMany({ where: { id: { in: latest.map((l) => l.skuId) } }, select: { id: true, code: true, title: true } }),
    db.location.findMany({ select: { id: true, name: true } }),
  ]);
  const skuById = new Map(skus.map((s) => [s.id, s]));
  const locationById = new Map(locations.map((l) => [l.id, l.name]));
  const lines = latest.map((l): SupplierLineView => {
    const unitCost = toPriceUnits((l.unitCost as Prisma.Decimal).toString());
    const row = rowById.get(l.id);
    return {
      suggestionId: l.id, skuId: l.skuId, code: skuById.get(l.skuId)?.code ?? l.skuId, title: skuById.get(l.skuId)?.title ?? "",
      locationName: locationById.get(l.locationId) ?? l.locationId, quantity: l.quantity, unitCost, lineTotal: lineTotalCents(l.quantity, unitCost),
      daysLeft: row?.daysLeft ? Number(row.daysLeft) : null, stockoutDate: row?.stockoutDate ? fromDayNumber(toDayNumber(row.stockoutDate)) : null, flags: l.flags,
    };
  });
  lines.sort((a, b) => (a.stockoutDate ?? "9999") .localeCompare(b.stockoutDate ?? "9999") || a.code.localeCompare(b.code));
  return { supplier, lines };
}

// ───────────────────────────── SKU detail ─────────────────────────────

export interface SkuSuggestionView {
  id: string;
  runId: string;
  createdAt: Date;
  locationId: string;
  locationName: string;
  action: SuggestionAction;
  quantity: number;
  supplierName: string | null;
  unitCost: PriceUnits | null;
  dailyForecast: number;
  safetyStock: number;
  reorderPoint: number;
  targetStock: number;
  stockPosition: number;
  daysLeft: number | null;
  stockoutDate: IsoDay | null;
  abcClass: string | null;
  flags: Flag[];
  explanationText: string;
  /** Every number the engine stored, for the numbers table. */
  explanation: Prisma.JsonValue;
  purchaseOrder: { id: string; number: string; status: PurchaseOrderStatus } | null;
}

export interface SkuReorderDetail {
  sku: { id: string; code: string; title: string; variantTitle: string | null; status: string; price: PriceUnits | null; cost: PriceUnits | null };
  currency: string;
  levels: { locationId: string; locationName: string; onHand: number; committed: number }[];
  suggestions: SkuSuggestionView[];
  /** Units sold per day for the chart, oldest first, at the chosen location (or all locations). */
  history: { startDay: IsoDay; units: number[]; outOfStock: boolean[] };
}

export const SKU_CHART_HISTORY_DAYS = 90;

export async function getSkuReorderDetail(shopId: string, skuId: string, options: { asOf: IsoDay; locationId?: string }): Promise<SkuReorderDetail | null> {
  const db = forShop(shopId);
  const sku = await db.sku.findUnique({
    where: { id: skuId },
    select: { id: true, code: true, title: true, variantTitle: true, status: true, price: true, cost: true, shop: { select: { currency: true } } },
  });
  if (!sku) return null;
  const latest = await latestRows(shopId, { skuId });
  const startDay = addDays(options.asOf, -SKU_CHART_HISTORY_DAYS);
  const [rows, levels, locations, demand] = await Promise.all([
    db.reorderSuggestion.findMany({
      where: { id: { in: latest.map((l) => l.id) } },
      include: { supplier: { select: { name: true } }, purchaseOrder: { select: { id: true, number: true, status: true } } },
    }),
    db.inventoryLevel.findMany({ where: { skuId }, select: { locationId: true, onHand: true, committed: true } }),
    db.location.findMany({ select: { id: true, name: true } }),
    db.dailyDemand.findMany({
      where: { skuId, day: { gte: new Date(`${startDay}T00:00:00.000Z`), lt: new Date(`${options.asOf}T00:00:00.000Z`) }, ...(options.locationId ? { locationId: options.locationId } : {}) },
      select: { day: true, units: true, outOfStock: true },
    }),
  ]);
  const locationName = new Map(locations.map((l) => [l.id, l.name]));
  const units = new Array<number>(SKU_CHART_HISTORY_DAYS).fill(0);
  const outOfStock = new Array<boolean>(SKU_CHART_HISTORY_DAYS).fill(false);
  const start = toDayNumber(startDay);
  for (const d of demand) {
    const i = toDayNumber(d.day) - start;
    if (i < 0 || i >= SKU_CHART_HISTORY_DAYS) continue;
    units[i] = (units[i] ?? 0) + d.units;
    if (d.outOfStock) outOfStock[i] = true;
  }
  const num = (d: Prisma.Decimal) => Number(d.toString());
  return {
    sku: {
      id: sku.id, code: sku.code, title: sku.title, variantTitle: sku.variantTitle, status: sku.status,
      price: sku.price === null ? null : toPriceUnits(sku.price.toString()), cost: sku.cost === null ? null : toPriceUnits(sku.cost.toString()),
    },
    currency: sku.shop.currency,
    levels: levels.map((l) => ({ ...l, locationName: locationName.get(l.locationId) ?? l.locationId })).sort((a, b) => a.locationName.localeCompare(b.locationName)),
    suggestions: rows
      .map((r): SkuSuggestionView => ({
        id: r.id, runId: r.runId, createdAt: r.createdAt, locationId: r.locationId, locationName: locationName.get(r.locationId) ?? r.locationId, action: r.action,
        quantity: r.quantity, supplierName: r.supplier?.name ?? null, unitCost: r.unitCost === null ? null : toPriceUnits(r.unitCost.toString()),
        dailyForecast: num(r.dailyForecast), safetyStock: num(r.safetyStock), reorderPoint: num(r.reorderPoint), targetStock: num(r.targetStock),
        stockPosition: r.stockPosition, daysLeft: r.daysLeft === null ? null : num(r.daysLeft),
        stockoutDate: r.stockoutDate ? fromDayNumber(toDayNumber(r.stockoutDate)) : null, abcClass: r.abcClass, flags: flagsOf(r.explanation),
        explanationText: r.explanationText, explanation: r.explanation, purchaseOrder: r.purchaseOrder,
      }))
      .sort((a, b) => a.locationName.localeCompare(b.locationName)),
    history: { startDay, units, outOfStock },
  };
}

function decimalToCents(d: Prisma.Decimal): Cents {
  return d.times(100).toDecimalPlaces(0, Prisma.Decimal.ROUND_HALF_UP).toNumber();
}

/** The calendar day it is in the shop's time zone: the SKU page charts up to the shop's "today". */
export function shopLocalDay(timeZone: string, at: Date): IsoDay {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")}`;
}
