/**
 * Picks the simulated catalogue: the `skuCount` highest-revenue products among those that sold before
 * `soldBeforeDay` and again in the last `soldInLastDays` days, assigned to suppliers round-robin by rank.
 */
import type { Scenario } from "./scenario.ts";
import type { SimulationSku } from "./simulate.ts";

export interface DemandProduct {
  stockCode: string;
  dailyUnits: Float64Array;
  medianUnitPrice: number;
  revenue: number;
  firstSaleIndex: number;
  lastSaleIndex: number;
  /** Order lines (day index ascending, units), when the reader has them. */
  orderDay?: ArrayLike<number>;
  orderQuantity?: ArrayLike<number>;
}

export function buildSimulationSkus(products: readonly DemandProduct[], days: number, scenario: Scenario, supplierCount: number): SimulationSku[] {
  const eligible = products
    .filter((p) => p.firstSaleIndex < scenario.soldBeforeDay && p.lastSaleIndex >= days - scenario.soldInLastDays)
    .sort((a, b) => b.revenue - a.revenue || (a.stockCode < b.stockCode ? -1 : 1))
    .slice(0, scenario.skuCount);
  const aCount = Math.ceil(eligible.length * 0.2);
  return eligible.map((p, rank) => ({
    skuId: p.stockCode,
    demand: p.dailyUnits,
    unitCost: p.medianUnitPrice * scenario.costShare,
    sellPrice: p.medianUnitPrice,
    supplierIndex: rank % supplierCount,
    metricClass: rank < aCount ? "A" : rank < Math.ceil(eligible.length * 0.5) ? "B" : "C",
    ...(p.orderDay && p.orderQuantity ? { orderDay: p.orderDay, orderQuantity: p.orderQuantity } : {}),
  }));
}
