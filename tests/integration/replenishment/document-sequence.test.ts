import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { formatDocumentNumber, nextDocumentNumber } from "#app/models/document-sequence.server.ts";
import { forShop } from "#app/models/scoped-db.server.ts";
import { createShop } from "#tests/factories/index.ts";
import { resetDatabase } from "#tests/setup/db.ts";

beforeEach(resetDatabase);

describe("nextDocumentNumber", () => {
  it("gives 20 concurrent transactions 20 distinct consecutive numbers", async () => {
    const shop = await createShop();
    const numbers = await Promise.all(
      Array.from({ length: 20 }, () => prisma.$transaction((tx) => nextDocumentNumber(tx, shop.id, "PO", 2026), { timeout: 20_000, maxWait: 20_000 })),
    );
    expect(new Set(numbers).size).toBe(20);
    expect([...numbers].sort()).toEqual(Array.from({ length: 20 }, (_, i) => formatDocumentNumber("PO", 2026, i + 1)));
    expect(numbers).toContain("PO-2026-0001");
    expect(numbers).toContain("PO-2026-0020");
  });

  it("counts per shop, kind and year, and a rolled-back document leaves no gap", async () => {
    const a = await createShop();
    const b = await createShop();
    expect(await prisma.$transaction((tx) => nextDocumentNumber(tx, a.id, "PO", 2026))).toBe("PO-2026-0001");
    await expect(
      prisma.$transaction(async (tx) => {
        await nextDocumentNumber(tx, a.id, "PO", 2026);
        throw new Error("document creation failed");
      }),
    ).rejects.toThrow("document creation failed");
    expect(await prisma.$transaction((tx) => nextDocumentNumber(tx, a.id, "PO", 2026))).toBe("PO-2026-0002");
    expect(await prisma.$transaction((tx) => nextDocumentNumber(tx, a.id, "TRANSFER", 2026))).toBe("TR-2026-0001");
    expect(await prisma.$transaction((tx) => nextDocumentNumber(tx, a.id, "PO", 2027))).toBe("PO-2027-0001");
    expect(await prisma.$transaction((tx) => nextDocumentNumber(tx, b.id, "PO", 2026))).toBe("PO-2026-0001");
    // Works inside a shop-scoped transaction too (what the replenishment service uses).
    expect(await forShop(b.id).$transaction((tx) => nextDocumentNumber(tx, b.id, "PO", 2026))).toBe("PO-2026-0002");
    const rows = await prisma.documentSequence.findMany({ orderBy: [{ shopId: "asc" }, { kind: "asc" }, { year: "asc" }] });
    expect(rows.map((r) => r.lastValue).sort()).toEqual([1, 1, 2, 2]);
  });
});
