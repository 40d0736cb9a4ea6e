/**
 * Estimator (c) for regular sellers: additive Holt-Winters with a damped trend and day-of-week
 * seasonality, plus a yearly index from the same weeks a year earlier when two seasons of history exist.
 * Additive seasonality because lumpy daily series have zeros that make multiplicative indices explode.
 */
import { dayOfWeek } from "../shared/day.ts";

export interface HoltWintersOptions {
  alpha: number;
  beta: number;
  gamma: number;
  phi: number;
}

export const DEFAULT_HOLT_WINTERS_OPTIONS: Readonly<HoltWintersOptions> = Object.freeze({ alpha: 0.05, beta: 0.005, gamma: 0.05, phi: 0.98 });

export interface HoltWintersState {
  level: number;
  trend: number;
  /** Additive day-of-week effects indexed by dayOfWeek (0 = Monday). */
  season: Float64Array;
  phi: number;
  /** Day number of the next day to forecast. */
  nextDay: number;
}

/** Forecast of the total over the `horizon` days starting at `state.nextDay`. */
export function forecastHoltWintersTotal(state: HoltWintersState, horizon: number): number {
  let total = 0;
  let damp = 0;
  let phiPow = 1;
  for (let h = 1; h <= horizon; h++) {
    phiPow *= state.phi;
    damp += phiPow;
    const f = state.level + damp * state.trend + (state.season[dayOfWeek(state.nextDay + h - 1)] ?? 0);
    if (f > 0) total += f;
  }
  return total;
}

/**
 * One pass over [from, end); `origins` (ascending day indices) get the forecast total over `horizon` made
 * with data before them. The last element is the forecast made at `end`. Returns the final state too.
 */
export function runHoltWinters(
  units: ArrayLike<number>,
  outOfStock: ArrayLike<number> | undefined,
  startDayNumber: number,
  from: number,
  end: number,
  origins: readonly number[],
  horizon: number,
  options: HoltWintersOptions = DEFAULT_HOLT_WINTERS_OPTIONS,
): { totals: Float64Array; state: HoltWintersState } {
  const { alpha, beta, gamma, phi } = options;
  const totals = new Float64Array(origins.length + 1);
  const season = new Float64Array(7);
  const init = Math.min(end - from, 28);
  let level = 0;
  if (init > 0) {
    const sums = new Float64Array(7);
    const counts = new Float64Array(7);
    let total = 0;
    for (let i = from; i < from + init; i++) {
      const u = units[i] ?? 0;
      const d = dayOfWeek(startDayNumber + i);
      sums[d] = (sums[d] ?? 0) + u;
      counts[d] = (counts[d] ?? 0) + 1;
      total += u;
    }
    level = total / init;
    for (let d = 0; d < 7; d++) season[d] = (counts[d] ?? 0) > 0 ? (sums[d] ?? 0) / (counts[d] ?? 1) - level : 0;
  }
  let trend = 0;
  let o = 0;
  const state: HoltWintersState = { level, trend, season, phi, nextDay: startDayNumber + from };
  // Day of week stepped along with i (dayOfWeek(startDayNumber + i), without a modulo per day).
  let d = dayOfWeek(startDayNumber + from) - 1;
  for (let i = from; i < end; i++) {
    while (o < origins.length && (origins[o] as number) <= i) {
      state.level = level;
      state.trend = trend;
      state.nextDay = startDayNumber + i;
      totals[o++] = forecastHoltWintersTotal(state, horizon);
    }
    d = d === 6 ? 0 : d + 1;
    if (outOfStock && (outOfStock[i] ?? 0) > 0) {
      level += phi * trend;
      trend *= phi;
      continue;
    }
    const u = units[i] ?? 0;
    const s = season[d] ?? 0;
    const prev = level;
    level = alpha * (u - s) + (1 - alpha) * (level + phi * trend);
    trend = beta * (level - prev) + (1 - beta) * phi * trend;
    season[d] = gamma * (u - level) + (1 - gamma) * s;
  }
  state.level = level;
  state.trend = trend;
  state.nextDay = startDayNumber + end;
  while (o < origins.length) totals[o++] = forecastHoltWintersTotal(state, horizon);
  totals[origins.length] = forecastHoltWintersTotal(state, horizon);
  return { totals, state };
}

/**
 * Yearly index for the next `horizon` days: last year's units over the same days divided by last year's
 * units over the `base` days before them, shrunk toward 1 because one year is a single noisy observation.
 * Returns 1 without a full year plus horizon of history.
 */
export function computeYearlyIndex(units: ArrayLike<number>, end: number, horizon: number, base = 56, shrink = 0.5): number {
  const lastYear = end - 364; // 52 weeks keeps weekdays aligned
  if (lastYear - base < 0 || lastYear + horizon > end) return 1;
  let ahead = 0;
  let before = 0;
  for (let i = lastYear; i < lastYear + horizon; i++) ahead += units[i] ?? 0;
  for (let i = lastYear - base; i < lastYear; i++) before += units[i] ?? 0;
  if (before <= 0) return 1;
  const raw = ahead / horizon / (before / base);
  const bounded = Math.min(3, Math.max(1 / 3, raw));
  return 1 + shrink * (bounded - 1);
}
