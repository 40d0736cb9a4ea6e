import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRouteError } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, IndexTable, InlineStack, Text } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { z } from "zod";
import { AdminPage } from "#app/components/admin-page.tsx";
import { SkuCell } from "#app/components/sku-cell.tsx";
import { formatCount, formatDateTime, formatDay } from "#app/components/format.ts";
import { ResourceEmptyState } from "#app/components/resource-empty-state.tsx";
import { reorderRunSummary } from "#app/components/reorder-run-summary.ts";
import { PoStatusBadge } from "#app/components/status-badges.tsx";
import { formatCents, formatPrice, formatTotals, totalsByCurrency } from "#app/domain/shared/money.ts";
import { errorKind } from "#app/lib/app-error.ts";
import { getLatestRun, listReorderBySupplier, listSupplierReorderLines } from "#app/models/reorder-suggestion.server.ts";
import { createSupplierDraftFromSuggestions, requestManualReorder } from "#app/services/replenishment.server.ts";
import { requireShopContext } from "#app/services/shop-context.server.ts";

// "Reorder by supplier": what the latest advice would cost per supplier, the SKU lines behind each figure,
// a button that creates (or refreshes) that supplier's draft PO, and "Run reorder now".

const searchSchema = z.object({ supplier: z.string().trim().min(1).max(64).optional().catch(undefined) });

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShopContext(request);
  const search = searchSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const [suppliers, latestRun, drill] = await Promise.all([
    listReorderBySupplier(shop.id),
    getLatestRun(shop.id),
    search.supplier ? listSupplierReorderLines(shop.id, search.supplier) : Promise.resolve(null),
  ]);
  // Each supplier's value is in its own currency: the headline is one total per currency, never a sum across them.
  const totals = totalsByCurrency(suppliers.map((s) => ({ currency: s.currency, cents: s.value })), shop.currency);
  return { suppliers, totals, latestRun, drill, timezone: shop.timezone, currency: shop.currency };
}

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("create-po"), supplierId: z.string().trim().min(1).max(64) }),
  z.object({ intent: z.literal("run-now") }),
]);

const STATUS_BY_KIND: Record<string, number> = { not_found: 404, conflict: 409, invalid: 422, unavailable: 503, forbidden: 403 };

export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await requireShopContext(request);
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ ok: false as const, message: "That request was not understood." }, { status: 422 });
  try {
    if (parsed.data.intent === "run-now") {
      const jobId = await requestManualReorder(shop.id);
      return { ok: true as const, message: "A reorder run has been queued. Refresh this page in a moment to see its results.", jobId };
    }
    const { purchaseOrders } = await createSupplierDraftFromSuggestions(shop.id, parsed.data.supplierId);
    return { ok: true as const, message: `Draft ready: ${purchaseOrders.map((po) => po.number).join(", ")}.`, purchaseOrders };
  } catch (error) {
    const status = STATUS_BY_KIND[errorKind(error) ?? ""];
    if (!status) throw error;
    return data({ ok: false as const, message: error instanceof Error ? error.message : "Something went wrong." }, { status });
  }
}

const TRIGGER_LABEL = { NIGHTLY: "nightly", STOCK_CHANGE: "stock change", MANUAL: "manual" } as const;

export default function ReorderBySupplier() {
  const { suppliers, totals, latestRun, drill, timezone, currency } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" ? navigation.formData?.get("intent") : null;
  const busySupplier = navigation.state === "submitting" ? navigation.formData?.get("supplierId") : null;

  return (
    <AdminPage
      title="Reorder by supplier"
      subtitle={latestRun ? `Latest run ${formatDateTime(latestRun.startedAt, timezone)} (${TRIGGER_LABEL[latestRun.trigger]})` : "No reorder run yet"}
      fullWidth
    >
      <BlockStack gap="400">
        {result ? (
          <Banner tone={result.ok ? "success" : "critical"}>
            <p>{result.message}</p>
          </Banner>
        ) : null}
        {latestRun?.status === "RUNNING" ? (
          // The first run of a new shop takes minutes: say so instead of showing an empty plan as the result.
          <Banner tone="info" title="A reorder run is in progress">
            <p>Started {formatDateTime(latestRun.startedAt, timezone)}. Its suggestions appear here when it finishes; refresh the page in a moment.</p>
          </Banner>
        ) : null}
        {latestRun?.status === "FAILED" ? (
          <Banner tone="warning" title="The latest run failed">
            <p>{latestRun.error ?? "Unknown error"}. The figures below come from the last runs that succeeded.</p>
          </Banner>
        ) : null}
        <Card>
          <InlineStack align="space-between" blockAlign="center" gap="400">
            <BlockStack gap="100">
              <Text as="h2" variant="headingMd">
                Estimated value to reorder: {formatTotals(totals, currency)}
              </Text>
              <Text as="p" tone="subdued">
                {reorderRunSummary(latestRun)}
              </Text>
            </BlockStack>
            <Form method="post">
              <input type="hidden" name="intent" value="run-now" />
              <Button submit loading={busy === "run-now"}>
                Run reorder now
              </Button>
            </Form>
          </InlineStack>
        </Card>
        <Card padding="0">
          {suppliers.length === 0 ? (
            <ResourceEmptyState heading="Nothing to reorder">
              <p>When the engine finds SKUs below their reorder point, their suppliers appear here with the value to order.</p>
            </ResourceEmptyState>
          ) : (
            <IndexTable
              resourceName={{ singular: "supplier", plural: "suppliers" }}
              itemCount={suppliers.length}
              selectable={false}
              headings={[
                { title: "Supplier" },
                { title: "SKU lines", alignment: "end" },
                { title: "Units", alignment: "end" },
                { title: "Estimated value", alignment: "end" },
                { title: "Draft PO" },
                { title: "" },
              ]}
            >
              {suppliers.map((s, index) => (
                <IndexTable.Row id={s.supplierId} key={s.supplierId} position={index} selected={drill?.supplier?.id === s.supplierId}>
                  <IndexTable.Cell>
                    <BlockStack gap="050" inlineAlign="start">
                      <Link to={`?supplier=${encodeURIComponent(s.supplierId)}`}>{s.name}</Link>
                      {s.flaggedLineCount > 0 ? (
                        <Badge tone="attention">{`${formatCount(s.flaggedLineCount)} to review`}</Badge>
                      ) : null}
                    </BlockStack>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {formatCount(s.lineCount)}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {formatCount(s.units)}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric fontWeight="semibold">
                      {formatCents(s.value, s.currency)}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    {s.drafts.length > 0 ? (
                      // One draft per ship-to location: each is listed, or the second location's PO would be invisible here.
                      <BlockStack gap="100">
                        {s.drafts.map((d) => (
                          <InlineStack key={d.id} gap="200" blockAlign="center" wrap={false}>
                            <Link to={`/app/purchase-orders/${d.id}`}>{d.number}</Link>
                            <PoStatusBadge status={d.status} />
                            {s.drafts.length > 1 ? (
                              <Text as="span" tone="subdued">
                                {d.locationName}
                              </Text>
                            ) : null}
                          </InlineStack>
                        ))}
                      </BlockStack>
                    ) : (
                      <Text as="span" tone="subdued">
                        None
                      </Text>
                    )}
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Form method="post">
                      <input type="hidden" name="intent" value="create-po" />
                      <input type="hidden" name="supplierId" value={s.supplierId} />
                      <Button submit size="slim" loading={busy === "create-po" && busySupplier === s.supplierId} accessibilityLabel={`${s.drafts.length > 0 ? "Refresh" : "Create"} the draft PO for ${s.name}`}>
                        {s.drafts.length > 0 ? "Refresh PO" : "Create PO"}
                      </Button>
                    </Form>
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          )}
        </Card>
        {drill ? <SupplierLines drill={drill} currency={currency} /> : null}
      </BlockStack>
    </AdminPage>
  );
}

type Drill = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["drill"]>;

function SupplierLines({ drill, currency }: { drill: Drill; currency: string }) {
  if (!drill.supplier) {
    return (
      <Banner tone="warning">
        <p>That supplier was not found.</p>
      </Banner>
    );
  }
  const cur = drill.supplier.currency || currency;
  return (
    <Card padding="0">
      <BlockStack gap="0">
        <div style={{ padding: "var(--p-space-400)" }}>
          <Text as="h2" variant="headingMd">
            {`SKU lines for ${drill.supplier.name}`}
          </Text>
        </div>
        {drill.lines.length === 0 ? (
          <ResourceEmptyState heading="No SKU lines">
            <p>The latest advice orders nothing from this supplier.</p>
          </ResourceEmptyState>
        ) : (
          <IndexTable
            resourceName={{ singular: "SKU line", plural: "SKU lines" }}
            itemCount={drill.lines.length}
            selectable={false}
            headings={[
              { title: "SKU" },
              { title: "Location" },
              { title: "Quantity", alignment: "end" },
              { title: "Unit cost", alignment: "end" },
              { title: "Line total", alignment: "end" },
              { title: "Days left", alignment: "end" },
              { title: "Stock-out" },
              { title: "Review" },
            ]}
          >
            {drill.lines.map((line, index) => (
              <IndexTable.Row id={line.suggestionId} key={line.suggestionId} position={index}>
                <IndexTable.Cell>
                  <SkuCell skuId={line.skuId} code={line.code} title={line.title} />
                </IndexTable.Cell>
                <IndexTable.Cell>{line.locationName}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {formatCount(line.quantity)}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {formatPrice(line.unitCost, cur)}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {formatCents(line.lineTotal, cur)}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {line.daysLeft === null ? "—" : line.daysLeft.toFixed(1)}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>{formatDay(line.stockoutDate)}</IndexTable.Cell>
                <IndexTable.Cell>
                  {line.flags.length === 0 ? (
                    <Text as="span" tone="subdued">
                      —
                    </Text>
                  ) : (
                    <InlineStack gap="100">
                      {line.flags.map((flag) => (
                        <Badge key={flag.code} tone="attention">
                          {flag.message}
                        </Badge>
                      ))}
                    </InlineStack>
                  )}
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
      </BlockStack>
    </Card>
  );
}

export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
