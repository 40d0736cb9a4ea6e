import { describe, expect, it } from "vitest";
import { toPriceUnits } from "../shared/money.ts";
import { observedLeadTimeDays } from "./observed-lead-time.ts";
import { applyReceiptToLines, classifyLine, matchScannedCode, planReceipt, receiptEvent, type ReceivableLine } from "./receipt.ts";
import { transferTransition, validateTransferDraft } from "./transfer.ts";

const lines: ReceivableLine[] = [
  { lineId: "a", skuId: "sku-a", quantityExpected: 10, quantityReceived: 0, quantityDamaged: 0, unitCost: toPriceUnits("2.50") },
  { lineId: "b", skuId: "sku-b", quantityExpected: 4, quantityReceived: 3, quantityDamaged: 0, unitCost: toPriceUnits("1.125") },
  { lineId: "c", skuId: "sku-c", quantityExpected: 6, quantityReceived: 0, quantityDamaged: 0, unitCost: toPriceUnits("9") },
];

function plan(counts: Parameters<typeof planReceipt>[1]) {
  const result = planReceipt(lines, counts);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
}

describe("classifyLine", () => {
  it.each([
    [10, 10, 0, 0, "FULL", []],
    [10, 4, 0, 0, "PARTIAL", []],
    [10, 0, 0, 0, "NOT_RECEIVED", []],
    [10, 12, 0, 0, "OVER", ["OVER"]],
    [10, 0, 2, 0, "DAMAGED", ["DAMAGED"]],
    [10, 0, 0, 1, "WRONG_ITEM", ["WRONG_ITEM"]],
    [10, 8, 2, 0, "PARTIAL", ["DAMAGED"]],
    [0, 0, 0, 0, "FULL", []],
  ] as const)("outstanding %i, received %i, damaged %i, wrong %i → %s", (outstanding, received, damaged, wrong, outcome, kinds) => {
    expect(classifyLine(outstanding, received, damaged, wrong)).toEqual({ outcome, discrepancies: kinds });
  });
});

describe("planReceipt", () => {
  it("classifies every line, values only good units and knows when the document is complete", () => {
    const p = plan([{ lineId: "a", received: 4 }, { lineId: "b", received: 2, damaged: 1 }]);
    expect(p.lines.map((l) => [l.lineId, l.outcome, l.outstandingBefore, l.outstandingAfter])).toEqual([
      ["a", "PARTIAL", 10, 6],
      ["b", "OVER", 1, 0],
      ["c", "NOT_RECEIVED", 6, 6],
    ]);
    expect(p.recorded.map((l) => l.lineId)).toEqual(["a", "b"]);
    // 4 × 2.50 + 2 × 1.125 = 10.00 + 2.25
    expect(p.value).toBe(1225);
    expect(p.complete).toBe(false);
    expect(p.skuIds).toEqual(["sku-a", "sku-b"]);
    expect(p.discrepancies).toEqual([{ lineId: "b", skuId: "sku-b", kinds: ["OVER", "DAMAGED"], message: "1 more than outstanding (1), 1 damaged" }]);
  });

  it("is complete when every line has what was expected", () => {
    const p = plan([{ lineId: "a", received: 10 }, { lineId: "b", received: 1 }, { lineId: "c", received: 6 }]);
    expect(p.complete).toBe(true);
    expect(p.discrepancies).toEqual([]);
    expect(p.lines.map((l) => l.outcome)).toEqual(["FULL", "FULL", "FULL"]);
  });

  it("records damaged and wrong items without stock or value", () => {
    const p = plan([{ lineId: "c", received: 0, damaged: 2, wrongItem: 1 }]);
    expect(p.value).toBe(0);
    expect(p.skuIds).toEqual([]);
    expect(p.recorded[0]).toMatchObject({ outcome: "DAMAGED", discrepancies: ["DAMAGED", "WRONG_ITEM"] });
  });

  it.each([
    [[{ lineId: "zz", received: 1 }], "unknown_line"],
    [[{ lineId: "a", received: 1.5 }], "invalid_quantity"],
    [[{ lineId: "a", received: -1 }], "invalid_quantity"],
    [[{ lineId: "a", received: 1, damaged: Number.NaN }], "invalid_quantity"],
    // A barcode typed into the quantity field: refused before it overflows the stored counters.
    [[{ lineId: "a", received: 3_000_000_000 }], "invalid_quantity"],
    [[{ lineId: "a", received: 0, damaged: 2_147_483_647 }], "invalid_quantity"],
    [[{ lineId: "a", received: 1 }, { lineId: "a", received: 2 }], "duplicate_line"],
    [[{ lineId: "a", received: 0 }], "nothing_counted"],
    [[], "nothing_counted"],
  ])("refuses %j (%s)", (counts, code) => {
    const result = planReceipt(lines, counts);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe(code);
  });
});

describe("un-receive is the inverse", () => {
  it("applying a receipt and then its negation gives the lines back", () => {
    const p = plan([{ lineId: "a", received: 4, damaged: 1 }, { lineId: "c", received: 6 }]);
    const after = applyReceiptToLines(lines, p.recorded);
    expect(after.map((l) => [l.quantityReceived, l.quantityDamaged])).toEqual([[4, 1], [3, 0], [6, 0]]);
    expect(applyReceiptToLines(after, p.recorded, -1)).toEqual(lines);
  });

  it("fires receive-complete only when every line is in", () => {
    const expected = (received: number[]) => received.map((r, i) => ({ quantityExpected: [10, 4][i] ?? 0, quantityReceived: r }));
    expect(receiptEvent(expected([10, 3]))).toBe("receive-partial");
    expect(receiptEvent(expected([10, 5]))).toBe("receive-complete");
  });
});

describe("matchScannedCode", () => {
  const scan = [
    { id: 1, barcode: "0012345678905", skuCode: "MUG-RED" },
    { id: 2, barcode: null, skuCode: "0012345678905-X" },
    { id: 3, barcode: "MUG-BLUE", skuCode: "OTHER" },
  ];
  it("matches the barcode first, then the SKU code in any case, and nothing for an unknown code", () => {
    expect(matchScannedCode(scan, " 0012345678905 ")?.id).toBe(1);
    expect(matchScannedCode(scan, "mug-red")?.id).toBe(1);
    expect(matchScannedCode(scan, "MUG-BLUE")?.id).toBe(3);
    expect(matchScannedCode(scan, "nope")).toBeNull();
    expect(matchScannedCode(scan, "  ")).toBeNull();
  });
});

describe("observedLeadTimeDays", () => {
  it("measures placed → received in days to one decimal", () => {
    expect(observedLeadTimeDays(new Date("2026-03-01T00:00:00Z"), new Date("2026-03-15T12:00:00Z"))).toBe(14.5);
    expect(observedLeadTimeDays(null, new Date())).toBeNull();
    expect(observedLeadTimeDays(new Date("2026-03-02T00:00:00Z"), new Date("2026-03-01T00:00:00Z"))).toBeNull();
  });
});

describe("transfers", () => {
  it("moves draft → approved → shipped → received and refuses skipping a step", () => {
    expect(transferTransition("DRAFT", "approve")).toEqual({ ok: true, value: "APPROVED" });
    expect(transferTransition("APPROVED", "ship")).toEqual({ ok: true, value: "SHIPPED" });
    expect(transferTransition("SHIPPED", "receive")).toEqual({ ok: true, value: "RECEIVED" });
    expect(transferTransition("RECEIVED", "unreceive")).toEqual({ ok: true, value: "SHIPPED" });
    expect(transferTransition("DRAFT", "ship", "TR-1")).toEqual({ ok: false, error: "Cannot ship TR-1: it is draft (allowed from: approved)" });
    expect(transferTransition("SHIPPED", "cancel").ok).toBe(false);
  });

  it("validates hand-made drafts", () => {
    expect(validateTransferDraft("l1", "l1", [{ skuId: "s", quantity: 1 }])).toEqual({ ok: false, error: "A transfer needs two different locations" });
    expect(validateTransferDraft("l1", "l2", [{ skuId: "s", quantity: 0 }]).ok).toBe(false);
    expect(validateTransferDraft("l1", "l2", [{ skuId: "s", quantity: 3_000_000_000 }]).ok).toBe(false);
    expect(validateTransferDraft("l1", "l2", [{ skuId: "s", quantity: 1 }, { skuId: "s", quantity: 2 }]).ok).toBe(false);
    expect(validateTransferDraft("l1", "l2", [])).toEqual({ ok: false, error: "Add at least one SKU with a quantity" });
    expect(validateTransferDraft("l1", "l2", [{ skuId: "s", quantity: 3 }]).ok).toBe(true);
  });
});
