import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useRouteError } from "@remix-run/react";
import { BlockStack, Button, Card, DataTable, InlineGrid, InlineStack, Text } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AdminPage } from "../components/admin-page.tsx";
import { formatMoney, formatNumber } from "../components/report-format.ts";
import { loadOverstockReport } from "../models/overstock.server.ts";
import { requireShopContext } from "../services/shop-context.server.ts";
import { shopLocalToday } from "../services/trust-report.server.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShopContext(request);
  const report = await loadOverstockReport(shop.id, shopLocalToday(new Date(), shop.timezone));
  // Infinity does not survive JSON: a SKU that does not sell has no days of supply.
  return { ...report, rows: report.rows.map((r) => ({ ...r, daysOfSupply: Number.isFinite(r.daysOfSupply) ? r.daysOfSupply : null })) };
}

export default function Overstock() {
  const { rows, totals, settings, currency } = useLoaderData<typeof loader>();
  const money = (x: number) => formatMoney(x, currency);
  return (
    <AdminPage title="Overstock & dead stock" fullWidth>
      <BlockStack gap="400">
        <InlineStack>
          <Button url="/app/reports/overstock.csv" download="overstock.csv">Export CSV</Button>
        </InlineStack>
        <InlineGrid columns={{ xs: 1, md: 4 }} gap="400">
          <Card><BlockStack gap="100"><Text as="p" tone="subdued">Overstocked or dead SKUs</Text><Text as="p" variant="headingLg">{totals.skus}</Text></BlockStack></Card>
          <Card><BlockStack gap="100"><Text as="p" tone="subdued">Dead stock (no sale in {settings.deadStockDays} days)</Text><Text as="p" variant="headingLg">{totals.dead}</Text></BlockStack></Card>
          <Card><BlockStack gap="100"><Text as="p" tone="subdued">Capital tied up in excess</Text><Text as="p" variant="headingLg">{money(totals.excessValue)}</Text></BlockStack></Card>
          <Card><BlockStack gap="100"><Text as="p" tone="subdued">Carrying cost per month</Text><Text as="p" variant="headingLg">{money(totals.carryingCostPerMonth)}</Text></BlockStack></Card>
        </InlineGrid>
        <Card padding="0">
          {rows.length === 0 ? (
            <div style={{ padding: "16px" }}>
              <Text as="p">No SKU holds more than {settings.overstockDays} days of supply ({settings.overstockDaysSeasonal} for seasonal ones), and every SKU in stock sold in the last {settings.deadStockDays} days.</Text>
            </div>
          ) : (
            <DataTable
              columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric", "text"]}
              headings={["SKU", "On hand", "Days of supply", "Excess units", "Excess at cost", "Carrying / month", "Suggested actions"]}
              rows={rows.map((r) => [
                `${r.code} ${r.title}${r.dead ? ` — dead stock (${r.daysSinceLastSale === null ? "never sold" : `last sale ${r.daysSinceLastSale} days ago`})` : ""}`,
                String(r.onHand),
                r.daysOfSupply === null ? "no sales" : `${formatNumber(r.daysOfSupply, 0)} (limit ${r.thresholdDays})`,
                String(r.excessUnits),
                money(r.excessValue),
                money(r.carryingCostPerMonth),
                r.actions.length > 0 ? r.actions.map((a) => a.text).join("; ") : "Write off or liquidate: nothing sells it",
              ])}
            />
          )}
        </Card>
        <Text as="p" tone="subdued" variant="bodySm">
          Days of supply = on hand ÷ the average daily sales of the last 90 days. Excess = stock beyond that many days of cover; carrying cost at {(settings.carryingCostPctYear * 100).toFixed(1)}% a year.
          Markdown: the cut that lifts sales enough to sell the stock within the limit, on a constant-elasticity curve fitted to the SKU's own weekly sales and prices
          (ln units on ln price, at least 8 selling weeks with prices varying 5% or more; otherwise an elasticity of −2), bounded to −0.5…−4 and capped at 50%.
        </Text>
      </BlockStack>
    </AdminPage>
  );
}

export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
