import { useState } from "react";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRouteError } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, FormLayout, Text, TextField } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AdminPage } from "../components/admin-page.tsx";
import { isAppError } from "../lib/app-error.ts";
import { getSupplierApiSettings, setSupplierApiSettings } from "../services/po-dispatch.server.ts";
import { requireShopContext } from "../services/shop-context.server.ts";

// Where a supplier that takes POs by API receives them: the endpoint and the shared signing secret
// (docs/supplier-api.md). The secret is write-only: it is stored encrypted and never shown again.

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shop } = await requireShopContext(request);
  try {
    return { supplier: await getSupplierApiSettings(shop.id, params.supplierId ?? "") };
  } catch (error) {
    if (isAppError(error) && error.kind === "not_found") throw new Response("Supplier not found", { status: 404 });
    throw error;
  }
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { shop } = await requireShopContext(request);
  const id = params.supplierId ?? "";
  const form = await request.formData();
  const endpoint = String(form.get("endpoint") ?? "").trim();
  const secret = String(form.get("secret") ?? "");
  try {
    await setSupplierApiSettings(shop.id, id, { endpoint, secret });
  } catch (error) {
    if (isAppError(error) && error.kind === "not_found") throw new Response("Supplier not found", { status: 404 });
    if (isAppError(error) && error.kind === "invalid") return data({ ok: false as const, message: error.message }, { status: 422 });
    throw error;
  }
  return { ok: true as const, message: "Endpoint and signing secret saved" };
}

export default function SupplierApiPage() {
  const { supplier } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const [endpoint, setEndpoint] = useState(supplier.apiEndpoint);
  const [secret, setSecret] = useState("");
  return (
    <AdminPage title={`${supplier.name}: PO delivery by API`} narrowWidth>
      <BlockStack gap="500">
        <Text as="p">
          <Link to={`/app/suppliers/${supplier.id}`}>← {supplier.name}</Link>
        </Text>
        {result ? <Banner tone={result.ok ? "success" : "critical"} title={result.message} /> : null}
        {supplier.poDelivery !== "API" ? (
          <Banner tone="info" title="This supplier receives purchase orders by email">
            <p>Set PO delivery to API on the supplier page for these settings to be used.</p>
          </Banner>
        ) : null}
        <Card>
          <Form method="post">
            <FormLayout>
              <TextField label="Endpoint" name="endpoint" type="url" autoComplete="off" value={endpoint} onChange={setEndpoint} helpText="Purchase orders are POSTed here as signed JSON." />
              <TextField
                label="Signing secret"
                name="secret"
                type="password"
                autoComplete="new-password"
                value={secret}
                onChange={setSecret}
                helpText={`${supplier.hasSecret ? "A secret is set; enter a new one to replace it. " : ""}At least 16 characters, shared with the supplier. The X-Replenish-Signature header is an HMAC-SHA256 with it.`}
              />
              <Button submit variant="primary" loading={navigation.state !== "idle"}>
                Save
              </Button>
            </FormLayout>
          </Form>
        </Card>
      </BlockStack>
    </AdminPage>
  );
}

export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
