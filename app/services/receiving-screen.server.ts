import { PO_TRANSITIONS } from "#app/domain/purchasing/purchase-order.ts";
import { observedLeadTimeDays } from "#app/domain/receiving/observed-lead-time.ts";
import { AppError } from "#app/lib/app-error.ts";
import { listOpenDiscrepancies, listReceipts, loadReceivablePurchaseOrder, loadReceivableTransfer, type ReceiptSummary } from "#app/models/receipt.server.ts";
import { forShop } from "#app/models/scoped-db.server.ts";

// What the receiving screen shows for one PO or transfer: the lines to count (with the codes a scanner
// may send), the receipts so far (each with its un-receive), and open discrepancies.

export interface ScreenLine {
  lineId: string;
  skuId: string;
  skuCode: string;
  barcode: string | null;
  title: string;
  expected: number;
  received: number;
  damaged: number;
  outstanding: number;
}

export interface ReceivingScreen {
  kind: "PURCHASE_ORDER" | "TRANSFER";
  id: string;
  number: string;
  status: string;
  /** Goods can be booked against it now. */
  receivable: boolean;
  counterparty: string;
  locationName: string;
  expectedArrivalDate: Date | null;
  observedLeadTimeDays: number | null;
  lines: ScreenLine[];
  receipts: (ReceiptSummary & { discrepancy: string | null })[];
}

const RECEIVABLE_PO = new Set<string>(PO_TRANSITIONS["receive-partial"].from);

function toLines(lines: { lineId: string; skuId: string; skuCode: string; barcode: string | null; title: string; quantityExpected: number; quantityReceived: number; quantityDamaged: number }[]): ScreenLine[] {
  return lines.map((l) => ({
    lineId: l.lineId,
    skuId: l.skuId,
    skuCode: l.skuCode,
    barcode: l.barcode,
    title: l.title,
    expected: l.quantityExpected,
    received: l.quantityReceived,
    damaged: l.quantityDamaged,
    outstanding: Math.max(0, l.quantityExpected - l.quantityReceived),
  }));
}

async function withDiscrepancies(shopId: string, receipts: ReceiptSummary[]): Promise<ReceivingScreen["receipts"]> {
  const open = await listOpenDiscrepancies(shopId, receipts.map((r) => r.id));
  const reason = new Map(open.map((o) => [o.subjectId, o.reason]));
  return receipts.map((r) => ({ ...r, discrepancy: reason.get(r.id) ?? null }));
}

export async function loadReceivingScreen(shopId: string, purchaseOrderId: string): Promise<ReceivingScreen> {
  const po = await loadReceivablePurchaseOrder(forShop(shopId), shopId, purchaseOrderId);
  if (!po) throw new AppError("not_found", "Purchase order not found");
  const receipts = await listReceipts(shopId, { purchaseOrderId });
  return {
    kind: "PURCHASE_ORDER",
    id: po.id,
    number: po.number,
    status: po.status,
    receivable: RECEIVABLE_PO.has(po.status),
    counterparty: po.supplierName,
    locationName: po.locationName,
    expectedArrivalDate: po.expectedArrivalDate,
    observedLeadTimeDays: observedLeadTimeDays(po.sentAt, po.receivedAt),
    lines: toLines(po.lines),
    receipts: await withDiscrepancies(shopId, receipts),
  };
}

export async function loadTransferReceivingScreen(shopId: string, transferId: string): Promise<ReceivingScreen> {
  const transfer = await loadReceivableTransfer(forShop(shopId), shopId, transferId);
  if (!transfer) throw new AppError("not_found", "Transfer not found");
  const receipts = await listReceipts(shopId, { transferId });
  const from = await forShop(shopId).location.findFirst({ where: { id: transfer.fromLocationId }, select: { name: true } });
  return {
    kind: "TRANSFER",
    id: transfer.id,
    number: transfer.number,
    status: transfer.status,
    receivable: transfer.status === "SHIPPED",
    counterparty: from ? `from ${from.name}` : "transfer",
    locationName: transfer.locationName,
    expectedArrivalDate: null,
    observedLeadTimeDays: null,
    lines: toLines(transfer.lines),
    receipts: await withDiscrepancies(shopId, receipts),
  };
}
