/**
 * Estimator (b): the period string. Each period (default 4, 8, 18, 30, 52 weeks, all ending yesterday)
 * gives a daily rate with its own outlier test and out-of-stock adjustment; the velocity is their plain
 * average. Short periods overlap the recent weeks that long ones also contain, so recent demand weighs more.
 */
import { findOutlierOrdersInRange, measurePeriod, orderRange, prepareHistory, type DemandHistory, type PeriodMeasure, type PreparedHistory } from "../demand/clean-demand.ts";
import { parsePeriodString, type SupplierParameters } from "../reorder/supplier-parameters.ts";

export interface PeriodStringVelocity {
  dailyRate: number;
  periods: PeriodMeasure[];
  /** How the rate was formed: "average", "longest" (low-data), "days-on-market" (too new for any period) or "none". */
  basis: "average" | "longest" | "days-on-market" | "none";
}

export function computePeriodStringVelocity(
  history: DemandHistory | PreparedHistory,
  params: SupplierParameters,
  context: { endIndex: number; daysOnMarket: number | null; lowData: boolean },
): PeriodStringVelocity {
  const prep = prepareHistory(history);
  const weeks = periodWeeks(params.periodString);
  const periods = weeks.map((w) => measurePeriod(prep, w, context, params));
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
    const end = Math.min(context.endIndex, prep.prefixUnits.length - 1);
    const units = (prep.prefixUnits[end] as number) - (prep.prefixUnits[Math.max(0, end - context.daysOnMarket)] as number);
    return { dailyRate: units / context.daysOnMarket, periods, basis: "days-on-market" };
  }
  return { dailyRate: 0, periods, basis: "none" };
}

/**
 * computePeriodStringVelocity(...).dailyRate without the per-period records (the back-test asks for the
 * rate at every origin and reads nothing else). Same arithmetic in the same order, so the same number.
 */
export function computePeriodStringRate(
  history: DemandHistory | PreparedHistory,
  params: SupplierParameters,
  context: { endIndex: number; daysOnMarket: number | null; lowData: boolean },
): number {
  const prep = prepareHistory(history);
  const weeks = periodWeeks(params.periodString);
  const end = Math.min(context.endIndex, prep.prefixUnits.length - 1);
  const dom = context.daysOnMarket;
  let sum = 0;
  let count = 0;
  let last = 0;
  for (const w of weeks) {
    const days = w * 7;
    const from = Math.max(0, end - days);
    const missing = days - (end - from);
    const oos = (prep.prefixOutOfStock[end] as number) - (prep.prefixOutOfStock[from] as number);
    const adjusted = oos * (1 - params.outageLossFactor);
    // measurePeriod's three reasons to skip a period, in its order.
    if (dom !== null && days > dom + params.domFactor) continue;
    if (missing > 0 && dom === null) continue;
    if (adjusted > (params.minInstockPct / 100) * days) continue;
    const units = (prep.prefixUnits[end] as number) - (prep.prefixUnits[from] as number);
    const [lo, hi] = orderRange(prep, from, end);
    const test = findOutlierOrdersInRange(prep.orderQuantity, lo, hi, params);
    const effectiveDays = days - missing - adjusted;
    last = effectiveDays > 0 ? (units - test.excludedUnits) / effectiveDays : 0;
    sum += last;
    count++;
  }
  if (count > 0) return context.lowData ? last : sum / count;
  if (dom !== null && dom > 0) {
    const units = (prep.prefixUnits[end] as number) - (prep.prefixUnits[Math.max(0, end - dom)] as number);
    return units / dom;
  }
  return 0;
}

const parsedPeriods = new Map<string, readonly number[]>();

/** Parsed once per distinct string: the engine asks for it for every SKU. Invalid strings fall back to the default. */
function periodWeeks(periodString: string): readonly number[] {
  let weeks = parsedPeriods.get(periodString);
  if (!weeks) {
    const parsed = parsePeriodString(periodString);
    weeks = parsed.ok ? parsed.weeks : [4, 8, 18, 30, 52];
    if (parsedPeriods.size < 1000) parsedPeriods.set(periodString, weeks);
  }
  return weeks;
}
