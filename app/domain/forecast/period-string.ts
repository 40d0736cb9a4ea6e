/**
 * Estimator (b): the period string. Each period (default 4, 8, 18, 30, 52 weeks, all ending yesterday)
 * gives a daily rate with its own outlier test and out-of-stock adjustment; the velocity is their plain
 * average. Short periods overlap the recent weeks that long ones also contain, so recent demand weighs more.
 */
import { measurePeriod, type DemandHistory, type PeriodMeasure } from "../demand/clean-demand.ts";
import { parsePeriodString, type SupplierParameters } from "../reorder/supplier-parameters.ts";

export interface PeriodStringVelocity {
  dailyRate: number;
  periods: PeriodMeasure[];
  /** How the rate was formed: "average", "longest" (low-data), "days-on-market" (too new for any period) or "none". */
  basis: "average" | "longest" | "days-on-market" | "none";
}

export function computePeriodStringVelocity(
  history: DemandHistory,
  params: SupplierParameters,
  context: { endIndex: number; daysOnMarket: number | null; lowData: boolean },
): PeriodStringVelocity {
  const parsed = parsePeriodString(params.periodString);
  const weeks = parsed.ok ? parsed.weeks : [4, 8, 18, 30, 52];
  const periods = weeks.map((w) => measurePeriod(history, w, context, params));
  const used = periods.filter((p) => p.used);
  if (used.length > 0) {
    if (context.lowData) {
      const longest = used[used.length - 1] as PeriodMeasure;
      return { dailyRate: longest.dailyRate, periods, basis: "longest" };
    }
    let s = 0;
    for (const p of used) s += p.dailyRate;
    return { dailyRate: s / used.length, periods, basis: "average" };
  }
  if (context.daysOnMarket !== null && context.daysOnMarket > 0) {
    // Too new for the shortest period: its life so far is the only evidence there is.
    let units = 0;
    for (let i = Math.max(0, context.endIndex - context.daysOnMarket); i < context.endIndex; i++) units += history.units[i] ?? 0;
    return { dailyRate: units / context.daysOnMarket, periods, basis: "days-on-market" };
  }
  return { dailyRate: 0, periods, basis: "none" };
}
