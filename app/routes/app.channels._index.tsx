import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useRouteError } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, Collapsible, FormLayout, IndexTable, InlineStack, Layout, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { z } from "zod";
import { AdminPage } from "../components/admin-page.tsx";
import { isAppError } from "../lib/app-error.ts";
import { formatCount } from "../components/format.ts";
import { NotConnectedYetBadge } from "../components/status-badges.tsx";
import { connectMarketplace, getChannelsOverview, ignoreChannelListing, mapChannelListing, mapChannelListingByCode, requestChannelSync } from "../services/channel-admin.server.ts";
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
  z.object({ intent: z.literal("connect"), channel: z.enum(["AMAZON", "EBAY"]) }).passthrough(),
  z.object({ intent: z.literal("map"), listingId: z.string().min(1), skuId: z.string().min(1) }),
  z.object({ intent: z.literal("map-code"), listingId: z.string().min(1), code: z.string().max(200) }),
  z.object({ intent: z.literal("ignore"), listingId: z.string().min(1) }),
]);

type ActionResult = { ok: boolean; message: string; fieldErrors?: Record<string, string>; channel?: string };

export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await requireShopContext(request);
  const parsed = actionForm.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data<ActionResult>({ ok: false, message: "That request was not understood." }, { status: 422 });
  if (parsed.data.intent === "connect") {
    const { intent: _intent, channel, ...fields } = parsed.data;
    const result = await connectMarketplace(shop.id, channel, fields);
    if (!result.ok) return data<ActionResult>({ ok: false, message: `Check the ${LABEL[channel]} details.`, fieldErrors: result.fieldErrors, channel }, { status: 422 });
    return data<ActionResult>({ ok: true, message: `${LABEL[channel]} connected; a first sync is queued.` });
  }
  if (parsed.data.intent === "sync") {
    await requestChannelSync(shop.id, parsed.data.channel);
    return data<ActionResult>({ ok: true, message: `${LABEL[parsed.data.channel]} sync queued.` });
  }
  try {
    if (parsed.data.intent === "ignore") {
      await ignoreChannelListing(shop.id, parsed.data.listingId);
      return data<ActionResult>({ ok: true, message: "Listing ignored: it is left out of mapping and stock pushes." });
    }
    if (parsed.data.intent === "map-code") {
      const result = await mapChannelListingByCode(shop.id, parsed.data.listingId, parsed.data.code);
      if (!result.ok) return data<ActionResult>({ ok: false, message: result.message, fieldErrors: { [`code-${parsed.data.listingId}`]: result.message } }, { status: 422 });
      return data<ActionResult>({ ok: true, message: `Listing mapped to ${result.code}; its quantity will be pushed.` });
    }
    await mapChannelListing(shop.id, parsed.data.listingId, parsed.data.skuId);
  } catch (error) {
    if (isAppError(error) && error.kind === "not_found") return data<ActionResult>({ ok: false, message: `${error.message}: refresh the page.` }, { status: 404 });
    throw error;
  }
  return data<ActionResult>({ ok: true, message: "Listing mapped; its quantity will be pushed." });
}

const LABEL: Record<z.infer<typeof channelName>, string> = { SHOPIFY: "Shopify", AMAZON: "Amazon", EBAY: "eBay" };
const MATCHED_BY = { sku: "same SKU", barcode: "same barcode", "code-in-sku": "code in the channel SKU" } as const;

function PushOutcome({ badge, detail }: { badge: React.ReactNode; detail: string | null }) {
  return (
    <BlockStack gap="050" inlineAlign="start">
      {badge}
      {detail ? (
        <div style={{ whiteSpace: "normal", maxWidth: "32rem" }}>
          <Text as="span" variant="bodySm" tone="subdued">
            {detail}
          </Text>
        </div>
      ) : null}
    </BlockStack>
  );
}

/** No suggestion fits: the merchant types the SKU code the listing sells. */
function MapByCode({ listingId, error, busy }: { listingId: string; error: string | undefined; busy: boolean }) {
  const [code, setCode] = useState("");
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="map-code" />
      <input type="hidden" name="listingId" value={listingId} />
      <InlineStack gap="100" blockAlign="start" wrap={false}>
        <div style={{ width: "9rem" }}>
          <TextField label="SKU code" labelHidden name="code" value={code} onChange={setCode} autoComplete="off" placeholder="SKU code" error={error} size="slim" />
        </div>
        <Button submit size="slim" loading={busy} disabled={code.trim() === ""}>
          Map
        </Button>
      </InlineStack>
    </Form>
  );
}
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
                    {channel.awaitingInstall ? <NotConnectedYetBadge /> : <Badge tone={STATUS_TONE[channel.status]}>{channel.status === "CONNECTED" ? "Connected" : channel.status === "ERROR" ? "Error" : "Not connected"}</Badge>}
                  </InlineStack>
                  <Text as="p" tone="subdued">
                    {channel.awaitingInstall ? (
                      <>
                        Waiting for the app install to finish in Shopify; syncing starts then.
                        <br />
                      </>
                    ) : null}
                    Orders in (pull or webhook): {when(channel.lastOrderSyncAt, timezone)}
                    <br />
                    Stock synced (read or pushed): {when(channel.lastStockSyncAt, timezone)}
                    <br />
                    Listings: {formatCount(channel.mapped)} mapped, {formatCount(channel.unmapped)} unmapped
                  </Text>
                  {channel.lastError ? (
                    <Banner tone="critical" title={`Last error ${when(channel.lastErrorAt, timezone)}`}>
                      <p>{channel.lastError}</p>
                    </Banner>
                  ) : null}
                  {channel.channel !== "SHOPIFY" ? <ConnectForm channel={channel.channel} connected={channel.status !== "DISCONNECTED"} errors={actionData?.channel === channel.channel ? (actionData.fieldErrors ?? {}) : {}} /> : null}
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
                      {suggestion ? `${suggestion.code} (${MATCHED_BY[suggestion.matchedBy]})` : <Text as="span" tone="subdued">No match</Text>}
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <InlineStack gap="200" blockAlign="center" wrap={false}>
                        {suggestion ? (
                          <Form method="post">
                            <input type="hidden" name="intent" value="map" />
                            <input type="hidden" name="listingId" value={listing.id} />
                            <input type="hidden" name="skuId" value={suggestion.skuId} />
                            <Button submit size="slim" loading={busy === listing.id}>
                              {`Map to ${suggestion.code}`}
                            </Button>
                          </Form>
                        ) : (
                          <MapByCode listingId={listing.id} error={actionData?.fieldErrors?.[`code-${listing.id}`]} busy={busy === listing.id} />
                        )}
                        <Form method="post">
                          <input type="hidden" name="intent" value="ignore" />
                          <input type="hidden" name="listingId" value={listing.id} />
                          <Button submit size="slim" variant="plain" accessibilityLabel={`Ignore ${listing.title ?? listing.externalId}`}>
                            Ignore
                          </Button>
                        </Form>
                      </InlineStack>
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
                  {push.status === "SUCCEEDED" ? (
                    <Badge tone="success">Applied</Badge>
                  ) : push.status === "PENDING" ? (
                    <Badge>Pending</Badge>
                  ) : push.status === "SUPERSEDED" ? (
                    // The channel had changed under the push: nothing was overwritten, it was re-read. The
                    // reason is a sentence: under a short badge it wraps, inside one it widened the table past the card.
                    <PushOutcome badge={<Badge tone="info">Re-read</Badge>} detail={push.error ?? "changed on the channel"} />
                  ) : (
                    <PushOutcome badge={<Badge tone="critical">Failed</Badge>} detail={push.error} />
                  )}
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        </Card>
      </BlockStack>
    </AdminPage>
  );
}

const CONNECT_FIELDS: Record<"AMAZON" | "EBAY", Array<{ name: string; label: string; secret?: boolean; initial?: string }>> = {
  AMAZON: [
    { name: "sellerId", label: "Seller ID" },
    { name: "marketplaceId", label: "Marketplace ID", initial: "ATVPDKIKX0DER" },
    { name: "region", label: "Region (na, eu, fe)", initial: "na" },
    { name: "clientId", label: "LWA client ID" },
    { name: "clientSecret", label: "LWA client secret", secret: true },
    { name: "refreshToken", label: "Refresh token", secret: true },
  ],
  EBAY: [
    { name: "marketplaceId", label: "Marketplace", initial: "EBAY_US" },
    { name: "appId", label: "App ID (client ID)" },
    { name: "certId", label: "Cert ID (client secret)", secret: true },
    { name: "accessToken", label: "User access token", secret: true },
    { name: "refreshToken", label: "User refresh token", secret: true },
  ],
};

/** Credentials go to the server once and are stored encrypted; the form never shows stored values. */
function ConnectForm({ channel, connected, errors }: { channel: "AMAZON" | "EBAY"; connected: boolean; errors: Record<string, string> }) {
  const [open, setOpen] = useState(Object.keys(errors).length > 0);
  const [values, setValues] = useState<Record<string, string>>(Object.fromEntries(CONNECT_FIELDS[channel].map((f) => [f.name, f.initial ?? ""])));
  return (
    <BlockStack gap="200">
      <Button variant="plain" onClick={() => setOpen(!open)} ariaExpanded={open}>
        {connected ? "Replace credentials" : `Connect ${LABEL[channel]}`}
      </Button>
      <Collapsible open={open} id={`connect-${channel}`}>
        <Form method="post">
          <input type="hidden" name="intent" value="connect" />
          <input type="hidden" name="channel" value={channel} />
          <FormLayout>
            {CONNECT_FIELDS[channel].map((field) => (
              <TextField
                key={field.name}
                label={field.label}
                name={field.name}
                type={field.secret ? "password" : "text"}
                autoComplete="off"
                value={values[field.name] ?? ""}
                onChange={(value) => setValues({ ...values, [field.name]: value })}
                error={errors[field.name]}
              />
            ))}
            <Button submit variant="primary">
              Save and connect
            </Button>
          </FormLayout>
        </Form>
      </Collapsible>
    </BlockStack>
  );
}

export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
