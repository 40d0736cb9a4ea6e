import { Prisma } from "@prisma/client";
import {
  analyseOverstock, OVERSTOCK_RATE_WINDOW_DAYS, overstockRateWindow, overstockTotals, type OverstockRow, type OverstockSalesSeries, type OverstockSettings, type OverstockSkuInput,
} from "#app/domain/reports/overstock.ts";
import { addDays, fromDayNumber, toDayNumber, type DayNumber, type IsoDay } from "#app/domain/shared/day.ts";
import { prisma } from "#app/db.server.ts";
import { forShop } from "#app/models/scoped-db.server.ts";

/** Loads what the overstock analysis needs for one shop and day (one query per concern), and runs it. */

const RATE_WINDOW_DAYS = OVERSTOCK_RATE_WINDOW_DAYS;
const WEEKS = 52;
const RETURN_WINDOW_DAYS = 90;
const BUNDLE_WINDOW_DAYS = 365;
const dateOf = (day: IsoDay): Date => new Date(`${day}T00:00:00.000Z`);

export interface OverstockReport {
  asOf: IsoDay;
  currency: string;
  settings: OverstockSettings;
  rows: OverstockRow[];
  totals: { skus: number; dead: number; excessValue: number; carryingCostPerMonth: number };
}

export async function loadOverstockReport(shopId: string, asOfInput: Date | IsoDay): Promise<OverstockReport> {
  const db = forShop(shopId);
  const asOf = fromDayNumber(toDayNumber(asOfInput));
  const shop = await prisma.shop.findUnique({ where: { id: shopId }, include: { settings: true } });
  if (!shop) throw new Error(`shop ${shopId} not found`);
  const settings = overstockSettingsOf(shop.settings);
  const weeksStart = addDays(asOf, -7 * WEEKS);
  const [skus, levels, sales, weekly, received] = await Promise.all([
    db.sku.findMany({
      where: { isKit: false },
      select: {
        id: true, code: true, title: true, variantTitle: true, status: true, price: true, cost: true,
        supplierProducts: { select: { unitCost: true, supplier: { select: { name: true } } }, orderBy: [{ isPreferred: "desc" }, { unitCost: "asc" }] },
      },
    }),
    // Units held: positive balances only (an oversold location holds nothing), as the dashboard counts them.
    db.inventoryLevel.findMany({ where: { onHand: { gt: 0 } }, select: { skuId: true, onHand: true } }),
    prisma.$queryRaw<{ skuId: string; recent: number; last: Date | string | null; first: Date | string | null }[]>(Prisma.sql`
      SELECT "skuId",
             COALESCE(SUM("units") FILTER (WHERE "day" >= ${addDays(asOf, -RATE_WINDOW_DAYS)}::date), 0)::int AS recent,
             MAX("day") FILTER (WHERE "units" > 0) AS last, MIN("day") FILTER (WHERE "units" > 0) AS first
      FROM "DailyDemand" WHERE "shopId" = ${shopId} AND "day" < ${asOf}::date
      GROUP BY "skuId"`),
    prisma.$queryRaw<{ skuId: string; units: number[]; revenue: string[] }[]>(Prisma.sql`
      SELECT "skuId", array_agg(units ORDER BY w) AS units, array_agg(revenue::text ORDER BY w) AS revenue
      FROM (SELECT "skuId", (("day" - ${weeksStart}::date) / 7) AS w, SUM("units")::int AS units, SUM("revenue") AS revenue
            FROM "DailyDemand" WHERE "shopId" = ${shopId} AND "day" >= ${weeksStart}::date AND "day" < ${asOf}::date
            GROUP BY 1, 2) x
      GROUP BY "skuId"`),
    prisma.$queryRaw<{ skuId: string; units: number }[]>(Prisma.sql`
      SELECT l."skuId", SUM(l."quantityReceived")::int AS units
      FROM "ReceiptLine" l JOIN "Receipt" r ON r."id" = l."receiptId"
      WHERE l."shopId" = ${shopId} AND r."purchaseOrderId" IS NOT NULL AND r."status" = 'POSTED'
        AND r."receivedAt" >= ${dateOf(addDays(asOf, -RETURN_WINDOW_DAYS))} AND r."receivedAt" < ${dateOf(asOf)}
      GROUP BY l."skuId"`),
  ]);
  const onHand = new Map<string, number>();
  for (const l of levels) onHand.set(l.skuId, (onHand.get(l.skuId) ?? 0) + l.onHand);
  const sale = new Map(sales.map((s) => [s.skuId, s]));
  const weeks = new Map(weekly.map((w) => [w.skuId, w]));
  const recv = new Map(received.map((r) => [r.skuId, r.units]));
  const asOfNumber = toDayNumber(asOf);

  const inputs: OverstockSkuInput[] = skus.map((s) => {
    const sl = sale.get(s.id);
    const offer = s.supplierProducts[0];
    const sinceFirst = sl?.first ? asOfNumber - toDayNumber(sl.first) : null;
    const w = weeks.get(s.id);
    return {
      skuId: s.id,
      code: s.code,
      title: s.variantTitle ? `${s.title} — ${s.variantTitle}` : s.title,
      seasonal: s.status === "SEASONAL",
      onHand: onHand.get(s.id) ?? 0,
      unitCost: Number(offer?.unitCost ?? s.cost ?? 0),
      price: Number(s.price ?? 0),
      recentUnits: sl?.recent ?? 0,
      rateWindowDays: overstockRateWindow(sinceFirst),
      daysSinceLastSale: sl?.last ? asOfNumber - toDayNumber(sl.last) : null,
      weeks: w ? w.units.map((u, i) => ({ units: u, revenue: Number(w.revenue[i] ?? 0) })) : [],
      recentlyReceived: recv.get(s.id) ?? 0,
      supplierName: offer?.supplier.name ?? null,
      bundlePartner: null,
    };
  });
  // Bundle partners only for the SKUs that need them: the co-purchase count is the expensive query.
  const candidates = analyseOverstock(inputs, settings).map((r) => r.skuId);
  if (candidates.length > 0) {
    const partners = await prisma.$queryRaw<{ skuId: string; partner: string }[]>(Prisma.sql`
      SELECT DISTINCT ON (a."skuId") a."skuId", s."code" || ' ' || s."title" AS partner
      FROM "SalesOrderLine" a
      JOIN "SalesOrderLine" b ON b."orderId" = a."orderId" AND b."skuId" IS NOT NULL AND b."skuId" <> a."skuId"
      JOIN "SalesOrder" o ON o."id" = a."orderId"
      JOIN "Sku" s ON s."id" = b."skuId"
      WHERE a."shopId" = ${shopId} AND a."skuId" = ANY(${candidates}::text[])
        AND o."placedAt" >= ${dateOf(addDays(asOf, -BUNDLE_WINDOW_DAYS))} AND o."placedAt" < ${dateOf(asOf)}
      GROUP BY a."skuId", b."skuId", s."code", s."title"
      ORDER BY a."skuId", count(*) DESC, s."code"`);
    const byId = new Map(partners.map((p) => [p.skuId, p.partner]));
    for (const input of inputs) input.bundlePartner = byId.get(input.skuId) ?? null;
  }
  const rows = analyseOverstock(inputs, settings);
  return {
    asOf,
    currency: shop.currency,
    settings,
    rows,
    totals: overstockTotals(rows),
  };
}

function overstockSettingsOf(row: { overstockDays: number; overstockDaysSeasonal: number; deadStockDays: number; carryingCostPctYear: Prisma.Decimal } | null): OverstockSettings {
  return {
    overstockDays: row?.overstockDays ?? 90,
    overstockDaysSeasonal: row?.overstockDaysSeasonal ?? 60,
    deadStockDays: row?.deadStockDays ?? 90,
    carryingCostPctYear: Number(row?.carryingCostPctYear ?? 0.25),
  };
}

/**
 * What the daily snapshot needs to apply the report's overstock definition on each day from `fromDay` to
 * `toDay` (shop days): the settings, and per non-kit SKU its unit cost (as the report prices it) and its
 * selling days over the longest window the definition looks back.
 */
export async function loadOverstockSeries(shopId: string, fromDay: DayNumber, toDay: DayNumber): Promise<{ settings: OverstockSettings; series: OverstockSalesSeries[] }> {
  const db = forShop(shopId);
  const row = await db.shopSettings.findFirst({ select: { overstockDays: true, overstockDaysSeasonal: true, deadStockDays: true, carryingCostPctYear: true } });
  const settings = overstockSettingsOf(row);
  const since = fromDayNumber(fromDay - Math.max(RATE_WINDOW_DAYS, settings.deadStockDays));
  const [skus, sales] = await Promise.all([
    db.sku.findMany({
      where: { isKit: false },
      select: { id: true, status: true, cost: true, supplierProducts: { select: { unitCost: true }, orderBy: [{ isPreferred: "desc" }, { unitCost: "asc" }], take: 1 } },
    }),
    prisma.$queryRaw<{ skuId: string; first: Date | string | null; days: (Date | string)[] | null; units: number[] | null; sold: boolean[] | null }[]>(Prisma.sql`
      SELECT "skuId", MIN("day") FILTER (WHERE sold) AS first,
             array_agg("day" ORDER BY "day") FILTER (WHERE "day" >= ${since}::date) AS days,
             array_agg(units ORDER BY "day") FILTER (WHERE "day" >= ${since}::date) AS units,
             array_agg(sold ORDER BY "day") FILTER (WHERE "day" >= ${since}::date) AS sold
      FROM (SELECT "skuId", "day", SUM("units")::int AS units, bool_or("units" > 0) AS sold FROM "DailyDemand"
            WHERE "shopId" = ${shopId} AND "units" <> 0 AND "day" <= ${fromDayNumber(toDay)}::date GROUP BY 1, 2) d
      GROUP BY "skuId"`),
  ]);
  const bySku = new Map(sales.map((s) => [s.skuId, s]));
  return {
    settings,
    series: skus.map((s) => {
      const sl = bySku.get(s.id);
      return {
        skuId: s.id,
        seasonal: s.status === "SEASONAL",
        unitCost: Number(s.supplierProducts[0]?.unitCost ?? s.cost ?? 0),
        firstSaleDay: sl?.first ? toDayNumber(sl.first) : null,
        saleDays: (sl?.days ?? []).map((d) => toDayNumber(d)),
        saleUnits: sl?.units ?? [],
        sold: sl?.sold ?? [],
      };
    }),
  };
}
