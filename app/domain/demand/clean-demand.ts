/**
 * Turns what a SKU sold into the demand the forecast should learn from: cancellations removed, returns
 * handled by an explicit rule, one-off bulk orders excluded by the five-factor outlier test, out-of-stock
 * days discounted, and periods longer than a new product's life ignored.
 */
import { toDayNumber, type IsoDay } from "../shared/day.ts";
import { selectKth } from "../shared/quantity.ts";
import type { SupplierParameters } from "../reorder/supplier-parameters.ts";

/** One customer order line for the SKU, as the shop recorded it. */
export interface RawOrderLine {
  day: IsoDay;
  quantity: number;
  /** Units of this line cancelled before shipping: never demand. */
  cancelledQuantity?: number;
  /** Units returned after shipping. */
  returnedQuantity?: number;
}

/**
 * Daily history on a calendar-day axis. Index i is `startDay + i`. Order lines are parallel arrays sorted by
 * day (typed arrays keep 100k SKUs × 2 years in memory); when they are absent each day's total is treated as
 * one order, which keeps every test meaningful but makes the outlier test coarser.
 */
export interface DemandHistory {
  startDay: IsoDay;
  /** Net units demanded per day (cancellations already removed). */
  units: ArrayLike<number>;
  /** 1 where the SKU started the day with no sellable stock. */
  outOfStock?: ArrayLike<number>;
  /** Day index (into `units`) of each order line, ascending. */
  orderDay?: ArrayLike<number>;
  /** Units of each order line, net of cancellations. */
  orderQuantity?: ArrayLike<number>;
}

export type OutlierParameters = Pick<SupplierParameters, "countLimit" | "sumLimit" | "qtyLimit" | "pctLimit" | "avgRatioLimit">;

export interface OutlierTest {
  /** False when the window has too few orders or units for the test to apply at all. */
  eligible: boolean;
  reason: string;
  orderCount: number;
  totalUnits: number;
  averageOrder: number;
  /** Indices (into the quantities passed) of excluded orders: at most the largest and second-largest. */
  excluded: number[];
  excludedUnits: number;
}

/**
 * Builds the daily series from raw order lines. Cancelled units are dropped. Returned units stay demand by
 * default: the customer did want the item, and the returned unit reaches on-hand through the stock feed, so
 * subtracting it here too would count it twice. Set `subtractReturns` for merchants whose returns are
 * exchanges that never left the warehouse.
 */
export function buildDemandHistory(
  lines: readonly RawOrderLine[],
  options: { startDay: IsoDay; days: number; subtractReturns?: boolean },
): DemandHistory & { orderDay: Int32Array; orderQuantity: Float64Array } {
  const start = toDayNumber(options.startDay);
  const units = new Float64Array(options.days);
  const kept: { i: number; q: number }[] = [];
  for (const line of lines) {
    const i = toDayNumber(line.day) - start;
    if (i < 0 || i >= options.days) continue;
    let q = line.quantity - (line.cancelledQuantity ?? 0);
    if (options.subtractReturns) q -= line.returnedQuantity ?? 0;
    if (q <= 0) continue;
    units[i] = (units[i] ?? 0) + q;
    kept.push({ i, q });
  }
  kept.sort((a, b) => a.i - b.i);
  return {
    startDay: options.startDay,
    units,
    orderDay: Int32Array.from(kept, (k) => k.i),
    orderQuantity: Float64Array.from(kept, (k) => k.q),
  };
}

/**
 * The five-factor test. An order is an outlier only if the window has ≥ countLimit orders and ≥ sumLimit
 * units, and the order exceeds qtyLimit units, exceeds pctLimit % of the window's units, and is more than
 * avgRatioLimit × the average order. Only the largest and then the second-largest are candidates, so a
 * product whose demand *is* large orders keeps them.
 */
export function findOutlierOrders(quantities: ArrayLike<number>, params: OutlierParameters): OutlierTest {
  return findOutlierOrdersInRange(quantities, 0, quantities.length, params);
}

/** The same test over quantities[lo, hi) without copying; excluded indices are relative to `lo`. */
export function findOutlierOrdersInRange(quantities: ArrayLike<number>, lo: number, hi: number, params: OutlierParameters): OutlierTest {
  const n = Math.max(0, hi - lo);
  let total = 0;
  if (n < params.countLimit) {
    for (let i = lo; i < hi; i++) total += quantities[i] as number;
    return { orderCount: n, totalUnits: total, averageOrder: n > 0 ? total / n : 0, excluded: [], excludedUnits: 0, eligible: false, reason: `${n} orders in the window, fewer than count_limit ${params.countLimit}` };
  }
  let first = -1;
  let second = -1;
  let firstQ = -Infinity;
  let secondQ = -Infinity;
  for (let i = 0; i < n; i++) {
    const q = quantities[lo + i] as number;
    total += q;
    if (q > firstQ) {
      second = first;
      secondQ = firstQ;
      first = i;
      firstQ = q;
    } else if (q > secondQ) {
      second = i;
      secondQ = q;
    }
  }
  const averageOrder = n > 0 ? total / n : 0;
  if (n < params.countLimit) return { orderCount: n, totalUnits: total, averageOrder, excluded: [], excludedUnits: 0, eligible: false, reason: `${n} orders in the window, fewer than count_limit ${params.countLimit}` };
  if (total < params.sumLimit) return { orderCount: n, totalUnits: total, averageOrder, excluded: [], excludedUnits: 0, eligible: false, reason: `${total} units in the window, fewer than sum_limit ${params.sumLimit}` };

  const excluded: number[] = [];
  let excludedUnits = 0;
  if (first >= 0 && isOutlier(firstQ, total, averageOrder, params)) {
    excluded.push(first);
    excludedUnits += firstQ;
    if (second >= 0 && isOutlier(secondQ, total, averageOrder, params)) {
      excluded.push(second);
      excludedUnits += secondQ;
    }
  }
  return {
    orderCount: n, totalUnits: total, averageOrder, eligible: true,
    reason: excluded.length === 0 ? "no order passes all five factors" : `${excluded.length} order(s) excluded as outliers`,
    excluded, excludedUnits,
  };
}

// Top-level rather than a closure inside the test: it runs ~20 times per SKU per plan.
function isOutlier(q: number, total: number, averageOrder: number, params: OutlierParameters): boolean {
  return q > params.qtyLimit && q > (params.pctLimit / 100) * total && averageOrder > 0 && q / averageOrder > params.avgRatioLimit;
}

/**
 * A history with running totals and an order index, so every period, back-test origin and outlier window
 * is answered without rescanning or copying (the engine measures ~20 windows per SKU).
 */
export interface PreparedHistory {
  history: DemandHistory;
  /** prefixUnits[i] = Σ units[0, i). */
  prefixUnits: Float64Array;
  /** prefixOutOfStock[i] = out-of-stock days in [0, i). */
  prefixOutOfStock: Int32Array;
  /** Order lines (or one per selling day when the history has none), ascending by day. */
  orderDay: ArrayLike<number>;
  orderQuantity: ArrayLike<number>;
}

/**
 * Buffers one caller reuses SKU after SKU (the engine plans 100k SKUs; allocating ~20 KB of typed arrays
 * for each was a good share of its garbage collection). What prepareHistory or cleanDemand return with a
 * scratch is valid only until the next call with the same scratch.
 */
export interface HistoryScratch {
  prefixUnits: Float64Array;
  prefixOutOfStock: Int32Array;
  orderDay: Int32Array;
  orderQuantity: Float64Array;
  units: Float64Array;
  outOfStock: Uint8Array;
}

export function createHistoryScratch(): HistoryScratch {
  return { prefixUnits: new Float64Array(0), prefixOutOfStock: new Int32Array(0), orderDay: new Int32Array(0), orderQuantity: new Float64Array(0), units: new Float64Array(0), outOfStock: new Uint8Array(0) };
}

function scratchF64(s: HistoryScratch | undefined, key: "prefixUnits" | "orderQuantity" | "units", n: number): Float64Array {
  if (!s) return new Float64Array(n);
  if (s[key].length < n) s[key] = new Float64Array(Math.max(n, 2 * s[key].length));
  return s[key].subarray(0, n);
}

function scratchI32(s: HistoryScratch | undefined, key: "prefixOutOfStock" | "orderDay", n: number): Int32Array {
  if (!s) return new Int32Array(n);
  if (s[key].length < n) s[key] = new Int32Array(Math.max(n, 2 * s[key].length));
  return s[key].subarray(0, n);
}

function scratchU8(s: HistoryScratch | undefined, n: number): Uint8Array {
  if (!s) return new Uint8Array(n);
  if (s.outOfStock.length < n) s.outOfStock = new Uint8Array(Math.max(n, 2 * s.outOfStock.length));
  return s.outOfStock.subarray(0, n).fill(0);
}

export function prepareHistory(history: DemandHistory | PreparedHistory, scratch?: HistoryScratch): PreparedHistory {
  if ("prefixUnits" in history) return history;
  const n = history.units.length;
  const prefixUnits = scratchF64(scratch, "prefixUnits", n + 1);
  const prefixOutOfStock = scratchI32(scratch, "prefixOutOfStock", n + 1);
  prefixUnits[0] = 0;
  prefixOutOfStock[0] = 0;
  const units = history.units;
  const ownOrders = !(history.orderDay && history.orderQuantity);
  let selling = 0;
  let acc = 0;
  if (scratch && ownOrders) {
    // With scratch there is room for every day: the selling days are collected in the same pass.
    const od = scratchI32(scratch, "orderDay", n);
    const oq = scratchF64(scratch, "orderQuantity", n);
    for (let i = 0; i < n; i++) {
      const u = units[i] ?? 0;
      acc += u;
      prefixUnits[i + 1] = acc;
      if (u > 0) {
        od[selling] = i;
        oq[selling++] = u;
      }
    }
  } else {
    for (let i = 0; i < n; i++) {
      const u = units[i] ?? 0;
      acc += u;
      prefixUnits[i + 1] = acc;
      if (u > 0) selling++;
    }
  }
  const oos = history.outOfStock;
  if (oos) {
    let c = 0;
    for (let i = 0; i < n; i++) {
      if ((oos[i] ?? 0) > 0) c++;
      prefixOutOfStock[i + 1] = c;
    }
  } else if (scratch) prefixOutOfStock.fill(0);
  if (history.orderDay && history.orderQuantity) return { history, prefixUnits, prefixOutOfStock, orderDay: history.orderDay, orderQuantity: history.orderQuantity };
  if (scratch) return { history, prefixUnits, prefixOutOfStock, orderDay: scratch.orderDay.subarray(0, selling), orderQuantity: scratch.orderQuantity.subarray(0, selling) };
  const orderDay = scratchI32(scratch, "orderDay", selling);
  const orderQuantity = scratchF64(scratch, "orderQuantity", selling);
  for (let i = 0, k = 0; i < n && k < selling; i++) {
    const u = units[i] ?? 0;
    if (u > 0) {
      orderDay[k] = i;
      orderQuantity[k++] = u;
    }
  }
  return { history, prefixUnits, prefixOutOfStock, orderDay, orderQuantity };
}

/** [lo, hi) indices into the order arrays of orders placed on days [from, end). */
export function orderRange(prep: PreparedHistory, from: number, end: number): [number, number] {
  return [lowerBound(prep.orderDay, from), lowerBound(prep.orderDay, end)];
}

export interface PeriodMeasure {
  weeks: number;
  days: number;
  units: number;
  excludedUnits: number;
  orderCount: number;
  outOfStockDays: number;
  adjustedOutOfStockDays: number;
  /** Rate over the in-stock share of the period: units / (days − adjusted out-of-stock days). */
  dailyRate: number;
  used: boolean;
  skipReason: string | null;
}

export interface PeriodContext {
  /** Index one past the last complete day (the asOf day itself is not complete). */
  endIndex: number;
  /** Days since first sale, or null when unknown (treated as established). */
  daysOnMarket: number | null;
}

/**
 * Measures one period ending yesterday. Each out-of-stock day counts as (1 − outage_loss_factor) of a lost
 * day; when those exceed min_instock_pct % of the period it says too little about demand and is skipped.
 * A period longer than days on market + dom_factor would dilute a new product's rate with days it did not
 * exist, so it is not used either.
 */
export function measurePeriod(
  history: DemandHistory | PreparedHistory,
  weeks: number,
  context: PeriodContext,
  params: OutlierParameters & Pick<SupplierParameters, "outageLossFactor" | "minInstockPct" | "domFactor">,
): PeriodMeasure {
  const prep = prepareHistory(history);
  const days = weeks * 7;
  const end = Math.min(context.endIndex, prep.prefixUnits.length - 1);
  const from = Math.max(0, end - days);
  const units = (prep.prefixUnits[end] as number) - (prep.prefixUnits[from] as number);
  const oos = (prep.prefixOutOfStock[end] as number) - (prep.prefixOutOfStock[from] as number);
  // Days before the history starts are unknown, not zero.
  const missing = days - (end - from);
  const [lo, hi] = orderRange(prep, from, end);
  const test = findOutlierOrdersInRange(prep.orderQuantity, lo, hi, params);
  const adjusted = oos * (1 - params.outageLossFactor);
  const effectiveDays = days - missing - adjusted;
  const base = {
    weeks,
    days,
    units: units - test.excludedUnits,
    excludedUnits: test.excludedUnits,
    orderCount: hi - lo,
    outOfStockDays: oos,
    adjustedOutOfStockDays: adjusted,
    dailyRate: effectiveDays > 0 ? (units - test.excludedUnits) / effectiveDays : 0,
  };
  if (context.daysOnMarket !== null && days > context.daysOnMarket + params.domFactor) {
    return { ...base, used: false, skipReason: `${days} days > ${context.daysOnMarket} days on market + dom_factor ${params.domFactor}` };
  }
  if (missing > 0 && context.daysOnMarket === null) {
    return { ...base, used: false, skipReason: `history covers only ${end - from} of ${days} days` };
  }
  if (adjusted > (params.minInstockPct / 100) * days) {
    return { ...base, used: false, skipReason: `${adjusted.toFixed(1)} adjusted out-of-stock days exceed min_instock_pct ${params.minInstockPct}%` };
  }
  return { ...base, used: true, skipReason: null };
}

function lowerBound(sorted: ArrayLike<number>, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export interface CleanDemand {
  /** Index 0 is `startDay`; length is the number of complete days before asOf. */
  startDay: IsoDay;
  units: Float64Array;
  outOfStock: Uint8Array;
  /** Outlier orders removed over the longest window, as {dayIndex, quantity}. */
  excludedOrders: { dayIndex: number; quantity: number }[];
  /** Orders in the longest window, after exclusions are still counted. */
  orderCount: number;
  lowData: boolean;
  daysOnMarket: number | null;
  /** Median order size in the window: what "a typical customer order" looks like. */
  typicalCustomerOrder: number;
  /** Largest order in the window after outlier removal. */
  largestOrder: number;
}

/**
 * The series every estimator sees. Outliers are judged over the longest period of the period string
 * (a year by default), so a single wholesale order does not move a year of forecast.
 */
export function cleanDemand(
  history: DemandHistory | PreparedHistory,
  params: SupplierParameters,
  asOf: IsoDay | Date,
  options: { windowDays: number; firstSaleDay?: IsoDay | null } = { windowDays: 364 },
  scratch?: HistoryScratch,
): CleanDemand {
  const prep = prepareHistory(history, scratch);
  const raw = prep.history;
  const start = toDayNumber(raw.startDay);
  const endIndex = Math.max(0, Math.min(raw.units.length, toDayNumber(asOf) - start));
  const units = scratchF64(scratch, "units", endIndex);
  const outOfStock = scratchU8(scratch, endIndex);
  const ru = raw.units;
  if (ru instanceof Uint16Array || ru instanceof Uint8Array || ru instanceof Uint32Array || ru instanceof Uint8ClampedArray) {
    // Unsigned integer days are never negative or NaN: a plain widening copy.
    units.set(ru.subarray(0, endIndex));
  } else {
    for (let i = 0; i < endIndex; i++) {
      const u = ru[i] ?? 0;
      units[i] = u > 0 ? u : 0;
    }
  }
  if (raw.outOfStock) for (let i = 0; i < endIndex; i++) if ((raw.outOfStock[i] ?? 0) > 0) outOfStock[i] = 1;
  const from = Math.max(0, endIndex - options.windowDays);
  const [lo, hi] = orderRange(prep, from, endIndex);
  const test = findOutlierOrdersInRange(prep.orderQuantity, lo, hi, params);
  const excludedOrders: { dayIndex: number; quantity: number }[] = [];
  for (const k of test.excluded) {
    const dayIndex = prep.orderDay[lo + k] as number;
    const quantity = prep.orderQuantity[lo + k] as number;
    units[dayIndex] = Math.max(0, (units[dayIndex] ?? 0) - quantity);
    excludedOrders.push({ dayIndex, quantity });
  }
  // Median and maximum of the kept orders, by selection in a reused buffer (the same values a full sort
  // gives; any NaN or zero, whose sort order selection does not reproduce, falls back to the sort).
  const nKept = hi - lo - test.excluded.length;
  if (keptScratch.length < nKept) keptScratch = new Float64Array(Math.max(nKept, keptScratch.length * 2));
  const kept = keptScratch.subarray(0, nKept);
  const ex0 = test.excluded.length > 0 ? (test.excluded[0] as number) : -1;
  const ex1 = test.excluded.length > 1 ? (test.excluded[1] as number) : -1;
  let plain = true;
  let largestOrder = 0;
  for (let k = 0, j = 0; k < hi - lo; k++) {
    if (k === ex0 || k === ex1) continue;
    const q = prep.orderQuantity[lo + k] as number;
    if (q === 0 || q !== q) plain = false;
    if (j === 0 || q > largestOrder) largestOrder = q;
    kept[j++] = q;
  }
  let typicalCustomerOrder = 0;
  if (nKept > 0) {
    if (plain) typicalCustomerOrder = selectKth(kept, (nKept - 1) >> 1);
    else {
      kept.sort();
      typicalCustomerOrder = kept[(nKept - 1) >> 1] ?? 0;
      largestOrder = kept[nKept - 1] ?? 0;
    }
  }

  let daysOnMarket: number | null = null;
  if (options.firstSaleDay) daysOnMarket = Math.max(0, toDayNumber(asOf) - toDayNumber(options.firstSaleDay));
  else {
    const first = prep.orderDay.length > 0 ? (prep.orderDay[0] as number) : -1;
    // A first sale inside the history means the product is new unless it sold on day 0 (history start).
    if (first > 0 && first < endIndex) daysOnMarket = endIndex - first;
  }

  return {
    startDay: raw.startDay,
    units,
    outOfStock,
    excludedOrders,
    orderCount: hi - lo,
    lowData: hi - lo < params.lowOrderCount,
    daysOnMarket,
    typicalCustomerOrder,
    largestOrder,
  };
}

/** Scratch for cleanDemand's kept orders; the engine is single-threaded and cleanDemand does not re-enter. */
let keptScratch = new Float64Array(1024);

