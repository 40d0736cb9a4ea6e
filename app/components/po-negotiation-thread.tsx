import { useState } from "react";
import { useFetcher } from "@remix-run/react";
import { Badge, Banner, BlockStack, Box, Button, Card, DataTable, Divider, InlineStack, Text, TextField } from "@shopify/polaris";
import { formatMoment as when, PendingRemittanceBanner } from "./pending-remittance-banner.tsx";

// The supplier conversation on a PO's page (issue 5, item 4): every offer round, comment, file and
// shipping update in order; while the supplier's counter-offer is open, "Accept counter-offer" or a
// counter-offer back; a held bank-details change to confirm or reject. The PO page's loader passes
// `getNegotiationView(shopId, poId)` (services/po-negotiation.server.ts) as `view`; the buttons post to
// /app/purchase-orders/:id/negotiation, and the page's loader revalidates afterwards.

export interface NegotiationThreadView {
  purchaseOrderId: string;
  number: string;
  status: string;
  currency: string;
  turn: "SUPPLIER" | "MERCHANT" | null;
  lines: { id: string; skuCode: string; title: string; quantityOrdered: number; unitCost: string; expectedDate: string | null }[];
  thread: {
    id: string;
    type: string;
    actorType: string;
    actorName: string | null;
    message: string | null;
    lineId: string | null;
    createdAt: string;
    offer: { round: number; lines: { lineId: string; quantity: number; unitCost: string; expectedDate: string | null }[]; notes: string | null } | null;
    attachmentId?: string | null;
  }[];
  pendingRemittance: { id: string; submittedAt: string; submittedBy: string | null; details: unknown } | null;
}

type ActionAnswer = { ok: boolean; message: string; fieldErrors: Record<string, string>; values: Record<string, string> };

const WHO: Record<string, string> = { SUPPLIER: "Supplier", MERCHANT: "You", SYSTEM: "System" };


export function PoNegotiationThread({ view }: { view: NegotiationThreadView }) {
  const fetcher = useFetcher<ActionAnswer>();
  const action = `/app/purchase-orders/${view.purchaseOrderId}/negotiation`;
  const busy = fetcher.state !== "idle";
  const answer = fetcher.state === "idle" ? fetcher.data : undefined;
  const [countering, setCountering] = useState(false);
  const [values, setValues] = useState<Record<string, string>>({});
  const errors = answer && !answer.ok ? answer.fieldErrors : {};
  const lineCode = new Map(view.lines.map((l) => [l.id, l.skuCode]));
  const offers = view.thread.filter((e) => e.offer);
  const latest = offers[offers.length - 1];

  const post = (data: Record<string, string>) => fetcher.submit(data, { method: "post", action });

  return (
    <Card>
      <BlockStack gap="400">
        <InlineStack align="space-between" blockAlign="center">
          <Text as="h2" variant="headingMd">
            Supplier conversation
          </Text>
          {view.turn === "MERCHANT" ? <Badge tone="attention">Counter-offer waiting for you</Badge> : null}
          {view.turn === "SUPPLIER" ? <Badge tone="info">Waiting for the supplier</Badge> : null}
        </InlineStack>

        {answer ? (
          <Banner tone={answer.ok ? "success" : "critical"} title={answer.message}>
            {!answer.ok && Object.keys(answer.fieldErrors).length > 0 ? <p>Nothing was sent. Correct the highlighted fields.</p> : null}
          </Banner>
        ) : null}

        {view.pendingRemittance ? (
          <PendingRemittanceBanner pending={view.pendingRemittance} busy={busy} onDecide={(intent, remittanceId) => post({ intent, remittanceId })} />
        ) : null}

        {view.thread.length === 0 ? (
          <Text as="p" tone="subdued">
            No messages yet.
          </Text>
        ) : (
          <BlockStack gap="300" as="ol">
            {view.thread.map((entry) => (
              <Box as="li" key={entry.id} paddingInlineStart="300" borderInlineStartWidth="050" borderColor={entry.actorType === "SUPPLIER" ? "border-info" : "border"}>
                <BlockStack gap="100">
                  <Text as="p" tone="subdued" variant="bodySm">
                    {when(entry.createdAt)} · {entry.actorName ?? WHO[entry.actorType] ?? entry.actorType}
                    {entry.lineId && lineCode.has(entry.lineId) ? ` · on ${lineCode.get(entry.lineId)}` : ""}
                  </Text>
                  <Text as="p">{entry.message}</Text>
                  {entry.attachmentId ? (
                    // A document request (not Remix's Link, which would fetch it as page data).
                    <a href={`/app/purchase-orders/${view.purchaseOrderId}/attachments/${entry.attachmentId}`} download>
                      Download the file
                    </a>
                  ) : null}
                  {entry.offer ? (
                    <DataTable
                      columnContentTypes={["text", "numeric", "numeric", "text"]}
                      headings={["Line", "Quantity", "Unit cost", "Date"]}
                      rows={entry.offer.lines.map((l) => {
                        const current = view.lines.find((c) => c.id === l.lineId);
                        const mark = (changed: boolean, text: string) => (changed ? `${text} ✱` : text);
                        return [
                          lineCode.get(l.lineId) ?? "—",
                          mark(entry === latest && current !== undefined && current.quantityOrdered !== l.quantity, String(l.quantity)),
                          mark(entry === latest && current !== undefined && Number(current.unitCost) !== Number(l.unitCost), `${view.currency} ${l.unitCost}`),
                          l.expectedDate ?? "—",
                        ];
                      })}
                    />
                  ) : null}
                </BlockStack>
              </Box>
            ))}
          </BlockStack>
        )}

        {view.turn === "MERCHANT" ? (
          <>
            <Divider />
            <Text as="p">✱ differs from the order as it stands. Accepting makes the supplier's terms the order's lines.</Text>
            <InlineStack gap="200">
              <Button variant="primary" loading={busy} onClick={() => post({ intent: "accept-counter" })}>
                Accept counter-offer
              </Button>
              <Button disabled={busy} onClick={() => setCountering((v) => !v)} ariaExpanded={countering} ariaControls="counter-back-form">
                Counter back
              </Button>
            </InlineStack>
            {countering ? (
              <div id="counter-back-form">
                <BlockStack gap="300">
                  <Text as="h3" variant="headingSm">
                    Your counter-offer (empty fields keep the supplier's terms)
                  </Text>
                  {view.lines.map((line) => {
                    const offered = latest?.offer?.lines.find((l) => l.lineId === line.id);
                    const key = (f: string) => `line.${line.id}.${f}`;
                    const field = (f: "quantity" | "unitCost" | "expectedDate", label: string, placeholder: string) => (
                      <TextField
                        label={`${label} (${line.skuCode})`}
                        autoComplete="off"
                        value={values[key(f)] ?? ""}
                        placeholder={placeholder}
                        onChange={(v) => setValues((old) => ({ ...old, [key(f)]: v }))}
                        error={errors[key(f)]}
                        {...(f === "expectedDate" ? { type: "date" as const } : {})}
                      />
                    );
                    return (
                      <InlineStack key={line.id} gap="300" wrap>
                        {field("quantity", "Quantity", String(offered?.quantity ?? line.quantityOrdered))}
                        {field("unitCost", "Unit cost", offered?.unitCost ?? line.unitCost)}
                        {field("expectedDate", "Date", offered?.expectedDate ?? line.expectedDate ?? "")}
                      </InlineStack>
                    );
                  })}
                  <TextField label="Notes for the supplier" multiline={3} autoComplete="off" value={values.notes ?? ""} onChange={(v) => setValues((old) => ({ ...old, notes: v }))} error={errors.notes ?? errors.form} />
                  <InlineStack>
                    <Button loading={busy} onClick={() => post({ intent: "counter-back", ...values })}>
                      Send counter-offer
                    </Button>
                  </InlineStack>
                </BlockStack>
              </div>
            ) : null}
          </>
        ) : null}
      </BlockStack>
    </Card>
  );
}
