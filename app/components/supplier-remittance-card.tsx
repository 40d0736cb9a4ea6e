import { useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, InlineStack, Text } from "@shopify/polaris";

// A supplier's bank details on the supplier page: the details payments go to, a change the supplier
// submitted in the portal (held until someone here confirms it: changed bank details are the classic
// payment-fraud route), and every submission with what became of it. The page's loader passes
// `getRemittanceHistory(shopId, supplierId)` (services/po-negotiation.server.ts).

export interface RemittanceCardView {
  supplierId: string;
  entries: { id: string; status: "PENDING" | "CONFIRMED" | "REJECTED"; details: unknown; submittedAt: string; submittedBy: string | null; decidedAt: string | null; decidedBy: string | null; inForce: boolean }[];
}

const FIELDS: readonly [string, string][] = [
  ["accountHolder", "Account holder"],
  ["bankName", "Bank"],
  ["iban", "IBAN"],
  ["accountNumber", "Account number"],
  ["routingNumber", "Routing number"],
  ["swift", "SWIFT / BIC"],
];

function describe(details: unknown): string {
  const d = details && typeof details === "object" ? (details as Record<string, unknown>) : {};
  return FIELDS.filter(([key]) => typeof d[key] === "string" && d[key] !== "")
    .map(([key, label]) => `${label}: ${String(d[key])}`)
    .join(" · ");
}

const when = (iso: string | null) => (iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : "—");

export function SupplierRemittanceCard({ view }: { view: RemittanceCardView }) {
  const fetcher = useFetcher<{ ok: boolean; message: string }>();
  const busy = fetcher.state !== "idle";
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  const current = view.entries.find((e) => e.inForce);
  const pending = view.entries.find((e) => e.status === "PENDING");
  const post = (intent: string, remittanceId: string) => fetcher.submit({ intent, remittanceId }, { method: "post", action: `/app/suppliers/${view.supplierId}/remittance` });
  return (
    <Card>
      <BlockStack gap="400">
        <Text as="h2" variant="headingMd">
          Bank details
        </Text>
        {answer ? <Banner tone={answer.ok ? "success" : "critical"} title={answer.message} /> : null}
        <Text as="p">{current ? `Payments go to: ${describe(current.details)}` : "No confirmed bank details yet."}</Text>
        {pending ? (
          <Banner tone="warning" title="The supplier submitted new bank details">
            <BlockStack gap="200">
              <p>
                {describe(pending.details)} — submitted {when(pending.submittedAt)}
                {pending.submittedBy ? ` by ${pending.submittedBy}` : ""}. Call the supplier on a number you already have before confirming.
              </p>
              <InlineStack gap="200">
                <Button loading={busy} onClick={() => post("confirm-remittance", pending.id)}>
                  Confirm new bank details
                </Button>
                <Button tone="critical" variant="plain" disabled={busy} onClick={() => post("reject-remittance", pending.id)}>
                  Reject
                </Button>
              </InlineStack>
            </BlockStack>
          </Banner>
        ) : null}
        {view.entries.length > 0 ? (
          <DataTable
            columnContentTypes={["text", "text", "text", "text"]}
            headings={["Submitted", "Details", "Status", "Decided"]}
            rows={view.entries.map((e) => [
              `${when(e.submittedAt)}${e.submittedBy ? ` (${e.submittedBy})` : ""}`,
              describe(e.details),
              <InlineStack key={e.id} gap="100">
                <Badge tone={e.status === "PENDING" ? "attention" : e.status === "REJECTED" ? "critical" : e.inForce ? "success" : undefined}>{e.inForce ? "In force" : e.status === "PENDING" ? "Held" : e.status === "CONFIRMED" ? "Superseded" : "Rejected"}</Badge>
              </InlineStack>,
              `${when(e.decidedAt)}${e.decidedBy ? ` (${e.decidedBy})` : ""}`,
            ])}
          />
        ) : null}
      </BlockStack>
    </Card>
  );
}
