/**
 * The transfer lifecycle (issue 5, item 7): draft → approved → shipped (stock leaves the source) →
 * received (stock arrives at the destination, through the receiving service); cancelled before it ships.
 * Pure: the service locks the row, asks here, and writes what comes back.
 */
import { MAX_UNITS_PER_LINE } from "../shared/quantity.ts";
import { err, ok, type Result } from "../shared/result.ts";

export const TRANSFER_STATUSES = ["DRAFT", "APPROVED", "SHIPPED", "RECEIVED", "CANCELLED"] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

export const TRANSFER_TRANSITIONS = {
  approve: { from: ["DRAFT"], to: "APPROVED" },
  ship: { from: ["APPROVED"], to: "SHIPPED" },
  // A partial arrival keeps it SHIPPED (the rest is still on the way); `receive` ends it.
  receive: { from: ["SHIPPED"], to: "RECEIVED" },
  // An un-received transfer receipt puts the goods back on the road.
  unreceive: { from: ["SHIPPED", "RECEIVED"], to: "SHIPPED" },
  cancel: { from: ["DRAFT", "APPROVED"], to: "CANCELLED" },
} as const satisfies Record<string, { from: readonly TransferStatus[]; to: TransferStatus }>;

export type TransferEvent = keyof typeof TRANSFER_TRANSITIONS;

export function transferTransition(status: TransferStatus, event: TransferEvent, number = "this transfer"): Result<TransferStatus, string> {
  const rule = TRANSFER_TRANSITIONS[event];
  if (!(rule.from as readonly TransferStatus[]).includes(status)) {
    return err(`Cannot ${event} ${number}: it is ${status.toLowerCase()} (allowed from: ${rule.from.map((s) => s.toLowerCase()).join(", ")})`);
  }
  return ok(rule.to);
}

export interface TransferLineDraft {
  skuId: string;
  quantity: number;
}

/** A hand-made transfer's lines: whole positive units, one line per SKU, two different locations. */
export function validateTransferDraft(fromLocationId: string, toLocationId: string, lines: readonly TransferLineDraft[]): Result<TransferLineDraft[], string> {
  if (!fromLocationId || !toLocationId) return err("Choose the location the goods leave and the one they go to");
  if (fromLocationId === toLocationId) return err("A transfer needs two different locations");
  if (lines.length === 0) return err("Add at least one SKU with a quantity");
  const seen = new Set<string>();
  for (const line of lines) {
    if (!Number.isSafeInteger(line.quantity) || line.quantity <= 0 || line.quantity > MAX_UNITS_PER_LINE) {
      return err(`Quantities must be whole units from 1 to ${MAX_UNITS_PER_LINE.toLocaleString("en-US")} (got ${line.quantity})`);
    }
    if (seen.has(line.skuId)) return err("Each SKU may appear once on a transfer");
    seen.add(line.skuId);
  }
  return ok([...lines]);
}
