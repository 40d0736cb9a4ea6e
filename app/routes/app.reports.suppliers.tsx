import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useRouteError } from "@remix-run/react";
import { BlockStack, Card, DataTable, Text } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AdminPage } from "../components/admin-page.tsx";
import { formatMoney, formatNumber, formatPercent } from "../components/report-format.ts";
import { formatDay } from "../components/format.ts";
import { fromDayNumber } from "../domain/shared/day.ts";
import { scorecard } from "../domain/reports/supplier-scorecard.ts";
import { loadScorecardInputs } from "../models/report-data.server.ts";
import { requireShopContext } from "../services/shop-context.server.ts";
import { shopLocalToday } from "../services/trust-report.server.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShopContext(request);
  const cards = (await loadScorecardInputs(shop.id, shopLocalToday(new Date(), shop.timezone))).map(scorecard);
  return { cards, currency: shop.currency };
}

export default function SupplierScorecards() {
  const { cards, currency } = useLoaderData<typeof loader>();
  const pct = (x: number | null) => (x === null ? "—" : formatPercent(x, 1));
  const days = (x: number | null) => (x === null ? "—" : `${formatNumber(x, 1)} d`);
  const changes = cards.flatMap((c) => c.priceChanges.map((p) => ({ ...p, supplier: c.name })));
  return (
    <AdminPage title="Supplier scorecards" fullWidth>
      <BlockStack gap="400">
        <Card padding="0">
          <DataTable
            columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric", "numeric"]}
            headings={["Supplier", "POs received", "On time", "Quoted", "Average lead time", "85th percentile", "Fill rate", "Defect rate", "Price change"]}
            rows={cards.map((c) => [
              c.name, String(c.receivedPurchaseOrders), pct(c.onTimeRate), `${c.quotedDays} d`, days(c.averageLeadTime), days(c.p85LeadTime), pct(c.fillRate), pct(c.defectRate),
              c.averagePriceChange === null ? "—" : `${c.averagePriceChange >= 0 ? "+" : ""}${formatPercent(c.averagePriceChange, 1)}`,
            ])}
          />
        </Card>
        <Card>
          <BlockStack gap="200">
            <Text as="h2" variant="headingMd">Price changes</Text>
            {changes.length === 0 ? (
              <Text as="p">No supplier changed a unit price on its purchase orders in the last 12 months.</Text>
            ) : (
              <DataTable
                columnContentTypes={["text", "text", "text", "numeric", "numeric", "numeric"]}
                headings={["Date", "Supplier", "SKU", "From", "To", "Change"]}
                rows={changes.slice(0, 200).map((p) => [formatDay(fromDayNumber(p.day)), p.supplier, p.skuCode, formatMoney(p.from, currency), formatMoney(p.to, currency), formatPercent(p.change, 1)])}
              />
            )}
          </BlockStack>
        </Card>
        <Text as="p" tone="subdued" variant="bodySm">
          From purchase orders sent in the last 12 months. On time = received by the expected arrival date. Lead time = sent to fully received. Fill rate = good units received
          over units ordered; defect rate = damaged over delivered units. Price change = average change of each SKU's unit cost from its first to its latest PO.
        </Text>
      </BlockStack>
    </AdminPage>
  );
}

export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
