/**
 * One proposed PO per supplier per run. Under order_min the PO waits for the next run, unless one of its
 * SKUs would stock out before that run. Over order_max, the least urgent lines are deferred. A PO is
 * auto-sent only when the supplier allows it and nothing on it (or about it) is flagged.
 */
import { toDayNumber, type IsoDay } from "../shared/day.ts";
import type { Cents } from "../shared/money.ts";
import { detectPurchaseOrderAnomalies, type Flag } from "./anomalies.ts";

export interface ConsolidationLine {
  skuId: string;
  locationId: string;
  supplierId: string;
  quantity: number;
  lineTotal: Cents;
  stockOutDate: IsoDay | null;
  flags: readonly Flag[];
}

export interface SupplierOrderPolicy {
  supplierId: string;
  orderMin: Cents;
  orderMax: Cents | null;
  orderAlert: Cents | null;
  autoSend: boolean;
  disputeOpen: boolean;
}

export type PurchaseOrderStatus = "proposed" | "waiting";

export interface ProposedPurchaseOrder {
  supplierId: string;
  status: PurchaseOrderStatus;
  lines: ConsolidationLine[];
  /** Lines pushed to a later run by order_max. */
  deferredLines: ConsolidationLine[];
  total: Cents;
  autoSend: boolean;
  needsReview: boolean;
  flags: Flag[];
  reason: string;
}

export function consolidatePurchaseOrders(
  lines: readonly ConsolidationLine[],
  suppliers: readonly SupplierOrderPolicy[],
  options: { asOf: IsoDay; nextRunOn: IsoDay; approvalThreshold: Cents | null; currency: string },
): ProposedPurchaseOrder[] {
  const bySupplier = new Map<string, ConsolidationLine[]>();
  for (const line of lines) {
    if (line.quantity <= 0) continue;
    const list = bySupplier.get(line.supplierId) ?? [];
    list.push(line);
    bySupplier.set(line.supplierId, list);
  }
  const policies = new Map(suppliers.map((s) => [s.supplierId, s]));
  const nextRun = toDayNumber(options.nextRunOn);
  const urgency = (l: ConsolidationLine): number => (l.stockOutDate === null ? Number.MAX_SAFE_INTEGER : toDayNumber(l.stockOutDate));
  // Most urgent first. Each line's date is parsed once, not at every comparison: a nightly run sorts tens
  // of thousands of lines.
  const byUrgency = (list: readonly ConsolidationLine[]): ConsolidationLine[] =>
    list
      .map((line) => ({ line, day: urgency(line) }))
      .sort((a, b) => a.day - b.day || (a.line.skuId < b.line.skuId ? -1 : 1))
      .map((d) => d.line);

  const out: ProposedPurchaseOrder[] = [];
  for (const supplierId of [...bySupplier.keys()].sort()) {
    const policy = policies.get(supplierId) ?? { supplierId, orderMin: 0, orderMax: null, orderAlert: null, autoSend: false, disputeOpen: false };
    const all = byUrgency(bySupplier.get(supplierId) ?? []);
    let kept = all;
    let deferred: ConsolidationLine[] = [];
    if (policy.orderMax !== null) {
      kept = [];
      let running = 0;
      for (const l of all) {
        // The most urgent line always goes, even alone above order_max: a PO must be able to exist.
        if (kept.length === 0 || running + l.lineTotal <= policy.orderMax) {
          kept.push(l);
          running += l.lineTotal;
        } else deferred.push(l);
      }
    }
    const total = kept.reduce((s, l) => s + l.lineTotal, 0);
    const urgent = kept.some((l) => urgency(l) < nextRun);
    let status: PurchaseOrderStatus = "proposed";
    let reason = "total meets order_min";
    if (total < policy.orderMin) {
      if (urgent) reason = "below order_min, but a SKU would stock out before the next run";
      else {
        status = "waiting";
        reason = "below order_min: waits for the next run";
      }
    }
    if (deferred.length > 0) reason += `; ${deferred.length} line(s) deferred by order_max`;
    const flags = detectPurchaseOrderAnomalies({ total, approvalThreshold: options.approvalThreshold, orderAlert: policy.orderAlert, supplierDisputeOpen: policy.disputeOpen, currency: options.currency });
    const needsReview = flags.length > 0 || kept.some((l) => l.flags.length > 0);
    out.push({ supplierId, status, lines: kept, deferredLines: deferred, total, autoSend: policy.autoSend && !needsReview && status === "proposed", needsReview, flags, reason });
  }
  return out;
}
