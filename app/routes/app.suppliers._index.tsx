import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useRouteError } from "@remix-run/react";
import { Badge, Card, IndexTable, Text } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import type { PoDelivery } from "@prisma/client";
import { AdminPage } from "../components/admin-page.tsx";
import { formatCount } from "../components/format.ts";
import { ResourceEmptyState } from "../components/resource-empty-state.tsx";
import { RowLinkCell } from "../components/row-link-cell.tsx";
import { listSuppliers } from "../models/supplier.server.ts";
import { requireShopContext } from "../services/shop-context.server.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShopContext(request);
  return { suppliers: await listSuppliers(shop.id) };
}

const DELIVERY_LABEL: Record<PoDelivery, string> = {
  EMAIL: "Email",
  PORTAL: "Portal link",
  API: "API",
};

export default function Suppliers() {
  const { suppliers } = useLoaderData<typeof loader>();
  return (
    <AdminPage title="Suppliers" subtitle={`${formatCount(suppliers.length)} suppliers`} primaryAction={{ content: "Add supplier", url: "/app/suppliers/new" }} fullWidth>
      <Card padding="0">
        {suppliers.length === 0 ? (
          <ResourceEmptyState heading="No suppliers yet" action={{ content: "Add supplier", url: "/app/suppliers/new" }}>
            <p>Suppliers, with their prices and lead times, are what Replenish orders from.</p>
          </ResourceEmptyState>
        ) : (
          <IndexTable
            resourceName={{ singular: "supplier", plural: "suppliers" }}
            itemCount={suppliers.length}
            selectable={false}
            headings={[
              { title: "Name" },
              { title: "Order email" },
              { title: "PO delivery" },
              { title: "Lead time", alignment: "end" },
              { title: "Products", alignment: "end" },
              { title: "Auto-send" },
            ]}
          >
            {suppliers.map((supplier, index) => (
              <IndexTable.Row id={supplier.id} key={supplier.id} position={index}>
                <RowLinkCell url={`/app/suppliers/${supplier.id}`}>{supplier.name}</RowLinkCell>
                <IndexTable.Cell>{supplier.orderEmail ?? <Text as="span" tone="subdued">None</Text>}</IndexTable.Cell>
                <IndexTable.Cell>{DELIVERY_LABEL[supplier.poDelivery]}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {supplier.leadTimeDays} {supplier.leadTimeDays === 1 ? "day" : "days"}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {formatCount(supplier.productCount)}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  {supplier.autoSend ? <Badge tone="success">On</Badge> : <Badge>Off</Badge>}
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        )}
      </Card>
    </AdminPage>
  );
}

export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
