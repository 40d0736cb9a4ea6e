import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigate, useNavigation, useRouteError } from "@remix-run/react";
import { Banner, BlockStack, Button, Card, DataTable, InlineStack, Select, Text } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";
import { z } from "zod";
import { AdminPage } from "../components/admin-page.tsx";
import { formatDay } from "../components/format.ts";
import { ResourceEmptyState } from "../components/resource-empty-state.tsx";
import { ACCOUNT_NAMES, type Account } from "../domain/accounting/postings.ts";
import { formatCents } from "../domain/shared/money.ts";
import { isAppError } from "../lib/app-error.ts";
import { getAccountingPage, markPaymentPaid } from "../services/accounting.server.ts";
import { requireShopContext } from "../services/shop-context.server.ts";

// The books the receiving side writes: the journal of one month (every entry balances), the account
// balances, supplier payables due (deposits and balances after the payment terms) and the CSV export.

const searchSchema = z.object({ period: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/).optional().catch(undefined) });

export async function loader({ request }: LoaderFunctionArgs) {
  const { shop } = await requireShopContext(request);
  const { period } = searchSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  return { page: await getAccountingPage(shop.id, period) };
}

const actionSchema = z.object({ intent: z.literal("pay"), paymentId: z.string().min(1) });

export async function action({ request }: ActionFunctionArgs) {
  const { shop } = await requireShopContext(request);
  const parsed = actionSchema.safeParse(Object.fromEntries(await request.formData()));
  if (!parsed.success) return data({ ok: false as const, message: "Choose a payment to mark as paid" }, { status: 422 });
  try {
    const result = await markPaymentPaid(shop.id, parsed.data.paymentId);
    return { ok: true as const, message: result.message };
  } catch (error) {
    if (isAppError(error) && (error.kind === "conflict" || error.kind === "not_found")) return data({ ok: false as const, message: error.message }, { status: 422 });
    throw error;
  }
}

const money = (cents: number, currency: string) => (cents === 0 ? "—" : formatCents(cents, currency));
const accountName = (account: string) => ACCOUNT_NAMES[account as Account] ?? account;

export default function Accounting() {
  const { page } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigate = useNavigate();
  const navigation = useNavigation();
  const { currency } = page;
  const journalRows = page.entries.flatMap((entry) =>
    entry.lines.map((line, i) => [
      i === 0 ? formatDay(entry.postedAt) : "",
      i === 0 ? entry.memo : "",
      accountName(line.account),
      money(line.debit, currency),
      money(line.credit, currency),
    ]),
  );
  const totalDebit = page.entries.reduce((s, e) => s + e.lines.reduce((t, l) => t + l.debit, 0), 0);
  const totalCredit = page.entries.reduce((s, e) => s + e.lines.reduce((t, l) => t + l.credit, 0), 0);

  return (
    <AdminPage title="Accounting" fullWidth>
      <BlockStack gap="400">
        {actionData ? <Banner tone={actionData.ok ? "success" : "critical"} title={actionData.message} /> : null}
        <Card>
          <InlineStack align="space-between" blockAlign="end" gap="400">
            <Select
              label="Period"
              options={page.periods.map((p) => ({ label: p, value: p }))}
              value={page.period}
              onChange={(value) => navigate(`?period=${value}`)}
            />
            <InlineStack gap="200" blockAlign="center">
              {/* Write-offs have no place in the nav; the merchant looks for them next to the books they hit. */}
              <Button url="/app/write-offs">Write off stock</Button>
              {/* A plain link: the browser downloads the file (a client-side route change would not). */}
              <a href={`/app/accounting/journal.csv?period=${page.period}`} download={`journal-${page.period}.csv`} className="Polaris-Button Polaris-Button--pressable Polaris-Button--variantSecondary Polaris-Button--sizeMedium Polaris-Button--textAlignCenter">
                <Text as="span" variant="bodySm" fontWeight="medium">
                  Export journal (CSV)
                </Text>
              </a>
            </InlineStack>
          </InlineStack>
        </Card>

        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            Payables due
          </Text>
          <Card padding="0">
            {page.payables.length === 0 ? (
              <ResourceEmptyState heading="Nothing due">
                <p>Supplier deposits and balances appear here when purchase orders are received, due after each supplier&apos;s payment terms.</p>
              </ResourceEmptyState>
            ) : (
              <DataTable
                columnContentTypes={["text", "text", "text", "text", "numeric", "text"]}
                headings={["Due", "Supplier", "Purchase order", "Kind", "Amount", ""]}
                rows={page.payables.map((p) => [
                  formatDay(p.dueDate),
                  p.supplierName,
                  p.purchaseOrderNumber,
                  p.kind === "DEPOSIT" ? "Deposit" : "Balance",
                  formatCents(p.amount, p.currency),
                  <Form method="post" key={p.id}>
                    <input type="hidden" name="intent" value="pay" />
                    <input type="hidden" name="paymentId" value={p.id} />
                    <Button submit size="slim" loading={navigation.state === "submitting" && navigation.formData?.get("paymentId") === p.id}>
                      Mark paid
                    </Button>
                  </Form>,
                ])}
              />
            )}
          </Card>
        </BlockStack>

        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            Account balances
          </Text>
          <Card padding="0">
            <DataTable
              columnContentTypes={["text", "numeric", "numeric", "numeric", "numeric"]}
              headings={["Account", "Opening", "Debits", "Credits", "Closing"]}
              rows={page.accounts.map((a) => [a.name, money(a.opening, currency), money(a.debit, currency), money(a.credit, currency), money(a.closing, currency)])}
            />
          </Card>
        </BlockStack>

        <BlockStack gap="200">
          <Text as="h2" variant="headingMd">
            {`Journal ${page.period}`}
          </Text>
          <Card padding="0">
            {journalRows.length === 0 ? (
              <ResourceEmptyState heading="No entries in this period">
                <p>Receipts, un-receipts, write-offs and supplier payments post their entries here.</p>
              </ResourceEmptyState>
            ) : (
              <DataTable
                columnContentTypes={["text", "text", "text", "numeric", "numeric"]}
                headings={["Date", "Entry", "Account", "Debit", "Credit"]}
                rows={journalRows}
                totals={["", "", "", money(totalDebit, currency), money(totalCredit, currency)]}
                showTotalsInFooter
              />
            )}
          </Card>
        </BlockStack>
      </BlockStack>
    </AdminPage>
  );
}

export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
