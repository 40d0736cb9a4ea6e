import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useRouteError } from "@remix-run/react";
import { BlockStack, Card, DataTable, InlineGrid, Text } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AdminPage } from "../components/admin-page.tsx";
import { formatMoney, formatNumber, formatPercent } from "../components/report-format.ts";
import { abcVelocity } from "../domain/reports/abc-velocity.ts";
import { loadAbcInputs } from "../models/report-data.server.ts";
import { requireShopContext } from "../services/shop-context.server.ts";
import { shopLocalToday } from "../services/trust-report.server.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShopContext(request);
  return { ...abcVelocity(await loadAbcInputs(shop.id, shopLocalToday(new Date(), shop.timezone))), currency: shop.currency };
}

const MOVEMENT = { rising: "Rising", steady: "Steady", falling: "Falling", stopped: "Stopped", none: "No sales" } as const;

export default function AbcVelocity() {
  const { rows, byClass, currency } = useLoaderData<typeof loader>();
  return (
    <AdminPage title="ABC & velocity" fullWidth>
      <BlockStack gap="400">
        <InlineGrid columns={{ xs: 1, md: 3 }} gap="400">
          {(["A", "B", "C"] as const).map((c) => (
            <Card key={c}>
              <BlockStack gap="100">
                <Text as="p" tone="subdued">Class {c}</Text>
                <Text as="p" variant="headingLg">{byClass[c].skus} SKUs · {formatPercent(byClass[c].share, 1)} of revenue</Text>
              </BlockStack>
            </Card>
          ))}
        </InlineGrid>
        <Card padding="0">
          <DataTable
            columnContentTypes={["numeric", "text", "text", "numeric", "numeric", "numeric", "numeric", "numeric", "text"]}
            headings={["#", "SKU", "Class", "Revenue (12 months)", "Share", "Cumulative", "Units/day (90 d)", "Units/day (30 d)", "Pace"]}
            rows={rows.map((r) => [
              String(r.rank), `${r.code} ${r.title}`, r.abcClass, formatMoney(r.revenue365, currency), formatPercent(r.revenueShare, 1), formatPercent(r.cumulativeShare, 1),
              formatNumber(r.rate90, 2), formatNumber(r.rate30, 2), MOVEMENT[r.movement],
            ])}
          />
        </Card>
        <Text as="p" tone="subdued" variant="bodySm">
          Classes as the engine uses them: by revenue over the last 12 months, the top 20% of SKUs are A, the next 30% B, the rest C. Pace compares the last 30 days' rate
          with the last 90 days': more than 25% above is rising, more than 25% below falling.
        </Text>
      </BlockStack>
    </AdminPage>
  );
}

export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
