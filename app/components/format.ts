// Display formatting shared by the admin pages. Fixed locale and explicit time zones: the server renders
// the page and the browser hydrates it, so both must produce the same text wherever they run.

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

export function formatCount(value: number): string {
  return integer.format(value);
}

/** Calendar dates (`@db.Date` columns) are stored as UTC midnight: format them in UTC, or they slip a day. */
export function formatDay(value: Date | string | null | undefined): string {
  if (!value) return "—";
  return new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" }).format(new Date(value));
}

const monthYear = new Intl.DateTimeFormat("en-US", { month: "long", year: "numeric", timeZone: "UTC" });
const monthDay = new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" });

/** `2026-11` → "November 2026"; null for anything that is not a month. */
export function formatMonth(month: string): string | null {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 12) return null;
  return monthYear.format(new Date(`${month}-01T00:00:00.000Z`));
}

/** `2026-11-03` → "Nov 3", for chart axes. */
export function formatMonthDay(day: string): string {
  return monthDay.format(new Date(`${day}T00:00:00.000Z`));
}

/** A promotion's expected uplift: "+35%", "-10%". */
export function formatUplift(pct: number): string {
  return `${pct > 0 ? "+" : ""}${pct}%`;
}

/** An instant, shown in the shop's own time zone. */
export function formatDateTime(value: Date | string, timeZone: string): string {
  return new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone }).format(new Date(value));
}

const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] as const;

export function weekdayName(day: number): string {
  return WEEKDAYS[day] ?? String(day);
}

export const WEEKDAY_OPTIONS = WEEKDAYS.map((label, value) => ({ label, value: String(value) }));
