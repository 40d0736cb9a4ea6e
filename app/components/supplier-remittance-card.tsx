import { useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Card, DataTable, InlineStack, Text } from "@shopify/polaris";
import { formatMoment as when, PendingRemittanceBanner, remittanceFields } from "./pending-remittance-banner.tsx";

// A supplier's bank details on the supplier page: the details payments go to, a change the supplier
// submitted in the portal (held until someone here confirms it: changed bank details are the classic
// payment-fraud route), and every submission with what became of it. The page's loader passes
// `getRemittanceHistory(shopId, supplierId)` (services/po-negotiation.server.ts).

export interface RemittanceCardView {
  supplierId: string;
  entries: { id: string; status: "PENDING" | "CONFIRMED" | "REJECTED"; details: unknown; submittedAt: string; submittedBy: string | null; decidedAt: string | null; decidedBy: string | null; inForce: boolean }[];
}

function describe(details: unknown): string {
  return remittanceFields(details)
    .map(([label, value]) => `${label}: ${value}`)
    .join(" · ");
}

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
        {pending ? <PendingRemittanceBanner pending={pending} busy={busy} onDecide={post} /> : null}
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
