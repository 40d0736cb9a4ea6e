import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useRouteError } from "@remix-run/react";
import { Badge, BlockStack, Card, IndexTable, InlineStack, Text } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AdminPage } from "../components/admin-page.tsx";
import { SkuCell } from "../components/sku-cell.tsx";
import { adminRouteError } from "../components/admin-error-boundary.tsx";
import { formatCount, formatDay } from "../components/format.ts";
import { isAppError } from "../lib/app-error.ts";
import { getTransfer } from "../services/transfers.server.ts";
import { requireShopContext } from "../services/shop-context.server.ts";

// One transfer's lines, behind its number on the Transfers list: what an Approve would move, SKU by SKU,
// and for an engine proposal why the engine wants each one moved.

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shop } = await requireShopContext(request);
  try {
    return { transfer: await getTransfer(shop.id, params.transferId ?? "") };
  } catch (error) {
    // Another shop's transfer id is the same 404 as one that does not exist.
    if (isAppError(error) && error.kind === "not_found") throw new Response("Transfer not found", { status: 404 });
    throw error;
  }
}

const STATUS_TONE = { DRAFT: undefined, APPROVED: "info", SHIPPED: "attention", RECEIVED: "success", CANCELLED: "critical" } as const;

export default function TransferDetails() {
  const { transfer: t } = useLoaderData<typeof loader>();
  const dates = [`created ${formatDay(t.createdAt)}`, t.shippedAt ? `shipped ${formatDay(t.shippedAt)}` : null, t.receivedAt ? `received ${formatDay(t.receivedAt)}` : null];
  return (
    <AdminPage title={`Transfer ${t.number}`} subtitle={`${t.fromName} → ${t.toName} · ${t.origin === "ENGINE" ? "proposed by the reorder engine" : "made by hand"}`} backAction={{ content: "Transfers", url: "/app/transfers" }}>
      <BlockStack gap="400">
        <Card>
          <InlineStack gap="300" blockAlign="center">
            <Badge tone={STATUS_TONE[t.status]}>{t.status.charAt(0) + t.status.slice(1).toLowerCase()}</Badge>
            <Text as="span">{`${formatCount(t.units)} units in ${formatCount(t.lineCount)} SKU${t.lineCount === 1 ? "" : "s"}`}</Text>
            <Text as="span" tone="subdued">
              {dates.filter(Boolean).join(" · ")}
            </Text>
            <Link to="/app/transfers">Approve, ship or cancel it on the Transfers list</Link>
          </InlineStack>
        </Card>
        <Card padding="0">
          <IndexTable
            resourceName={{ singular: "line", plural: "lines" }}
            itemCount={t.lines.length}
            selectable={false}
            headings={[{ title: "SKU" }, { title: "Quantity", alignment: "end" }, { title: "Received", alignment: "end" }, { title: "Why" }]}
          >
            {t.lines.map((line, index) => (
              <IndexTable.Row id={line.skuId} key={line.skuId} position={index}>
                <IndexTable.Cell>
                  <SkuCell skuId={line.skuId} code={line.skuCode} title={line.title} />
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {formatCount(line.quantity)}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {formatCount(line.quantityReceived)}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  {/* The engine's paragraph is long: wrapped in the cell rather than stretching the table. */}
                  <div style={{ whiteSpace: "normal", maxWidth: "48rem" }}>
                    <Text as="p" tone={line.reason ? undefined : "subdued"}>
                      {line.reason ?? "—"}
                    </Text>
                  </div>
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        </Card>
      </BlockStack>
    </AdminPage>
  );
}

export function ErrorBoundary() {
  return adminRouteError(useRouteError(), {
    title: "Transfer not found",
    message: "There is no transfer at this address in this shop.",
    back: { content: "Transfers", url: "/app/transfers" },
  });
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
