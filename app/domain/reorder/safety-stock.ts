/**
 * Safety stock, three textbook methods plus the empirical one the default policy uses:
 * - "service-level": z · sqrt(L·σd² + d²·σL²), demand and lead-time uncertainty together (the default);
 * - "simple": (max daily − average daily) × average lead time, the published formula;
 * - "sigma-sqrt-l": z · σd · sqrt(L), demand uncertainty only;
 * - "empirical": the service-level quantile of real lead-time demand (see lead-time-demand.ts) minus its
 *   mean. Lumpy wholesale demand is far from normal, and the normal quantile underestimates its tail.
 * - "compound": the same quantile from a compound-Poisson model (compound-demand.ts): order rate at the
 *   current forecast × the SKU's own order-size distribution, mixed over the lead-time distribution.
 */
import { inverseNormalCdf } from "../shared/normal.ts";
import type { AbcClass } from "./abc.ts";

export type SafetyStockMethod = "service-level" | "simple" | "sigma-sqrt-l" | "empirical" | "compound";

export type ServiceLevels = Readonly<Record<AbcClass, number>>;

export const DEFAULT_SERVICE_LEVELS: ServiceLevels = Object.freeze({ A: 0.98, B: 0.95, C: 0.9 });

export interface SafetyStockInput {
  method: SafetyStockMethod;
  serviceLevel: number;
  dailyDemand: number;
  dailyStdDev: number;
  peakDailyDemand: number;
  leadTimeDays: number;
  leadTimeStdDevDays: number;
  /** Required for "empirical": the service-level quantile of demand over the lead time. */
  leadTimeDemandQuantile?: number;
  /** Required for "empirical": the mean of that lead-time demand. */
  leadTimeDemandMean?: number;
}

export interface SafetyStock {
  method: SafetyStockMethod;
  units: number;
  z: number | null;
  formula: string;
}

export function computeSafetyStock(input: SafetyStockInput): SafetyStock {
  const { dailyDemand: d, dailyStdDev: sd, leadTimeDays: L, leadTimeStdDevDays: sL } = input;
  switch (input.method) {
    case "simple": {
      const units = Math.max(0, input.peakDailyDemand - d) * L;
      return { method: "simple", units, z: null, formula: `(${fmt(input.peakDailyDemand)} − ${fmt(d)}) × ${fmt(L)}` };
    }
    case "sigma-sqrt-l": {
      const z = inverseNormalCdf(input.serviceLevel);
      return { method: "sigma-sqrt-l", units: Math.max(0, z * sd * Math.sqrt(L)), z, formula: `${fmt(z)} × ${fmt(sd)} × √${fmt(L)}` };
    }
    case "empirical":
    case "compound": {
      const q = input.leadTimeDemandQuantile ?? 0;
      const m = input.leadTimeDemandMean ?? d * L;
      const what = input.method === "compound" ? "compound-Poisson lead-time demand (order rate × the SKU's order sizes)" : "lead-time demand";
      return { method: input.method, units: Math.max(0, q - m), z: null, formula: `q${formatServiceLevel(input.serviceLevel)}(${fmt(q)}) − mean(${fmt(m)}) of ${what}` };
    }
    case "service-level": {
      const z = inverseNormalCdf(input.serviceLevel);
      const units = z * Math.sqrt(L * sd * sd + d * d * sL * sL);
      return { method: "service-level", units: Math.max(0, units), z, formula: `${fmt(z)} × √(${fmt(L)}·${fmt(sd)}² + ${fmt(d)}²·${fmt(sL)}²)` };
    }
  }
}

/**
 * A service level as a percentage (no % sign) with enough decimals for two significant digits of the miss
 * probability: 99.85, 99.98, 99.995, 99.5. One decimal showed a value-skewed 99.85 % as 99.8 and 99.98 % as
 * 100.0, a level no stock can reach; only exactly 1 prints as 100.
 */
export function formatServiceLevel(level: number): string {
  const miss = (1 - level) * 100;
  if (!(miss > 0)) return "100";
  const decimals = Math.min(12, Math.max(1, Math.ceil(-Math.log10(miss)) + 1));
  const text = (level * 100).toFixed(decimals).replace(/\.?0+$/, "");
  return text === "100" ? (level * 100).toFixed(12) : text;
}

function fmt(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(2);
}
