import type { Prisma } from "@prisma/client";
import type { DemandRow } from "#app/domain/channels/order-effects.ts";

// DailyDemand cells written from orders. Only the order-derived figures are set; outOfStock and
// closingOnHand belong to the nightly snapshot and are left alone.

type Db = Prisma.TransactionClient;

/**
 * Writes the rebuilt cells; `cleared` cells (touched but now without any order) go back to zero, so a
 * rebuild after a cancellation or a re-mapping never leaves stale units behind.
 */
export async function writeDemandCells(tx: Db, shopId: string, rows: readonly DemandRow[], cleared: ReadonlyArray<{ skuId: string; locationId: string; day: string }>): Promise<void> {
  const zero = { units: 0, returnedUnits: 0, revenue: "0", orderCount: 0, largestOrderUnits: 0, channelUnits: {} };
  const all = [
    ...rows.map((row) => ({ key: row, values: { units: row.units, returnedUnits: row.returnedUnits, revenue: row.revenue.toFixed(2), orderCount: row.orderCount, largestOrderUnits: row.largestOrderUnits, channelUnits: row.channelUnits } })),
    ...cleared.map((cell) => ({ key: cell, values: zero })),
  ];
  for (const { key, values } of all) {
    const day = new Date(`${key.day}T00:00:00Z`);
    await tx.dailyDemand.upsert({
      where: { shopId_skuId_locationId_day: { shopId, skuId: key.skuId, locationId: key.locationId, day } },
      create: { shopId, skuId: key.skuId, locationId: key.locationId, day, ...values },
      update: values,
    });
  }
}

export async function getDemandCells(shopId: string, db: Db, filter: { skuIds?: readonly string[] } = {}) {
  return db.dailyDemand.findMany({ where: { shopId, ...(filter.skuIds ? { skuId: { in: [...filter.skuIds] } } : {}) }, orderBy: [{ skuId: "asc" }, { day: "asc" }] });
}
