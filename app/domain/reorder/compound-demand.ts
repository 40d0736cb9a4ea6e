/**
 * Lead-time demand as a compound Poisson process: customer orders arrive at a rate λ (orders per day at
 * the *current* forecast rate) and each order's size is drawn from the SKU's own order lines. Order-size
 * risk (one wholesale order of 200 when 40 a day is normal) is then separate from the daily rate: the
 * rate can move with the trend while the size distribution stays what the customers actually order.
 *
 * For a horizon of H days the cumulants are κₙ = λ·H·E[Xⁿ] (times a dispersion factor for clustered
 * arrivals); the distribution is approximated by a shifted gamma matched on mean, variance and skewness,
 * which keeps the right tail of lumpy demand (unlike the normal). The lead time is a mixture over the
 * supplier's lead-time distribution (late tail included), and the service-level quantile of that mixture
 * is found by a secant search on the logarithm of its tail. No sampling, so it is deterministic and
 * O(buckets × iterations) per SKU.
 */

export interface OrderSizeMoments {
  /** Orders in the sample. */
  count: number;
  m1: number;
  m2: number;
  m3: number;
}

/** Raw moments of order sizes `quantities[lo..hi)`. */
export function orderSizeMoments(quantities: ArrayLike<number>, lo = 0, hi = quantities.length): OrderSizeMoments {
  let s1 = 0, s2 = 0, s3 = 0, n = 0;
  for (let i = lo; i < hi; i++) {
    const q = quantities[i] as number;
    if (!(q > 0)) continue;
    s1 += q;
    s2 += q * q;
    s3 += q * q * q;
    n++;
  }
  return n > 0 ? { count: n, m1: s1 / n, m2: s2 / n, m3: s3 / n } : { count: 0, m1: 0, m2: 0, m3: 0 };
}

/** The moments without some of the orders (e.g. the five-factor outliers). */
export function withoutOrders(m: OrderSizeMoments, quantities: readonly number[]): OrderSizeMoments {
  let s1 = m.m1 * m.count, s2 = m.m2 * m.count, s3 = m.m3 * m.count, n = m.count;
  for (const q of quantities) {
    if (!(q > 0)) continue;
    s1 -= q;
    s2 -= q * q;
    s3 -= q * q * q;
    n--;
  }
  return n > 0 && s1 > 0 ? { count: n, m1: s1 / n, m2: Math.max(0, s2) / n, m3: Math.max(0, s3) / n } : m;
}

/**
 * The catalogue's order-size shape: the mean over SKUs (with at least `minLines` order lines) of
 * E[X²]/E[X]² and E[X³]/E[X]³. A SKU that has not yet seen a wholesale order 50× its typical one is not
 * immune to it; its own moments are blended toward this shape by credibility (see blendOrderSizes).
 */
/**
 * Order-size moments of a daily history over [end − windowDays, end): its order lines when it has them,
 * otherwise each selling day's total as one order (what prepareHistory assumes too).
 */
export function historyOrderSizeMoments(
  history: { units: ArrayLike<number>; orderDay?: ArrayLike<number>; orderQuantity?: ArrayLike<number> }, end: number, windowDays: number,
): OrderSizeMoments {
  const from = Math.max(0, end - windowDays);
  const { orderDay, orderQuantity } = history;
  if (orderDay && orderQuantity) {
    let lo = 0, hi = orderDay.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((orderDay[mid] as number) < from) lo = mid + 1;
      else hi = mid;
    }
    let top = lo;
    while (top < orderDay.length && (orderDay[top] as number) < end) top++;
    return orderSizeMoments(orderQuantity, lo, top);
  }
  return orderSizeMoments(history.units, from, Math.min(end, history.units.length));
}

export interface OrderSizePrior {
  r2: number;
  r3: number;
  skus: number;
}

export function computeOrderSizePrior(moments: readonly OrderSizeMoments[], minLines = 20): OrderSizePrior {
  let r2 = 0, r3 = 0, n = 0;
  for (const m of moments) {
    if (m.count < minLines || !(m.m1 > 0)) continue;
    r2 += m.m2 / (m.m1 * m.m1);
    r3 += m.m3 / (m.m1 * m.m1 * m.m1);
    n++;
  }
  return n > 0 ? { r2: r2 / n, r3: r3 / n, skus: n } : { r2: 1, r3: 1, skus: 0 };
}

/** Credibility blend: weight count / (count + k) on the SKU's own shape, the rest on the catalogue's. */
export function blendOrderSizes(m: OrderSizeMoments, prior: OrderSizePrior | undefined, k: number): OrderSizeMoments {
  if (!prior || prior.skus === 0 || !(m.m1 > 0) || k <= 0) return m;
  const w = m.count / (m.count + k);
  const m1 = m.m1;
  return { count: m.count, m1, m2: w * m.m2 + (1 - w) * prior.r2 * m1 * m1, m3: w * m.m3 + (1 - w) * prior.r3 * m1 * m1 * m1 };
}

export interface CompoundLeadTimeDemandInput {
  sizes: OrderSizeMoments;
  /** Daily demand the future is expected to run at (units). */
  dailyForecast: number;
  /** Sorted lead-time draws in days. */
  leadTimeSamples: ArrayLike<number>;
  /** Days added to every lead time (review period). */
  extraDays: number;
  /** Service level in (0, 1). */
  serviceLevel: number;
  /** Variance multiplier for arrivals more clustered than Poisson; 1 = Poisson. */
  dispersion?: number;
  /** Lead-time buckets of the mixture (quantile midpoints of the samples). */
  maxLeadTimeBuckets?: number;
}

export interface CompoundLeadTimeDemand {
  mean: number;
  quantile: number;
  /** Orders per day implied by the forecast and the mean order size. */
  orderRate: number;
}

export function computeCompoundLeadTimeDemand(input: CompoundLeadTimeDemandInput): CompoundLeadTimeDemand {
  const d = input.dailyForecast;
  const { m1, m2, m3 } = input.sizes;
  const hs = bucketLeadTimes(input.leadTimeSamples, input.maxLeadTimeBuckets ?? 10);
  let hMean = 0;
  for (const h of hs) hMean += h + input.extraDays;
  hMean /= hs.length;
  const mean = d * hMean;
  if (!(d > 0) || !(m1 > 0)) return { mean, quantile: mean, orderRate: 0 };
  const lambda = d / m1;
  const phi = Math.max(1, input.dispersion ?? 1);
  const tail = 1 - input.serviceLevel;
  // Shifted-gamma parameters per bucket (equal lead times merge into one weighted bucket).
  const k = hs.length;
  const shape = new Float64Array(k);
  const scale = new Float64Array(k);
  const shift = new Float64Array(k);
  const lnGammaShape = new Float64Array(k);
  const weight = new Float64Array(k);
  let used = 0;
  let hi = 0;
  let lo = Infinity;
  for (let b = 0; b < k; b++) {
    const H = Math.max(1, (hs[b] as number) + input.extraDays);
    if (used > 0 && Math.max(1, (hs[b - 1] as number) + input.extraDays) === H) {
      weight[used - 1] = (weight[used - 1] as number) + 1 / k;
      continue;
    }
    const mu = lambda * H * m1;
    const v = lambda * H * m2 * phi;
    const k3 = lambda * H * m3 * phi * phi;
    const sd = Math.sqrt(v);
    const skew = Math.max(1e-6, k3 / (v * sd));
    shape[used] = 4 / (skew * skew);
    lnGammaShape[used] = logGamma(shape[used] as number);
    scale[used] = (sd * skew) / 2;
    shift[used] = mu - (2 * sd) / skew;
    weight[used] = 1 / k;
    used++;
    hi = Math.max(hi, mu + sd * (4 + 3 * skew));
    lo = Math.min(lo, mu);
  }
  // The bracket's last evaluation is P(demand > hi) itself: kept, not evaluated again.
  let pHi = mixtureTail(used, shape, scale, shift, lnGammaShape, weight, hi);
  while (pHi > tail && hi < 1e12) {
    hi *= 2;
    pHi = mixtureTail(used, shape, scale, shift, lnGammaShape, weight, hi);
  }
  // Illinois (regula falsi with halving) on ln P(demand > x) − ln tail, decreasing in x. A gamma's tail is
  // close to exponential, so its logarithm is close to a straight line and the secant lands near the root:
  // ~7 evaluations per SKU instead of ~16 on P itself. Quantities are whole units: a tenth of a unit (or
  // 0.01 %) is enough.
  const lnTail = Math.log(tail);
  let fLo = lnMixtureTail(used, shape, scale, shift, lnGammaShape, weight, lo) - lnTail;
  let fHi = Math.log(Math.max(pHi, Number.MIN_VALUE)) - lnTail;
  if (fLo <= 0) hi = lo;
  let side = 0;
  for (let it = 0; it < 60 && hi - lo > Math.max(0.1, 1e-4 * hi); it++) {
    const x = fLo === fHi ? (lo + hi) / 2 : Math.min(hi - 0.01, Math.max(lo + 0.01, lo + (fLo * (hi - lo)) / (fLo - fHi)));
    const fx = lnMixtureTail(used, shape, scale, shift, lnGammaShape, weight, x) - lnTail;
    if (fx > 0) {
      lo = x;
      fLo = fx;
      if (side === -1) fHi /= 2;
      side = -1;
    } else {
      hi = x;
      fHi = fx;
      if (side === 1) fLo /= 2;
      side = 1;
    }
  }
  return { mean, quantile: Math.max(mean, hi), orderRate: lambda };
}

/**
 * How much more clustered the SKU's demand is than a compound Poisson process with its own order sizes:
 * the variance of week-to-week changes of weekly demand (half the mean squared difference, which ignores
 * slow level shifts such as seasonality) over the variance the model predicts for a week. Weeks with an
 * out-of-stock day are skipped (censored). Bounded to [1, max].
 */
export function estimateDispersion(
  units: ArrayLike<number>, outOfStock: ArrayLike<number> | undefined, endIndex: number, windowDays: number, sizes: OrderSizeMoments, max = 4,
): number {
  if (!(sizes.m1 > 0)) return 1;
  const weeks = Math.floor(Math.min(windowDays, endIndex) / 7);
  let prev = -1;
  let sumSq = 0, pairs = 0, total = 0, used = 0;
  for (let w = weeks; w >= 1; w--) {
    const to = endIndex - (w - 1) * 7;
    let sum = 0;
    let censored = false;
    for (let i = to - 7; i < to; i++) {
      sum += units[i] ?? 0;
      if (outOfStock && (outOfStock[i] ?? 0) > 0) censored = true;
    }
    if (censored) {
      prev = -1;
      continue;
    }
    total += sum;
    used++;
    if (prev >= 0) {
      sumSq += (sum - prev) * (sum - prev);
      pairs++;
    }
    prev = sum;
  }
  if (pairs < 8 || total <= 0) return 1;
  const observed = sumSq / pairs / 2;
  const predicted = (total / used) * (sizes.m2 / sizes.m1);
  return Math.min(max, Math.max(1, observed / predicted));
}

/** P(demand > x) under the mixture of shifted gammas (top-level: called ~20 times per SKU). */
function mixtureTail(used: number, shape: Float64Array, scale: Float64Array, shift: Float64Array, lnGammaShape: Float64Array, weight: Float64Array, x: number): number {
  let p = 0;
  for (let b = 0; b < used; b++) {
    const z = (x - (shift[b] as number)) / (scale[b] as number);
    p += (weight[b] as number) * (z <= 0 ? 1 : gammaQ(shape[b] as number, z, lnGammaShape[b] as number));
  }
  return p;
}

/** ln P(demand > x), finite where the tail underflows to 0 (so the secant never divides by infinity). */
function lnMixtureTail(used: number, shape: Float64Array, scale: Float64Array, shift: Float64Array, lnGammaShape: Float64Array, weight: Float64Array, x: number): number {
  return Math.log(Math.max(mixtureTail(used, shape, scale, shift, lnGammaShape, weight, x), Number.MIN_VALUE));
}

function bucketLeadTimes(samples: ArrayLike<number>, max: number): number[] {
  const n = samples.length;
  if (n === 0) return [0];
  if (n <= max) return Array.from(samples);
  const out: number[] = [];
  for (let j = 0; j < max; j++) out.push(samples[Math.min(n - 1, Math.floor(((j + 0.5) / max) * n))] as number);
  return out;
}

const LANCZOS = [676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];

/** ln Γ(x) for x > 0 (Lanczos, g = 7). */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = 0.99999999999980993;
  const t = z + 7.5;
  for (let i = 0; i < 8; i++) a += (LANCZOS[i] as number) / (z + i + 1);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Q(a, x) = Γ(a, x) / Γ(a), the upper tail of a gamma(a, 1) variable (series / continued fraction). */
export function regularizedGammaQ(a: number, x: number): number {
  return gammaQ(a, x, logGamma(a));
}

function gammaQ(a: number, x: number, lnGammaA: number): number {
  if (x <= 0) return 1;
  if (a > 50) {
    // Wilson–Hilferty: for large shapes (near-normal sums) it moves a 99.9 % quantile by well under 0.1 %,
    // where the series or continued fraction would need ~√a·10 terms.
    const z = (Math.cbrt(x / a) - (1 - 1 / (9 * a))) / Math.sqrt(1 / (9 * a));
    return 0.5 * erfc(z / Math.SQRT2);
  }
  const lnPre = a * Math.log(x) - x - lnGammaA;
  if (x < a + 1) {
    let sum = 1 / a;
    let term = sum;
    for (let n = 1; n < 500; n++) {
      term *= x / (a + n);
      sum += term;
      if (term < sum * 1e-12) break;
    }
    return Math.max(0, 1 - sum * Math.exp(lnPre));
  }
  // Lentz's continued fraction
  let b = x + 1 - a;
  let c = 1e300;
  let dd = 1 / b;
  let h = dd;
  for (let i = 1; i < 500; i++) {
    const an = -i * (i - a);
    b += 2;
    dd = an * dd + b;
    if (Math.abs(dd) < 1e-300) dd = 1e-300;
    c = b + an / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    dd = 1 / dd;
    const del = dd * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-12) break;
  }
  return Math.min(1, Math.exp(lnPre) * h);
}

function erfc(x: number): number {
  // Numerical Recipes erfc (Chebyshev), |error| < 1.2e-7.
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851973 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}
