import { useState } from "react";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRouteError } from "@remix-run/react";
import { Banner, BlockStack, Box, Button, Card, DataTable, InlineStack, Layout, Text, TextField } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { adminRouteError } from "../components/admin-error-boundary.tsx";
import { z } from "zod";
import { AdminPage } from "../components/admin-page.tsx";
import { PoNegotiationThread } from "../components/po-negotiation-thread.tsx";
import { formatCount, formatDateTime, formatDay } from "../components/format.ts";
import { PoStatusBadge, poStatusLabel } from "../components/status-badges.tsx";
import { unitCostDisplay } from "../components/unit-cost.ts";
import { formatCents } from "../domain/shared/money.ts";
import { isAppError } from "../lib/app-error.ts";
import { getProducerQueues } from "../lib/queue.server.ts";
import {
  approvePurchaseOrder,
  cancelPurchaseOrder,
  editPurchaseOrderQuantities,
  getPurchaseOrderDetail,
  QuantityEditError,
  rejectPurchaseOrder,
  resendPurchaseOrder,
  sendPurchaseOrder,
} from "../services/purchase-order-admin.server.ts";
import { getNegotiationView } from "../services/po-negotiation.server.ts";
import { requireShopContext, type ShopContext } from "../services/shop-context.server.ts";

// ─── Loader / action ───

/** Who pressed the button, for the event log. */
function staffName(ctx: ShopContext): string {
  return ctx.demo ? "Demo merchant" : `Staff of ${ctx.shop.name}`;
}

async function orNotFound<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (isAppError(error) && error.kind === "not_found") throw new Response("Purchase order not found", { status: 404 });
    throw error;
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shop } = await requireShopContext(request);
  const po = await orNotFound(getPurchaseOrderDetail(shop.id, params.purchaseOrderId ?? ""));
  // The supplier conversation (offers, comments, shipping updates) once the PO has gone out.
  const negotiation = po.sentAt ? await orNotFound(getNegotiationView(shop.id, po.id)) : null;
  return { po, negotiation };
}

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("approve") }),
  z.object({ intent: z.literal("send") }),
  z.object({ intent: z.literal("resend") }),
  z.object({ intent: z.literal("reject"), reason: z.string().default("") }),
  z.object({ intent: z.literal("cancel"), reason: z.string().default("") }),
  z.object({ intent: z.literal("edit-quantities") }).passthrough(),
]);

type ActionResult = { ok: boolean; message: string; fieldErrors: Record<string, string> };

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireShopContext(request);
  const shopId = ctx.shop.id;
  const id = params.purchaseOrderId ?? "";
  const form = Object.fromEntries(await request.formData()) as Record<string, string>;
  const parsed = actionSchema.safeParse(form);
  if (!parsed.success) return data<ActionResult>({ ok: false, message: "Unknown action: reload the page and try again", fieldErrors: {} }, { status: 400 });
  const staff = staffName(ctx);
  try {
    switch (parsed.data.intent) {
      case "approve": {
        const { dispatched } = await orNotFound(approvePurchaseOrder(shopId, id, staff, { queues: getProducerQueues() }));
        return data<ActionResult>({ ok: true, message: dispatched ? "Approved and on its way to the supplier" : "Approved: press Send to supplier when ready", fieldErrors: {} });
      }
      case "send":
        await orNotFound(sendPurchaseOrder(shopId, id, staff, { queues: getProducerQueues() }));
        return data<ActionResult>({ ok: true, message: "Sending to the supplier", fieldErrors: {} });
      case "resend": {
        const { round } = await orNotFound(resendPurchaseOrder(shopId, id, staff, { queues: getProducerQueues() }));
        return data<ActionResult>({ ok: true, message: `Sending again (delivery ${round})`, fieldErrors: {} });
      }
      case "reject":
        await orNotFound(rejectPurchaseOrder(shopId, id, parsed.data.reason, staff));
        return data<ActionResult>({ ok: true, message: "Rejected", fieldErrors: {} });
      case "cancel":
        await orNotFound(cancelPurchaseOrder(shopId, id, parsed.data.reason, staff));
        return data<ActionResult>({ ok: true, message: "Cancelled", fieldErrors: {} });
      case "edit-quantities": {
        const quantities = Object.fromEntries(Object.entries(form).filter(([k]) => k.startsWith("qty-")).map(([k, v]) => [k.slice(4), v]));
        const { changed } = await orNotFound(editPurchaseOrderQuantities(shopId, id, quantities, staff));
        return data<ActionResult>({ ok: true, message: changed ? `${changed} line${changed === 1 ? "" : "s"} changed` : "Nothing changed", fieldErrors: {} });
      }
    }
  } catch (error) {
    if (error instanceof QuantityEditError) return data<ActionResult>({ ok: false, message: error.message, fieldErrors: error.fieldErrors }, { status: 422 });
    if (isAppError(error) && (error.kind === "conflict" || error.kind === "invalid")) {
      return data<ActionResult>({ ok: false, message: error.message, fieldErrors: {} }, { status: error.kind === "conflict" ? 409 : 422 });
    }
    throw error;
  }
}

// ─── Page ───

const ACTOR_LABEL = { MERCHANT: "Merchant", SUPPLIER: "Supplier", SYSTEM: "System" } as const;

export default function PurchaseOrderPage() {
  const { po, negotiation } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const [editing, setEditing] = useState(false);
  const [quantities, setQuantities] = useState<Record<string, string>>({});
  const [reason, setReason] = useState("");
  const fieldErrors = result?.fieldErrors ?? {};
  const money = (cents: number) => formatCents(cents, po.currency);

  const lineRows = po.lines.map((line) => [
    line.skuCode,
    // DataTable cells do not wrap: the engine's explanation would stretch the table past the card and
    // scroll "Line total" out of view, so this cell wraps within a bounded width.
    <div key={`${line.id}-title`} style={{ whiteSpace: "normal", minWidth: "12rem", maxWidth: "22rem" }}>
      <BlockStack gap="050">
        <Text as="span">{line.variantTitle ? `${line.title} — ${line.variantTitle}` : line.title}</Text>
        {line.explanation ? (
          <Text as="span" tone="subdued" variant="bodySm">
            {line.abcClass ? `Class ${line.abcClass}. ` : ""}
            {line.explanation}
          </Text>
        ) : null}
      </BlockStack>
    </div>,
    line.supplierPartNumber ?? "—",
    editing ? (
      <TextField
        key={`${line.id}-qty`}
        label={`Quantity ${line.skuCode}`}
        labelHidden
        name={`qty-${line.id}`}
        type="number"
        min={0}
        autoComplete="off"
        value={quantities[line.id] ?? String(line.quantityOrdered)}
        onChange={(value) => setQuantities((current) => ({ ...current, [line.id]: value }))}
        error={fieldErrors[line.id]}
      />
    ) : (
      formatCount(line.quantityOrdered)
    ),
    formatCount(line.quantityReceived),
    <UnitCost key={`${line.id}-cost`} unitCost={line.unitCost} currency={po.currency} />,
    money(line.lineTotal),
    formatDay(line.expectedDate ?? po.expectedArrivalDate),
  ]);

  const needsReview = po.can.approve;
  return (
    <AdminPage title={po.number} subtitle={`${po.supplier.name} · ${poStatusLabel(po.status)}`}>
      <BlockStack gap="500">
        <Text as="p">
          <Link to="/app/purchase-orders">← All purchase orders</Link>
        </Text>
        {result ? (
          <Banner tone={result.ok ? "success" : "critical"} title={result.message} />
        ) : null}
        {needsReview ? (
          <Banner tone="warning" title="Waiting for your approval">
            {po.reviewReasons.length > 0 ? (
              <ul>
                {po.reviewReasons.map((r) => (
                  <li key={r}>{r}</li>
                ))}
              </ul>
            ) : (
              <p>Review the lines and approve, edit quantities, or reject.</p>
            )}
          </Banner>
        ) : null}
        {/* Full width: at 1280 px a two-thirds column scrolled the last columns out of view. */}
        <Card>
          <BlockStack gap="300">
            <InlineStack align="space-between" blockAlign="center">
              <InlineStack gap="200" blockAlign="center">
                <Text as="h2" variant="headingMd">
                  Lines
                </Text>
                <PoStatusBadge status={po.status} />
              </InlineStack>
              <InlineStack gap="200">
                <Button onClick={() => download(po.id, "pdf")}>Download PDF</Button>
                <Button onClick={() => download(po.id, "csv")}>Download CSV</Button>
              </InlineStack>
            </InlineStack>
            <Form method="post" id="quantities-form">
              <input type="hidden" name="intent" value="edit-quantities" />
              <DataTable
                columnContentTypes={["text", "text", "text", "numeric", "numeric", "numeric", "numeric", "text"]}
                headings={["SKU", "Product", "Supplier part #", "Ordered", "Received", "Unit cost", "Line total", "Expected"]}
                rows={lineRows}
                totals={["", "", "", "", "", "", money(po.total), ""]}
                totalsName={{ singular: "Total", plural: "Total" }}
                showTotalsInFooter
              />
              {editing ? (
                <Box paddingBlockStart="300">
                  <InlineStack gap="200" align="end">
                    <Button onClick={() => setEditing(false)}>Discard edits</Button>
                    <Button variant="primary" submit loading={busy}>
                      Save quantities
                    </Button>
                  </InlineStack>
                </Box>
              ) : null}
            </Form>
          </BlockStack>
        </Card>
        <Layout>
          <Layout.Section>
            <BlockStack gap="500">
              {negotiation ? <PoNegotiationThread view={negotiation} /> : null}
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    History
                  </Text>
                  {/* A list, not a table: the entries are sentences (the status change is in them) and a
                      narrow column wrapped "When" to four lines and cut "What" off. */}
                  <BlockStack gap="300" as="ul">
                    {po.events.map((e) => (
                      <li key={e.id} style={{ listStyle: "none" }} data-history-entry>
                        <BlockStack gap="050">
                          <Text as="span" tone="subdued" variant="bodySm">
                            <span style={{ whiteSpace: "nowrap" }}>{formatDateTime(e.at, po.timeZone)}</span>
                            {" · "}
                            {e.actorName ? `${ACTOR_LABEL[e.actorType]} (${e.actorName})` : ACTOR_LABEL[e.actorType]}
                          </Text>
                          <Text as="p">{e.message ?? e.type}</Text>
                        </BlockStack>
                      </li>
                    ))}
                  </BlockStack>
                </BlockStack>
              </Card>
            </BlockStack>
          </Layout.Section>
          <Layout.Section variant="oneThird">
            <BlockStack gap="500">
              <Card>
                <BlockStack gap="300">
                  <Text as="h2" variant="headingMd">
                    Actions
                  </Text>
                  {po.can.approve ? (
                    <Form method="post">
                      <input type="hidden" name="intent" value="approve" />
                      <Button variant="primary" submit loading={busy} fullWidth>
                        {po.supplier.autoSend ? "Approve and send" : "Approve"}
                      </Button>
                    </Form>
                  ) : null}
                  {po.can.editQuantities && !editing ? (
                    <Button onClick={() => setEditing(true)} fullWidth>
                      Edit quantities
                    </Button>
                  ) : null}
                  {po.can.send ? (
                    <Form method="post">
                      <input type="hidden" name="intent" value="send" />
                      <Button variant="primary" submit loading={busy} fullWidth>
                        Send to supplier
                      </Button>
                    </Form>
                  ) : null}
                  {po.can.resend ? (
                    <Form method="post">
                      <input type="hidden" name="intent" value="resend" />
                      <Button submit loading={busy} fullWidth>
                        Resend to supplier
                      </Button>
                    </Form>
                  ) : null}
                  {po.can.reject || po.can.cancel ? (
                    <Form method="post">
                      <input type="hidden" name="intent" value={po.can.reject ? "reject" : "cancel"} />
                      <BlockStack gap="200">
                        <TextField
                          label={po.can.reject ? "Reason (required to reject)" : "Reason (optional)"}
                          name="reason"
                          value={reason}
                          onChange={setReason}
                          autoComplete="off"
                          multiline={2}
                        />
                        <Button submit tone="critical" loading={busy} fullWidth>
                          {po.can.reject ? "Reject" : "Cancel purchase order"}
                        </Button>
                      </BlockStack>
                    </Form>
                  ) : null}
                  {!po.can.approve && !po.can.send && !po.can.resend && !po.can.cancel ? (
                    <Text as="p" tone="subdued">
                      Nothing to do here: this purchase order is {poStatusLabel(po.status).toLowerCase()}.
                    </Text>
                  ) : null}
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="200">
                  <Text as="h2" variant="headingMd">
                    Details
                  </Text>
                  <Detail label="Supplier" value={<Link to={`/app/suppliers/${po.supplier.id}`}>{po.supplier.name}</Link>} />
                  <Detail label="Delivery" value={`${po.supplier.poDelivery === "API" ? "API" : po.supplier.poDelivery === "PORTAL" ? "Portal link" : `Email (${po.supplier.documentFormat})`}${po.supplier.autoSend ? ", sent automatically" : ""}`} />
                  <Detail label="Ship to" value={po.shipTo} />
                  <Detail label="Subtotal" value={money(po.subtotal)} />
                  {po.shipping !== 0 ? <Detail label="Shipping" value={money(po.shipping)} /> : null}
                  <Detail label="Total" value={money(po.total)} />
                  <Detail label="Approved" value={po.approvedAt ? `${formatDateTime(po.approvedAt, po.timeZone)} by ${po.approvedBy ?? "—"}` : "Not yet"} />
                  <Detail label="Sent" value={po.sentAt ? formatDateTime(po.sentAt, po.timeZone) : "Not yet"} />
                  <Detail label="Expected ship date" value={formatDay(po.expectedShipDate)} />
                  <Detail label="Expected arrival" value={formatDay(po.expectedArrivalDate)} />
                  {po.shipMethod ? <Detail label="Ship method" value={po.shipMethod} /> : null}
                  {po.trackingNumbers.length > 0 ? <Detail label="Tracking" value={po.trackingNumbers.join(", ")} /> : null}
                  {po.supplierReference ? <Detail label="Supplier reference" value={po.supplierReference} /> : null}
                  {po.flags.length > 0 ? <Detail label="Engine flags" value={po.flags.map((f) => f.replace(/_/g, " ").toLowerCase()).join(", ")} /> : null}
                </BlockStack>
              </Card>
            </BlockStack>
          </Layout.Section>
        </Layout>
      </BlockStack>
    </AdminPage>
  );
}

/**
 * A document request, not a client-side navigation (Remix's Link would fetch it as page data). The
 * page's own query (shop, host and session token when embedded in the Shopify admin) goes along, so the
 * download authenticates the way the page did.
 */
function download(purchaseOrderId: string, format: "pdf" | "csv") {
  const query = new URLSearchParams(window.location.search);
  query.set("format", format);
  window.location.assign(`/app/purchase-orders/${purchaseOrderId}/document?${query.toString()}`);
}

function Detail({ label, value }: { label: string; value: React.ReactNode }) {
  return (
    <InlineStack align="space-between" gap="200" wrap={false}>
      <Text as="span" tone="subdued">
        {label}
      </Text>
      <Text as="span" alignment="end">
        {value}
      </Text>
    </InlineStack>
  );
}

export function ErrorBoundary() {
  return adminRouteError(useRouteError(), {
    title: "Purchase order not found",
    message: "There is no purchase order at this address in this shop. The link may be mistyped or from another shop.",
    back: { content: "Purchase orders", url: "/app/purchase-orders" },
  });
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);

function UnitCost({ unitCost, currency }: { unitCost: string | number; currency: string }) {
  const { shown, exact } = unitCostDisplay(unitCost, currency);
  if (!exact) return <>{shown}</>;
  return (
    <BlockStack gap="050" inlineAlign="end">
      <Text as="span">{shown}</Text>
      <Text as="span" tone="subdued" variant="bodySm">
        exact {exact}
      </Text>
    </BlockStack>
  );
}
