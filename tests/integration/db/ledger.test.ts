import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { DomainError } from "#app/domain/shared/errors.ts";
import {
  appendMovement,
  appendMovements,
  DuplicateMovementError,
  getInventoryLevels,
  getLedgerBalance,
  LedgerViolationError,
  reverseMovements,
  type MovementInput,
} from "#app/models/ledger.server.ts";
import { resetDatabase } from "#tests/setup/db.ts";
import { createLocation, createShop, createSku, recordMovement } from "#tests/factories/index.ts";

const at = new Date("2026-03-01T09:00:00Z");

async function setup() {
  const shop = await createShop();
  const sku = await createSku({ shopId: shop.id });
  const location = await createLocation({ shopId: shop.id });
  const movement = (overrides: Partial<MovementInput> = {}): MovementInput => ({
    skuId: sku.id,
    locationId: location.id,
    kind: "RECEIPT",
    quantity: 10,
    sourceType: "RECEIPT",
    sourceId: "rcpt-1",
    idempotencyKey: "rcpt-1:line-1",
    occurredAt: at,
    ...overrides,
  });
  const onHand = async () =>
    (await prisma.inventoryLevel.findUnique({ where: { shopId_skuId_locationId: { shopId: shop.id, skuId: sku.id, locationId: location.id } } }))
      ?.onHand ?? 0;
  return { shop, sku, location, movement, onHand };
}

describe("ledger: idempotency", () => {
  beforeEach(resetDatabase);

  it("a second movement with the same idempotency key changes nothing and is reported", async () => {
    const { shop, movement, onHand } = await setup();
    const first = await appendMovements(shop.id, [movement()]);
    expect(first.inserted).toHaveLength(1);
    expect(await onHand()).toBe(10);

    // Same key, even with a different quantity: a retried job must never count twice.
    const retry = await appendMovements(shop.id, [movement({ quantity: 99 })]);
    expect(retry.inserted).toEqual([]);
    expect(retry.duplicates).toHaveLength(1);
    expect(retry.duplicates[0]?.existing?.id).toBe(first.inserted[0]?.id);
    expect(await onHand()).toBe(10);
    expect(await prisma.inventoryMovement.count()).toBe(1);

    await expect(appendMovement(shop.id, movement())).rejects.toBeInstanceOf(DuplicateMovementError);
    expect(await onHand()).toBe(10);
  });

  it("a retried batch posts only the new movements, and repeats inside one batch count once", async () => {
    const { shop, movement, onHand } = await setup();
    await appendMovements(shop.id, [movement({ idempotencyKey: "a" }), movement({ idempotencyKey: "b", quantity: 5 })]);
    const result = await appendMovements(shop.id, [
      movement({ idempotencyKey: "a" }),
      movement({ idempotencyKey: "b", quantity: 5 }),
      movement({ idempotencyKey: "c", quantity: 2 }),
      movement({ idempotencyKey: "c", quantity: 2 }),
    ]);
    expect(result.inserted.map((m) => m.idempotencyKey)).toEqual(["c"]);
    expect(result.duplicates.map((d) => d.movement.idempotencyKey).sort()).toEqual(["a", "b", "c"]);
    expect(await onHand()).toBe(17);
  });

  it("a duplicate inside a caller's transaction does not abort that transaction", async () => {
    const { shop, movement, onHand } = await setup();
    await appendMovement(shop.id, movement());
    await prisma.$transaction(async (tx) => {
      const { duplicates } = await appendMovements(shop.id, [movement()], tx);
      expect(duplicates).toHaveLength(1);
      await appendMovements(shop.id, [movement({ idempotencyKey: "other", quantity: 1 })], tx);
    });
    expect(await onHand()).toBe(11);
  });

  it("the same key in another shop is another movement", async () => {
    const a = await setup();
    const b = await setup();
    await appendMovement(a.shop.id, a.movement());
    await appendMovement(b.shop.id, b.movement());
    expect(await a.onHand()).toBe(10);
    expect(await b.onHand()).toBe(10);
  });
});

describe("ledger: append-only", () => {
  beforeEach(resetDatabase);

  it("refuses UPDATE and DELETE of a movement through Prisma", async () => {
    const { shop, movement } = await setup();
    const posted = await appendMovement(shop.id, movement());
    await expect(prisma.inventoryMovement.update({ where: { id: posted.id }, data: { quantity: 1 } })).rejects.toThrow(/append-only/);
    await expect(prisma.inventoryMovement.delete({ where: { id: posted.id } })).rejects.toThrow(/append-only/);
    await expect(prisma.inventoryMovement.deleteMany({})).rejects.toThrow(/append-only/);
    expect(await prisma.inventoryMovement.findUniqueOrThrow({ where: { id: posted.id } })).toMatchObject({ quantity: 10 });
  });

  it("refuses UPDATE and DELETE of a movement through raw SQL", async () => {
    const { shop, movement, onHand } = await setup();
    await appendMovement(shop.id, movement());
    await expect(prisma.$executeRaw`UPDATE "InventoryMovement" SET "quantity" = 1000`).rejects.toThrow(/append-only: UPDATE rejected/);
    await expect(prisma.$executeRaw`DELETE FROM "InventoryMovement"`).rejects.toThrow(/append-only: DELETE rejected/);
    const [row] = await prisma.$queryRaw<{ n: bigint; total: bigint }[]>`SELECT count(*) AS n, sum("quantity") AS total FROM "InventoryMovement"`;
    expect(row).toEqual({ n: 1n, total: 10n });
    expect(await onHand()).toBe(10);
  });

  it("lets a purge delete movements only when it opts in for its transaction", async () => {
    const { shop, movement } = await setup();
    await appendMovement(shop.id, movement());
    await prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SET LOCAL replenish.allow_ledger_purge = 'on'`;
      await tx.inventoryMovement.deleteMany({ where: { shopId: shop.id } });
    });
    expect(await prisma.inventoryMovement.count()).toBe(0);
    // The opt-in ended with that transaction.
    await appendMovement(shop.id, movement({ idempotencyKey: "again" }));
    await expect(prisma.$executeRaw`DELETE FROM "InventoryMovement"`).rejects.toThrow(/append-only/);
  });

  it("refuses a direct write of InventoryLevel.onHand", async () => {
    const { shop, sku, location, movement, onHand } = await setup();
    await appendMovement(shop.id, movement());
    const level = await prisma.inventoryLevel.findFirstOrThrow({ where: { shopId: shop.id } });
    await expect(prisma.inventoryLevel.update({ where: { id: level.id }, data: { onHand: 500 } })).rejects.toThrow(/derived from InventoryMovement/);
    await expect(prisma.inventoryLevel.update({ where: { id: level.id }, data: { onHand: { increment: 1 } } })).rejects.toThrow(
      /derived from InventoryMovement/,
    );
    await expect(prisma.$executeRaw`UPDATE "InventoryLevel" SET "onHand" = 500`).rejects.toThrow(/derived from InventoryMovement/);
    const otherLocation = await createLocation({ shopId: shop.id });
    await expect(
      prisma.inventoryLevel.create({ data: { shopId: shop.id, skuId: sku.id, locationId: otherLocation.id, onHand: 3 } }),
    ).rejects.toThrow(/derived from InventoryMovement/);
    // Other columns of the level stay writable (committed/incoming belong to reservations and POs).
    await prisma.inventoryLevel.update({ where: { id: level.id }, data: { incoming: 24 } });
    expect(await onHand()).toBe(10);
    expect(await getLedgerBalance(shop.id, sku.id, location.id)).toBe(10);
  });

  it("maps the database's refusal to LedgerViolationError", async () => {
    const { shop, movement } = await setup();
    const posted = await appendMovement(shop.id, movement());
    const { toLedgerError } = await import("#app/models/ledger.server.ts");
    const error = await prisma.inventoryMovement.update({ where: { id: posted.id }, data: { quantity: 1 } }).catch((e: unknown) => e);
    const mapped = toLedgerError(error);
    expect(mapped).toBeInstanceOf(LedgerViolationError);
    expect((mapped as LedgerViolationError).message).toMatch(/append-only/);
  });
});

describe("ledger: validation, ownership, reversal, reads", () => {
  beforeEach(resetDatabase);

  it("rejects invalid movements and another shop's SKU or location before writing", async () => {
    const { shop, movement } = await setup();
    const other = await setup();
    await expect(appendMovements(shop.id, [movement({ quantity: 0 })])).rejects.toBeInstanceOf(DomainError);
    await expect(appendMovements(shop.id, [movement({ kind: "SALE", quantity: 4 })])).rejects.toBeInstanceOf(DomainError);
    await expect(appendMovements(shop.id, [movement({ skuId: other.sku.id })])).rejects.toThrow(/does not belong to this shop/);
    await expect(appendMovements(shop.id, [movement({ locationId: other.location.id })])).rejects.toThrow(/does not belong to this shop/);
    expect(await prisma.inventoryMovement.count()).toBe(0);
  });

  it("reverses a source once, with movements that net it to zero", async () => {
    const { shop, sku, location, movement, onHand } = await setup();
    const sku2 = await createSku({ shopId: shop.id });
    await appendMovements(shop.id, [movement(), movement({ idempotencyKey: "rcpt-1:line-2", skuId: sku2.id, quantity: 4 })]);
    await appendMovement(shop.id, movement({ kind: "SALE", quantity: -3, sourceType: "ORDER", sourceId: "o-1", idempotencyKey: "o-1:1" }));

    const first = await reverseMovements(shop.id, "RECEIPT", "rcpt-1", "unreceive-1");
    expect(first.inserted.map((m) => [m.kind, m.quantity])).toEqual([
      ["UNRECEIVE", -10],
      ["UNRECEIVE", -4],
    ]);
    expect(await onHand()).toBe(-3); // the sale stays
    expect(await getLedgerBalance(shop.id, sku2.id, location.id)).toBe(0);

    const again = await reverseMovements(shop.id, "RECEIPT", "rcpt-1", "unreceive-2");
    expect(again.inserted).toEqual([]);
    expect(again.alreadyReversed).toBe(2);
    const concurrent = await Promise.all([1, 2, 3].map((i) => reverseMovements(shop.id, "ORDER", "o-1", `cancel-${i}`)));
    expect(concurrent.flatMap((r) => r.inserted)).toHaveLength(1);
    expect(await getLedgerBalance(shop.id, sku.id, location.id)).toBe(0);
    expect(await onHand()).toBe(0);
  });

  it("reads levels per shop with filters, and the ledger balance", async () => {
    const { shop, sku, location } = await setup();
    const otherSku = await createSku({ shopId: shop.id });
    await recordMovement({ shopId: shop.id, skuId: sku.id, locationId: location.id, quantity: 7 });
    await recordMovement({ shopId: shop.id, skuId: otherSku.id, locationId: location.id, quantity: 2 });
    await recordMovement({ quantity: 50 }); // another shop
    expect((await getInventoryLevels(shop.id)).map((l) => l.onHand).sort()).toEqual([2, 7]);
    expect((await getInventoryLevels(shop.id, { skuIds: [sku.id] })).map((l) => l.onHand)).toEqual([7]);
    expect(await getInventoryLevels(shop.id, { locationIds: ["nowhere"] })).toEqual([]);
    expect(await getLedgerBalance(shop.id, sku.id, location.id)).toBe(7);
    expect(await getLedgerBalance(shop.id, sku.id, "nowhere")).toBe(0);
  });
});
