import type { ForecastMethod } from "../forecast/forecast-demand.ts";
import { MAX_STORED_UNITS } from "../shared/quantity.ts";

/** A supplier's forecast method: "shop" follows the shop's setting; the others pick one estimator for its SKUs. */
export type SupplierForecastMethod = "shop" | ForecastMethod;
export const SUPPLIER_FORECAST_METHODS: readonly SupplierForecastMethod[] = ["shop", "auto", "ewa", "period-string", "model"];

/**
 * The per-supplier tunables from issue 3, with their defaults. Snake_case names in the issue map to these
 * camelCase fields (min_days → minDays …). Money parameters are integer cents so the form, the engine and
 * the database agree without float rounding; `null` means "no limit".
 */
export interface SupplierParameters {
  /** Target stock never below this many days of forecast demand. */
  minDays: number;
  /** Target stock never above this many days of forecast demand. */
  maxDays: number;
  /** Configured (quoted) lead time in days, used until the supplier has enough received POs. */
  leadTimeDays: number;
  /** Gross margin % below which a suggestion goes to review. */
  marginThreshold: number;
  /** A supplier PO under this value (cents) waits, unless a SKU would stock out before the next run. */
  orderMin: number;
  /** Cap on one PO's value (cents); lines beyond it are deferred, least urgent first. */
  orderMax: number | null;
  /** A PO at or above this value (cents) is flagged for review. */
  orderAlert: number | null;
  /** Outlier test: an order must exceed this % of the window's total units. */
  pctLimit: number;
  /** Outlier test applies only when the window's total units reach this. */
  sumLimit: number;
  /** Outlier test applies only when the product has at least this many orders in the window. */
  countLimit: number;
  /** Outlier test: an order must exceed this many units. */
  qtyLimit: number;
  /** Outlier test: largest order / average order must exceed this ratio. */
  avgRatioLimit: number;
  /** A period is used for a new product only when its length ≤ days on market + dom_factor. */
  domFactor: number;
  /** Above this quantity, round the order up to the next 10 (null = off). */
  roundingOne: number | null;
  /** Above this quantity, round the order up to the next 100 (null = off). */
  roundingTwo: number | null;
  /** A period is skipped when its adjusted out-of-stock days exceed this % of its length. */
  minInstockPct: number;
  /** Period lengths in weeks, comma-separated, for the period-string velocity. */
  periodString: string;
  /** Extra days of demand added to every order from this supplier. */
  repoAdditionalDays: number;
  /** Fewer orders than this in the window marks the product low-data (longest period, never auto-sent). */
  lowOrderCount: number;
  /** Share of an out-of-stock day assumed to have sold anyway; the rest (1 − factor) counts as lost. */
  outageLossFactor: number;
  /** Send this supplier's POs without review when nothing is flagged. */
  autoSend: boolean;
  /** Which velocity estimator plans this supplier's SKUs ("shop": the shop's setting). */
  forecastMethod: SupplierForecastMethod;
}

export const DEFAULT_SUPPLIER_PARAMETERS: Readonly<SupplierParameters> = Object.freeze({
  minDays: 7,
  maxDays: 120,
  leadTimeDays: 14,
  marginThreshold: 15,
  orderMin: 0,
  orderMax: null,
  orderAlert: null,
  pctLimit: 20,
  sumLimit: 10,
  countLimit: 20,
  qtyLimit: 10,
  avgRatioLimit: 5,
  domFactor: 20,
  roundingOne: null,
  roundingTwo: null,
  minInstockPct: 50,
  periodString: "4,8,18,30,52",
  repoAdditionalDays: 0,
  lowOrderCount: 3,
  outageLossFactor: 0.2,
  autoSend: false,
  forecastMethod: "shop",
});

export type SupplierParameterErrors = Partial<Record<keyof SupplierParameters, string>>;

export type SupplierParametersValidation =
  | { ok: true; value: SupplierParameters; errors: SupplierParameterErrors }
  | { ok: false; errors: SupplierParameterErrors };

/** The longest lead time accepted anywhere (a supplier's, or one SKU's override): beyond a year it is a typo. */
export const MAX_LEAD_TIME_DAYS = 365;

/**
 * Upper bounds for the parameters that count units, orders or money. Each is far above any real setting
 * ("never" in practice) but keeps a typed slip, such as an extra row of zeros, from being stored as a number
 * the form cannot show back (1e+21) or that loses whole units to floating point.
 */
const MAX_UNITS_PARAMETER = MAX_STORED_UNITS;
const MAX_ORDERS_PARAMETER = 1_000_000;
/** One billion in the supplier's currency, in cents. */
export const MAX_ORDER_VALUE_CENTS = 100_000_000_000;

type NumberRule = { min: number; max?: number; integer: boolean; nullable: boolean };

const NUMBER_RULES: Partial<Record<keyof SupplierParameters, NumberRule>> = {
  minDays: { min: 0, max: 730, integer: true, nullable: false },
  maxDays: { min: 1, max: 730, integer: true, nullable: false },
  // At least a day, as for one SKU's override: a 0-day lead time plans as if stock arrived the moment it is ordered.
  leadTimeDays: { min: 1, max: MAX_LEAD_TIME_DAYS, integer: true, nullable: false },
  marginThreshold: { min: 0, max: 100, integer: false, nullable: false },
  orderMin: { min: 0, max: MAX_ORDER_VALUE_CENTS, integer: true, nullable: false },
  orderMax: { min: 1, max: MAX_ORDER_VALUE_CENTS, integer: true, nullable: true },
  orderAlert: { min: 1, max: MAX_ORDER_VALUE_CENTS, integer: true, nullable: true },
  pctLimit: { min: 0, max: 100, integer: false, nullable: false },
  sumLimit: { min: 0, max: MAX_UNITS_PARAMETER, integer: true, nullable: false },
  countLimit: { min: 1, max: MAX_ORDERS_PARAMETER, integer: true, nullable: false },
  qtyLimit: { min: 0, max: MAX_UNITS_PARAMETER, integer: true, nullable: false },
  avgRatioLimit: { min: 1, max: MAX_ORDERS_PARAMETER, integer: false, nullable: false },
  domFactor: { min: 0, max: 730, integer: true, nullable: false },
  roundingOne: { min: 0, max: MAX_UNITS_PARAMETER, integer: true, nullable: true },
  roundingTwo: { min: 0, max: MAX_UNITS_PARAMETER, integer: true, nullable: true },
  minInstockPct: { min: 0, max: 100, integer: false, nullable: false },
  repoAdditionalDays: { min: 0, max: 365, integer: true, nullable: false },
  lowOrderCount: { min: 0, max: MAX_ORDERS_PARAMETER, integer: true, nullable: false },
  outageLossFactor: { min: 0, max: 1, integer: false, nullable: false },
};

function readNumber(raw: unknown): number | null | undefined {
  if (raw === null || raw === undefined) return raw as null | undefined;
  if (typeof raw === "number") return raw;
  if (typeof raw === "string") {
    const t = raw.trim();
    if (t === "") return null;
    return Number(t);
  }
  return Number.NaN;
}

/** Parses "4,8,18,30,52" into ascending unique week counts, or explains why it cannot. */
export function parsePeriodString(periodString: string): { ok: true; weeks: number[] } | { ok: false; error: string } {
  const parts = periodString.split(",").map((p) => p.trim()).filter((p) => p !== "");
  if (parts.length === 0) return { ok: false, error: "list at least one period in weeks, e.g. 4,8,18,30,52" };
  const weeks: number[] = [];
  for (const p of parts) {
    const n = Number(p);
    if (!Number.isInteger(n) || n < 1 || n > 104) return { ok: false, error: `"${p}" is not a whole number of weeks between 1 and 104` };
    weeks.push(n);
  }
  const unique = [...new Set(weeks)].sort((a, b) => a - b);
  return { ok: true, weeks: unique };
}

/**
 * Validates a partial set of parameters (e.g. a submitted form, values may be strings) merged over the
 * defaults. Returns the complete parameters or one message per offending field, for Polaris field errors.
 */
export function validateSupplierParameters(input: Partial<Record<keyof SupplierParameters, unknown>>): SupplierParametersValidation {
  const errors: SupplierParameterErrors = {};
  const value: SupplierParameters = { ...DEFAULT_SUPPLIER_PARAMETERS };
  const out = value as unknown as Record<string, unknown>;

  for (const [key, rule] of Object.entries(NUMBER_RULES) as [keyof SupplierParameters, NumberRule][]) {
    if (!(key in input)) continue;
    const n = readNumber(input[key]);
    if (n === undefined) continue;
    if (n === null) {
      if (rule.nullable) out[key] = null;
      else errors[key] = "is required";
      continue;
    }
    if (!Number.isFinite(n)) errors[key] = "must be a number";
    else if (rule.integer && !Number.isInteger(n)) errors[key] = "must be a whole number";
    else if (n < rule.min) errors[key] = `must be at least ${rule.min}`;
    else if (rule.max !== undefined && n > rule.max) errors[key] = `must be at most ${rule.max.toLocaleString("en-US")}`;
    else out[key] = n;
  }

  if ("periodString" in input && input.periodString !== undefined) {
    const raw = input.periodString;
    if (typeof raw !== "string") errors.periodString = "must be a list of weeks such as 4,8,18,30,52";
    else {
      const parsed = parsePeriodString(raw);
      if (parsed.ok) value.periodString = parsed.weeks.join(",");
      else errors.periodString = parsed.error;
    }
  }

  if ("autoSend" in input && input.autoSend !== undefined) {
    const raw = input.autoSend;
    if (typeof raw === "boolean") value.autoSend = raw;
    else if (raw === "true" || raw === "on" || raw === "1") value.autoSend = true;
    else if (raw === "false" || raw === "off" || raw === "0" || raw === "") value.autoSend = false;
    else errors.autoSend = "must be true or false";
  }

  if ("forecastMethod" in input && input.forecastMethod !== undefined && input.forecastMethod !== null && input.forecastMethod !== "") {
    const raw = input.forecastMethod;
    if (typeof raw === "string" && (SUPPLIER_FORECAST_METHODS as readonly string[]).includes(raw)) value.forecastMethod = raw as SupplierForecastMethod;
    else errors.forecastMethod = `must be one of ${SUPPLIER_FORECAST_METHODS.join(", ")}`;
  }

  if (errors.minDays === undefined && errors.maxDays === undefined && value.minDays > value.maxDays) {
    errors.maxDays = "must be at least min_days";
  }
  if (errors.orderMax === undefined && value.orderMax !== null && value.orderMax < value.orderMin) {
    errors.orderMax = "must be at least order_min";
  }
  if (errors.roundingTwo === undefined && value.roundingOne !== null && value.roundingTwo !== null && value.roundingTwo < value.roundingOne) {
    errors.roundingTwo = "must be at least rounding_one";
  }

  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, value, errors };
}
