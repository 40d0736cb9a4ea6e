/**
 * Chooses and runs the forecast for one SKU. "ewa" and "period-string" are the two velocity formulas;
 * "model" back-tests the statistical models that suit the SKU's demand class (Holt-Winters for smooth and
 * erratic sellers, Croston-SBA/TSB for intermittent and lumpy ones); "auto" back-tests all of them.
 * The back-test scores the total over the horizon, because a reorder point only cares about that sum.
 */
import { prepareHistory, type CleanDemand, type DemandHistory, type PreparedHistory } from "../demand/clean-demand.ts";
import type { SupplierParameters } from "../reorder/supplier-parameters.ts";
import { toDayNumber, fromDayNumber, type IsoDay } from "../shared/day.ts";
import { computeEwaVelocity, type EwaVelocity } from "./velocity.ts";
import { computePeriodStringRate, computePeriodStringVelocity, type PeriodStringVelocity } from "./period-string.ts";
import { classifyDemand, runIntermittentModels, type DemandClassification } from "./intermittent.ts";
import { computeYearlyIndex, runHoltWinters } from "./holt-winters.ts";
import { applyPromotions, type Promotion } from "./promotions.ts";
import { dayOfWeek } from "../shared/day.ts";

export type ForecastMethod = "ewa" | "period-string" | "model" | "auto";
export type ForecastModel = "ewa" | "period-string" | "holt-winters" | "croston" | "tsb";

export interface BacktestScore {
  model: ForecastModel;
  /** Mean absolute error of the horizon total over the back-test origins, in units. */
  meanAbsoluteError: number;
}

export interface DemandForecast {
  method: ForecastMethod;
  model: ForecastModel;
  /** Mean forecast units per day over the horizon, promotions included. */
  dailyRate: number;
  /**
   * The same mean before promotions: what the planner compares with the recent velocities. It applies the
   * promotions itself, over the days its reorder point covers, to whichever rate it plans on.
   */
  unpromotedRate: number;
  /** Per-day forecast; index 0 is the asOf day. */
  daily: Float64Array;
  firstDay: IsoDay;
  classification: DemandClassification;
  backtest: BacktestScore[];
  ewa: EwaVelocity;
  periodString: PeriodStringVelocity;
  /** Standard deviation of daily demand over recent in-stock days (σd). */
  dailyStdDev: number;
  /** Mean daily demand over the same days, for comparison with the forecast. */
  recentMean: number;
  yearlyIndex: number;
  promotionsApplied: string[];
}

export interface ForecastOptions {
  method: ForecastMethod;
  horizonDays: number;
  backtestHorizonDays: number;
  backtestOrigins: number;
  /** Days of recent history behind σd. */
  volatilityWindowDays: number;
  promotions: readonly Promotion[];
  skuId: string;
}

export const DEFAULT_FORECAST_OPTIONS: Readonly<Omit<ForecastOptions, "skuId">> = Object.freeze({
  method: "auto" as ForecastMethod,
  horizonDays: 56,
  backtestHorizonDays: 28,
  backtestOrigins: 3,
  volatilityWindowDays: 91,
  promotions: [] as readonly Promotion[],
});

export function forecastDemand(
  history: DemandHistory | PreparedHistory,
  clean: CleanDemand,
  params: SupplierParameters,
  asOf: IsoDay | Date,
  options: Partial<ForecastOptions> & { skuId: string },
): DemandForecast {
  const opts = { ...DEFAULT_FORECAST_OPTIONS, ...options };
  const prep = prepareHistory(history);
  const end = clean.units.length;
  const startDay = toDayNumber(clean.startDay);
  const units = clean.units;
  const oos = clean.outOfStock;
  const classification = classifyDemand(units, oos, end - 182, end);
  const ewa = computeEwaVelocity(units, oos, end);
  const periodString = computePeriodStringVelocity(prep, params, { endIndex: end, daysOnMarket: clean.daysOnMarket, lowData: clean.lowData });

  const H = opts.backtestHorizonDays;
  const origins: number[] = [];
  for (let k = opts.backtestOrigins; k >= 1; k--) {
    const o = end - k * H;
    if (o >= 56) origins.push(o);
  }
  const regular = classification.demandClass === "smooth" || classification.demandClass === "erratic";
  const candidates: ForecastModel[] =
    opts.method === "ewa" ? ["ewa"]
    : opts.method === "period-string" ? ["period-string"]
    : opts.method === "model" ? (regular ? ["holt-winters", "croston", "tsb"] : ["croston", "tsb", "holt-winters"])
    : ["holt-winters", "croston", "tsb", "ewa", "period-string"];

  // A year plus the back-test span is enough for the smoothing models to forget their start; older days
  // only cost time (the yearly index reads last year directly).
  const from = Math.max(0, end - 364 - opts.backtestOrigins * H);
  const hw = candidates.includes("holt-winters") ? runHoltWinters(units, oos, startDay, from, end, origins, H) : null;
  const im = candidates.includes("croston") || candidates.includes("tsb") ? runIntermittentModels(units, oos, from, end, origins) : null;

  const backtest: BacktestScore[] = [];
  if (candidates.length > 1 && origins.length > 0) {
    // The smoothing models' forecasts carry the yearly index (below), so each origin judges them with the
    // index they would have had there: judged without it, a seasonal model lost to a flat one it would beat.
    const yearlyAt = origins.map((o) => computeYearlyIndex(units, o, Math.min(H, 56)));
    for (const model of candidates) {
      let err = 0;
      for (let k = 0; k < origins.length; k++) {
        const o = origins[k] as number;
        let actual = 0;
        for (let i = o; i < o + H; i++) actual += units[i] ?? 0;
        const yearly = yearlyAt[k] as number;
        let predicted: number;
        switch (model) {
          case "holt-winters": predicted = (hw ? (hw.totals[k] ?? 0) : 0) * yearly; break;
          case "croston": predicted = (im?.croston[k] ?? 0) * H * yearly; break;
          case "tsb": predicted = (im?.tsb[k] ?? 0) * H * yearly; break;
          case "ewa": predicted = computeEwaVelocity(units, oos, o).dailyRate * H; break;
          case "period-string":
            predicted = computePeriodStringRate(prep, params, { endIndex: o, daysOnMarket: clean.daysOnMarket === null ? null : clean.daysOnMarket - (end - o), lowData: clean.lowData }) * H;
            break;
        }
        err += Math.abs(predicted - actual);
      }
      backtest.push({ model, meanAbsoluteError: err / origins.length });
    }
  }
  // Without enough history to back-test, the intermittent-safe TSB (or the chosen formula) is the fallback.
  let model: ForecastModel = candidates.length === 1 ? (candidates[0] as ForecastModel) : backtest.length > 0 ? pickBest(backtest) : candidates.includes("tsb") ? "tsb" : (candidates[0] as ForecastModel);

  const horizon = opts.horizonDays;
  const yearlyIndex = model === "ewa" || model === "period-string" ? 1 : computeYearlyIndex(units, end, Math.min(horizon, 56));
  const daily = new Float64Array(horizon);
  if (model === "holt-winters" && hw) {
    const st = hw.state;
    let damp = 0;
    let phiPow = 1;
    for (let h = 1; h <= horizon; h++) {
      phiPow *= st.phi;
      damp += phiPow;
      const f = st.level + damp * st.trend + (st.season[dayOfWeek(st.nextDay + h - 1)] ?? 0);
      daily[h - 1] = Math.max(0, f) * yearlyIndex;
    }
  } else {
    const rate =
      model === "ewa" ? ewa.dailyRate
      : model === "period-string" ? periodString.dailyRate
      : model === "croston" ? (im?.croston[origins.length] ?? 0)
      : (im?.tsb[origins.length] ?? 0);
    daily.fill(rate * yearlyIndex);
  }

  const firstDay = fromDayNumber(toDayNumber(asOf));
  const promoted = opts.promotions.length > 0 ? applyPromotions(daily, firstDay, opts.promotions, opts.skuId) : { daily, applied: [] };
  let total = 0;
  let unpromoted = 0;
  for (let i = 0; i < horizon; i++) {
    total += promoted.daily[i] ?? 0;
    unpromoted += daily[i] ?? 0;
  }

  const vol = recentVolatility(units, oos, end, opts.volatilityWindowDays);
  return {
    method: opts.method,
    model,
    dailyRate: horizon > 0 ? total / horizon : 0,
    unpromotedRate: horizon > 0 ? unpromoted / horizon : 0,
    daily: promoted.daily,
    firstDay,
    classification,
    backtest,
    ewa,
    periodString,
    dailyStdDev: vol.stdDev,
    recentMean: vol.mean,
    yearlyIndex,
    promotionsApplied: promoted.applied,
  };
}

function pickBest(scores: readonly BacktestScore[]): ForecastModel {
  let best = scores[0] as BacktestScore;
  for (const s of scores) if (s.meanAbsoluteError < best.meanAbsoluteError) best = s;
  return best.model;
}

/** Mean and sample standard deviation of daily units over the last `window` in-stock days. */
export function recentVolatility(units: ArrayLike<number>, oos: ArrayLike<number> | undefined, end: number, window: number): { mean: number; stdDev: number; days: number } {
  let n = 0;
  let s = 0;
  let ss = 0;
  for (let i = Math.max(0, end - window); i < end; i++) {
    if (oos && (oos[i] ?? 0) > 0) continue;
    const u = units[i] ?? 0;
    n++;
    s += u;
    ss += u * u;
  }
  if (n === 0) return { mean: 0, stdDev: 0, days: 0 };
  const m = s / n;
  const v = n > 1 ? Math.max(0, (ss - n * m * m) / (n - 1)) : 0;
  return { mean: m, stdDev: Math.sqrt(v), days: n };
}
