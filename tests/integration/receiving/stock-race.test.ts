// Stock that must physically be there (write-offs, transfer shipments) cannot be spent twice by racing
// requests. Every attempt runs in its own transaction on its own pooled connection (Promise.all), and a
// test-only trigger sleeps inside each WRITE_OFF / TRANSFER_OUT insert, i.e. after the on-hand check, so
// without row locks every attempt would pass the check before any of them commits and stock would go
// negative. With the levels locked before the check, the attempts queue up: exactly the ones the stock
// covers succeed, the rest get a clear error, and on-hand ends at or above zero, equal to the ledger.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { closeQueues, getProducerQueues } from "#app/lib/queue.server.ts";
import { appendMovements, getLedgerBalance, InsufficientStockError, type MovementInput } from "#app/models/ledger.server.ts";
import { advanceTransfer, createTransfer } from "#app/services/transfers.server.ts";
import { writeOffStock } from "#app/services/write-offs.server.ts";
import { createLocation, createShop, createSku, recordMovement } from "#tests/factories/index.ts";
import { obliterateAll } from "#tests/integration/workers/helpers.ts";
import { resetDatabase } from "#tests/setup/db.ts";

const SLEEP_SECONDS = 0.25;
// A race needs concurrent backends: embedded PGlite (tests run without TEST_DATABASE_URL) serves one
// connection at a time, so there these cases could not fail and are skipped.
const realPostgres = inject("databaseMode") === "postgres";

beforeAll(async () => {
  if (!realPostgres) return;
  await prisma.$executeRawUnsafe(`
    CREATE OR REPLACE FUNCTION test_widen_stock_race() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM pg_sleep(${SLEEP_SECONDS}); RETURN NEW; END $$`);
  await prisma.$executeRawUnsafe(`
    CREATE TRIGGER test_widen_stock_race BEFORE INSERT ON "InventoryMovement"
    FOR EACH ROW WHEN (NEW."kind" IN ('WRITE_OFF', 'TRANSFER_OUT')) EXECUTE FUNCTION test_widen_stock_race()`);
});
afterAll(async () => {
  if (realPostgres) {
    await prisma.$executeRawUnsafe(`DROP TRIGGER IF EXISTS test_widen_stock_race ON "InventoryMovement"`);
    await prisma.$executeRawUnsafe(`DROP FUNCTION IF EXISTS test_widen_stock_race()`);
  }
  await closeQueues();
});
beforeEach(resetDatabase);
afterEach(async () => obliterateAll(getProducerQueues()));

type Outcome = { ok: true; quantity: number } | { ok: false; quantity: number; error: unknown };
const settle = (quantity: number, attempt: Promise<unknown>): Promise<Outcome> =>
  attempt.then(
    () => ({ ok: true as const, quantity }),
    (error: unknown) => ({ ok: false as const, quantity, error }),
  );

async function world(opening: number) {
  const shop = await createShop();
  const sku = await createSku({ shopId: shop.id, code: "LAMP-OAK", cost: "10.00" });
  const from = await createLocation({ shopId: shop.id, name: "Main warehouse" });
  const to = await createLocation({ shopId: shop.id, name: "Store" });
  await recordMovement({ shopId: shop.id, skuId: sku.id, locationId: from.id, quantity: opening });
  const onHand = async () => (await prisma.inventoryLevel.findFirst({ where: { skuId: sku.id, locationId: from.id } }))?.onHand ?? 0;
  return { shopId: shop.id, skuId: sku.id, fromId: from.id, toId: to.id, onHand };
}

describe.skipIf(!realPostgres)("concurrent stock removals", () => {
  it("runs the attempts on separate connections at the same time", async () => {
    // The premise of the tests below: the pool really runs these transactions side by side.
    const pids = await Promise.all(
      Array.from({ length: 6 }, () => prisma.$transaction(async (tx) => (await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid, pg_sleep(0.1)::text AS slept`)[0]?.pid)),
    );
    expect(new Set(pids).size).toBe(6);
  });

  it("six simultaneous write-offs of 3 from 10 on hand: exactly three succeed, three are refused clearly", async () => {
    const w = await world(10);
    const queues = getProducerQueues();
    const outcomes = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        settle(3, writeOffStock(w.shopId, { key: `race-wo-${String(i).padStart(4, "0")}`, skuCode: "LAMP-OAK", locationId: w.fromId, quantity: 3, reason: "DAMAGED" }, { queues })),
      ),
    );
    const refused = outcomes.filter((o) => !o.ok);
    expect(outcomes.filter((o) => o.ok)).toHaveLength(3);
    expect(refused).toHaveLength(3);
    for (const o of refused) {
      expect(o.ok === false && o.error).toMatchObject({ kind: "invalid", message: "Only 1 of LAMP-OAK on hand at Main warehouse: cannot write off 3" });
    }
    expect(await w.onHand()).toBe(1);
    expect(await getLedgerBalance(w.shopId, w.skuId, w.fromId)).toBe(1);
    expect(await prisma.writeOff.count({ where: { shopId: w.shopId } })).toBe(3);
    expect(await prisma.journalEntry.count({ where: { shopId: w.shopId, sourceType: "WRITE_OFF" } })).toBe(3);
  });

  it("write-offs and transfer shipments racing for the same units never take more than is on hand", async () => {
    const w = await world(10);
    const queues = getProducerQueues();
    const transfers = [];
    for (const quantity of [6, 4]) {
      const t = await createTransfer(w.shopId, { fromLocationId: w.fromId, toLocationId: w.toId, lines: [{ skuCode: "LAMP-OAK", quantity }] });
      await advanceTransfer(w.shopId, t.id, "approve");
      transfers.push({ ...t, quantity });
    }
    const outcomes = await Promise.all([
      ...transfers.map((t) => settle(t.quantity, advanceTransfer(w.shopId, t.id, "ship", { queues }))),
      settle(5, writeOffStock(w.shopId, { key: "race-mixed-0001", skuCode: "LAMP-OAK", locationId: w.fromId, quantity: 5, reason: "MISSING" }, { queues })),
      settle(3, writeOffStock(w.shopId, { key: "race-mixed-0002", skuCode: "LAMP-OAK", locationId: w.fromId, quantity: 3, reason: "DAMAGED" }, { queues })),
    ]);
    const taken = outcomes.filter((o) => o.ok).reduce((sum, o) => sum + o.quantity, 0);
    const left = await w.onHand();
    expect(left).toBeGreaterThanOrEqual(0);
    expect(left).toBe(10 - taken);
    expect(await getLedgerBalance(w.shopId, w.skuId, w.fromId)).toBe(left);
    // Serial outcome: every refused attempt asked for more than was left when it ran (so more than is left now).
    const refused = outcomes.filter((o): o is Extract<Outcome, { ok: false }> => !o.ok);
    expect(refused.length).toBeGreaterThan(0);
    for (const o of refused) {
      expect(o.quantity).toBeGreaterThan(left);
      expect(o.error).toMatchObject({ message: expect.stringMatching(/^(Only \d+ of LAMP-OAK on hand at Main warehouse: cannot write off \d|Main warehouse does not hold enough to ship TR-\d{4}-\d{4}: LAMP-OAK \d+ of \d)/) });
    }
    const shipped = await prisma.transfer.count({ where: { shopId: w.shopId, status: "SHIPPED" } });
    expect(shipped).toBe(outcomes.slice(0, 2).filter((o) => o.ok).length);
  });

  it("a write-off waits for a sale in flight and counts only what the sale left", async () => {
    const w = await world(5);
    let saleInserted!: () => void;
    const inserted = new Promise<void>((resolve) => (saleInserted = resolve));
    const sale: MovementInput = { skuId: w.skuId, locationId: w.fromId, kind: "SALE", quantity: -3, sourceType: "ORDER", sourceId: "order-1", idempotencyKey: "order-1:line-1", occurredAt: new Date() };
    const saleTx = prisma.$transaction(
      async (tx) => {
        await appendMovements(w.shopId, [sale], tx);
        saleInserted();
        await tx.$executeRaw`SELECT pg_sleep(0.5)`; // the order sync still has work to do before it commits
      },
      { timeout: 15_000 },
    );
    await inserted;
    const writeOff = settle(5, writeOffStock(w.shopId, { key: "race-sale-0001", skuCode: "LAMP-OAK", locationId: w.fromId, quantity: 5, reason: "DAMAGED" }, { queues: getProducerQueues() }));
    const [, outcome] = await Promise.all([saleTx, writeOff]);
    expect(outcome).toMatchObject({ ok: false, error: { kind: "invalid", message: "Only 2 of LAMP-OAK on hand at Main warehouse: cannot write off 5" } });
    expect(await w.onHand()).toBe(2);
  });

  it("the ledger itself refuses guarded removals below zero, even from callers that skip the check", async () => {
    const w = await world(7);
    const removal = (i: number): MovementInput => ({
      skuId: w.skuId, locationId: w.fromId, kind: i % 2 === 0 ? "WRITE_OFF" : "TRANSFER_OUT", quantity: -2, sourceType: "TEST", idempotencyKey: `raw-${i}`, occurredAt: new Date(),
    });
    const outcomes = await Promise.all(Array.from({ length: 6 }, (_, i) => settle(2, appendMovements(w.shopId, [removal(i)]))));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(3);
    for (const o of outcomes.filter((o) => !o.ok)) {
      expect(o.ok === false && o.error).toBeInstanceOf(InsufficientStockError);
      expect(o.ok === false && o.error).toMatchObject({ kind: "conflict", message: expect.stringContaining("1 held, 2 to remove") });
    }
    expect(await w.onHand()).toBe(1);
    // A retried batch whose keys are already recorded stays a no-op (it is not refused for lack of stock).
    const winner = (await prisma.inventoryMovement.findFirstOrThrow({ where: { shopId: w.shopId, sourceType: "TEST" } })).idempotencyKey;
    const retry = await appendMovements(w.shopId, [removal(Number(winner.slice(4)))]);
    expect(retry).toMatchObject({ inserted: [], duplicates: [expect.anything()] });
    // Sales may still oversell: the channel already sold the unit.
    await appendMovements(w.shopId, [{ ...removal(99), kind: "SALE", quantity: -4, idempotencyKey: "sale-1" }]);
    expect(await w.onHand()).toBe(-3);
  });
});
