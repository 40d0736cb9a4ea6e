import { redirect, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData, useNavigation, useRouteError } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { z } from "zod";
import { AdminPage } from "../components/admin-page.tsx";
import { formatMoney, formatNumber } from "../components/report-format.ts";
import { formatDateTime } from "../components/format.ts";
import { auditSample, newAuditSeed } from "../services/audit-sample.server.ts";
import { requireShopContext } from "../services/shop-context.server.ts";

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShopContext(request);
  const parsed = z.object({ seed: z.coerce.number().int().min(0).max(2 ** 31) }).safeParse(Object.fromEntries(new URL(request.url).searchParams));
  if (!parsed.success) return { sample: null, timezone: shop.timezone };
  return { sample: await auditSample(shop.id, parsed.data.seed, new Date()), timezone: shop.timezone };
}

/** One click: a fresh random seed, kept in the URL so the same sample can be reopened or shared. */
export async function action({ request }: ActionFunctionArgs) {
  await requireShopContext(request);
  return redirect(`/app/reports/audit?seed=${newAuditSeed()}`);
}

export default function AuditSample() {
  const { sample, timezone } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  return (
    <AdminPage title="Audit sample" fullWidth>
      <BlockStack gap="400">
        <Card>
          <BlockStack gap="200">
            <Text as="p">
              Twice a year, check that the math still holds: draw 20 purchase orders the engine made in the last 180 days at random and read each line's explanation
              — the forecast, safety stock, reorder point and target it used.
            </Text>
            <InlineStack>
              <Form method="post">
                <Button submit variant="primary" loading={navigation.state !== "idle"}>
                  {sample ? "Draw another sample" : "Draw a sample of 20"}
                </Button>
              </Form>
            </InlineStack>
            {sample ? (
              <Text as="p" tone="subdued">
                Sample {sample.seed}: {sample.purchaseOrders.length} of {sample.population} {sample.engineMade ? "POs made by reorder runs" : "POs (no reorder run has made a PO yet)"} in the last 180 days.
              </Text>
            ) : null}
          </BlockStack>
        </Card>
        {sample?.purchaseOrders.map((po) => (
          <Card key={po.id}>
            <BlockStack gap="200">
              <InlineStack gap="200" blockAlign="center">
                <Text as="h2" variant="headingMd">{po.number}</Text>
                <Badge>{po.status}</Badge>
                {po.flags.map((f) => <Badge key={f} tone="attention">{f}</Badge>)}
              </InlineStack>
              <Text as="p" tone="subdued">
                {po.supplier} → {po.location} · {formatMoney(po.total, po.currency)} · created {formatDateTime(po.createdAt, timezone)}
              </Text>
              {po.lines.map((l) => (
                <BlockStack key={l.skuCode} gap="100">
                  <Text as="p" fontWeight="semibold">
                    {l.skuCode} {l.skuTitle}: {l.quantity} × {formatMoney(l.unitCost, po.currency)}
                  </Text>
                  {l.explanation ? (
                    <>
                      <Text as="p" variant="bodySm">
                        Class {l.explanation.abcClass ?? "—"} · forecast {formatNumber(l.explanation.dailyForecast, 2)}/day · safety stock {formatNumber(l.explanation.safetyStock, 1)} · reorder point{" "}
                        {formatNumber(l.explanation.reorderPoint, 1)} · target {formatNumber(l.explanation.targetStock, 1)} · stock position {l.explanation.stockPosition}
                        {l.explanation.flags.length > 0 ? ` · flags: ${l.explanation.flags.join(", ")}` : ""}
                      </Text>
                      <div style={{ whiteSpace: "pre-wrap" }}>
                        <Text as="p" variant="bodySm">{l.explanation.text}</Text>
                      </div>
                    </>
                  ) : (
                    <Text as="p" variant="bodySm" tone="subdued">No engine explanation: this line was not planned by a reorder run.</Text>
                  )}
                </BlockStack>
              ))}
            </BlockStack>
          </Card>
        ))}
      </BlockStack>
    </AdminPage>
  );
}

export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
