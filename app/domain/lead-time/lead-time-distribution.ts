/**
 * Lead time from what actually happened: the placed → received days of past POs. A supplier+SKU pair
 * with its own history uses it; otherwise the supplier's; under `minReceivedOrders` POs the configured
 * lead time is used and the suggestion is flagged, because a handful of POs is not a distribution.
 */
import { toDayNumber, type IsoDay } from "../shared/day.ts";
import { mean, percentileOfSorted, sampleStdDev } from "../shared/quantity.ts";

export interface ReceivedPurchaseOrder {
  placedOn: IsoDay;
  receivedOn: IsoDay;
  /** When set, the PO counts toward this SKU's own history too. */
  skuIds?: readonly string[];
  /** Supplier's promised lead time for this PO, for the on-time rate. */
  promisedDays?: number;
}

import { DEFAULT_TRANSIT_DAYS, type ShipMethod } from "../shared/ship-methods.ts";

export { DEFAULT_TRANSIT_DAYS, type ShipMethod };

export interface LeadTimeOptions {
  configuredLeadTimeDays: number;
  /** Percentile used by the reorder point: 85 normally, 90 while the shop is in its trust period. */
  percentile: number;
  minReceivedOrders: number;
  /**
   * The supplier's configured lead time runs to its ship date, not to our door: the ship method's transit
   * days are added to it. Received-PO history is never shifted: placed → received already includes transit.
   */
  quotesShipDate?: boolean;
  shipMethod?: ShipMethod;
  transitDays?: Partial<Record<ShipMethod, number>>;
  skuId?: string;
  /** When no history, σL is assumed to be this share of the configured lead time. */
  configuredStdDevShare?: number;
}

export interface LeadTimeDistribution {
  /** "sku-override": the merchant's lead time for this SKU and supplier (set by the planner, never computed here). */
  source: "sku-history" | "supplier-history" | "configured" | "sku-override";
  sampleCount: number;
  meanDays: number;
  stdDevDays: number;
  minDays: number;
  maxDays: number;
  percentile: number;
  percentileDays: number;
  /** Transit days added to the configured lead time (0 with history, which is measured door to door). */
  transitDays: number;
  /** The ship method whose transit days were added. */
  shipMethod?: ShipMethod;
  /** Share of POs received within their promised lead time (null when unknown). */
  onTimeRate: number | null;
  /** Sorted samples including transit, for empirical lead-time demand. */
  samples: Float64Array;
  flags: ("insufficient_lead_time_history")[];
  /** With "sku-override": the PO history the override replaced, so the explanation can set the two side by side. */
  overriddenHistory?: { source: "sku-history" | "supplier-history"; sampleCount: number; meanDays: number };
}

export function computeLeadTimeDistribution(history: readonly ReceivedPurchaseOrder[], options: LeadTimeOptions): LeadTimeDistribution {
  const transit = options.quotesShipDate && options.shipMethod ? (options.transitDays?.[options.shipMethod] ?? DEFAULT_TRANSIT_DAYS[options.shipMethod]) : 0;
  const min = options.minReceivedOrders;
  const skuHistory = options.skuId ? history.filter((po) => po.skuIds?.includes(options.skuId as string)) : [];
  const chosen = skuHistory.length >= min ? skuHistory : history;
  const source = skuHistory.length >= min ? "sku-history" : history.length >= min ? "supplier-history" : "configured";

  if (source === "configured") {
    const days = options.configuredLeadTimeDays + transit;
    const sd = options.configuredLeadTimeDays * (options.configuredStdDevShare ?? 0.2);
    return {
      source, sampleCount: history.length, meanDays: days, stdDevDays: sd, minDays: days, maxDays: days,
      percentile: options.percentile, percentileDays: days, transitDays: transit, ...(transit > 0 ? { shipMethod: options.shipMethod } : {}), onTimeRate: null,
      // Without history the quoted lead time is a guess: spread the draws so empirical lead-time demand sees late deliveries too.
      samples: Float64Array.of(days * 0.8, days, days * 1.2, days * 1.5), flags: ["insufficient_lead_time_history"],
    };
  }
  const samples = Float64Array.from(chosen, (po) => toDayNumber(po.receivedOn) - toDayNumber(po.placedOn)).sort();
  let promised = 0;
  let onTime = 0;
  for (const po of chosen) {
    if (po.promisedDays === undefined) continue;
    promised++;
    if (toDayNumber(po.receivedOn) - toDayNumber(po.placedOn) <= po.promisedDays) onTime++;
  }
  return {
    source,
    sampleCount: samples.length,
    meanDays: mean(samples),
    stdDevDays: sampleStdDev(samples),
    minDays: samples[0] ?? 0,
    maxDays: samples[samples.length - 1] ?? 0,
    percentile: options.percentile,
    percentileDays: percentileOfSorted(samples, options.percentile),
    transitDays: 0,
    onTimeRate: promised > 0 ? onTime / promised : null,
    samples,
    flags: [],
  };
}
