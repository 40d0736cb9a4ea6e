// Demo seed (issue 5): the books behind the seeded receipts, so the Accounting and Transfers pages open
// populated. Every seeded receipt gets the entries the receiving service posts (Dr Inventory / Cr GRNI,
// then Dr GRNI / Cr Accounts payable) and a balance payable due after the supplier's terms — paid (with
// its Dr Accounts payable / Cr Cash entry) when the due date is before the demo's day, due otherwise.
// Two hand-made transfers wait at the warehouse (one draft, one approved); they move no stock until
// someone ships them in the admin. Plain SQL through the seed's session, inside its transaction.
import type { SqlSession } from "./sql-session.ts";

export async function seedReceivingBooks(tx: SqlSession, shopId: string, asOf: string): Promise<{ entries: number; payments: number; transfers: number }> {
  // Receipt values at the receipt lines' cost; receipts with no good units post nothing.
  await tx.execute(
    `CREATE TEMP TABLE seed_receipt_value ON COMMIT DROP AS
     SELECT rc."id", rc."receivedAt", po."id" AS "poId", po."number", s."id" AS "supplierId", s."name" AS "supplier", s."paymentTermsDays" AS "terms",
            round(sum(rl."quantityReceived" * coalesce(rl."unitCost", 0)), 2) AS "value",
            (rc."receivedAt"::date + s."paymentTermsDays") AS "due"
     FROM "Receipt" rc
     JOIN "PurchaseOrder" po ON po."id" = rc."purchaseOrderId"
     JOIN "Supplier" s ON s."id" = po."supplierId"
     JOIN "ReceiptLine" rl ON rl."receiptId" = rc."id"
     WHERE rc."shopId" = $1 AND rc."status" = 'POSTED'
     GROUP BY rc."id", rc."receivedAt", po."id", po."number", s."id", s."name", s."paymentTermsDays"
     HAVING sum(rl."quantityReceived" * coalesce(rl."unitCost", 0)) >= 0.01`,
    [shopId],
  );
  await tx.execute(
    `INSERT INTO "JournalEntry" ("id", "shopId", "postedAt", "memo", "sourceType", "sourceId", "idempotencyKey", "createdAt")
     SELECT 'seed-je-' || v."id" || '-' || k.kind, $1, v."receivedAt",
            v."number" || ' receipt from ' || v."supplier" || CASE WHEN k.kind = 'payable' THEN ': payable' ELSE '' END,
            'RECEIPT', v."id", 'receipt:' || v."id" || ':' || CASE WHEN k.kind = 'inv' THEN 'inventory' ELSE 'payable' END, v."receivedAt"
     FROM seed_receipt_value v CROSS JOIN (VALUES ('inv'), ('payable')) AS k(kind)`,
    [shopId],
  );
  // One statement per kind of line set, so every entry is balanced when its statement ends (trigger).
  await tx.execute(
    `INSERT INTO "JournalLine" ("id", "shopId", "entryId", "account", "debit", "credit")
     SELECT 'seed-jl-' || v."id" || '-' || l.n, $1, 'seed-je-' || v."id" || '-' || l.kind, l.account,
            CASE WHEN l.side = 'D' THEN v."value" ELSE 0 END, CASE WHEN l.side = 'C' THEN v."value" ELSE 0 END
     FROM seed_receipt_value v CROSS JOIN (VALUES
       (1, 'inv', 'INVENTORY', 'D'), (2, 'inv', 'GRNI', 'C'),
       (3, 'payable', 'GRNI', 'D'), (4, 'payable', 'ACCOUNTS_PAYABLE', 'C')
     ) AS l(n, kind, account, side)`,
    [shopId],
  );
  await tx.execute(
    `INSERT INTO "SupplierPayment" ("id", "shopId", "supplierId", "purchaseOrderId", "kind", "amount", "dueDate", "status", "paidAt", "createdAt")
     SELECT 'bal_' || v."id", $1, v."supplierId", v."poId", 'BALANCE', v."value", v."due",
            CASE WHEN v."due" < $2::date THEN 'PAID'::"PaymentStatus" ELSE 'DUE'::"PaymentStatus" END,
            CASE WHEN v."due" < $2::date THEN v."due"::timestamp ELSE NULL END, v."receivedAt"
     FROM seed_receipt_value v`,
    [shopId, asOf],
  );
  await tx.execute(
    `INSERT INTO "JournalEntry" ("id", "shopId", "postedAt", "memo", "sourceType", "sourceId", "idempotencyKey", "createdAt")
     SELECT 'seed-je-pay-' || v."id", $1, v."due"::timestamp, 'Payment to ' || v."supplier" || ' for ' || v."number", 'PAYMENT', 'bal_' || v."id",
            'payment:bal_' || v."id", v."due"::timestamp
     FROM seed_receipt_value v WHERE v."due" < $2::date`,
    [shopId, asOf],
  );
  await tx.execute(
    `INSERT INTO "JournalLine" ("id", "shopId", "entryId", "account", "debit", "credit")
     SELECT 'seed-jl-pay-' || v."id" || '-' || l.n, $1, 'seed-je-pay-' || v."id", l.account,
            CASE WHEN l.side = 'D' THEN v."value" ELSE 0 END, CASE WHEN l.side = 'C' THEN v."value" ELSE 0 END
     FROM seed_receipt_value v CROSS JOIN (VALUES (1, 'ACCOUNTS_PAYABLE', 'D'), (2, 'CASH', 'C')) AS l(n, account, side)
     WHERE v."due" < $2::date`,
    [shopId, asOf],
  );
  const [counts] = await tx.query<{ entries: number; payments: number }>(
    `SELECT (SELECT count(*)::int FROM "JournalEntry" WHERE "shopId" = $1) AS entries, (SELECT count(*)::int FROM "SupplierPayment" WHERE "shopId" = $1) AS payments`,
    [shopId],
  );

  // Two hand-made transfers from the warehouse to the store, of SKUs the warehouse holds plenty of.
  const locations = await tx.query<{ id: string; isDefault: boolean }>(`SELECT "id", "isDefault" FROM "Location" WHERE "shopId" = $1 ORDER BY "isDefault" DESC, "name" ASC`, [shopId]);
  const from = locations.find((l) => l.isDefault);
  const to = locations.find((l) => !l.isDefault);
  let transfers = 0;
  if (from && to) {
    const stock = await tx.query<{ skuId: string; onHand: number }>(
      `SELECT "skuId", "onHand" FROM "InventoryLevel" WHERE "shopId" = $1 AND "locationId" = $2 AND "onHand" >= 10 ORDER BY "onHand" DESC, "skuId" ASC LIMIT 6`,
      [shopId, from.id],
    );
    const year = Number(asOf.slice(0, 4));
    const [seq] = await tx.query<{ lastValue: number }>(
      `INSERT INTO "DocumentSequence" ("shopId", "kind", "year", "lastValue") VALUES ($1, 'TRANSFER', $2, 2)
       ON CONFLICT ("shopId", "kind", "year") DO UPDATE SET "lastValue" = "DocumentSequence"."lastValue" + 2
       RETURNING "lastValue"`,
      [shopId, year],
    );
    const last = seq?.lastValue ?? 2;
    for (const [i, status] of (["DRAFT", "APPROVED"] as const).entries()) {
      const lines = stock.slice(i * 3, i * 3 + 3);
      if (lines.length === 0) continue;
      const number = `TR-${year}-${String(last - 1 + i).padStart(4, "0")}`;
      const id = `seed-transfer-${shopId}-${i + 1}`;
      await tx.execute(
        `INSERT INTO "Transfer" ("id", "shopId", "number", "fromLocationId", "toLocationId", "status", "createdAt", "updatedAt") VALUES ($1, $2, $3, $4, $5, $6::"TransferStatus", $7::date, $7::date)`,
        [id, shopId, number, from.id, to.id, status, asOf],
      );
      for (const [n, line] of lines.entries()) {
        await tx.execute(`INSERT INTO "TransferLine" ("id", "shopId", "transferId", "skuId", "quantity") VALUES ($1, $2, $3, $4, $5)`, [
          `${id}-${n + 1}`,
          shopId,
          id,
          line.skuId,
          Math.max(1, Math.floor(Number(line.onHand) / 5)),
        ]);
      }
      transfers += 1;
    }
  }
  return { entries: counts?.entries ?? 0, payments: counts?.payments ?? 0, transfers };
}
