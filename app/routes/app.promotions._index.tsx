import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useRouteError } from "@remix-run/react";
import { Badge, BlockStack, Card, IndexTable, Text } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AdminPage } from "../components/admin-page.tsx";
import { formatCount, formatDay, formatMonth, formatUplift } from "../components/format.ts";
import { PromotionCalendar } from "../components/promotion-calendar.tsx";
import { ResourceEmptyState } from "../components/resource-empty-state.tsx";
import { RowLinkCell } from "../components/row-link-cell.tsx";
import { listPromotions, type PromotionSummary } from "../models/promotion.server.ts";
import { requireShopContext } from "../services/shop-context.server.ts";

export type PromotionStatus = "active" | "upcoming" | "past";

/** Today in the shop's own time zone: a promotion ends at the shop's midnight, not UTC's. */
function shopToday(timeZone: string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
}

function statusOf(p: Pick<PromotionSummary, "startsOn" | "endsOn">, today: string): PromotionStatus {
  if (p.endsOn < today) return "past";
  if (p.startsOn > today) return "upcoming";
  return "active";
}

const ORDER: Record<PromotionStatus, number> = { active: 0, upcoming: 1, past: 2 };

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShopContext(request);
  const today = shopToday(shop.timezone);
  // The calendar's month from ?month=YYYY-MM; anything else (or none) shows the shop's current month.
  const asked = new URL(request.url).searchParams.get("month") ?? "";
  const month = formatMonth(asked) ? asked : today.slice(0, 7);
  const promotions = (await listPromotions(shop.id))
    .map((p) => ({ ...p, status: statusOf(p, today) }))
    // Running now first, then what comes next (soonest first), then history (latest first).
    .sort((a, b) =>
      ORDER[a.status] - ORDER[b.status] ||
      (a.status === "upcoming" ? a.startsOn.localeCompare(b.startsOn) : b.startsOn.localeCompare(a.startsOn)) ||
      a.name.localeCompare(b.name),
    );
  return { promotions, today, month };
}

const STATUS_BADGE: Record<PromotionStatus, { label: string; tone?: "success" | "info" }> = {
  active: { label: "Active", tone: "success" },
  upcoming: { label: "Upcoming", tone: "info" },
  past: { label: "Past" },
};

function productsLabel(p: PromotionSummary): string {
  if (p.scope === "all") return "All products";
  if (p.scope === "productType") return `${p.productType} (${formatCount(p.skuCount)} SKUs)`;
  if (p.scope === "collection") return `Collection ${p.collection} (${formatCount(p.skuCount)} SKUs)`;
  return `${formatCount(p.skuCount)} ${p.skuCount === 1 ? "SKU" : "SKUs"}`;
}

export default function Promotions() {
  const { promotions, today, month } = useLoaderData<typeof loader>();
  const counts = { active: 0, upcoming: 0, past: 0 };
  for (const p of promotions) counts[p.status]++;
  return (
    <AdminPage
      title="Promotions"
      subtitle={`${formatCount(counts.active)} active, ${formatCount(counts.upcoming)} upcoming, ${formatCount(counts.past)} past`}
      primaryAction={{ content: "Create promotion", url: "/app/promotions/new" }}
      fullWidth
    >
      <BlockStack gap="400">
        {promotions.length > 0 ? <PromotionCalendar month={month} promotions={promotions} today={today} /> : null}
        <Card padding="0">
          {promotions.length === 0 ? (
            <ResourceEmptyState heading="Plan for sales and events" action={{ content: "Create promotion", url: "/app/promotions/new" }}>
              <p>Tell Replenish when a sale, a launch or a holiday will lift demand, and by how much. The forecast buys ahead for it.</p>
            </ResourceEmptyState>
          ) : (
            <IndexTable
              resourceName={{ singular: "promotion", plural: "promotions" }}
              itemCount={promotions.length}
              selectable={false}
              headings={[{ title: "Name" }, { title: "Status" }, { title: "Dates" }, { title: "Products" }, { title: "Expected uplift", alignment: "end" }]}
            >
              {promotions.map((p, index) => (
                <IndexTable.Row id={p.id} key={p.id} position={index}>
                  <RowLinkCell url={`/app/promotions/${p.id}`}>{p.name}</RowLinkCell>
                  <IndexTable.Cell>
                    <Badge tone={STATUS_BADGE[p.status].tone}>{STATUS_BADGE[p.status].label}</Badge>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    {formatDay(p.startsOn)} – {formatDay(p.endsOn)}
                  </IndexTable.Cell>
                  <IndexTable.Cell>{productsLabel(p)}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {formatUplift(p.upliftPct)}
                    </Text>
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
          )}
        </Card>
      </BlockStack>
    </AdminPage>
  );
}

export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
