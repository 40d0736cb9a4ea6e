import type { ReviewKind } from "@prisma/client";

/** How the anomaly queue names each kind of item, in the order the page lists them. */
export const REVIEW_KIND_LABELS: Record<ReviewKind, string> = {
  FLAGGED_PO: "Flagged purchase orders",
  UNACKNOWLEDGED_PO: "Suppliers who have not acknowledged",
  LATE_SHIPMENT: "Late shipments",
  RECEIPT_DISCREPANCY: "Receipt discrepancies",
  CHANNEL_ERROR: "Channel errors",
  UNMAPPED_LISTING: "Unmapped listings",
  VELOCITY_CHANGE: "Sudden velocity changes",
  STALE_SUPPLIER_DATA: "Stale supplier data",
  SUPPLIER_MESSAGE: "Supplier messages",
  REMITTANCE_CHANGE: "Bank detail changes",
};

export const REVIEW_KINDS = Object.keys(REVIEW_KIND_LABELS) as ReviewKind[];

export function formatRate(rate: number | null): string {
  return rate === null ? "—" : `${(rate * 100).toFixed(1)}%`;
}
