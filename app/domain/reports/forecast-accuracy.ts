/**
 * Forecast accuracy (issue 7 item 8): past forecasts against what then sold, week by week.
 * For each SKU and week: forecast f = the engine's daily rate at the start of the week × 7, actual a = units
 * sold in those 7 days, error e = f − a.
 * - MAE = mean |e| (units per week);
 * - MASE = MAE / MAE of the naive forecast "same as last week" over the same weeks (below 1: better than
 *   naive; undefined when last week always equalled this week);
 * - bias = Σe / Σa (positive = over-forecast), and mean error in units.
 * Aggregate figures pool every SKU-week (MASE pooled as Σ|e| / Σ|naive e|), so large sellers weigh more, as
 * they do in stock value. Pure.
 */

export interface AccuracyPoint {
  skuId: string;
  code: string;
  /** Day number of the week's first day. */
  weekStart: number;
  forecast: number;
  actual: number;
  /** Units sold in the 7 days before the week. */
  previousActual: number;
}

export interface AccuracyFigures {
  weeks: number;
  mae: number;
  mase: number | null;
  meanError: number;
  bias: number | null;
  forecastUnits: number;
  actualUnits: number;
}

function figures(points: readonly AccuracyPoint[]): AccuracyFigures {
  let abs = 0, naive = 0, err = 0, f = 0, a = 0;
  for (const p of points) {
    abs += Math.abs(p.forecast - p.actual);
    naive += Math.abs(p.previousActual - p.actual);
    err += p.forecast - p.actual;
    f += p.forecast;
    a += p.actual;
  }
  const n = points.length;
  return { weeks: n, mae: n > 0 ? abs / n : 0, mase: naive > 0 ? abs / naive : null, meanError: n > 0 ? err / n : 0, bias: a > 0 ? err / a : null, forecastUnits: f, actualUnits: a };
}

export function forecastAccuracy(points: readonly AccuracyPoint[]): {
  overall: AccuracyFigures;
  byWeek: (AccuracyFigures & { weekStart: number })[];
  bySku: (AccuracyFigures & { skuId: string; code: string })[];
} {
  const group = <K>(key: (p: AccuracyPoint) => K) => {
    const m = new Map<K, AccuracyPoint[]>();
    for (const p of points) {
      const k = key(p);
      const list = m.get(k) ?? [];
      list.push(p);
      m.set(k, list);
    }
    return m;
  };
  const byWeek = [...group((p) => p.weekStart)].sort((x, y) => x[0] - y[0]).map(([weekStart, ps]) => ({ weekStart, ...figures(ps) }));
  const bySku = [...group((p) => p.skuId)]
    .map(([skuId, ps]) => ({ skuId, code: (ps[0] as AccuracyPoint).code, ...figures(ps) }))
    .sort((x, y) => y.mae * y.weeks - x.mae * x.weeks || (x.code < y.code ? -1 : 1));
  return { overall: figures(points), byWeek, bySku };
}
