/**
 * Promotions and known events: a multiplier on forecast demand for a date range, for all SKUs or a list.
 * Overlapping promotions multiply, which is what a sale during a holiday peak does.
 */
import { toDayNumber, type IsoDay } from "../shared/day.ts";

export interface Promotion {
  id?: string;
  from: IsoDay;
  /** Inclusive. */
  to: IsoDay;
  multiplier: number;
  /** SKUs it applies to; absent = every SKU. */
  skuIds?: readonly string[];
}

/** Returns a copy of `daily` (index 0 = `firstDay`) with every applicable promotion's multiplier applied. */
export function applyPromotions(daily: Float64Array, firstDay: IsoDay, promotions: readonly Promotion[], skuId: string): { daily: Float64Array; applied: string[] } {
  const out = Float64Array.from(daily);
  const applied: string[] = [];
  const first = toDayNumber(firstDay);
  for (const p of promotions) {
    if (p.skuIds && !p.skuIds.includes(skuId)) continue;
    const from = Math.max(0, toDayNumber(p.from) - first);
    const to = Math.min(out.length - 1, toDayNumber(p.to) - first);
    if (to < from) continue;
    for (let i = from; i <= to; i++) out[i] = (out[i] ?? 0) * p.multiplier;
    applied.push(p.id ?? `${p.from}..${p.to} ×${p.multiplier}`);
  }
  return { daily: out, applied };
}

/**
 * The promotions' mean multiplier over `days` days from `firstDay` (1 when none applies): the uplift the
 * demand over that window gets, e.g. a week at ×3 inside a 14-day lead time is ×2.
 */
export function meanPromotionMultiplier(firstDay: IsoDay, days: number, promotions: readonly Promotion[], skuId: string): number {
  if (promotions.length === 0 || days < 1) return 1;
  const { daily, applied } = applyPromotions(new Float64Array(days).fill(1), firstDay, promotions, skuId);
  if (applied.length === 0) return 1;
  let sum = 0;
  for (let i = 0; i < days; i++) sum += daily[i] ?? 0;
  return sum / days;
}
