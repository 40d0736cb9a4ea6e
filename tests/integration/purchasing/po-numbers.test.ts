// PO numbers (issue 5, item 1 / acceptance "concurrent PO creation never duplicates a number"): whole
// purchase orders created at once in parallel transactions, two shops interleaved, one creation
// failing midway. document-sequence.test.ts covers the counter alone; this covers the POs it numbers.
import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { formatDocumentNumber, nextDocumentNumber } from "#app/models/document-sequence.server.ts";
import { forShop } from "#app/models/scoped-db.server.ts";
import { resetDatabase } from "#tests/setup/db.ts";
import { createPurchasingFixture, type PurchasingFixture } from "./helpers.ts";

beforeEach(resetDatabase);

async function createNumberedPo(f: PurchasingFixture, fail = false): Promise<string> {
  return forShop(f.shopId).$transaction(
    async (tx) => {
      const number = await nextDocumentNumber(tx, f.shopId, "PO", 2026);
      await tx.purchaseOrder.create({
        data: { shopId: f.shopId, number, supplierId: f.supplierId, locationId: f.locationId, lines: { create: [{ shopId: f.shopId, skuId: f.skuIds[0]!, quantityOrdered: 1, unitCost: "1.00" }] } },
      });
      if (fail) throw new Error("creation failed after numbering");
      return number;
    },
    { timeout: 30_000, maxWait: 30_000 },
  );
}

describe("PO numbers under concurrent creation", () => {
  it("30 POs created at once in two shops get distinct, gapless numbers per shop; a failed creation leaves no gap", async () => {
    const a = await createPurchasingFixture();
    const b = await createPurchasingFixture();
    const results = await Promise.allSettled(
      Array.from({ length: 31 }, (_, i) => createNumberedPo(i % 2 === 0 ? a : b, i === 7)),
    );
    expect(results.filter((r) => r.status === "rejected")).toHaveLength(1);
    for (const [f, count] of [[a, 16], [b, 14]] as const) {
      const numbers = (await prisma.purchaseOrder.findMany({ where: { shopId: f.shopId }, select: { number: true } })).map((p) => p.number).sort();
      expect(numbers).toEqual(Array.from({ length: count }, (_, i) => formatDocumentNumber("PO", 2026, i + 1)));
    }
    // The database refuses a duplicate outright, whatever a future caller does.
    await expect(
      prisma.purchaseOrder.create({ data: { shopId: a.shopId, number: "PO-2026-0001", supplierId: a.supplierId, locationId: a.locationId } }),
    ).rejects.toMatchObject({ code: "P2002" });
    // The next number continues after the highest one, never reusing a number.
    expect(await createNumberedPo(a)).toBe("PO-2026-0017");
  });
});
