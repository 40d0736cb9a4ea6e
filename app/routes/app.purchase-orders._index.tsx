import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigate, useRouteError } from "@remix-run/react";
import { Card, Tabs } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { z } from "zod";
import { AdminPage } from "../components/admin-page.tsx";
import { PurchaseOrderTable } from "../components/purchase-order-table.tsx";
import { ResourceEmptyState } from "../components/resource-empty-state.tsx";
import { pageQuerySchema } from "../models/pagination.server.ts";
import { listPurchaseOrderPage } from "../models/purchase-order.server.ts";
import { requireShopContext } from "../services/shop-context.server.ts";

// What the tabs filter by: the PO status groups, or everything.
const TABS = [
  { id: "OPEN", content: "Open" },
  { id: "COMPLETE", content: "Complete" },
  { id: "FAILED", content: "Cancelled" },
  { id: "ALL", content: "All" },
] as const;

const searchSchema = pageQuerySchema.extend({
  status: z.enum(["OPEN", "COMPLETE", "FAILED", "ALL"]).catch("OPEN").default("OPEN"),
});

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShopContext(request);
  const search = searchSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const page = await listPurchaseOrderPage(shop.id, search.status === "ALL" ? undefined : search.status, search);
  return { page, status: search.status };
}

const EMPTY_TEXT: Record<(typeof TABS)[number]["id"], { heading: string; body: string }> = {
  OPEN: { heading: "No open purchase orders", body: "Purchase orders appear here once the reorder engine suggests them or you create one." },
  COMPLETE: { heading: "No completed purchase orders", body: "Fully received and closed purchase orders are listed here." },
  FAILED: { heading: "No cancelled purchase orders", body: "Cancelled purchase orders are kept here for the record." },
  ALL: { heading: "No purchase orders yet", body: "Purchase orders appear here once the reorder engine suggests them or you create one." },
};

export default function PurchaseOrders() {
  const { page, status } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const selected = Math.max(
    0,
    TABS.findIndex((tab) => tab.id === status),
  );
  const { items, pageInfo } = page;

  return (
    <AdminPage title="Purchase orders" fullWidth>
      <Card padding="0">
        <Tabs
          tabs={TABS.map((tab) => ({ ...tab, panelID: `purchase-orders-${tab.id}` }))}
          selected={selected}
          onSelect={(index) => navigate(`?status=${TABS[index]?.id ?? "OPEN"}`)}
        />
        {items.length === 0 ? (
          <ResourceEmptyState heading={EMPTY_TEXT[status].heading}>
            <p>{EMPTY_TEXT[status].body}</p>
          </ResourceEmptyState>
        ) : (
          <PurchaseOrderTable
            orders={items}
            numberUrl={(po) => `/app/purchase-orders/${po.id}`}
            pagination={{
              hasNext: pageInfo.hasNextPage,
              hasPrevious: pageInfo.hasPreviousPage,
              onNext: () => pageInfo.endCursor && navigate(`?status=${status}&after=${encodeURIComponent(pageInfo.endCursor)}`),
              onPrevious: () =>
                pageInfo.startCursor && navigate(`?status=${status}&before=${encodeURIComponent(pageInfo.startCursor)}`),
            }}
          />
        )}
      </Card>
    </AdminPage>
  );
}

export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
