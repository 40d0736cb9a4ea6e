/**
 * Reorder point, target stock and stock position. Units stay fractional until the order quantity, so
 * each rounding happens once and is visible in the explanation.
 */
export interface ReorderPoint {
  leadTimeDemand: number;
  reorderPoint: number;
}

/** Reorder point = forecast demand over the lead-time percentile + safety stock. */
export function computeReorderPoint(input: { dailyForecast: number; leadTimeDays: number; safetyStock: number }): ReorderPoint {
  const leadTimeDemand = input.dailyForecast * input.leadTimeDays;
  return { leadTimeDemand, reorderPoint: leadTimeDemand + input.safetyStock };
}

export interface TargetStock {
  unbounded: number;
  target: number;
  cycleDemand: number;
  bound: "min_days" | "max_days" | null;
}

/**
 * Target = reorder point + demand over the next review/lead-time cycle, kept between min_days and
 * max_days of cover (never below the reorder point, or the engine would reorder forever).
 */
export function computeTargetStock(input: { reorderPoint: number; dailyForecast: number; cycleDays: number; minDays: number; maxDays: number }): TargetStock {
  const cycleDemand = input.dailyForecast * input.cycleDays;
  const unbounded = input.reorderPoint + cycleDemand;
  const lo = input.dailyForecast * input.minDays;
  const hi = Math.max(input.reorderPoint, input.dailyForecast * input.maxDays);
  if (unbounded < lo) return { unbounded, target: lo, cycleDemand, bound: "min_days" };
  if (unbounded > hi) return { unbounded, target: hi, cycleDemand, bound: "max_days" };
  return { unbounded, target: unbounded, cycleDemand, bound: null };
}

export interface StockPositionInput {
  onHand: number;
  openPurchaseOrderQuantity: number;
  /** Units that can be assembled from components in stock. */
  kitSupply: number;
  /** Committed/unshipped customer orders. */
  committed: number;
  /** Customer backorders waiting for stock. */
  backordered: number;
}

export interface StockPosition extends StockPositionInput {
  position: number;
}

/** Position = on hand + open POs + kit supply − committed − backordered. */
export function computeStockPosition(input: StockPositionInput): StockPosition {
  return { ...input, position: input.onHand + input.openPurchaseOrderQuantity + input.kitSupply - input.committed - input.backordered };
}
