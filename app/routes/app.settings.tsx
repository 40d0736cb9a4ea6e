import { useRef, useState } from "react";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useRouteError, useSubmit } from "@remix-run/react";
import { BlockStack, Card, ChoiceList, FormLayout, Layout, Link, PageActions, Select, TextField } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { z } from "zod";
import { AdminPage } from "../components/admin-page.tsx";
import { formatDay, WEEKDAY_OPTIONS } from "../components/format.ts";
import { FORECAST_METHOD_LABELS } from "../components/forecast-methods.ts";
import { SHIP_METHODS } from "../domain/purchasing/negotiation.ts";
import { toCents } from "../domain/shared/money.ts";
import { getShopSettings, type ShopSettingsView } from "../models/shop-settings.server.ts";
import { listSuppliers } from "../models/supplier.server.ts";
import { saveShopSettings } from "../services/shop-settings.server.ts";
import { requireShopContext } from "../services/shop-context.server.ts";
import { SaveOutcomeBanner } from "../components/save-outcome-banner.tsx";

// ─── What the form posts (strings) and how it becomes settings ───

/** A decimal typed into a text field: digits, optionally a point and up to `decimals` more digits. */
const decimalText = (name: string, decimals: number, min: number, max: number) =>
  z
    .string({ error: `Enter ${name}` })
    .trim()
    .min(1, { error: `Enter ${name}` })
    .regex(decimals === 0 ? /^\d+$/ : new RegExp(`^\\d+(\\.\\d{1,${decimals}})?$`), {
      error: decimals === 0 ? `Enter ${name} as a whole number` : `Enter ${name} as a number with at most ${decimals} decimals`,
    })
    .transform(Number)
    .pipe(z.number().min(min, { error: `Must be at least ${min}` }).max(max, { error: `Must be at most ${max}` }));

/** The form's transit-days field per ship method (the portal's ETA = ship date + these days). */
const TRANSIT_FIELDS = {
  ocean: "transitDaysOcean",
  air: "transitDaysAir",
  ground: "transitDaysGround",
  express: "transitDaysExpress",
} as const;
const transitDays = () => decimalText("a number of days", 0, 0, 180).optional();

/** The form's field per supplier-choice weight, in whole percent. */
const WEIGHT_FIELDS = {
  price: "supplierWeightPrice",
  leadTime: "supplierWeightLeadTime",
  quality: "supplierWeightQuality",
  moqFlexibility: "supplierWeightMoq",
} as const;
const weightPercent = () => decimalText("a percentage", 0, 0, 100).optional();

/**
 * A group of fields that is optional as a whole (an older form posts none and leaves them unchanged) but
 * all or none: the group's values by key when every field was posted, else null.
 */
function groupOf<K extends string>(form: Record<string, unknown>, fields: Record<K, string>): Record<K, number> | null {
  const entries = (Object.entries(fields) as [K, string][]).map(([key, name]) => [key, form[name]] as const);
  return entries.every(([, value]) => typeof value === "number") ? (Object.fromEntries(entries) as Record<K, number>) : null;
}

/** `{ [key]: value }`, or nothing when there is no value: settings left out of a post stay as they are. */
function optional<K extends string, V>(key: K, value: V | null): Partial<Record<K, V>> {
  return value === null ? {} : ({ [key]: value } as Record<K, V>);
}

/** A group posted in part: each missing field gets `message`. */
function reportPartialGroup(form: Record<string, unknown>, fields: Record<string, string>, message: string, ctx: z.RefinementCtx): void {
  const missing = Object.values(fields).filter((name) => form[name] === undefined);
  if (missing.length > 0 && missing.length < Object.keys(fields).length) {
    for (const name of missing) ctx.addIssue({ code: "custom", path: [name], message });
  }
}

const settingsForm = z
  .object({
    approvalMode: z.enum(["REVIEW_ALL", "EXCEPTIONS_ONLY", "AUTONOMOUS"], { error: "Choose how purchase orders are approved" }),
    approvalThreshold: decimalText("an amount", 2, 0, 10_000_000),
    serviceLevelA: decimalText("a percentage", 2, 50, 99.99),
    serviceLevelB: decimalText("a percentage", 2, 50, 99.99),
    serviceLevelC: decimalText("a percentage", 2, 50, 99.99),
    reviewCadenceDays: decimalText("a number of days", 0, 1, 90),
    leadTimePercentile: decimalText("a percentile", 0, 50, 99),
    forecastMethod: z.enum(["AUTO", "EWA_30", "PERIOD_STRING", "MODEL"], { error: "Choose a forecast method" }).optional(),
    digestWeekday: decimalText("a weekday", 0, 0, 6),
    // Optional so an older form (or a client posting only some fields) leaves them as they are.
    digestFrequency: z.enum(["WEEKLY", "DAILY", "OFF"], { error: "Choose how often the digest is sent" }).optional(),
    digestRecipients: z
      .string()
      .max(2000, { error: "Too many addresses" })
      .transform((text) => [...new Set(text.split(/[\s,;]+/).map((a) => a.trim().toLowerCase()).filter(Boolean))])
      .pipe(z.array(z.email({ error: "Enter email addresses separated by commas" })).max(20, { error: "At most 20 recipients" }))
      .optional(),
    // The autonomous scope, comma-joined (a multi-choice list posts one hidden field each). Optional like the digest.
    autonomousAbcClasses: z
      .string()
      .transform((text) => [...new Set(text.split(",").map((c) => c.trim().toUpperCase()).filter(Boolean))])
      .pipe(z.array(z.enum(["A", "B", "C"], { error: "Choose ABC classes A, B or C" })))
      .optional(),
    autonomousSupplierIds: z
      .string()
      .max(20_000, { error: "Too many suppliers" })
      .transform((text) => [...new Set(text.split(",").map((c) => c.trim()).filter(Boolean))])
      .optional(),
    // Each of the next two groups: all four or none (groupOf).
    transitDaysOcean: transitDays(),
    transitDaysAir: transitDays(),
    transitDaysGround: transitDays(),
    transitDaysExpress: transitDays(),
    supplierWeightPrice: weightPercent(),
    supplierWeightLeadTime: weightPercent(),
    supplierWeightQuality: weightPercent(),
    supplierWeightMoq: weightPercent(),
  })
  .superRefine((form, ctx) => {
    reportPartialGroup(form, TRANSIT_FIELDS, "Enter a number of days", ctx);
    reportPartialGroup(form, WEIGHT_FIELDS, "Enter a percentage", ctx);
    const weights = groupOf(form, WEIGHT_FIELDS);
    // Shares of one decision: a sum other than 100 would leave the merchant guessing what 50 % means.
    const sum = weights ? weights.price + weights.leadTime + weights.quality + weights.moqFlexibility : 100;
    if (sum !== 100) ctx.addIssue({ code: "custom", path: [WEIGHT_FIELDS.price], message: `The four weights must add up to 100 % (now ${sum} %)` });
    // A-class SKUs earn the most: they get at least the protection of B, and B at least that of C.
    if (form.serviceLevelB > form.serviceLevelA) {
      ctx.addIssue({ code: "custom", path: ["serviceLevelB"], message: "Must not be higher than class A" });
    }
    if (form.serviceLevelC > form.serviceLevelB) {
      ctx.addIssue({ code: "custom", path: ["serviceLevelC"], message: "Must not be higher than class B" });
    }
  })
  .transform((form) => ({
    approvalMode: form.approvalMode,
    approvalThreshold: toCents(form.approvalThreshold),
    serviceLevelA: Math.round(form.serviceLevelA * 100) / 10_000,
    serviceLevelB: Math.round(form.serviceLevelB * 100) / 10_000,
    serviceLevelC: Math.round(form.serviceLevelC * 100) / 10_000,
    reviewCadenceDays: form.reviewCadenceDays,
    leadTimePercentile: form.leadTimePercentile,
    digestWeekday: form.digestWeekday,
    ...(form.forecastMethod !== undefined ? { forecastMethod: form.forecastMethod } : {}),
    ...(form.digestFrequency !== undefined ? { digestFrequency: form.digestFrequency } : {}),
    ...(form.digestRecipients !== undefined ? { digestRecipients: form.digestRecipients } : {}),
    ...(form.autonomousAbcClasses !== undefined || form.autonomousSupplierIds !== undefined
      ? { autonomousScope: { abcClasses: form.autonomousAbcClasses ?? [], supplierIds: form.autonomousSupplierIds ?? [] } }
      : {}),
    ...optional("shipMethodTransitDays", groupOf(form, TRANSIT_FIELDS)),
    ...optional("supplierWeights", groupOf(form, WEIGHT_FIELDS)),
  }));

type FormValues = Record<keyof z.input<typeof settingsForm>, string>;
type FieldErrors = Partial<Record<keyof FormValues, string>>;

function toFormValues(settings: ShopSettingsView): FormValues {
  const percent = (fraction: number) => String(Math.round(fraction * 10_000) / 100);
  return {
    approvalMode: settings.approvalMode,
    approvalThreshold: (settings.approvalThreshold / 100).toFixed(2),
    serviceLevelA: percent(settings.serviceLevelA),
    serviceLevelB: percent(settings.serviceLevelB),
    serviceLevelC: percent(settings.serviceLevelC),
    reviewCadenceDays: String(settings.reviewCadenceDays),
    leadTimePercentile: String(settings.leadTimePercentile),
    forecastMethod: settings.forecastMethod,
    digestWeekday: String(settings.digestWeekday),
    digestFrequency: settings.digestFrequency,
    digestRecipients: settings.digestRecipients.join(", "),
    autonomousAbcClasses: settings.autonomousScope.abcClasses.join(","),
    autonomousSupplierIds: settings.autonomousScope.supplierIds.join(","),
    ...(Object.fromEntries(SHIP_METHODS.map((method) => [TRANSIT_FIELDS[method], String(settings.shipMethodTransitDays[method])])) as Record<
      (typeof TRANSIT_FIELDS)[keyof typeof TRANSIT_FIELDS],
      string
    >),
    supplierWeightPrice: String(settings.supplierWeights.price),
    supplierWeightLeadTime: String(settings.supplierWeights.leadTime),
    supplierWeightQuality: String(settings.supplierWeights.quality),
    supplierWeightMoq: String(settings.supplierWeights.moqFlexibility),
  };
}

// ─── Loader / action ───

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShopContext(request);
  const [settings, suppliers] = await Promise.all([getShopSettings(shop.id), listSuppliers(shop.id)]);
  const trustPeriodEndsAt = settings.trustPeriodEndsAt && settings.trustPeriodEndsAt.getTime() > Date.now() ? settings.trustPeriodEndsAt : null;
  return { settings, currency: shop.currency, suppliers: suppliers.map((s) => ({ id: s.id, name: s.name })), trustPeriodEndsAt };
}

export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await requireShopContext(request);
  const parsed = settingsForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) {
    const fieldErrors: FieldErrors = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as keyof FormValues | undefined;
      if (field && !fieldErrors[field]) fieldErrors[field] = issue.message;
    }
    return data({ ok: false as const, fieldErrors }, { status: 422 });
  }
  // Scope suppliers must be this shop's: an id from elsewhere (a stale form, a crafted post) is refused.
  const scopeSuppliers = parsed.data.autonomousScope?.supplierIds ?? [];
  if (scopeSuppliers.length > 0) {
    const known = new Set((await listSuppliers(shop.id)).map((s) => s.id));
    if (scopeSuppliers.some((id) => !known.has(id))) {
      return data({ ok: false as const, fieldErrors: { autonomousSupplierIds: "Choose suppliers of this shop (reload the page)" } as FieldErrors }, { status: 422 });
    }
  }
  await saveShopSettings(shop, parsed.data);
  return { ok: true as const, fieldErrors: {} as FieldErrors };
}

// ─── Page ───

const DIGEST_FREQUENCY_OPTIONS = [
  { label: "Weekly", value: "WEEKLY" },
  { label: "Daily", value: "DAILY" },
  { label: "Off", value: "OFF" },
];

const TRANSIT_LABELS = { ocean: "Ocean", air: "Air", ground: "Ground", express: "Express" } as const;

// The stored setting's values, each with the engine method it selects.
const FORECAST_OPTIONS = ([["AUTO", "auto"], ["EWA_30", "ewa"], ["PERIOD_STRING", "period-string"], ["MODEL", "model"]] as const).map(([value, method]) => ({
  value,
  label: FORECAST_METHOD_LABELS[method],
}));

const APPROVAL_OPTIONS = [
  { label: "Review every purchase order", value: "REVIEW_ALL" },
  { label: "Review only flagged purchase orders", value: "EXCEPTIONS_ONLY" },
  { label: "Send automatically unless flagged or above the threshold", value: "AUTONOMOUS" },
];

export default function Settings() {
  const { settings } = useLoaderData<typeof loader>();
  // A save reloads the settings: start a fresh form from what is now stored (and no longer dirty).
  return <SettingsForm key={new Date(settings.updatedAt).getTime()} initial={toFormValues(settings)} />;
}

function SettingsForm({ initial }: { initial: FormValues }) {
  const { currency, suppliers, trustPeriodEndsAt } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState<FormValues>(initial);

  const dirty = (Object.keys(initial) as (keyof FormValues)[]).some((key) => values[key] !== initial[key]);
  const saving = navigation.state === "submitting" && navigation.formMethod?.toUpperCase() === "POST";
  const errors: FieldErrors = actionData?.fieldErrors ?? {};
  const field = (key: keyof FormValues) => ({
    name: key,
    value: values[key],
    error: errors[key],
    onChange: (value: string) => setValues((current) => ({ ...current, [key]: value })),
  });

  return (
    <AdminPage title="Settings">
      <Form method="post" ref={formRef}>
        <BlockStack gap="500">
          <SaveOutcomeBanner outcome={actionData} dirty={dirty} savedTitle="Settings saved" failedTitle="Some settings need a fix" />
          <Layout>
            <Layout.AnnotatedSection
              id="approvals"
              title="Purchase order approval"
              description="How much of the purchasing runs without you. Orders the engine flags (unusual quantities, new suppliers, price jumps) always wait for a person."
            >
              <Card>
                <FormLayout>
                  <Select label="Approval" options={APPROVAL_OPTIONS} {...field("approvalMode")} />
                  <TextField
                    label="Approval threshold"
                    type="number"
                    inputMode="decimal"
                    prefix={currency === "USD" ? "$" : currency}
                    autoComplete="off"
                    helpText="Purchase orders with a larger total always wait for approval."
                    {...field("approvalThreshold")}
                  />
                  <input type="hidden" name="autonomousAbcClasses" value={values.autonomousAbcClasses} />
                  <input type="hidden" name="autonomousSupplierIds" value={values.autonomousSupplierIds} />
                  {values.approvalMode === "AUTONOMOUS" ? (
                    <>
                      <ChoiceList
                        title="Send automatically only for SKU classes"
                        allowMultiple
                        choices={[
                          { label: "A (the SKUs that bring most revenue)", value: "A" },
                          { label: "B", value: "B" },
                          { label: "C", value: "C" },
                        ]}
                        selected={values.autonomousAbcClasses ? values.autonomousAbcClasses.split(",") : []}
                        onChange={(selected) => setValues((current) => ({ ...current, autonomousAbcClasses: ["A", "B", "C"].filter((c) => selected.includes(c)).join(",") }))}
                        error={errors.autonomousAbcClasses}
                      />
                      {suppliers.length > 0 ? (
                        <ChoiceList
                          title="…or for these suppliers"
                          allowMultiple
                          choices={suppliers.map((s) => ({ label: s.name, value: s.id }))}
                          selected={values.autonomousSupplierIds ? values.autonomousSupplierIds.split(",") : []}
                          onChange={(selected) => setValues((current) => ({ ...current, autonomousSupplierIds: suppliers.map((s) => s.id).filter((id) => selected.includes(id)).join(",") }))}
                          error={errors.autonomousSupplierIds}
                        />
                      ) : null}
                      <p>
                        Nothing chosen: every purchase order within the threshold and without flags is sent automatically. Otherwise the rest waits for
                        review. Whether an approved order is emailed at once is set per supplier (Auto-send).
                      </p>
                    </>
                  ) : null}
                </FormLayout>
              </Card>
            </Layout.AnnotatedSection>

            <Layout.AnnotatedSection
              id="transit-times"
              title="Shipping transit times"
              description="Days from the supplier's ship date to arrival, per ship method. When a supplier sets a ship date and method in the portal, the expected arrival adds these days; for a supplier whose lead time is quoted to its ship date, the engine adds them to that lead time."
            >
              <Card>
                <FormLayout>
                  <FormLayout.Group condensed>
                    {SHIP_METHODS.map((method) => (
                      <TextField
                        key={method}
                        label={TRANSIT_LABELS[method]}
                        type="number"
                        inputMode="numeric"
                        suffix="days"
                        autoComplete="off"
                        {...field(TRANSIT_FIELDS[method])}
                      />
                    ))}
                  </FormLayout.Group>
                </FormLayout>
              </Card>
            </Layout.AnnotatedSection>

            <Layout.AnnotatedSection
              id="service-levels"
              title="Service levels"
              description="The share of replenishment cycles that should end without a stockout, per ABC class (A = the SKUs that bring most revenue). Higher means more safety stock."
            >
              <Card>
                <FormLayout>
                  <FormLayout.Group condensed>
                    <TextField label="Class A" type="number" inputMode="decimal" suffix="%" autoComplete="off" {...field("serviceLevelA")} />
                    <TextField label="Class B" type="number" inputMode="decimal" suffix="%" autoComplete="off" {...field("serviceLevelB")} />
                    <TextField label="Class C" type="number" inputMode="decimal" suffix="%" autoComplete="off" {...field("serviceLevelC")} />
                  </FormLayout.Group>
                </FormLayout>
              </Card>
            </Layout.AnnotatedSection>

            <Layout.AnnotatedSection
              id="planning"
              title="Planning"
              description={
                "How often stock is reviewed for reordering, and how cautious lead times are. The engine plans on the mean of a supplier's past lead times " +
                "and keeps safety stock for every late delivery it has seen; while the shop is in its trust period it plans on this percentile instead, at least the 90th. " +
                (trustPeriodEndsAt ? `This shop's trust period runs until ${formatDay(trustPeriodEndsAt)}.` : "This shop's trust period is over.")
              }
            >
              <Card>
                <FormLayout>
                  <TextField
                    label="Review every"
                    type="number"
                    inputMode="numeric"
                    suffix="days"
                    autoComplete="off"
                    helpText="1 = every night."
                    {...field("reviewCadenceDays")}
                  />
                  <Select
                    label="Forecast method"
                    options={FORECAST_OPTIONS}
                    helpText="How each SKU's daily rate is estimated. Automatic won the simulator on real order history; the others use one estimator alone. A supplier can have its own (its page). Every explanation shows all three."
                    {...field("forecastMethod")}
                  />
                  <TextField
                    label="Lead-time percentile"
                    type="number"
                    inputMode="numeric"
                    autoComplete="off"
                    helpText="85 means 85 of 100 past deliveries arrived within that many days. Each explanation quotes it; the trust period plans on it."
                    {...field("leadTimePercentile")}
                  />
                </FormLayout>
              </Card>
            </Layout.AnnotatedSection>

            <Layout.AnnotatedSection
              id="supplier-choice"
              title="Supplier choice"
              description="When several suppliers sell the same SKU, each gets a score from these four shares, and the highest score gets the order. Each SKU's explanation shows every supplier's score."
            >
              <Card>
                <FormLayout>
                  <FormLayout.Group condensed>
                    <TextField label="Price" type="number" inputMode="numeric" suffix="%" autoComplete="off" helpText="Cheapest unit cost scores highest." {...field("supplierWeightPrice")} />
                    <TextField label="Lead-time reliability" type="number" inputMode="numeric" suffix="%" autoComplete="off" helpText="On-time share of past deliveries." {...field("supplierWeightLeadTime")} />
                    <TextField label="Quality" type="number" inputMode="numeric" suffix="%" autoComplete="off" helpText="Fewer defective units." {...field("supplierWeightQuality")} />
                    <TextField label="MOQ flexibility" type="number" inputMode="numeric" suffix="%" autoComplete="off" helpText="Minimums that fit the need." {...field("supplierWeightMoq")} />
                  </FormLayout.Group>
                </FormLayout>
              </Card>
            </Layout.AnnotatedSection>

            <Layout.AnnotatedSection
              id="digest"
              title="Digest email"
              description="The email summary of stock, purchasing and anything waiting for you, at 8:00 shop time."
            >
              <Card>
                <FormLayout>
                  <Select label="Frequency" options={DIGEST_FREQUENCY_OPTIONS} {...field("digestFrequency")} />
                  <Select label="Send on" options={WEEKDAY_OPTIONS} disabled={values.digestFrequency !== "WEEKLY"} {...field("digestWeekday")} />
                  <TextField
                    label="Recipients"
                    autoComplete="off"
                    helpText={
                      <>
                        Email addresses separated by commas. <Link url="/app/digest">Preview the digest</Link>
                      </>
                    }
                    {...field("digestRecipients")}
                  />
                </FormLayout>
              </Card>
            </Layout.AnnotatedSection>
          </Layout>
        </BlockStack>
        <PageActions
          primaryAction={{
            content: "Save",
            disabled: !dirty,
            loading: saving,
            onAction: () => formRef.current && submit(formRef.current),
          }}
        />
      </Form>
    </AdminPage>
  );
}

export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
