/**
 * The policies the simulator compares. All but `fixed` are the engine itself (planSkuLocation) run with a
 * different shop policy, so the simulator measures the code that ships, not a re-implementation.
 */
import { fromDayNumber, toDayNumber } from "../shared/day.ts";
import { toPriceUnits } from "../shared/money.ts";
import type { AbcClass } from "../reorder/abc.ts";
import { computeCatalogueTrend } from "../forecast/catalogue-trend.ts";
import { buildPlanContext, classifyForPlanning, serviceLevelClassMeans, serviceLevelValue, computeCatalogueOrderSizePrior, planSkuLocation, type PlanContext, type ShopPolicy, type SkuLocationSnapshot, type SupplierInput } from "../reorder/plan-replenishment.ts";
import { DEFAULT_SUPPLIER_PARAMETERS, type SupplierParameters } from "../reorder/supplier-parameters.ts";
import { DEFAULT_SERVICE_LEVELS } from "../reorder/safety-stock.ts";
import type { PolicyView, ReplenishmentPolicy } from "./simulate.ts";

export const POLICY_NAMES = ["fixed", "published-ewa", "period-string", "service-level", "default"] as const;
export type PolicyName = (typeof POLICY_NAMES)[number];

/** Day 0 of the simulation axis as an ISO day; the engine needs real dates. */
export interface PolicyOptions {
  firstDay: string;
  /** How many received POs per supplier the engine sees (most recent). */
  leadTimeHistory: number;
}

const UNBOUNDED: Partial<SupplierParameters> = { minDays: 0, maxDays: 730 };

/** The comparison policies must not inherit the default policy's refinements, or they stop being baselines. */
const BASELINE: Partial<ShopPolicy> = {
  conservativeRate: false, conservativePeriods: "shortest", useCatalogueTrend: false, serviceLevels: DEFAULT_SERVICE_LEVELS, serviceLevelAllocation: "class",
  orderSizePriorWeight: 0, leadTimeDemandWindowDays: 182, abcRunRateDays: 0, lowDataRate: "estimator",
};

export function createPolicy(name: PolicyName, options: PolicyOptions): ReplenishmentPolicy {
  switch (name) {
    case "published-ewa":
      // The published 30-day-EWA formula: SS = (peak − average) × average lead time, target = ROP + demand over the p85 lead time.
      return createEnginePolicy(name, { ...BASELINE, forecastMethod: "ewa", safetyStockMethod: "simple", targetCycle: "lead-time" }, UNBOUNDED, options);
    case "period-string":
      return createEnginePolicy(name, { ...BASELINE, forecastMethod: "period-string", safetyStockMethod: "simple", targetCycle: "lead-time" }, UNBOUNDED, options);
    case "service-level":
      return createEnginePolicy(name, { ...BASELINE, forecastMethod: "ewa", safetyStockMethod: "service-level", targetCycle: "review" }, UNBOUNDED, options);
    case "default":
      return createEnginePolicy(name, {}, {}, options);
    case "fixed":
      return createFixedPolicy(options);
  }
}

function snapshotOf(view: PolicyView, k: number, options: PolicyOptions): SkuLocationSnapshot {
  const sku = view.skus[k];
  if (!sku) throw new RangeError(`no SKU ${k}`);
  const day0 = toDayNumber(options.firstDay);
  const openPurchaseOrders = [];
  for (const o of view.openOrders) if (o.sku === k) openPurchaseOrders.push({ quantity: o.quantity, expectedOn: fromDayNumber(day0 + o.expectedDay) });
  return {
    skuId: sku.skuId,
    locationId: "main",
    status: "active",
    history: {
      startDay: options.firstDay, units: view.sales[k] as Float64Array, outOfStock: view.outOfStock[k] as Uint8Array,
      ...(view.orderDay && view.orderQuantity && view.orderCount
        ? { orderDay: (view.orderDay[k] as Int32Array).subarray(0, view.orderCount[k]), orderQuantity: (view.orderQuantity[k] as Float64Array).subarray(0, view.orderCount[k]) }
        : {}),
    },
    onHand: view.onHand[k] ?? 0,
    committed: 0,
    backordered: view.backlog[k] ?? 0,
    kitSupply: 0,
    openPurchaseOrders,
    sellPrice: toPriceUnits(sku.sellPrice),
    offers: [{ supplierId: view.suppliers[sku.supplierIndex]?.supplierId ?? "", unitCost: toPriceUnits(sku.unitCost) }],
  };
}

function suppliersOf(view: PolicyView, params: Partial<SupplierParameters>, options: PolicyOptions): SupplierInput[] {
  const day0 = toDayNumber(options.firstDay);
  return view.suppliers.map((s, j) => ({
    supplierId: s.supplierId,
    parameters: { ...DEFAULT_SUPPLIER_PARAMETERS, ...params, leadTimeDays: s.configuredDays },
    receivedPurchaseOrders: (view.received[j] ?? []).slice(-options.leadTimeHistory).map((r) => ({
      placedOn: fromDayNumber(day0 + r.placedDay),
      receivedOn: fromDayNumber(day0 + r.receivedDay),
    })),
  }));
}

/** ABC as the engine computes it for the shop: trailing 52-week sales revenue, promoted by the recent run rate when the policy asks (classifyForPlanning). */
function classesOf(view: PolicyView, runRateDays: number): AbcClass[] {
  const items = view.skus.map((s, k) => {
    const sales = view.sales[k] as Float64Array;
    let units = 0;
    let recent = 0;
    for (let i = Math.max(0, view.day + 1 - 364); i <= view.day; i++) {
      units += sales[i] ?? 0;
      if (i > view.day - runRateDays) recent += sales[i] ?? 0;
    }
    return { skuId: String(k), revenue: units * s.sellPrice, recentRevenue: recent * s.sellPrice };
  });
  const map = classifyForPlanning(items, runRateDays);
  return view.skus.map((_, k) => map.get(String(k)) ?? "C");
}

export function runEngine(view: PolicyView, shopPolicy: Partial<ShopPolicy>, params: Partial<SupplierParameters>, options: PolicyOptions) {
  const asOf = fromDayNumber(toDayNumber(options.firstDay) + view.day + 1);
  // The engine is told the cadence it runs at, as a shop's settings tell it (reviewCadenceDays): it covers
  // demand until the next review, so planning for daily reviews while reviewing every 3 days would leave
  // two days uncovered.
  const shop: Partial<ShopPolicy> = view.reviewDays ? { ...shopPolicy, reviewDays: view.reviewDays } : shopPolicy;
  const ctx: PlanContext = { ...buildPlanContext({ shop, suppliers: suppliersOf(view, params, options) }, asOf), skipExplanation: true };
  const classes = classesOf(view, ctx.policy.abcRunRateDays ?? 0);
  ctx.catalogueTrend = computeCatalogueTrend(view.sales.map((units) => ({ units, endIndex: view.day + 1 })), ctx.policy.trendWindowDays ?? 28);
  const snapshots = view.skus.map((_, k) => snapshotOf(view, k, options));
  if (ctx.policy.safetyStockMethod === "compound" && (ctx.policy.orderSizePriorWeight ?? 0) > 0) {
    ctx.orderSizePrior = computeCatalogueOrderSizePrior(snapshots, ctx.asOf, ctx.policy.leadTimeDemandWindowDays);
  }
  if (ctx.policy.serviceLevelAllocation === "value") {
    ctx.serviceLevelClassMeans = serviceLevelClassMeans(snapshots.map((s, k) => ({ abcClass: classes[k] ?? "C", value: serviceLevelValue(s, ctx.asOf, ctx.policy.leadTimeDemandWindowDays) })));
  }
  return snapshots.map((s, k) => planSkuLocation(s, classes[k] ?? "C", ctx));
}

export function createEnginePolicy(name: string, shop: Partial<ShopPolicy>, params: Partial<SupplierParameters>, options: PolicyOptions): ReplenishmentPolicy {
  return {
    name,
    initialStock(view) {
      return Float64Array.from(runEngine(view, shop, params, options), (s) => Math.ceil(s.target.target));
    },
    orders(view) {
      return Float64Array.from(runEngine(view, shop, params, options), (s) => s.orderQuantity.quantity);
    },
  };
}

/** Reorder point and target computed once from the warm-up (engine's service-level formula), never revised. */
export function createFixedPolicy(options: PolicyOptions): ReplenishmentPolicy {
  let rop = new Float64Array(0);
  let target = new Float64Array(0);
  const shop: Partial<ShopPolicy> = { ...BASELINE, forecastMethod: "ewa", safetyStockMethod: "service-level", targetCycle: "lead-time" };
  return {
    name: "fixed",
    initialStock(view) {
      const plan = runEngine(view, shop, UNBOUNDED, options);
      rop = Float64Array.from(plan, (s) => s.reorderPoint);
      target = Float64Array.from(plan, (s) => s.target.target);
      return Float64Array.from(target, Math.ceil);
    },
    orders(view) {
      const open = new Float64Array(view.skus.length);
      for (const o of view.openOrders) open[o.sku] = (open[o.sku] ?? 0) + o.quantity;
      return Float64Array.from(view.skus, (_, k) => {
        const position = (view.onHand[k] ?? 0) + (open[k] ?? 0) - (view.backlog[k] ?? 0);
        return position < (rop[k] ?? 0) ? Math.ceil((target[k] ?? 0) - position) : 0;
      });
    },
  };
}
