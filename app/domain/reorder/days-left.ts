/** Days left = position / daily forecast, and the day stock is projected to run out (within ten years). */
import { addDays, type IsoDay } from "../shared/day.ts";

export interface DaysLeft {
  /** null when nothing is forecast to sell. */
  daysLeft: number | null;
  /** null when nothing is forecast to sell, or the stock lasts beyond STOCK_OUT_HORIZON_DAYS. */
  stockOutDate: IsoDay | null;
}

/**
 * Both from the rate the plan uses (the one behind the reorder point and the SKU page's projection): the
 * stock-out date is asOf + days left, rounded down. Walking the model's own daily forecast instead put the
 * date weeks after the days left whenever the conservative floor held the planning rate above the model.
 */
export function computeDaysLeft(position: number, dailyForecast: number, asOf: IsoDay): DaysLeft {
  if (dailyForecast <= 0) return { daysLeft: null, stockOutDate: null };
  if (position <= 0) return { daysLeft: 0, stockOutDate: asOf };
  const daysLeft = position / dailyForecast;
  return { daysLeft, stockOutDate: daysLeft > STOCK_OUT_HORIZON_DAYS ? null : addDays(asOf, Math.floor(daysLeft)) };
}

/**
 * No stock-out date further ahead than this: dead stock selling a unit a year would otherwise get a date
 * in year 273,792,727, which no one can act on and no date column can store.
 */
export const STOCK_OUT_HORIZON_DAYS = 3650;
