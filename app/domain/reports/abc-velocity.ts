/**
 * ABC/velocity report (issue 7 item 5): each SKU's class by trailing-year revenue (the engine's own
 * classifyAbc: top 20 % of SKUs A, next 30 % B), its share of revenue, its sales rate and how that rate is
 * moving (last 30 days against the last 90). Pure.
 */
import { classifyAbc, type AbcClass } from "../reorder/abc.ts";

export interface AbcSkuInput {
  skuId: string;
  code: string;
  title: string;
  revenue365: number;
  units365: number;
  units90: number;
  units30: number;
}

export type Movement = "rising" | "steady" | "falling" | "stopped" | "none";

export interface AbcRow extends AbcSkuInput {
  abcClass: AbcClass;
  rank: number;
  revenueShare: number;
  cumulativeShare: number;
  rate30: number;
  rate90: number;
  movement: Movement;
}

/** A 30-day rate this far above or below the 90-day rate counts as a change of pace. */
export const MOVEMENT_BAND = 0.25;

export function movementOf(rate30: number, rate90: number): Movement {
  if (rate90 <= 0) return rate30 > 0 ? "rising" : "none";
  if (rate30 <= 0) return "stopped";
  if (rate30 > rate90 * (1 + MOVEMENT_BAND)) return "rising";
  if (rate30 < rate90 * (1 - MOVEMENT_BAND)) return "falling";
  return "steady";
}

export function abcVelocity(skus: readonly AbcSkuInput[]): { rows: AbcRow[]; byClass: Record<AbcClass, { skus: number; revenue: number; share: number }> } {
  const classes = classifyAbc(skus.map((s) => ({ skuId: s.skuId, revenue: s.revenue365 })));
  const total = skus.reduce((a, s) => a + s.revenue365, 0);
  const sorted = [...skus].sort((a, b) => b.revenue365 - a.revenue365 || (a.skuId < b.skuId ? -1 : a.skuId > b.skuId ? 1 : 0));
  let cumulative = 0;
  const rows = sorted.map((s, i) => {
    cumulative += s.revenue365;
    const rate30 = s.units30 / 30;
    const rate90 = s.units90 / 90;
    return {
      ...s, abcClass: classes.get(s.skuId) ?? "C", rank: i + 1, revenueShare: total > 0 ? s.revenue365 / total : 0, cumulativeShare: total > 0 ? cumulative / total : 0,
      rate30, rate90, movement: movementOf(rate30, rate90),
    } satisfies AbcRow;
  });
  const byClass = { A: { skus: 0, revenue: 0, share: 0 }, B: { skus: 0, revenue: 0, share: 0 }, C: { skus: 0, revenue: 0, share: 0 } };
  for (const r of rows) {
    byClass[r.abcClass].skus++;
    byClass[r.abcClass].revenue += r.revenue365;
  }
  for (const c of ["A", "B", "C"] as const) byClass[c].share = total > 0 ? byClass[c].revenue / total : 0;
  return { rows, byClass };
}
