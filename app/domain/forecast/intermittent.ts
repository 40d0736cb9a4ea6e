/**
 * Syntetos–Boylan classification and the two intermittent-demand estimators. Croston (with the SBA bias
 * correction) and TSB separate "how often" from "how much", which is what lumpy wholesale demand needs.
 */
export type DemandClass = "smooth" | "erratic" | "intermittent" | "lumpy";

export interface DemandClassification {
  demandClass: DemandClass;
  /** Average inter-demand interval in in-stock days. */
  adi: number;
  /** Squared coefficient of variation of non-zero demand sizes. */
  cv2: number;
  sellingDays: number;
}

const ADI_CUT = 1.32;
const CV2_CUT = 0.49;

export function classifyDemand(units: ArrayLike<number>, outOfStock: ArrayLike<number> | undefined, from: number, end: number): DemandClassification {
  let days = 0;
  let n = 0;
  let s = 0;
  let ss = 0;
  for (let i = Math.max(0, from); i < end; i++) {
    if (outOfStock && (outOfStock[i] ?? 0) > 0) continue;
    days++;
    const u = units[i] ?? 0;
    if (u > 0) {
      n++;
      s += u;
      ss += u * u;
    }
  }
  if (n === 0) return { demandClass: "lumpy", adi: Infinity, cv2: 0, sellingDays: 0 };
  const m = s / n;
  const variance = n > 1 ? (ss - n * m * m) / (n - 1) : 0;
  const cv2 = m > 0 ? Math.max(0, variance) / (m * m) : 0;
  const adi = days / n;
  const demandClass: DemandClass = adi < ADI_CUT ? (cv2 < CV2_CUT ? "smooth" : "erratic") : cv2 < CV2_CUT ? "intermittent" : "lumpy";
  return { demandClass, adi, cv2, sellingDays: n };
}

export interface IntermittentOptions {
  alpha: number;
  beta: number;
}

export const DEFAULT_INTERMITTENT_OPTIONS: Readonly<IntermittentOptions> = Object.freeze({ alpha: 0.1, beta: 0.05 });

/**
 * Runs Croston-SBA and TSB over [from, end) and records each one's daily forecast just before every origin
 * in `origins` (ascending), so a back-test costs one pass. Out-of-stock days are skipped, not read as zeros.
 */
export function runIntermittentModels(
  units: ArrayLike<number>,
  outOfStock: ArrayLike<number> | undefined,
  from: number,
  end: number,
  origins: readonly number[],
  options: IntermittentOptions = DEFAULT_INTERMITTENT_OPTIONS,
): { croston: Float64Array; tsb: Float64Array } {
  const { alpha, beta } = options;
  const croston = new Float64Array(origins.length + 1);
  const tsb = new Float64Array(origins.length + 1);
  let z = 0;
  let p = 0;
  let q = 1; // intervals since last demand
  let prob = 0;
  let initialised = false;
  let o = 0;
  // Recorded inline, not by a closure: a closure over z, p, prob would keep them in a heap context and
  // make every update in this loop (one per day per SKU) a memory write.
  for (let i = Math.max(0, from); i < end; i++) {
    while (o < origins.length && (origins[o] as number) <= i) {
      croston[o] = initialised && p > 0 ? (1 - alpha / 2) * (z / p) : 0;
      tsb[o] = initialised ? prob * z : 0;
      o++;
    }
    if (outOfStock && (outOfStock[i] ?? 0) > 0) continue;
    const u = units[i] ?? 0;
    if (!initialised) {
      if (u > 0) {
        z = u;
        p = q;
        prob = 1 / q;
        initialised = true;
        q = 1;
      } else q++;
      continue;
    }
    if (u > 0) {
      z += alpha * (u - z);
      p += alpha * (q - p);
      prob += beta * (1 - prob);
      q = 1;
    } else {
      prob += beta * (0 - prob);
      q++;
    }
  }
  for (; o <= origins.length; o++) {
    croston[o] = initialised && p > 0 ? (1 - alpha / 2) * (z / p) : 0;
    tsb[o] = initialised ? prob * z : 0;
  }
  return { croston, tsb };
}
