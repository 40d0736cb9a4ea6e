/**
 * The supplier page's form: what each field means, how the posted strings become a supplier's settings,
 * and how stored settings become the form again. Engine parameters are validated by the engine's own
 * validateSupplierParameters, so the page can never store what a reorder run would refuse; only the ones
 * the merchant set to something other than the engine default are stored (the rest follow the default).
 */
import { z } from "zod";
import {
  DEFAULT_SUPPLIER_PARAMETERS,
  MAX_ORDER_VALUE_CENTS,
  validateSupplierParameters,
  type SupplierParameters,
} from "../../domain/reorder/index.ts";
import { toCents } from "../../domain/shared/money.ts";
import { FORECAST_METHOD_LABELS } from "../../components/forecast-methods.ts";
import type { SupplierDetails, SupplierSettingsInput } from "../../models/supplier.server.ts";

// ─── Engine parameters ───

/** Engine parameters edited per supplier; lead time and auto-send are the supplier's own columns. */
export type ParameterKey = Exclude<keyof SupplierParameters, "leadTimeDays" | "autoSend">;

export type ParameterField = {
  key: ParameterKey;
  /** The issue's name, shown beside the label so merchants coming from other tools recognise it. */
  code: string;
  label: string;
  help: string;
  /** money: entered in currency units, stored and validated as cents; choice: one of `options`. */
  kind: "integer" | "decimal" | "money" | "text" | "choice";
  suffix?: string;
  /** With kind "choice": the values the engine accepts, the default's included, and what each is called. */
  options?: readonly { value: string; label: string }[];
};

export type ParameterGroup = { id: string; title: string; description: string; fields: ParameterField[] };

export const PARAMETER_GROUPS: readonly ParameterGroup[] = [
  {
    id: "cover",
    title: "Stock cover and rounding",
    description: "How much stock an order from this supplier aims for, and how order quantities are rounded.",
    fields: [
      { key: "minDays", code: "min_days", label: "Minimum cover", kind: "integer", suffix: "days", help: "Target stock is never below this many days of forecast demand." },
      { key: "maxDays", code: "max_days", label: "Maximum cover", kind: "integer", suffix: "days", help: "Target stock is never above this many days of forecast demand." },
      { key: "repoAdditionalDays", code: "repo_additional_days", label: "Additional days", kind: "integer", suffix: "days", help: "Extra days of demand added to every order, e.g. to cover a holiday closure." },
      { key: "roundingOne", code: "rounding_one", label: "Round to 10 above", kind: "integer", suffix: "units", help: "Orders above this quantity are rounded up to the next 10. Empty = off." },
      { key: "roundingTwo", code: "rounding_two", label: "Round to 100 above", kind: "integer", suffix: "units", help: "Orders above this quantity are rounded up to the next 100. Empty = off." },
    ],
  },
  {
    id: "value",
    title: "Order value and margin",
    description: "Limits on one purchase order's value, and the margin below which a line waits for review.",
    fields: [
      { key: "orderMin", code: "order_min", label: "Minimum order", kind: "money", help: "A purchase order below this value waits for the next run, unless a SKU would run out first." },
      { key: "orderMax", code: "order_max", label: "Maximum order", kind: "money", help: "Lines beyond this value are deferred to a later run, least urgent first. Empty = no limit." },
      { key: "orderAlert", code: "order_alert", label: "Review above", kind: "money", help: "A purchase order at or above this value is flagged for review. Empty = never." },
      { key: "marginThreshold", code: "margin_threshold", label: "Minimum margin", kind: "decimal", suffix: "%", help: "A line whose gross margin at this supplier's cost is below this goes to review." },
    ],
  },
  {
    id: "outliers",
    title: "Outlier orders",
    description:
      "One unusually large order should not teach the forecast that demand went up. An order is excluded only when every test below holds; at most the two largest are excluded.",
    fields: [
      { key: "countLimit", code: "count_limit", label: "Minimum orders", kind: "integer", suffix: "orders", help: "The test applies only to products with at least this many orders in the window." },
      { key: "sumLimit", code: "sum_limit", label: "Minimum units", kind: "integer", suffix: "units", help: "The test applies only when the window's total units reach this." },
      { key: "qtyLimit", code: "qty_limit", label: "Order above", kind: "integer", suffix: "units", help: "An outlier order must be larger than this many units." },
      { key: "pctLimit", code: "pct_limit", label: "Share of window above", kind: "decimal", suffix: "%", help: "An outlier order must be more than this share of the window's total units." },
      { key: "avgRatioLimit", code: "avg_ratio_limit", label: "Largest ÷ average above", kind: "decimal", suffix: "×", help: "The largest order divided by the average order must exceed this ratio." },
      { key: "lowOrderCount", code: "low_order_count", label: "Low-data below", kind: "integer", suffix: "orders", help: "Products with fewer orders than this in the window are low-data: longest period, never sent without review." },
    ],
  },
  {
    id: "periods",
    title: "Forecast periods and stock-outs",
    description: "Which past periods the velocity averages, and how days without stock are treated.",
    fields: [
      {
        key: "forecastMethod", code: "forecast method", label: "Forecast method", kind: "choice",
        help: "Which velocity estimator plans this supplier's SKUs: one estimator alone, or the automatic choice.",
        options: [
          { value: "shop", label: "The shop's method (Settings)" },
          ...Object.entries(FORECAST_METHOD_LABELS).map(([value, label]) => ({ value, label })),
        ],
      },
      { key: "periodString", code: "period string", label: "Periods", kind: "text", suffix: "weeks", help: "Period lengths in weeks, comma-separated; recent periods weigh more." },
      { key: "domFactor", code: "dom_factor", label: "New product allowance", kind: "integer", suffix: "days", help: "A period is used for a new product only when its length ≤ days on market + this." },
      { key: "minInstockPct", code: "min_instock_pct", label: "Skip period above", kind: "decimal", suffix: "% out of stock", help: "A period is skipped when its adjusted out-of-stock days exceed this share of it." },
      { key: "outageLossFactor", code: "outage_loss_factor", label: "Outage loss factor", kind: "decimal", help: "0–1: the share of an out-of-stock day assumed to have sold anyway; the rest counts as lost." },
    ],
  },
];

export const PARAMETER_FIELDS: readonly ParameterField[] = PARAMETER_GROUPS.flatMap((g) => g.fields);

const centsToText = (cents: number) => (cents / 100).toFixed(2);

/** A choice field's options: empty first, meaning the engine default (stored only when something else is picked). */
export function choiceOptions(field: ParameterField): { value: string; label: string }[] {
  const fallback = DEFAULT_SUPPLIER_PARAMETERS[field.key];
  return [{ value: "", label: `Default: ${defaultText(field)}` }, ...(field.options ?? []).filter((o) => o.value !== fallback)];
}

/** The engine default as the form shows it ("No limit" for the nullable ones). */
export function defaultText(field: ParameterField): string {
  const value = DEFAULT_SUPPLIER_PARAMETERS[field.key];
  if (field.kind === "choice") return field.options?.find((o) => o.value === value)?.label ?? String(value);
  if (value === null) return field.key === "roundingOne" || field.key === "roundingTwo" ? "Off" : "No limit";
  return field.kind === "money" ? centsToText(value as number) : String(value);
}

// ─── Form values ───

const CONTACT_KEYS = [
  "name", "contactName", "orderEmail", "ccEmails", "phone", "poDelivery", "documentFormat", "currency", "paymentTermsDays",
  "depositPct", "leadTimeDays", "defaultShipMethod", "quotesShipDate", "autoSend", "defectRate", "moqFlexibility", "qualityDisputeOpen",
] as const;

export type FormKey = (typeof CONTACT_KEYS)[number] | ParameterKey;
export type FormValues = Record<FormKey, string>;
export type FieldErrors = Partial<Record<FormKey, string>>;

export const SHIP_METHODS = ["ocean", "air", "ground", "express"] as const;

const percentText = (fraction: number) => String(Math.round(fraction * 10_000) / 100);
const snakeToCamel = (key: string) => key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/**
 * The form for a stored supplier (overridden parameters filled in, the rest empty = default), or a new one.
 * A new supplier starts in the shop's currency: most suppliers invoice in it, and a GBP shop saving a
 * pre-filled "USD" by accident would have its orders valued in dollars.
 */
export function toFormValues(supplier: SupplierDetails | null, shopCurrency: string): FormValues {
  const overrides: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(supplier?.reorderParameters ?? {})) overrides[snakeToCamel(key)] = value;
  const parameters = Object.fromEntries(
    PARAMETER_FIELDS.map((field) => {
      const value = overrides[field.key];
      if (value === undefined || value === null) return [field.key, ""];
      return [field.key, field.kind === "money" && typeof value === "number" ? centsToText(value) : String(value)];
    }),
  ) as Record<ParameterKey, string>;
  return {
    name: supplier?.name ?? "",
    contactName: supplier?.contactName ?? "",
    orderEmail: supplier?.orderEmail ?? "",
    ccEmails: supplier?.ccEmails.join(", ") ?? "",
    phone: supplier?.phone ?? "",
    poDelivery: supplier?.poDelivery ?? "EMAIL",
    documentFormat: supplier?.documentFormat ?? "PDF",
    currency: supplier?.currency ?? shopCurrency,
    paymentTermsDays: String(supplier?.paymentTermsDays ?? 30),
    depositPct: percentText(supplier?.depositPct ?? 0),
    leadTimeDays: String(supplier?.leadTimeDays ?? DEFAULT_SUPPLIER_PARAMETERS.leadTimeDays),
    defaultShipMethod: supplier?.defaultShipMethod?.toLowerCase() ?? "",
    quotesShipDate: String(supplier?.quotesShipDate ?? false),
    autoSend: String(supplier?.autoSend ?? false),
    defectRate: percentText(supplier?.defectRate ?? 0),
    moqFlexibility: percentText(supplier?.moqFlexibility ?? 0.5),
    qualityDisputeOpen: String(supplier?.qualityDisputeOpen ?? false),
    ...parameters,
  };
}

// ─── Posted strings → settings ───

const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, { error: `At most ${max} characters` })
    .optional()
    .transform((v) => (v ? v : null));

// A number field's messages say what is wrong with what was typed: "-10" is a negative number, not "not a
// whole number", so the sign is checked apart from the format.
const wholeNumber = (unit: string, min: number, max: number) =>
  z
    .string({ error: `Enter a number of ${unit}` })
    .trim()
    .regex(/^-?\d+(\.\d+)?$/, { error: `Enter a number of ${unit}` })
    .transform(Number)
    .pipe(
      z
        .number()
        .int({ error: `Enter a whole number of ${unit}` })
        .min(min, { error: `Enter ${min} or more ${unit}` })
        .max(max, { error: `Must be at most ${max}` }),
    );

const percent = (name: string) =>
  z
    .string({ error: `Enter ${name}` })
    .trim()
    .regex(/^-?\d+(\.\d+)?$/, { error: `Enter ${name} as a number` })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(0, { error: `Enter ${name} of 0 or more` })
        .max(100, { error: "Must be at most 100" })
        // Whole hundredths, allowing for float noise (12.34 × 100 = 1233.9999…).
        .refine((p) => Number.isInteger(Math.round(p * 10_000) / 100), { error: `Enter ${name} with at most 2 decimals` }),
    )
    .transform((p) => Math.round(p * 100) / 10_000);

const flag = z.enum(["true", "false"], { error: "Must be true or false" }).transform((v) => v === "true");
const email = z.email({ error: "Enter a valid email address" });

const contactForm = z.object({
  name: z.string({ error: "Enter a name" }).trim().min(1, { error: "Enter a name" }).max(200, { error: "At most 200 characters" }),
  contactName: optionalText(200),
  orderEmail: z
    .string()
    .trim()
    .optional()
    .transform((v) => (v ? v : null))
    .pipe(email.nullable()),
  ccEmails: z
    .string()
    .optional()
    .transform((v) => (v ?? "").split(/[\s,;]+/).filter((e) => e !== ""))
    .superRefine((list, ctx) => {
      const bad = list.filter((e) => !email.safeParse(e).success);
      if (bad.length > 0) ctx.addIssue({ code: "custom", message: `Not an email address: ${bad.join(", ")}` });
      if (list.length > 10) ctx.addIssue({ code: "custom", message: "At most 10 addresses" });
    }),
  phone: optionalText(50),
  poDelivery: z.enum(["EMAIL", "PORTAL", "API"], { error: "Choose how purchase orders are delivered" }),
  documentFormat: z.enum(["PDF", "CSV"], { error: "Choose a document format" }),
  currency: z
    .string({ error: "Enter a currency" })
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{3}$/, { error: "Enter a three-letter currency code such as USD" }),
  paymentTermsDays: wholeNumber("days", 0, 365),
  depositPct: percent("a percentage"),
  defaultShipMethod: z
    .enum(["", ...SHIP_METHODS], { error: "Choose a ship method" })
    .optional()
    .transform((v) => (v ? v : null)),
  // Optional: a form from before this field leaves the lead time meaning "to our door".
  quotesShipDate: flag.optional().transform((v) => v ?? false),
  defectRate: percent("a percentage"),
  moqFlexibility: percent("a percentage"),
  qualityDisputeOpen: flag,
}).superRefine((form, ctx) => {
  // Without a ship method there are no transit days to add, and the engine would plan on the quote alone.
  if (form.quotesShipDate && form.defaultShipMethod === null) {
    ctx.addIssue({ code: "custom", path: ["defaultShipMethod"], message: "Choose the ship method whose transit days are added to the quoted lead time" });
  }
});

const capitalise = (message: string) => message.charAt(0).toUpperCase() + message.slice(1);

/**
 * What is wrong with a typed amount, or null. Money is entered in currency units but the engine checks cents,
 * so its "must be at least 1" (one cent) would read as one pound: the limits are told here in the form's terms.
 */
function moneyError(key: ParameterKey, amount: string): string | null {
  if (!/^-?\d+(\.\d+)?$/.test(amount)) return "Enter an amount such as 250.00";
  if (amount.startsWith("-")) return "Enter an amount of 0 or more";
  if (!/^\d+(\.\d{1,2})?$/.test(amount)) return "Enter an amount with at most 2 decimals";
  // Order max and review-above mean "no limit" when empty; 0 would stop every order or flag every one.
  if ((key === "orderMax" || key === "orderAlert") && toCents(amount) === 0) return "Enter an amount above 0, or leave it empty for no limit";
  if (toCents(amount) > MAX_ORDER_VALUE_CENTS) {
    const limit = (MAX_ORDER_VALUE_CENTS / 100).toLocaleString("en-US", { minimumFractionDigits: 2 });
    return key === "orderMin" ? `Enter an amount up to ${limit}` : `Enter an amount up to ${limit}, or leave it empty for no limit`;
  }
  return null;
}

export type ParsedSupplierForm = { ok: true; value: SupplierSettingsInput } | { ok: false; fieldErrors: FieldErrors };

export function parseSupplierForm(form: Readonly<Record<string, unknown>>): ParsedSupplierForm {
  const fieldErrors: FieldErrors = {};
  const contact = contactForm.safeParse(form);
  if (!contact.success) {
    for (const issue of contact.error.issues) {
      const key = issue.path[0] as FormKey | undefined;
      if (key && !fieldErrors[key]) fieldErrors[key] = issue.message;
    }
  }

  // An empty parameter field means "the engine default": it is neither validated nor stored.
  const given: Partial<Record<keyof SupplierParameters, unknown>> = {
    leadTimeDays: typeof form.leadTimeDays === "string" ? form.leadTimeDays : undefined,
    autoSend: typeof form.autoSend === "string" ? form.autoSend : undefined,
  };
  if (given.leadTimeDays === undefined || String(given.leadTimeDays).trim() === "") given.leadTimeDays = null;
  const overridden: ParameterKey[] = [];
  for (const field of PARAMETER_FIELDS) {
    const raw = form[field.key];
    if (typeof raw !== "string" || raw.trim() === "") continue;
    const text = raw.trim();
    overridden.push(field.key);
    if (field.kind === "money") {
      const error = moneyError(field.key, text.replace(/,/g, ""));
      given[field.key] = error ? Number.NaN : toCents(text);
      if (error) fieldErrors[field.key] = error;
    } else given[field.key] = text;
  }
  const engine = validateSupplierParameters(given);
  if (!engine.ok) {
    for (const [key, message] of Object.entries(engine.errors) as [FormKey, string][]) {
      if (!fieldErrors[key]) fieldErrors[key] = capitalise(message);
    }
  }
  if (!contact.success || !engine.ok || Object.keys(fieldErrors).length > 0) return { ok: false, fieldErrors };

  const reorderParameters: Record<string, number | string | null> = {};
  for (const key of overridden) {
    const value = engine.value[key];
    if (value !== DEFAULT_SUPPLIER_PARAMETERS[key]) reorderParameters[key] = value;
  }
  return {
    ok: true,
    value: { ...contact.data, leadTimeDays: engine.value.leadTimeDays, autoSend: engine.value.autoSend, reorderParameters },
  };
}
