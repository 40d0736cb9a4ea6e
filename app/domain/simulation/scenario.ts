/**
 * The simulator's scenario: which SKUs, which suppliers and lead times, how long to warm up, how often to
 * review, and what happens to demand that finds no stock. Documented in docs/simulator.md.
 */
export interface SupplierSpec {
  /** Fastest lead time in days (before leadTimeScale). */
  lowDays: number;
  /** Slowest normal lead time in days (before leadTimeScale). */
  highDays: number;
  /** Probability that a PO arrives `lateFactor` × its drawn lead time. */
  lateProbability: number;
}

export interface Scenario {
  seed: number;
  /** Path of the gzip CSV; relative paths resolve from the current directory. */
  dataFile: string | null;
  skuCount: number;
  supplierCount: number;
  /** Multiplies every lead time. */
  leadTimeScale: number;
  /** Days that only build history (no stock, no orders) before the simulation starts. */
  warmupDays: number;
  reviewDays: number;
  unmetDemand: "lost" | "backorder";
  /** Candidates must have sold before this day index… */
  soldBeforeDay: number;
  /** …and again within this many days of the end of the log. */
  soldInLastDays: number;
  /** Supplier lead times are drawn: low ∈ [lowMin, lowMax], high = low + [spreadMin, spreadMax]. */
  leadTime: { lowMin: number; lowMax: number; spreadMin: number; spreadMax: number; lateSupplierShare: number; lateProbability: number; lateFactor: number };
  /** Explicit suppliers; when given, `supplierCount` and `leadTime` are ignored. */
  suppliers: SupplierSpec[] | null;
  /** Unit cost as a share of the median selling price (the log has prices, not costs). */
  costShare: number;
  /** Annual holding cost as a share of unit cost. */
  holdingCostRate: number;
  /** Days without a sale at the end that make stock "dead". */
  deadStockDays: number;
  /** Policies to run, by name; null = all. */
  policies: string[] | null;
}

export const DEFAULT_SCENARIO: Readonly<Scenario> = Object.freeze({
  seed: 1,
  dataFile: null,
  skuCount: 500,
  supplierCount: 14,
  leadTimeScale: 1,
  warmupDays: 90,
  reviewDays: 1,
  unmetDemand: "lost" as const,
  soldBeforeDay: 60,
  soldInLastDays: 30,
  leadTime: { lowMin: 5, lowMax: 21, spreadMin: 3, spreadMax: 17, lateSupplierShare: 0.3, lateProbability: 0.1, lateFactor: 1.6 },
  suppliers: null,
  costShare: 0.5,
  holdingCostRate: 0.25,
  deadStockDays: 90,
  policies: null,
});

/** Merges a parsed JSON object over the defaults, rejecting unknown keys and wrong types with a message per field. */
export function parseScenario(input: unknown): { ok: true; value: Scenario } | { ok: false; errors: string[] } {
  if (typeof input !== "object" || input === null || Array.isArray(input)) return { ok: false, errors: ["scenario must be a JSON object"] };
  const errors: string[] = [];
  const raw = input as Record<string, unknown>;
  const out: Scenario = { ...DEFAULT_SCENARIO, leadTime: { ...DEFAULT_SCENARIO.leadTime } };
  const num = (key: keyof Scenario, min: number, integer: boolean): void => {
    if (!(key in raw)) return;
    const v = raw[key];
    if (typeof v !== "number" || !Number.isFinite(v) || v < min || (integer && !Number.isInteger(v))) errors.push(`${key}: must be ${integer ? "an integer" : "a number"} ≥ ${min}`);
    else (out as unknown as Record<string, unknown>)[key] = v;
  };
  num("seed", 0, true);
  num("skuCount", 1, true);
  num("supplierCount", 1, true);
  num("leadTimeScale", 0.01, false);
  num("warmupDays", 30, true);
  num("reviewDays", 1, true);
  num("soldBeforeDay", 1, true);
  num("soldInLastDays", 1, true);
  num("costShare", 0.01, false);
  num("holdingCostRate", 0, false);
  num("deadStockDays", 1, true);
  if ("unmetDemand" in raw) {
    if (raw.unmetDemand === "lost" || raw.unmetDemand === "backorder") out.unmetDemand = raw.unmetDemand;
    else errors.push('unmetDemand: must be "lost" or "backorder"');
  }
  if ("dataFile" in raw) {
    if (typeof raw.dataFile === "string" || raw.dataFile === null) out.dataFile = raw.dataFile;
    else errors.push("dataFile: must be a path string");
  }
  if ("policies" in raw) {
    if (Array.isArray(raw.policies) && raw.policies.every((p) => typeof p === "string")) out.policies = raw.policies as string[];
    else errors.push("policies: must be an array of policy names");
  }
  if ("leadTime" in raw) {
    const lt = raw.leadTime as Record<string, unknown>;
    if (typeof lt !== "object" || lt === null) errors.push("leadTime: must be an object");
    else
      for (const k of Object.keys(lt)) {
        if (!(k in out.leadTime)) errors.push(`leadTime.${k}: unknown field`);
        else if (typeof lt[k] !== "number" || (lt[k] as number) < 0) errors.push(`leadTime.${k}: must be a number ≥ 0`);
        else (out.leadTime as unknown as Record<string, number>)[k] = lt[k] as number;
      }
  }
  const lt = out.leadTime;
  if (lt.lowMin > lt.lowMax) errors.push(`leadTime: lowMin (${lt.lowMin}) must not exceed lowMax (${lt.lowMax})`);
  if (lt.spreadMin > lt.spreadMax) errors.push(`leadTime: spreadMin (${lt.spreadMin}) must not exceed spreadMax (${lt.spreadMax})`);
  if (lt.lateSupplierShare > 1) errors.push("leadTime.lateSupplierShare: must be a share in [0, 1]");
  if (lt.lateProbability > 1) errors.push("leadTime.lateProbability: must be a probability in [0, 1]");
  if ("suppliers" in raw && raw.suppliers !== null) {
    const list = raw.suppliers;
    if (!Array.isArray(list) || list.length === 0) errors.push("suppliers: must be a non-empty array");
    else {
      const specs: SupplierSpec[] = [];
      list.forEach((s: unknown, i) => {
        const o = s as Record<string, unknown>;
        const lo = o?.lowDays;
        const hi = o?.highDays;
        const late = o?.lateProbability ?? 0;
        if (typeof lo !== "number" || typeof hi !== "number" || lo < 0 || hi < lo || typeof late !== "number" || late < 0 || late > 1) {
          errors.push(`suppliers[${i}]: needs lowDays ≥ 0, highDays ≥ lowDays, lateProbability in [0, 1]`);
        } else specs.push({ lowDays: lo, highDays: hi, lateProbability: late });
      });
      out.suppliers = specs;
    }
  }
  const known = new Set(Object.keys(DEFAULT_SCENARIO));
  for (const k of Object.keys(raw)) if (!known.has(k)) errors.push(`${k}: unknown field`);
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: out };
}

/** The fewest days a run must simulate after its warm-up for its rates to mean anything. */
export const MIN_SIMULATED_DAYS = 30;

/**
 * Checks what only the order log can tell: a warm-up that swallows the log would print an empty run as
 * 0 % in stock (or 100 %) instead of an error.
 */
export function scenarioFitsLog(scenario: Scenario, logDays: number): string[] {
  const most = logDays - MIN_SIMULATED_DAYS;
  return scenario.warmupDays > most
    ? [`warmupDays: ${scenario.warmupDays} leaves fewer than ${MIN_SIMULATED_DAYS} days to simulate; the order log has ${logDays} days, so use at most ${Math.max(0, most)}`]
    : [];
}
