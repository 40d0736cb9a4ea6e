// Transfers (draft → approved → shipped → received through the receiving service), write-offs (ledger
// + journal) and the accounting side: payments posted when paid, the journal per period and its CSV.
import { parse } from "csv-parse/sync";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { closeQueues, getProducerQueues } from "#app/lib/queue.server.ts";
import { getAccountingPage, exportJournalCsv, markPaymentPaid, scheduleDeposit } from "#app/services/accounting.server.ts";
import { confirmReceipt, unreceiveReceipt } from "#app/services/receiving.server.ts";
import { advanceTransfer, createTransfer, getTransfer, listTransfers } from "#app/services/transfers.server.ts";
import { writeOffStock } from "#app/services/write-offs.server.ts";
import { createLocation, createShop } from "#tests/factories/index.ts";
import { resetDatabase } from "#tests/setup/db.ts";
import { obliterateAll } from "#tests/integration/workers/helpers.ts";
import { createReceivingFixture } from "./fixtures.ts";

beforeEach(resetDatabase);
afterEach(async () => obliterateAll(getProducerQueues()));
afterAll(closeQueues);

const onHand = async (skuId: string, locationId: string) => (await prisma.inventoryLevel.findFirst({ where: { skuId, locationId } }))?.onHand ?? 0;

describe("transfers", () => {
  it("moves stock out on ship and in on receipt, one partial receipt at a time, and refuses skipped steps", async () => {
    const f = await createReceivingFixture();
    const store = await createLocation({ shopId: f.shopId, name: "Store" });
    const at = new Date("2026-04-01T10:00:00Z");
    const transfer = await createTransfer(f.shopId, { fromLocationId: f.locationId, toLocationId: store.id, lines: [{ skuCode: "MUG-BLUE", quantity: 2 }] }, { now: at });
    expect(transfer.number).toBe("TR-2026-0001");
    await expect(advanceTransfer(f.shopId, transfer.id, "ship")).rejects.toMatchObject({ kind: "conflict", message: expect.stringContaining("Cannot ship TR-2026-0001: it is draft") });
    await advanceTransfer(f.shopId, transfer.id, "approve");
    await advanceTransfer(f.shopId, transfer.id, "ship", { now: at });
    expect([await onHand(f.mugId, f.locationId), await onHand(f.mugId, store.id)]).toEqual([0, 0]);
    // Shipping twice is refused by the state machine; the ledger would turn the keys away anyway.
    await expect(advanceTransfer(f.shopId, transfer.id, "ship")).rejects.toMatchObject({ kind: "conflict" });

    const line = await prisma.transferLine.findFirstOrThrow({ where: { transferId: transfer.id } });
    const first = await confirmReceipt(f.shopId, { transferId: transfer.id, receiptKey: "tr-receipt-1", lines: [{ lineId: line.id, received: 1 }] }, { now: at });
    expect(first).toMatchObject({ status: "SHIPPED", documentKind: "TRANSFER" });
    const second = await confirmReceipt(f.shopId, { transferId: transfer.id, receiptKey: "tr-receipt-2", lines: [{ lineId: line.id, received: 1 }] }, { now: at });
    expect(second.status).toBe("RECEIVED");
    expect(await confirmReceipt(f.shopId, { transferId: transfer.id, receiptKey: "tr-receipt-2", lines: [{ lineId: line.id, received: 1 }] })).toMatchObject({ replayed: true });
    expect([await onHand(f.mugId, f.locationId), await onHand(f.mugId, store.id)]).toEqual([0, 2]);
    // Moving stock between our own locations posts no journal entry.
    expect(await prisma.journalEntry.count({ where: { shopId: f.shopId } })).toBe(0);

    const undone = await unreceiveReceipt(f.shopId, second.receiptId);
    expect(undone.status).toBe("SHIPPED");
    expect(await onHand(f.mugId, store.id)).toBe(1);
    const rows = await listTransfers(f.shopId);
    expect(rows).toMatchObject([{ number: "TR-2026-0001", status: "SHIPPED", origin: "MANUAL", units: 2, unitsReceived: 1, fromName: expect.any(String), toName: "Store" }]);
  });

  it("refuses a hand-made transfer with unknown SKUs, one location, or more than the source holds", async () => {
    const f = await createReceivingFixture();
    const store = await createLocation({ shopId: f.shopId, name: "Store" });
    await expect(createTransfer(f.shopId, { fromLocationId: f.locationId, toLocationId: store.id, lines: [{ skuCode: "NOPE", quantity: 1 }] })).rejects.toMatchObject({ kind: "invalid", message: "Unknown SKU: NOPE" });
    await expect(createTransfer(f.shopId, { fromLocationId: f.locationId, toLocationId: f.locationId, lines: [{ skuCode: "MUG-BLUE", quantity: 1 }] })).rejects.toMatchObject({ kind: "invalid" });
    // More than the source holds is refused when the draft is made, naming the SKU, the location and what it holds.
    const from = await prisma.location.findUniqueOrThrow({ where: { id: f.locationId } });
    await expect(createTransfer(f.shopId, { fromLocationId: f.locationId, toLocationId: store.id, lines: [{ skuCode: "MUG-BLUE", quantity: 99_999 }] })).rejects.toMatchObject({
      kind: "invalid",
      message: `${from.name} holds 2 of MUG-BLUE, not the 99,999 asked`,
    });
    expect(await prisma.transfer.count({ where: { shopId: f.shopId } })).toBe(0);

    // Stock that leaves after the draft was made: approval refuses it, and Ship still checks under its lock.
    const draft = await createTransfer(f.shopId, { fromLocationId: f.locationId, toLocationId: store.id, lines: [{ skuCode: "MUG-BLUE", quantity: 2 }] });
    const approved = await createTransfer(f.shopId, { fromLocationId: f.locationId, toLocationId: store.id, lines: [{ skuCode: "MUG-BLUE", quantity: 2 }] });
    await advanceTransfer(f.shopId, approved.id, "approve");
    await writeOffStock(f.shopId, { key: "tr-short-0001", skuCode: "MUG-BLUE", locationId: f.locationId, quantity: 1, reason: "DAMAGED" });
    await expect(advanceTransfer(f.shopId, draft.id, "approve")).rejects.toMatchObject({ kind: "conflict", message: `${from.name} holds 1 of MUG-BLUE, not the 2 asked` });
    expect(await prisma.transfer.findUniqueOrThrow({ where: { id: draft.id } })).toMatchObject({ status: "DRAFT" });
    await expect(advanceTransfer(f.shopId, approved.id, "ship")).rejects.toMatchObject({ kind: "conflict", message: expect.stringContaining("MUG-BLUE 1 of 2") });
    expect(await onHand(f.mugId, f.locationId)).toBe(1);
  });

  it("shows a transfer's lines: SKU, title and quantity", async () => {
    const f = await createReceivingFixture();
    const store = await createLocation({ shopId: f.shopId, name: "Store" });
    const t = await createTransfer(f.shopId, { fromLocationId: f.locationId, toLocationId: store.id, lines: [{ skuCode: "MUG-BLUE", quantity: 2 }] });
    expect(await getTransfer(f.shopId, t.id)).toMatchObject({
      number: t.number, status: "DRAFT", origin: "MANUAL", toName: "Store", units: 2, lineCount: 1,
      lines: [{ skuId: f.mugId, skuCode: "MUG-BLUE", title: expect.any(String), quantity: 2, quantityReceived: 0, reason: null }],
    });
    const other = await createShop();
    await expect(getTransfer(other.id, t.id)).rejects.toMatchObject({ kind: "not_found" });
  });
});

describe("write-offs and accounting", () => {
  it("writes damaged units off a PO at its cost (ledger + journal), once per key", async () => {
    const f = await createReceivingFixture();
    const fx = { key: "wo-key-0001", skuCode: "MUG-BLUE", locationId: f.locationId, quantity: 1, reason: "DAMAGED" as const, note: "dropped", purchaseOrderNumber: f.number.toLowerCase() };
    const written = await writeOffStock(f.shopId, fx, { now: new Date("2026-03-05T12:00:00Z") });
    expect(written).toMatchObject({ replayed: false, value: 400, message: "1 × MUG-BLUE written off ($4.00)" });
    expect(await writeOffStock(f.shopId, fx)).toMatchObject({ replayed: true });
    expect(await onHand(f.mugId, f.locationId)).toBe(1);
    const entry = await prisma.journalEntry.findFirstOrThrow({ where: { shopId: f.shopId, sourceType: "WRITE_OFF" }, include: { lines: { orderBy: { account: "asc" } } } });
    expect(entry.lines.map((l) => [l.account, l.debit.toString(), l.credit.toString()])).toEqual([["INVENTORY", "0", "4"], ["INVENTORY_WRITE_OFFS", "4", "0"]]);
    await expect(writeOffStock(f.shopId, { ...fx, key: "wo-key-0002", quantity: 5 })).rejects.toMatchObject({ kind: "invalid", message: expect.stringContaining("Only 1 of MUG-BLUE on hand") });
    await expect(writeOffStock(f.shopId, { ...fx, key: "wo-key-0003", skuCode: "NOPE" })).rejects.toMatchObject({ kind: "invalid" });
  });

  it("pays deposit and balance, lists payables due, and exports the month's journal as CSV", async () => {
    const f = await createReceivingFixture({ depositPct: "0.5" });
    // Scheduled when the PO is placed (idempotent), before anything arrives: 50% of 17.00.
    expect(await scheduleDeposit(f.shopId, f.purchaseOrderId)).toBe(850);
    expect(await scheduleDeposit(f.shopId, f.purchaseOrderId)).toBe(850);
    expect((await getAccountingPage(f.shopId, "2026-03")).payables.map((p) => [p.kind, p.amount, p.dueDate.toISOString().slice(0, 10)])).toEqual([["DEPOSIT", 850, "2026-03-02"]]);
    const march = new Date("2026-03-20T10:00:00Z");
    await confirmReceipt(f.shopId, { purchaseOrderId: f.purchaseOrderId, receiptKey: "acct-00001", lines: [{ lineId: f.mugLineId, received: 3 }, { lineId: f.plateLineId, received: 2 }] }, { now: march });
    const page = await getAccountingPage(f.shopId, undefined);
    expect(page.period).toBe("2026-03");
    expect(page.payables.map((p) => [p.kind, p.amount])).toEqual([["DEPOSIT", 850], ["BALANCE", 850]]);
    expect(page.accounts.find((a) => a.account === "INVENTORY")).toMatchObject({ opening: 0, debit: 1700, credit: 0, closing: 1700 });

    const april = new Date("2026-04-02T09:00:00Z");
    for (const payment of page.payables) {
      expect((await markPaymentPaid(f.shopId, payment.id, { now: april })).replayed).toBe(false);
      expect((await markPaymentPaid(f.shopId, payment.id, { now: april })).replayed).toBe(true);
    }
    const aprilPage = await getAccountingPage(f.shopId, "2026-04");
    expect(aprilPage.payables).toEqual([]);
    expect(Object.fromEntries(aprilPage.accounts.map((a) => [a.account, a.closing]))).toEqual({ INVENTORY: 1700, GRNI: 0, ACCOUNTS_PAYABLE: 0, SUPPLIER_DEPOSITS: 0, CASH: -1700 });
    expect(aprilPage.periods).toEqual(["2026-04", "2026-03"]);

    const { filename, csv } = await exportJournalCsv(f.shopId, "2026-03");
    expect(filename).toBe("journal-2026-03.csv");
    const rows = parse(csv, { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.date, r.account, r.debit, r.credit])).toEqual([
      ["2026-03-20", "INVENTORY", "17.00", "0.00"],
      ["2026-03-20", "GRNI", "0.00", "17.00"],
      ["2026-03-20", "GRNI", "17.00", "0.00"],
      ["2026-03-20", "ACCOUNTS_PAYABLE", "0.00", "8.50"],
      ["2026-03-20", "SUPPLIER_DEPOSITS", "0.00", "8.50"],
    ]);
    await expect(exportJournalCsv(f.shopId, "March")).rejects.toMatchObject({ kind: "invalid" });
  });
});
