/**
 * The demo catalogue: the top N products of the cleaned log by net revenue, with every attribute derived
 * from the log by a fixed rule (docs/demo-data.md lists them). Pure: lines in, products out.
 */
import { toDayNumber, type IsoDay } from "#app/domain/shared/day.ts";
import { lineTotalCents, toPriceUnits, type Cents, type PriceUnits } from "#app/domain/shared/money.ts";
import type { PriceBreak } from "#app/domain/reorder/order-quantity.ts";
import { LOG_LAST_DAY } from "./calendar.ts";
import type { SaleLine } from "./clean-log.ts";

export type SeedSkuStatus = "ACTIVE" | "DISCONTINUED" | "SEASONAL";

export interface CatalogueProduct {
  /** 0 = highest net revenue. */
  rank: number;
  stockCode: string;
  title: string;
  /** Median unit price of the product's sale lines (cancelled ones excluded). */
  price: PriceUnits;
  /** COST_SHARE of the price. */
  cost: PriceUnits;
  casePack: number;
  moq: number;
  /** Supplier price breaks on `cost`; from the log's volume prices where visible, else DEFAULT_BREAKS. */
  priceBreaks: PriceBreak[];
  priceBreaksFrom: "log" | "default";
  status: SeedSkuStatus;
  /** Log days (unshifted). */
  firstSaleDay: IsoDay;
  lastSaleDay: IsoDay;
  netUnits: number;
  netRevenue: Cents;
}

/** Unit cost = half the price ("keystone" mark-up, the usual one in gift-ware). */
export const COST_SHARE = 0.5;
/** No sale in the log's last 60 days → DISCONTINUED. */
export const DISCONTINUED_AFTER_DAYS = 60;
/** ≥ 85 % of net units sold September–December, and on sale before June → SEASONAL (Christmas lines). */
export const SEASONAL_SHARE = 0.85;
export const SEASONAL_ON_SALE_BEFORE = "2011-06-01";
/** When the log shows no volume prices: 5 % off from 5 MOQs, 10 % off from 20 MOQs. */
export const DEFAULT_BREAKS = [
  { moqMultiple: 5, discount: 0.05 },
  { moqMultiple: 20, discount: 0.1 },
] as const;

interface Acc {
  code: string;
  lines: SaleLine[];
  revenue: Cents;
  units: number;
}

/** Net revenue per product (cancelled lines excluded), highest first; ties by stock code. */
export function rankProducts(lines: readonly SaleLine[]): Acc[] {
  const byCode = new Map<string, Acc>();
  for (const line of lines) {
    if (line.cancelledQuantity >= line.quantity) continue;
    let acc = byCode.get(line.stockCode);
    if (!acc) byCode.set(line.stockCode, (acc = { code: line.stockCode, lines: [], revenue: 0, units: 0 }));
    const net = line.quantity - line.cancelledQuantity;
    acc.lines.push(line);
    acc.revenue += lineTotalCents(net, toPriceUnits(line.unitPrice));
    acc.units += net;
  }
  return [...byCode.values()].sort((a, b) => b.revenue - a.revenue || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

export function buildCatalogue(lines: readonly SaleLine[], limit: number): CatalogueProduct[] {
  return rankProducts(lines)
    .slice(0, limit)
    .map((acc, rank) => describeProduct(acc, rank));
}

function describeProduct(acc: Acc, rank: number): CatalogueProduct {
  const lines = acc.lines;
  const price = lowerMedian(lines.map((l) => toPriceUnits(l.unitPrice)));
  const cost = Math.round(price * COST_SHARE);
  const casePack = mostCommonQuantity(lines.map((l) => l.quantity - l.cancelledQuantity));
  const moq = casePack * moqCases(cost);
  const fromLog = volumePriceBreaks(lines, cost, casePack, moq);
  const days = lines.map((l) => l.invoiceDate.slice(0, 10)).sort();
  const firstSaleDay = days[0] ?? LOG_LAST_DAY;
  const lastSaleDay = days[days.length - 1] ?? LOG_LAST_DAY;
  return {
    rank,
    stockCode: acc.code,
    title: titleCase(mostCommonDescription(lines)),
    price,
    cost,
    casePack,
    moq,
    priceBreaks: fromLog.length > 0 ? fromLog : defaultBreaks(cost, moq),
    priceBreaksFrom: fromLog.length > 0 ? "log" : "default",
    status: productStatus(lines, firstSaleDay, lastSaleDay),
    firstSaleDay,
    lastSaleDay,
    netUnits: acc.units,
    netRevenue: acc.revenue,
  };
}

/** The lower middle value (an actual price from the log, never an average of two). */
export function lowerMedian(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[(sorted.length - 1) >> 1] ?? 0;
}

/** Case pack: the most common line quantity (wholesalers order whole cases: 6, 10, 12, 24…); ties → smaller. */
export function mostCommonQuantity(quantities: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const q of quantities) if (q > 0) counts.set(q, (counts.get(q) ?? 0) + 1);
  let best = 1;
  let bestCount = 0;
  for (const [q, n] of counts) if (n > bestCount || (n === bestCount && q < best)) [best, bestCount] = [q, n];
  return best;
}

/** MOQ in cases: 4 below £0.50 unit cost, 2 below £2, else 1 (cheap lines only ship in bulk). */
export function moqCases(cost: PriceUnits): number {
  if (cost < toPriceUnits("0.50")) return 4;
  if (cost < toPriceUnits("2.00")) return 2;
  return 1;
}

/**
 * Volume prices the log shows: on customer (wholesale) lines, every price at least 3 % under the list
 * price (their median) seen on ≥ 5 lines (and ≥ 2 % of them) is a break; its minimum quantity is the
 * 10th percentile of the quantities bought at that price. Breaks must get cheaper as quantities grow and
 * start above the MOQ; at most three are kept. Anonymous (dotcom retail) lines are left out: they carry
 * a retail mark-up, not a volume price. The supplier's break cost keeps the same ratio to the unit cost.
 */
export function volumePriceBreaks(lines: readonly SaleLine[], cost: PriceUnits, casePack: number, moq: number): PriceBreak[] {
  const wholesale = lines.filter((l) => l.customerId !== null);
  if (wholesale.length === 0) return [];
  const list = lowerMedian(wholesale.map((l) => toPriceUnits(l.unitPrice)));
  const byPrice = new Map<PriceUnits, number[]>();
  for (const l of wholesale) {
    const p = toPriceUnits(l.unitPrice);
    if (p > list * 0.97) continue;
    const qs = byPrice.get(p);
    if (qs) qs.push(l.quantity);
    else byPrice.set(p, [l.quantity]);
  }
  const minLines = Math.max(5, Math.ceil(wholesale.length * 0.02));
  const candidates = [...byPrice]
    .filter(([, qs]) => qs.length >= minLines)
    .map(([p, qs]) => ({ price: p, minQuantity: roundUpTo(lowerPercentile(qs, 0.1), casePack) }))
    .sort((a, b) => b.price - a.price);
  const breaks: PriceBreak[] = [];
  let lastMin = moq;
  for (const c of candidates) {
    if (c.minQuantity <= lastMin || breaks.length === 3) continue;
    breaks.push({ minQuantity: c.minQuantity, unitPrice: Math.round((cost * c.price) / list) });
    lastMin = c.minQuantity;
  }
  return breaks;
}

export function defaultBreaks(cost: PriceUnits, moq: number): PriceBreak[] {
  return DEFAULT_BREAKS.map((b) => ({ minQuantity: moq * b.moqMultiple, unitPrice: Math.round(cost * (1 - b.discount)) }));
}

export function productStatus(lines: readonly SaleLine[], firstSaleDay: IsoDay, lastSaleDay: IsoDay): SeedSkuStatus {
  if (toDayNumber(LOG_LAST_DAY) - toDayNumber(lastSaleDay) > DISCONTINUED_AFTER_DAYS) return "DISCONTINUED";
  let all = 0;
  let autumn = 0;
  for (const l of lines) {
    const net = l.quantity - l.cancelledQuantity;
    all += net;
    if (l.invoiceDate.slice(5, 7) >= "09") autumn += net;
  }
  if (firstSaleDay < SEASONAL_ON_SALE_BEFORE && all > 0 && autumn / all >= SEASONAL_SHARE) return "SEASONAL";
  return "ACTIVE";
}

function mostCommonDescription(lines: readonly SaleLine[]): string {
  const counts = new Map<string, number>();
  for (const l of lines) if (l.description) counts.set(l.description, (counts.get(l.description) ?? 0) + 1);
  let best = "";
  let bestCount = 0;
  for (const [d, n] of counts) if (n > bestCount || (n === bestCount && d < best)) [best, bestCount] = [d, n];
  return best;
}

/** "WHITE HANGING HEART T-LIGHT HOLDER" → "White Hanging Heart T-Light Holder". */
export function titleCase(description: string): string {
  return description
    .trim()
    .replace(/\s+/g, " ")
    .toLowerCase()
    .replace(/(^|[\s\-/(&+])([a-z])/g, (_m, before: string, letter: string) => before + letter.toUpperCase());
}

function lowerPercentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) * p)] ?? 0;
}

function roundUpTo(q: number, multiple: number): number {
  return multiple <= 1 ? q : Math.ceil(q / multiple) * multiple;
}
