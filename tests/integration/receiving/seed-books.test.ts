// The demo seed's books (prisma/seed/receiving-books.ts): entries for seeded receipts that balance and
// match what the receiving service would post, payables paid before the demo's day and due after it,
// and two hand-made transfers numbered from the shop's sequence.
import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { inTransaction } from "../../../prisma/seed/sql-session.ts";
import { seedReceivingBooks } from "../../../prisma/seed/receiving-books.ts";
import { createLocation } from "#tests/factories/index.ts";
import { resetDatabase } from "#tests/setup/db.ts";
import { createReceivingFixture } from "./fixtures.ts";

beforeEach(resetDatabase);

describe("seedReceivingBooks", () => {
  it("posts balanced receipt and payment entries, schedules payables and drafts two transfers", async () => {
    const f = await createReceivingFixture();
    await prisma.location.update({ where: { id: f.locationId }, data: { isDefault: true } });
    const store = await createLocation({ shopId: f.shopId, name: "Store" });
    for (const [n, receivedAt] of [new Date("2026-01-10T10:00:00Z"), new Date("2026-03-10T10:00:00Z")].entries()) {
      await prisma.receipt.create({
        data: {
          shopId: f.shopId, purchaseOrderId: f.purchaseOrderId, locationId: f.locationId, idempotencyKey: `seed:${n}`, receivedAt,
          lines: { create: [{ shopId: f.shopId, purchaseOrderLineId: f.mugLineId, skuId: f.mugId, quantityReceived: 1, unitCost: "4.00" }, { shopId: f.shopId, purchaseOrderLineId: f.plateLineId, skuId: f.plateId, quantityReceived: 2, unitCost: "2.50" }] },
        },
      });
    }
    // Stock for the transfers: the warehouse holds 2 mugs (fixture) + 40 plates.
    await prisma.inventoryMovement.create({ data: { shopId: f.shopId, skuId: f.plateId, locationId: f.locationId, kind: "INITIAL", quantity: 40, sourceType: "SEED", idempotencyKey: "seed-plates", occurredAt: new Date("2026-01-01T00:00:00Z") } });

    const result = await inTransaction({ prisma }, (tx) => seedReceivingBooks(tx, f.shopId, "2026-03-01"));
    // Two receipts × (inventory + payable), one payment (the January receipt's terms ended 2026-02-09).
    expect(result).toEqual({ entries: 5, payments: 2, transfers: 1 });
    const lines = await prisma.journalLine.findMany({ where: { shopId: f.shopId } });
    const sum = (account: string) => lines.filter((l) => l.account === account).reduce((s, l) => s + Number(l.debit) - Number(l.credit), 0);
    expect({ INVENTORY: sum("INVENTORY"), GRNI: sum("GRNI"), AP: sum("ACCOUNTS_PAYABLE"), CASH: sum("CASH") }).toEqual({ INVENTORY: 18, GRNI: 0, AP: -9, CASH: -9 });
    const payments = await prisma.supplierPayment.findMany({ where: { shopId: f.shopId }, orderBy: { dueDate: "asc" } });
    expect(payments.map((p) => [p.status, p.dueDate.toISOString().slice(0, 10), Number(p.amount)])).toEqual([["PAID", "2026-02-09", 9], ["DUE", "2026-04-09", 9]]);
    const transfers = await prisma.transfer.findMany({ where: { shopId: f.shopId }, include: { lines: true } });
    // Only the plates (40 ≥ 10) qualify: one transfer of them, 40 / 5 = 8 units, warehouse → store.
    expect(transfers.map((t) => [t.number, t.status, t.toLocationId, t.lines.map((l) => l.quantity)])).toEqual([["TR-2026-0001", "DRAFT", store.id, [8]]]);
  });
});
