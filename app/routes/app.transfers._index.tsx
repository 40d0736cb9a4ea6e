import { useState } from "react";
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigate, useNavigation, useRouteError } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, FormLayout, InlineStack, Select, Tabs, Text, TextField } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { z } from "zod";
import { AdminPage } from "../components/admin-page.tsx";
import { formatCount, formatDay } from "../components/format.ts";
import { ResourceEmptyState } from "../components/resource-empty-state.tsx";
import { isAppError } from "../lib/app-error.ts";
import { advanceTransfer, createTransfer, listTransfers } from "../services/transfers.server.ts";
import { listLocations } from "../services/write-offs.server.ts";
import { requireShopContext } from "../services/shop-context.server.ts";

// Transfers between our locations: the engine's proposals and hand-made ones, approved, shipped (stock
// leaves the source) and received on the receiving screen (stock arrives at the destination).

const TABS = [
  { id: "OPEN", content: "Open" },
  { id: "RECEIVED", content: "Received" },
  { id: "CANCELLED", content: "Cancelled" },
  { id: "ALL", content: "All" },
] as const;
const statusParam = z.enum(["OPEN", "RECEIVED", "CANCELLED", "ALL"]).catch("OPEN");

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShopContext(request);
  // Open by default: every run that drops a proposal cancels its draft, and those pile up under "All".
  const status = statusParam.parse(new URL(request.url).searchParams.get("status") ?? "OPEN");
  const [transfers, locations] = await Promise.all([listTransfers(shop.id, 200, status), listLocations(shop.id)]);
  return { transfers, locations, status };
}

// "SKU quantity" per line; commas, tabs or spaces between them (pasted from a spreadsheet works).
const linesSchema = z.string().transform((text, ctx) => {
  const lines: { skuCode: string; quantity: number }[] = [];
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const row = raw.trim();
    if (!row) continue;
    const m = /^(\S+)[\s,;]+(\d+)$/.exec(row);
    if (!m) {
      ctx.addIssue({ code: "custom", message: `Line ${i + 1}: write the SKU, then the quantity (e.g. "MUG-BLUE 12")` });
      return z.NEVER;
    }
    lines.push({ skuCode: m[1] as string, quantity: Number(m[2]) });
  }
  return lines;
});

const actionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("create"), fromLocationId: z.string(), toLocationId: z.string(), lines: linesSchema }),
  z.object({ intent: z.enum(["approve", "ship", "cancel"]), transferId: z.string().min(1) }),
]);

export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await requireShopContext(request);
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ ok: false as const, message: parsed.error.issues.map((i) => i.message).join("; ") }, { status: 422 });
  try {
    if (parsed.data.intent === "create") {
      const created = await createTransfer(shop.id, { fromLocationId: parsed.data.fromLocationId, toLocationId: parsed.data.toLocationId, lines: parsed.data.lines });
      return { ok: true as const, message: `${created.number} created as a draft` };
    }
    const result = await advanceTransfer(shop.id, parsed.data.transferId, parsed.data.intent);
    return { ok: true as const, message: `${result.number} is now ${result.status.toLowerCase()}` };
  } catch (error) {
    if (isAppError(error) && (error.kind === "invalid" || error.kind === "conflict" || error.kind === "not_found")) return data({ ok: false as const, message: error.message }, { status: 422 });
    throw error;
  }
}

const STATUS_TONE = { DRAFT: undefined, APPROVED: "info", SHIPPED: "attention", RECEIVED: "success", CANCELLED: "critical" } as const;

function StepButton({ id, intent, label, tone }: { id: string; intent: string; label: string; tone?: "critical" }) {
  const navigation = useNavigation();
  const busy = navigation.state === "submitting" && navigation.formData?.get("transferId") === id && navigation.formData?.get("intent") === intent;
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="transferId" value={id} />
      <Button submit size="slim" tone={tone} loading={busy} accessibilityLabel={`${label} ${id}`}>
        {label}
      </Button>
    </Form>
  );
}

export default function Transfers() {
  const { transfers, locations, status } = useLoaderData<typeof loader>();
  const navigate = useNavigate();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const options = locations.map((l) => ({ label: l.name, value: l.id }));
  const [from, setFrom] = useState(options[0]?.value ?? "");
  const [to, setTo] = useState(options[1]?.value ?? options[0]?.value ?? "");
  const [lines, setLines] = useState("");
  const creating = navigation.state === "submitting" && navigation.formData?.get("intent") === "create";

  return (
    <AdminPage title="Transfers" fullWidth>
      <BlockStack gap="400">
        {actionData ? <Banner tone={actionData.ok ? "success" : "critical"} title={actionData.message} /> : null}
        <Card padding="0">
          <Tabs
            tabs={TABS.map((tab) => ({ ...tab, panelID: `transfers-${tab.id}` }))}
            selected={Math.max(0, TABS.findIndex((tab) => tab.id === status))}
            onSelect={(index) => navigate(`?status=${TABS[index]?.id ?? "OPEN"}`)}
          />
          {transfers.length === 0 ? (
            <ResourceEmptyState heading={status === "OPEN" || status === "ALL" ? "No transfers to act on" : `No ${status.toLowerCase()} transfers`}>
              <p>The reorder engine proposes transfers when one location has stock another needs; you can also move stock by hand below.</p>
            </ResourceEmptyState>
          ) : (
            <DataTable
              columnContentTypes={["text", "text", "text", "numeric", "numeric", "text", "text", "text"]}
              headings={["Transfer", "Proposed by", "From → to", "SKUs", "Units (received)", "Status", "Dates", ""]}
              rows={transfers.map((t) => [
                // The number opens the transfer's lines: what Approve would move, and why the engine proposed it.
                <Link key="n" to={`/app/transfers/${t.id}`}>
                  {t.number}
                </Link>,
                t.origin === "ENGINE" ? "Reorder engine" : "By hand",
                `${t.fromName} → ${t.toName}`,
                formatCount(t.lineCount),
                `${formatCount(t.units)} (${formatCount(t.unitsReceived)})`,
                <Badge key="s" tone={STATUS_TONE[t.status]}>{t.status.charAt(0) + t.status.slice(1).toLowerCase()}</Badge>,
                [`created ${formatDay(t.createdAt)}`, t.shippedAt ? `shipped ${formatDay(t.shippedAt)}` : null, t.receivedAt ? `received ${formatDay(t.receivedAt)}` : null].filter(Boolean).join(" · "),
                <InlineStack key="a" gap="200" wrap={false}>
                  {t.status === "DRAFT" ? <StepButton id={t.id} intent="approve" label="Approve" /> : null}
                  {t.status === "APPROVED" ? <StepButton id={t.id} intent="ship" label="Ship" /> : null}
                  {t.status === "SHIPPED" ? (
                    <Button size="slim" variant="primary" url={`/app/receiving/transfers/${t.id}`}>
                      Receive
                    </Button>
                  ) : null}
                  {t.status === "DRAFT" || t.status === "APPROVED" ? <StepButton id={t.id} intent="cancel" label="Cancel" tone="critical" /> : null}
                </InlineStack>,
              ])}
            />
          )}
        </Card>

        <Card>
          <Form method="post">
            <input type="hidden" name="intent" value="create" />
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                New transfer
              </Text>
              <FormLayout>
                <FormLayout.Group>
                  <Select label="From" name="fromLocationId" options={options} value={from} onChange={setFrom} />
                  <Select label="To" name="toLocationId" options={options} value={to} onChange={setTo} />
                </FormLayout.Group>
                <TextField
                  label="SKUs and quantities"
                  name="lines"
                  value={lines}
                  onChange={setLines}
                  multiline={4}
                  autoComplete="off"
                  placeholder={"MUG-BLUE 12\nPLATE-WHITE 6"}
                  helpText="One SKU per line, then the number of units."
                />
              </FormLayout>
              <InlineStack align="end">
                <Button submit variant="primary" loading={creating} disabled={options.length < 2}>
                  Create draft
                </Button>
              </InlineStack>
            </BlockStack>
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
