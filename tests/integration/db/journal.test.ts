import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { resetDatabase } from "#tests/setup/db.ts";
import { createShop } from "#tests/factories/index.ts";

// Double entry is enforced by the database (migration ledger_invariants): the lines an INSERT writes
// must leave each touched entry balanced, no line is negative, and posted lines are never changed.
describe("journal entries", () => {
  beforeEach(resetDatabase);

  async function entry(shopId: string, key: string, lines: { account: string; debit?: string; credit?: string }[]) {
    return prisma.journalEntry.create({
      data: {
        shopId,
        postedAt: new Date("2026-03-01T00:00:00Z"),
        memo: `entry ${key}`,
        sourceType: "RECEIPT",
        sourceId: key,
        idempotencyKey: key,
        lines: { createMany: { data: lines.map((line) => ({ shopId, ...line })) } },
      },
      include: { lines: true },
    });
  }

  it("accepts a balanced entry", async () => {
    const shop = await createShop();
    const posted = await entry(shop.id, "r1", [
      { account: "INVENTORY", debit: "120.50" },
      { account: "GRNI", credit: "100.00" },
      { account: "ACCOUNTS_PAYABLE", credit: "20.50" },
    ]);
    expect(posted.lines).toHaveLength(3);
  });

  it("refuses an entry whose debits and credits differ, and writes nothing of it", async () => {
    const shop = await createShop();
    await expect(
      entry(shop.id, "r2", [
        { account: "INVENTORY", debit: "120.50" },
        { account: "GRNI", credit: "120.49" },
      ]),
    ).rejects.toThrow(/does not balance/);
    expect(await prisma.journalEntry.count()).toBe(0);
    expect(await prisma.journalLine.count()).toBe(0);
  });

  it("refuses negative amounts even when they balance", async () => {
    const shop = await createShop();
    await expect(
      entry(shop.id, "r3", [
        { account: "INVENTORY", debit: "-10.00" },
        { account: "GRNI", credit: "-10.00" },
      ]),
    ).rejects.toThrow(/does not balance/);
  });

  it("refuses a later line that unbalances a posted entry, and lines written one at a time", async () => {
    const shop = await createShop();
    const posted = await entry(shop.id, "r4", [
      { account: "INVENTORY", debit: "50.00" },
      { account: "GRNI", credit: "50.00" },
    ]);
    await expect(prisma.journalLine.create({ data: { shopId: shop.id, entryId: posted.id, account: "CASH", debit: "5.00" } })).rejects.toThrow(
      /does not balance/,
    );
    const bare = await prisma.journalEntry.create({
      data: { shopId: shop.id, postedAt: new Date(), memo: "bare", sourceType: "PAYMENT", sourceId: "p1", idempotencyKey: "p1" },
    });
    await expect(
      prisma.$executeRaw`INSERT INTO "JournalLine" ("id", "shopId", "entryId", "account", "debit", "credit")
                         VALUES ('l1', ${shop.id}, ${bare.id}, 'CASH', 10, 0)`,
    ).rejects.toThrow(/does not balance/);
    await prisma.$executeRaw`INSERT INTO "JournalLine" ("id", "shopId", "entryId", "account", "debit", "credit")
                             VALUES ('l1', ${shop.id}, ${bare.id}, 'CASH', 10, 0), ('l2', ${shop.id}, ${bare.id}, 'ACCOUNTS_PAYABLE', 0, 10)`;
    expect(await prisma.journalLine.count({ where: { entryId: bare.id } })).toBe(2);
  });

  it("refuses a multi-entry insert when any one entry is unbalanced", async () => {
    const shop = await createShop();
    const bareEntry = (key: string) =>
      prisma.journalEntry.create({ data: { shopId: shop.id, postedAt: new Date(), memo: key, sourceType: "PAYMENT", sourceId: key, idempotencyKey: key } });
    const e1 = await bareEntry("m1");
    const e2 = await bareEntry("m2");
    await expect(
      prisma.journalLine.createMany({
        data: [
          { shopId: shop.id, entryId: e1.id, account: "CASH", credit: "7.00" },
          { shopId: shop.id, entryId: e1.id, account: "ACCOUNTS_PAYABLE", debit: "7.00" },
          { shopId: shop.id, entryId: e2.id, account: "CASH", credit: "7.00" },
        ],
      }),
    ).rejects.toThrow(/does not balance/);
    expect(await prisma.journalLine.count()).toBe(0);
  });

  it("never changes or deletes posted lines", async () => {
    const shop = await createShop();
    const posted = await entry(shop.id, "r5", [
      { account: "INVENTORY", debit: "50.00" },
      { account: "GRNI", credit: "50.00" },
    ]);
    const lineId = posted.lines[0]?.id ?? "";
    await expect(prisma.journalLine.update({ where: { id: lineId }, data: { debit: "60.00" } })).rejects.toThrow(/append-only/);
    await expect(prisma.$executeRaw`DELETE FROM "JournalLine"`).rejects.toThrow(/append-only/);
    expect(await prisma.journalLine.count()).toBe(2);
  });
});
