/**
 * The plan CLI's three input files (docs/plan-cli.md): column names with the aliases common exports use,
 * and one check per cell. A row that fails is returned as `{ line, message }` and skipped; the caller
 * prints and counts it.
 */
import { readCsv, type CsvColumn, type CsvReadResult, type RowResult } from "#app/lib/csv.ts";
import { validateSupplierParameters, type SupplierParameters } from "#app/domain/reorder/index.ts";
import type { ProductStatus } from "#app/domain/reorder/index.ts";
import { toCents } from "#app/domain/shared/money.ts";
import { toDayNumber, type IsoDay } from "#app/domain/shared/day.ts";

// ─── Cell checks ───

type Cell<T> = { ok: true; value: T } | { ok: false; message: string };

const fail = (message: string): { ok: false; message: string } => ({ ok: false, message });

/**
 * The days a date may fall on. A date outside them is a typo or a placeholder (`9999-12-31`), not a sale:
 * it would move the default --as-of past it, and the history window and stock-out dates would leave the
 * four-digit years the day arithmetic works in.
 */
export const FIRST_DAY = "2000-01-01";
export const LAST_DAY = "2100-12-31";

/** `YYYY-MM-DD`, optionally followed by a time (`2026-03-01 14:05:00`, `2026-03-01T14:05:00Z`): the date part counts. */
export function parseDay(text: string, column: string): Cell<IsoDay> {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.exec(text);
  if (!m?.[1]) return fail(`${column} "${text}" is not a date: use YYYY-MM-DD (a time after it is ignored)`);
  try {
    toDayNumber(m[1]);
  } catch {
    return fail(`${column} "${text}" is not a calendar date`);
  }
  if (m[1] < FIRST_DAY || m[1] > LAST_DAY) return fail(`${column} ${m[1]} is not between ${FIRST_DAY} and ${LAST_DAY}`);
  return { ok: true, value: m[1] };
}

const NUMBER = /^[+-]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?$|^[+-]?\.\d+$/;

/**
 * Bounds on every number cell. Beyond them a value is a typo or a placeholder, not stock or a price, and past
 * 2^53 it is not even read exactly: `99999999999999999999999` units became an order of 4.5e+23 units. Within
 * them a price in the engine's ten-thousandths (1e13) is still an exact integer.
 */
export const MAX_UNITS = 1_000_000_000;
/** Money in currency units: a unit price, a cost, a purchase-order amount. */
export const MAX_MONEY = 1_000_000_000;

const plain = (n: number) => n.toLocaleString("en-US");

/** A plain decimal; thousands separators are accepted ("1,250.50"), currency symbols are not guessed at. */
export function parseNumber(text: string, column: string, options: { min?: number; max: number; integer?: boolean }): Cell<number> {
  const cleaned = text.replace(/^[$£€]/, "");
  if (!NUMBER.test(cleaned)) return fail(`${column} "${text}" is not a number`);
  const value = Number(cleaned.replace(/,/g, ""));
  if (options.integer && !Number.isInteger(value)) return fail(`${column} "${text}" is not a whole number`);
  if (options.min !== undefined && value < options.min) return fail(`${column} ${text} must be at least ${plain(options.min)}`);
  if (value > options.max) return fail(`${column} ${text} must be at most ${plain(options.max)}`);
  return { ok: true, value };
}

function required(record: Readonly<Record<string, string>>, column: string): Cell<string> {
  const value = record[column] ?? "";
  return value === "" ? fail(`${column} is empty`) : { ok: true, value };
}

/** Runs cell checks in order; the first failure describes the row. */
function row<T>(build: (take: <V>(cell: Cell<V>) => V) => T): RowResult<T> {
  class CellError extends Error {}
  try {
    return {
      ok: true,
      value: build((cell) => {
        if (!cell.ok) throw new CellError(cell.message);
        return cell.value;
      }),
    };
  } catch (error) {
    if (error instanceof CellError) return fail(error.message);
    throw error;
  }
}

// ─── sales.csv ───

export interface SalesRow {
  date: IsoDay;
  orderId: string;
  sku: string;
  /** Negative = a return or cancellation line. */
  quantity: number;
  unitPrice: number | null;
  channel: string | null;
}

export const SALES_COLUMNS: readonly CsvColumn[] = [
  { name: "date", aliases: ["order_date", "invoice_date", "invoicedate", "created_at", "day", "paid_at"], required: true },
  { name: "order_id", aliases: ["order", "order_number", "order_no", "invoice", "invoice_no", "invoiceno", "name"], required: true },
  { name: "sku", aliases: ["stock_code", "stockcode", "lineitem_sku", "variant_sku", "product_sku"], required: true },
  { name: "quantity", aliases: ["qty", "units", "lineitem_quantity"], required: true },
  { name: "unit_price", aliases: ["price", "unitprice", "lineitem_price", "sale_price"] },
  { name: "channel", aliases: ["source", "sales_channel", "marketplace"] },
];

export function readSales(text: string): CsvReadResult<SalesRow> {
  return readCsv(text, SALES_COLUMNS, (r) =>
    row((take) => {
      const quantity = take(parseNumber(take(required(r, "quantity")), "quantity", { integer: true, min: -MAX_UNITS, max: MAX_UNITS }));
      if (quantity === 0) take(fail("quantity is 0"));
      const price = r.unit_price ? take(parseNumber(r.unit_price, "unit_price", { min: 0, max: MAX_MONEY })) : null;
      return {
        date: take(parseDay(take(required(r, "date")), "date")),
        orderId: take(required(r, "order_id")),
        sku: take(required(r, "sku")),
        quantity,
        unitPrice: price,
        channel: r.channel ? r.channel : null,
      };
    }),
  );
}

// ─── stock.csv ───

export interface StockRow {
  sku: string;
  location: string;
  onHand: number;
  committed: number;
  /** Unit cost; used for a supplier row that leaves unit_cost empty. */
  cost: number | null;
  /** Selling price, for margin and ABC classes. */
  price: number | null;
  status: ProductStatus;
}

export const STOCK_COLUMNS: readonly CsvColumn[] = [
  { name: "sku", aliases: ["stock_code", "stockcode", "variant_sku"], required: true },
  { name: "location", aliases: ["warehouse", "location_name"] },
  { name: "on_hand", aliases: ["onhand", "quantity", "qty", "available", "stock"], required: true },
  { name: "committed", aliases: ["reserved", "allocated", "unshipped"] },
  { name: "cost", aliases: ["unit_cost", "cost_price"], required: true },
  { name: "price", aliases: ["unit_price", "sell_price", "selling_price", "retail_price"], required: true },
  { name: "status", aliases: ["product_status"] },
];

const STATUSES: Record<string, ProductStatus> = {
  active: "active",
  discontinued: "discontinued",
  seasonal: "seasonal",
  end_of_life: "end_of_life",
  eol: "end_of_life",
  archived: "discontinued",
  draft: "discontinued",
};

export function readStock(text: string): CsvReadResult<StockRow> {
  return readCsv(text, STOCK_COLUMNS, (r) =>
    row((take) => {
      const statusText = (r.status ?? "").toLowerCase().replace(/[\s-]+/g, "_");
      const status = statusText === "" ? "active" : STATUSES[statusText];
      if (!status) take(fail(`status "${r.status}" is not one of active, discontinued, seasonal, end_of_life`));
      return {
        sku: take(required(r, "sku")),
        location: r.location ?? "",
        onHand: take(parseNumber(take(required(r, "on_hand")), "on_hand", { integer: true, min: -MAX_UNITS, max: MAX_UNITS })),
        committed: r.committed ? take(parseNumber(r.committed, "committed", { integer: true, min: 0, max: MAX_UNITS })) : 0,
        cost: r.cost ? take(parseNumber(r.cost, "cost", { min: 0, max: MAX_MONEY })) : null,
        price: r.price ? take(parseNumber(r.price, "price", { min: 0, max: MAX_MONEY })) : null,
        status: status ?? "active",
      };
    }),
  );
}

// ─── suppliers.csv ───

/** Optional per-supplier parameter columns: the names, money in currency units. */
export const PARAMETER_COLUMNS: Readonly<Record<string, Exclude<keyof SupplierParameters, "leadTimeDays">>> = {
  min_days: "minDays",
  max_days: "maxDays",
  margin_threshold: "marginThreshold",
  order_min: "orderMin",
  order_max: "orderMax",
  order_alert: "orderAlert",
  pct_limit: "pctLimit",
  sum_limit: "sumLimit",
  count_limit: "countLimit",
  qty_limit: "qtyLimit",
  avg_ratio_limit: "avgRatioLimit",
  dom_factor: "domFactor",
  rounding_one: "roundingOne",
  rounding_two: "roundingTwo",
  min_instock_pct: "minInstockPct",
  period_string: "periodString",
  repo_additional_days: "repoAdditionalDays",
  low_order_count: "lowOrderCount",
  outage_loss_factor: "outageLossFactor",
  auto_send: "autoSend",
  forecast_method: "forecastMethod",
};
const MONEY_PARAMETERS = new Set<keyof SupplierParameters>(["orderMin", "orderMax", "orderAlert"]);
/** Partners that keep a lone value from failing a between-parameters check against an engine default. */
const NEUTRAL_PARTNERS: Partial<Record<keyof SupplierParameters, Partial<Record<keyof SupplierParameters, unknown>>>> = {
  minDays: { maxDays: 730 },
  maxDays: { minDays: 0 },
  orderMax: { orderMin: 0 },
};

export interface SupplierRow {
  supplier: string;
  sku: string;
  /** Null = take the stock file's cost. */
  unitCost: number | null;
  moq: number;
  casePack: number;
  /** Null = the supplier's lead time from another row, else the engine default. */
  leadTimeDays: number | null;
  /** The parameter cells this row fills in (lead time included), validated, in the engine's units (money in cents). */
  parameters: Partial<SupplierParameters>;
}

export const SUPPLIER_COLUMNS: readonly CsvColumn[] = [
  { name: "supplier", aliases: ["vendor", "supplier_name"], required: true },
  { name: "sku", aliases: ["stock_code", "stockcode", "variant_sku"], required: true },
  { name: "unit_cost", aliases: ["cost", "price", "unit_price"], required: true },
  { name: "moq", aliases: ["min_order_qty", "minimum_order_quantity"], required: true },
  { name: "case_pack", aliases: ["pack_size", "case_qty", "case_quantity"], required: true },
  { name: "lead_time_days", aliases: ["lead_time"], required: true },
  ...Object.keys(PARAMETER_COLUMNS).map((name) => ({ name })),
];

export function readSuppliers(text: string): CsvReadResult<SupplierRow> {
  return readCsv(text, SUPPLIER_COLUMNS, (r) =>
    row((take) => {
      // Each cell is checked alone by the engine's validator. Checks between two parameters (min_days ≤
      // max_days…) wait until all of a supplier's rows are merged (build-input.ts), because a supplier's
      // values may be spread over several rows.
      const parameters: Partial<SupplierParameters> = {};
      const cells: [string, keyof SupplierParameters, string][] = Object.entries(PARAMETER_COLUMNS)
        .filter(([column]) => r[column])
        .map(([column, key]) => [column, key, r[column] ?? ""]);
      if (r.lead_time_days) cells.push(["lead_time_days", "leadTimeDays", r.lead_time_days]);
      for (const [column, key, cell] of cells) {
        const raw = MONEY_PARAMETERS.has(key) ? toCents(take(parseNumber(cell, column, { min: 0, max: MAX_MONEY }))) : cell;
        const checked = validateSupplierParameters({ ...NEUTRAL_PARTNERS[key], [key]: raw });
        if (!checked.ok) take(fail(`${column} ${checked.errors[key] ?? Object.values(checked.errors)[0] ?? "is invalid"}`));
        else (parameters as Record<string, unknown>)[key] = checked.value[key];
      }
      return {
        supplier: take(required(r, "supplier")),
        sku: take(required(r, "sku")),
        unitCost: r.unit_cost ? take(parseNumber(r.unit_cost, "unit_cost", { min: 0, max: MAX_MONEY })) : null,
        moq: r.moq ? take(parseNumber(r.moq, "moq", { integer: true, min: 1, max: MAX_UNITS })) : 1,
        casePack: r.case_pack ? take(parseNumber(r.case_pack, "case_pack", { integer: true, min: 1, max: MAX_UNITS })) : 1,
        leadTimeDays: parameters.leadTimeDays ?? null,
        parameters,
      };
    }),
  );
}
