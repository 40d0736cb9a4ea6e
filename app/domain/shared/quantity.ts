/** Whole-unit helpers. Stock moves in units; forecasts are fractional and become units only here. */

const EPSILON = 1e-9;

/**
 * The most units one hand-entered line may carry (a receipt count, a transfer line, a write-off). Far
 * above any real delivery, so it only stops a slip such as a barcode scanned into a quantity field,
 * which would otherwise overflow the stored counters and fail the whole form.
 */
export const MAX_UNITS_PER_LINE = 1_000_000;

/** The largest quantity a stored counter holds (PostgreSQL `integer`). */
export const MAX_STORED_UNITS = 2_147_483_647;

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

/**
 * Same result as percentileOfSorted on the sorted values, in O(n) by selection instead of a sort. Reorders
 * `values` in place (pass a scratch copy).
 */
export function selectPercentile(values: Float64Array, p: number): number {
  const n = values.length;
  if (n === 0) return 0;
  const rank = (clamp(p, 0, 100) / 100) * (n - 1);
  const lo = Math.floor(rank);
  const a = selectKth(values, lo);
  if (lo + 1 >= n || rank === lo) return a;
  // After selecting lo, every element right of it is ≥ a: the next order statistic is their minimum.
  let b = Infinity;
  for (let i = lo + 1; i < n; i++) if ((values[i] as number) < b) b = values[i] as number;
  return a + (b - a) * (rank - lo);
}

/** k-th smallest (0-based) by iterative quickselect with median-of-three pivots; reorders in place. */
export function selectKth(a: Float64Array, k: number): number {
  let left = 0;
  let right = a.length - 1;
  while (right > left) {
    const mid = (left + right) >>> 1;
    let x = a[left] as number, y = a[mid] as number, z = a[right] as number;
    const pivot = x < y ? (y < z ? y : x < z ? z : x) : x < z ? x : y < z ? z : y;
    let i = left;
    let j = right;
    while (i <= j) {
      while ((a[i] as number) < pivot) i++;
      while ((a[j] as number) > pivot) j--;
      if (i <= j) {
        x = a[i] as number;
        a[i] = a[j] as number;
        a[j] = x;
        i++;
        j--;
      }
    }
    if (k <= j) right = j;
    else if (k >= i) left = i;
    else return a[k] as number;
  }
  return a[k] as number;
}
