/**
 * Estimator (a): the 30-day weighted average that gives the last 7 days 3× weight, after a median filter
 * so one freak day cannot triple the rate. Out-of-stock days carry no information about demand and are
 * left out of both the numerator and the weights.
 */
export interface EwaOptions {
  windowDays: number;
  recentDays: number;
  recentWeight: number;
  /** A day above this multiple of the window's median selling day is a spike and counts as that median. */
  spikeMultiple: number;
}

export const DEFAULT_EWA_OPTIONS: Readonly<EwaOptions> = Object.freeze({ windowDays: 30, recentDays: 7, recentWeight: 3, spikeMultiple: 5 });

export interface EwaVelocity {
  dailyRate: number;
  daysUsed: number;
  spikeDays: number;
  /** The median selling day the spike filter compared against (0 when too few selling days to judge). */
  medianSellingDay: number;
  /** Largest single day in the window, before filtering: the published formula's "peak". */
  peakDay: number;
}

/** Reused by computeEwaVelocity (single-threaded, not re-entered). */
let sellingScratch = new Float64Array(64);

export function computeEwaVelocity(
  units: ArrayLike<number>,
  outOfStock: ArrayLike<number> | undefined,
  endIndex: number,
  options: EwaOptions = DEFAULT_EWA_OPTIONS,
): EwaVelocity {
  const from = Math.max(0, endIndex - options.windowDays);
  if (sellingScratch.length < endIndex - from) sellingScratch = new Float64Array(endIndex - from);
  let n = 0;
  let peakDay = 0;
  for (let i = from; i < endIndex; i++) {
    if (outOfStock && (outOfStock[i] ?? 0) > 0) continue;
    const u = units[i] ?? 0;
    if (u > 0) sellingScratch[n++] = u;
    if (u > peakDay) peakDay = u;
  }
  // Only positive numbers: the typed array's numeric sort orders them as (a, b) => a - b would.
  const selling = sellingScratch.subarray(0, n).sort();
  // With fewer than five selling days a "spike" cannot be told from normal lumpy demand.
  const medianSellingDay = selling.length >= 5 ? (selling[(selling.length - 1) >> 1] ?? 0) : 0;
  const cap = medianSellingDay > 0 ? medianSellingDay * options.spikeMultiple : Infinity;
  let weighted = 0;
  let weights = 0;
  let spikeDays = 0;
  let daysUsed = 0;
  for (let i = from; i < endIndex; i++) {
    if (outOfStock && (outOfStock[i] ?? 0) > 0) continue;
    let u = units[i] ?? 0;
    if (u > cap) {
      u = medianSellingDay;
      spikeDays++;
    }
    const w = i >= endIndex - options.recentDays ? options.recentWeight : 1;
    weighted += w * u;
    weights += w;
    daysUsed++;
  }
  return { dailyRate: weights > 0 ? weighted / weights : 0, daysUsed, spikeDays, medianSellingDay, peakDay };
}
