import { useEffect, useState } from "react";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useRouteError } from "@remix-run/react";
import { Badge, BlockStack, Button, Card, Checkbox, FormLayout, IndexTable, InlineGrid, InlineStack, Layout, Text, TextField } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AdminPage } from "../components/admin-page.tsx";
import { formatCount, formatDay } from "../components/format.ts";
import { ResourceEmptyState } from "../components/resource-empty-state.tsx";
import { SaveOutcomeBanner } from "../components/save-outcome-banner.tsx";
import { backInStockOverview, updateBackInStockSettings } from "../services/back-in-stock-admin.server.ts";
import { requireShopContext } from "../services/shop-context.server.ts";

// Issue 6 item 6: demand per variant (waiting subscribers: a demand signal for out-of-stock variants),
// what the alerts did (sent, converted = an order with the same email within 7 days, recovered revenue),
// the CSV export and the shop's back-in-stock settings.

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShopContext(request);
  const overview = await backInStockOverview(shop.id);
  return { ...overview, currency: shop.currency };
}

export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await requireShopContext(request);
  const form = Object.fromEntries(await request.formData());
  return updateBackInStockSettings(shop.id, form);
}

function money(amount: string, currency: string): string {
  try {
    return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(Number(amount));
  } catch {
    return `${amount} ${currency}`;
  }
}

export default function BackInStock() {
  const { rows, totals, settings, currency } = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  const navigation = useNavigation();
  const [smsEnabled, setSmsEnabled] = useState(settings.smsEnabled);
  const [doubleOptIn, setDoubleOptIn] = useState(settings.doubleOptIn);
  const [sender, setSender] = useState(settings.sender ?? "");
  const [ratio, setRatio] = useState(settings.notifyRatio === null ? "" : String(settings.notifyRatio));
  const [dirty, setDirty] = useState(false);
  useEffect(() => {
    if (outcome?.ok) setDirty(false);
  }, [outcome]);
  const edit =
    <T,>(set: (v: T) => void) =>
    (value: T) => {
      set(value);
      setDirty(true);
    };
  const errors = outcome && !outcome.ok ? outcome.errors : {};

  return (
    <AdminPage title="Back in stock" fullWidth>
      <Layout>
        <Layout.Section>
          <InlineGrid columns={{ xs: 2, md: 5 }} gap="400">
            {[
              ["Waiting", formatCount(totals.waiting)],
              ["Sent", formatCount(totals.sent)],
              ["Opened", "Not tracked"],
              ["Converted", formatCount(totals.converted)],
              ["Recovered revenue", money(totals.recoveredRevenue, currency)],
            ].map(([label, value]) => (
              <Card key={label}>
                <BlockStack gap="100">
                  <Text as="h2" variant="headingSm">
                    {label}
                  </Text>
                  <Text as="p" variant="headingLg">
                    {value}
                  </Text>
                </BlockStack>
              </Card>
            ))}
          </InlineGrid>
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            <div style={{ padding: "12px 16px" }}>
              <InlineStack align="space-between" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  Demand per variant
                </Text>
                <a href="/app/back-in-stock.csv" download>
                  Export CSV
                </a>
              </InlineStack>
            </div>
            {rows.length === 0 ? (
              <ResourceEmptyState heading="No alerts yet">
                <p>When shoppers ask to be told about a sold-out variant, their demand shows up here. Add the Back in stock block to your product page in the theme editor.</p>
              </ResourceEmptyState>
            ) : (
              <IndexTable
                resourceName={{ singular: "variant", plural: "variants" }}
                itemCount={rows.length}
                selectable={false}
                headings={[
                  { title: "Variant" },
                  { title: "Waiting", alignment: "end" },
                  { title: "Waiting since" },
                  { title: "Sent", alignment: "end" },
                  { title: "Failed", alignment: "end" },
                  { title: "Opened" },
                  { title: "Converted", alignment: "end" },
                  { title: "Recovered revenue", alignment: "end" },
                ]}
              >
                {rows.map((row, index) => (
                  <IndexTable.Row id={row.skuId} key={row.skuId} position={index}>
                    <IndexTable.Cell>
                      <BlockStack gap="050">
                        <Text as="span" fontWeight="semibold">
                          {row.product}
                        </Text>
                        <InlineStack gap="200">
                          <Text as="span" tone="subdued">
                            {row.code}
                          </Text>
                          {row.status !== "ACTIVE" ? <Badge tone="warning">{row.status === "DISCONTINUED" ? "Discontinued" : row.status.toLowerCase()}</Badge> : null}
                          {row.pendingConfirmation > 0 ? <Badge>{`${row.pendingConfirmation} to confirm`}</Badge> : null}
                        </InlineStack>
                      </BlockStack>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {formatCount(row.waiting)}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{row.oldestWaitingAt ? formatDay(row.oldestWaitingAt) : "—"}</IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {formatCount(row.sent)}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric tone={row.failed > 0 ? "critical" : undefined}>
                        {formatCount(row.failed)}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>—</IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {formatCount(row.converted)}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {money(row.recoveredRevenue, currency)}
                      </Text>
                    </IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
            )}
            <div style={{ padding: "8px 16px" }}>
              <Text as="p" tone="subdued" variant="bodySm">
                Opens are not tracked (no tracking pixels in alerts). Converted: an order with the subscriber&apos;s email within 7 days of the alert.
              </Text>
            </div>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <Form method="post">
              <BlockStack gap="400">
                <Text as="h2" variant="headingMd">
                  Settings
                </Text>
                <SaveOutcomeBanner outcome={outcome} dirty={dirty} savedTitle="Back-in-stock settings saved" />
                <FormLayout>
                  <input type="hidden" name="smsEnabled" value={String(smsEnabled)} />
                  <input type="hidden" name="doubleOptIn" value={String(doubleOptIn)} />
                  <Checkbox label="Offer text message alerts" helpText="Shoppers can leave a phone number instead of an email." checked={smsEnabled} onChange={edit(setSmsEnabled)} />
                  <Checkbox label="Double opt-in" helpText="Shoppers confirm by a link before they are on the list (required in some regions)." checked={doubleOptIn} onChange={edit(setDoubleOptIn)} />
                  <TextField
                    label="Sender"
                    name="sender"
                    value={sender}
                    onChange={edit(setSender)}
                    autoComplete="off"
                    placeholder="Harbor & Pine <hello@harborpine.com>"
                    helpText="The From of alert emails. Empty: the app's default sender."
                    error={errors.sender}
                  />
                  <TextField
                    label="Notify ratio"
                    name="notifyRatio"
                    value={ratio}
                    onChange={edit(setRatio)}
                    autoComplete="off"
                    inputMode="decimal"
                    helpText="Tell up to this many subscribers per restocked unit, first come first served. Empty: tell everyone."
                    error={errors.notifyRatio}
                  />
                </FormLayout>
                <InlineStack align="end">
                  <Button submit variant="primary" loading={navigation.state === "submitting"}>
                    Save
                  </Button>
                </InlineStack>
              </BlockStack>
            </Form>
          </Card>
        </Layout.Section>
      </Layout>
    </AdminPage>
  );
}

export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
