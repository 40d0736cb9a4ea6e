/**
 * Validation: anything flagged goes to the review queue and is never auto-sent. Flags are data (a code and
 * a sentence) so the admin can filter on them and the explanation can quote them.
 */
import { formatCents, type Cents } from "../shared/money.ts";

export type FlagCode =
  | "quantity_over_typical"
  | "bulk_order_trigger"
  | "supplier_dispute"
  | "product_not_active"
  | "insufficient_lead_time_history"
  | "low_margin"
  | "po_over_approval_threshold"
  | "low_data"
  | "order_alert"
  | "no_supplier";

export interface Flag {
  code: FlagCode;
  message: string;
}

export type ProductStatus = "active" | "discontinued" | "seasonal" | "end_of_life";

export interface LineAnomalyInput {
  quantity: number;
  /** Median of this SKU's recent PO quantities; null when it has none. */
  typicalPurchaseQuantity: number | null;
  position: number;
  reorderPoint: number;
  /** Largest customer order in the review window (what could have pushed the SKU below its ROP). */
  largestRecentOrder: number;
  supplierDisputeOpen: boolean;
  status: ProductStatus;
  leadTimeFromHistory: boolean;
  minReceivedOrders: number;
  /** Gross margin % at the chosen cost, null when the sell price is unknown. */
  marginPct: number | null;
  marginThreshold: number;
  lowData: boolean;
}

export function detectLineAnomalies(input: LineAnomalyInput): Flag[] {
  const flags: Flag[] = [];
  if (input.quantity <= 0) return flags;
  if (input.typicalPurchaseQuantity !== null && input.typicalPurchaseQuantity > 0 && input.quantity > 2 * input.typicalPurchaseQuantity) {
    flags.push({ code: "quantity_over_typical", message: `${input.quantity} units is more than 200% of the typical order of ${input.typicalPurchaseQuantity}` });
  }
  if (input.largestRecentOrder > 0 && input.position < input.reorderPoint && input.position + input.largestRecentOrder >= input.reorderPoint) {
    flags.push({ code: "bulk_order_trigger", message: `a single order of ${input.largestRecentOrder} units caused the reorder` });
  }
  if (input.supplierDisputeOpen) flags.push({ code: "supplier_dispute", message: "the supplier has an open quality dispute" });
  if (input.status !== "active") flags.push({ code: "product_not_active", message: `the product is ${input.status.replace(/_/g, " ")}` });
  if (!input.leadTimeFromHistory) {
    flags.push({ code: "insufficient_lead_time_history", message: `fewer than ${input.minReceivedOrders} received POs: the configured lead time was used` });
  }
  if (input.marginPct !== null && input.marginPct < input.marginThreshold) {
    flags.push({ code: "low_margin", message: `margin ${input.marginPct.toFixed(1)}% is below margin_threshold ${input.marginThreshold}%` });
  }
  if (input.lowData) flags.push({ code: "low_data", message: "too few orders to trust the rate" });
  return flags;
}

export function detectPurchaseOrderAnomalies(input: { total: Cents; approvalThreshold: Cents | null; orderAlert: Cents | null; supplierDisputeOpen: boolean; currency: string }): Flag[] {
  const flags: Flag[] = [];
  if (input.approvalThreshold !== null && input.total > input.approvalThreshold) {
    flags.push({ code: "po_over_approval_threshold", message: `PO value ${formatCents(input.total, input.currency)} is above the approval threshold ${formatCents(input.approvalThreshold, input.currency)}` });
  }
  if (input.orderAlert !== null && input.total >= input.orderAlert) {
    flags.push({ code: "order_alert", message: `PO value ${formatCents(input.total, input.currency)} reaches order_alert ${formatCents(input.orderAlert, input.currency)}` });
  }
  if (input.supplierDisputeOpen) flags.push({ code: "supplier_dispute", message: "the supplier has an open quality dispute" });
  return flags;
}
