/**
 * What a count at the dock means (issue 5, item 8), without storage: each PO line of a receipt is
 * classified as fully / partially / not received, over-received, damaged or wrong item; the
 * discrepancies a person must look at are flagged; the PO's next status follows from the line totals;
 * and an un-receive is the exact inverse of a receipt (the same deltas, negated).
 *
 * Decisions:
 * - Only good units enter stock and the payable. Damaged and wrong-item units are counted on the
 *   receipt (for the supplier claim) but never booked: they are not sellable and were not what was ordered.
 * - Short lines are not a discrepancy on their own: suppliers ship in parts, and the PO stays partly
 *   received until the rest comes or a person closes it short. Over, damaged and wrong-item are flagged.
 * - Over-received units are booked (they are on the shelf), at the line's unit cost, and flagged.
 */
import { lineTotalCents, type Cents, type PriceUnits } from "../shared/money.ts";
import { MAX_UNITS_PER_LINE } from "../shared/quantity.ts";
import { err, ok, type Result } from "../shared/result.ts";

export type LineOutcome = "FULL" | "PARTIAL" | "NOT_RECEIVED" | "OVER" | "DAMAGED" | "WRONG_ITEM";
export type Discrepancy = "OVER" | "DAMAGED" | "WRONG_ITEM";

/** A document line goods are received against (a PO line, or a transfer line). */
export interface ReceivableLine {
  lineId: string;
  skuId: string;
  /** Expected in total (ordered, or sent on the transfer). */
  quantityExpected: number;
  /** Good units received by earlier receipts that were not reversed. */
  quantityReceived: number;
  quantityDamaged: number;
  unitCost: PriceUnits;
}

/** What the warehouse counted for one line in this delivery. */
export interface LineCount {
  lineId: string;
  received: number;
  damaged?: number;
  wrongItem?: number;
}

export interface PlannedReceiptLine {
  lineId: string;
  skuId: string;
  received: number;
  damaged: number;
  wrongItem: number;
  /** Still expected before this receipt / after it (never below zero). */
  outstandingBefore: number;
  outstandingAfter: number;
  outcome: LineOutcome;
  discrepancies: Discrepancy[];
  unitCost: PriceUnits;
  /** Good units × unit cost, in cents: what enters inventory and the payable. */
  value: Cents;
}

export interface ReceiptPlan {
  /** Every line of the document, in input order, with its outcome in this receipt. */
  lines: PlannedReceiptLine[];
  /** Lines this receipt records (anything counted on them). */
  recorded: PlannedReceiptLine[];
  /** After this receipt, every line has at least what was expected. */
  complete: boolean;
  value: Cents;
  /** SKUs whose stock this receipt changes. */
  skuIds: string[];
  discrepancies: { lineId: string; skuId: string; kinds: Discrepancy[]; message: string }[];
}

export interface ReceiptError {
  code: "unknown_line" | "invalid_quantity" | "nothing_counted" | "duplicate_line";
  message: string;
  lineId?: string;
}

function isCount(n: unknown): n is number {
  return typeof n === "number" && Number.isSafeInteger(n) && n >= 0 && n <= MAX_UNITS_PER_LINE;
}

export function classifyLine(outstandingBefore: number, received: number, damaged: number, wrongItem: number): { outcome: LineOutcome; discrepancies: Discrepancy[] } {
  const discrepancies: Discrepancy[] = [];
  if (received > outstandingBefore) discrepancies.push("OVER");
  if (damaged > 0) discrepancies.push("DAMAGED");
  if (wrongItem > 0) discrepancies.push("WRONG_ITEM");
  let outcome: LineOutcome;
  if (received > outstandingBefore) outcome = "OVER";
  else if (received > 0 && received === outstandingBefore) outcome = "FULL";
  else if (received > 0) outcome = "PARTIAL";
  else if (damaged > 0) outcome = "DAMAGED";
  else if (wrongItem > 0) outcome = "WRONG_ITEM";
  else outcome = outstandingBefore === 0 ? "FULL" : "NOT_RECEIVED";
  return { outcome, discrepancies };
}

const DISCREPANCY_WORDS: Record<Discrepancy, (line: PlannedReceiptLine) => string> = {
  OVER: (l) => `${l.received - l.outstandingBefore} more than outstanding (${l.outstandingBefore})`,
  DAMAGED: (l) => `${l.damaged} damaged`,
  WRONG_ITEM: (l) => `${l.wrongItem} wrong item${l.wrongItem === 1 ? "" : "s"}`,
};

/** Plans one receipt against a document's lines; refuses unknown lines and counts that are not whole units ≥ 0. */
export function planReceipt(lines: readonly ReceivableLine[], counts: readonly LineCount[]): Result<ReceiptPlan, ReceiptError> {
  const byId = new Map(lines.map((line) => [line.lineId, line]));
  const countById = new Map<string, LineCount>();
  for (const count of counts) {
    if (!byId.has(count.lineId)) return err({ code: "unknown_line", message: `Line ${count.lineId} is not on this document`, lineId: count.lineId });
    if (countById.has(count.lineId)) return err({ code: "duplicate_line", message: `Line ${count.lineId} is counted twice`, lineId: count.lineId });
    for (const [field, value] of [["received", count.received], ["damaged", count.damaged ?? 0], ["wrong item", count.wrongItem ?? 0]] as const) {
      if (!isCount(value)) {
        return err({ code: "invalid_quantity", message: `The ${field} quantity must be a whole number of units from 0 to ${MAX_UNITS_PER_LINE.toLocaleString("en-US")} (got ${String(value)})`, lineId: count.lineId });
      }
    }
    countById.set(count.lineId, count);
  }
  const planned = lines.map((line): PlannedReceiptLine => {
    const count = countById.get(line.lineId);
    const received = count?.received ?? 0;
    const damaged = count?.damaged ?? 0;
    const wrongItem = count?.wrongItem ?? 0;
    const outstandingBefore = Math.max(0, line.quantityExpected - line.quantityReceived);
    const { outcome, discrepancies } = classifyLine(outstandingBefore, received, damaged, wrongItem);
    return {
      lineId: line.lineId,
      skuId: line.skuId,
      received,
      damaged,
      wrongItem,
      outstandingBefore,
      outstandingAfter: Math.max(0, outstandingBefore - received),
      outcome,
      discrepancies,
      unitCost: line.unitCost,
      value: lineTotalCents(received, line.unitCost),
    };
  });
  const recorded = planned.filter((l) => l.received + l.damaged + l.wrongItem > 0);
  if (recorded.length === 0) return err({ code: "nothing_counted", message: "Nothing was counted: scan items or enter a quantity on at least one line" });
  return ok({
    lines: planned,
    recorded,
    complete: planned.every((l) => l.outstandingAfter === 0),
    value: recorded.reduce((sum, l) => sum + l.value, 0),
    skuIds: [...new Set(recorded.filter((l) => l.received > 0).map((l) => l.skuId))].sort(),
    discrepancies: recorded
      .filter((l) => l.discrepancies.length > 0)
      .map((l) => ({ lineId: l.lineId, skuId: l.skuId, kinds: l.discrepancies, message: l.discrepancies.map((d) => DISCREPANCY_WORDS[d](l)).join(", ") })),
  });
}

/** The line counters after a receipt (`sign` 1) or after undoing it (`sign` -1): un-receive is the inverse. */
export function applyReceiptToLines<T extends Pick<ReceivableLine, "lineId" | "quantityReceived" | "quantityDamaged">>(
  lines: readonly T[],
  receipt: readonly { lineId: string; received: number; damaged: number }[],
  sign: 1 | -1 = 1,
): T[] {
  const delta = new Map(receipt.map((r) => [r.lineId, r]));
  return lines.map((line) => {
    const d = delta.get(line.lineId);
    if (!d) return line;
    return { ...line, quantityReceived: line.quantityReceived + sign * d.received, quantityDamaged: line.quantityDamaged + sign * d.damaged };
  });
}

/** The PO event a receipt fires: complete once every line has what was ordered. */
export function receiptEvent(linesAfter: readonly Pick<ReceivableLine, "quantityExpected" | "quantityReceived">[]): "receive-complete" | "receive-partial" {
  return linesAfter.every((l) => l.quantityReceived >= l.quantityExpected) ? "receive-complete" : "receive-partial";
}

/** Where a scanned code points: a line by the SKU's barcode first, then by the SKU code (case-insensitive). */
export function matchScannedCode<T extends { barcode: string | null; skuCode: string }>(lines: readonly T[], scanned: string): T | null {
  const code = scanned.trim();
  if (!code) return null;
  const upper = code.toUpperCase();
  return lines.find((l) => l.barcode !== null && l.barcode.trim() === code) ?? lines.find((l) => l.skuCode.toUpperCase() === upper) ?? null;
}
