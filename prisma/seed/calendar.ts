/**
 * Moving the log's timeline to "now" and pinning it to the shop's zone. The log is written in UK local
 * time (2010-12-01 … 2011-12-09); the seed shifts every date by a whole number of days so the log's last
 * day becomes the day before `asOf`, keeping each line's local clock time. Stored instants are UTC, so
 * local times are converted with the UK rule (BST = UTC+1 from the last Sunday of March 01:00 UTC to the
 * last Sunday of October 01:00 UTC; in force since 1981). The demo shop's zone is Europe/London.
 */
import { dayOfWeek, daysFromCivil, fromDayNumber, toDayNumber, type DayNumber, type IsoDay } from "#app/domain/shared/day.ts";

export const LOG_FIRST_DAY: IsoDay = "2010-12-01";
export const LOG_LAST_DAY: IsoDay = "2011-12-09";
export const SHOP_TIMEZONE = "Europe/London";

/** Days to add to a log date so that LOG_LAST_DAY lands on `asOf − 1`. */
export function logShiftDays(asOf: IsoDay): number {
  return toDayNumber(asOf) - 1 - toDayNumber(LOG_LAST_DAY);
}

function lastSundayOf(year: number, month: number): DayNumber {
  const lastDay = daysFromCivil(year, month + 1, 1) - 1; // the day before the 1st of the next month
  return lastDay - ((dayOfWeek(lastDay) + 1) % 7); // dayOfWeek: 0 = Monday … 6 = Sunday
}

/** UTC offset in minutes of UK local time on the instant `utcMs`. */
export function londonOffsetMinutes(utcMs: number): number {
  const day = Math.floor(utcMs / 86_400_000);
  const year = Number(fromDayNumber(day).slice(0, 4));
  const start = lastSundayOf(year, 3) * 86_400_000 + 3_600_000;
  const end = lastSundayOf(year, 10) * 86_400_000 + 3_600_000;
  return utcMs >= start && utcMs < end ? 60 : 0;
}

/**
 * UTC instant of a UK local wall-clock time. In the skipped spring hour the time is read as GMT, in the
 * repeated autumn hour as BST: no log line falls in either (the shop traded 06:00–21:00).
 */
export function londonToUtc(day: IsoDay | DayNumber, time: string): Date {
  const n = typeof day === "number" ? day : toDayNumber(day);
  const [h = 0, m = 0, s = 0] = time.split(":").map(Number);
  const asIfUtc = n * 86_400_000 + ((h * 60 + m) * 60 + s) * 1000;
  const offset = londonOffsetMinutes(asIfUtc - 60 * 60_000);
  return new Date(asIfUtc - offset * 60_000);
}

/** The UK local calendar day of an instant. */
export function londonDayOf(instant: Date): IsoDay {
  const ms = instant.getTime();
  return fromDayNumber(Math.floor((ms + londonOffsetMinutes(ms) * 60_000) / 86_400_000));
}
