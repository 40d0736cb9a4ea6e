/**
 * Picks one supplier per SKU by a weighted score (default 40 % price, 30 % lead-time reliability, 20 %
 * quality, 10 % MOQ flexibility). Each component is scaled to 0..1 so weights mean what they say, and the
 * breakdown is returned for the explanation. A supplier with an open quality dispute is only chosen when
 * it is the sole source.
 */
import type { PriceUnits } from "../shared/money.ts";

export interface SupplierWeights {
  price: number;
  leadTime: number;
  quality: number;
  moqFlexibility: number;
}

export const DEFAULT_SUPPLIER_WEIGHTS: Readonly<SupplierWeights> = Object.freeze({ price: 0.4, leadTime: 0.3, quality: 0.2, moqFlexibility: 0.1 });

export interface SupplierCandidate {
  supplierId: string;
  unitPrice: PriceUnits;
  /** 0..1 from lead-time history (on-time share, or 1 − CV); null without history. */
  leadTimeReliability: number | null;
  /** Share of received units found defective (0..1). */
  defectRate: number;
  moq: number;
  /** 0..1 when the supplier states how flexible its MOQ is; otherwise derived from MOQ vs typical need. */
  moqFlexibility?: number;
  disputeOpen: boolean;
}

export interface SupplierScore {
  supplierId: string;
  total: number;
  components: SupplierWeights;
  excluded: string | null;
}

export function chooseSupplier(
  candidates: readonly SupplierCandidate[],
  typicalNeed: number,
  weights: SupplierWeights = DEFAULT_SUPPLIER_WEIGHTS,
): { chosen: SupplierScore | null; scores: SupplierScore[] } {
  if (candidates.length === 0) return { chosen: null, scores: [] };
  const cheapest = Math.min(...candidates.map((c) => c.unitPrice));
  const weightSum = weights.price + weights.leadTime + weights.quality + weights.moqFlexibility || 1;
  const scores = candidates.map((c): SupplierScore => {
    const components: SupplierWeights = {
      price: c.unitPrice > 0 ? cheapest / c.unitPrice : 1,
      // No history: neither rewarded nor punished.
      leadTime: c.leadTimeReliability ?? 0.5,
      // 10 % defects is as bad as it gets for scoring.
      quality: 1 - Math.min(1, c.defectRate / 0.1),
      moqFlexibility: c.moqFlexibility ?? (c.moq <= 0 ? 1 : Math.min(1, typicalNeed / c.moq)),
    };
    const total =
      (weights.price * components.price + weights.leadTime * components.leadTime + weights.quality * components.quality + weights.moqFlexibility * components.moqFlexibility) / weightSum;
    return { supplierId: c.supplierId, total, components, excluded: c.disputeOpen ? "open quality dispute" : null };
  });
  const eligible = scores.filter((s) => s.excluded === null);
  const pool = eligible.length > 0 ? eligible : scores;
  let chosen = pool[0] as SupplierScore;
  for (const s of pool) if (s.total > chosen.total || (s.total === chosen.total && s.supplierId < chosen.supplierId)) chosen = s;
  return { chosen, scores };
}
