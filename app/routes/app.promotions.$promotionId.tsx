import { useEffect, useState } from "react";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useActionData, useFetcher, useLoaderData, useNavigation, useRouteError, useSubmit } from "@remix-run/react";
import {
  BlockStack,
  Button,
  Card,
  ChoiceList,
  FormLayout,
  InlineStack,
  Layout,
  Modal,
  PageActions,
  Select,
  Tag,
  Text,
  TextField,
} from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { adminRouteError } from "../components/admin-error-boundary.tsx";
import { z } from "zod";
import { AdminPage } from "../components/admin-page.tsx";
import { toDayNumber } from "../domain/shared/day.ts";
import { isAppError } from "../lib/app-error.ts";
import {
  deletePromotion,
  getPromotion,
  listCollections,
  listProductTypes,
  savePromotion,
  searchPromotionSkus,
  type PromotionDetails,
} from "../models/promotion.server.ts";
import { requireShopContext } from "../services/shop-context.server.ts";
import { SaveOutcomeBanner } from "../components/save-outcome-banner.tsx";

const NEW = "new";

// ─── What the form posts and how it becomes a promotion ───

const day = (what: string) =>
  z
    .string({ error: `Enter the ${what} date` })
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, { error: `Enter the ${what} date as YYYY-MM-DD` })
    .refine(
      (value) => {
        try {
          toDayNumber(value);
          return true;
        } catch {
          return false;
        }
      },
      { error: "Not a calendar date" },
    );

const UPLIFT_MIN = -90;
const UPLIFT_MAX = 500;

const promotionForm = z
  .object({
    name: z.string({ error: "Enter a name" }).trim().min(1, { error: "Enter a name" }).max(200, { error: "At most 200 characters" }),
    startsOn: day("start"),
    endsOn: day("end"),
    upliftPct: z
      .string({ error: "Enter the expected uplift" })
      .trim()
      .regex(/^[+-]?\d+(\.\d{1,2})?$/, { error: "Enter a percentage such as 30 or -20, with at most 2 decimals" })
      .transform(Number)
      .pipe(
        z
          .number()
          .min(UPLIFT_MIN, { error: `Must be between ${UPLIFT_MIN}% and +${UPLIFT_MAX}%` })
          .max(UPLIFT_MAX, { error: `Must be between ${UPLIFT_MIN}% and +${UPLIFT_MAX}%` }),
      ),
    scope: z.enum(["all", "skus", "productType", "collection"], { error: "Choose which products the promotion lifts" }),
    skuCodes: z
      .string()
      .optional()
      .transform((v) => (v ?? "").split(/[\s,]+/).filter((c) => c !== "")),
    productType: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v ? v : null)),
    collection: z
      .string()
      .trim()
      .max(255, { error: "At most 255 characters" })
      .optional()
      .transform((v) => (v ? v : null)),
  })
  .superRefine((form, ctx) => {
    if (form.endsOn < form.startsOn) ctx.addIssue({ code: "custom", path: ["endsOn"], message: "Must be on or after the start date" });
    if (form.scope === "skus" && form.skuCodes.length === 0) ctx.addIssue({ code: "custom", path: ["skuCodes"], message: "Add at least one SKU" });
    if (form.scope === "productType" && !form.productType) ctx.addIssue({ code: "custom", path: ["productType"], message: "Choose a product type" });
    if (form.scope === "collection" && !form.collection) ctx.addIssue({ code: "custom", path: ["collection"], message: "Choose a collection" });
  });

type FormValues = { name: string; startsOn: string; endsOn: string; upliftPct: string; scope: string; skuCodes: string; productType: string; collection: string };
type FieldErrors = Partial<Record<keyof FormValues, string>>;

function toFormValues(p: PromotionDetails | null): FormValues {
  return {
    name: p?.name ?? "",
    startsOn: p?.startsOn ?? "",
    endsOn: p?.endsOn ?? "",
    upliftPct: p ? String(p.upliftPct) : "",
    scope: p?.scope ?? "skus",
    skuCodes: p?.scope === "skus" ? p.skus.map((s) => s.code).join(",") : "",
    productType: p?.productType ?? "",
    collection: p?.collection ?? "",
  };
}

// ─── Loader / action ───

async function orNotFound<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (isAppError(error) && error.kind === "not_found") throw new Response("Promotion not found", { status: 404 });
    throw error;
  }
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { shop } = await requireShopContext(request);
  const id = params.promotionId ?? "";
  const query = new URL(request.url).searchParams.get("q")?.slice(0, 100) ?? "";
  const [promotion, productTypes, collections, matches] = await Promise.all([
    id === NEW ? null : orNotFound(getPromotion(shop.id, id)),
    listProductTypes(shop.id),
    listCollections(shop.id),
    searchPromotionSkus(shop.id, query),
  ]);
  return { promotion, productTypes, collections, matches };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { shop } = await requireShopContext(request);
  const id = params.promotionId ?? "";
  const form = Object.fromEntries(await request.formData());
  if (form.intent === "delete") {
    if (id === NEW) throw new Response("Promotion not found", { status: 404 });
    await orNotFound(deletePromotion(shop.id, id));
    return redirect("/app/promotions");
  }
  const parsed = promotionForm.safeParse(form);
  if (!parsed.success) {
    const fieldErrors: FieldErrors = {};
    for (const issue of parsed.error.issues) {
      const field = issue.path[0] as keyof FormValues | undefined;
      if (field && !fieldErrors[field]) fieldErrors[field] = issue.message;
    }
    return data({ ok: false as const, fieldErrors }, { status: 422 });
  }
  const saved = await orNotFound(savePromotion(shop.id, id === NEW ? null : id, parsed.data));
  if (!saved.ok) return data({ ok: false as const, fieldErrors: { [saved.field]: saved.message } as FieldErrors }, { status: 422 });
  if (id === NEW) return redirect(`/app/promotions/${saved.id}`);
  return { ok: true as const, fieldErrors: {} as FieldErrors };
}

// ─── Page ───

export default function PromotionPage() {
  const { promotion } = useLoaderData<typeof loader>();
  // A save reloads the promotion: start a fresh form from what is stored (and no longer dirty).
  return <PromotionForm key={promotion ? JSON.stringify(promotion) : NEW} initial={toFormValues(promotion)} />;
}

function PromotionForm({ initial }: { initial: FormValues }) {
  const { promotion, productTypes, collections } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const submit = useSubmit();
  const search = useFetcher<typeof loader>();
  const [values, setValues] = useState<FormValues>(initial);
  const [query, setQuery] = useState("");
  // Delete is not undoable (the promotion's uplift leaves the next forecasts): it asks first.
  const [confirmingDelete, setConfirmingDelete] = useState(false);

  const dirty = (Object.keys(initial) as (keyof FormValues)[]).some((key) => values[key] !== initial[key]);
  const saving = navigation.state !== "idle" && navigation.formMethod?.toUpperCase() === "POST";
  const errors: FieldErrors = actionData?.fieldErrors ?? {};
  const set = (key: keyof FormValues) => (value: string) => setValues((current) => ({ ...current, [key]: value }));
  const field = (key: keyof FormValues) => ({ name: key, value: values[key], error: errors[key], onChange: set(key), autoComplete: "off" });
  const codes = values.skuCodes.split(",").filter((c) => c !== "");
  const titles = new Map((promotion?.skus ?? []).map((s) => [s.code, s.title]));
  for (const m of search.data?.matches ?? []) titles.set(m.code, m.title);

  // Search the catalogue as the merchant types, once they pause.
  const { load } = search;
  useEffect(() => {
    const q = query.trim();
    if (q === "") return;
    const timer = setTimeout(() => load(`/app/promotions/${promotion?.id ?? NEW}?q=${encodeURIComponent(q)}`), 300);
    return () => clearTimeout(timer);
  }, [query, load, promotion?.id]);

  const addCode = (code: string) => set("skuCodes")([...new Set([...codes, code])].join(","));
  const removeCode = (code: string) => set("skuCodes")(codes.filter((c) => c !== code).join(","));

  return (
    <AdminPage title={promotion ? promotion.name : "New promotion"}>
      <BlockStack gap="500">
        <Text as="p">
          <Link to="/app/promotions">← All promotions</Link>
        </Text>
        <SaveOutcomeBanner outcome={actionData} dirty={dirty} savedTitle="Promotion saved" />
        <Layout>
          <Layout.Section>
            <BlockStack gap="500">
              <Card>
                <FormLayout>
                  <TextField label="Name" helpText="e.g. Black Friday, spring catalogue launch." {...field("name")} />
                  <FormLayout.Group>
                    <TextField label="Starts on" type="date" {...field("startsOn")} />
                    <TextField label="Ends on" type="date" helpText="Inclusive." {...field("endsOn")} />
                  </FormLayout.Group>
                </FormLayout>
              </Card>
              <Card>
                <BlockStack gap="400">
                  <ChoiceList
                    title="Products"
                    choices={[
                      { label: "Specific SKUs", value: "skus" },
                      { label: "A product type", value: "productType" },
                      { label: "A collection", value: "collection" },
                      { label: "All products", value: "all" },
                    ]}
                    selected={[values.scope]}
                    onChange={(selected) => set("scope")(selected[0] ?? "skus")}
                    error={errors.scope}
                  />
                  {values.scope === "skus" ? (
                    <BlockStack gap="300">
                      <TextField
                        label="Search SKUs"
                        value={query}
                        onChange={setQuery}
                        autoComplete="off"
                        placeholder="SKU code or product title"
                        error={errors.skuCodes}
                        helpText={codes.length === 0 ? "Find the SKUs the promotion lifts and add them." : undefined}
                      />
                      {query.trim() !== "" && search.data ? (
                        search.data.matches.length === 0 ? (
                          <Text as="p" tone="subdued">
                            No SKU matches “{query.trim()}”.
                          </Text>
                        ) : (
                          <BlockStack gap="100">
                            {search.data.matches.map((m) => (
                              <InlineStack key={m.id} gap="200" blockAlign="center">
                                <Button size="slim" onClick={() => addCode(m.code)} disabled={codes.includes(m.code)}>
                                  {codes.includes(m.code) ? "Added" : "Add"}
                                </Button>
                                <Text as="span" fontWeight="semibold">
                                  {m.code}
                                </Text>
                                <Text as="span" tone="subdued">
                                  {m.title}
                                </Text>
                              </InlineStack>
                            ))}
                          </BlockStack>
                        )
                      ) : null}
                      {codes.length > 0 ? (
                        <InlineStack gap="200">
                          {codes.map((code) => (
                            <Tag key={code} onRemove={() => removeCode(code)}>
                              {titles.has(code) ? `${code} · ${titles.get(code)}` : code}
                            </Tag>
                          ))}
                        </InlineStack>
                      ) : null}
                    </BlockStack>
                  ) : null}
                  {values.scope === "collection" ? (
                    <Select
                      label="Collection"
                      options={[{ label: "Choose…", value: "" }, ...collections.map((c) => ({ label: c, value: c }))]}
                      helpText="Every SKU in the collection on the day the forecast runs is lifted, including products added later."
                      {...field("collection")}
                    />
                  ) : null}
                  {values.scope === "productType" ? (
                    <Select
                      label="Product type"
                      options={[{ label: "Choose…", value: "" }, ...productTypes.map((t) => ({ label: t, value: t }))]}
                      helpText="The SKUs of this type when you save are lifted. Save again to include SKUs added later."
                      {...field("productType")}
                    />
                  ) : null}
                </BlockStack>
              </Card>
            </BlockStack>
          </Layout.Section>
          <Layout.Section variant="oneThird">
            <Card>
              <BlockStack gap="300">
                <TextField
                  label="Expected uplift"
                  type="number"
                  inputMode="decimal"
                  suffix="%"
                  helpText={`Extra demand during the promotion, from ${UPLIFT_MIN}% to +${UPLIFT_MAX}%. 30 means 30% more units a day; a negative value lowers the forecast (e.g. a store closure).`}
                  {...field("upliftPct")}
                />
              </BlockStack>
            </Card>
          </Layout.Section>
        </Layout>
        <PageActions
          primaryAction={{
            content: promotion ? "Save" : "Create promotion",
            disabled: !dirty,
            loading: saving && navigation.formData?.get("intent") !== "delete",
            onAction: () => submit(values, { method: "post" }),
          }}
          secondaryActions={
            promotion
              ? [
                  {
                    content: "Delete",
                    destructive: true,
                    loading: saving && navigation.formData?.get("intent") === "delete",
                    onAction: () => setConfirmingDelete(true),
                  },
                ]
              : []
          }
        />
        {promotion ? (
          <Modal
            open={confirmingDelete}
            onClose={() => setConfirmingDelete(false)}
            title={`Delete ${promotion.name}?`}
            primaryAction={{
              content: "Delete promotion",
              destructive: true,
              loading: saving && navigation.formData?.get("intent") === "delete",
              onAction: () => submit({ intent: "delete" }, { method: "post" }),
            }}
            secondaryActions={[{ content: "Keep it", onAction: () => setConfirmingDelete(false) }]}
          >
            <Modal.Section>
              <Text as="p">The promotion is removed and later reorder runs no longer apply its uplift. This cannot be undone.</Text>
            </Modal.Section>
          </Modal>
        ) : null}
      </BlockStack>
    </AdminPage>
  );
}

export function ErrorBoundary() {
  return adminRouteError(useRouteError(), {
    title: "Promotion not found",
    message: "There is no promotion at this address in this shop. It may have been deleted, or the link is mistyped.",
    back: { content: "Promotions", url: "/app/promotions" },
  });
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
