/**
 * "Expected to ship by <date>" for a sold-out variant, from the open purchase orders that carry it.
 * Pure: the caller loads the PO lines; this decides which one a shopper may be promised.
 */

/** PO statuses where goods are on their way: sent to the supplier and not yet fully received. */
export const OPEN_PO_STATUSES = ["SENT", "ACKNOWLEDGED", "COUNTERED", "CONFIRMED", "SHIPPED", "ARRIVING", "PARTIALLY_RECEIVED"] as const;

export type OpenPoStatus = (typeof OPEN_PO_STATUSES)[number];

export type IncomingLine = {
  status: string;
  /** The PO's expected arrival (a calendar date); the line's own expected date wins when set. */
  expectedArrivalDate: Date | null;
  lineExpectedDate?: Date | null;
  quantityOrdered: number;
  quantityReceived: number;
  quantityDamaged?: number;
};

export type ExpectedShipDate = { date: Date; isoDate: string };

/**
 * The earliest arrival among open lines that still have units to come. Lines whose date is in the
 * past are skipped: an overdue PO is not a promise we can repeat to a shopper. Returns null when
 * nothing usable is on order.
 */
export function expectedShipDate(lines: readonly IncomingLine[], today: Date): ExpectedShipDate | null {
  const todayIso = isoDay(today);
  let best: string | null = null;
  for (const line of lines) {
    if (!(OPEN_PO_STATUSES as readonly string[]).includes(line.status)) continue;
    const remaining = line.quantityOrdered - line.quantityReceived - (line.quantityDamaged ?? 0);
    if (remaining <= 0) continue;
    const date = line.lineExpectedDate ?? line.expectedArrivalDate;
    if (!date || Number.isNaN(date.getTime())) continue;
    const iso = isoDay(date);
    if (iso < todayIso) continue;
    if (best === null || iso < best) best = iso;
  }
  return best === null ? null : { date: new Date(`${best}T00:00:00.000Z`), isoDate: best };
}

/** "Expected to ship by March 3, 2027" in the given locale; dates are calendar days (UTC). */
export function expectedShipMessage(eta: ExpectedShipDate, locale = "en-US"): string {
  const formatted = new Intl.DateTimeFormat(locale, { year: "numeric", month: "long", day: "numeric", timeZone: "UTC" }).format(eta.date);
  return `Expected to ship by ${formatted}`;
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}
