/** Days left = position / daily forecast, and the day stock is projected to run out. */
import { addDays, type IsoDay } from "../shared/day.ts";

export interface DaysLeft {
  /** null when nothing is forecast to sell. */
  daysLeft: number | null;
  stockOutDate: IsoDay | null;
}

/**
 * With a per-day forecast (index 0 = asOf) the stock-out date walks it, so a promotion next week moves the
 * date; beyond the forecast the mean rate continues. `daysLeft` is the simple ratio.
 */
export function computeDaysLeft(position: number, dailyForecast: number, asOf: IsoDay, daily?: ArrayLike<number>): DaysLeft {
  if (dailyForecast <= 0) return { daysLeft: null, stockOutDate: null };
  const daysLeft = Math.max(0, position / dailyForecast);
  if (position <= 0) return { daysLeft: 0, stockOutDate: asOf };
  let remaining = position;
  let day = 0;
  if (daily) {
    for (; day < daily.length; day++) {
      remaining -= daily[day] ?? 0;
      if (remaining < 0) return { daysLeft, stockOutDate: addDays(asOf, day) };
    }
  }
  const more = Math.floor(remaining / dailyForecast);
  return { daysLeft, stockOutDate: addDays(asOf, day + more) };
}
