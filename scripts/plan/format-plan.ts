/** The plan as the CLI hands it back: one CSV row per SKU, and a per-supplier purchase-order summary. */
import { formatCents, type ReplenishmentPlan } from "#app/domain/reorder/index.ts";
import { formatCsv } from "#app/lib/csv.ts";

export const PLAN_COLUMNS = [
  "sku", "supplier", "order_quantity", "unit_cost", "line_total", "reorder_point", "target", "position", "on_hand",
  "daily_forecast", "days_left", "stock_out_date", "abc_class", "flags", "explanation",
] as const;

const round = (x: number, digits: number) => Number(x.toFixed(digits));

export function formatPlanCsv(plan: ReplenishmentPlan): string {
  const rows = [...plan.suggestions]
    .sort((a, b) => (a.skuId < b.skuId ? -1 : a.skuId > b.skuId ? 1 : 0))
    .map((s) => [
      s.skuId,
      s.supplierId ?? "",
      s.orderQuantity.quantity,
      s.supplierId ? (s.orderQuantity.unitPrice / 10_000).toFixed(4).replace(/(\.\d\d)0+$/, "$1") : "",
      (s.orderQuantity.lineTotal / 100).toFixed(2),
      Math.round(s.reorderPoint),
      Math.round(s.target.target),
      s.position.position,
      s.position.onHand,
      round(s.forecast.dailyRate, 3),
      s.daysLeft === null ? "" : round(s.daysLeft, 1),
      s.stockOutDate ?? "",
      s.abcClass,
      s.flags.map((f) => f.code).join(";"),
      s.explanation,
    ]);
  return formatCsv(PLAN_COLUMNS, rows);
}

/** A fixed-width table of the proposed purchase orders, for the terminal. */
export function formatPurchaseOrderSummary(plan: ReplenishmentPlan, currency: string): string {
  if (plan.purchaseOrders.length === 0) return "No purchase orders: every SKU is above its reorder point or has no supplier.\n";
  const header = ["supplier", "status", "lines", "units", "total", "review", "note"];
  const rows = plan.purchaseOrders.map((po) => [
    po.supplierId,
    po.status,
    String(po.lines.length),
    String(po.lines.reduce((sum, l) => sum + l.quantity, 0)),
    formatCents(po.total, currency),
    po.needsReview ? "yes" : po.autoSend ? "auto-send" : "no",
    po.reason,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const numeric = new Set([2, 3, 4]);
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : numeric.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join("  ");
  return [line(header), ...rows.map(line)].join("\n") + "\n";
}
