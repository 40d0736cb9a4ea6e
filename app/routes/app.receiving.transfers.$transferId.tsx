import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData, useRouteError } from "@remix-run/react";
import { Badge, BlockStack, Card, InlineStack, Text } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AdminPage } from "../components/admin-page.tsx";
import { ReceivingForm } from "../components/receiving-form.tsx";
import { isAppError } from "../lib/app-error.ts";
import { newReceiptKey, runReceivingAction } from "../services/receiving-actions.server.ts";
import { loadTransferReceivingScreen } from "../services/receiving-screen.server.ts";
import { requireShopContext } from "../services/shop-context.server.ts";

// The same receiving screen for a transfer arriving at its destination (TRANSFER_IN through the ledger).

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shop } = await requireShopContext(request);
  try {
    return { screen: await loadTransferReceivingScreen(shop.id, params.transferId ?? ""), receiptKey: newReceiptKey() };
  } catch (error) {
    if (isAppError(error) && error.kind === "not_found") throw new Response("Transfer not found", { status: 404 });
    throw error;
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { shop } = await requireShopContext(request);
  const result = await runReceivingAction(shop.id, { transferId: params.transferId ?? "" }, await request.formData());
  return result.ok ? result : data(result, { status: 422 });
}

export default function ReceiveTransfer() {
  const { screen, receiptKey } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <AdminPage title={`Receive ${screen.number}`} subtitle={`${screen.counterparty} → ${screen.locationName}`} fullWidth>
      <BlockStack gap="400">
        <Card>
          <InlineStack gap="200" blockAlign="center">
            <Text as="h2" variant="headingMd">
              {screen.number}
            </Text>
            <Badge>{screen.status.charAt(0) + screen.status.slice(1).toLowerCase()}</Badge>
          </InlineStack>
        </Card>
        <ReceivingForm
          lines={screen.lines}
          receipts={screen.receipts.map((r) => ({ ...r, receivedAt: String(r.receivedAt), reversedAt: r.reversedAt ? String(r.reversedAt) : null }))}
          receiptKey={receiptKey}
          receivable={screen.receivable}
          error={actionData && !actionData.ok ? actionData.error : null}
          notice={actionData?.ok ? actionData.notice : null}
          bookedReceiptId={actionData?.ok ? actionData.receiptId : null}
        />
      </BlockStack>
    </AdminPage>
  );
}

export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
