/**
 * Money without floating-point totals. Amounts are integer minor units (cents). Unit prices may carry
 * sub-cent precision (suppliers quote $0.125), so they are held as integer ten-thousandths of the
 * currency unit (`PriceUnits`); a line total is computed in integers and rounded once, half away from zero.
 */
export type Cents = number;
export type PriceUnits = number;

export const PRICE_SCALE = 10_000;
const CENTS_PER_PRICE_UNIT = PRICE_SCALE / 100;

function roundHalfAwayFromZero(x: number): number {
  return x < 0 ? -Math.round(-x) : Math.round(x);
}

/** Parses a decimal amount (number or string such as "1,867.32") into integer cents. */
export function toCents(amount: number | string): Cents {
  const n = typeof amount === "string" ? Number(amount.replace(/[,\s]/g, "")) : amount;
  if (!Number.isFinite(n)) throw new RangeError(`not an amount: ${String(amount)}`);
  // The epsilon keeps 1.005 (stored as 1.00499…) rounding the way a person expects.
  return roundHalfAwayFromZero(n * 100 + (n >= 0 ? 1e-7 : -1e-7));
}

/** A unit price in currency units (e.g. 3.42) as integer ten-thousandths. */
export function toPriceUnits(price: number | string): PriceUnits {
  const n = typeof price === "string" ? Number(price.replace(/[,\s]/g, "")) : price;
  if (!Number.isFinite(n)) throw new RangeError(`not a price: ${String(price)}`);
  return roundHalfAwayFromZero(n * PRICE_SCALE + (n >= 0 ? 1e-6 : -1e-6));
}

export function priceUnitsToNumber(p: PriceUnits): number {
  return p / PRICE_SCALE;
}

/** quantity × unit price, exact in integers, rounded once to cents. */
export function lineTotalCents(quantity: number, unitPrice: PriceUnits): Cents {
  if (!Number.isInteger(quantity)) throw new RangeError(`quantity must be whole units, got ${quantity}`);
  const raw = quantity * unitPrice;
  const cents = Math.trunc(raw / CENTS_PER_PRICE_UNIT);
  const rest = raw - cents * CENTS_PER_PRICE_UNIT;
  if (Math.abs(rest) * 2 >= CENTS_PER_PRICE_UNIT) return cents + Math.sign(rest);
  return cents;
}

export function sumCents(values: Iterable<Cents>): Cents {
  let total = 0;
  for (const v of values) total += v;
  return total;
}

const SYMBOLS: Record<string, string> = { USD: "$", CAD: "$", AUD: "$", GBP: "£", EUR: "€", JPY: "¥" };

/** "$1,867.32"; negative amounts as "-$5.00". Locale-independent on purpose: the explanation must be stable. */
export function formatCents(cents: Cents, currency = "USD"): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100);
  const frac = String(abs % 100).padStart(2, "0");
  const grouped = String(whole).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const symbol = SYMBOLS[currency] ?? `${currency} `;
  return `${sign}${symbol}${grouped}.${frac}`;
}

export function formatPrice(price: PriceUnits, currency = "USD"): string {
  const cents = price / CENTS_PER_PRICE_UNIT;
  if (Number.isInteger(cents)) return formatCents(cents, currency);
  const symbol = SYMBOLS[currency] ?? `${currency} `;
  return `${price < 0 ? "-" : ""}${symbol}${(Math.abs(price) / PRICE_SCALE).toFixed(4).replace(/0+$/, "")}`;
}

export type CurrencyTotal = { currency: string; total: Cents };

/**
 * Sums amounts per currency: suppliers quote in their own currency and there is no exchange rate here,
 * so £ and € are never added together. `leading` (the shop's currency) comes first, the rest by code.
 */
export function totalsByCurrency(amounts: Iterable<{ currency: string; cents: Cents }>, leading?: string): CurrencyTotal[] {
  const totals = new Map<string, Cents>();
  for (const a of amounts) totals.set(a.currency, (totals.get(a.currency) ?? 0) + a.cents);
  return [...totals]
    .sort(([a], [b]) => (a === leading ? -1 : b === leading ? 1 : a.localeCompare(b)))
    .map(([currency, total]) => ({ currency, total }));
}

/** "£380,445.54 + €35,166.20"; no totals at all reads as zero in `fallbackCurrency`. */
export function formatTotals(totals: readonly CurrencyTotal[], fallbackCurrency?: string): string {
  return totals.length === 0 ? formatCents(0, fallbackCurrency) : totals.map((t) => formatCents(t.total, t.currency)).join(" + ");
}
