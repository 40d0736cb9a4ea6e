/**
 * The trust report's input: a shop's own history (daily demand, order lines, start-of-day stock, its
 * suppliers' observed lead times and the POs it really placed) as one self-contained JSON document, and the
 * one builder that turns it into a simulator run. Both the background job and
 * `npm run simulate -- --history <file>` go through `buildShopHistorySimulation`, so the two print the
 * same figures for the same file. Pure: no IO, no clock.
 */
import { classifyAbc } from "../reorder/abc.ts";
import { DEFAULT_SCENARIO, type Scenario, type SupplierSpec } from "../simulation/scenario.ts";
import type { ReplenishmentPolicy, SimulationSku, SimulationSupplier } from "../simulation/simulate.ts";
import { drawSuppliers } from "../simulation/simulate.ts";
import { createRng } from "../shared/random.ts";

export const SHOP_HISTORY_FORMAT = "replenish-shop-history/1";

export interface ShopHistorySupplier {
  supplierId: string;
  name: string;
  /** The lead time the merchant quoted (Supplier.leadTimeDays). */
  quotedDays: number;
  /** Observed lead times (sent → fully received) of the supplier's received POs, in days. */
  leadTimes: number[];
}

export interface ShopHistorySku {
  skuId: string;
  code: string;
  unitCost: number;
  sellPrice: number;
  /** Index into `suppliers` of the preferred supplier. */
  supplier: number;
  /** Units sold per day (all locations), index 0 = `firstDay`. */
  dailyUnits: number[];
  /** Customer orders as [day index, units], day ascending. */
  orderLines: [number, number][];
  /** Stock at the start of each day (all locations, from the ledger). */
  startStock: number[];
}

export interface ShopHistoryPurchaseOrder {
  /** Day index the PO was sent. */
  day: number;
  /** Value at cost (PO subtotal). */
  value: number;
}

export interface ShopHistory {
  format: typeof SHOP_HISTORY_FORMAT;
  shopDomain: string;
  currency: string;
  /** First day of the window (ISO); the window ends the day before `asOf`. */
  firstDay: string;
  asOf: string;
  days: number;
  /** Simulator settings (seed, warm-up, review cadence, holding cost rate, dead-stock days). */
  scenario: { seed: number; warmupDays: number; reviewDays: number; holdingCostRate: number; deadStockDays: number; lateFactor: number };
  suppliers: ShopHistorySupplier[];
  skus: ShopHistorySku[];
  /** POs the shop really placed in the window. */
  purchaseOrders: ShopHistoryPurchaseOrder[];
}

/** An observation this much above the supplier's median lead time counts as "late" in the fitted distribution. */
export const LATE_RATIO = 1.3;

/**
 * The simulator draws a PO's lead time uniformly from [low, high], times `lateFactor` with probability
 * `lateProbability`. From a supplier's observed lead times: observations above LATE_RATIO × median are the
 * late ones (their share is `lateProbability`); low and high are the fastest and slowest of the others.
 * With no observations the quoted lead time is used as a point distribution.
 */
export function supplierSpecFromLeadTimes(leadTimes: readonly number[], quotedDays: number): SupplierSpec {
  if (leadTimes.length === 0) return { lowDays: quotedDays, highDays: quotedDays, lateProbability: 0 };
  const sorted = [...leadTimes].sort((a, b) => a - b);
  const median = medianOf(sorted);
  const onTime = sorted.filter((d) => d <= LATE_RATIO * median);
  const late = sorted.length - onTime.length;
  return { lowDays: onTime[0] ?? median, highDays: onTime[onTime.length - 1] ?? median, lateProbability: late / sorted.length };
}

/** The scenario-wide late factor: the median ratio of late observations to their supplier's median (1.6 when none). */
export function lateFactorOf(suppliers: readonly { leadTimes: readonly number[] }[]): number {
  const ratios: number[] = [];
  for (const s of suppliers) {
    if (s.leadTimes.length === 0) continue;
    const median = medianOf([...s.leadTimes].sort((a, b) => a - b));
    for (const d of s.leadTimes) if (median > 0 && d > LATE_RATIO * median) ratios.push(d / median);
  }
  if (ratios.length === 0) return 1.6;
  return Math.round(medianOf(ratios.sort((a, b) => a - b)) * 100) / 100;
}

function medianOf(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n === 0) return 0;
  return n % 2 === 1 ? (sorted[(n - 1) / 2] as number) : ((sorted[n / 2 - 1] as number) + (sorted[n / 2] as number)) / 2;
}

export interface ShopHistorySimulation {
  /** The SKUs back-tested: those that sold during the warm-up (see buildShopHistorySimulation). */
  included: ShopHistorySku[];
  /** SKUs of the file left out because they had no sale in the warm-up. */
  excluded: number;
  scenario: Scenario;
  skus: SimulationSku[];
  suppliers: SimulationSupplier[];
}

/** Rejects a document that is not a shop history, with one message per problem. */
export function validateShopHistory(input: unknown): { ok: true; value: ShopHistory } | { ok: false; errors: string[] } {
  const errors: string[] = [];
  const h = input as Partial<ShopHistory> | null;
  if (typeof h !== "object" || h === null) return { ok: false, errors: ["history must be a JSON object"] };
  if (h.format !== SHOP_HISTORY_FORMAT) errors.push(`format: must be "${SHOP_HISTORY_FORMAT}"`);
  if (typeof h.days !== "number" || !Number.isInteger(h.days) || h.days < 1) errors.push("days: must be a positive integer");
  if (typeof h.firstDay !== "string") errors.push("firstDay: must be an ISO day");
  if (!Array.isArray(h.suppliers) || h.suppliers.length === 0) errors.push("suppliers: must be a non-empty array");
  if (!Array.isArray(h.skus) || h.skus.length === 0) errors.push("skus: must be a non-empty array");
  if (typeof h.scenario !== "object" || h.scenario === null) errors.push("scenario: must be an object");
  if (errors.length === 0) {
    const supplierCount = (h.suppliers as unknown[]).length;
    (h.skus as ShopHistorySku[]).forEach((s, i) => {
      if (!Array.isArray(s.dailyUnits) || s.dailyUnits.length !== h.days) errors.push(`skus[${i}].dailyUnits: must have ${h.days} days`);
      if (!Array.isArray(s.startStock) || s.startStock.length !== h.days) errors.push(`skus[${i}].startStock: must have ${h.days} days`);
      if (!Number.isInteger(s.supplier) || s.supplier < 0 || s.supplier >= supplierCount) errors.push(`skus[${i}].supplier: must index suppliers`);
      if (!Array.isArray(s.orderLines)) errors.push(`skus[${i}].orderLines: must be an array`);
    });
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: h as ShopHistory };
}

/**
 * The simulator run for a shop's history: its SKUs (class by revenue rank in the window, top 20 % A and
 * next 30 % B, as the default scenario), its suppliers with lead-time distributions fitted to what they
 * really delivered, lost sales, and only the engine's default policy. Only SKUs that sold during the
 * warm-up take part: with lost sales a policy never sees demand for a SKU it never stocked, so a product
 * launched later would count as out of stock every day (the default scenario's `soldBeforeDay` rule).
 */
export function buildShopHistorySimulation(history: ShopHistory): ShopHistorySimulation {
  const specs = history.suppliers.map((s) => supplierSpecFromLeadTimes(s.leadTimes, s.quotedDays));
  const scenario: Scenario = {
    ...DEFAULT_SCENARIO,
    seed: history.scenario.seed,
    skuCount: history.skus.length,
    supplierCount: specs.length,
    leadTimeScale: 1,
    warmupDays: history.scenario.warmupDays,
    reviewDays: history.scenario.reviewDays,
    unmetDemand: "lost",
    leadTime: { ...DEFAULT_SCENARIO.leadTime, lateFactor: history.scenario.lateFactor },
    suppliers: specs,
    holdingCostRate: history.scenario.holdingCostRate,
    deadStockDays: history.scenario.deadStockDays,
    policies: ["default"],
  };
  // With explicit suppliers drawSuppliers draws nothing; it only names them and sets the configured lead time.
  const suppliers = drawSuppliers(scenario, createRng(scenario.seed));
  const warm = Math.min(history.scenario.warmupDays, history.days);
  const included = history.skus.filter((s) => s.dailyUnits.slice(0, warm).some((u) => u > 0));
  scenario.skuCount = included.length;
  const revenue = included.map((s) => ({ skuId: s.skuId, revenue: s.dailyUnits.reduce((a, u) => a + u, 0) * s.sellPrice }));
  const classes = classifyAbc(revenue);
  const skus: SimulationSku[] = included.map((s) => ({
    skuId: s.code,
    demand: Float64Array.from(s.dailyUnits),
    unitCost: s.unitCost,
    sellPrice: s.sellPrice,
    supplierIndex: s.supplier,
    metricClass: classes.get(s.skuId) ?? "C",
    orderDay: Int32Array.from(s.orderLines, (l) => l[0]),
    orderQuantity: Float64Array.from(s.orderLines, (l) => l[1]),
  }));
  return { included, excluded: history.skus.length - included.length, scenario, skus, suppliers };
}

export interface ActualOutcome {
  inStock: number;
  inStockA: number;
  stockoutsA: number;
  /** SKU-days that started with no stock. */
  stockoutDays: number;
  daysOfSupply: number;
  purchaseOrders: number;
  averagePurchaseOrderValue: number;
  averageInventoryValue: number;
  skuDays: number;
}

/**
 * What really happened over the simulated period (the days after the warm-up), measured the simulator's
 * way: in-stock = share of SKU-days that started with stock > 0, counted from the first day the SKU was
 * ever stocked (before that it was not yet on sale); days of supply = average start-of-day inventory at
 * cost / average daily demand at cost; POs = those sent in the period.
 */
export function actualOutcome(history: ShopHistory, simulation: ShopHistorySimulation): ActualOutcome {
  const warm = Math.min(history.scenario.warmupDays, history.days);
  let skuDays = 0, inDays = 0, skuDaysA = 0, inDaysA = 0, stockoutsA = 0, inventory = 0, demand = 0;
  simulation.included.forEach((s, k) => {
    const isA = simulation.skus[k]?.metricClass === "A";
    let everStocked = false;
    for (let t = 0; t < warm; t++) if ((s.startStock[t] ?? 0) > 0 || (s.dailyUnits[t] ?? 0) > 0) everStocked = true;
    let wasIn = true;
    for (let t = warm; t < history.days; t++) {
      const stock = s.startStock[t] ?? 0;
      if (!everStocked && (stock > 0 || (s.dailyUnits[t] ?? 0) > 0)) everStocked = true;
      inventory += Math.max(0, stock) * s.unitCost;
      demand += (s.dailyUnits[t] ?? 0) * s.unitCost;
      if (!everStocked) continue;
      const stocked = stock > 0;
      skuDays++;
      if (stocked) inDays++;
      if (isA) {
        skuDaysA++;
        if (stocked) inDaysA++;
        else if (wasIn) stockoutsA++;
      }
      wasIn = stocked;
    }
  });
  const simDays = Math.max(0, history.days - warm);
  const pos = history.purchaseOrders.filter((p) => p.day >= warm && p.day < history.days);
  const poValue = pos.reduce((a, p) => a + p.value, 0);
  return {
    inStock: skuDays > 0 ? inDays / skuDays : 0,
    inStockA: skuDaysA > 0 ? inDaysA / skuDaysA : 0,
    stockoutsA,
    stockoutDays: skuDays - inDays,
    daysOfSupply: demand > 0 ? inventory / demand : 0,
    purchaseOrders: pos.length,
    averagePurchaseOrderValue: pos.length > 0 ? poValue / pos.length : 0,
    averageInventoryValue: simDays > 0 ? inventory / simDays : 0,
    skuDays,
  };
}

/**
 * The same policy, reporting after each review day how far the replay has got (0–1). The simulator calls
 * `orders` once per review day with `view.day` = the day that just ended, so progress costs nothing and
 * the figures cannot change.
 */
export function withProgress(policy: ReplenishmentPolicy, warmupDays: number, days: number, report: (fraction: number) => void): ReplenishmentPolicy {
  const span = Math.max(1, days - 1 - warmupDays);
  return {
    name: policy.name,
    initialStock: (view) => policy.initialStock(view),
    orders(view) {
      const out = policy.orders(view);
      report(Math.min(1, Math.max(0, (view.day + 1 - warmupDays) / span)));
      return out;
    },
  };
}
