import { useEffect, useState } from "react";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useRouteError } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, DataTable, FormLayout, InlineStack, Select, Text, TextField } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { z } from "zod";
import { AdminPage } from "../components/admin-page.tsx";
import { formatCount, formatDay } from "../components/format.ts";
import { formatCents } from "../domain/shared/money.ts";
import { isAppError } from "../lib/app-error.ts";
import { newReceiptKey } from "../services/receiving-actions.server.ts";
import { WRITE_OFF_REASONS } from "../domain/accounting/postings.ts";
import { listLocations, listWriteOffs, writeOffStock } from "../services/write-offs.server.ts";
import { requireShopContext } from "../services/shop-context.server.ts";

// Write off missing or damaged units, on a purchase order (?po=PO-… pre-fills it, valued at the PO's
// cost) or on plain stock (the SKU's cost): stock leaves through the ledger and the shrinkage is booked.

const searchSchema = z.object({ po: z.string().max(64).optional().catch(undefined), sku: z.string().max(128).optional().catch(undefined) });

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShopContext(request);
  const search = searchSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const [writeOffs, locations] = await Promise.all([listWriteOffs(shop.id), listLocations(shop.id)]);
  return { writeOffs, locations, key: newReceiptKey().replace(/^rcv-/, "wo-"), po: search.po ?? "", sku: search.sku ?? "", currency: shop.currency };
}

const actionSchema = z.object({
  key: z.string().min(1),
  skuCode: z.string().trim().min(1, "Enter the SKU"),
  locationId: z.string().min(1, "Choose a location"),
  quantity: z.coerce.number({ error: "Enter the number of units" }).int("Whole units only").positive("At least 1 unit"),
  reason: z.enum(WRITE_OFF_REASONS, { error: "Choose a reason" }),
  note: z.string().max(500).optional(),
  purchaseOrderNumber: z.string().max(64).optional(),
});

export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await requireShopContext(request);
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ ok: false as const, message: parsed.error.issues.map((i) => i.message).join("; ") }, { status: 422 });
  try {
    const result = await writeOffStock(shop.id, parsed.data);
    return { ok: true as const, message: result.message };
  } catch (error) {
    if (isAppError(error) && (error.kind === "invalid" || error.kind === "conflict")) return data({ ok: false as const, message: error.message }, { status: 422 });
    throw error;
  }
}

// No reason is preselected: the merchant says why the units are gone (the supplier claim and the books need it).
const REASON_OPTIONS = [{ label: "Choose a reason", value: "" }, ...WRITE_OFF_REASONS.map((r) => ({ label: r.charAt(0) + r.slice(1).toLowerCase(), value: r }))];

export default function WriteOffs() {
  const { writeOffs, locations, key, po, sku, currency } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const [values, setValues] = useState({ skuCode: sku, locationId: locations[0]?.id ?? "", quantity: "", reason: "", note: "", purchaseOrderNumber: po });
  const set = (field: keyof typeof values) => (value: string) => setValues((v) => ({ ...v, [field]: value }));
  // Each page load issues a new write-off key, so a form left filled after a success would book the
  // same units again on a second click: clear what was booked, keep where it was booked.
  useEffect(() => {
    if (actionData?.ok) setValues((v) => ({ ...v, quantity: "", reason: "", note: "" }));
  }, [actionData]);

  return (
    <AdminPage title="Write-offs" fullWidth>
      <BlockStack gap="400">
        {actionData ? <Banner tone={actionData.ok ? "success" : "critical"} title={actionData.message} /> : null}
        <Card>
          <Form method="post">
            <input type="hidden" name="key" value={key} />
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Write off units
              </Text>
              <FormLayout>
                <FormLayout.Group>
                  <TextField label="SKU" name="skuCode" value={values.skuCode} onChange={set("skuCode")} autoComplete="off" />
                  <Select label="Location" name="locationId" options={locations.map((l) => ({ label: l.name, value: l.id }))} value={values.locationId} onChange={set("locationId")} />
                  <TextField label="Quantity" name="quantity" type="number" min={1} value={values.quantity} onChange={set("quantity")} autoComplete="off" />
                </FormLayout.Group>
                <FormLayout.Group>
                  <Select label="Reason" name="reason" options={REASON_OPTIONS} value={values.reason} onChange={set("reason")} />
                  <TextField label="Purchase order (optional)" name="purchaseOrderNumber" value={values.purchaseOrderNumber} onChange={set("purchaseOrderNumber")} autoComplete="off" placeholder="PO-2026-0001" />
                </FormLayout.Group>
                <TextField label="Note" name="note" value={values.note} onChange={set("note")} autoComplete="off" />
              </FormLayout>
              <InlineStack align="end">
                <Button submit variant="primary" tone="critical" loading={navigation.state === "submitting"}>
                  Write off
                </Button>
              </InlineStack>
            </BlockStack>
          </Form>
        </Card>
        {writeOffs.length > 0 ? (
          <Card padding="0">
            <DataTable
              columnContentTypes={["text", "text", "text", "numeric", "text", "text", "numeric"]}
              headings={["Date", "SKU", "Location", "Units", "Reason", "Purchase order", "Value"]}
              rows={writeOffs.map((w) => [formatDay(w.createdAt), w.skuCode, w.locationName, formatCount(w.quantity), `${w.reason.toLowerCase()}${w.note ? `: ${w.note}` : ""}`, w.purchaseOrderNumber ?? "—", formatCents(w.value, currency)])}
            />
          </Card>
        ) : null}
      </BlockStack>
    </AdminPage>
  );
}

export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
