import { postWriteOff, WRITE_OFF_REASONS, type WriteOffReason } from "#app/domain/accounting/postings.ts";
import { lineTotalCents, toPriceUnits, formatCents } from "#app/domain/shared/money.ts";
import { MAX_UNITS_PER_LINE } from "#app/domain/shared/quantity.ts";
import { AppError } from "#app/lib/app-error.ts";
import type { QueueRegistry } from "#app/lib/queue.server.ts";
import { postEntries } from "#app/models/journal.server.ts";
import { stockKey } from "#app/domain/ledger/stock-ledger.ts";
import { appendMovements, lockInventoryLevels } from "#app/models/ledger.server.ts";
import { forShop } from "#app/models/scoped-db.server.ts";
import type { Prisma } from "@prisma/client";
import { requestReorderForSkus } from "./replenishment.server.ts";
import { requestStockPush } from "./stock-sync.server.ts";

// Write-offs (issue 5, item 9): missing or damaged units leave stock with a reason, on a PO (valued at
// the PO line's cost, for the supplier claim) or on plain stock (valued at the SKU's cost): a WRITE_OFF
// ledger movement and Dr shrinkage expense / Cr inventory, in one transaction. The key makes it idempotent.

export { WRITE_OFF_REASONS, type WriteOffReason };

export interface WriteOffInput {
  /** Client-supplied idempotency key (the form mints one per view). */
  key: string;
  skuCode: string;
  locationId: string;
  quantity: number;
  reason: WriteOffReason;
  note?: string | null;
  /** A PO number: the units are written off on that PO (its line's cost). */
  purchaseOrderNumber?: string | null;
  by?: string | null;
}

export interface WrittenOff {
  writeOffId: string;
  replayed: boolean;
  skuId: string;
  value: number;
  message: string;
}

export async function writeOffStock(shopId: string, input: WriteOffInput, options: { now?: Date; queues?: Pick<QueueRegistry, "enqueue"> } = {}): Promise<WrittenOff> {
  const now = options.now ?? new Date();
  if (!/^[A-Za-z0-9][A-Za-z0-9_.:-]{7,99}$/.test(input.key)) throw new AppError("invalid", "The write-off key is missing; reload the page");
  if (!Number.isSafeInteger(input.quantity) || input.quantity <= 0 || input.quantity > MAX_UNITS_PER_LINE) {
    throw new AppError("invalid", `The quantity must be a whole number of units from 1 to ${MAX_UNITS_PER_LINE.toLocaleString("en-US")}`);
  }
  if (!(WRITE_OFF_REASONS as readonly string[]).includes(input.reason)) throw new AppError("invalid", `The reason must be one of ${WRITE_OFF_REASONS.join(", ").toLowerCase()}`);
  const result = await forShop(shopId).$transaction(async (tx) => {
    const existing = await tx.writeOff.findUnique({ where: { shopId_idempotencyKey: { shopId, idempotencyKey: input.key } } });
    if (existing) return { writeOffId: existing.id, replayed: true, skuId: existing.skuId, value: 0, message: "This write-off was already recorded; nothing was written twice" };
    const sku = await tx.sku.findUnique({ where: { shopId_code: { shopId, code: input.skuCode.trim() } }, select: { id: true, code: true, cost: true } });
    if (!sku) throw new AppError("invalid", `No SKU "${input.skuCode.trim()}" in this shop`);
    const location = await tx.location.findFirst({ where: { id: input.locationId }, select: { id: true, name: true } });
    if (!location) throw new AppError("invalid", "Choose one of the shop's locations");
    let purchaseOrderId: string | null = null;
    let unitCost = sku.cost?.toString() ?? "0";
    if (input.purchaseOrderNumber?.trim()) {
      const number = input.purchaseOrderNumber.trim().toUpperCase();
      const po = await tx.purchaseOrder.findUnique({ where: { shopId_number: { shopId, number } }, select: { id: true, lines: { where: { skuId: sku.id }, select: { unitCost: true } } } });
      if (!po) throw new AppError("invalid", `No purchase order ${number} in this shop`);
      const line = po.lines[0];
      if (!line) throw new AppError("invalid", `${sku.code} is not on ${number}`);
      purchaseOrderId = po.id;
      unitCost = line.unitCost.toString();
      // The WriteOff row's foreign key will share-lock the PO; take that lock now, before the level's,
      // because receiving locks the PO first and then the level (the other order could deadlock).
      await tx.$queryRaw`SELECT 1 FROM "PurchaseOrder" WHERE "id" = ${po.id} AND "shopId" = ${shopId} FOR KEY SHARE`;
    }
    // Locked before the check so that a concurrent write-off, transfer or sale of this level waits for us
    // and then sees what we left: two write-offs can never both spend the same units.
    const levels = await lockInventoryLevels(tx as unknown as Prisma.TransactionClient, shopId, [{ skuId: sku.id, locationId: location.id }]);
    // The same key may have been recorded by a twin request while we waited for the lock.
    const twin = await tx.writeOff.findUnique({ where: { shopId_idempotencyKey: { shopId, idempotencyKey: input.key } } });
    if (twin) return { writeOffId: twin.id, replayed: true, skuId: twin.skuId, value: 0, message: "This write-off was already recorded; nothing was written twice" };
    const onHand = levels.get(stockKey(sku.id, location.id)) ?? 0;
    if (input.quantity > onHand) throw new AppError("invalid", `Only ${onHand} of ${sku.code} on hand at ${location.name}: cannot write off ${input.quantity}`);
    const row = await tx.writeOff.create({
      data: {
        shopId, skuId: sku.id, locationId: location.id, purchaseOrderId, quantity: input.quantity, reason: input.reason,
        note: input.note?.trim() || null, unitCost, idempotencyKey: input.key, createdBy: input.by?.trim() || null, createdAt: now,
      },
    });
    await appendMovements(
      shopId,
      [{ skuId: sku.id, locationId: location.id, kind: "WRITE_OFF", quantity: -input.quantity, sourceType: "WRITE_OFF", sourceId: row.id, idempotencyKey: `write-off:${input.key}`, occurredAt: now, note: `${input.reason.toLowerCase()}${row.note ? `: ${row.note}` : ""}` }],
      tx as unknown as Prisma.TransactionClient,
    );
    const value = lineTotalCents(input.quantity, toPriceUnits(unitCost));
    const draft = postWriteOff(`write-off:${row.id}`, value, `Write-off of ${input.quantity} × ${sku.code} (${input.reason.toLowerCase()})`);
    if (draft) await postEntries(tx, shopId, [{ draft, postedAt: now, sourceType: "WRITE_OFF", sourceId: row.id }]);
    return { writeOffId: row.id, replayed: false, skuId: sku.id, value, message: `${input.quantity} × ${sku.code} written off (${formatCents(value)})` };
  });
  if (!result.replayed) {
    const queues = options.queues;
    await requestReorderForSkus(shopId, [result.skuId], { now, ...(queues ? { queues } : {}) });
    await requestStockPush(shopId, [result.skuId], queues ? { queues: queues as QueueRegistry } : {});
  }
  return result;
}

export interface WriteOffRow {
  id: string;
  createdAt: Date;
  skuCode: string;
  locationName: string;
  quantity: number;
  reason: string;
  note: string | null;
  purchaseOrderNumber: string | null;
  value: number;
}

export async function listWriteOffs(shopId: string, limit = 100): Promise<WriteOffRow[]> {
  const rows = await forShop(shopId).writeOff.findMany({
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: limit,
    include: { sku: { select: { code: true } }, location: { select: { name: true } }, purchaseOrder: { select: { number: true } } },
  });
  return rows.map((r) => ({
    id: r.id,
    createdAt: r.createdAt,
    skuCode: r.sku.code,
    locationName: r.location.name,
    quantity: r.quantity,
    reason: r.reason,
    note: r.note,
    purchaseOrderNumber: r.purchaseOrder?.number ?? null,
    value: lineTotalCents(r.quantity, toPriceUnits(r.unitCost.toString())),
  }));
}

export async function listLocations(shopId: string): Promise<{ id: string; name: string }[]> {
  return forShop(shopId).location.findMany({ where: { isActive: true }, orderBy: [{ isDefault: "desc" }, { name: "asc" }], select: { id: true, name: true } });
}
