import type { Channel, Prisma, SalesOrder, SalesOrderLine } from "@prisma/client";

// SalesOrder/SalesOrderLine as the channels report them, upserted by (channel, externalId). Callers run
// these inside the transaction that also posts the order's movements (order-sync service).

type Db = Prisma.TransactionClient;

export type OrderWithLines = SalesOrder & { lines: SalesOrderLine[] };

export async function findOrder(tx: Db, shopId: string, channel: Channel, externalId: string): Promise<OrderWithLines | null> {
  return tx.salesOrder.findUnique({ where: { shopId_channel_externalId: { shopId, channel, externalId } }, include: { lines: true } });
}

/** Serializes every writer of one order (a webhook and a pull racing) until the transaction ends. */
export async function lockOrder(tx: Db, shopId: string, channel: Channel, externalId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`sales-order:${shopId}:${channel}:${externalId}`}))`;
}

export type OrderHeader = Pick<SalesOrder, "name" | "placedAt" | "channelUpdatedAt" | "cancelledAt" | "financialStatus" | "fulfillmentStatus" | "customerEmail" | "currency">;

export async function upsertOrderHeader(tx: Db, shopId: string, channel: Channel, externalId: string, header: OrderHeader): Promise<SalesOrder> {
  return tx.salesOrder.upsert({
    where: { shopId_channel_externalId: { shopId, channel, externalId } },
    create: { shopId, channel, externalId, ...header },
    update: header,
  });
}

export type LineValues = Pick<SalesOrderLine, "skuId" | "skuCode" | "locationId" | "quantity" | "cancelledQuantity" | "refundedQuantity" | "restockedQuantity" | "unshippedQuantity"> & { unitPrice: string | null };

export async function upsertOrderLine(tx: Db, shopId: string, orderId: string, externalLineId: string, values: LineValues): Promise<SalesOrderLine> {
  return tx.salesOrderLine.upsert({
    where: { orderId_externalLineId: { orderId, externalLineId } },
    create: { shopId, orderId, externalLineId, ...values },
    update: values,
  });
}

/** Sum and count of the ledger postings made for one order line so far. */
/**
 * What a line has posted to the ledger so far under one source (its sale, "ORDER", or its returns
 * restocked elsewhere, "ORDER_RETURN"), per location: a line booked at one location and later found to
 * ship from another (a routed or moved fulfillment order) has postings at both. `count` is over every
 * location, for the next versioned key.
 */
export async function linePostings(tx: Db, shopId: string, lineId: string, sourceType: "ORDER" | "ORDER_RETURN" = "ORDER"): Promise<{ byLocation: Map<string, number>; count: number }> {
  const rows = await tx.inventoryMovement.groupBy({ by: ["locationId"], where: { shopId, sourceType, sourceId: lineId }, _sum: { quantity: true }, _count: { _all: true } });
  return { byLocation: new Map(rows.map((row) => [row.locationId, row._sum.quantity ?? 0])), count: rows.reduce((sum, row) => sum + row._count._all, 0) };
}

/**
 * Recomputes InventoryLevel.committed (units sold, not shipped) of the given SKU × location pairs from
 * the order lines. committed is its own column: on hand stays the ledger's (the DB guard refuses a
 * direct write to it), and an InventoryLevel row created here starts at on hand 0, which the guard allows.
 */
export async function recomputeCommitted(tx: Db, shopId: string, pairs: ReadonlyArray<{ skuId: string; locationId: string }>): Promise<void> {
  const unique = [...new Map(pairs.map((p) => [`${p.skuId}|${p.locationId}`, p])).values()].sort((a, b) => (a.skuId + a.locationId < b.skuId + b.locationId ? -1 : 1));
  if (unique.length === 0) return;
  const sums = await tx.salesOrderLine.groupBy({
    by: ["skuId", "locationId"],
    where: { shopId, skuId: { in: unique.map((p) => p.skuId) }, locationId: { in: unique.map((p) => p.locationId) }, unshippedQuantity: { gt: 0 } },
    _sum: { unshippedQuantity: true },
  });
  const byPair = new Map(sums.map((row) => [`${row.skuId}|${row.locationId}`, row._sum.unshippedQuantity ?? 0]));
  for (const pair of unique) {
    const committed = byPair.get(`${pair.skuId}|${pair.locationId}`) ?? 0;
    await tx.inventoryLevel.upsert({
      where: { shopId_skuId_locationId: { shopId, skuId: pair.skuId, locationId: pair.locationId } },
      create: { shopId, skuId: pair.skuId, locationId: pair.locationId, committed },
      update: { committed },
    });
  }
}

export type DemandSourceLine = { skuId: string; locationId: string; orderId: string; channel: Channel; placedAt: Date; quantity: number; cancelledQuantity: number; refundedQuantity: number; unshippedQuantity: number; unitPrice: Prisma.Decimal | null };

/** Lines of some SKUs placed within [from, to): what DailyDemand of those cells is rebuilt from. */
export async function demandSourceLines(tx: Db, shopId: string, skuIds: readonly string[], from: Date, to: Date): Promise<DemandSourceLine[]> {
  const rows = await tx.salesOrderLine.findMany({
    where: { shopId, skuId: { in: [...skuIds] }, locationId: { not: null }, order: { placedAt: { gte: from, lt: to } } },
    select: { skuId: true, locationId: true, orderId: true, quantity: true, cancelledQuantity: true, refundedQuantity: true, unshippedQuantity: true, unitPrice: true, order: { select: { channel: true, placedAt: true } } },
  });
  return rows.flatMap((row) =>
    row.skuId && row.locationId
      ? [{ skuId: row.skuId, locationId: row.locationId, orderId: row.orderId, channel: row.order.channel, placedAt: row.order.placedAt, quantity: row.quantity, cancelledQuantity: row.cancelledQuantity, refundedQuantity: row.refundedQuantity, unshippedQuantity: row.unshippedQuantity, unitPrice: row.unitPrice }]
      : [],
  );
}

export async function countOrders(shopId: string, db: Db): Promise<number> {
  return db.salesOrder.count({ where: { shopId } });
}
