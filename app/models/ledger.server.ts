import { Prisma, type InventoryLevel, type InventoryMovement } from "@prisma/client";
import { prisma } from "../db.server.ts";
import { DomainError } from "../domain/shared/errors.ts";
import {
  buildCompensatingMovements,
  DuplicateMovementError,
  partitionByIdempotencyKey,
  stockKey,
  validateMovement,
  type MovementInput,
} from "../domain/ledger/stock-ledger.ts";

// The only writer of stock (ARCHITECTURE principle 3). On-hand is never written here either: the
// database adds each inserted movement to InventoryLevel.onHand in the same statement (trigger), refuses
// UPDATE/DELETE of movements and any direct write of onHand. This module adds what SQL cannot say
// nicely: validation, shop ownership of the SKU/location, batch de-duplication that reports instead
// of aborting, and reversals.

export { DuplicateMovementError, type MovementInput };

/** The database refused a write that would break a ledger invariant (append-only, derived on-hand). */
export class LedgerViolationError extends DomainError {
  constructor(message: string) {
    super("conflict", message);
    this.name = "LedgerViolationError";
  }
}

type Db = Prisma.TransactionClient;

/**
 * A movement that may not take stock below zero (write-off, transfer out) was refused: the units are not
 * on hand. Raised after the level is locked, so the figure is what the transaction really saw.
 */
export class InsufficientStockError extends DomainError {
  constructor(
    message: string,
    readonly shortages: { skuId: string; locationId: string; onHand: number; requested: number }[],
  ) {
    super("conflict", message, { shortages });
    this.name = "InsufficientStockError";
  }
}

/**
 * Kinds that move units we must physically hold: writing off or shipping stock that is not there is a
 * bookkeeping error, not a fact. A SALE or UNRECEIVE may still go below zero: the channel already sold
 * the unit (oversell), a wrongly booked receipt is undone in full; both are reported, not refused.
 */
export const STOCK_GUARDED_KINDS: ReadonlySet<MovementInput["kind"]> = new Set(["WRITE_OFF", "TRANSFER_OUT"]);

export type AppendResult = {
  inserted: InventoryMovement[];
  /** Movements whose idempotency key was already recorded (earlier, or earlier in this batch): nothing was written for them. */
  duplicates: { movement: MovementInput; existing: InventoryMovement | undefined }[];
};

/**
 * Appends movements; a key already recorded is reported in `duplicates`, never an error, so a retried
 * job can resend its whole batch. Uses INSERT … ON CONFLICT DO NOTHING rather than catching the unique
 * violation, because a failed statement would abort the caller's transaction.
 */
export async function appendMovements(shopId: string, movements: readonly MovementInput[], tx?: Db): Promise<AppendResult> {
  if (movements.length === 0) return { inserted: [], duplicates: [] };
  movements.forEach(validateMovement);
  const guarded = movements.some((m) => STOCK_GUARDED_KINDS.has(m.kind) && m.quantity < 0);
  // The stock check needs its level locks held until the insert commits, so it needs a transaction.
  if (guarded && !tx) return prisma.$transaction((own) => appendSorted(shopId, movements, own, true));
  return appendSorted(shopId, movements, tx ?? prisma, guarded);
}

async function appendSorted(shopId: string, movements: readonly MovementInput[], db: Db, guarded: boolean): Promise<AppendResult> {
  const { unique: firstOccurrences, repeated } = partitionByIdempotencyKey(movements);
  // Rows are inserted (and their InventoryLevel rows locked by the trigger) in this order. One global
  // order means two concurrent batches touching the same levels queue up instead of deadlocking.
  const unique = [...firstOccurrences].sort(
    (a, b) => compare(a.skuId, b.skuId) || compare(a.locationId, b.locationId) || compare(a.idempotencyKey, b.idempotencyKey),
  );
  try {
    await assertOwnedByShop(db, shopId, unique);
    if (guarded) await assertStockCovers(db, shopId, unique);
    const inserted = await db.inventoryMovement.createManyAndReturn({
      data: unique.map((movement) => toRow(shopId, movement)),
      skipDuplicates: true,
    });
    const insertedKeys = new Set(inserted.map((row) => row.idempotencyKey));
    const skipped = [...unique.filter((movement) => !insertedKeys.has(movement.idempotencyKey)), ...repeated];
    const existing =
      skipped.length === 0
        ? []
        : await db.inventoryMovement.findMany({ where: { shopId, idempotencyKey: { in: skipped.map((m) => m.idempotencyKey) } } });
    const existingByKey = new Map(existing.map((row) => [row.idempotencyKey, row]));
    return {
      inserted,
      duplicates: skipped.map((movement) => ({ movement, existing: existingByKey.get(movement.idempotencyKey) })),
    };
  } catch (error) {
    throw toLedgerError(error);
  }
}

/** For single postings where a repeat is a bug the caller wants to hear about. */
export async function appendMovement(shopId: string, movement: MovementInput, tx?: Db): Promise<InventoryMovement> {
  const { inserted } = await appendMovements(shopId, [movement], tx);
  const row = inserted[0];
  if (!row) throw new DuplicateMovementError(movement.idempotencyKey);
  return row;
}

export type ReverseResult = AppendResult & { alreadyReversed: number };

/**
 * Posts the negation of every movement recorded for a source that is not reversed yet (un-receive, a
 * cancelled order, a voided write-off). Serialized per source with a transaction-scoped advisory lock,
 * so two concurrent reversals cannot both see the postings as open and undo them twice.
 */
export async function reverseMovements(
  shopId: string,
  sourceType: string,
  sourceId: string,
  idempotencyKey: string,
  options: { occurredAt?: Date; note?: string; tx?: Db } = {},
): Promise<ReverseResult> {
  const run = async (db: Db): Promise<ReverseResult> => {
    await db.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`ledger-reverse:${shopId}:${sourceType}:${sourceId}`}))`;
    const postings = await db.inventoryMovement.findMany({
      where: { shopId, sourceType, sourceId },
      orderBy: [{ occurredAt: "asc" }, { id: "asc" }],
    });
    const ids = postings.map((posting) => posting.id);
    const reversals = await db.inventoryMovement.findMany({
      where: { shopId, reversesMovementId: { in: ids } },
      select: { reversesMovementId: true },
    });
    const alreadyReversedIds = new Set(reversals.flatMap((r) => (r.reversesMovementId ? [r.reversesMovementId] : [])));
    const compensating = buildCompensatingMovements(postings, alreadyReversedIds, {
      idempotencyKey,
      occurredAt: options.occurredAt ?? new Date(),
      ...(options.note === undefined ? {} : { note: options.note }),
    });
    const result = await appendMovements(shopId, compensating, db);
    return { ...result, alreadyReversed: alreadyReversedIds.size };
  };
  return options.tx ? run(options.tx) : prisma.$transaction(run);
}

export async function getInventoryLevels(
  shopId: string,
  filter: { skuIds?: readonly string[]; locationIds?: readonly string[] } = {},
): Promise<InventoryLevel[]> {
  return prisma.inventoryLevel.findMany({
    where: {
      shopId,
      ...(filter.skuIds ? { skuId: { in: [...filter.skuIds] } } : {}),
      ...(filter.locationIds ? { locationId: { in: [...filter.locationIds] } } : {}),
    },
    orderBy: [{ skuId: "asc" }, { locationId: "asc" }],
  });
}

/** On-hand recomputed from the ledger itself (what InventoryLevel.onHand must always equal). */
export async function getLedgerBalance(shopId: string, skuId: string, locationId: string, tx?: Db): Promise<number> {
  const { _sum } = await (tx ?? prisma).inventoryMovement.aggregate({ where: { shopId, skuId, locationId }, _sum: { quantity: true } });
  return _sum.quantity ?? 0;
}

/**
 * Locks the InventoryLevel rows of these SKU/location pairs until the transaction ends (SELECT … FOR
 * UPDATE) and returns their on-hand, keyed by stockKey; a pair without a row reads 0. Call it inside the
 * transaction that will append, before checking what is on hand: a concurrent sale, write-off, transfer
 * or receipt of the same level then waits for this transaction instead of slipping in between the check
 * and the append. Rows are locked in the order appendMovements inserts (SKU, then location, bytewise),
 * so lockers never deadlock with each other or with the insert trigger. Lock documents (PO, transfer)
 * before levels, as receiving does.
 */
export async function lockInventoryLevels(db: Db, shopId: string, pairs: readonly { skuId: string; locationId: string }[]): Promise<Map<string, number>> {
  const onHand = new Map<string, number>();
  if (pairs.length === 0) return onHand;
  const distinct = [...new Map(pairs.map((p) => [stockKey(p.skuId, p.locationId), p])).values()];
  const rows = await db.$queryRaw<{ skuId: string; locationId: string; onHand: number }[]>(Prisma.sql`
    SELECT "skuId", "locationId", "onHand"
    FROM "InventoryLevel"
    WHERE "shopId" = ${shopId}
      AND ("skuId", "locationId") IN (${Prisma.join(distinct.map((p) => Prisma.sql`(${p.skuId}, ${p.locationId})`))})
    ORDER BY "skuId" COLLATE "C", "locationId" COLLATE "C"
    FOR UPDATE`);
  for (const pair of distinct) onHand.set(stockKey(pair.skuId, pair.locationId), 0);
  for (const row of rows) onHand.set(stockKey(row.skuId, row.locationId), Number(row.onHand));
  return onHand;
}

// Backstop for every caller: with the levels locked, a batch that removes guarded units must leave each
// level it touches at or above zero. Keys already recorded are left out, so a retried batch stays a no-op.
async function assertStockCovers(db: Db, shopId: string, movements: readonly MovementInput[]): Promise<void> {
  const onHand = await lockInventoryLevels(db, shopId, movements);
  const recorded = await db.inventoryMovement.findMany({
    where: { shopId, idempotencyKey: { in: movements.map((m) => m.idempotencyKey) } },
    select: { idempotencyKey: true },
  });
  const done = new Set(recorded.map((r) => r.idempotencyKey));
  const fresh = movements.filter((m) => !done.has(m.idempotencyKey));
  const delta = new Map<string, number>();
  for (const m of fresh) delta.set(stockKey(m.skuId, m.locationId), (delta.get(stockKey(m.skuId, m.locationId)) ?? 0) + m.quantity);
  const shortages = fresh
    .filter((m) => STOCK_GUARDED_KINDS.has(m.kind) && m.quantity < 0)
    .map((m) => stockKey(m.skuId, m.locationId))
    .filter((key, i, keys) => keys.indexOf(key) === i)
    .flatMap((key) => {
      const have = onHand.get(key) ?? 0;
      const change = delta.get(key) ?? 0;
      if (have + change >= 0) return [];
      const sample = fresh.find((m) => stockKey(m.skuId, m.locationId) === key) as MovementInput;
      return [{ skuId: sample.skuId, locationId: sample.locationId, onHand: have, requested: -change }];
    });
  if (shortages.length > 0) {
    throw new InsufficientStockError(
      `Not enough stock on hand: ${shortages.map((s) => `${s.onHand} held, ${s.requested} to remove (SKU ${s.skuId} at location ${s.locationId})`).join("; ")}`,
      shortages,
    );
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function toRow(shopId: string, movement: MovementInput): Prisma.InventoryMovementCreateManyInput {
  return {
    shopId,
    skuId: movement.skuId,
    locationId: movement.locationId,
    kind: movement.kind,
    quantity: movement.quantity,
    sourceType: movement.sourceType,
    sourceId: movement.sourceId ?? null,
    idempotencyKey: movement.idempotencyKey,
    occurredAt: movement.occurredAt,
    reversesMovementId: movement.reversesMovementId ?? null,
    note: movement.note ?? null,
  };
}

// The foreign keys only prove the SKU and location exist, not that they are this shop's: without this
// check a movement could post shop B's SKU into shop A's stock.
async function assertOwnedByShop(db: Db, shopId: string, movements: readonly MovementInput[]): Promise<void> {
  const skuIds = [...new Set(movements.map((m) => m.skuId))];
  const locationIds = [...new Set(movements.map((m) => m.locationId))];
  const [skus, locations] = await Promise.all([
    db.sku.findMany({ where: { shopId, id: { in: skuIds } }, select: { id: true } }),
    db.location.findMany({ where: { shopId, id: { in: locationIds } }, select: { id: true } }),
  ]);
  const knownSkus = new Set(skus.map((s) => s.id));
  const knownLocations = new Set(locations.map((l) => l.id));
  const missingSku = skuIds.find((id) => !knownSkus.has(id));
  const missingLocation = locationIds.find((id) => !knownLocations.has(id));
  if (missingSku) throw new DomainError("not_found", `SKU ${missingSku} does not belong to this shop`, { skuId: missingSku });
  if (missingLocation) throw new DomainError("not_found", `Location ${missingLocation} does not belong to this shop`, { locationId: missingLocation });
}

/** Postgres error code behind a Prisma error, for model calls (DriverAdapterError) and raw ones (P2010). */
export function postgresErrorCode(error: unknown): string | undefined {
  const e = error as { cause?: { originalCode?: string; code?: string }; meta?: { driverAdapterError?: { cause?: { originalCode?: string } } } };
  return e?.cause?.originalCode ?? e?.meta?.driverAdapterError?.cause?.originalCode ?? (typeof e?.cause?.code === "string" ? e.cause.code : undefined);
}

/** Maps the database's ledger refusals to the ledger's own errors; anything else passes through. */
export function toLedgerError(error: unknown): unknown {
  if (error instanceof DomainError) return error;
  if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002") {
    const fields = JSON.stringify(error.meta ?? {});
    if (fields.includes("idempotencyKey")) return new DuplicateMovementError("(unknown: raced with a concurrent insert)");
  }
  const code = postgresErrorCode(error);
  if (code === "23001") {
    // restrict_violation, raised by the append-only and onHand guard triggers
    const message = (error as { cause?: { originalMessage?: string }; message?: string }).cause?.originalMessage ?? String((error as Error).message);
    return new LedgerViolationError(message);
  }
  return error;
}
