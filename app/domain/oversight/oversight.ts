/**
 * The arithmetic behind the dashboard, the daily snapshots and the anomaly detectors: pure functions of
 * the data passed in (days are day numbers in the shop's calendar, no clock).
 */
import type { DayNumber } from "../shared/day.ts";

// ───────────────────────────── In-stock rate per day, replayed from the ledger ─────────────────────────────

export interface InStockSku {
  skuId: string;
  /** First shop day the SKU counts (it existed / was on the market); earlier days leave it out. */
  fromDay: DayNumber;
  isClassA: boolean;
  /** False for SKUs not meant to sell (discontinued, end of life): their stock is held, but never "out". */
  inScope?: boolean;
}

/** Ledger movements of one SKU × location summed per shop day. */
export interface DayMovement {
  skuId: string;
  locationId: string;
  day: DayNumber;
  quantity: number;
}

export interface DayInStock {
  day: DayNumber;
  skuCount: number;
  inStockSkuCount: number;
  skuCountA: number;
  inStockSkuCountA: number;
  /** SKUs in scope that no location held a positive quantity of at the end of the day. */
  outOfStockSkuIds: string[];
  /** Positive balances per SKU at the end of the day (oversold locations count as zero). */
  unitsHeld: Map<string, number>;
}

/**
 * Replays the ledger day by day: a SKU is in stock on a day when some location holds a positive quantity
 * at the end of it (the same rule as "out of stock now": oversold stock at one place does not cancel
 * stock at another). Movements before `fromDay` make the opening balances.
 */
export function dailyInStock(skus: readonly InStockSku[], movements: readonly DayMovement[], fromDay: DayNumber, toDay: DayNumber): DayInStock[] {
  const balances = new Map<string, Map<string, number>>();
  const sorted = [...movements].sort((a, b) => a.day - b.day);
  let next = 0;
  const apply = (m: DayMovement) => {
    const byLocation = balances.get(m.skuId) ?? new Map<string, number>();
    byLocation.set(m.locationId, (byLocation.get(m.locationId) ?? 0) + m.quantity);
    balances.set(m.skuId, byLocation);
  };
  while (next < sorted.length && sorted[next]!.day < fromDay) apply(sorted[next++]!);
  const out: DayInStock[] = [];
  for (let day = fromDay; day <= toDay; day++) {
    while (next < sorted.length && sorted[next]!.day === day) apply(sorted[next++]!);
    const row: DayInStock = { day, skuCount: 0, inStockSkuCount: 0, skuCountA: 0, inStockSkuCountA: 0, outOfStockSkuIds: [], unitsHeld: new Map() };
    for (const sku of skus) {
      let held = 0;
      for (const quantity of balances.get(sku.skuId)?.values() ?? []) if (quantity > 0) held += quantity;
      if (held > 0) row.unitsHeld.set(sku.skuId, held);
      if (sku.inScope === false || sku.fromDay > day) continue;
      row.skuCount++;
      if (sku.isClassA) row.skuCountA++;
      if (held > 0) {
        row.inStockSkuCount++;
        if (sku.isClassA) row.inStockSkuCountA++;
      } else {
        row.outOfStockSkuIds.push(sku.skuId);
      }
    }
    out.push(row);
  }
  return out;
}

/** SKU-days in stock over SKU-days in scope (so a day with more SKUs weighs more); null without data. */
export function inStockRate(days: readonly { inStock: number; count: number }[]): number | null {
  let inStock = 0;
  let count = 0;
  for (const d of days) {
    inStock += d.inStock;
    count += d.count;
  }
  return count === 0 ? null : inStock / count;
}

/**
 * Days of supply: stock at cost divided by what the forecast consumes per day at cost. Null when nothing
 * is forecast to sell (infinite cover is not a number to show).
 */
export function daysOfSupply(valueAtCostCents: number, dailyConsumptionCents: number): number | null {
  if (dailyConsumptionCents <= 0) return null;
  return Math.round((valueAtCostCents / dailyConsumptionCents) * 100) / 100;
}

// ───────────────────────────── Detectors ─────────────────────────────

export interface VelocityInput {
  /** Forecast units per day (summed over locations). */
  forecastDaily: number;
  /** Standard deviation of daily demand the forecast carries (σd). */
  dailyStdDev: number;
  /** Units sold over the recent window. */
  recentUnits: number;
  windowDays: number;
}

export interface VelocityDeparture {
  direction: "up" | "down";
  recentDaily: number;
  expectedUnits: number;
  /** Normal error of the window's total: z × σd × √days. */
  tolerance: number;
}

/** A departure needs at least this many units off the forecast, so one extra sale of a slow mover is not news. */
export const VELOCITY_MIN_UNITS = 5;
/** Three standard errors: under a stable forecast this fires on about 1 SKU-week in 370. */
export const VELOCITY_Z = 3;

/**
 * Has the SKU's recent rate left its forecast's normal error band? The window's total is compared with
 * forecast × days; the band is z standard errors of a sum of `windowDays` daily demands (σd × √days).
 */
export function detectVelocityChange(input: VelocityInput): VelocityDeparture | null {
  const { forecastDaily, dailyStdDev, recentUnits, windowDays } = input;
  if (windowDays <= 0 || !Number.isFinite(forecastDaily) || forecastDaily < 0) return null;
  const expectedUnits = forecastDaily * windowDays;
  const tolerance = Math.max(VELOCITY_Z * Math.max(dailyStdDev, 0) * Math.sqrt(windowDays), VELOCITY_MIN_UNITS);
  const gap = recentUnits - expectedUnits;
  if (Math.abs(gap) <= tolerance) return null;
  return { direction: gap > 0 ? "up" : "down", recentDaily: recentUnits / windowDays, expectedUnits, tolerance };
}

/** Supplier prices and lead times unconfirmed for longer than a quarter are stale. */
export const STALE_SUPPLIER_DAYS = 91;

export function isSupplierDataStale(confirmedDay: DayNumber, today: DayNumber, staleAfterDays = STALE_SUPPLIER_DAYS): boolean {
  return today - confirmedDay > staleAfterDays;
}

/** How long a sent PO may wait for the supplier's acknowledgement before a person should chase it. */
export const ACKNOWLEDGE_WITHIN_HOURS = 48;

export function isUnacknowledged(sentAt: Date, now: Date, withinHours = ACKNOWLEDGE_WITHIN_HOURS): boolean {
  return now.getTime() - sentAt.getTime() > withinHours * 3_600_000;
}

/** A shipment is late the day after its expected arrival day has passed without the goods. */
export function isShipmentLate(expectedArrivalDay: DayNumber, today: DayNumber): boolean {
  return expectedArrivalDay < today;
}
