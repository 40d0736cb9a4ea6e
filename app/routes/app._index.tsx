import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useRouteError } from "@remix-run/react";
import { BlockStack, Box, Card, InlineGrid, InlineStack, Layout, Link, Text } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import type { ReactNode } from "react";
import { AdminPage } from "../components/admin-page.tsx";
import { formatCount, formatDateTime } from "../components/format.ts";
import { ResourceEmptyState } from "../components/resource-empty-state.tsx";
import { PoStatusBadge, RunStatusBadge } from "../components/status-badges.tsx";
import { formatCents } from "../domain/shared/money.ts";
import { getDashboardFigures } from "../models/dashboard.server.ts";
import { requireShopContext } from "../services/shop-context.server.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShopContext(request);
  return { figures: await getDashboardFigures(shop.id), timezone: shop.timezone };
}

function Figure({ label, value, url, help }: { label: string; value: string; url?: string; help?: ReactNode }) {
  return (
    <Card>
      <BlockStack gap="200">
        <Text as="h3" variant="headingSm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="heading2xl">
          {url ? (
            <Link url={url} removeUnderline monochrome>
              {value}
            </Link>
          ) : (
            value
          )}
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

const formatTotals = (totals: { currency: string; total: number }[]) =>
  totals.length === 0 ? formatCents(0) : totals.map((t) => formatCents(t.total, t.currency)).join(" + ");

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

  return (
    <AdminPage title="Dashboard">
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Text as="h2" variant="headingMd">
              Stock
            </Text>
            <InlineGrid columns={{ xs: 1, sm: 2, md: 4 }} gap="400">
              <Figure label="SKUs" value={formatCount(figures.skuCount)} url="/app/products" />
              <Figure
                label="Out of stock now"
                value={formatCount(figures.outOfStockSkuCount)}
                url="/app/products?stock=out"
                help="Active or seasonal SKUs with no units at any location"
              />
              <Figure label="Units on hand" value={formatCount(figures.unitsOnHand)} url="/app/products" />
              <Figure
                label="Value on hand at cost"
                value={formatCents(figures.valueOnHandAtCost, figures.currency)}
                url="/app/products"
                help={
                  figures.skusOnHandWithoutCost > 0
                    ? `${formatCount(figures.skusOnHandWithoutCost)} SKUs in stock have no cost and are not counted`
                    : undefined
                }
              />
            </InlineGrid>
          </BlockStack>
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
                  {formatCount(openPos.count)} · {formatTotals(openPos.totals)}
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
                      <Text as="span" numeric>
                        {formatCount(row.count)} · {formatTotals(row.totals)}
                      </Text>
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
                <Text as="h2" variant="headingMd">
                  Review queue
                </Text>
                <Text as="p" variant="headingXl">
                  {formatCount(figures.openReviewItemCount)} open
                </Text>
                <Text as="p" tone="subdued">
                  Purchase orders, deliveries and channel problems that need a person.
                </Text>
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Last reorder run
                </Text>
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

export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
