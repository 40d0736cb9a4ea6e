/**
 * Calendar days as integers. The engine never reads the clock: callers pass `asOf`, and every date is an
 * ISO day (`YYYY-MM-DD`) or its day number (days since 1970-01-01), so arithmetic is exact and free of
 * time zones and daylight-saving jumps.
 */
export type IsoDay = string;
export type DayNumber = number;

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})/;

/** Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
export function daysFromCivil(year: number, month: number, day: number): DayNumber {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Accepts `YYYY-MM-DD` (a longer ISO timestamp is cut to its date part) or a Date (its UTC date). */
export function toDayNumber(day: IsoDay | Date | DayNumber): DayNumber {
  if (typeof day === "number") {
    if (!Number.isInteger(day)) throw new RangeError(`day number must be an integer, got ${day}`);
    return day;
  }
  if (day instanceof Date) {
    const t = day.getTime();
    if (Number.isNaN(t)) throw new RangeError("invalid Date");
    return daysFromCivil(day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate());
  }
  // The engine converts the same two strings (asOf, history start) for every SKU: remember the last two.
  if (day === lastDay0) return lastNum0;
  if (day === lastDay1) return lastNum1;
  const n = parseIsoDay(day);
  lastDay1 = lastDay0;
  lastNum1 = lastNum0;
  lastDay0 = day;
  lastNum0 = n;
  return n;
}

let lastDay0: string | null = null;
let lastNum0 = 0;
let lastDay1: string | null = null;
let lastNum1 = 0;

function parseIsoDay(day: IsoDay): DayNumber {
  const m = ISO_DAY.exec(day);
  if (!m) throw new RangeError(`not an ISO day: ${JSON.stringify(day)}`);
  const year = Number(m[1]);
  const month = Number(m[2]);
  const dom = Number(m[3]);
  if (month < 1 || month > 12 || dom < 1 || dom > daysInMonth(year, month)) {
    throw new RangeError(`not a calendar day: ${day}`);
  }
  return daysFromCivil(year, month, dom);
}

export function fromDayNumber(n: DayNumber): IsoDay {
  const z = n + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

export function addDays(day: IsoDay, n: number): IsoDay {
  return fromDayNumber(toDayNumber(day) + Math.trunc(n));
}

/** `to - from` in whole days. */
export function daysBetween(from: IsoDay | Date, to: IsoDay | Date): number {
  return toDayNumber(to) - toDayNumber(from);
}

/** 0 = Monday … 6 = Sunday (1970-01-01 was a Thursday). */
export function dayOfWeek(n: DayNumber): number {
  return (((n + 3) % 7) + 7) % 7;
}
