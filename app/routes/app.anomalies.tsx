import type { ReviewKind } from "@prisma/client";
import { data, type ActionFunctionArgs, type HeadersFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useRouteError } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, InlineStack, Layout, Link, Text } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { useState } from "react";
import { z } from "zod";
import { AdminPage } from "../components/admin-page.tsx";
import { formatCount, formatDateTime } from "../components/format.ts";
import { REVIEW_KIND_LABELS, REVIEW_KINDS } from "../components/review-kinds.ts";
import { isAppError } from "../lib/app-error.ts";
import { listAnomalies, refreshOversight, settleAnomaly, type AnomalyView } from "../services/anomalies.server.ts";
import { requireShopContext } from "../services/shop-context.server.ts";

const kindSchema = z.enum(REVIEW_KINDS as [ReviewKind, ...ReviewKind[]]);

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShopContext(request);
  const kind = kindSchema.safeParse(new URL(request.url).searchParams.get("kind") ?? undefined);
  return { items: await listAnomalies(shop.id, kind.success ? kind.data : undefined), kind: kind.success ? kind.data : null, timezone: shop.timezone };
}

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("scan") }),
  z.object({ intent: z.enum(["dismiss", "resolve", "confirm-supplier-data", "ignore-listing"]), itemId: z.string().min(1).max(64) }),
]);

export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await requireShopContext(request);
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ ok: false as const, message: "That action is not one this queue knows." }, { status: 422 });
  const now = new Date();
  if (parsed.data.intent === "scan") {
    await refreshOversight(shop.id, now);
    return { ok: true as const, message: "Checked just now." };
  }
  try {
    await settleAnomaly(shop.id, { itemId: parsed.data.itemId, intent: parsed.data.intent, actor: "merchant", now });
    return { ok: true as const, message: "Done: the item left the queue." };
  } catch (error) {
    if (isAppError(error) && (error.kind === "not_found" || error.kind === "invalid")) return data({ ok: false as const, message: error.message }, { status: error.kind === "not_found" ? 404 : 422 });
    throw error;
  }
}

const EXPLANATIONS_SHOWN = 3;

/** The badge's words: "product not active" said of a seasonal product read as a contradiction of its message. */
function flagLabel(flag: { code: string; message?: string }): string {
  const status = flag.code === "product_not_active" ? /^the product is (.+)$/.exec(flag.message ?? "")?.[1] : undefined;
  return status ? `product ${status}` : flag.code.replace(/_/g, " ");
}

/**
 * The engine's paragraphs behind a toggle: a queue of flagged POs, each with a few full paragraphs open,
 * was a page tens of screens long where the flags could not be scanned. The first few lines explain a
 * PO (flagged lines first); the PO page has them all.
 */
function EngineReasoning({ explanations }: { explanations: readonly string[] }) {
  const [open, setOpen] = useState(false);
  const shown = explanations.slice(0, EXPLANATIONS_SHOWN);
  return (
    <BlockStack gap="100">
      <InlineStack align="start">
        <Button variant="plain" onClick={() => setOpen((o) => !o)} ariaExpanded={open} disclosure={open ? "up" : "down"}>
          {open ? "Hide the engine's reasoning" : `Show the engine's reasoning (${formatCount(shown.length)} of ${formatCount(explanations.length)} line${explanations.length === 1 ? "" : "s"})`}
        </Button>
      </InlineStack>
      {open ? (
        <BlockStack gap="100">
          {shown.map((text, i) => (
            <Text key={i} as="p" variant="bodySm">
              {text}
            </Text>
          ))}
          {explanations.length > EXPLANATIONS_SHOWN ? (
            <Text as="p" variant="bodySm" tone="subdued">
              and {formatCount(explanations.length - EXPLANATIONS_SHOWN)} more lines on the purchase order
            </Text>
          ) : null}
        </BlockStack>
      ) : null}
    </BlockStack>
  );
}

function Item({ item, timezone, busy }: { item: AnomalyView; timezone: string; busy: boolean }) {
  return (
    <Box paddingBlock="300" borderBlockStartWidth="025" borderColor="border-secondary">
      <BlockStack gap="200">
        <InlineStack align="space-between" blockAlign="start" gap="400" wrap={false}>
          <BlockStack gap="100">
            <Text as="p" fontWeight="semibold">
              {item.subject}
            </Text>
            <Text as="p">{item.reason}</Text>
            {item.flags.length > 0 ? (
              // align="start" explicitly: without it the outer stack's space-between (a CSS custom property) is
              // inherited and the badges spread across the whole width.
              <InlineStack gap="100" align="start">
                {item.flags.map((f) => (
                  <Badge key={f.code} tone="attention">
                    {flagLabel(f)}
                  </Badge>
                ))}
              </InlineStack>
            ) : null}
            {item.explanations.length > 0 ? <EngineReasoning explanations={item.explanations} /> : null}
            <Text as="p" variant="bodySm" tone="subdued">
              Since {formatDateTime(item.createdAt, timezone)}
            </Text>
          </BlockStack>
          {/* Never squeezed by a long reason: "Review PO-2026-0348" broke over four lines. */}
          <div style={{ flexShrink: 0 }}>
            <InlineStack gap="200" blockAlign="center" wrap={false}>
              {item.link ? <Button url={item.link.url}>{item.link.label}</Button> : null}
              {item.button ? (
                <Form method="post">
                  <input type="hidden" name="intent" value={item.button.intent} />
                  <input type="hidden" name="itemId" value={item.id} />
                  <Button submit disabled={busy}>
                    {item.button.label}
                  </Button>
                </Form>
              ) : null}
            </InlineStack>
          </div>
        </InlineStack>
      </BlockStack>
    </Box>
  );
}

export default function Anomalies() {
  const { items, kind, timezone } = useLoaderData<typeof loader>();
  const outcome = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const kinds = REVIEW_KINDS.filter((k) => items.some((i) => i.kind === k));

  return (
    <AdminPage title="Anomalies" subtitle="Everything that needs a person, in one place. An item leaves the queue once its cause is dealt with.">
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <InlineStack align="space-between" blockAlign="center">
              <Text as="p" tone="subdued">
                {kind ? (
                  <>
                    Showing {REVIEW_KIND_LABELS[kind].toLowerCase()} only. <Link url="/app/anomalies">Show everything</Link>
                  </>
                ) : (
                  `${formatCount(items.length)} open`
                )}
              </Text>
              <Form method="post">
                <input type="hidden" name="intent" value="scan" />
                <Button submit loading={busy && navigation.formData?.get("intent") === "scan"}>
                  Check now
                </Button>
              </Form>
            </InlineStack>
            {outcome ? <Banner tone={outcome.ok ? "success" : "warning"}>{outcome.message}</Banner> : null}
            {items.length === 0 ? (
              <Card>
                <BlockStack gap="200" inlineAlign="center">
                  <Text as="h2" variant="headingMd">
                    {kind ? "Nothing of this kind is open" : "All clear: the system is healthy"}
                  </Text>
                  <Text as="p" tone="subdued">
                    No flagged orders, silent suppliers, late shipments, discrepancies, channel errors, unmapped listings, demand surprises or stale supplier data.
                  </Text>
                </BlockStack>
              </Card>
            ) : (
              kinds.map((k) => {
                const mine = items.filter((i) => i.kind === k);
                return (
                  <Card key={k}>
                    <BlockStack gap="100">
                      <InlineStack gap="200" blockAlign="center">
                        <Text as="h2" variant="headingMd">
                          {REVIEW_KIND_LABELS[k]}
                        </Text>
                        <Badge>{formatCount(mine.length)}</Badge>
                      </InlineStack>
                      {mine.map((item) => (
                        <Item key={item.id} item={item} timezone={timezone} busy={busy} />
                      ))}
                    </BlockStack>
                  </Card>
                );
              })
            )}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </AdminPage>
  );
}

export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
