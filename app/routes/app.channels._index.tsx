import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useRouteError } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, IndexTable, InlineStack, Layout, Text } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { z } from "zod";
import { AdminPage } from "../components/admin-page.tsx";
import { formatCount } from "../components/format.ts";
import { getChannelsOverview, mapChannelListing, requestChannelSync } from "../services/channel-admin.server.ts";
import { requireShopContext } from "../services/shop-context.server.ts";

// Admin → Channels: each channel's connection, last syncs and error, "sync now", the latest pushes, and
// the listings nobody has mapped yet with SKU/barcode suggestions and a "map" action.

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShopContext(request);
  return { timezone: shop.timezone, ...(await getChannelsOverview(shop.id)) };
}

const channelName = z.enum(["SHOPIFY", "AMAZON", "EBAY"]);
const actionForm = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("sync"), channel: channelName }),
  z.object({ intent: z.literal("map"), listingId: z.string().min(1), skuId: z.string().min(1) }),
]);

export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await requireShopContext(request);
  const parsed = actionForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ ok: false as const, message: "That request was not understood." }, { status: 422 });
  if (parsed.data.intent === "sync") {
    await requestChannelSync(shop.id, parsed.data.channel);
    return { ok: true as const, message: `${LABEL[parsed.data.channel]} sync queued.` };
  }
  await mapChannelListing(shop.id, parsed.data.listingId, parsed.data.skuId);
  return { ok: true as const, message: "Listing mapped; its quantity will be pushed." };
}

const LABEL: Record<z.infer<typeof channelName>, string> = { SHOPIFY: "Shopify", AMAZON: "Amazon", EBAY: "eBay" };
const STATUS_TONE = { CONNECTED: "success", ERROR: "critical", DISCONNECTED: undefined } as const;

function when(value: string | Date | null, timeZone: string): string {
  if (!value) return "Never";
  return new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "short", timeZone }).format(new Date(value));
}

export default function Channels() {
  const { channels, unmapped, pushes, timezone } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" ? navigation.formData?.get("channel") ?? navigation.formData?.get("listingId") : null;

  return (
    <AdminPage title="Channels" subtitle="Orders in, quantities out: Shopify, Amazon and eBay" fullWidth>
      <BlockStack gap="400">
        {actionData ? <Banner tone={actionData.ok ? "success" : "critical"} title={actionData.message} /> : null}
        <Layout>
          {channels.map((channel) => (
            <Layout.Section variant="oneThird" key={channel.channel}>
              <Card>
                <BlockStack gap="200">
                  <InlineStack align="space-between" blockAlign="center">
                    <Text as="h2" variant="headingMd">
                      {LABEL[channel.channel]}
                    </Text>
                    <Badge tone={STATUS_TONE[channel.status]}>{channel.status === "CONNECTED" ? "Connected" : channel.status === "ERROR" ? "Error" : "Not connected"}</Badge>
                  </InlineStack>
                  <Text as="p" tone="subdued">
                    Orders synced: {when(channel.lastOrderSyncAt, timezone)}
                    <br />
                    Stock synced: {when(channel.lastStockSyncAt, timezone)}
                    <br />
                    Listings: {formatCount(channel.mapped)} mapped, {formatCount(channel.unmapped)} unmapped
                  </Text>
                  {channel.lastError ? (
                    <Banner tone="critical" title={`Last error ${when(channel.lastErrorAt, timezone)}`}>
                      <p>{channel.lastError}</p>
                    </Banner>
                  ) : null}
                  {channel.status !== "DISCONNECTED" ? (
                    <Form method="post">
                      <input type="hidden" name="intent" value="sync" />
                      <input type="hidden" name="channel" value={channel.channel} />
                      <Button submit loading={busy === channel.channel}>
                        Sync now
                      </Button>
                    </Form>
                  ) : null}
                </BlockStack>
              </Card>
            </Layout.Section>
          ))}
        </Layout>

        <Card padding="0">
          <BlockStack gap="0">
            <div style={{ padding: "var(--p-space-400)" }}>
              <Text as="h2" variant="headingMd">
                Unmapped listings
              </Text>
            </div>
            <IndexTable
              resourceName={{ singular: "listing", plural: "listings" }}
              itemCount={unmapped.length}
              selectable={false}
              emptyState={<Text as="p" tone="subdued" alignment="center">Every listing is mapped to a SKU.</Text>}
              headings={[{ title: "Channel" }, { title: "Listing" }, { title: "Channel SKU" }, { title: "Barcode" }, { title: "Suggestion" }, { title: "" }]}
            >
              {unmapped.map((listing, index) => {
                const suggestion = listing.suggestions[0];
                return (
                  <IndexTable.Row id={listing.id} key={listing.id} position={index}>
                    <IndexTable.Cell>{LABEL[listing.channel]}</IndexTable.Cell>
                    <IndexTable.Cell>{listing.title ?? listing.externalId}</IndexTable.Cell>
                    <IndexTable.Cell>{listing.externalSku ?? "—"}</IndexTable.Cell>
                    <IndexTable.Cell>{listing.barcode ?? "—"}</IndexTable.Cell>
                    <IndexTable.Cell>
                      {suggestion ? `${suggestion.code} (same ${suggestion.matchedBy === "sku" ? "SKU" : "barcode"})` : <Text as="span" tone="subdued">No match</Text>}
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      {suggestion ? (
                        <Form method="post">
                          <input type="hidden" name="intent" value="map" />
                          <input type="hidden" name="listingId" value={listing.id} />
                          <input type="hidden" name="skuId" value={suggestion.skuId} />
                          <Button submit size="slim" loading={busy === listing.id}>
                            Map to {suggestion.code}
                          </Button>
                        </Form>
                      ) : null}
                    </IndexTable.Cell>
                  </IndexTable.Row>
                );
              })}
            </IndexTable>
          </BlockStack>
        </Card>

        <Card padding="0">
          <div style={{ padding: "var(--p-space-400)" }}>
            <Text as="h2" variant="headingMd">
              Latest pushes
            </Text>
          </div>
          <IndexTable
            resourceName={{ singular: "push", plural: "pushes" }}
            itemCount={pushes.length}
            selectable={false}
            emptyState={<Text as="p" tone="subdued" alignment="center">No quantity pushed yet.</Text>}
            headings={[{ title: "When" }, { title: "Channel" }, { title: "Listing" }, { title: "Quantity", alignment: "end" }, { title: "Result" }]}
          >
            {pushes.map((push, index) => (
              <IndexTable.Row id={push.id} key={push.id} position={index}>
                <IndexTable.Cell>{when(push.requestedAt, timezone)}</IndexTable.Cell>
                <IndexTable.Cell>{LABEL[push.channel]}</IndexTable.Cell>
                <IndexTable.Cell>{push.listing.externalSku ?? push.listing.externalId}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {push.previousQuantity ?? "?"} → {push.quantity}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  {push.status === "SUCCEEDED" ? <Badge tone="success">Applied</Badge> : push.status === "PENDING" ? <Badge>Pending</Badge> : <Badge tone="critical">{push.error ?? "Failed"}</Badge>}
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
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
