/**
 * The engine: `planReplenishment(input, asOf)` → suggestions per SKU and location, transfers and one
 * proposed PO per supplier. Pure: everything arrives as arguments, nothing is read from a clock, env or DB.
 */
import { cleanDemand, createHistoryScratch, orderRange, prepareHistory, type CleanDemand, type DemandHistory } from "../demand/clean-demand.ts";
import { forecastDemand, type BacktestScore, type ForecastMethod, type ForecastModel } from "../forecast/forecast-demand.ts";
import type { DemandClassification } from "../forecast/intermittent.ts";
import { meanPromotionMultiplier, type Promotion } from "../forecast/promotions.ts";
import { computeCatalogueTrend, trendMultiplier, type CatalogueTrend } from "../forecast/catalogue-trend.ts";
import { computeLeadTimeDistribution, type LeadTimeDistribution, type ReceivedPurchaseOrder, type ShipMethod } from "../lead-time/lead-time-distribution.ts";
import { addDays, fromDayNumber, toDayNumber, type IsoDay } from "../shared/day.ts";
import { type Cents, type PriceUnits } from "../shared/money.ts";
import { classifyAbc, type AbcClass } from "./abc.ts";
import { detectLineAnomalies, type Flag, type ProductStatus } from "./anomalies.ts";
import { chooseSupplier, DEFAULT_SUPPLIER_WEIGHTS, type SupplierScore, type SupplierWeights } from "./choose-supplier.ts";
import { consolidatePurchaseOrders, type ProposedPurchaseOrder } from "./consolidate.ts";
import { computeDaysLeft } from "./days-left.ts";
import { explainSuggestion, LOW_DATA_RATE_SOURCE } from "./explain.ts";
import { computeLeadTimeDemand } from "./lead-time-demand.ts";
import {
  blendOrderSizes, computeCompoundLeadTimeDemand, computeOrderSizePrior, estimateDispersion, historyOrderSizeMoments, orderSizeMoments, withoutOrders, type OrderSizeMoments, type OrderSizePrior,
} from "./compound-demand.ts";
import { computeOrderQuantity, type OrderQuantity, type PriceBreak } from "./order-quantity.ts";
import { computeReorderPoint, computeStockPosition, computeTargetStock, type StockPosition, type TargetStock } from "./reorder-point.ts";
import { computeSafetyStock, type SafetyStock, type SafetyStockMethod, type ServiceLevels } from "./safety-stock.ts";
import { DEFAULT_SUPPLIER_PARAMETERS, type SupplierParameters } from "./supplier-parameters.ts";
import { proposeTransfers, type TransferProposal } from "./transfers.ts";

export interface SupplierOffer {
  supplierId: string;
  /** Unit cost in PriceUnits (ten-thousandths; use toPriceUnits(3.42)). */
  unitCost: PriceUnits;
  priceBreaks?: readonly PriceBreak[];
  moq?: number;
  casePack?: number;
  /** Share of received units found defective, 0..1. */
  defectRate?: number;
  /** 0..1, how far below its MOQ the supplier accepts orders; derived from MOQ when absent. */
  moqFlexibility?: number;
  /**
   * The merchant's lead time for this SKU from this supplier (made to order, shipped from elsewhere…). It
   * replaces the supplier's configured lead time and its PO history, but not this SKU's own PO history.
   */
  leadTimeDays?: number;
}

export interface OpenPurchaseOrderLine {
  quantity: number;
  expectedOn: IsoDay;
  supplierId?: string;
}

export interface SkuLocationSnapshot {
  skuId: string;
  locationId: string;
  status: ProductStatus;
  history: DemandHistory;
  /** First sale ever (for days on market); absent = inferred from the history. */
  firstSaleDay?: IsoDay | null;
  onHand: number;
  committed: number;
  backordered: number;
  /** Units assemblable from component stock. */
  kitSupply: number;
  openPurchaseOrders: readonly OpenPurchaseOrderLine[];
  /** Selling price in PriceUnits, for margin and ABC revenue; null when unknown. */
  sellPrice: PriceUnits | null;
  offers: readonly SupplierOffer[];
  /** Quantities of this SKU's recent POs: "the typical order" of the 200 % check. */
  recentPurchaseQuantities?: readonly number[];
  /** Overrides the computed ABC class. */
  abcClass?: AbcClass;
}

export interface SupplierInput {
  supplierId: string;
  name?: string;
  parameters: SupplierParameters;
  receivedPurchaseOrders: readonly ReceivedPurchaseOrder[];
  disputeOpen?: boolean;
  shipMethod?: ShipMethod;
  quotesShipDate?: boolean;
}

export interface ShopPolicy {
  currency: string;
  /** Days between engine runs; the target covers at least one review cycle. */
  reviewDays: number;
  forecastMethod: ForecastMethod;
  safetyStockMethod: SafetyStockMethod;
  serviceLevels: ServiceLevels;
  leadTimePercentile: number;
  /** While true the reorder point uses the 90th lead-time percentile. */
  trustPeriod: boolean;
  approvalThreshold: Cents | null;
  supplierWeights: SupplierWeights;
  /** Annual holding cost as a share of unit cost. */
  holdingCostRate: number;
  transferLeadTimeDays: number;
  minReceivedOrders: number;
  /** The shop's transit days per ship method (absent: the defaults), added for suppliers that quote ship dates. */
  transitDays?: Partial<Record<ShipMethod, number>>;
  /**
   * Days of demand the target adds above the reorder point: "lead-time" = the lead-time percentile (the
   * published formula), "review" = the review period only (order little and often).
   */
  targetCycle: "lead-time" | "review";
  /** History behind the empirical lead-time demand. */
  leadTimeDemandWindowDays: number;
  forecastHorizonDays: number;
  /**
   * Plan on the higher of the chosen forecast and the recent velocities (30-day EWA, shortest period).
   * Stock-outs cost more than a few days of extra stock when demand is ramping, and models lag ramps.
   * Part of the "auto" method only: a shop or supplier that picks one estimator gets that estimator.
   */
  conservativeRate: boolean;
  /** With `conservativeRate`: which period-string rates join the max, the shortest used one (default) or every used one. */
  conservativePeriods?: "shortest" | "all";
  /**
   * A low-data SKU (fewer than low_order_count orders in the window) plans on the longest usable period, as
   * the issue specifies ("longest-period", the default), or on the chosen estimator like any other SKU (the
   * simulator's published baselines, which are pure formulas).
   */
  lowDataRate?: "longest-period" | "estimator";
  /** Extrapolate the shop-wide 28-day trend over each SKU's lead time. */
  useCatalogueTrend: boolean;
  /** Days in each of the two windows the shop-wide trend compares (default 28). */
  trendWindowDays?: number;
  /** "class": every SKU gets its class's level; "value": skewed inside each class by allocateServiceLevels. */
  serviceLevelAllocation?: "class" | "value";
  /**
   * "compound" safety stock: variance multiplier for order arrivals more clustered than Poisson. Absent =
   * estimated per SKU from its week-to-week variation, bounded by `maxOrderDispersion` (default 4).
   */
  orderDispersion?: number;
  maxOrderDispersion?: number;
  /**
   * "compound" safety stock: whether the five-factor outlier orders (at most two a year) count in the
   * order-size distribution. "exclude" treats them like the forecast does (one-off bulk orders are quoted,
   * not stocked for); "include" stocks for them too. Default "include".
   */
  orderSizeOutliers?: "include" | "exclude";
  /**
   * "compound" safety stock: pseudo-count of the catalogue's order-size shape in each SKU's (0 = the SKU's
   * own order lines only). Needs `orderSizePrior` in the plan context.
   */
  orderSizePriorWeight?: number;
  /**
   * ABC for planning: each SKU gets the better of its class by trailing-year revenue and its class by the
   * last `abcRunRateDays` days' revenue (classifyForPlanning); 0 or absent = trailing year only.
   */
  abcRunRateDays?: number;
}

/**
 * The engine's default policy, chosen with the simulator (docs/simulator.md): compound-Poisson lead-time
 * demand (order rate at the current forecast × the SKU's own order-size distribution, with a per-SKU
 * dispersion for clustered orders, mixed over the supplier's lead-time distribution including its late
 * tail, and each SKU's order-size shape blended with the catalogue's by credibility: 200 pseudo-orders, so
 * a SKU that has not yet met a wholesale order 50× its typical one still covers some of that risk)
 * instead of the normal approximation or rescaled history windows, planned on the highest of the
 * model forecast, the 30-day EWA and every usable period-string rate (a dip does not drain the cover a
 * recovery needs) and lifted by the shop-wide trend,
 * ordering little and often (target = reorder point + one review period). Service levels are skewed toward
 * cheap SKUs: B and C hold few pounds per day of cover, so a high level there costs little; inside each
 * class they are skewed by value (allocateServiceLevel), keeping the class's average.
 */
export const DEFAULT_SHOP_POLICY: Readonly<ShopPolicy> = Object.freeze({
  currency: "USD",
  reviewDays: 1,
  forecastMethod: "auto" as ForecastMethod,
  safetyStockMethod: "compound" as SafetyStockMethod,
  serviceLevels: Object.freeze({ A: 0.999, B: 0.995, C: 0.995 }),
  leadTimePercentile: 85,
  trustPeriod: false,
  approvalThreshold: null,
  supplierWeights: DEFAULT_SUPPLIER_WEIGHTS,
  holdingCostRate: 0.25,
  transferLeadTimeDays: 3,
  minReceivedOrders: 8,
  targetCycle: "review" as const,
  leadTimeDemandWindowDays: 364,
  forecastHorizonDays: 56,
  conservativeRate: true,
  conservativePeriods: "all" as const,
  useCatalogueTrend: true,
  orderSizePriorWeight: 200,
  serviceLevelAllocation: "value" as const,
});

export interface ReplenishmentInput {
  shop?: Partial<ShopPolicy>;
  suppliers: readonly SupplierInput[];
  skus: readonly SkuLocationSnapshot[];
  promotions?: readonly Promotion[];
  /**
   * The shop-wide trend, when the caller plans the catalogue in shards (each shard would otherwise see only
   * its own SKUs' trend); computed from `skus` when absent.
   */
  catalogueTrend?: CatalogueTrend;
  /** Leave `explanation` empty (bulk runs that never show it); rendered when absent. */
  skipExplanations?: boolean;
  /** The catalogue's order-size shape, when the caller plans in shards; computed from `skus` when absent. */
  orderSizePrior?: OrderSizePrior;
  /** Class means of serviceLevelValue, when the caller plans in shards; computed from `skus` when absent. */
  serviceLevelClassMeans?: Record<AbcClass, number>;
}

export interface ReorderSuggestion {
  skuId: string;
  locationId: string;
  supplierId: string | null;
  abcClass: AbcClass;
  status: ProductStatus;
  demand: {
    lowData: boolean;
    excludedOrders: CleanDemand["excludedOrders"];
    typicalCustomerOrder: number;
    largestOrder: number;
    daysOnMarket: number | null;
    classification: DemandClassification;
  };
  forecast: {
    method: ForecastMethod;
    /** Whose setting chose `method`: the shop's, or this SKU's supplier's override. */
    methodChosenBy?: "shop" | "supplier";
    model: ForecastModel;
    /** The rate every later step uses (model, or conservative max, times the trend and the promotions). */
    dailyRate: number;
    /** What the chosen model alone forecast, before promotions. */
    modelRate: number;
    /** The rate before the trend: the model's, or a higher recent rate when the policy never plans below those (conservativeRate). */
    baseRate: number;
    /** What set baseRate: "model", "30-day EWA", "<n>-week period", or "longest period" for a low-data SKU. */
    baseRateSource: string;
    trendMultiplier: number;
    ewaRate: number;
    periodStringRate: number;
    peakDay: number;
    dailyStdDev: number;
    yearlyIndex: number;
    backtest: BacktestScore[];
    backtestHorizonDays: number;
    promotionsApplied: string[];
    /** The promotions' mean multiplier over the lead time plus the review period, applied last (1 without promotions). */
    promotionMultiplier: number;
  };
  leadTime: Omit<LeadTimeDistribution, "samples" | "flags">;
  serviceLevel: number;
  /** The shop's level for the SKU's class; `serviceLevel` differs when it was skewed by the SKU's value. */
  classServiceLevel: number;
  serviceLevelSkewedByValue: boolean;
  safetyStock: SafetyStock;
  /**
   * Lead-time days the reorder point multiplies the rate by: the percentile for the formula methods; the
   * mean lead time + the review period for "empirical" and "compound", whose safety stock covers the rest
   * of the lead-time distribution (the percentile + the review period while the shop is in its trust period).
   */
  reorderPointLeadTimeDays: number;
  reviewDays: number;
  /** The shop was in its trust period: the lead-time percentile is at least the 90th, and the quantile methods plan on it. */
  trustPeriod: boolean;
  reorderPoint: number;
  cycleDays: number;
  target: TargetStock;
  position: StockPosition;
  transferIn: number;
  orderQuantity: OrderQuantity;
  daysLeft: number | null;
  stockOutDate: IsoDay | null;
  supplierScores: SupplierScore[];
  /** The weights the scores were made with (the shop's, from Settings). */
  supplierWeights: SupplierWeights;
  marginPct: number | null;
  flags: Flag[];
  explanation: string;
}

export interface ReplenishmentPlan {
  asOf: IsoDay;
  nextRunOn: IsoDay;
  suggestions: ReorderSuggestion[];
  transfers: (TransferProposal & { skuId: string })[];
  purchaseOrders: ProposedPurchaseOrder[];
  summary: { skus: number; suggestionsToOrder: number; needsReview: number; totalValue: Cents };
  /** The catalogue-wide figures the plan used; a run over a few SKUs passes a whole-shop run's back in. */
  catalogue: CatalogueFigures;
}

/**
 * What one SKU's plan borrows from the rest of the catalogue. A run over a few SKUs (a stock change) must
 * plan them with the whole shop's figures, or one SKU's own trend becomes the "shop trend" and its own
 * order sizes the "catalogue prior", and the same SKU gets a different target at noon than at midnight.
 */
export interface CatalogueFigures {
  catalogueTrend?: CatalogueTrend;
  orderSizePrior?: OrderSizePrior;
  serviceLevelClassMeans?: Record<AbcClass, number>;
}

/** What planning one SKU at one location needs beyond the snapshot; built once per run. */
export interface PlanContext {
  asOf: IsoDay;
  policy: ShopPolicy;
  suppliers: ReadonlyMap<string, SupplierInput>;
  /** Supplier-level lead-time distribution, keyed by supplier id. */
  leadTimes: ReadonlyMap<string, LeadTimeDistribution>;
  /** POs per supplier per SKU, for SKU-level lead times. */
  skuPurchaseOrders: ReadonlyMap<string, ReadonlyMap<string, ReceivedPurchaseOrder[]>>;
  promotions: readonly Promotion[];
  /** Shop-wide trend applied to every SKU's rate when the policy uses it. */
  catalogueTrend?: CatalogueTrend;
  /** Skip rendering the paragraph (simulations and bulk runs that never show it). */
  skipExplanation?: boolean;
  /** The catalogue's order-size shape for the compound safety stock (computeOrderSizePrior). */
  orderSizePrior?: OrderSizePrior;
  /** With serviceLevelAllocation "value": the class means of serviceLevelValue over the catalogue. */
  serviceLevelClassMeans?: Record<AbcClass, number>;
}

export function resolvePolicy(shop: Partial<ShopPolicy> | undefined): ShopPolicy {
  return { ...DEFAULT_SHOP_POLICY, ...(shop ?? {}) };
}

export function buildPlanContext(input: Pick<ReplenishmentInput, "shop" | "suppliers" | "promotions">, asOf: IsoDay | Date): PlanContext {
  const policy = resolvePolicy(input.shop);
  const suppliers = new Map(input.suppliers.map((s) => [s.supplierId, s]));
  const leadTimes = new Map<string, LeadTimeDistribution>();
  const skuPurchaseOrders = new Map<string, Map<string, ReceivedPurchaseOrder[]>>();
  const percentile = policy.trustPeriod ? Math.max(90, policy.leadTimePercentile) : policy.leadTimePercentile;
  for (const s of input.suppliers) {
    leadTimes.set(
      s.supplierId,
      computeLeadTimeDistribution(s.receivedPurchaseOrders, {
        configuredLeadTimeDays: s.parameters.leadTimeDays, percentile, minReceivedOrders: policy.minReceivedOrders,
        ...(s.quotesShipDate !== undefined ? { quotesShipDate: s.quotesShipDate } : {}), ...(s.shipMethod ? { shipMethod: s.shipMethod } : {}),
        ...(policy.transitDays ? { transitDays: policy.transitDays } : {}),
      }),
    );
    const bySku = new Map<string, ReceivedPurchaseOrder[]>();
    for (const po of s.receivedPurchaseOrders) for (const id of po.skuIds ?? []) bySku.set(id, [...(bySku.get(id) ?? []), po]);
    skuPurchaseOrders.set(s.supplierId, bySku);
  }
  return { asOf: fromDayNumber(toDayNumber(asOf)), policy, suppliers, leadTimes, skuPurchaseOrders, promotions: input.promotions ?? [] };
}

/** The catalogue's order-size shape over the lead-time-demand window (see computeOrderSizePrior). */
export function computeCatalogueOrderSizePrior(skus: readonly SkuLocationSnapshot[], asOf: IsoDay, windowDays: number): OrderSizePrior {
  const day = toDayNumber(asOf);
  return computeOrderSizePrior(skus.map((s) => historyOrderSizeMoments(s.history, Math.min(s.history.units.length, day - toDayNumber(s.history.startDay)), windowDays)));
}

/**
 * The money scale of a SKU's lead-time-demand tail, for skewing service levels by value: its cheapest
 * offer's unit cost × √(Σ order size²) over the window (the tail's scale grows with the big orders).
 */
export function serviceLevelValue(sku: SkuLocationSnapshot, asOf: IsoDay, windowDays: number): number {
  const day = toDayNumber(asOf);
  return serviceLevelValueOf(sku, historyOrderSizeMoments(sku.history, Math.min(sku.history.units.length, day - toDayNumber(sku.history.startDay)), windowDays));
}

function serviceLevelValueOf(sku: SkuLocationSnapshot, m: OrderSizeMoments): number {
  let cost = Infinity;
  for (const o of sku.offers) cost = Math.min(cost, o.unitCost);
  return Number.isFinite(cost) ? cost * Math.sqrt(m.m2 * m.count) : 0;
}

/** Mean serviceLevelValue per class over the SKUs that have one (the normaliser of allocateServiceLevels). */
export function serviceLevelClassMeans(items: readonly { abcClass: AbcClass; value: number }[]): Record<AbcClass, number> {
  const sum: Record<AbcClass, number> = { A: 0, B: 0, C: 0 };
  const count: Record<AbcClass, number> = { A: 0, B: 0, C: 0 };
  for (const it of items) {
    if (!(it.value > 0)) continue;
    sum[it.abcClass] += it.value;
    count[it.abcClass]++;
  }
  return { A: count.A > 0 ? sum.A / count.A : 0, B: count.B > 0 ? sum.B / count.B : 0, C: count.C > 0 ? sum.C / count.C : 0 };
}

/**
 * Service levels skewed by value inside each class, keeping the class's average miss rate: a SKU's miss
 * probability is proportional to its serviceLevelValue over the class mean. For an exponential-like tail
 * the stock a quantile costs grows like scale × ln(1/miss), so equal marginal pounds per point of in-stock
 * give miss ∝ cost × scale: cheap or steady SKUs get a higher level, expensive lumpy ones a lower one,
 * and the class's in-stock holds with less stock at cost. Clamped to `bounds`.
 */
export function allocateServiceLevel(value: number, abcClass: AbcClass, levels: ServiceLevels, classMeans: Record<AbcClass, number>, bounds: [number, number] = [0.98, 0.99995]): number {
  const mean = classMeans[abcClass];
  if (!(mean > 0) || !(value > 0)) return levels[abcClass];
  const miss = (1 - levels[abcClass]) * (value / mean);
  return Math.min(bounds[1], Math.max(bounds[0], 1 - miss));
}

/** Revenue over the last `days` days (52 weeks by default), for ABC. */
export function computeTrailingRevenue(sku: SkuLocationSnapshot, asOf: IsoDay, days = 364): number {
  const end = Math.min(sku.history.units.length, toDayNumber(asOf) - toDayNumber(sku.history.startDay));
  let units = 0;
  for (let i = Math.max(0, end - days); i < end; i++) units += sku.history.units[i] ?? 0;
  return units * (sku.sellPrice ?? 1);
}

/**
 * ABC classes for planning: by trailing-year revenue, and with `runRateDays` > 0 each SKU gets the better
 * of that class and its class by the last `runRateDays` days' revenue. A product ramping into its season
 * (or newly launched) sells at an A-class rate long before a trailing year shows it; ranked on the
 * trailing year alone it kept a B or C service level through the ramp. Taking the better of the two
 * rankings promotes it without demoting a steady seller.
 */
export function classifyForPlanning(items: readonly { skuId: string; revenue: number; recentRevenue: number }[], runRateDays: number): Map<string, AbcClass> {
  const trailing = classifyAbc(items);
  if (!(runRateDays > 0)) return trailing;
  const recent = classifyAbc(items.map((i) => ({ skuId: i.skuId, revenue: i.recentRevenue })));
  const rank: Record<AbcClass, number> = { A: 0, B: 1, C: 2 };
  for (const [id, c] of recent) {
    const t = trailing.get(id) ?? "C";
    if (rank[c] < rank[t]) trailing.set(id, c);
  }
  return trailing;
}

/**
 * Plans one SKU at one location: supplier → cleaned demand → forecast → lead time → safety stock →
 * reorder point → target → position → quantity → flags → explanation. `transferIn` is stock another
 * location will send, counted in the position.
 */
/** Reused by planSkuLocation SKU after SKU (the engine is single-threaded; planSkuLocation does not re-enter). */
const historyScratch = createHistoryScratch();

export function planSkuLocation(sku: SkuLocationSnapshot, abcClass: AbcClass, ctx: PlanContext, transferIn = 0): ReorderSuggestion {
  const { policy, asOf } = ctx;
  const asOfDay = toDayNumber(asOf);
  const histStart = toDayNumber(sku.history.startDay);
  const endIndex = Math.max(0, Math.min(sku.history.units.length, asOfDay - histStart));
  let recent30 = 0;
  for (let i = Math.max(0, endIndex - 30); i < endIndex; i++) recent30 += sku.history.units[i] ?? 0;

  const candidates = sku.offers.map((o) => {
    const lt = ctx.leadTimes.get(o.supplierId);
    const reliability = !lt || lt.source === "configured" ? null : (lt.onTimeRate ?? Math.max(0, 1 - (lt.meanDays > 0 ? lt.stdDevDays / lt.meanDays : 1)));
    return {
      supplierId: o.supplierId, unitPrice: o.unitCost, leadTimeReliability: reliability, defectRate: o.defectRate ?? 0, moq: o.moq ?? 0,
      ...(o.moqFlexibility !== undefined ? { moqFlexibility: o.moqFlexibility } : {}), disputeOpen: ctx.suppliers.get(o.supplierId)?.disputeOpen ?? false,
    };
  });
  const choice = chooseSupplier(candidates, recent30, policy.supplierWeights);
  const supplierId = choice.chosen?.supplierId ?? null;
  const supplier = supplierId ? ctx.suppliers.get(supplierId) : undefined;
  const offer = sku.offers.find((o) => o.supplierId === supplierId);
  const params = supplier?.parameters ?? DEFAULT_SUPPLIER_PARAMETERS;

  const forecastMethod = params.forecastMethod === "shop" ? policy.forecastMethod : params.forecastMethod;

  // Scratch buffers: neither the prepared history nor the cleaned series outlives this call.
  const prepared = prepareHistory(sku.history, historyScratch);
  const clean = cleanDemand(prepared, params, asOf, { windowDays: 364, firstSaleDay: sku.firstSaleDay ?? null }, historyScratch);
  const forecast = forecastDemand(prepared, clean, params, asOf, {
    skuId: sku.skuId, method: forecastMethod, promotions: ctx.promotions, horizonDays: policy.forecastHorizonDays,
  });

  let lt = supplierId ? ctx.leadTimes.get(supplierId) : undefined;
  const skuPos = supplierId ? ctx.skuPurchaseOrders.get(supplierId)?.get(sku.skuId) : undefined;
  if (supplier && skuPos && skuPos.length >= policy.minReceivedOrders) {
    lt = computeLeadTimeDistribution(skuPos, {
      configuredLeadTimeDays: params.leadTimeDays, percentile: lt?.percentile ?? policy.leadTimePercentile, minReceivedOrders: policy.minReceivedOrders,
      ...(supplier.quotesShipDate !== undefined ? { quotesShipDate: supplier.quotesShipDate } : {}), ...(supplier.shipMethod ? { shipMethod: supplier.shipMethod } : {}),
      ...(policy.transitDays ? { transitDays: policy.transitDays } : {}),
    });
    lt = { ...lt, source: "sku-history" };
  }
  if (!lt) {
    lt = computeLeadTimeDistribution([], { configuredLeadTimeDays: params.leadTimeDays, percentile: policy.leadTimePercentile, minReceivedOrders: policy.minReceivedOrders });
  }
  // Whether the supplier's deliveries are known well enough to send without review; a SKU override is the
  // merchant's word about this SKU, not evidence about the supplier.
  const leadTimeFromHistory = lt.source !== "configured";
  // The override wins over any history, this SKU's own included: a merchant types one because they know
  // something the receipts do not yet show (the supplier moved production), and a saved value that the
  // engine ignored was worse than none.
  if (offer?.leadTimeDays !== undefined) {
    const overridden = computeLeadTimeDistribution([], {
      configuredLeadTimeDays: offer.leadTimeDays, percentile: lt.percentile, minReceivedOrders: policy.minReceivedOrders,
      ...(supplier?.quotesShipDate !== undefined ? { quotesShipDate: supplier.quotesShipDate } : {}), ...(supplier?.shipMethod ? { shipMethod: supplier.shipMethod } : {}),
      ...(policy.transitDays ? { transitDays: policy.transitDays } : {}),
    });
    const replaced = lt.source === "sku-history" || lt.source === "supplier-history" ? { source: lt.source, sampleCount: lt.sampleCount, meanDays: lt.meanDays } : undefined;
    lt = { ...overridden, source: "sku-override", sampleCount: lt.sampleCount, ...(replaced ? { overriddenHistory: replaced } : {}) };
  }

  // The conservative rate is the highest of several estimators; which one set it goes into the
  // explanation, or "forecast 14.7 from ewa" would sit next to an EWA of 4.9 with nothing to reconcile them.
  // Promotions come after the max: compared with promoted model demand, a recent velocity that was already
  // higher swallowed the uplift, and a +200 % promotion left the plan where it was.
  let baseRate = forecast.unpromotedRate;
  let baseRateSource = "model";
  if (clean.lowData && policy.lowDataRate !== "estimator") {
    // Too few orders for a model or a short window to mean anything: the issue plans low-data products on the
    // longest usable period (what the period string returns for them), and their lines always go to review.
    [baseRate, baseRateSource] = [forecast.periodString.dailyRate, LOW_DATA_RATE_SOURCE];
  } else if (policy.conservativeRate && forecastMethod === "auto") {
    if (forecast.ewa.dailyRate > baseRate) [baseRate, baseRateSource] = [forecast.ewa.dailyRate, "30-day EWA"];
    for (const p of forecast.periodString.periods) {
      if (!p.used) continue;
      if (p.dailyRate > baseRate) [baseRate, baseRateSource] = [p.dailyRate, `${p.weeks}-week period`];
      if (policy.conservativePeriods !== "all") break;
    }
  }
  const trend = policy.useCatalogueTrend && ctx.catalogueTrend ? trendMultiplier(ctx.catalogueTrend, lt.meanDays + policy.reviewDays) : 1;
  // A promotion lifts the demand the reorder point covers (the lead time plus the review period), not the
  // forecast's 8-week horizon: averaged over 56 days, three weeks at ×3 came out ×1.8 for a 15-day lead
  // time that lies wholly inside it. A promotion further out is bought for at a later review.
  const promotionMultiplier = meanPromotionMultiplier(forecast.firstDay, Math.ceil(lt.meanDays + policy.reviewDays), ctx.promotions, sku.skuId);
  const d = baseRate * trend * promotionMultiplier;
  // Order sizes over the lead-time-demand window: the same moments serviceLevelValue reads from the raw
  // history (the prepared order lines are the history's, or its selling days), computed once.
  const [sizeLo, sizeHi] = orderRange(prepared, Math.max(0, endIndex - policy.leadTimeDemandWindowDays), endIndex);
  const rawSizes = orderSizeMoments(prepared.orderQuantity, sizeLo, sizeHi);
  const classServiceLevel = policy.serviceLevels[abcClass];
  const serviceLevel = ctx.serviceLevelClassMeans && policy.serviceLevelAllocation === "value"
    ? allocateServiceLevel(serviceLevelValueOf(sku, rawSizes), abcClass, policy.serviceLevels, ctx.serviceLevelClassMeans)
    : classServiceLevel;
  let ltdQuantile: number | undefined;
  let ltdMean: number | undefined;
  if (policy.safetyStockMethod === "empirical") {
    const ltd = computeLeadTimeDemand({
      units: clean.units, outOfStock: clean.outOfStock, endIndex: clean.units.length, windowDays: policy.leadTimeDemandWindowDays,
      leadTimeSamples: lt.samples, extraDays: policy.reviewDays, dailyForecast: d, serviceLevel,
    });
    ltdQuantile = ltd.quantile;
    ltdMean = ltd.mean;
  } else if (policy.safetyStockMethod === "compound") {
    let sizes = rawSizes;
    if (policy.orderSizeOutliers === "exclude") sizes = withoutOrders(sizes, clean.excludedOrders.map((o) => o.quantity));
    sizes = blendOrderSizes(sizes, ctx.orderSizePrior, policy.orderSizePriorWeight ?? 0);
    const dispersion = policy.orderDispersion ?? estimateDispersion(clean.units, clean.outOfStock, clean.units.length, policy.leadTimeDemandWindowDays, sizes, policy.maxOrderDispersion ?? 4);
    const ltd = computeCompoundLeadTimeDemand({ sizes, dailyForecast: d, leadTimeSamples: lt.samples, extraDays: policy.reviewDays, serviceLevel, dispersion });
    ltdQuantile = ltd.quantile;
    ltdMean = ltd.mean;
  }
  const safetyStock = computeSafetyStock({
    method: policy.safetyStockMethod, serviceLevel, dailyDemand: d, dailyStdDev: forecast.dailyStdDev, peakDailyDemand: forecast.ewa.peakDay,
    leadTimeDays: lt.meanDays, leadTimeStdDevDays: lt.stdDevDays,
    ...(ltdQuantile !== undefined ? { leadTimeDemandQuantile: ltdQuantile } : {}), ...(ltdMean !== undefined ? { leadTimeDemandMean: ltdMean } : {}),
  });
  // The empirical and compound quantiles already span the lead-time distribution and the review period, so
  // their reorder point covers the mean horizon; the formula methods cover the percentile, as the issue
  // specifies. In the trust period the merchant is still checking the engine's work, so the quantile methods
  // plan on the trust percentile (at least the 90th) instead of the mean as well, on top of the late tail.
  const quantileMethod = policy.safetyStockMethod === "empirical" || policy.safetyStockMethod === "compound";
  const ropDays = quantileMethod ? (policy.trustPeriod ? Math.max(lt.meanDays, lt.percentileDays) : lt.meanDays) + policy.reviewDays : lt.percentileDays;
  const rop = computeReorderPoint({ dailyForecast: d, leadTimeDays: ropDays, safetyStock: safetyStock.units });
  const cycleDays = policy.targetCycle === "lead-time" ? Math.max(policy.reviewDays, lt.percentileDays) : policy.reviewDays;
  const target = computeTargetStock({ reorderPoint: rop.reorderPoint, dailyForecast: d, cycleDays, minDays: params.minDays, maxDays: params.maxDays });

  let openQty = 0;
  for (const po of sku.openPurchaseOrders) openQty += po.quantity;
  const position = computeStockPosition({ onHand: sku.onHand + transferIn, openPurchaseOrderQuantity: openQty, kitSupply: sku.kitSupply, committed: sku.committed, backordered: sku.backordered });

  const ordering = sku.status === "active" || sku.status === "seasonal";
  const below = position.position < rop.reorderPoint;
  const orderQuantity: OrderQuantity =
    ordering && below && offer
      ? computeOrderQuantity({
          target: target.target, position: position.position, dailyForecast: d, repoAdditionalDays: params.repoAdditionalDays,
          roundingOne: params.roundingOne, roundingTwo: params.roundingTwo, moq: offer.moq ?? 0, casePack: offer.casePack ?? 1,
          unitPrice: offer.unitCost, priceBreaks: offer.priceBreaks ?? [], holdingCostRate: policy.holdingCostRate,
        })
      : { raw: target.target - position.position, quantity: 0, steps: [{ step: "raw", quantity: 0, note: !offer ? "no supplier offer" : !ordering ? `product is ${sku.status}` : "position above the reorder point" }], unitPrice: offer?.unitCost ?? 0, lineTotal: 0 };

  const days = computeDaysLeft(position.position, d, asOf);
  const marginPct = sku.sellPrice && sku.sellPrice > 0 && offer ? ((sku.sellPrice - orderQuantity.unitPrice) / sku.sellPrice) * 100 : null;
  let largestRecent = 0;
  const { orderDay, orderQuantity: oq } = sku.history;
  if (orderDay && oq) {
    for (let k = orderDay.length - 1; k >= 0 && (orderDay[k] as number) >= endIndex - policy.reviewDays; k--) {
      if ((orderDay[k] as number) < endIndex) largestRecent = Math.max(largestRecent, oq[k] as number);
    }
  } else for (let i = Math.max(0, endIndex - policy.reviewDays); i < endIndex; i++) largestRecent = Math.max(largestRecent, sku.history.units[i] ?? 0);

  const recent = sku.recentPurchaseQuantities ?? [];
  const typical = recent.length > 0 ? [...recent].sort((a, b) => a - b)[(recent.length - 1) >> 1] ?? null : null;
  const flags = detectLineAnomalies({
    quantity: orderQuantity.quantity, typicalPurchaseQuantity: typical, position: position.position, reorderPoint: rop.reorderPoint,
    largestRecentOrder: largestRecent, supplierDisputeOpen: supplier?.disputeOpen ?? false, status: sku.status,
    leadTimeFromHistory, minReceivedOrders: policy.minReceivedOrders, marginPct, marginThreshold: params.marginThreshold,
    lowData: clean.lowData,
  });
  if (!supplierId && below && ordering) flags.push({ code: "no_supplier", message: "no supplier offers this SKU" });

  const { samples: _samples, flags: _ltFlags, ...leadTime } = lt;
  const suggestion: ReorderSuggestion = {
    skuId: sku.skuId, locationId: sku.locationId, supplierId, abcClass, status: sku.status,
    demand: {
      lowData: clean.lowData, excludedOrders: clean.excludedOrders, typicalCustomerOrder: clean.typicalCustomerOrder, largestOrder: clean.largestOrder,
      daysOnMarket: clean.daysOnMarket, classification: forecast.classification,
    },
    forecast: {
      method: forecast.method, ...(params.forecastMethod !== "shop" ? { methodChosenBy: "supplier" as const } : {}), model: forecast.model, dailyRate: d, modelRate: forecast.unpromotedRate, baseRate, baseRateSource, trendMultiplier: trend, ewaRate: forecast.ewa.dailyRate, periodStringRate: forecast.periodString.dailyRate,
      peakDay: forecast.ewa.peakDay, dailyStdDev: forecast.dailyStdDev, yearlyIndex: forecast.yearlyIndex, backtest: forecast.backtest,
      backtestHorizonDays: 28, promotionsApplied: forecast.promotionsApplied,
      promotionMultiplier,
    },
    leadTime, serviceLevel, classServiceLevel, serviceLevelSkewedByValue: serviceLevel !== classServiceLevel, safetyStock, reorderPointLeadTimeDays: ropDays,
    reviewDays: policy.reviewDays, trustPeriod: policy.trustPeriod, reorderPoint: rop.reorderPoint, cycleDays, target, position, transferIn,
    orderQuantity, daysLeft: days.daysLeft, stockOutDate: days.stockOutDate, supplierScores: choice.scores, supplierWeights: policy.supplierWeights, marginPct, flags, explanation: "",
  };
  if (!ctx.skipExplanation) {
    // Rendered on first read: a nightly run over 100k SKUs shows a handful of paragraphs, and building
    // every one up front was an eighth of the plan's time. Reading (or spreading, or serialising) the
    // suggestion renders it, so callers see a plain string property.
    let text: string | null = null;
    Object.defineProperty(suggestion, "explanation", {
      enumerable: true, configurable: true,
      get: () => (text ??= explainSuggestion(suggestion, policy.currency)),
      set: (value: string) => {
        text = value;
      },
    });
  }
  return suggestion;
}

export function planReplenishment(input: ReplenishmentInput, asOf: IsoDay | Date): ReplenishmentPlan {
  const ctx: PlanContext = { ...buildPlanContext(input, asOf), ...(input.skipExplanations ? { skipExplanation: true } : {}) };
  const { policy } = ctx;
  if (input.catalogueTrend) ctx.catalogueTrend = input.catalogueTrend;
  else if (policy.useCatalogueTrend) {
    const day = toDayNumber(ctx.asOf);
    ctx.catalogueTrend = computeCatalogueTrend(
      input.skus.map((s) => ({ units: s.history.units, endIndex: Math.min(s.history.units.length, day - toDayNumber(s.history.startDay)) })), policy.trendWindowDays ?? 28,
    );
  }
  if (input.orderSizePrior) ctx.orderSizePrior = input.orderSizePrior;
  else if (policy.safetyStockMethod === "compound" && (policy.orderSizePriorWeight ?? 0) > 0) {
    ctx.orderSizePrior = computeCatalogueOrderSizePrior(input.skus, ctx.asOf, policy.leadTimeDemandWindowDays);
  }
  // Ranked here only for SKUs the caller did not class: a caller that planned in shards classed the whole
  // catalogue itself, and ranking each shard again would cost a pass over every history for nothing.
  const revenueBySku = new Map<string, { revenue: number; recentRevenue: number }>();
  const runRateDays = policy.abcRunRateDays ?? 0;
  if (input.skus.some((sku) => sku.abcClass === undefined)) {
    for (const sku of input.skus) {
      const r = revenueBySku.get(sku.skuId) ?? { revenue: 0, recentRevenue: 0 };
      r.revenue += computeTrailingRevenue(sku, ctx.asOf);
      if (runRateDays > 0) r.recentRevenue += computeTrailingRevenue(sku, ctx.asOf, runRateDays);
      revenueBySku.set(sku.skuId, r);
    }
  }
  const abc = classifyForPlanning([...revenueBySku].map(([skuId, r]) => ({ skuId, ...r })), runRateDays);

  if (input.serviceLevelClassMeans) ctx.serviceLevelClassMeans = input.serviceLevelClassMeans;
  else if (policy.serviceLevelAllocation === "value") {
    ctx.serviceLevelClassMeans = serviceLevelClassMeans(input.skus.map((s) => ({ abcClass: s.abcClass ?? abc.get(s.skuId) ?? "C", value: serviceLevelValue(s, ctx.asOf, policy.leadTimeDemandWindowDays) })));
  }
  const bySku = new Map<string, SkuLocationSnapshot[]>();
  for (const sku of input.skus) bySku.set(sku.skuId, [...(bySku.get(sku.skuId) ?? []), sku]);

  const suggestions: ReorderSuggestion[] = [];
  const transfers: ReplenishmentPlan["transfers"] = [];
  for (const [skuId, locations] of bySku) {
    const first = locations.map((l) => planSkuLocation(l, l.abcClass ?? abc.get(skuId) ?? "C", ctx));
    if (locations.length > 1) {
      const supplierLead = Math.min(...first.map((s) => s.reorderPointLeadTimeDays));
      const moves = proposeTransfers(
        first.map((s) => ({ locationId: s.locationId, onHand: s.position.onHand, position: s.position.position, reorderPoint: s.reorderPoint, target: s.target.target })),
        { transferLeadTimeDays: policy.transferLeadTimeDays, supplierLeadTimeDays: supplierLead },
      );
      if (moves.length > 0) {
        const delta = new Map<string, number>();
        for (const m of moves) {
          transfers.push({ ...m, skuId });
          delta.set(m.toLocationId, (delta.get(m.toLocationId) ?? 0) + m.quantity);
          delta.set(m.fromLocationId, (delta.get(m.fromLocationId) ?? 0) - m.quantity);
        }
        first.forEach((s, i) => {
          const dq = delta.get(s.locationId);
          const loc = locations[i];
          if (dq && loc) first[i] = planSkuLocation(loc, s.abcClass, ctx, dq);
        });
      }
    }
    suggestions.push(...first);
  }

  const nextRunOn = addDays(ctx.asOf, policy.reviewDays);
  const purchaseOrders = consolidatePurchaseOrders(
    suggestions.filter((s) => s.supplierId !== null && s.orderQuantity.quantity > 0).map((s) => ({
      skuId: s.skuId, locationId: s.locationId, supplierId: s.supplierId as string, quantity: s.orderQuantity.quantity,
      lineTotal: s.orderQuantity.lineTotal, stockOutDate: s.stockOutDate, flags: s.flags,
    })),
    input.suppliers.map((s) => ({
      supplierId: s.supplierId, orderMin: s.parameters.orderMin, orderMax: s.parameters.orderMax, orderAlert: s.parameters.orderAlert,
      autoSend: s.parameters.autoSend, disputeOpen: s.disputeOpen ?? false,
    })),
    { asOf: ctx.asOf, nextRunOn, approvalThreshold: policy.approvalThreshold, currency: policy.currency },
  );
  const toOrder = suggestions.filter((s) => s.orderQuantity.quantity > 0);
  return {
    asOf: ctx.asOf,
    nextRunOn,
    suggestions,
    transfers,
    purchaseOrders,
    summary: {
      skus: bySku.size,
      suggestionsToOrder: toOrder.length,
      needsReview: toOrder.filter((s) => s.flags.length > 0).length,
      totalValue: purchaseOrders.reduce((s, p) => s + p.total, 0),
    },
    catalogue: {
      ...(ctx.catalogueTrend ? { catalogueTrend: ctx.catalogueTrend } : {}),
      ...(ctx.orderSizePrior ? { orderSizePrior: ctx.orderSizePrior } : {}),
      ...(ctx.serviceLevelClassMeans ? { serviceLevelClassMeans: ctx.serviceLevelClassMeans } : {}),
    },
  };
}
