import { data, type ActionFunctionArgs, type HeadersFunction, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRouteError, useSearchParams } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, DescriptionList, InlineStack, Layout, Select, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { z } from "zod";
import { AdminPage } from "#app/components/admin-page.tsx";
import { adminRouteError } from "#app/components/admin-error-boundary.tsx";
import { formatCount, formatDay } from "#app/components/format.ts";
import { ReorderChart, type ReorderChartData } from "#app/components/reorder-chart.tsx";
import polarisVizStyles from "@shopify/polaris-viz/build/esm/styles.css?url";
import { PoStatusBadge, SkuStatusBadge } from "#app/components/status-badges.tsx";
import { formatCents, formatPrice, lineTotalCents } from "#app/domain/shared/money.ts";
import { getSkuReorderDetail, shopLocalDay, type SkuSuggestionView } from "#app/models/reorder-suggestion.server.ts";
import { listSkuOffers, setLeadTimeOverride, type SkuOffer } from "#app/models/supplier-product.server.ts";
import { MAX_LEAD_TIME_DAYS } from "#app/domain/reorder/supplier-parameters.ts";
import { formatServiceLevel } from "#app/domain/reorder/safety-stock.ts";
import { LOW_DATA_RATE_SOURCE } from "#app/domain/reorder/explain.ts";
import { isAppError } from "#app/lib/app-error.ts";
import { requireShopContext } from "#app/services/shop-context.server.ts";

// SKU detail: the latest suggestion per location, its explanation paragraph, every number behind it, and a
// chart of sales history, forecast, reorder point and projected stock.

const paramsSchema = z.object({ skuId: z.string().trim().min(1).max(64) });
const searchSchema = z.object({ location: z.string().trim().min(1).max(64).optional().catch(undefined) });
const PROJECTION_DAYS = 60;

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shop } = await requireShopContext(request);
  const parsed = paramsSchema.safeParse(params);
  if (!parsed.success) throw new Response("Not found", { status: 404 });
  const search = searchSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const asOf = shopLocalDay(shop.timezone, new Date());
  // The chart follows one location: the one asked for, else the first with a suggestion.
  const first = await getSkuReorderDetail(shop.id, parsed.data.skuId, { asOf, ...(search.location ? { locationId: search.location } : {}) });
  if (!first) throw new Response("Not found", { status: 404 });
  let detail = first;
  const locationId = search.location ?? first.suggestions[0]?.locationId;
  if (!search.location && locationId) detail = (await getSkuReorderDetail(shop.id, parsed.data.skuId, { asOf, locationId })) ?? first;
  const suggestion = detail.suggestions.find((s) => s.locationId === locationId) ?? null;
  const offers = await listSkuOffers(shop.id, parsed.data.skuId);
  const supplierNames = new Map(offers.map((o) => [o.supplierId, o.supplierName]));
  return {
    detail,
    offers,
    locationId: locationId ?? null,
    suggestion,
    numbers: suggestion ? numbersTable(suggestion, detail.currency, supplierNames) : [],
    chart: suggestion ? chartData(detail.history, suggestion) : null,
  };
}

export const links: LinksFunction = () => [{ rel: "stylesheet", href: polarisVizStyles }];

const leadTimeFormSchema = z.object({ intent: z.literal("lead-time-override"), supplierProductId: z.string().trim().min(1).max(64) });

/** Empty clears the override; otherwise whole days, so the form never stores a value the engine would reject. */
function parseLeadTimeDays(raw: FormDataEntryValue | undefined): { ok: true; value: number | null } | { ok: false; error: string } {
  const text = typeof raw === "string" ? raw.trim() : "";
  if (text === "") return { ok: true, value: null };
  const days = Number(text);
  if (!Number.isFinite(days)) return { ok: false, error: "Enter a number of days" };
  if (!Number.isInteger(days)) return { ok: false, error: "Enter whole days" };
  if (days < 1) return { ok: false, error: "At least 1 day" };
  if (days > MAX_LEAD_TIME_DAYS) return { ok: false, error: `At most ${MAX_LEAD_TIME_DAYS} days` };
  return { ok: true, value: days };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { shop } = await requireShopContext(request);
  const parsedParams = paramsSchema.safeParse(params);
  if (!parsedParams.success) throw new Response("Not found", { status: 404 });
  const raw = Object.fromEntries(await request.formData());
  const form = leadTimeFormSchema.safeParse(raw);
  if (!form.success) throw new Response("Bad request", { status: 400 });
  const days = parseLeadTimeDays(raw.leadTimeDays);
  const { supplierProductId } = form.data;
  if (!days.ok) return data({ ok: false as const, supplierProductId, error: days.error }, { status: 422 });
  try {
    await setLeadTimeOverride(shop.id, parsedParams.data.skuId, supplierProductId, days.value);
  } catch (error) {
    if (isAppError(error) && error.kind === "not_found") throw new Response("Not found", { status: 404 });
    throw error;
  }
  return { ok: true as const, supplierProductId, error: null };
}

type Explanation = {
  forecast?: {
    method?: string; methodChosenBy?: string; model?: string; modelRate?: number; baseRate?: number; baseRateSource?: string; trendMultiplier?: number; ewaRate?: number; periodStringRate?: number;
    peakDay?: number; dailyStdDev?: number; yearlyIndex?: number; promotionMultiplier?: number; promotionsApplied?: string[];
  };
  demand?: { classification?: { demandClass?: string }; lowData?: boolean; excludedOrders?: { quantity: number }[] };
  leadTime?: {
    source?: string; sampleCount?: number; meanDays?: number; stdDevDays?: number; percentile?: number; percentileDays?: number; transitDays?: number; shipMethod?: string;
    overriddenHistory?: { source: string; sampleCount: number; meanDays: number };
  };
  serviceLevel?: number;
  classServiceLevel?: number;
  serviceLevelSkewedByValue?: boolean;
  abcClass?: string;
  safetyStock?: { method?: string; formula?: string };
  reorderPointLeadTimeDays?: number;
  reviewDays?: number;
  trustPeriod?: boolean;
  cycleDays?: number;
  target?: { cycleDemand?: number; bound?: string | null };
  position?: { onHand?: number; openPurchaseOrderQuantity?: number; kitSupply?: number; committed?: number; backordered?: number };
  transferIn?: number;
  orderQuantity?: { raw?: number; steps?: { step: string; quantity: number; note?: string }[]; lineTotal?: number };
  supplierScores?: { supplierId: string; total: number; excluded: string | null }[];
  supplierWeights?: { price: number; leadTime: number; quality: number; moqFlexibility: number };
  marginPct?: number | null;
  names?: { supplier?: string | null };
};

const n2 = (x: number | undefined | null) => (x === undefined || x === null || !Number.isFinite(x) ? "—" : x.toFixed(2));
const n1 = (x: number | undefined | null) => (x === undefined || x === null || !Number.isFinite(x) ? "—" : x.toFixed(1));
const pct = (share: number) => `${Math.round(share * 100)} %`;

/** The planning rate and how it was reached: the model's forecast or a higher recent rate, times the shop-wide trend and the promotions. */
function forecastCell(dailyForecast: number | null, f: NonNullable<Explanation["forecast"]>): string {
  const promo = f.promotionMultiplier !== undefined && f.promotionMultiplier !== 1 ? ` × promotions ${n2(f.promotionMultiplier)} (${(f.promotionsApplied ?? []).join(", ")})` : "";
  const trend = (f.trendMultiplier !== undefined && f.trendMultiplier !== 1 ? ` × shop trend ${n2(f.trendMultiplier)}` : "") + promo;
  if (f.baseRateSource === LOW_DATA_RATE_SOURCE) {
    return `${n2(dailyForecast)} = longest period's rate ${n2(f.baseRate)}${trend} (low-data product: too few orders for a model; ${f.model ?? "the model"} gave ${n2(f.modelRate)})`;
  }
  if (f.baseRateSource && f.baseRateSource !== "model") {
    return `${n2(dailyForecast)} = ${f.baseRateSource} rate ${n2(f.baseRate)}${trend} (above ${f.model ?? "the model"}'s ${n2(f.modelRate)}; the plan never goes below the 30-day EWA or a period's rate)`;
  }
  const method = f.methodChosenBy === "supplier" ? `the supplier's method: ${f.method ?? "—"}` : (f.method ?? "—");
  return `${n2(dailyForecast)} from ${f.model ?? "—"} (${method})${trend ? ` = ${n2(f.modelRate)}${trend}` : ""}`;
}

/**
 * The level and where it came from: the default skews each class's level by the SKU's value, so a class C
 * SKU can plan at 99.85 % under a 99.5 % setting. Enough decimals that 99.85 % is not shown as 99.8 %, nor
 * 99.98 % as 100.0 %.
 */
function serviceLevelCell(e: Explanation, abcClass: string | null): string {
  if (e.serviceLevel === undefined) return "—";
  const level = `${formatServiceLevel(e.serviceLevel)}%`;
  if (e.classServiceLevel === undefined) return level;
  const cls = `class ${abcClass ?? e.abcClass ?? "—"}`;
  if (!e.serviceLevelSkewedByValue) return `${level} (${cls}'s level)`;
  return `${level} (${cls}'s ${formatServiceLevel(e.classServiceLevel)}% ${e.serviceLevel > e.classServiceLevel ? "raised" : "lowered"} by this SKU's value: cheap or steady SKUs get more protection, the class keeps its average)`;
}

/** What the reorder point's days are: the quantile methods use mean lead time + review, their safety stock covers late deliveries. */
function reorderPointDays(e: Explanation): string {
  const lt = e.leadTime ?? {};
  if (e.safetyStock?.method === "compound" || e.safetyStock?.method === "empirical") {
    const review = e.reviewDays ?? (e.reorderPointLeadTimeDays !== undefined && lt.meanDays !== undefined ? e.reorderPointLeadTimeDays - lt.meanDays : undefined);
    const fromHistory = lt.source === "sku-history" || lt.source === "supplier-history";
    if (e.trustPeriod && fromHistory && (lt.percentileDays ?? 0) > (lt.meanDays ?? 0)) {
      return ` (${lt.percentile ?? "—"}th pct lead time ${n1(lt.percentileDays)} d + ${n1(review)} d review, not the mean ${n1(lt.meanDays)} d, in the trust period; the safety stock covers later deliveries)`;
    }
    return ` (mean lead time ${n1(lt.meanDays)} d + ${n1(review)} d review; the safety stock covers late deliveries over the whole lead-time distribution${fromHistory ? `, so the ${lt.percentile ?? "—"}th pct ${n1(lt.percentileDays)} d does not set it` : ""})`;
  }
  if (e.safetyStock?.method === undefined) return "";
  return lt.source === "sku-history" || lt.source === "supplier-history" ? ` (${lt.percentile ?? "—"}th pct lead time)` : " (the lead time)";
}

/** Label / value rows from the stored explanation, defensive about fields a newer engine may rename. */
function numbersTable(s: SkuSuggestionView, currency: string, supplierNames: ReadonlyMap<string, string>): [string, string][] {
  const e = (typeof s.explanation === "object" && s.explanation !== null ? s.explanation : {}) as Explanation;
  const f = e.forecast ?? {};
  const lt = e.leadTime ?? {};
  const p = e.position ?? {};
  const rows: [string, string][] = [
    ["ABC class / demand pattern", `${s.abcClass ?? "—"} / ${e.demand?.classification?.demandClass ?? "—"}${e.demand?.lowData ? " (low data)" : ""}`],
    ["Forecast (units/day)", forecastCell(s.dailyForecast, f)],
    ["30-day EWA / period string / model", `${n2(f.ewaRate)} / ${n2(f.periodStringRate)} / ${n2(f.modelRate)}`],
    ["Peak day / σ daily", `${n1(f.peakDay)} / ${n2(f.dailyStdDev)}`],
    ["Outlier orders excluded", e.demand?.excludedOrders?.length ? e.demand.excludedOrders.map((o) => o.quantity).join(", ") : "none"],
    [
      "Lead time",
      lt.source === "sku-override"
        ? `${n1(lt.percentileDays)} days, the merchant's override for this SKU` +
          (lt.overriddenHistory
            ? ` (history says mean ${n1(lt.overriddenHistory.meanDays)} d from ${lt.overriddenHistory.sampleCount} POs, ${lt.overriddenHistory.source === "sku-history" ? "this SKU" : "the supplier"})`
            : "")
        : lt.source === "configured"
        ? `${n1(lt.percentileDays)} days, configured` +
          ((lt.transitDays ?? 0) > 0 ? ` to the ship date + ${lt.transitDays} transit days${lt.shipMethod ? ` (${lt.shipMethod})` : ""}` : "") +
          ` (${lt.sampleCount ?? 0} received POs)`
        : `mean ${n1(lt.meanDays)} d, σ ${n1(lt.stdDevDays)} d, ${lt.percentile ?? "—"}th pct ${n1(lt.percentileDays)} d from ${lt.sampleCount ?? 0} POs (${lt.source ?? "—"})`,
    ],
    ["Service level", serviceLevelCell(e, s.abcClass)],
    ["Safety stock", `${n1(s.safetyStock)} (${e.safetyStock?.method ?? "—"}: ${e.safetyStock?.formula ?? ""})`],
    ["Reorder point", `${n1(s.reorderPoint)} = ${n2(s.dailyForecast)} × ${n1(e.reorderPointLeadTimeDays)} d${reorderPointDays(e)} + ${n1(s.safetyStock)} safety stock`],
    ["Target stock", `${n1(s.targetStock)} (cycle ${n1(e.cycleDays)} d, ${n1(e.target?.cycleDemand)} units${e.target?.bound ? `, bounded by ${e.target.bound}` : ""})`],
    [
      "Stock position",
      `${formatCount(s.stockPosition)} = ${p.onHand ?? 0} on hand + ${p.openPurchaseOrderQuantity ?? 0} on order + ${p.kitSupply ?? 0} from kits − ${p.committed ?? 0} committed − ${p.backordered ?? 0} backordered`,
    ],
  ];
  if (e.transferIn) rows.push(["Transfer in", formatCount(e.transferIn)]);
  const steps = e.orderQuantity?.steps ?? [];
  rows.push(["Raw quantity (target − position)", n1(e.orderQuantity?.raw)]);
  if (steps.length > 0) rows.push(["Quantity steps", steps.map((st) => `${st.step.replace(/_/g, " ")} ${st.quantity}`).join(" → ")]);
  rows.push(["Suggested quantity", `${formatCount(s.quantity)} (${s.action.toLowerCase()})`]);
  if (s.unitCost !== null) {
    rows.push(["Unit cost", formatPrice(s.unitCost, currency)]);
    rows.push(["Line total", formatCents(lineTotalCents(s.action === "PURCHASE" ? s.quantity : 0, s.unitCost), currency)]);
  }
  rows.push(["Days left / stock-out", `${n1(s.daysLeft)} / ${formatDay(s.stockoutDate)}`]);
  if (e.marginPct !== undefined && e.marginPct !== null) rows.push(["Margin", `${e.marginPct.toFixed(1)}%`]);
  if (e.supplierScores && e.supplierScores.length > 1) {
    const w = e.supplierWeights;
    const ranked = [...e.supplierScores].sort((a, b) => b.total - a.total);
    rows.push([
      w ? `Supplier scores (price ${pct(w.price)}, lead time ${pct(w.leadTime)}, quality ${pct(w.quality)}, MOQ ${pct(w.moqFlexibility)})` : "Supplier scores",
      ranked.map((sc) => `${supplierNames.get(sc.supplierId) ?? "a former supplier"} ${sc.total.toFixed(2)}${sc.excluded ? ` (passed over: ${sc.excluded})` : ""}`).join(", "),
    ]);
  }
  return rows;
}

function chartData(history: { startDay: string; units: number[]; outOfStock: boolean[] }, s: SkuSuggestionView): ReorderChartData {
  const e = (typeof s.explanation === "object" && s.explanation !== null ? s.explanation : {}) as Explanation;
  const meanLead = e.leadTime?.meanDays;
  const arrivalIndex = s.action === "PURCHASE" && s.quantity > 0 && meanLead !== undefined ? Math.min(PROJECTION_DAYS - 1, Math.max(0, Math.ceil(meanLead))) : null;
  const projection: number[] = [];
  for (let t = 0; t < PROJECTION_DAYS; t++) {
    // Position run down at the forecast rate; the suggested order lands after the mean lead time.
    projection.push(s.stockPosition - s.dailyForecast * t + (arrivalIndex !== null && t >= arrivalIndex ? s.quantity : 0));
  }
  return {
    startDay: history.startDay,
    history: history.units.map((units, i) => ({ units, outOfStock: history.outOfStock[i] ?? false })),
    dailyForecast: s.dailyForecast,
    projection,
    reorderPoint: s.reorderPoint,
    safetyStock: s.safetyStock,
    arrivalIndex,
  };
}

/** One offer's lead time: the override when set (editable, empty clears it), else the supplier's. */
function OfferLeadTime({ offer }: { offer: SkuOffer }) {
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [value, setValue] = useState(offer.leadTimeDaysOverride === null ? "" : String(offer.leadTimeDaysOverride));
  const mine = result?.supplierProductId === offer.id ? result : undefined;
  const saving = navigation.state === "submitting" && navigation.formData?.get("supplierProductId") === offer.id;
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="lead-time-override" />
      <input type="hidden" name="supplierProductId" value={offer.id} />
      <BlockStack gap="100">
        <Text as="p">{offer.supplierName}</Text>
        <InlineStack gap="200" blockAlign="end" wrap={false}>
          <TextField
            label="Lead time for this SKU (days)"
            name="leadTimeDays"
            type="number"
            min={1}
            max={MAX_LEAD_TIME_DAYS}
            value={value}
            onChange={setValue}
            autoComplete="off"
            placeholder={`Supplier's: ${offer.supplierLeadTimeDays}`}
            helpText={
              offer.leadTimeDaysOverride === null
                ? `Empty: the PO history (this SKU's, else the supplier's) once there is enough, else the supplier's ${offer.supplierLeadTimeDays} days. A value here replaces both.`
                : "Used instead of the PO history and the supplier's lead time. Empty the field to go back to them."
            }
            error={mine && !mine.ok ? mine.error : undefined}
          />
          <Button submit loading={saving}>
            Save
          </Button>
        </InlineStack>
      </BlockStack>
    </Form>
  );
}

export default function SkuDetail() {
  const { detail, suggestion, numbers, chart, locationId, offers } = useLoaderData<typeof loader>();
  const [searchParams, setSearchParams] = useSearchParams();
  const { sku, currency } = detail;
  const locationOptions = detail.suggestions.map((s) => ({ label: s.locationName, value: s.locationId }));

  return (
    <AdminPage title={`${sku.code} · ${sku.title}`} subtitle={sku.variantTitle ?? undefined}>
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            {locationOptions.length > 1 ? (
              <Card>
                <Select
                  label="Location"
                  options={locationOptions}
                  value={locationId ?? undefined}
                  onChange={(value) => {
                    const next = new URLSearchParams(searchParams);
                    next.set("location", value);
                    setSearchParams(next, { preventScrollReset: true });
                  }}
                />
              </Card>
            ) : null}
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Why this suggestion
                </Text>
                {suggestion ? (
                  <Text as="p">{suggestion.explanationText}</Text>
                ) : (
                  <Text as="p" tone="subdued">
                    The reorder engine has not planned this SKU yet. It runs nightly and after stock changes; use “Run reorder now” on the Reorder page.
                  </Text>
                )}
              </BlockStack>
            </Card>
            {chart && suggestion ? (
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    Sales, forecast and projected stock
                  </Text>
                  <ReorderChart data={chart} label={`${sku.code} at ${suggestion.locationName}: sales history, forecast, reorder point and projected stock`} />
                </BlockStack>
              </Card>
            ) : null}
            {numbers.length > 0 ? (
              // A description list wraps long values (the safety-stock formula, the forecast's derivation); a
              // data table kept each on one line and hid the end behind a horizontal scroll.
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    Every number used
                  </Text>
                  <DescriptionList items={numbers.map(([term, description]) => ({ term, description }))} />
                </BlockStack>
              </Card>
            ) : null}
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="200">
                <InlineStack gap="200" blockAlign="center">
                  <Text as="h2" variant="headingMd">
                    Status
                  </Text>
                  <SkuStatusBadge status={sku.status as Parameters<typeof SkuStatusBadge>[0]["status"]} />
                </InlineStack>
                <Text as="p">
                  Price {sku.price === null ? "—" : formatPrice(sku.price, currency)} · Cost {sku.cost === null ? "—" : formatPrice(sku.cost, currency)}
                </Text>
                {detail.levels.map((l) => (
                  <Text as="p" key={l.locationId}>
                    {l.locationName}: {formatCount(l.onHand)} on hand, {formatCount(l.committed)} committed
                  </Text>
                ))}
                {/* Damaged or missing units are found while looking at the SKU: the write-off form opens with it filled in. */}
                <InlineStack>
                  <Button url={`/app/write-offs?sku=${encodeURIComponent(sku.code)}`}>Write off units</Button>
                </InlineStack>
              </BlockStack>
            </Card>
            {offers.length > 0 ? (
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Suppliers
                  </Text>
                  {offers.map((offer) => (
                    <OfferLeadTime key={offer.id} offer={offer} />
                  ))}
                </BlockStack>
              </Card>
            ) : null}
            {suggestion ? (
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    Suggestion at {suggestion.locationName}
                  </Text>
                  <Text as="p">
                    {suggestion.action === "PURCHASE"
                      ? `Order ${formatCount(suggestion.quantity)} from ${suggestion.supplierName ?? "—"}`
                      : suggestion.action === "TRANSFER"
                        ? `Transfer ${formatCount(suggestion.quantity)} in from another location`
                        : "No order needed"}
                  </Text>
                  <Text as="p" tone="subdued">
                    Reorder point {formatCount(Math.round(suggestion.reorderPoint))} · days left {n1(suggestion.daysLeft)}
                  </Text>
                  {suggestion.purchaseOrder ? (
                    <InlineStack gap="200" blockAlign="center">
                      <Text as="span">{suggestion.purchaseOrder.number}</Text>
                      <PoStatusBadge status={suggestion.purchaseOrder.status} />
                    </InlineStack>
                  ) : null}
                  {suggestion.flags.length > 0 ? (
                    <BlockStack gap="100">
                      {suggestion.flags.map((flag) => (
                        <Badge key={flag.code} tone="attention">
                          {flag.message}
                        </Badge>
                      ))}
                    </BlockStack>
                  ) : null}
                  <Link to="/app/reorder">Reorder by supplier</Link>
                </BlockStack>
              </Card>
            ) : null}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </AdminPage>
  );
}

export function ErrorBoundary() {
  return adminRouteError(useRouteError(), {
    title: "SKU not found",
    message: "There is no SKU at this address in this shop. It may have been deleted, or the link is mistyped.",
    back: { content: "Products", url: "/app/products" },
  });
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
