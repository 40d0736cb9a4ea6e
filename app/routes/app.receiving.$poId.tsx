import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useRouteError } from "@remix-run/react";
import { Button, InlineStack, Text, TextField } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { adminRouteError } from "../components/admin-error-boundary.tsx";
import { useState } from "react";
import { formatDay } from "../components/format.ts";
import { ReceivingPage } from "../components/receiving-page.tsx";
import { PoStatusBadge } from "../components/status-badges.tsx";
import { isAppError } from "../lib/app-error.ts";
import { newReceiptKey, runReceivingAction } from "../services/receiving-actions.server.ts";
import { loadReceivingScreen } from "../services/receiving-screen.server.ts";
import { requireShopContext } from "../services/shop-context.server.ts";

// The receiving screen for one purchase order: scan items (or type quantities), mark damaged or wrong
// items, confirm; past receipts with their discrepancies and an un-receive each.

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shop } = await requireShopContext(request);
  try {
    const screen = await loadReceivingScreen(shop.id, params.poId ?? "");
    // A fresh key per page view: a double-submitted confirm carries the same one and is booked once.
    return { screen, receiptKey: newReceiptKey() };
  } catch (error) {
    if (isAppError(error) && error.kind === "not_found") throw new Response("Purchase order not found", { status: 404 });
    throw error;
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { shop } = await requireShopContext(request);
  const result = await runReceivingAction(shop.id, { purchaseOrderId: params.poId ?? "" }, await request.formData());
  return result.ok ? result : data(result, { status: 422 });
}

export default function ReceivePurchaseOrder() {
  const { screen, receiptKey } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [other, setOther] = useState("");
  return (
    <ReceivingPage
      screen={screen}
      receiptKey={receiptKey}
      actionData={actionData}
      header={
        <InlineStack align="space-between" blockAlign="center" gap="400">
          <InlineStack gap="200" blockAlign="center">
            <PoStatusBadge status={screen.status as Parameters<typeof PoStatusBadge>[0]["status"]} />
            <Text as="span" tone="subdued">
              expected {formatDay(screen.expectedArrivalDate)}
              {screen.observedLeadTimeDays !== null ? ` · lead time ${screen.observedLeadTimeDays} days (placed → received)` : ""}
            </Text>
          </InlineStack>
          <InlineStack gap="200" blockAlign="center">
            <Button url={`/app/write-offs?po=${encodeURIComponent(screen.number)}`}>Write off units</Button>
            {/* Another packing slip: scanning its PO barcode here finds that PO. */}
            <Form method="get" action="/app/receiving">
              <TextField label="Scan PO barcode" labelHidden placeholder="Scan another PO" name="po" value={other} onChange={setOther} autoComplete="off" />
            </Form>
          </InlineStack>
        </InlineStack>
      }
    />
  );
}

export function ErrorBoundary() {
  return adminRouteError(useRouteError(), {
    title: "Delivery not found",
    message: "There is no purchase order to receive at this address in this shop. Scan or search for it on the receiving page.",
    back: { content: "Receiving", url: "/app/receiving" },
  });
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
