/**
 * From the three files' rows to the engine's `ReplenishmentInput`. The CLI plans one line per SKU: stock
 * at several locations is added up, because an export rarely says where each sale shipped from. Rows that
 * cannot be used here (a SKU missing from the stock file, a sale after --as-of, a duplicate) are returned
 * as issues with their file and line, like the rows the readers refused.
 */
import {
  buildDemandHistory,
  DEFAULT_SUPPLIER_PARAMETERS,
  toPriceUnits,
  validateSupplierParameters,
  type ReplenishmentInput,
  type SkuLocationSnapshot,
  type SupplierInput,
  type SupplierOffer,
  type SupplierParameters,
} from "#app/domain/reorder/index.ts";
import { addDays, toDayNumber, type IsoDay } from "#app/domain/shared/day.ts";
import { PARAMETER_COLUMNS, type SalesRow, type StockRow, type SupplierRow } from "./read-inputs.ts";

/** The column a parameter came from, for messages the merchant can match to their file. */
const columnOf = (key: string): string =>
  key === "leadTimeDays" ? "lead_time_days" : (Object.entries(PARAMETER_COLUMNS).find(([, k]) => k === key)?.[0] ?? key);

/** Two years: enough for yearly seasonality, as in the app's own snapshot loader. */
export const HISTORY_DAYS = 728;
/** The single location every SKU is planned at. */
export const LOCATION_ID = "all locations";

export type Lined<T> = { line: number; value: T };

export interface PlanIssue {
  file: "sales" | "stock" | "suppliers";
  line: number;
  message: string;
  /** Warnings keep the row (a later conflicting value is ignored); errors skip it. */
  severity: "error" | "warning";
  /** Rows this issue stands for (one message for every line of the same unknown SKU); default 1. */
  rows?: number;
}

export interface BuiltInput {
  asOf: IsoDay;
  startDay: IsoDay;
  input: ReplenishmentInput;
  issues: PlanIssue[];
  stats: {
    orderLines: number;
    /** Lines with a negative quantity: returns and cancellations, not demand (see docs/plan-cli.md). */
    returnLines: number;
    /** Lines older than the history window: read, not used. */
    olderLines: number;
  };
}

export function buildPlanInput(
  files: { sales: readonly Lined<SalesRow>[]; stock: readonly Lined<StockRow>[]; suppliers: readonly Lined<SupplierRow>[] },
  options: { asOf?: IsoDay; currency: string },
): BuiltInput {
  const issues: PlanIssue[] = [];
  const error = (file: PlanIssue["file"], line: number, message: string) => issues.push({ file, line, message, severity: "error" });
  const warning = (file: PlanIssue["file"], line: number, message: string) => issues.push({ file, line, message, severity: "warning" });

  // ── stock: one entry per SKU, locations added up ──
  const stock = new Map<string, { line: number; onHand: number; committed: number; cost: number | null; price: number | null; status: StockRow["status"]; locations: Set<string> }>();
  for (const { line, value } of files.stock) {
    const existing = stock.get(value.sku);
    if (!existing) {
      stock.set(value.sku, { line, onHand: value.onHand, committed: value.committed, cost: value.cost, price: value.price, status: value.status, locations: new Set([value.location]) });
      continue;
    }
    if (existing.locations.has(value.location)) {
      error("stock", line, `sku ${value.sku}${value.location ? ` at ${value.location}` : ""} already appears on line ${existing.line}`);
      continue;
    }
    existing.locations.add(value.location);
    existing.onHand += value.onHand;
    existing.committed += value.committed;
    if (existing.price === null) existing.price = value.price;
    if (existing.cost === null) existing.cost = value.cost;
  }

  // ── as of: the day after the last sale unless given ──
  let lastSale: IsoDay | null = null;
  for (const { value } of files.sales) if (lastSale === null || value.date > lastSale) lastSale = value.date;
  const asOf = options.asOf ?? (lastSale ? addDays(lastSale, 1) : null);
  if (!asOf) throw new Error("no usable sales rows and no --as-of: nothing to plan from");
  const startDay = addDays(asOf, -HISTORY_DAYS);

  // ── sales: net units per order (several lines of one order are one order), per SKU ──
  const orders = new Map<string, Map<string, { day: IsoDay; quantity: number }>>();
  const firstSale = new Map<string, IsoDay>();
  const lastPrice = new Map<string, number>();
  const stats = { orderLines: 0, returnLines: 0, olderLines: 0 };
  // A sales export usually covers products the stock file no longer lists: one message per SKU, with its
  // lines, instead of one per line.
  const unknownSales = new Map<string, number[]>();
  for (const { line, value } of files.sales) {
    if (!stock.has(value.sku)) {
      unknownSales.set(value.sku, [...(unknownSales.get(value.sku) ?? []), line]);
      continue;
    }
    if (value.date >= asOf) {
      error("sales", line, `date ${value.date} is not before --as-of ${asOf}`);
      continue;
    }
    if (value.quantity < 0) {
      stats.returnLines++;
      continue;
    }
    const first = firstSale.get(value.sku);
    if (!first || value.date < first) firstSale.set(value.sku, value.date);
    if (value.unitPrice !== null && value.unitPrice > 0) lastPrice.set(value.sku, value.unitPrice);
    if (value.date < startDay) {
      stats.olderLines++;
      continue;
    }
    stats.orderLines++;
    const bySku = orders.get(value.sku) ?? new Map<string, { day: IsoDay; quantity: number }>();
    const key = `${value.orderId}|${value.date}`;
    const order = bySku.get(key);
    if (order) order.quantity += value.quantity;
    else bySku.set(key, { day: value.date, quantity: value.quantity });
    orders.set(value.sku, bySku);
  }

  for (const [sku, lines] of unknownSales) {
    const [first = 0, ...more] = lines;
    const shown = more.slice(0, 5).join(", ");
    issues.push({
      file: "sales", line: first, severity: "error", rows: lines.length,
      message: `sku ${sku} is not in the stock file${more.length > 0 ? ` (also lines ${shown}${more.length > 5 ? ` and ${more.length - 5} more` : ""})` : ""}`,
    });
  }

  // ── suppliers: offers per SKU; parameters per supplier, first value wins ──
  const supplierParams = new Map<string, { line: number; given: Partial<SupplierParameters>; lines: Map<string, number> }>();
  const offers = new Map<string, (SupplierOffer & { line: number })[]>();
  for (const { line, value } of files.suppliers) {
    const sku = stock.get(value.sku);
    if (!sku) {
      error("suppliers", line, `sku ${value.sku} is not in the stock file`);
      continue;
    }
    const list = offers.get(value.sku) ?? [];
    const duplicate = list.find((o) => o.supplierId === value.supplier);
    if (duplicate) {
      error("suppliers", line, `${value.supplier} already offers sku ${value.sku} on line ${duplicate.line}`);
      continue;
    }
    const cost = value.unitCost ?? sku.cost;
    if (cost === null) {
      error("suppliers", line, `unit_cost is empty and the stock file has no cost for sku ${value.sku}`);
      continue;
    }
    const entry = supplierParams.get(value.supplier) ?? { line, given: {}, lines: new Map<string, number>() };
    supplierParams.set(value.supplier, entry);
    for (const [key, v] of Object.entries(value.parameters) as [keyof SupplierParameters, unknown][]) {
      const current = (entry.given as Record<string, unknown>)[key];
      if (current === undefined) {
        (entry.given as Record<string, unknown>)[key] = v;
        entry.lines.set(key, line);
      } else if (current !== v) {
        warning("suppliers", line, `${value.supplier}: ${columnOf(key)} ${String(v)} differs from ${String(current)} on line ${entry.lines.get(key)}; the first value is used`);
      }
    }
    list.push({ line, supplierId: value.supplier, unitCost: toPriceUnits(cost), moq: value.moq, casePack: value.casePack });
    offers.set(value.sku, list);
  }

  const suppliers: SupplierInput[] = [];
  for (const [name, entry] of [...supplierParams].sort(([a], [b]) => (a < b ? -1 : 1))) {
    let checked = validateSupplierParameters(entry.given);
    if (!checked.ok) {
      // Two values that contradict each other (min_days above max_days…): defaults for those, said aloud.
      for (const [key, message] of Object.entries(checked.errors)) {
        warning("suppliers", entry.lines.get(key) ?? entry.line, `${name}: ${columnOf(key)} ${message}; the engine default is used`);
        delete (entry.given as Record<string, unknown>)[key];
      }
      checked = validateSupplierParameters(entry.given);
    }
    suppliers.push({ supplierId: name, name, parameters: checked.ok ? checked.value : { ...DEFAULT_SUPPLIER_PARAMETERS }, receivedPurchaseOrders: [] });
  }

  // ── one snapshot per SKU ──
  const skus: SkuLocationSnapshot[] = [];
  for (const [code, s] of stock) {
    const lines = [...(orders.get(code)?.values() ?? [])];
    const price = s.price ?? lastPrice.get(code) ?? null;
    skus.push({
      skuId: code,
      locationId: LOCATION_ID,
      status: s.status,
      history: buildDemandHistory(lines, { startDay, days: toDayNumber(asOf) - toDayNumber(startDay) }),
      firstSaleDay: firstSale.get(code) ?? null,
      onHand: s.onHand,
      committed: s.committed,
      backordered: 0,
      kitSupply: 0,
      openPurchaseOrders: [],
      sellPrice: price === null ? null : toPriceUnits(price),
      offers: (offers.get(code) ?? []).map(({ line: _line, ...offer }) => offer),
    });
  }

  issues.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
  return { asOf, startDay, input: { shop: { currency: options.currency }, suppliers, skus }, issues, stats };
}
