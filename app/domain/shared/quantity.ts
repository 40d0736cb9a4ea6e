/** Whole-unit helpers. Stock moves in units; forecasts are fractional and become units only here. */

const EPSILON = 1e-9;

/** Smallest whole number ≥ x, tolerant of floating noise (17.000000001 → 17). */
export function ceilUnits(x: number): number {
  return Math.ceil(x - EPSILON);
}

export function roundUnits(x: number): number {
  return Math.round(x);
}

export function roundUpToMultiple(quantity: number, multiple: number): number {
  if (multiple <= 1) return ceilUnits(quantity);
  return ceilUnits(quantity / multiple) * multiple;
}

export function clamp(x: number, lo: number, hi: number): number {
  return x < lo ? lo : x > hi ? hi : x;
}

/** Mean of an array-like, 0 when empty. */
export function mean(values: ArrayLike<number>): number {
  if (values.length === 0) return 0;
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i] as number;
  return s / values.length;
}

/** Sample standard deviation (n − 1), 0 with fewer than two values. */
export function sampleStdDev(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return 0;
  const m = mean(values);
  let ss = 0;
  for (let i = 0; i < n; i++) {
    const d = (values[i] as number) - m;
    ss += d * d;
  }
  return Math.sqrt(ss / (n - 1));
}

/** Percentile by linear interpolation between closest ranks (p in 0..100) of an ascending array. */
export function percentileOfSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return 0;
  if (n === 1) return sorted[0] as number;
  const rank = (clamp(p, 0, 100) / 100) * (n - 1);
  const lo = Math.floor(rank);
  const hi = Math.min(n - 1, lo + 1);
  const frac = rank - lo;
  return (sorted[lo] as number) + ((sorted[hi] as number) - (sorted[lo] as number)) * frac;
}

export function percentile(values: ArrayLike<number>, p: number): number {
  const sorted = Float64Array.from(values as ArrayLike<number>).sort();
  return percentileOfSorted(sorted, p);
}

export function median(values: ArrayLike<number>): number {
  return percentile(values, 50);
}
