import { Banner, BlockStack, Button, DataTable, InlineStack } from "@shopify/polaris";

// A bank-details change the supplier submitted in the portal, held until someone here confirms it
// (changed bank details are the classic payment-fraud route). Shown on the supplier's page and on the
// page of the PO it came through; each posts the decision to its own route.

const FIELDS: readonly [key: string, label: string][] = [
  ["accountHolder", "Account holder"],
  ["bankName", "Bank"],
  ["iban", "IBAN"],
  ["accountNumber", "Account number"],
  ["routingNumber", "Routing number"],
  ["swift", "SWIFT / BIC"],
];

/** The filled-in fields of a remittance submission, as [label, value] in display order. */
export function remittanceFields(details: unknown): [string, string][] {
  const d = details && typeof details === "object" ? (details as Record<string, unknown>) : {};
  return FIELDS.flatMap(([key, label]) => {
    const value = d[key];
    return typeof value === "string" && value !== "" ? [[label, value] as [string, string]] : [];
  });
}

export function formatMoment(iso: string | null): string {
  return iso ? `${iso.slice(0, 10)} ${iso.slice(11, 16)}` : "—";
}

export interface PendingRemittance {
  id: string;
  details: unknown;
  submittedAt: string;
  submittedBy: string | null;
}

export function PendingRemittanceBanner({ pending, busy, onDecide }: { pending: PendingRemittance; busy: boolean; onDecide: (intent: "confirm-remittance" | "reject-remittance", remittanceId: string) => void }) {
  return (
    <Banner tone="warning" title="The supplier submitted new bank details">
      <BlockStack gap="200">
        <p>
          Submitted {formatMoment(pending.submittedAt)}
          {pending.submittedBy ? ` by ${pending.submittedBy}` : ""}. Payments keep going to the current details until you confirm. Call the supplier on a number you
          already have before confirming: changed bank details are the classic payment-fraud route.
        </p>
        <DataTable columnContentTypes={["text", "text"]} headings={["Field", "New value"]} rows={remittanceFields(pending.details)} />
        <InlineStack gap="200">
          <Button loading={busy} onClick={() => onDecide("confirm-remittance", pending.id)}>
            Confirm new bank details
          </Button>
          <Button tone="critical" variant="plain" disabled={busy} onClick={() => onDecide("reject-remittance", pending.id)}>
            Reject
          </Button>
        </InlineStack>
      </BlockStack>
    </Banner>
  );
}
