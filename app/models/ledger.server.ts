import { Prisma, type InventoryLevel, type InventoryMovement } from "@prisma/client";
import { prisma } from "../db.server.ts";
import { DomainError } from "../domain/shared/errors.ts";
import {
  buildCompensatingMovements,
  DuplicateMovementError,
  partitionByIdempotencyKey,
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
  const db = tx ?? prisma;
  const { unique: firstOccurrences, repeated } = partitionByIdempotencyKey(movements);
  // Rows are inserted (and their InventoryLevel rows locked by the trigger) in this order. One global
  // order means two concurrent batches touching the same levels queue up instead of deadlocking.
  const unique = [...firstOccurrences].sort(
    (a, b) => compare(a.skuId, b.skuId) || compare(a.locationId, b.locationId) || compare(a.idempotencyKey, b.idempotencyKey),
  );
  try {
    await assertOwnedByShop(db, shopId, unique);
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
