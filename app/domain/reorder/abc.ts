/**
 * ABC classes by revenue share of SKUs: A = the top 20 % of SKUs by revenue, B = the next 30 %, C = the
 * rest. Ranking by SKU count (not cumulative revenue) matches the issue and keeps classes stable when a
 * single blockbuster dominates.
 */
export type AbcClass = "A" | "B" | "C";

export interface AbcOptions {
  aShare: number;
  bShare: number;
}

export const DEFAULT_ABC_OPTIONS: Readonly<AbcOptions> = Object.freeze({ aShare: 0.2, bShare: 0.3 });

export function classifyAbc(items: readonly { skuId: string; revenue: number }[], options: AbcOptions = DEFAULT_ABC_OPTIONS): Map<string, AbcClass> {
  // Ties break by id so the classes never depend on input order.
  const sorted = [...items].sort((a, b) => b.revenue - a.revenue || (a.skuId < b.skuId ? -1 : a.skuId > b.skuId ? 1 : 0));
  const n = sorted.length;
  const aCount = Math.ceil(n * options.aShare);
  const bCount = Math.ceil(n * (options.aShare + options.bShare));
  const out = new Map<string, AbcClass>();
  sorted.forEach((item, i) => out.set(item.skuId, i < aCount ? "A" : i < bCount ? "B" : "C"));
  return out;
}
