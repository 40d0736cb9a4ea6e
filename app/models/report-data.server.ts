import { Prisma } from "@prisma/client";
import type { AbcSkuInput } from "#app/domain/reports/abc-velocity.ts";
import type { ScorecardInput } from "#app/domain/reports/supplier-scorecard.ts";
import { addDays, fromDayNumber, toDayNumber, type IsoDay } from "#app/domain/shared/day.ts";
import { prisma } from "#app/db.server.ts";
import { forShop } from "#app/models/scoped-db.server.ts";

/** Inputs of the ABC/velocity report and the supplier scorecards, one query per concern. */

const dateOf = (day: IsoDay): Date => new Date(`${day}T00:00:00.000Z`);

export async function loadAbcInputs(shopId: string, asOfInput: Date | IsoDay): Promise<AbcSkuInput[]> {
  const asOf = fromDayNumber(toDayNumber(asOfInput));
  const [skus, sums] = await Promise.all([
    forShop(shopId).sku.findMany({ where: { isKit: false }, select: { id: true, code: true, title: true, variantTitle: true } }),
    prisma.$queryRaw<{ skuId: string; revenue: string; units365: number; units90: number; units30: number }[]>(Prisma.sql`
      SELECT "skuId", SUM("revenue")::text AS revenue, SUM("units")::int AS units365,
             COALESCE(SUM("units") FILTER (WHERE "day" >= ${addDays(asOf, -90)}::date), 0)::int AS units90,
             COALESCE(SUM("units") FILTER (WHERE "day" >= ${addDays(asOf, -30)}::date), 0)::int AS units30
      FROM "DailyDemand" WHERE "shopId" = ${shopId} AND "day" >= ${addDays(asOf, -365)}::date AND "day" < ${asOf}::date
      GROUP BY "skuId"`),
  ]);
  const by = new Map(sums.map((s) => [s.skuId, s]));
  return skus.map((s) => {
    const x = by.get(s.id);
    return {
      skuId: s.id, code: s.code, title: s.variantTitle ? `${s.title} — ${s.variantTitle}` : s.title,
      revenue365: Number(x?.revenue ?? 0), units365: x?.units365 ?? 0, units90: x?.units90 ?? 0, units30: x?.units30 ?? 0,
    };
  });
}

/** Suppliers' POs sent in the last `days` days (received ones score delivery), with their lines' prices. */
export async function loadScorecardInputs(shopId: string, asOfInput: Date | IsoDay, days = 365): Promise<ScorecardInput[]> {
  const asOf = fromDayNumber(toDayNumber(asOfInput));
  const db = forShop(shopId);
  const [suppliers, pos] = await Promise.all([
    db.supplier.findMany({ select: { id: true, name: true, leadTimeDays: true }, orderBy: { name: "asc" } }),
    db.purchaseOrder.findMany({
      where: { status: { not: "CANCELLED" }, sentAt: { not: null, gte: dateOf(addDays(asOf, -days)), lt: dateOf(asOf) } },
      select: {
        supplierId: true, sentAt: true, expectedArrivalDate: true, receivedAt: true,
        lines: { select: { quantityOrdered: true, quantityReceived: true, quantityDamaged: true, unitCost: true, sku: { select: { code: true } } } },
      },
      orderBy: { sentAt: "asc" },
    }),
  ]);
  return suppliers.map((s) => {
    const mine = pos.filter((p) => p.supplierId === s.id);
    return {
      supplierId: s.id,
      name: s.name,
      quotedDays: s.leadTimeDays,
      purchaseOrders: mine.map((p) => ({
        sentDay: toDayNumber(p.sentAt as Date),
        expectedDay: p.expectedArrivalDate ? toDayNumber(p.expectedArrivalDate) : null,
        receivedDay: p.receivedAt && p.receivedAt < dateOf(asOf) ? toDayNumber(p.receivedAt) : null,
        ordered: p.lines.reduce((a, l) => a + l.quantityOrdered, 0),
        received: p.lines.reduce((a, l) => a + l.quantityReceived, 0),
        damaged: p.lines.reduce((a, l) => a + l.quantityDamaged, 0),
      })),
      prices: mine.flatMap((p) => p.lines.map((l) => ({ skuCode: l.sku.code, day: toDayNumber(p.sentAt as Date), unitCost: Number(l.unitCost) }))),
    };
  });
}
