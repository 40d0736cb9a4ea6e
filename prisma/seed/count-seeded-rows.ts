import type { PrismaClient } from "@prisma/client";
import type { WriteCounts } from "./write-demo-data.ts";

/** The tables the follow-up demo seeds (purchasing, oversight) add rows to after the bulk write. */
export type SeededRowCounts = Pick<WriteCounts, "purchaseOrders" | "purchaseOrderLines" | "purchaseOrderEvents" | "receipts" | "receiptLines" | "inventoryMovements" | "channelListings">;

async function countShopRows(prisma: PrismaClient, shopId: string): Promise<SeededRowCounts> {
  const where = { where: { shopId } };
  return {
    purchaseOrders: await prisma.purchaseOrder.count(where),
    purchaseOrderLines: await prisma.purchaseOrderLine.count(where),
    purchaseOrderEvents: await prisma.purchaseOrderEvent.count(where),
    receipts: await prisma.receipt.count(where),
    receiptLines: await prisma.receiptLine.count(where),
    inventoryMovements: await prisma.inventoryMovement.count(where),
    channelListings: await prisma.channelListing.count(where),
  };
}

/**
 * Runs `seed` and adds the rows it wrote to `counts` (the keys the caller tracks), so the demo seed's
 * summary still matches the tables. Without `counts` it only runs `seed`.
 */
export async function countingSeededRows<T>(
  prisma: PrismaClient,
  shopId: string,
  counts: Partial<SeededRowCounts> | null | undefined,
  seed: () => Promise<T>,
): Promise<T> {
  if (!counts) return seed();
  const before = await countShopRows(prisma, shopId);
  const result = await seed();
  const after = await countShopRows(prisma, shopId);
  // Only the tables the caller tracks: its counts may hold more (the bulk write's) or fewer of them.
  for (const key of Object.keys(after) as (keyof SeededRowCounts)[]) {
    const tracked = counts[key];
    if (tracked !== undefined) counts[key] = tracked + after[key] - before[key];
  }
  return result;
}
