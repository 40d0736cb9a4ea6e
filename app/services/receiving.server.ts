import type { Prisma } from "@prisma/client";
import { depositAmount, depositToApply, paymentDueDate, postPayable, postReceipt, reverseEntry } from "#app/domain/accounting/postings.ts";
import type { PurchaseOrderStatus } from "#app/domain/purchasing/purchase-order.ts";
import { observedLeadTimeDays } from "#app/domain/receiving/observed-lead-time.ts";
import { applyReceiptToLines, planReceipt, receiptEvent, type LineCount, type ReceiptPlan } from "#app/domain/receiving/receipt.ts";
import { transferTransition, type TransferStatus } from "#app/domain/receiving/transfer.ts";
import type { MovementInput } from "#app/domain/ledger/stock-ledger.ts";
import { formatCents } from "#app/domain/shared/money.ts";
import { AppError } from "#app/lib/app-error.ts";
import type { QueueRegistry } from "#app/lib/queue.server.ts";
import { logger } from "#app/lib/logger.server.ts";
import { depositAppliedToPurchaseOrder, listEntriesForSource, postEntries, schedulePayment, findPayment, setPaymentStatus, type EntryPosting } from "#app/models/journal.server.ts";
import { appendMovements, reverseMovements } from "#app/models/ledger.server.ts";
import { lockPurchaseOrder } from "#app/models/purchase-order-lifecycle.server.ts";
import {
  applyLineCounts,
  clearReceivedStamps,
  findReceipt,
  findReceiptByKey,
  insertReceipt,
  loadReceivablePurchaseOrder,
  loadReceivableTransfer,
  lockTransfer,
  markReceiptReversed,
  openReceiptDiscrepancy,
  resolveReceiptDiscrepancy,
  setTransferStatus,
  type ReceivableDocumentLine,
  type ReceivingTx,
} from "#app/models/receipt.server.ts";
import { forShop } from "#app/models/scoped-db.server.ts";
import { applyPurchaseOrderEventInTransaction } from "./purchase-orders.server.ts";
import { requestReorderForSkus } from "./replenishment.server.ts";
import { requestStockPush } from "./stock-sync.server.ts";

// Receiving (issue 5, item 8): load → plan (pure) → write, in one transaction under the document's row
// lock: the Receipt rows, ledger movements (the only stock writer), the PO's status through the state
// machine (event log with the actor), the journal and the payable, and a review item for discrepancies.
// After the commit the engine re-plans the SKUs and every channel gets the new quantities (push-stock).
//
// Idempotency: the client supplies a receipt key (the form mints one when it opens, a job uses its own
// id). The key is the Receipt's unique idempotencyKey and the root of every movement and journal key,
// so a double-submitted form or a retried job finds its receipt and writes nothing.

const TRANSACTION = { timeout: 20_000, maxWait: 20_000 };
const RECEIPT_KEY = /^[A-Za-z0-9][A-Za-z0-9_.:-]{7,99}$/;

export interface ReceiptLineInput extends LineCount {}

export interface ConfirmReceiptInput {
  /** Client-supplied, unique per delivery counted: 8–100 characters of letters, digits, _ . : - */
  receiptKey: string;
  purchaseOrderId?: string;
  transferId?: string;
  lines: ReceiptLineInput[];
  /** Who counted (staff name or email); kept on the receipt and in the PO event log. */
  receivedBy?: string | null;
  note?: string | null;
}

export interface ReceivingOptions {
  now?: Date;
  /** Queues for the after-commit jobs; the web producer by default. */
  queues?: Pick<QueueRegistry, "enqueue">;
}

export interface ConfirmedReceipt {
  receiptId: string;
  /** True when the key was already recorded: nothing was written this time. */
  replayed: boolean;
  documentKind: "PURCHASE_ORDER" | "TRANSFER";
  documentId: string;
  documentNumber: string;
  /** The PO's or transfer's status after the receipt. */
  status: string;
  /** SKUs whose stock changed (re-planned and pushed). */
  skuIds: string[];
  /** Good units × unit cost, cents. */
  value: number;
  discrepancies: { lineId: string; skuId: string; kinds: string[]; message: string }[];
  /** Placed → fully received, once the PO is complete. */
  observedLeadTimeDays: number | null;
}

function actorName(receivedBy: string | null | undefined): string {
  return receivedBy?.trim() ? `receiving desk (${receivedBy.trim()})` : "receiving desk";
}

function assertKey(key: string): void {
  if (!RECEIPT_KEY.test(key)) {
    throw new AppError("invalid", "The receipt key must be 8–100 letters, digits or _ . : - (the form creates one; reload the page to get a new one)");
  }
}

function planOrThrow(lines: readonly ReceivableDocumentLine[], counts: readonly LineCount[]): ReceiptPlan {
  const result = planReceipt(lines, counts);
  if (!result.ok) throw new AppError("invalid", result.error.message);
  return result.value;
}

/**
 * Books one delivery against a purchase order or a transfer. Throws AppError('invalid') for bad
 * counts (nothing written), ('not_found') for a document this shop does not have, ('conflict') when
 * the document cannot be received now (the state machine's reason) or the key belongs to another document.
 */
export async function confirmReceipt(shopId: string, input: ConfirmReceiptInput, options: ReceivingOptions = {}): Promise<ConfirmedReceipt> {
  assertKey(input.receiptKey);
  if (Boolean(input.purchaseOrderId) === Boolean(input.transferId)) throw new AppError("invalid", "A receipt is against one purchase order or one transfer");
  const now = options.now ?? new Date();
  const result = await forShop(shopId).$transaction(
    (tx) => (input.purchaseOrderId ? receivePurchaseOrder(tx, shopId, input.purchaseOrderId, input, now) : receiveTransfer(tx, shopId, input.transferId as string, input, now)),
    TRANSACTION,
  );
  await afterStockChange(shopId, result.skuIds, options, now);
  return result;
}

async function replayOf(tx: ReceivingTx, shopId: string, input: ConfirmReceiptInput, documentId: string, kind: "PURCHASE_ORDER" | "TRANSFER"): Promise<ConfirmedReceipt | null> {
  const existing = await findReceiptByKey(tx, shopId, input.receiptKey);
  if (!existing) return null;
  const sameDocument = kind === "PURCHASE_ORDER" ? existing.purchaseOrderId === documentId : existing.transferId === documentId;
  if (!sameDocument) throw new AppError("conflict", "This receipt key was already used for another delivery; reload the page and count again");
  const po = kind === "PURCHASE_ORDER" ? await loadReceivablePurchaseOrder(tx, shopId, documentId) : null;
  const transfer = kind === "TRANSFER" ? await loadReceivableTransfer(tx, shopId, documentId) : null;
  const doc = po ?? transfer;
  if (!doc) throw new AppError("not_found", "Document not found");
  return {
    receiptId: existing.id,
    replayed: true,
    documentKind: kind,
    documentId,
    documentNumber: doc.number,
    status: doc.status,
    skuIds: [...new Set(existing.lines.filter((l) => l.quantityReceived > 0).map((l) => l.skuId))].sort(),
    value: 0,
    discrepancies: [],
    observedLeadTimeDays: po ? observedLeadTimeDays(po.sentAt, po.receivedAt) : null,
  };
}

function discrepancyCode(kinds: readonly string[]): string | null {
  return kinds.length === 0 ? null : kinds.join(",");
}

async function receivePurchaseOrder(tx: ReceivingTx, shopId: string, purchaseOrderId: string, input: ConfirmReceiptInput, now: Date): Promise<ConfirmedReceipt> {
  const locked = await lockPurchaseOrder(tx, shopId, purchaseOrderId);
  if (!locked) throw new AppError("not_found", "Purchase order not found");
  const replay = await replayOf(tx, shopId, input, purchaseOrderId, "PURCHASE_ORDER");
  if (replay) return replay;
  const po = await loadReceivablePurchaseOrder(tx, shopId, purchaseOrderId);
  if (!po) throw new AppError("not_found", "Purchase order not found");
  const plan = planOrThrow(po.lines, input.lines);
  const by = input.receivedBy?.trim() || null;

  const receipt = await insertReceipt(tx, shopId, {
    idempotencyKey: input.receiptKey,
    purchaseOrderId: po.id,
    locationId: po.locationId,
    receivedBy: by,
    note: input.note?.trim() || null,
    receivedAt: now,
    lines: plan.recorded.map((l) => ({ lineId: l.lineId, skuId: l.skuId, received: l.received, damaged: l.damaged, wrongItem: l.wrongItem, discrepancy: discrepancyCode(l.discrepancies), unitCost: l.unitCost })),
  });
  await applyLineCounts(tx, shopId, "PURCHASE_ORDER", plan.recorded, 1);
  await appendMovements(shopId, receiptMovements(plan, po.locationId, input.receiptKey, receipt.id, "RECEIPT", `${po.number} received`, now), ledgerTx(tx));

  // The status follows the line totals after this receipt; the machine refuses a PO that is not
  // receivable (a draft, an open counter-offer, cancelled), which rolls everything above back.
  const after = applyReceiptToLines(po.lines, plan.recorded);
  const event = receiptEvent(after);
  const data: Prisma.InputJsonObject = { receiptId: receipt.id, value: plan.value };
  let applied = await applyPurchaseOrderEventInTransaction(tx, shopId, po.id, event, { type: "SYSTEM", name: actorName(by) }, { now, data });
  if (event === "receive-complete") {
    applied = await applyPurchaseOrderEventInTransaction(tx, shopId, po.id, "close", { type: "MERCHANT", name: by ?? "receiving desk" }, { now, data, message: "everything ordered is in" });
  }

  await bookReceipt(tx, shopId, po, receipt.id, plan.value, now);
  if (plan.discrepancies.length > 0) {
    await openReceiptDiscrepancy(tx, shopId, {
      receiptId: receipt.id,
      documentNumber: po.number,
      reason: `${po.number}: ${plan.discrepancies.map((d) => `${po.lines.find((l) => l.lineId === d.lineId)?.skuCode ?? d.skuId} ${d.message}`).join("; ")}`,
      details: { purchaseOrderId: po.id, number: po.number, lines: plan.discrepancies.map((d) => ({ lineId: d.lineId, skuId: d.skuId, kinds: d.kinds, message: d.message })) },
    });
  }
  return {
    receiptId: receipt.id,
    replayed: false,
    documentKind: "PURCHASE_ORDER",
    documentId: po.id,
    documentNumber: po.number,
    status: applied.toStatus,
    skuIds: plan.skuIds,
    value: plan.value,
    discrepancies: plan.discrepancies,
    observedLeadTimeDays: event === "receive-complete" ? observedLeadTimeDays(po.sentAt, now) : null,
  };
}

function receiptMovements(plan: ReceiptPlan, locationId: string, key: string, receiptId: string, kind: "RECEIPT" | "TRANSFER_IN", note: string, at: Date): MovementInput[] {
  return plan.recorded
    .filter((l) => l.received > 0)
    .map((l) => ({
      skuId: l.skuId,
      locationId,
      kind,
      quantity: l.received,
      sourceType: "RECEIPT",
      sourceId: receiptId,
      idempotencyKey: `receipt:${key}:${l.lineId}`,
      occurredAt: at,
      note,
    }));
}

// The ledger takes Prisma's transaction client; the shop-scoped one is the same connection with a
// query hook that adds shopId, which the ledger writes anyway.
function ledgerTx(tx: ReceivingTx): Prisma.TransactionClient {
  return tx as unknown as Prisma.TransactionClient;
}

/** Journal (Dr Inventory / Cr GRNI, then the payable net of the deposit) and the payment schedule. */
async function bookReceipt(
  tx: ReceivingTx,
  shopId: string,
  po: NonNullable<Awaited<ReturnType<typeof loadReceivablePurchaseOrder>>>,
  receiptId: string,
  value: number,
  now: Date,
): Promise<void> {
  const deposit = depositAmount(po.total, po.depositPct);
  if (deposit > 0) {
    await schedulePayment(tx, shopId, { id: `dep_${po.id}`, supplierId: po.supplierId, purchaseOrderId: po.id, kind: "DEPOSIT", amount: deposit, dueDate: paymentDueDate(po.sentAt ?? now, 0) });
  }
  const applied = deposit > 0 ? depositToApply(deposit, await depositAppliedToPurchaseOrder(tx, shopId, po.id), value) : 0;
  const memo = `${po.number} receipt from ${po.supplierName}`;
  const postings: EntryPosting[] = [];
  const received = postReceipt(`receipt:${receiptId}:inventory`, value, memo);
  const payable = postPayable(`receipt:${receiptId}:payable`, value, applied, `${memo}: payable${applied > 0 ? ` (${formatCents(applied, po.currency)} from the deposit)` : ""}`);
  if (received) postings.push({ draft: received, postedAt: now, sourceType: "RECEIPT", sourceId: receiptId });
  if (payable) postings.push({ draft: payable, postedAt: now, sourceType: "RECEIPT", sourceId: receiptId });
  await postEntries(tx, shopId, postings);
  if (value - applied > 0) {
    await schedulePayment(tx, shopId, {
      id: `bal_${receiptId}`,
      supplierId: po.supplierId,
      purchaseOrderId: po.id,
      kind: "BALANCE",
      amount: value - applied,
      dueDate: paymentDueDate(now, po.paymentTermsDays),
    });
  }
}

async function receiveTransfer(tx: ReceivingTx, shopId: string, transferId: string, input: ConfirmReceiptInput, now: Date): Promise<ConfirmedReceipt> {
  if (!(await lockTransfer(tx, shopId, transferId))) throw new AppError("not_found", "Transfer not found");
  const replay = await replayOf(tx, shopId, input, transferId, "TRANSFER");
  if (replay) return replay;
  const transfer = await loadReceivableTransfer(tx, shopId, transferId);
  if (!transfer) throw new AppError("not_found", "Transfer not found");
  if (transfer.status !== "SHIPPED") throw new AppError("conflict", `Cannot receive ${transfer.number}: it is ${transfer.status.toLowerCase()} (only shipped transfers arrive)`);
  const plan = planOrThrow(transfer.lines, input.lines);
  const by = input.receivedBy?.trim() || null;
  const receipt = await insertReceipt(tx, shopId, {
    idempotencyKey: input.receiptKey,
    transferId: transfer.id,
    locationId: transfer.locationId,
    receivedBy: by,
    note: input.note?.trim() || null,
    receivedAt: now,
    lines: plan.recorded.map((l) => ({ lineId: l.lineId, skuId: l.skuId, received: l.received, damaged: l.damaged, wrongItem: l.wrongItem, discrepancy: discrepancyCode(l.discrepancies), unitCost: l.unitCost })),
  });
  await applyLineCounts(tx, shopId, "TRANSFER", plan.recorded, 1);
  await appendMovements(shopId, receiptMovements(plan, transfer.locationId, input.receiptKey, receipt.id, "TRANSFER_IN", `${transfer.number} arrived`, now), ledgerTx(tx));
  let status: TransferStatus = transfer.status;
  if (plan.complete) {
    const next = transferTransition(status, "receive", transfer.number);
    if (!next.ok) throw new AppError("conflict", next.error);
    status = next.value;
    await setTransferStatus(tx, shopId, transfer.id, status, { receivedAt: now });
  }
  if (plan.discrepancies.length > 0) {
    await openReceiptDiscrepancy(tx, shopId, {
      receiptId: receipt.id,
      documentNumber: transfer.number,
      reason: `${transfer.number}: ${plan.discrepancies.map((d) => d.message).join("; ")}`,
      details: { transferId: transfer.id, number: transfer.number, lines: plan.discrepancies.map((d) => ({ lineId: d.lineId, skuId: d.skuId, kinds: d.kinds, message: d.message })) },
    });
  }
  return {
    receiptId: receipt.id,
    replayed: false,
    documentKind: "TRANSFER",
    documentId: transfer.id,
    documentNumber: transfer.number,
    status,
    skuIds: plan.skuIds,
    value: plan.value,
    discrepancies: plan.discrepancies,
    observedLeadTimeDays: null,
  };
}

export interface UnreceivedReceipt {
  receiptId: string;
  replayed: boolean;
  documentKind: "PURCHASE_ORDER" | "TRANSFER";
  documentId: string;
  status: string;
  skuIds: string[];
}

/**
 * Reverses a receipt: compensating UNRECEIVE / reversed TRANSFER_IN movements, the journal entries
 * swapped, the unpaid payable cancelled, the line counts taken back and the PO reopened (nothing is
 * deleted). A second call finds the receipt reversed and writes nothing.
 */
export async function unreceiveReceipt(shopId: string, receiptId: string, options: ReceivingOptions & { by?: string | null } = {}): Promise<UnreceivedReceipt> {
  const now = options.now ?? new Date();
  const by = options.by?.trim() || null;
  const result = await forShop(shopId).$transaction(async (tx): Promise<UnreceivedReceipt> => {
    const peek = await findReceipt(tx, shopId, receiptId);
    if (!peek) throw new AppError("not_found", "Receipt not found");
    // Lock the document first (the same order as receiving), then read the receipt again under it.
    if (peek.purchaseOrderId) await lockPurchaseOrder(tx, shopId, peek.purchaseOrderId);
    else if (peek.transferId) await lockTransfer(tx, shopId, peek.transferId);
    const receipt = await findReceipt(tx, shopId, receiptId);
    if (!receipt) throw new AppError("not_found", "Receipt not found");
    const kind = receipt.purchaseOrderId ? "PURCHASE_ORDER" : "TRANSFER";
    const documentId = (receipt.purchaseOrderId ?? receipt.transferId) as string;
    const skuIds = [...new Set(receipt.lines.filter((l) => l.quantityReceived > 0).map((l) => l.skuId))].sort();
    if (receipt.status === "REVERSED") {
      const status = kind === "PURCHASE_ORDER" ? (await loadReceivablePurchaseOrder(tx, shopId, documentId))?.status : (await loadReceivableTransfer(tx, shopId, documentId))?.status;
      return { receiptId, replayed: true, documentKind: kind, documentId, status: status ?? "", skuIds };
    }
    await reverseMovements(shopId, "RECEIPT", receipt.id, `unreceive:${receipt.id}`, { tx: ledgerTx(tx), occurredAt: now, note: `receipt reversed${by ? ` by ${by}` : ""}` });
    await markReceiptReversed(tx, shopId, receipt.id, now);
    await resolveReceiptDiscrepancy(tx, shopId, receipt.id, now, by ? `un-received by ${by}` : "un-received");
    const counts = receipt.lines.map((l) => ({ lineId: (kind === "PURCHASE_ORDER" ? l.purchaseOrderLineId : null) ?? l.id, received: l.quantityReceived, damaged: l.quantityDamaged }));
    let status: string;
    if (kind === "PURCHASE_ORDER") {
      await applyLineCounts(tx, shopId, "PURCHASE_ORDER", counts, -1);
      const entries = await listEntriesForSource(tx, shopId, "RECEIPT", receipt.id);
      await postEntries(
        tx,
        shopId,
        entries.map((e) => ({ draft: reverseEntry(`unreceive:${e.key}`, e), postedAt: now, sourceType: "UNRECEIVE", sourceId: receipt.id })),
      );
      const payment = await findPayment(tx, shopId, `bal_${receipt.id}`);
      if (payment?.status === "DUE") await setPaymentStatus(tx, shopId, payment.id, "CANCELLED");
      else if (payment?.status === "PAID") logger.warn({ shopId, receiptId, paymentId: payment.id }, "un-received a receipt whose payable was already paid: the supplier owes a refund");
      const applied = await applyPurchaseOrderEventInTransaction(tx, shopId, documentId, "unreceive", { type: "MERCHANT", name: by ?? "receiving desk" }, { now, data: { receiptId: receipt.id } });
      await clearReceivedStamps(tx, shopId, documentId);
      status = applied.toStatus satisfies PurchaseOrderStatus;
    } else {
      const transfer = await loadReceivableTransfer(tx, shopId, documentId);
      if (!transfer) throw new AppError("not_found", "Transfer not found");
      // Transfer receipt lines carry the SKU; the transfer has one line per SKU.
      const lineBySku = new Map(transfer.lines.map((l) => [l.skuId, l.lineId]));
      await applyLineCounts(tx, shopId, "TRANSFER", receipt.lines.map((l) => ({ lineId: lineBySku.get(l.skuId) as string, received: l.quantityReceived, damaged: 0 })), -1);
      const next = transferTransition(transfer.status, "unreceive", transfer.number);
      if (!next.ok) throw new AppError("conflict", next.error);
      status = next.value;
      await setTransferStatus(tx, shopId, documentId, next.value, { receivedAt: null });
    }
    return { receiptId, replayed: false, documentKind: kind, documentId, status, skuIds };
  }, TRANSACTION);
  await afterStockChange(shopId, result.skuIds, options, now);
  return result;
}

/** The engine re-plans the SKUs and every channel gets the new available quantities. Jobs are idempotent. */
async function afterStockChange(shopId: string, skuIds: readonly string[], options: ReceivingOptions, now: Date): Promise<void> {
  if (skuIds.length === 0) return;
  const queues = options.queues;
  await requestReorderForSkus(shopId, skuIds, { now, ...(queues ? { queues } : {}) });
  await requestStockPush(shopId, skuIds, queues ? { queues: queues as QueueRegistry } : {});
}
