import { useState } from "react";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation, useRouteError, useSubmit } from "@remix-run/react";
import {
  Badge,
  BlockStack,
  Card,
  Checkbox,
  FormLayout,
  IndexTable,
  InlineStack,
  Layout,
  PageActions,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { adminRouteError } from "../../components/admin-error-boundary.tsx";
import { AdminPage } from "../../components/admin-page.tsx";
import { formatCount } from "../../components/format.ts";
import { formatPrice, toPriceUnits } from "../../domain/shared/money.ts";
import { isAppError } from "../../lib/app-error.ts";
import { createSupplier, getSupplierDetails, updateSupplier } from "../../models/supplier.server.ts";
import { requireShopContext } from "../../services/shop-context.server.ts";
import {
  choiceOptions,
  defaultText,
  PARAMETER_GROUPS,
  parseSupplierForm,
  SHIP_METHODS,
  toFormValues,
  type FieldErrors,
  type FormKey,
  type FormValues,
  type ParameterField,
} from "./supplier-form.ts";
import { SaveOutcomeBanner } from "../../components/save-outcome-banner.tsx";
import { SupplierRemittanceCard } from "../../components/supplier-remittance-card.tsx";
import { getRemittanceHistory } from "../../services/po-negotiation.server.ts";

const NEW = "new";

// ─── Loader / action ───

/** A supplier id that is not this shop's (or does not exist) is a 404, never another shop's data. */
async function orNotFound<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (isAppError(error) && error.kind === "not_found") throw new Response("Supplier not found", { status: 404 });
    throw error;
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shop } = await requireShopContext(request);
  const id = params.supplierId ?? "";
  const supplier = id === NEW ? null : await orNotFound(getSupplierDetails(shop.id, id));
  const remittance = supplier ? await getRemittanceHistory(shop.id, supplier.id) : null;
  return { supplier, shopCurrency: shop.currency, remittance };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { shop } = await requireShopContext(request);
  const id = params.supplierId ?? "";
  const parsed = parseSupplierForm(Object.fromEntries(await request.formData()));
  if (!parsed.ok) return data({ ok: false as const, fieldErrors: parsed.fieldErrors }, { status: 422 });
  try {
    if (id === NEW) {
      const created = await createSupplier(shop.id, parsed.value);
      return redirect(`/app/suppliers/${created.id}`);
    }
    await orNotFound(updateSupplier(shop.id, id, parsed.value));
  } catch (error) {
    if (isAppError(error) && error.kind === "conflict") {
      return data({ ok: false as const, fieldErrors: { name: error.message } as FieldErrors }, { status: 422 });
    }
    throw error;
  }
  return { ok: true as const, fieldErrors: {} as FieldErrors };
}

// ─── Page ───

const DELIVERY_OPTIONS = [
  { label: "Email (document attached, with a portal link)", value: "EMAIL" },
  { label: "Portal link only", value: "PORTAL" },
  { label: "API (signed JSON to the supplier's endpoint)", value: "API" },
];
const FORMAT_OPTIONS = [
  { label: "PDF", value: "PDF" },
  { label: "CSV", value: "CSV" },
];
const SHIP_OPTIONS = [
  { label: "Not set", value: "" },
  ...SHIP_METHODS.map((m) => ({ label: m.charAt(0).toUpperCase() + m.slice(1), value: m })),
];

export default function SupplierPage() {
  const { supplier, shopCurrency } = useLoaderData<typeof loader>();
  // After a save the loader returns the stored supplier: start a fresh form from it (no longer dirty).
  const key = supplier ? `${supplier.id}-${new Date(supplier.updatedAt).getTime()}` : NEW;
  return <SupplierForm key={key} initial={toFormValues(supplier ? { ...supplier, updatedAt: new Date(supplier.updatedAt) } : null, shopCurrency)} />;
}

function SupplierForm({ initial }: { initial: FormValues }) {
  const { supplier, shopCurrency, remittance } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const [values, setValues] = useState<FormValues>(initial);

  const dirty = (Object.keys(initial) as FormKey[]).some((key) => values[key] !== initial[key]);
  const saving = navigation.state !== "idle" && navigation.formMethod?.toUpperCase() === "POST";
  const errors: FieldErrors = actionData?.fieldErrors ?? {};
  const set = (key: FormKey) => (value: string) => setValues((current) => ({ ...current, [key]: value }));
  const text = (key: FormKey) => ({ name: key, value: values[key], error: errors[key], onChange: set(key), autoComplete: "off" });
  const checkbox = (key: FormKey) => ({ checked: values[key] === "true", error: errors[key], onChange: (checked: boolean) => set(key)(String(checked)) });
  const currency = values.currency || shopCurrency;

  return (
    <AdminPage title={supplier ? supplier.name : "New supplier"} subtitle={supplier ? `${formatCount(supplier.productCount)} products` : undefined}>
      <BlockStack gap="500">
        <Text as="p">
          <Link to="/app/suppliers">← All suppliers</Link>
        </Text>
        <SaveOutcomeBanner outcome={actionData} dirty={dirty} savedTitle="Supplier saved" />
        <Layout>
          <Layout.Section>
            <BlockStack gap="500">
              <Card>
                <BlockStack gap="400">
                  <Text as="h2" variant="headingMd">
                    Contact and ordering
                  </Text>
                  <FormLayout>
                    <TextField label="Name" {...text("name")} />
                    <FormLayout.Group>
                      <TextField label="Contact name" {...text("contactName")} />
                      <TextField label="Phone" type="tel" {...text("phone")} />
                    </FormLayout.Group>
                    <TextField label="Order email" type="email" helpText="Purchase orders are sent here." {...text("orderEmail")} />
                    <TextField label="CC" helpText="Other addresses that receive a copy, separated by commas." {...text("ccEmails")} />
                    <FormLayout.Group>
                      <Select label="PO delivery" options={DELIVERY_OPTIONS} {...text("poDelivery")} />
                      <Select label="Document format" options={FORMAT_OPTIONS} {...text("documentFormat")} />
                    </FormLayout.Group>
                  </FormLayout>
                  {supplier ? (
                    // The endpoint and signing secret live on their own page (the secret is write-only).
                    <Text as="p">
                      <Link to={`/app/suppliers/${supplier.id}/api`}>API delivery settings</Link>
                      {values.poDelivery === "API" ? " — endpoint and signing secret for POs sent by API" : " — used when PO delivery is API"}
                    </Text>
                  ) : null}
                </BlockStack>
              </Card>
              {PARAMETER_GROUPS.map((group) => (
                <Card key={group.id}>
                  <BlockStack gap="400">
                    <BlockStack gap="100">
                      <Text as="h2" variant="headingMd">
                        {group.title}
                      </Text>
                      <Text as="p" tone="subdued">
                        {group.description}
                      </Text>
                    </BlockStack>
                    <FormLayout>
                      {group.fields.map((field) => (
                        <ParameterInput
                          key={field.key}
                          field={field}
                          value={values[field.key]}
                          error={errors[field.key]}
                          currency={currency}
                          onChange={set(field.key)}
                        />
                      ))}
                    </FormLayout>
                  </BlockStack>
                </Card>
              ))}
              {supplier ? <ProductsCard /> : null}
            </BlockStack>
          </Layout.Section>
          <Layout.Section variant="oneThird">
            <BlockStack gap="500">
              <Card>
                <BlockStack gap="400">
                  <Text as="h2" variant="headingMd">
                    Purchasing
                  </Text>
                  <FormLayout>
                    <Checkbox
                      label="Send purchase orders automatically"
                      helpText="When nothing on the order is flagged for review."
                      {...checkbox("autoSend")}
                    />
                    <TextField
                      label="Lead time"
                      type="number"
                      suffix="days"
                      helpText={
                        values.quotesShipDate === "true"
                          ? "Quoted days from order to shipping; the ship method's transit days are added. Used until 8 purchase orders have been received."
                          : "Quoted days from order to delivery, used until 8 purchase orders have been received."
                      }
                      {...text("leadTimeDays")}
                    />
                    <Checkbox
                      label="Lead time is quoted to the ship date"
                      helpText="Adds the ship method's transit days (Settings) to the quoted lead time."
                      {...checkbox("quotesShipDate")}
                    />
                    <Select label="Ship method" options={SHIP_OPTIONS} helpText="How this supplier usually ships." {...text("defaultShipMethod")} />
                    <TextField label="Currency" helpText="Three-letter code, e.g. USD." {...text("currency")} />
                    <TextField label="Payment terms" type="number" suffix="days" {...text("paymentTermsDays")} />
                    <TextField label="Deposit" type="number" suffix="%" helpText="Share of the order paid up front." {...text("depositPct")} />
                  </FormLayout>
                </BlockStack>
              </Card>
              <Card>
                <BlockStack gap="400">
                  <Text as="h2" variant="headingMd">
                    Supplier choice
                  </Text>
                  <Text as="p" tone="subdued">
                    When several suppliers offer a SKU, these weigh in with price and lead-time reliability.
                  </Text>
                  <FormLayout>
                    <TextField label="Defect rate" type="number" suffix="%" helpText="Share of received units found defective." {...text("defectRate")} />
                    <TextField label="MOQ flexibility" type="number" suffix="%" helpText="How far below the minimum order quantity the supplier accepts orders." {...text("moqFlexibility")} />
                    <Checkbox
                      label="Quality dispute open"
                      helpText="Every purchase order to this supplier waits for review."
                      {...checkbox("qualityDisputeOpen")}
                    />
                  </FormLayout>
                </BlockStack>
              </Card>
              {remittance ? <SupplierRemittanceCard view={remittance} /> : null}
            </BlockStack>
          </Layout.Section>
        </Layout>
        <PageActions
          primaryAction={{
            content: supplier ? "Save" : "Create supplier",
            disabled: !dirty,
            loading: saving,
            onAction: () => submit(values, { method: "post" }),
          }}
        />
      </BlockStack>
    </AdminPage>
  );
}

function ParameterInput({
  field,
  value,
  error,
  currency,
  onChange,
}: {
  field: ParameterField;
  value: string;
  error: string | undefined;
  currency: string;
  onChange: (value: string) => void;
}) {
  const overridden = value.trim() !== "";
  const fallback = defaultText(field);
  const label = (
    <InlineStack gap="200" blockAlign="center">
      <span>{field.label}</span>
      <Text as="span" tone="subdued" variant="bodySm">
        {field.code}
      </Text>
      {overridden ? (
        <Badge tone="info" size="small">
          Overridden
        </Badge>
      ) : null}
    </InlineStack>
  );
  if (field.kind === "choice") {
    return (
      <Select
        id={`parameter-${field.key}`}
        name={field.key}
        label={label}
        labelAction={overridden ? { content: "Reset to default", onAction: () => onChange("") } : undefined}
        options={choiceOptions(field)}
        value={value}
        onChange={onChange}
        error={error}
        helpText={field.help}
      />
    );
  }
  return (
    <TextField
      id={`parameter-${field.key}`}
      name={field.key}
      label={label}
      labelAction={overridden ? { content: "Reset to default", onAction: () => onChange("") } : undefined}
      value={value}
      onChange={onChange}
      error={error}
      placeholder={`Default: ${fallback}`}
      prefix={field.kind === "money" ? currency : undefined}
      suffix={field.suffix}
      inputMode={field.kind === "text" ? "text" : field.kind === "integer" ? "numeric" : "decimal"}
      autoComplete="off"
      helpText={`${field.help} Default: ${fallback}${field.kind === "money" && /^\d/.test(fallback) ? ` ${currency}` : ""}.`}
    />
  );
}

function ProductsCard() {
  const { supplier } = useLoaderData<typeof loader>();
  if (!supplier) return null;
  const { products, productCount, currency } = supplier;
  return (
    <Card padding="0">
      <BlockStack gap="0">
        <div style={{ padding: "var(--p-space-400)" }}>
          <BlockStack gap="100">
            <Text as="h2" variant="headingMd">
              Products
            </Text>
            <Text as="p" tone="subdued">
              {productCount === 0
                ? "This supplier offers no products yet."
                : productCount > products.length
                  ? `The first ${formatCount(products.length)} of ${formatCount(productCount)} products, by SKU.`
                  : `${formatCount(productCount)} ${productCount === 1 ? "product" : "products"}.`}
            </Text>
          </BlockStack>
        </div>
        {products.length > 0 ? (
          <IndexTable
            resourceName={{ singular: "product", plural: "products" }}
            itemCount={products.length}
            selectable={false}
            headings={[
              { title: "SKU" },
              { title: "Part number" },
              { title: "Unit cost", alignment: "end" },
              { title: "MOQ", alignment: "end" },
              { title: "Case pack", alignment: "end" },
            ]}
          >
            {products.map((product, index) => (
              <IndexTable.Row id={product.id} key={product.id} position={index}>
                <IndexTable.Cell>
                  <BlockStack gap="0">
                    <Text as="span" fontWeight="semibold">
                      {product.skuCode}
                    </Text>
                    <Text as="span" tone="subdued" variant="bodySm">
                      {product.variantTitle ? `${product.title} — ${product.variantTitle}` : product.title}
                    </Text>
                  </BlockStack>
                </IndexTable.Cell>
                <IndexTable.Cell>{product.supplierPartNumber ?? <Text as="span" tone="subdued">—</Text>}</IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {formatPrice(toPriceUnits(product.unitCost), currency)}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {formatCount(product.moq)}
                  </Text>
                </IndexTable.Cell>
                <IndexTable.Cell>
                  <Text as="span" alignment="end" numeric>
                    {formatCount(product.casePack)}
                  </Text>
                </IndexTable.Cell>
              </IndexTable.Row>
            ))}
          </IndexTable>
        ) : null}
      </BlockStack>
    </Card>
  );
}

export function ErrorBoundary() {
  return adminRouteError(useRouteError(), {
    title: "Supplier not found",
    message: "There is no supplier at this address in this shop. It may have been removed, or the link is mistyped.",
    back: { content: "Suppliers", url: "/app/suppliers" },
  });
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
