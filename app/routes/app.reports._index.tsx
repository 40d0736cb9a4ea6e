import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useRouteError } from "@remix-run/react";
import { BlockStack, Card, InlineGrid, Text } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AdminPage } from "../components/admin-page.tsx";
import { requireShopContext } from "../services/shop-context.server.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  await requireShopContext(request);
  return null;
}

/** The reports hub: each report is its own page so a slow one never holds the others back. */
const REPORTS = [
  { path: "/app/digest", title: "Weekly digest", body: "The summary emailed each week (or day): in-stock rate, stock-outs, POs generated and placed, anomalies, overstock and supplier on-time rates. Preview it here." },
  { path: "/app/reports/overstock", title: "Overstock & dead stock", body: "Stock beyond its days-of-supply threshold, the capital and carrying cost it ties up, markdown and other ways to clear it; CSV export." },
  { path: "/app/reports/abc", title: "ABC & velocity", body: "Every SKU's class by revenue, its sales rate and how that rate is moving." },
  { path: "/app/reports/suppliers", title: "Supplier scorecards", body: "On-time rate, average and 85th-percentile lead time against the quote, fill rate, defects and price changes." },
  { path: "/app/reports/trust", title: "Trust report", body: "The engine replayed on your own history: what it would have done, next to what really happened." },
  { path: "/app/reports/audit", title: "Audit sample", body: "Twenty recent purchase orders picked at random, each with the engine's full explanation." },
  { path: "/app/reports/forecast-accuracy", title: "Forecast accuracy", body: "Weekly error (MAE, MASE) and bias of past forecasts against what then sold, per SKU and overall." },
] as const;

export default function ReportsHub() {
  return (
    <AdminPage title="Reports">
      <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
        {REPORTS.map((r) => (
          <Card key={r.path}>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                <Link to={r.path}>{r.title}</Link>
              </Text>
              <Text as="p" tone="subdued">
                {r.body}
              </Text>
            </BlockStack>
          </Card>
        ))}
      </InlineGrid>
    </AdminPage>
  );
}

export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
