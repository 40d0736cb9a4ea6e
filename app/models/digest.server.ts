import { fromDayNumber, type DayNumber } from "../domain/shared/day.ts";
import { toCents, type Cents } from "../domain/shared/money.ts";
import { prisma } from "../db.server.ts";
import { forShop } from "./scoped-db.server.ts";

/**
 * What the digest reports about a period of shop days (inclusive, in the shop's time zone) beyond the
 * dashboard's own figures. Raw SQL for the time-zone conversion, hence the explicit shopId.
 */

type Totals = { currency: string; total: Cents }[];

function fold(rows: { currency: string; count: number; total: string }[]): { count: number; value: Totals } {
  return {
    count: rows.reduce((s, r) => s + r.count, 0),
    value: rows.map((r) => ({ currency: r.currency, total: toCents(r.total) })).sort((a, b) => a.currency.localeCompare(b.currency)),
  };
}

export async function loadPurchaseOrderActivity(shopId: string, timeZone: string, fromDay: DayNumber, toDay: DayNumber) {
  const from = fromDayNumber(fromDay);
  const to = fromDayNumber(toDay);
  const [generated, placed] = await Promise.all([
    prisma.$queryRaw<{ currency: string; count: number; total: string }[]>`
      SELECT "currency", COUNT(*)::int AS "count", SUM("total")::text AS "total" FROM "PurchaseOrder"
      WHERE "shopId" = ${shopId} AND "reorderRunId" IS NOT NULL
        AND (("createdAt" AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone})::date BETWEEN ${from}::date AND ${to}::date
      GROUP BY "currency"`,
    prisma.$queryRaw<{ currency: string; count: number; total: string }[]>`
      SELECT "currency", COUNT(*)::int AS "count", SUM("total")::text AS "total" FROM "PurchaseOrder"
      WHERE "shopId" = ${shopId} AND "sentAt" IS NOT NULL AND "status" <> 'CANCELLED'
        AND (("sentAt" AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone})::date BETWEEN ${from}::date AND ${to}::date
      GROUP BY "currency"`,
  ]);
  return { generated: fold(generated), placed: fold(placed) };
}

export async function loadReviewActivity(shopId: string, timeZone: string, fromDay: DayNumber, toDay: DayNumber): Promise<{ opened: number; closed: number }> {
  const from = fromDayNumber(fromDay);
  const to = fromDayNumber(toDay);
  const [row] = await prisma.$queryRaw<{ opened: number; closed: number }[]>`
    SELECT
      COUNT(*) FILTER (WHERE (("createdAt" AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone})::date BETWEEN ${from}::date AND ${to}::date)::int AS "opened",
      COUNT(*) FILTER (WHERE "status" <> 'OPEN' AND (("resolvedAt" AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone})::date BETWEEN ${from}::date AND ${to}::date)::int AS "closed"
    FROM "ReviewItem" WHERE "shopId" = ${shopId}`;
  return { opened: row?.opened ?? 0, closed: row?.closed ?? 0 };
}

/**
 * Per supplier, POs fully received in the window: how many arrived by their expected day, and the mean
 * days from sending to receipt against the supplier's promised lead time.
 */
export async function loadSupplierPerformance(shopId: string, timeZone: string, fromDay: DayNumber, toDay: DayNumber) {
  const rows = await prisma.$queryRaw<{ name: string; leadTimeDays: number; received: number; onTime: number; withEta: number; averageLeadTimeDays: number | null }[]>`
    SELECT s."name", s."leadTimeDays", COUNT(*)::int AS "received",
      COUNT(*) FILTER (WHERE p."expectedArrivalDate" IS NOT NULL AND ((p."receivedAt" AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone})::date <= p."expectedArrivalDate")::int AS "onTime",
      COUNT(*) FILTER (WHERE p."expectedArrivalDate" IS NOT NULL)::int AS "withEta",
      (AVG(EXTRACT(EPOCH FROM (p."receivedAt" - p."sentAt")) / 86400) FILTER (WHERE p."sentAt" IS NOT NULL))::float8 AS "averageLeadTimeDays"
    FROM "PurchaseOrder" p JOIN "Supplier" s ON s."id" = p."supplierId" AND s."shopId" = p."shopId"
    WHERE p."shopId" = ${shopId} AND p."receivedAt" IS NOT NULL
      AND ((p."receivedAt" AT TIME ZONE 'UTC') AT TIME ZONE ${timeZone})::date BETWEEN ${fromDayNumber(fromDay)}::date AND ${fromDayNumber(toDay)}::date
    GROUP BY s."id", s."name", s."leadTimeDays"
    ORDER BY s."name"`;
  return rows.map((r) => ({
    name: r.name,
    received: r.received,
    onTime: r.onTime,
    onTimeRate: r.withEta === 0 ? null : r.onTime / r.withEta,
    averageLeadTimeDays: r.averageLeadTimeDays === null ? null : Math.round(r.averageLeadTimeDays * 10) / 10,
    promisedLeadTimeDays: r.leadTimeDays,
  }));
}

export async function loadDigestSettings(shopId: string): Promise<{ digestFrequency: string; digestWeekday: number; digestRecipients: string[] }> {
  const row = await forShop(shopId).shopSettings.findFirst({ select: { digestFrequency: true, digestWeekday: true, digestRecipients: true } });
  return { digestFrequency: row?.digestFrequency ?? "WEEKLY", digestWeekday: row?.digestWeekday ?? 1, digestRecipients: row?.digestRecipients ?? [] };
}
