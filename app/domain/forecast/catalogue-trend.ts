/**
 * The shop-wide demand trend: last 28 days against the 28 before, over every SKU together. One SKU's
 * four weeks are too noisy to extrapolate, but a seasonal ramp (this log doubles from August to November)
 * moves the whole catalogue, and pooling makes that visible weeks before each SKU's own average catches up.
 */
export interface CatalogueTrend {
  /** Log growth per day. */
  growthPerDay: number;
  recentUnits: number;
  previousUnits: number;
  /** Length of each of the two windows compared (28 when absent). */
  windowDays?: number;
}

export function computeCatalogueTrend(series: readonly { units: ArrayLike<number>; endIndex: number }[], windowDays = 28): CatalogueTrend {
  let recent = 0;
  let previous = 0;
  for (const s of series) {
    for (let i = Math.max(0, s.endIndex - windowDays); i < s.endIndex; i++) recent += s.units[i] ?? 0;
    for (let i = Math.max(0, s.endIndex - 2 * windowDays); i < s.endIndex - windowDays; i++) previous += s.units[i] ?? 0;
  }
  const growthPerDay = recent > 0 && previous > 0 ? Math.log(recent / previous) / windowDays : 0;
  return { growthPerDay, recentUnits: recent, previousUnits: previous, windowDays };
}

/**
 * Multiplier for a rate measured over the last `windowDays` (centred half a window ago) to the middle of
 * the next `horizonDays`, bounded so one odd month cannot double or halve every order.
 */
export function trendMultiplier(trend: CatalogueTrend, horizonDays: number, windowDays = trend.windowDays ?? 28, bounds: [number, number] = [0.85, 1.6]): number {
  const m = Math.exp(trend.growthPerDay * (windowDays / 2 + horizonDays / 2));
  return Math.min(bounds[1], Math.max(bounds[0], m));
}
