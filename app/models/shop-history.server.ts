import { Prisma } from "@prisma/client";
import { addDays, fromDayNumber, toDayNumber, type IsoDay } from "#app/domain/shared/day.ts";
import { lateFactorOf, SHOP_HISTORY_FORMAT, type ShopHistory, type ShopHistorySku, type ShopHistorySupplier } from "#app/domain/reports/shop-history.ts";
import { prisma } from "#app/db.server.ts";
import { forShop } from "#app/models/scoped-db.server.ts";

/**
 * Exports a shop's own history as the trust report's input (app/domain/reports/shop-history.ts): the
 * last `historyDays` days before `asOf` of every sellable SKU that sold in that window and has a supplier.
 * Demand and stock are pooled over locations (the simulator holds one stock per SKU). One query per
 * concern; the daily series are aggregated into arrays by Postgres.
 */

export interface ShopHistoryOptions {
  /** Days of history, ending the day before asOf (default 365: 90 days of warm-up, then 275 simulated). */
  historyDays?: number;
  warmupDays?: number;
  seed?: number;
}

export const DEFAULT_TRUST_HISTORY_DAYS = 365;
export const DEFAULT_TRUST_WARMUP_DAYS = 90;
/** Received POs this old still describe a supplier's lead time (as the engine's loader). */
const LEAD_TIME_HISTORY_DAYS = 730;

const dateOf = (day: IsoDay): Date => new Date(`${day}T00:00:00.000Z`);

export async function exportShopHistory(shopId: string, asOfInput: Date | IsoDay, options: ShopHistoryOptions = {}): Promise<ShopHistory> {
  const db = forShop(shopId);
  const asOf = fromDayNumber(toDayNumber(asOfInput));
  const days = options.historyDays ?? DEFAULT_TRUST_HISTORY_DAYS;
  const firstDay = addDays(asOf, -days);
  const shop = await prisma.shop.findUnique({ where: { id: shopId }, include: { settings: true } });
  if (!shop) throw new Error(`shop ${shopId} not found`);
  const tz = shop.timezone;

  const [skuRows, demandRows, lineRows, openingRows, movementRows, poRows] = await Promise.all([
    db.sku.findMany({
      where: { isKit: false, status: { in: ["ACTIVE", "SEASONAL"] } },
      select: {
        id: true, code: true, price: true, cost: true,
        supplierProducts: { select: { supplierId: true, unitCost: true, isPreferred: true }, orderBy: [{ isPreferred: "desc" }, { unitCost: "asc" }, { supplierId: "asc" }] },
      },
      orderBy: { code: "asc" },
    }),
    prisma.$queryRaw<{ skuId: string; idx: number[]; units: number[] }[]>(Prisma.sql`
      SELECT "skuId", array_agg(idx ORDER BY idx) AS idx, array_agg(units ORDER BY idx) AS units
      FROM (SELECT "skuId", ("day" - ${firstDay}::date)::int AS idx, SUM("units")::int AS units
            FROM "DailyDemand" WHERE "shopId" = ${shopId} AND "day" >= ${firstDay}::date AND "day" < ${asOf}::date
            GROUP BY "skuId", "day") d
      GROUP BY "skuId"`),
    // One line per customer order and SKU (net of cancellations), on the shop's local day, as DailyDemand counts it.
    prisma.$queryRaw<{ skuId: string; idx: number[]; qty: number[] }[]>(Prisma.sql`
      SELECT "skuId", array_agg(idx ORDER BY idx, "orderId") AS idx, array_agg(qty ORDER BY idx, "orderId") AS qty
      FROM (
        SELECT l."skuId", o."id" AS "orderId",
               (((o."placedAt" AT TIME ZONE 'UTC') AT TIME ZONE ${tz})::date - ${firstDay}::date)::int AS idx,
               SUM(l."quantity" - l."cancelledQuantity")::int AS qty
        FROM "SalesOrderLine" l JOIN "SalesOrder" o ON o."id" = l."orderId" AND o."shopId" = l."shopId"
        WHERE l."shopId" = ${shopId} AND l."skuId" IS NOT NULL AND o."cancelledAt" IS NULL
          AND o."placedAt" >= ${dateOf(addDays(firstDay, -1))} AND o."placedAt" < ${dateOf(addDays(asOf, 1))}
        GROUP BY l."skuId", o."id", idx
      ) per_order
      WHERE qty > 0 AND idx >= 0 AND idx < ${days}
      GROUP BY "skuId"`),
    // Stock before the window's first local day, then each local day's net movement: start-of-day stock.
    prisma.$queryRaw<{ skuId: string; qty: number }[]>(Prisma.sql`
      SELECT "skuId", SUM("quantity")::int AS qty FROM "InventoryMovement"
      WHERE "shopId" = ${shopId} AND ((("occurredAt" AT TIME ZONE 'UTC') AT TIME ZONE ${tz})::date) < ${firstDay}::date
      GROUP BY "skuId"`),
    prisma.$queryRaw<{ skuId: string; idx: number[]; qty: number[] }[]>(Prisma.sql`
      SELECT "skuId", array_agg(idx ORDER BY idx) AS idx, array_agg(qty ORDER BY idx) AS qty
      FROM (SELECT "skuId", ((("occurredAt" AT TIME ZONE 'UTC') AT TIME ZONE ${tz})::date - ${firstDay}::date)::int AS idx, SUM("quantity")::int AS qty
            FROM "InventoryMovement"
            WHERE "shopId" = ${shopId} AND "occurredAt" >= ${dateOf(addDays(firstDay, -1))} AND "occurredAt" < ${dateOf(addDays(asOf, 1))}
            GROUP BY 1, 2) m
      WHERE idx >= 0 AND idx < ${days}
      GROUP BY "skuId"`),
    db.purchaseOrder.findMany({
      where: { status: { not: "CANCELLED" }, sentAt: { not: null, gte: dateOf(addDays(firstDay, -LEAD_TIME_HISTORY_DAYS + days)), lt: dateOf(asOf) } },
      select: { supplierId: true, sentAt: true, receivedAt: true, subtotal: true },
      orderBy: { sentAt: "asc" },
    }),
  ]);

  const demand = new Map(demandRows.map((r) => [r.skuId, r]));
  const lines = new Map(lineRows.map((r) => [r.skuId, r]));
  const opening = new Map(openingRows.map((r) => [r.skuId, r.qty]));
  const moves = new Map(movementRows.map((r) => [r.skuId, r]));

  const supplierIndex = new Map<string, number>();
  const skus: ShopHistorySku[] = [];
  for (const sku of skuRows) {
    const offer = sku.supplierProducts[0];
    const d = demand.get(sku.id);
    if (!offer || !d || d.units.every((u) => u <= 0)) continue;
    const dailyUnits = new Array<number>(days).fill(0);
    d.idx.forEach((i, j) => (dailyUnits[i] = Math.max(0, d.units[j] ?? 0)));
    const l = lines.get(sku.id);
    const orderLines: [number, number][] = l ? l.idx.map((i, j) => [i, l.qty[j] ?? 0]) : [];
    const delta = new Array<number>(days).fill(0);
    const m = moves.get(sku.id);
    m?.idx.forEach((i, j) => (delta[i] = m.qty[j] ?? 0));
    const startStock = new Array<number>(days);
    let stock = opening.get(sku.id) ?? 0;
    for (let t = 0; t < days; t++) {
      startStock[t] = stock;
      stock += delta[t] ?? 0;
    }
    if (!supplierIndex.has(offer.supplierId)) supplierIndex.set(offer.supplierId, supplierIndex.size);
    skus.push({
      skuId: sku.id, code: sku.code, unitCost: Number(offer.unitCost), sellPrice: Number(sku.price ?? 0),
      supplier: supplierIndex.get(offer.supplierId) as number, dailyUnits, orderLines, startStock,
    });
  }

  const supplierRows = await db.supplier.findMany({ where: { id: { in: [...supplierIndex.keys()] } }, select: { id: true, name: true, leadTimeDays: true } });
  const byId = new Map(supplierRows.map((s) => [s.id, s]));
  const suppliers: ShopHistorySupplier[] = [...supplierIndex.keys()].map((id) => ({
    supplierId: id,
    name: byId.get(id)?.name ?? id,
    quotedDays: byId.get(id)?.leadTimeDays ?? 14,
    leadTimes: poRows
      .filter((p) => p.supplierId === id && p.sentAt && p.receivedAt && p.receivedAt < dateOf(asOf))
      .map((p) => toDayNumber(p.receivedAt as Date) - toDayNumber(p.sentAt as Date)),
  }));
  const firstNumber = toDayNumber(firstDay);
  const purchaseOrders = poRows
    .filter((p) => p.sentAt && p.sentAt >= dateOf(firstDay))
    .map((p) => ({ day: toDayNumber(p.sentAt as Date) - firstNumber, value: Number(p.subtotal) }));

  return {
    format: SHOP_HISTORY_FORMAT,
    shopDomain: shop.domain,
    currency: shop.currency,
    firstDay,
    asOf,
    days,
    scenario: {
      seed: options.seed ?? 1,
      warmupDays: options.warmupDays ?? DEFAULT_TRUST_WARMUP_DAYS,
      reviewDays: shop.settings?.reviewCadenceDays ?? 1,
      holdingCostRate: Number(shop.settings?.carryingCostPctYear ?? 0.25),
      deadStockDays: shop.settings?.deadStockDays ?? 90,
      lateFactor: lateFactorOf(suppliers),
    },
    suppliers,
    skus,
    purchaseOrders,
  };
}
