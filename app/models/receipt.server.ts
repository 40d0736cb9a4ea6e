import { Prisma, type PurchaseOrderStatus, type ReceiptStatus, type TransferStatus } from "@prisma/client";
import { toCents, toPriceUnits, type Cents, type PriceUnits } from "../domain/shared/money.ts";
import type { LifecycleTx } from "./purchase-order-lifecycle.server.ts";
import { forShop } from "./scoped-db.server.ts";

// Receipts and what they change on the documents they receive against (PO lines, transfer lines).
// Stock itself is written only by the ledger; these rows are the record of who counted what, when.

export type ReceivingTx = LifecycleTx;

export interface ReceivableDocumentLine {
  lineId: string;
  skuId: string;
  skuCode: string;
  barcode: string | null;
  title: string;
  quantityExpected: number;
  quantityReceived: number;
  quantityDamaged: number;
  unitCost: PriceUnits;
}

export interface ReceivablePurchaseOrder {
  kind: "PURCHASE_ORDER";
  id: string;
  number: string;
  status: PurchaseOrderStatus;
  locationId: string;
  locationName: string;
  supplierId: string;
  supplierName: string;
  paymentTermsDays: number;
  depositPct: number;
  currency: string;
  total: Cents;
  sentAt: Date | null;
  receivedAt: Date | null;
  expectedArrivalDate: Date | null;
  lines: ReceivableDocumentLine[];
}

export interface ReceivableTransfer {
  kind: "TRANSFER";
  id: string;
  number: string;
  status: TransferStatus;
  fromLocationId: string;
  locationId: string;
  locationName: string;
  lines: ReceivableDocumentLine[];
}

const skuSelect = { code: true, barcode: true, title: true, variantTitle: true, cost: true } as const;

function skuTitle(sku: { title: string; variantTitle: string | null }): string {
  return sku.variantTitle ? `${sku.title} — ${sku.variantTitle}` : sku.title;
}

export async function loadReceivablePurchaseOrder(db: ReceivingTx, shopId: string, purchaseOrderId: string): Promise<ReceivablePurchaseOrder | null> {
  const po = await db.purchaseOrder.findFirst({
    where: { shopId, id: purchaseOrderId },
    select: {
      id: true, number: true, status: true, locationId: true, currency: true, total: true, sentAt: true, receivedAt: true, expectedArrivalDate: true,
      location: { select: { name: true } },
      supplier: { select: { id: true, name: true, paymentTermsDays: true, depositPct: true } },
      lines: {
        orderBy: [{ sku: { code: "asc" } }, { id: "asc" }],
        select: { id: true, skuId: true, quantityOrdered: true, quantityReceived: true, quantityDamaged: true, unitCost: true, sku: { select: skuSelect } },
      },
    },
  });
  if (!po) return null;
  return {
    kind: "PURCHASE_ORDER",
    id: po.id,
    number: po.number,
    status: po.status,
    locationId: po.locationId,
    locationName: po.location.name,
    supplierId: po.supplier.id,
    supplierName: po.supplier.name,
    paymentTermsDays: po.supplier.paymentTermsDays,
    depositPct: Number(po.supplier.depositPct.toString()),
    currency: po.currency,
    total: toCents(po.total.toString()),
    sentAt: po.sentAt,
    receivedAt: po.receivedAt,
    expectedArrivalDate: po.expectedArrivalDate,
    lines: po.lines.map((line) => ({
      lineId: line.id,
      skuId: line.skuId,
      skuCode: line.sku.code,
      barcode: line.sku.barcode,
      title: skuTitle(line.sku),
      quantityExpected: line.quantityOrdered,
      quantityReceived: line.quantityReceived,
      quantityDamaged: line.quantityDamaged,
      unitCost: toPriceUnits(line.unitCost.toString()),
    })),
  };
}

export async function loadReceivableTransfer(db: ReceivingTx, shopId: string, transferId: string): Promise<ReceivableTransfer | null> {
  const transfer = await db.transfer.findFirst({
    where: { shopId, id: transferId },
    select: {
      id: true, number: true, status: true, fromLocationId: true, toLocationId: true, toLocation: { select: { name: true } },
      lines: { orderBy: [{ sku: { code: "asc" } }, { id: "asc" }], select: { id: true, skuId: true, quantity: true, quantityReceived: true, sku: { select: skuSelect } } },
    },
  });
  if (!transfer) return null;
  return {
    kind: "TRANSFER",
    id: transfer.id,
    number: transfer.number,
    status: transfer.status,
    fromLocationId: transfer.fromLocationId,
    locationId: transfer.toLocationId,
    locationName: transfer.toLocation.name,
    lines: transfer.lines.map((line) => ({
      lineId: line.id,
      skuId: line.skuId,
      skuCode: line.sku.code,
      barcode: line.sku.barcode,
      title: skuTitle(line.sku),
      quantityExpected: line.quantity,
      quantityReceived: line.quantityReceived,
      quantityDamaged: 0,
      // Transfers move stock inside the business: valued at the SKU's cost where the journal needs it.
      unitCost: toPriceUnits(line.sku.cost?.toString() ?? "0"),
    })),
  };
}

/** Holds the transfer row until the transaction ends (raw: Prisma has no FOR UPDATE; shop in the WHERE). */
export async function lockTransfer(db: ReceivingTx, shopId: string, transferId: string): Promise<boolean> {
  const rows = await db.$queryRaw<{ id: string }[]>(Prisma.sql`SELECT "id" FROM "Transfer" WHERE "id" = ${transferId} AND "shopId" = ${shopId} FOR UPDATE`);
  return rows.length > 0;
}

export async function findReceiptByKey(db: ReceivingTx, shopId: string, idempotencyKey: string) {
  return db.receipt.findUnique({ where: { shopId_idempotencyKey: { shopId, idempotencyKey } }, include: { lines: true } });
}

export async function findReceipt(db: ReceivingTx, shopId: string, receiptId: string) {
  return db.receipt.findFirst({ where: { shopId, id: receiptId }, include: { lines: true } });
}

export interface NewReceipt {
  idempotencyKey: string;
  purchaseOrderId?: string | null;
  transferId?: string | null;
  locationId: string;
  receivedBy: string | null;
  note: string | null;
  receivedAt: Date;
  lines: {
    lineId: string;
    skuId: string;
    received: number;
    damaged: number;
    wrongItem: number;
    discrepancy: string | null;
    unitCost: PriceUnits;
  }[];
}

export async function insertReceipt(db: ReceivingTx, shopId: string, receipt: NewReceipt) {
  const isPo = Boolean(receipt.purchaseOrderId);
  return db.receipt.create({
    data: {
      shopId,
      idempotencyKey: receipt.idempotencyKey,
      purchaseOrderId: receipt.purchaseOrderId ?? null,
      transferId: receipt.transferId ?? null,
      locationId: receipt.locationId,
      receivedBy: receipt.receivedBy,
      note: receipt.note,
      receivedAt: receipt.receivedAt,
      lines: {
        create: receipt.lines.map((line) => ({
          shopId,
          purchaseOrderLineId: isPo ? line.lineId : null,
          skuId: line.skuId,
          quantityReceived: line.received,
          quantityDamaged: line.damaged,
          quantityWrongItem: line.wrongItem,
          discrepancy: line.discrepancy,
          unitCost: new Prisma.Decimal(line.unitCost).div(10_000),
        })),
      },
    },
    include: { lines: true },
  });
}

/** Adds (sign 1) or takes back (sign -1) a receipt's counts on the document's lines. */
export async function applyLineCounts(
  db: ReceivingTx,
  shopId: string,
  kind: "PURCHASE_ORDER" | "TRANSFER",
  counts: readonly { lineId: string; received: number; damaged: number }[],
  sign: 1 | -1,
): Promise<void> {
  for (const count of counts) {
    if (kind === "PURCHASE_ORDER") {
      await db.purchaseOrderLine.update({
        where: { id: count.lineId, shopId },
        data: { quantityReceived: { increment: sign * count.received }, quantityDamaged: { increment: sign * count.damaged } },
      });
    } else {
      await db.transferLine.update({ where: { id: count.lineId, shopId }, data: { quantityReceived: { increment: sign * count.received } } });
    }
  }
}

export async function markReceiptReversed(db: ReceivingTx, shopId: string, receiptId: string, at: Date): Promise<void> {
  await db.receipt.update({ where: { id: receiptId, shopId }, data: { status: "REVERSED", reversedAt: at } });
}

/**
 * After an un-receive the PO is no longer fully received: the end of its observed lead time and its
 * closing are void, or the engine would learn a lead time from goods that are not here.
 */
export async function clearReceivedStamps(db: ReceivingTx, shopId: string, purchaseOrderId: string): Promise<void> {
  await db.purchaseOrder.update({ where: { id: purchaseOrderId, shopId }, data: { receivedAt: null, closedAt: null } });
}

export async function setTransferStatus(db: ReceivingTx, shopId: string, transferId: string, status: TransferStatus, stamps: { shippedAt?: Date; receivedAt?: Date | null } = {}): Promise<void> {
  await db.transfer.update({ where: { id: transferId, shopId }, data: { status, ...stamps } });
}

/** One open review item per receipt with discrepancies (dedupeKey), updated if the same receipt is replayed. */
export async function openReceiptDiscrepancy(
  db: ReceivingTx,
  shopId: string,
  item: { receiptId: string; documentNumber: string; reason: string; details: Prisma.InputJsonObject },
): Promise<void> {
  const dedupeKey = `receipt-discrepancy:${item.receiptId}`;
  await db.reviewItem.upsert({
    where: { shopId_dedupeKey: { shopId, dedupeKey } },
    create: { shopId, kind: "RECEIPT_DISCREPANCY", subjectType: "RECEIPT", subjectId: item.receiptId, reason: item.reason, details: item.details, dedupeKey },
    update: {},
  });
}

/** An un-received receipt's discrepancies are moot: its review item is resolved, with who and when. */
export async function resolveReceiptDiscrepancy(db: ReceivingTx, shopId: string, receiptId: string, at: Date, by: string): Promise<void> {
  await db.reviewItem.updateMany({
    where: { shopId, dedupeKey: `receipt-discrepancy:${receiptId}`, status: "OPEN" },
    data: { status: "RESOLVED", resolvedAt: at, resolvedBy: by },
  });
}

export interface ReceiptSummary {
  id: string;
  status: ReceiptStatus;
  receivedAt: Date;
  reversedAt: Date | null;
  receivedBy: string | null;
  note: string | null;
  lines: { skuCode: string; received: number; damaged: number; wrongItem: number; discrepancy: string | null }[];
}

/** Receipts of a PO or transfer, newest first. */
export async function listReceipts(shopId: string, where: { purchaseOrderId: string } | { transferId: string }): Promise<ReceiptSummary[]> {
  const rows = await forShop(shopId).receipt.findMany({
    where,
    orderBy: [{ receivedAt: "desc" }, { id: "desc" }],
    select: {
      id: true, status: true, receivedAt: true, reversedAt: true, receivedBy: true, note: true,
      lines: { orderBy: { id: "asc" }, select: { quantityReceived: true, quantityDamaged: true, quantityWrongItem: true, discrepancy: true, sku: { select: { code: true } } } },
    },
  });
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    receivedAt: r.receivedAt,
    reversedAt: r.reversedAt,
    receivedBy: r.receivedBy,
    note: r.note,
    lines: r.lines.map((l) => ({ skuCode: l.sku.code, received: l.quantityReceived, damaged: l.quantityDamaged, wrongItem: l.quantityWrongItem, discrepancy: l.discrepancy })),
  }));
}

/** Open review items for these receipts (what the screen flags). */
export async function listOpenDiscrepancies(shopId: string, receiptIds: readonly string[]): Promise<{ subjectId: string; reason: string }[]> {
  if (receiptIds.length === 0) return [];
  return forShop(shopId).reviewItem.findMany({
    where: { kind: "RECEIPT_DISCREPANCY", status: "OPEN", subjectId: { in: [...receiptIds] } },
    select: { subjectId: true, reason: true },
    orderBy: { createdAt: "desc" },
  });
}
