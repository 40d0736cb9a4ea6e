import type { ReviewKind } from "@prisma/client";
import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useRouteError } from "@remix-run/react";
import { Badge, BlockStack, Box, Card, InlineGrid, InlineStack, Layout, Link, Text } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import type { ReactNode } from "react";
import { AdminPage } from "../components/admin-page.tsx";
import { formatCount, formatDateTime } from "../components/format.ts";
import { InStockTrendChart } from "../components/in-stock-trend-chart.tsx";
import { ResourceEmptyState } from "../components/resource-empty-state.tsx";
import { formatRate, REVIEW_KIND_LABELS, REVIEW_KINDS } from "../components/review-kinds.ts";
import { NotConnectedYetBadge, PoStatusBadge, RunStatusBadge } from "../components/status-badges.tsx";
import { formatCents, formatTotals } from "../domain/shared/money.ts";
import { loadDashboard } from "../services/daily-snapshot.server.ts";
import { requireShopContext } from "../services/shop-context.server.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShopContext(request);
  return { figures: await loadDashboard(shop.id, new Date()), timezone: shop.timezone };
}

function Figure({ label, value, url, help }: { label: string; value: string; url: string; help?: ReactNode }) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h3" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="heading2xl">
          <Link url={url} removeUnderline monochrome>
            {value}
          </Link>
        </Text>
        {help ? (
          <Text as="p" variant="bodySm" tone="subdued">
            {help}
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}

const CHANNEL_NAMES = { SHOPIFY: "Shopify", AMAZON: "Amazon", EBAY: "eBay" } as const;

export default function Dashboard() {
  const { figures, timezone } = useLoaderData<typeof loader>();
  const { openPurchaseOrders: openPos, lastReorderRun: run } = figures;

  if (figures.skuCount === 0) {
    return (
      <AdminPage title="Dashboard">
        <Card>
          <ResourceEmptyState heading="No products yet">
            <p>Replenish starts once your catalogue and stock arrive from Shopify. Products will show up here after the first sync.</p>
          </ResourceEmptyState>
        </Card>
      </AdminPage>
    );
  }

  const openKinds = REVIEW_KINDS.filter((kind) => (figures.reviewByKind[kind] ?? 0) > 0);

  return (
    <AdminPage title="Dashboard" subtitle={`Figures as of ${formatDateTime(figures.computedAt, timezone)}`}>
      <Layout>
        <Layout.Section>
          <Card>
            <BlockStack gap="400">
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  In-stock rate
                </Text>
                <Link url="/app/products?stock=out">Out-of-stock SKUs</Link>
              </InlineStack>
              <InlineGrid columns={{ xs: 1, sm: 3 }} gap="400">
                {figures.rates.map((r) => (
                  <BlockStack key={r.days} gap="100">
                    <Text as="h3" variant="headingSm" tone="subdued">
                      Last {r.days} days
                    </Text>
                    <Text as="p" variant="headingXl">
                      <Link url="/app/products?stock=out" removeUnderline monochrome>
                        {formatRate(r.all)}
                      </Link>
                    </Text>
                    <Text as="p" variant="bodySm" tone="subdued">
                      A-class {formatRate(r.classA)}
                    </Text>
                  </BlockStack>
                ))}
              </InlineGrid>
              <InStockTrendChart points={figures.trend} label="Daily in-stock rate, all SKUs and A-class" />
            </BlockStack>
          </Card>
        </Layout.Section>

        <Layout.Section>
          <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
            <Figure label="SKUs" value={formatCount(figures.skuCount)} url="/app/products" />
            <Figure
              label="Stock-outs in progress"
              value={formatCount(figures.outOfStockSkuCount)}
              url="/app/products?stock=out"
              help={`${formatCount(figures.outOfStockSkuCountA)} A-class · active or seasonal SKUs with no units anywhere`}
            />
            <Figure
              label="Lost revenue per day"
              value={formatCents(figures.lostRevenuePerDay, figures.currency)}
              url="/app/products?stock=out"
              help="Forecast daily sales × price of the SKUs out of stock"
            />
            <Figure
              label="Days of supply"
              value={figures.daysOfSupply === null ? "—" : formatCount(Math.round(figures.daysOfSupply))}
              url="/app/products"
              help="Stock at cost ÷ forecast daily sales at cost"
            />
            <Figure label="Units on hand" value={formatCount(figures.unitsOnHand)} url="/app/products" />
            <Figure
              label="Value on hand at cost"
              value={formatCents(figures.valueOnHandAtCost, figures.currency)}
              url="/app/products"
              help={figures.skusOnHandWithoutCost > 0 ? `${formatCount(figures.skusOnHandWithoutCost)} SKUs in stock have no cost and are not counted` : undefined}
            />
            <Figure
              label="Spend this month"
              value={formatTotals(figures.spendThisMonth, figures.currency)}
              url="/app/purchase-orders?status=ALL"
              help={`Last month ${formatTotals(figures.spendLastMonth, figures.currency)} · purchase orders placed`}
            />
            <Figure
              label="Overstock at cost"
              value={formatCents(figures.overstock.excessValueCents, figures.currency)}
              url="/app/reports"
              help={`${formatCount(figures.overstock.skuCount)} SKUs above ${figures.overstock.thresholdDays} days of supply (${figures.overstock.seasonalThresholdDays} seasonal) · carrying ${formatCents(figures.overstock.carryingCostPerMonthCents, figures.currency)}/month`}
            />
            <Figure
              label="Back-in-stock demand waiting"
              value={formatCount(figures.backInStock.waitingSubscribers)}
              url="/app/back-in-stock"
              help={`shoppers waiting for ${formatCount(figures.backInStock.waitingSkus)} SKUs`}
            />
          </InlineGrid>
        </Layout.Section>

        <Layout.Section variant="oneHalf">
          <Card>
            <BlockStack gap="300">
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  Open purchase orders
                </Text>
                <Link url="/app/purchase-orders?status=OPEN">View all</Link>
              </InlineStack>
              <Text as="p" variant="headingXl">
                <Link url="/app/purchase-orders?status=OPEN" removeUnderline monochrome>
                  {formatCount(openPos.count)} · {formatTotals(openPos.totals, figures.currency)}
                </Link>
              </Text>
              {openPos.byStatus.length === 0 ? (
                <Text as="p" tone="subdued">
                  No purchase orders are open.
                </Text>
              ) : (
                <BlockStack gap="200">
                  {openPos.byStatus.map((row) => (
                    <InlineStack key={row.status} align="space-between" blockAlign="center">
                      <PoStatusBadge status={row.status} />
                      <Link url="/app/purchase-orders?status=OPEN" removeUnderline monochrome>
                        <Text as="span" numeric>
                          {formatCount(row.count)} · {formatTotals(row.totals)}
                        </Text>
                      </Link>
                    </InlineStack>
                  ))}
                </BlockStack>
              )}
            </BlockStack>
          </Card>
        </Layout.Section>

        <Layout.Section variant="oneHalf">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="200">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h2" variant="headingMd">
                    Review queue
                  </Text>
                  <Link url="/app/anomalies">Open the queue</Link>
                </InlineStack>
                <Text as="p" variant="headingXl">
                  <Link url="/app/anomalies" removeUnderline monochrome>
                    {`${formatCount(figures.openReviewItemCount)} open`}
                  </Link>
                </Text>
                {openKinds.length === 0 ? (
                  <Text as="p" tone="subdued">
                    Nothing needs a person: the system is healthy.
                  </Text>
                ) : (
                  <BlockStack gap="100">
                    {openKinds.map((kind: ReviewKind) => (
                      <InlineStack key={kind} align="space-between">
                        <Link url={`/app/anomalies?kind=${kind}`}>{REVIEW_KIND_LABELS[kind]}</Link>
                        <Text as="span" numeric>
                          {formatCount(figures.reviewByKind[kind] ?? 0)}
                        </Text>
                      </InlineStack>
                    ))}
                  </BlockStack>
                )}
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h2" variant="headingMd">
                    Channel sync
                  </Text>
                  <Link url="/app/channels">Channels</Link>
                </InlineStack>
                {figures.channels.length === 0 ? (
                  <Text as="p" tone="subdued">
                    No channel connected yet.
                  </Text>
                ) : (
                  figures.channels.map((c) => (
                    <InlineStack key={c.channel} align="space-between" blockAlign="center" gap="200">
                      <InlineStack gap="200" blockAlign="center">
                        <Link url="/app/channels">{CHANNEL_NAMES[c.channel]}</Link>
                        {c.awaitingInstall ? (
                          <NotConnectedYetBadge />
                        ) : c.status === "CONNECTED" && !c.lastError ? (
                          <Badge tone="success">Healthy</Badge>
                        ) : (
                          <Badge tone="critical">{c.lastError ? "Error" : "Disconnected"}</Badge>
                        )}
                      </InlineStack>
                      <Text as="span" tone="subdued" variant="bodySm">
                        {`last sync ${lastSync(c.lastOrderSyncAt, c.lastStockSyncAt, timezone)} · ${formatCount(c.driftCount)} drifted`}
                      </Text>
                    </InlineStack>
                  ))
                )}
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h2" variant="headingMd">
                    Last reorder run
                  </Text>
                  <Link url="/app/reorder">Reorder</Link>
                </InlineStack>
                {run ? (
                  <BlockStack gap="100">
                    <InlineStack gap="200" blockAlign="center">
                      <RunStatusBadge status={run.status} />
                      <Text as="span">{formatDateTime(run.startedAt, timezone)}</Text>
                    </InlineStack>
                    <Text as="p" tone="subdued">
                      {formatCount(run.skuCount)} SKUs planned, {formatCount(run.suggestionCount)} suggestions
                      {run.trigger === "NIGHTLY" ? " (nightly run)" : run.trigger === "MANUAL" ? " (run by hand)" : " (after a stock change)"}
                    </Text>
                    {run.stockChangeRunsSince && run.lastStockChangeAt ? (
                      <Text as="p" tone="subdued">
                        {`Since then: ${formatCount(run.stockChangeRunsSince)} ${run.stockChangeRunsSince === 1 ? "re-plan" : "re-plans"} after stock changes, the latest ${formatDateTime(run.lastStockChangeAt, timezone)}`}
                      </Text>
                    ) : null}
                  </BlockStack>
                ) : (
                  <Box>
                    <Text as="p" tone="subdued">
                      No reorder run yet: the first one runs tonight at midnight, shop time.
                    </Text>
                  </Box>
                )}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </AdminPage>
  );
}

function lastSync(orders: string | null, stock: string | null, timezone: string): string {
  const latest = [orders, stock].filter((v): v is string => v !== null).sort().at(-1);
  return latest ? formatDateTime(latest, timezone) : "never";
}

export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
