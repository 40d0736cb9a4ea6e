/**
 * The empirical distribution of demand over a lead time: every window of the SKU's recent cleaned history
 * whose length is one of the lead-time draws, rescaled from the window's own demand level to the
 * forecast. It keeps what lumpy wholesale demand actually looks like (several big orders can land in the
 * same fortnight) instead of assuming a bell curve, and mixes lead-time uncertainty in by construction.
 */
import { selectPercentile } from "../shared/quantity.ts";

export interface LeadTimeDemandInput {
  units: ArrayLike<number>;
  outOfStock?: ArrayLike<number>;
  /** One past the last complete day. */
  endIndex: number;
  /** How far back windows may start. */
  windowDays: number;
  /** Sorted lead-time draws in days (the lead-time distribution's samples). */
  leadTimeSamples: ArrayLike<number>;
  /** Days added to every lead time (review period, safety days). */
  extraDays: number;
  /** Daily demand the future is expected to run at. */
  dailyForecast: number;
  /** Service level in (0, 1). */
  serviceLevel: number;
  /** Distinct lead times considered; more draws are bucketed by quantile to bound the work. */
  maxLeadTimeBuckets?: number;
}

export interface LeadTimeDemand {
  mean: number;
  quantile: number;
  windows: number;
  /** History rate the windows were measured at, before rescaling. */
  historyRate: number;
}

export function computeLeadTimeDemand(input: LeadTimeDemandInput): LeadTimeDemand {
  const end = input.endIndex;
  const from = Math.max(0, end - input.windowDays);
  const n = end - from;
  const prefix = scratch(n + 1, 0);
  let inStock = 0;
  for (let i = 0; i < n; i++) {
    const idx = from + i;
    prefix[i + 1] = (prefix[i] as number) + (input.units[idx] ?? 0);
    if (!input.outOfStock || (input.outOfStock[idx] ?? 0) === 0) inStock++;
  }
  const historyRate = inStock > 0 ? (prefix[n] as number) / inStock : 0;
  const buckets = bucketLeadTimes(input.leadTimeSamples, input.maxLeadTimeBuckets ?? 5);
  const horizonMean = meanOf(buckets) + input.extraDays;
  const mean = input.dailyForecast * horizonMean;
  if (historyRate <= 0 || n === 0) return { mean, quantile: mean, windows: 0, historyRate };
  const scale = input.dailyForecast / historyRate;

  let count = 0;
  for (const b of buckets) count += Math.max(0, n - Math.max(1, Math.round(b + input.extraDays)) + 1);
  const sums = scratch(count, 1);
  let k = 0;
  for (const b of buckets) {
    const h = Math.max(1, Math.round(b + input.extraDays));
    if (h > n) continue;
    for (let s = 0; s + h <= n; s++) sums[k++] = ((prefix[s + h] as number) - (prefix[s] as number)) * scale;
  }
  if (k === 0) {
    // History shorter than the lead time: scale the whole history up to it.
    return { mean, quantile: mean, windows: 0, historyRate };
  }
  return { mean, quantile: Math.max(mean, selectPercentile(sums.subarray(0, k), input.serviceLevel * 100)), windows: k, historyRate };
}

function bucketLeadTimes(samples: ArrayLike<number>, max: number): number[] {
  const n = samples.length;
  if (n === 0) return [0];
  if (n <= max) return Array.from(samples as ArrayLike<number>);
  const out: number[] = [];
  for (let j = 0; j < max; j++) out.push(samples[Math.min(n - 1, Math.floor(((j + 0.5) / max) * n))] as number);
  return out;
}

function meanOf(xs: readonly number[]): number {
  let s = 0;
  for (const x of xs) s += x;
  return xs.length > 0 ? s / xs.length : 0;
}

// Reused work buffers: this runs once per SKU per run and would otherwise allocate ~15 KB each time.
// Safe because the function is synchronous and never re-entered.
const buffers: Float64Array[] = [new Float64Array(1024), new Float64Array(4096)];
function scratch(length: number, slot: 0 | 1): Float64Array {
  let b = buffers[slot] as Float64Array;
  if (b.length < length) {
    b = new Float64Array(Math.max(length, b.length * 2));
    buffers[slot] = b;
  }
  return b.subarray(0, length);
}
