/**
 * Reader for the UCI "Online Retail" order log in ../shared/data (see its README). It applies exactly the
 * README's cleaning rule, so every figure matches the README's "Facts for inventory simulation":
 * 1. keep lines whose InvoiceNo is all digits (drops `C` cancellations and `A` bad-debt adjustments);
 * 2. keep Quantity > 0, UnitPrice > 0 and product stock codes (fees, postage and vouchers dropped);
 * 3. drop positive lines exactly reversed by a later cancellation: same (non-empty) CustomerID, StockCode
 *    and |Quantity|, matched to the latest earlier kept purchase line not yet matched. This reading is
 *    the one that reproduces the README's 2,835 pairs / 225,730 units and 524,923 kept lines exactly;
 *    an anonymous cancellation cannot be tied to a purchase, so it reverses nothing;
 * 4. sum units per StockCode (as written, no case folding) per calendar day of InvoiceDate.
 *
 * Axis: CALENDAR days, index 0 = 2010-12-01 (the first invoice day), 374 days to 2011-12-09. Days the shop
 * did not trade (Saturdays, the Christmas and Easter closures) are zero-demand days; `tradingDay` marks the
 * 305 days with at least one invoice so a caller can switch to a trading-day axis.
 *
 * Used by the simulator (scripts/simulate.ts) and reusable for the demo seed.
 */
import { daysFromCivil, fromDayNumber, type IsoDay } from "#app/domain/shared/day.ts";
import { readGzipCsv } from "./gzip-csv.server.ts";

export const DEFAULT_RETAIL_DATASET_PATH = new URL("../../../shared/data/online-retail-dataset.csv.gz", import.meta.url).pathname;

const NON_PRODUCT_CODES = new Set(["POST", "DOT", "C2", "M", "m", "D", "S", "B", "BANK CHARGES", "CRUK", "AMAZONFEE", "PADS"]);

export function isProductStockCode(code: string): boolean {
  return !NON_PRODUCT_CODES.has(code) && !code.startsWith("gift_0001_");
}

export interface RetailProduct {
  stockCode: string;
  /** Most frequent description. */
  description: string;
  /** Units per calendar day; index 0 = dataset.firstDay. */
  dailyUnits: Float64Array;
  /** Day index of every kept order line (one invoice line = one customer order of this SKU), ascending. */
  orderDay: Int32Array;
  /** Units of each order line, parallel to orderDay. */
  orderQuantity: Float64Array;
  /** Unit price (GBP) of each order line, parallel to orderDay. */
  unitPrice: Float64Array;
  /** Median unit price over kept lines, GBP. */
  medianUnitPrice: number;
  units: number;
  /** Σ quantity × unit price, GBP. */
  revenue: number;
  firstSaleIndex: number;
  lastSaleIndex: number;
  firstSaleDay: IsoDay;
  lastSaleDay: IsoDay;
  sellingDays: number;
}

export interface RetailDataset {
  firstDay: IsoDay;
  lastDay: IsoDay;
  /** Calendar days from firstDay to lastDay inclusive. */
  days: number;
  /** 1 on days with at least one invoice (any kind). */
  tradingDay: Uint8Array;
  /** Products with at least one kept line, by revenue descending. */
  products: RetailProduct[];
  stats: { rows: number; keptLines: number; reversedLines: number; reversedUnits: number; products: number; units: number; revenue: number };
}

interface Line {
  invoice: string;
  code: string;
  description: string;
  quantity: number;
  day: number;
  price: number;
  customer: string;
  kept: boolean;
}

/** Streams, parses and cleans the gzip CSV. Takes a few seconds and ~300 MB for the 541,909 rows. */
export async function loadRetailDataset(path: string = DEFAULT_RETAIL_DATASET_PATH): Promise<RetailDataset> {
  const records = await readGzipCsv<Record<string, string>>(path, { columns: true, relax_quotes: false });
  const lines: Line[] = [];
  const invoiceDays = new Set<number>();
  let rows = 0;
  for await (const r of records) {
    rows++;
    const date = r.InvoiceDate ?? "";
    const day = daysFromCivil(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)));
    invoiceDays.add(day);
    lines.push({
      invoice: r.InvoiceNo ?? "", code: r.StockCode ?? "", description: r.Description ?? "", quantity: Number(r.Quantity),
      day, price: Number(r.UnitPrice), customer: r.CustomerID ?? "", kept: false,
    });
  }
  return cleanRetailLines(lines, invoiceDays, rows);
}

function cleanRetailLines(lines: Line[], invoiceDays: Set<number>, rows: number): RetailDataset {
  // Rule 3 first: cancellations are matched against every earlier positive purchase line, in file order
  // (the file is in time order), each purchase line reversed at most once.
  const open = new Map<string, number[]>();
  const reversed = new Uint8Array(lines.length);
  let reversedUnits = 0;
  let reversedLines = 0;
  const passesFilters = (l: Line): boolean => /^\d+$/.test(l.invoice) && l.quantity > 0 && l.price > 0 && isProductStockCode(l.code);
  lines.forEach((l, i) => {
    if (passesFilters(l)) {
      const key = `${l.customer}|${l.code}|${l.quantity}`;
      const list = open.get(key);
      if (list) list.push(i);
      else open.set(key, [i]);
    } else if (l.invoice.startsWith("C") && l.quantity < 0 && l.customer !== "") {
      const list = open.get(`${l.customer}|${l.code}|${-l.quantity}`);
      const j = list?.pop();
      if (j !== undefined) {
        reversed[j] = 1;
        reversedLines++;
        reversedUnits += -l.quantity;
      }
    }
  });

  const firstDayNumber = Math.min(...invoiceDays);
  const lastDayNumber = Math.max(...invoiceDays);
  const days = lastDayNumber - firstDayNumber + 1;
  const tradingDay = new Uint8Array(days);
  for (const d of invoiceDays) tradingDay[d - firstDayNumber] = 1;

  const byCode = new Map<string, Line[]>();
  let keptLines = 0;
  let units = 0;
  let revenue = 0;
  lines.forEach((l, i) => {
    if (!passesFilters(l) || reversed[i]) return;
    keptLines++;
    units += l.quantity;
    revenue += l.quantity * l.price;
    const list = byCode.get(l.code);
    if (list) list.push(l);
    else byCode.set(l.code, [l]);
  });

  const products: RetailProduct[] = [];
  for (const [stockCode, ls] of byCode) {
    ls.sort((a, b) => a.day - b.day);
    const dailyUnits = new Float64Array(days);
    const descriptions = new Map<string, number>();
    let u = 0;
    let rev = 0;
    for (const l of ls) {
      dailyUnits[l.day - firstDayNumber] = (dailyUnits[l.day - firstDayNumber] ?? 0) + l.quantity;
      u += l.quantity;
      rev += l.quantity * l.price;
      if (l.description) descriptions.set(l.description, (descriptions.get(l.description) ?? 0) + 1);
    }
    let sellingDays = 0;
    for (let i = 0; i < days; i++) if ((dailyUnits[i] ?? 0) > 0) sellingDays++;
    const prices = Float64Array.from(ls, (l) => l.price);
    const sortedPrices = Float64Array.from(prices).sort();
    const firstSaleIndex = (ls[0] as Line).day - firstDayNumber;
    const lastSaleIndex = (ls[ls.length - 1] as Line).day - firstDayNumber;
    products.push({
      stockCode,
      description: [...descriptions].sort((a, b) => b[1] - a[1])[0]?.[0] ?? "",
      dailyUnits,
      orderDay: Int32Array.from(ls, (l) => l.day - firstDayNumber),
      orderQuantity: Float64Array.from(ls, (l) => l.quantity),
      unitPrice: prices,
      medianUnitPrice: sortedPrices[(sortedPrices.length - 1) >> 1] ?? 0,
      units: u,
      revenue: rev,
      firstSaleIndex,
      lastSaleIndex,
      firstSaleDay: fromDayNumber(firstDayNumber + firstSaleIndex),
      lastSaleDay: fromDayNumber(firstDayNumber + lastSaleIndex),
      sellingDays,
    });
  }
  products.sort((a, b) => b.revenue - a.revenue || (a.stockCode < b.stockCode ? -1 : 1));
  return {
    firstDay: fromDayNumber(firstDayNumber),
    lastDay: fromDayNumber(lastDayNumber),
    days,
    tradingDay,
    products,
    stats: { rows, keptLines, reversedLines, reversedUnits, products: products.length, units, revenue },
  };
}
