import { useEffect, useMemo, useState, type FormEvent, type ReactNode } from "react";
import { Form, useNavigation } from "@remix-run/react";
import { Badge, Banner, BlockStack, Button, Card, DataTable, InlineStack, Text, TextField } from "@shopify/polaris";
import { classifyLine, matchScannedCode, type LineOutcome } from "../domain/receiving/receipt.ts";
import { formatCount, formatDay } from "./format.ts";

// The counting part of the receiving screen, shared by purchase orders and transfers. A keyboard-wedge
// scanner types the code and presses Enter into the scan field: each scan adds one unit to the line
// whose barcode (or SKU code) matches. Counts live in the page until "Confirm receipt" posts them with
// the receipt key the loader minted, so a rejected scan or a refused confirm loses nothing, and a
// double-submitted form carries the same key (booked once).

export interface FormLine {
  lineId: string;
  skuCode: string;
  barcode: string | null;
  title: string;
  expected: number;
  received: number;
  outstanding: number;
}

export interface FormReceipt {
  id: string;
  status: "POSTED" | "REVERSED";
  receivedAt: string;
  reversedAt: string | null;
  receivedBy: string | null;
  discrepancy: string | null;
  lines: { skuCode: string; received: number; damaged: number; wrongItem: number; discrepancy: string | null }[];
}

type Count = { received: string; damaged: string; wrongItem: string };

const OUTCOME: Record<LineOutcome, { label: string; tone?: "success" | "attention" | "warning" | "critical" | "info" }> = {
  FULL: { label: "Fully received", tone: "success" },
  PARTIAL: { label: "Partially received", tone: "attention" },
  NOT_RECEIVED: { label: "Not received" },
  OVER: { label: "Over-received", tone: "warning" },
  DAMAGED: { label: "Damaged", tone: "critical" },
  WRONG_ITEM: { label: "Wrong item", tone: "critical" },
};

function toNumber(value: string): number {
  const n = Number(value.trim() === "" ? "0" : value.trim());
  return Number.isFinite(n) ? n : Number.NaN;
}

export function ReceivingForm({
  lines,
  receipts,
  receiptKey,
  receivable,
  error,
  notice,
  bookedReceiptId,
}: {
  lines: FormLine[];
  receipts: FormReceipt[];
  receiptKey: string;
  receivable: boolean;
  error?: string | null;
  notice?: string | null;
  /** Set after a confirm succeeded: clears the counts. */
  bookedReceiptId?: string | null;
}) {
  const navigation = useNavigation();
  const [counts, setCounts] = useState<Record<string, Count>>({});
  const [scan, setScan] = useState("");
  const [scanMessage, setScanMessage] = useState<{ tone: "critical" | "success"; text: string } | null>(null);
  const [receivedBy, setReceivedBy] = useState("");
  // A booked receipt starts a fresh count (the loader has minted the next receipt key meanwhile).
  useEffect(() => {
    if (bookedReceiptId) {
      setCounts({});
      setScanMessage(null);
    }
  }, [bookedReceiptId]);

  const countOf = (lineId: string): Count => counts[lineId] ?? { received: "", damaged: "", wrongItem: "" };
  const setCount = (lineId: string, field: keyof Count) => (value: string) => setCounts((c) => ({ ...c, [lineId]: { ...countOf(lineId), [field]: value } }));

  function onScan(event: FormEvent) {
    event.preventDefault();
    const code = scan.trim();
    setScan("");
    if (!code) return;
    const line = matchScannedCode(lines, code);
    if (!line) {
      setScanMessage({ tone: "critical", text: `Unknown code "${code}": it is not on this delivery. Nothing was counted for it; the other counts are kept.` });
      return;
    }
    const current = countOf(line.lineId);
    const next = (Number.isFinite(toNumber(current.received)) ? toNumber(current.received) : 0) + 1;
    setCounts((c) => ({ ...c, [line.lineId]: { ...current, received: String(next) } }));
    setScanMessage({ tone: "success", text: `${line.skuCode}: ${next} counted` });
  }

  const payload = useMemo(
    () =>
      lines
        .map((l) => {
          const c = counts[l.lineId];
          return { lineId: l.lineId, received: toNumber(c?.received ?? ""), damaged: toNumber(c?.damaged ?? ""), wrongItem: toNumber(c?.wrongItem ?? "") };
        })
        .filter((c) => c.received !== 0 || c.damaged !== 0 || c.wrongItem !== 0),
    [lines, counts],
  );
  const submitting = navigation.state === "submitting" && navigation.formData?.get("intent") === "confirm";

  const rows = lines.map((line) => {
    const c = countOf(line.lineId);
    const received = toNumber(c.received);
    const damaged = toNumber(c.damaged);
    const wrong = toNumber(c.wrongItem);
    const valid = [received, damaged, wrong].every((n) => Number.isInteger(n) && n >= 0);
    const outcome = valid ? classifyLine(line.outstanding, received, damaged, wrong).outcome : null;
    const field = (key: keyof Count, label: string) => (
      <TextField label={`${label} ${line.skuCode}`} labelHidden type="number" min={0} value={c[key]} onChange={setCount(line.lineId, key)} autoComplete="off" placeholder="0" disabled={!receivable} />
    );
    return [
      line.skuCode,
      line.title,
      formatCount(line.expected),
      formatCount(line.received),
      formatCount(line.outstanding),
      field("received", "Received now"),
      field("damaged", "Damaged"),
      field("wrongItem", "Wrong item"),
      outcome ? <Badge tone={OUTCOME[outcome].tone}>{OUTCOME[outcome].label}</Badge> : <Badge tone="critical">Check the numbers</Badge>,
    ];
  });

  return (
    <BlockStack gap="400">
      {notice ? <Banner tone="success" title={notice} /> : null}
      {error ? (
        <Banner tone="critical" title="The receipt was not booked">
          <p>{error}</p>
        </Banner>
      ) : null}
      {receivable ? (
        <Card>
          <form onSubmit={onScan}>
            <TextField
              label="Scan item barcode"
              value={scan}
              onChange={setScan}
              autoComplete="off"
              autoFocus
              helpText="Scan each item (or type its barcode or SKU and press Enter): one scan counts one unit. You can also type the quantities below."
            />
          </form>
          {scanMessage ? (
            <Box>
              <Banner tone={scanMessage.tone} onDismiss={() => setScanMessage(null)}>
                <p>{scanMessage.text}</p>
              </Banner>
            </Box>
          ) : null}
        </Card>
      ) : (
        <Banner tone="info">
          <p>Nothing can be received against this document in its current status.</p>
        </Banner>
      )}
      <Card padding="0">
        <DataTable
          columnContentTypes={["text", "text", "numeric", "numeric", "numeric", "text", "text", "text", "text"]}
          headings={["SKU", "Product", "Expected", "Received so far", "Outstanding", "Received now", "Damaged", "Wrong item", "This delivery"]}
          rows={rows}
        />
      </Card>
      {receivable ? (
        <Card>
          <Form method="post">
            <input type="hidden" name="intent" value="confirm" />
            <input type="hidden" name="receiptKey" value={receiptKey} />
            <input type="hidden" name="lines" value={JSON.stringify(payload)} />
            <InlineStack gap="300" blockAlign="end">
              <TextField label="Received by" name="receivedBy" value={receivedBy} onChange={setReceivedBy} autoComplete="name" />
              <Button submit variant="primary" loading={submitting} disabled={payload.length === 0}>
                Confirm receipt
              </Button>
            </InlineStack>
          </Form>
        </Card>
      ) : null}
      <ReceiptHistory receipts={receipts} />
    </BlockStack>
  );
}

function Box({ children }: { children: ReactNode }) {
  return <div style={{ marginTop: "var(--p-space-300)" }}>{children}</div>;
}

function ReceiptHistory({ receipts }: { receipts: FormReceipt[] }) {
  const navigation = useNavigation();
  if (receipts.length === 0) return null;
  return (
    <BlockStack gap="200">
      <Text as="h2" variant="headingMd">
        Receipts
      </Text>
      {receipts.map((receipt) => (
        <Card key={receipt.id}>
          <BlockStack gap="200">
            <InlineStack align="space-between" blockAlign="center">
              <InlineStack gap="200" blockAlign="center">
                <Text as="h3" variant="headingSm">
                  Received {formatDay(receipt.receivedAt)}
                  {receipt.receivedBy ? ` by ${receipt.receivedBy}` : ""}
                </Text>
                {receipt.status === "REVERSED" ? <Badge>{`Un-received ${formatDay(receipt.reversedAt)}`}</Badge> : <Badge tone="success">Posted</Badge>}
              </InlineStack>
              {receipt.status === "POSTED" ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="unreceive" />
                  <input type="hidden" name="receiptId" value={receipt.id} />
                  <Button submit tone="critical" variant="secondary" loading={navigation.state === "submitting" && navigation.formData?.get("receiptId") === receipt.id}>
                    Un-receive
                  </Button>
                </Form>
              ) : null}
            </InlineStack>
            <Text as="p">
              {receipt.lines
                .map((l) => `${l.skuCode}: ${l.received} received${l.damaged ? `, ${l.damaged} damaged` : ""}${l.wrongItem ? `, ${l.wrongItem} wrong item` : ""}`)
                .join(" · ")}
            </Text>
            {receipt.discrepancy ? (
              <Banner tone="warning" title="Discrepancy flagged for review">
                <p>{receipt.discrepancy}</p>
              </Banner>
            ) : null}
          </BlockStack>
        </Card>
      ))}
    </BlockStack>
  );
}
