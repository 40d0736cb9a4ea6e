import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { useActionData, useLoaderData, useRouteError } from "@remix-run/react";
import { Badge, InlineStack, Text } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { adminRouteError } from "../components/admin-error-boundary.tsx";
import { ReceivingPage } from "../components/receiving-page.tsx";
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
    <ReceivingPage
      screen={screen}
      receiptKey={receiptKey}
      actionData={actionData}
      header={
        <InlineStack gap="200" blockAlign="center">
          <Text as="h2" variant="headingMd">
            {screen.number}
          </Text>
          <Badge>{screen.status.charAt(0) + screen.status.slice(1).toLowerCase()}</Badge>
        </InlineStack>
      }
    />
  );
}

export function ErrorBoundary() {
  return adminRouteError(useRouteError(), {
    title: "Transfer not found",
    message: "There is no transfer to receive at this address in this shop.",
    back: { content: "Receiving", url: "/app/receiving" },
  });
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
