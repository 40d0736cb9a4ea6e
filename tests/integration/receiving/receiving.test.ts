// Issue 5, the receiving half of the acceptance line: a sent PO is received by scan in two partial
// receipts; ledger, on-hand, the balanced journal with the payable and deposit, the observed lead time
// (what the engine reads), the push-stock and re-plan jobs, and the PO closed. Replays (a double-submitted
// form, a retried job) change nothing; un-receive compensates without deleting anything.
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { matchScannedCode } from "#app/domain/receiving/receipt.ts";
import { closeQueues, getProducerQueues } from "#app/lib/queue.server.ts";
import { getLedgerBalance } from "#app/models/ledger.server.ts";
import { confirmReceipt, unreceiveReceipt } from "#app/services/receiving.server.ts";
import { loadReceivingScreen } from "#app/services/receiving-screen.server.ts";
import { resetDatabase } from "#tests/setup/db.ts";
import { obliterateAll } from "#tests/integration/workers/helpers.ts";
import { createReceivingFixture, type ReceivingFixture } from "./fixtures.ts";

beforeEach(resetDatabase);
afterEach(async () => obliterateAll(getProducerQueues()));
afterAll(closeQueues);

const SENT_AT = new Date("2026-03-02T09:00:00Z");
const FIRST = new Date("2026-03-20T10:00:00Z");
const SECOND = new Date("2026-03-23T15:30:00Z");

/** What a keyboard-wedge scanner produces: one code per item, turned into per-line counts like the screen does. */
async function scanCounts(f: ReceivingFixture, codes: string[]) {
  const screen = await loadReceivingScreen(f.shopId, f.purchaseOrderId);
  const counts = new Map<string, number>();
  for (const code of codes) {
    const line = matchScannedCode(screen.lines, code);
    if (!line) throw new Error(`unknown code ${code}`);
    counts.set(line.lineId, (counts.get(line.lineId) ?? 0) + 1);
  }
  return [...counts].map(([lineId, received]) => ({ lineId, received }));
}

async function state(f: ReceivingFixture) {
  const [po, lines, levels, movements, entries, lines2, payments, reviews] = await Promise.all([
    prisma.purchaseOrder.findUniqueOrThrow({ where: { id: f.purchaseOrderId } }),
    prisma.purchaseOrderLine.findMany({ where: { purchaseOrderId: f.purchaseOrderId }, orderBy: { sku: { code: "asc" } } }),
    prisma.inventoryLevel.findMany({ where: { shopId: f.shopId }, orderBy: { skuId: "asc" } }),
    prisma.inventoryMovement.count({ where: { shopId: f.shopId } }),
    prisma.journalEntry.count({ where: { shopId: f.shopId } }),
    prisma.journalLine.count({ where: { shopId: f.shopId } }),
    prisma.supplierPayment.findMany({ where: { shopId: f.shopId }, orderBy: { dueDate: "asc" } }),
    prisma.reviewItem.count({ where: { shopId: f.shopId } }),
  ]);
  return { po, lines, levels, movements, entries, lines2, payments, reviews, receipts: await prisma.receipt.count({ where: { shopId: f.shopId } }), events: await prisma.purchaseOrderEvent.count({ where: { purchaseOrderId: f.purchaseOrderId } }) };
}

async function balances(shopId: string) {
  const lines = await prisma.journalLine.findMany({ where: { shopId } });
  const byAccount: Record<string, number> = {};
  for (const line of lines) byAccount[line.account] = Math.round(((byAccount[line.account] ?? 0) + Number(line.debit) - Number(line.credit)) * 100) / 100;
  return byAccount;
}

describe("receiving a purchase order in two partial receipts by scan", () => {
  it("books stock, journal, payables, lead time and jobs, closes the PO, and replays change nothing", async () => {
    // Mugs: 3 ordered at 4.00, 2 on hand. Plates: 2 ordered at 2.50 (barcode 4006381333931). 50% deposit, 30-day terms.
    const f = await createReceivingFixture({ sentAt: SENT_AT, depositPct: "0.5" });

    // Delivery 1: two mugs (one by barcode, one by SKU code in lower case) and one plate.
    const first = await confirmReceipt(f.shopId, { purchaseOrderId: f.purchaseOrderId, receiptKey: "scan-1-abcdef", lines: await scanCounts(f, ["4006381333900", "mug-blue", "4006381333931"]), receivedBy: "sam" }, { now: FIRST });
    expect(first).toMatchObject({ replayed: false, status: "PARTIALLY_RECEIVED", value: 1050, discrepancies: [], observedLeadTimeDays: null, skuIds: [f.mugId, f.plateId].sort() });

    // The same form submitted twice, and a retried job: same key, nothing new.
    const afterFirst = await state(f);
    const again = await confirmReceipt(f.shopId, { purchaseOrderId: f.purchaseOrderId, receiptKey: "scan-1-abcdef", lines: await scanCounts(f, ["4006381333900", "mug-blue", "4006381333931"]) }, { now: FIRST });
    expect(again).toMatchObject({ replayed: true, receiptId: first.receiptId, status: "PARTIALLY_RECEIVED" });
    expect(await state(f)).toEqual(afterFirst);

    // Delivery 2: the last mug and the last plate.
    const second = await confirmReceipt(f.shopId, { purchaseOrderId: f.purchaseOrderId, receiptKey: "scan-2-abcdef", lines: await scanCounts(f, ["MUG-BLUE", "4006381333931"]), receivedBy: "sam" }, { now: SECOND });
    expect(second).toMatchObject({ replayed: false, status: "CLOSED", value: 650, observedLeadTimeDays: 21.3 });

    const after = await state(f);
    // PO: received in full, closed, the lead time's end stamped where the engine reads it (sentAt → receivedAt).
    expect(after.po).toMatchObject({ status: "CLOSED", firstReceivedAt: FIRST, receivedAt: SECOND, closedAt: SECOND, sentAt: SENT_AT });
    expect(after.lines.map((l) => [l.quantityOrdered, l.quantityReceived])).toEqual([[3, 3], [2, 2]]);
    const events = await prisma.purchaseOrderEvent.findMany({ where: { purchaseOrderId: f.purchaseOrderId }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
    expect(events.map((e) => [(e.data as { event: string }).event, e.actorType, e.actorName, e.toStatus])).toEqual([
      ["receive-partial", "SYSTEM", "receiving desk (sam)", "PARTIALLY_RECEIVED"],
      ["receive-complete", "SYSTEM", "receiving desk (sam)", "RECEIVED"],
      ["close", "MERCHANT", "sam", "CLOSED"],
    ]);

    // Ledger and on-hand: mugs 2 + 3, plates 0 + 2; on-hand equals the sum of movements.
    const level = (skuId: string) => after.levels.find((l) => l.skuId === skuId)?.onHand;
    expect([level(f.mugId), level(f.plateId)]).toEqual([5, 2]);
    expect(await getLedgerBalance(f.shopId, f.mugId, f.locationId)).toBe(5);
    const receiptMovements = await prisma.inventoryMovement.findMany({ where: { shopId: f.shopId, kind: "RECEIPT" }, orderBy: { quantity: "asc" } });
    expect(receiptMovements.map((m) => m.quantity).sort()).toEqual([1, 1, 1, 2]);

    // Journal: every entry balances (the trigger guarantees it; here the sums say so too), inventory at cost
    // (3 × 4.00 + 2 × 2.50 = 17.00), GRNI cleared, the 50% deposit (of the 17.00 PO total: 8.50) applied first.
    const entries = await prisma.journalEntry.findMany({ where: { shopId: f.shopId }, include: { lines: true } });
    for (const entry of entries) {
      const debit = entry.lines.reduce((s, l) => s + Number(l.debit), 0);
      const credit = entry.lines.reduce((s, l) => s + Number(l.credit), 0);
      expect(debit).toBeCloseTo(credit, 6);
    }
    expect(entries).toHaveLength(4);
    expect(await balances(f.shopId)).toEqual({ INVENTORY: 17, GRNI: 0, ACCOUNTS_PAYABLE: -8.5, SUPPLIER_DEPOSITS: -8.5 });
    // Payables: the deposit (due when sent) and one balance per receipt after the 30-day terms.
    expect(after.payments.map((p) => [p.kind, Number(p.amount), p.dueDate.toISOString().slice(0, 10), p.status])).toEqual([
      ["DEPOSIT", 8.5, "2026-03-02", "DUE"],
      ["BALANCE", 2, "2026-04-19", "DUE"],
      ["BALANCE", 6.5, "2026-04-22", "DUE"],
    ]);

    // Jobs: every channel gets the new quantities (one coalesced push-stock), the engine re-plans those SKUs.
    const queues = getProducerQueues();
    const pushes = await queues.queue("channel-sync").getJobs(["delayed", "waiting", "active", "completed"]);
    expect(pushes.filter((j) => j.name === "push-stock").map((j) => j.data)).toEqual([{ shopId: f.shopId }]);
    const replans = await queues.queue("reorder").getJobs(["delayed", "waiting"]);
    expect(replans.map((j) => j.data.skuIds).flat().sort()).toEqual(expect.arrayContaining([f.mugId, f.plateId].sort()));
    expect(replans.every((j) => j.data.trigger === "STOCK_CHANGE" && j.data.shopId === f.shopId)).toBe(true);

    // Replaying both receipts after the PO closed still changes nothing.
    for (const [key, codes] of [["scan-1-abcdef", ["MUG-BLUE"]], ["scan-2-abcdef", ["MUG-BLUE"]]] as const) {
      const replay = await confirmReceipt(f.shopId, { purchaseOrderId: f.purchaseOrderId, receiptKey: key, lines: await scanCounts(f, [...codes]) });
      expect(replay).toMatchObject({ replayed: true, status: "CLOSED" });
    }
    expect(await state(f)).toEqual(after);
  });

  it("flags over, damaged and wrong items, and refuses bad counts without writing anything", async () => {
    const f = await createReceivingFixture({ sentAt: SENT_AT });
    const before = await state(f);
    await expect(confirmReceipt(f.shopId, { purchaseOrderId: f.purchaseOrderId, receiptKey: "bad-count-1", lines: [{ lineId: f.mugLineId, received: -1 }] })).rejects.toMatchObject({ kind: "invalid" });
    await expect(confirmReceipt(f.shopId, { purchaseOrderId: f.purchaseOrderId, receiptKey: "bad-count-2", lines: [{ lineId: "nope", received: 1 }] })).rejects.toMatchObject({ kind: "invalid" });
    await expect(confirmReceipt(f.shopId, { purchaseOrderId: f.purchaseOrderId, receiptKey: "short", lines: [{ lineId: f.mugLineId, received: 1 }] })).rejects.toMatchObject({ kind: "invalid" });
    await expect(confirmReceipt(f.shopId, { purchaseOrderId: f.purchaseOrderId, receiptKey: "nothing-01", lines: [{ lineId: f.mugLineId, received: 0 }] })).rejects.toMatchObject({ kind: "invalid" });
    expect(await state(f)).toEqual(before);

    const result = await confirmReceipt(
      f.shopId,
      { purchaseOrderId: f.purchaseOrderId, receiptKey: "flags-000001", lines: [{ lineId: f.mugLineId, received: 4, damaged: 1 }, { lineId: f.plateLineId, received: 0, wrongItem: 2 }] },
      { now: FIRST },
    );
    // Over-received mugs are booked (they are on the shelf); damaged and wrong items are not.
    expect(result.status).toBe("PARTIALLY_RECEIVED");
    expect(result.discrepancies.map((d) => [d.skuId, d.kinds])).toEqual([[f.mugId, ["OVER", "DAMAGED"]], [f.plateId, ["WRONG_ITEM"]]]);
    const review = await prisma.reviewItem.findFirstOrThrow({ where: { shopId: f.shopId, kind: "RECEIPT_DISCREPANCY" } });
    expect(review).toMatchObject({ subjectType: "RECEIPT", subjectId: result.receiptId, status: "OPEN" });
    expect(review.reason).toContain("MUG-BLUE 1 more than outstanding (3), 1 damaged");
    const lines = await prisma.receiptLine.findMany({ where: { receiptId: result.receiptId } });
    expect(lines.map((l) => [l.quantityReceived, l.quantityDamaged, l.quantityWrongItem, l.discrepancy]).sort()).toEqual([[0, 0, 2, "WRONG_ITEM"], [4, 1, 0, "OVER,DAMAGED"]]);
    expect((await prisma.inventoryLevel.findFirstOrThrow({ where: { skuId: f.mugId } })).onHand).toBe(6);

    // Un-receiving that receipt resolves its review item: the discrepancy no longer stands.
    await unreceiveReceipt(f.shopId, result.receiptId, { by: "sam", now: SECOND });
    expect(await prisma.reviewItem.findFirstOrThrow({ where: { id: review.id } })).toMatchObject({ status: "RESOLVED", resolvedBy: "un-received by sam", resolvedAt: SECOND });
  });

  it("un-receives with compensating movements and reversed entries, reopens the PO, and a second un-receive is a no-op", async () => {
    const f = await createReceivingFixture({ sentAt: SENT_AT });
    const full = await confirmReceipt(f.shopId, { purchaseOrderId: f.purchaseOrderId, receiptKey: "full-000001", lines: [{ lineId: f.mugLineId, received: 3 }, { lineId: f.plateLineId, received: 2 }] }, { now: FIRST });
    expect(full.status).toBe("CLOSED");
    const movementsBefore = await prisma.inventoryMovement.count({ where: { shopId: f.shopId } });

    const undone = await unreceiveReceipt(f.shopId, full.receiptId, { by: "sam", now: SECOND });
    expect(undone).toMatchObject({ replayed: false, status: "PARTIALLY_RECEIVED" });
    const po = await prisma.purchaseOrder.findUniqueOrThrow({ where: { id: f.purchaseOrderId } });
    // The lead time's end is void again: the engine must not learn from goods that are not here.
    expect(po).toMatchObject({ status: "PARTIALLY_RECEIVED", receivedAt: null, closedAt: null });
    expect((await prisma.purchaseOrderLine.findMany({ where: { purchaseOrderId: f.purchaseOrderId } })).map((l) => l.quantityReceived)).toEqual([0, 0]);
    // Nothing deleted: the receipts' movements stay, with their negations beside them.
    const movements = await prisma.inventoryMovement.findMany({ where: { shopId: f.shopId, sourceType: "RECEIPT" } });
    expect(movements).toHaveLength(4);
    expect(movements.filter((m) => m.kind === "UNRECEIVE").every((m) => m.reversesMovementId !== null && m.quantity < 0)).toBe(true);
    expect(await prisma.inventoryMovement.count({ where: { shopId: f.shopId } })).toBe(movementsBefore + 2);
    expect((await prisma.inventoryLevel.findFirstOrThrow({ where: { skuId: f.mugId } })).onHand).toBe(2);
    expect(await prisma.receipt.findUniqueOrThrow({ where: { id: full.receiptId } })).toMatchObject({ status: "REVERSED", reversedAt: SECOND });
    expect(Object.values(await balances(f.shopId)).every((v) => v === 0)).toBe(true);
    expect(await prisma.journalEntry.count({ where: { shopId: f.shopId, sourceType: "UNRECEIVE" } })).toBe(2);
    expect((await prisma.supplierPayment.findFirstOrThrow({ where: { shopId: f.shopId, kind: "BALANCE" } })).status).toBe("CANCELLED");

    const snapshot = await state(f);
    expect(await unreceiveReceipt(f.shopId, full.receiptId, { now: SECOND })).toMatchObject({ replayed: true });
    expect(await state(f)).toEqual(snapshot);

    // The PO can be received again after the reversal.
    const again = await confirmReceipt(f.shopId, { purchaseOrderId: f.purchaseOrderId, receiptKey: "full-000002", lines: [{ lineId: f.mugLineId, received: 3 }, { lineId: f.plateLineId, received: 2 }] }, { now: SECOND });
    expect(again.status).toBe("CLOSED");
  });

  it("books a double-submitted form once even when both submissions arrive at the same moment", async () => {
    const f = await createReceivingFixture({ sentAt: SENT_AT });
    const input = { purchaseOrderId: f.purchaseOrderId, receiptKey: "double-click-1", lines: [{ lineId: f.mugLineId, received: 2 }] };
    const results = await Promise.all([confirmReceipt(f.shopId, input, { now: FIRST }), confirmReceipt(f.shopId, input, { now: FIRST })]);
    expect(results.map((r) => r.replayed).sort()).toEqual([false, true]);
    expect(results[0].receiptId).toBe(results[1].receiptId);
    expect(await prisma.receipt.count({ where: { shopId: f.shopId } })).toBe(1);
    expect((await prisma.inventoryLevel.findFirstOrThrow({ where: { skuId: f.mugId } })).onHand).toBe(4);
    expect(await prisma.journalEntry.count({ where: { shopId: f.shopId } })).toBe(2);
  });

  it("refuses a PO that is not receivable and another shop's PO, writing nothing", async () => {
    const f = await createReceivingFixture({ status: "DRAFT" });
    await expect(confirmReceipt(f.shopId, { purchaseOrderId: f.purchaseOrderId, receiptKey: "draft-00001", lines: [{ lineId: f.mugLineId, received: 1 }] })).rejects.toMatchObject({ kind: "conflict" });
    const other = await createReceivingFixture({ sentAt: SENT_AT });
    await expect(confirmReceipt(f.shopId, { purchaseOrderId: other.purchaseOrderId, receiptKey: "other-00001", lines: [{ lineId: other.mugLineId, received: 1 }] })).rejects.toMatchObject({ kind: "not_found" });
    expect(await prisma.receipt.count()).toBe(0);
    expect(await prisma.inventoryMovement.count({ where: { kind: "RECEIPT" } })).toBe(0);
  });
});
