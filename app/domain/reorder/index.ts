/** Public API of the reorder engine. Everything here is pure: pass data and `asOf`, get a plan. */
export {
  planReplenishment, planSkuLocation, buildPlanContext, resolvePolicy, computeTrailingRevenue, computeCatalogueOrderSizePrior, DEFAULT_SHOP_POLICY,
  serviceLevelValue, serviceLevelClassMeans, allocateServiceLevel,
  type ReplenishmentInput, type ReplenishmentPlan, type CatalogueFigures, type ReorderSuggestion, type SkuLocationSnapshot, type SupplierInput,
  type SupplierOffer, type OpenPurchaseOrderLine, type ShopPolicy, type PlanContext,
} from "./plan-replenishment.ts";
export { DEFAULT_SUPPLIER_PARAMETERS, MAX_ORDER_VALUE_CENTS, SUPPLIER_FORECAST_METHODS, validateSupplierParameters, parsePeriodString, type SupplierForecastMethod, type SupplierParameters, type SupplierParameterErrors, type SupplierParametersValidation } from "./supplier-parameters.ts";
export { computeSafetyStock, DEFAULT_SERVICE_LEVELS, type SafetyStockMethod, type ServiceLevels, type SafetyStock } from "./safety-stock.ts";
export { classifyAbc, type AbcClass } from "./abc.ts";
export { computeReorderPoint, computeTargetStock, computeStockPosition } from "./reorder-point.ts";
export { computeOrderQuantity, priceFor, type PriceBreak, type OrderQuantity } from "./order-quantity.ts";
export { computeDaysLeft } from "./days-left.ts";
export { chooseSupplier, DEFAULT_SUPPLIER_WEIGHTS, type SupplierWeights, type SupplierScore } from "./choose-supplier.ts";
export { consolidatePurchaseOrders, type ProposedPurchaseOrder, type PurchaseOrderStatus } from "./consolidate.ts";
export { detectLineAnomalies, detectPurchaseOrderAnomalies, type Flag, type FlagCode, type ProductStatus } from "./anomalies.ts";
export { explainSuggestion } from "./explain.ts";
export { proposeTransfers, type TransferProposal } from "./transfers.ts";
export { computeLeadTimeDemand } from "./lead-time-demand.ts";
export { computeCompoundLeadTimeDemand, computeOrderSizePrior, historyOrderSizeMoments, orderSizeMoments, type OrderSizeMoments, type OrderSizePrior } from "./compound-demand.ts";
export { buildDemandHistory, cleanDemand, findOutlierOrders, type DemandHistory, type RawOrderLine } from "../demand/clean-demand.ts";
export { forecastDemand, type ForecastMethod, type ForecastModel } from "../forecast/forecast-demand.ts";
export type { Promotion } from "../forecast/promotions.ts";
export { computeLeadTimeDistribution, DEFAULT_TRANSIT_DAYS, type ReceivedPurchaseOrder, type ShipMethod } from "../lead-time/lead-time-distribution.ts";
export { toPriceUnits, toCents, formatCents, lineTotalCents, type Cents, type PriceUnits } from "../shared/money.ts";
export type { IsoDay } from "../shared/day.ts";
