import type { ReactNode } from "react";
import { BlockStack, Card } from "@shopify/polaris";
import { AdminPage } from "./admin-page.tsx";
import { ReceivingForm, type FormLine, type FormReceipt } from "./receiving-form.tsx";

// The receiving screen of one document, a purchase order or a transfer: the page title, a header card
// the route fills with what is particular to its document, and the shared counting form wired to the
// route's loader (the screen and the receipt key) and action (app/services/receiving-actions.server.ts).

type Moment = string | Date;

export interface ReceivingPageScreen {
  number: string;
  counterparty: string;
  locationName: string;
  receivable: boolean;
  lines: FormLine[];
  receipts: (Omit<FormReceipt, "receivedAt" | "reversedAt"> & { receivedAt: Moment; reversedAt: Moment | null })[];
}

/** The receiving action's answer, as the page gets it back. */
export type ReceivingActionAnswer = { ok: true; notice: string; receiptId: string } | { ok: false; error: string };

export function ReceivingPage({ screen, receiptKey, actionData, header }: { screen: ReceivingPageScreen; receiptKey: string; actionData: ReceivingActionAnswer | undefined; header: ReactNode }) {
  return (
    <AdminPage title={`Receive ${screen.number}`} subtitle={`${screen.counterparty} → ${screen.locationName}`} fullWidth>
      <BlockStack gap="400">
        <Card>{header}</Card>
        <ReceivingForm
          lines={screen.lines}
          receipts={screen.receipts.map((r) => ({ ...r, receivedAt: String(r.receivedAt), reversedAt: r.reversedAt ? String(r.reversedAt) : null }))}
          receiptKey={receiptKey}
          receivable={screen.receivable}
          error={actionData && !actionData.ok ? actionData.error : null}
          notice={actionData?.ok ? actionData.notice : null}
          bookedReceiptId={actionData?.ok ? actionData.receiptId : null}
        />
      </BlockStack>
    </AdminPage>
  );
}
