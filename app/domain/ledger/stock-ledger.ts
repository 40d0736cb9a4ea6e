/**
 * The stock ledger's rules, without storage: what a valid movement is, how a batch is de-duplicated,
 * how a posting is undone, and what on-hand a list of movements adds up to. The database enforces the
 * same invariants (append-only, on-hand = sum of movements); this module lets callers fail early with a
 * clear message and gives tests an independent oracle.
 */
import { DomainError, invalidInput } from "../shared/errors.ts";
import { MAX_STORED_UNITS } from "../shared/quantity.ts";

export const MOVEMENT_KINDS = [
  "INITIAL",
  "SALE",
  "RETURN",
  "RECEIPT",
  "UNRECEIVE",
  "ADJUSTMENT",
  "WRITE_OFF",
  "TRANSFER_OUT",
  "TRANSFER_IN",
] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];

/** +1 adds stock, -1 removes it, 0 either way (counts and corrections carry their own sign). */
const DIRECTION: Record<MovementKind, 1 | -1 | 0> = {
  INITIAL: 0,
  ADJUSTMENT: 0,
  SALE: -1,
  RETURN: 1,
  RECEIPT: 1,
  UNRECEIVE: -1,
  WRITE_OFF: -1,
  TRANSFER_OUT: -1,
  TRANSFER_IN: 1,
};

export type MovementInput = {
  skuId: string;
  locationId: string;
  kind: MovementKind;
  /** Signed delta to on-hand, in units. */
  quantity: number;
  /** What caused it: ORDER | RECEIPT | TRANSFER | WRITE_OFF | CHANNEL_SYNC | MANUAL | SEED … */
  sourceType: string;
  sourceId?: string | null;
  /** Same key ⇒ same movement: a retried job posts nothing the second time. Unique per shop. */
  idempotencyKey: string;
  occurredAt: Date;
  reversesMovementId?: string | null;
  note?: string | null;
};

/** A stored movement, as much of it as the pure rules need. */
export type PostedMovement = MovementInput & { id: string };

/** Throws invalid_input naming the first broken rule; returns the movement unchanged otherwise. */
export function validateMovement(movement: MovementInput): MovementInput {
  const { kind, quantity, idempotencyKey } = movement;
  const where = { idempotencyKey, kind, quantity };
  if (!MOVEMENT_KINDS.includes(kind)) throw invalidInput(`Unknown movement kind "${String(kind)}"`, where);
  if (!Number.isSafeInteger(quantity) || quantity === 0 || Math.abs(quantity) > MAX_STORED_UNITS) {
    throw invalidInput(`Movement quantity must be a non-zero whole number of units within ±${MAX_STORED_UNITS}, got ${quantity}`, where);
  }
  if (idempotencyKey.trim().length === 0) throw invalidInput("Movement needs an idempotency key", where);
  if (movement.skuId.length === 0 || movement.locationId.length === 0) throw invalidInput("Movement needs a SKU and a location", where);
  if (!movement.sourceType) throw invalidInput("Movement needs a source type", where);
  if (Number.isNaN(movement.occurredAt.getTime())) throw invalidInput("Movement needs a valid occurredAt", where);
  const expected = expectedSign(movement);
  if (expected !== 0 && Math.sign(quantity) !== expected) {
    throw invalidInput(
      `A ${kind}${movement.reversesMovementId ? " reversal" : ""} must ${expected > 0 ? "add" : "remove"} stock, got ${quantity}`,
      where,
    );
  }
  return movement;
}

function expectedSign(movement: MovementInput): 1 | -1 | 0 {
  const direction = DIRECTION[movement.kind];
  // A reversal undoes its original, so it runs the other way; UNRECEIVE is itself the undo of RECEIPT.
  if (!movement.reversesMovementId || movement.kind === "UNRECEIVE" || direction === 0) return direction;
  return direction === 1 ? -1 : 1;
}

/** Splits a batch into first occurrences and later repeats of the same idempotency key. */
export function partitionByIdempotencyKey<T extends { idempotencyKey: string }>(movements: readonly T[]): { unique: T[]; repeated: T[] } {
  const seen = new Set<string>();
  const unique: T[] = [];
  const repeated: T[] = [];
  for (const movement of movements) {
    if (seen.has(movement.idempotencyKey)) repeated.push(movement);
    else {
      seen.add(movement.idempotencyKey);
      unique.push(movement);
    }
  }
  return { unique, repeated };
}

/** The kind that undoes `kind`: receipts have their own inverse, every other kind is negated in place. */
export function compensatingKind(kind: MovementKind): MovementKind {
  return kind === "RECEIPT" ? "UNRECEIVE" : kind;
}

/**
 * The movements that undo a source's postings (an un-receive, a cancelled order, a voided write-off).
 * Movements that are themselves reversals, or that were already reversed, are left alone, so reversing
 * twice (a retried job, or a second click) posts nothing more. Each compensating movement's key is
 * derived from the caller's key and the original's id, so a retry of the same reversal is a duplicate.
 */
export function buildCompensatingMovements(
  postings: readonly PostedMovement[],
  alreadyReversedIds: ReadonlySet<string>,
  options: { idempotencyKey: string; occurredAt: Date; note?: string },
): MovementInput[] {
  if (options.idempotencyKey.trim().length === 0) throw invalidInput("Reversal needs an idempotency key");
  return postings
    .filter((original) => !original.reversesMovementId && !alreadyReversedIds.has(original.id))
    .map((original) => ({
      skuId: original.skuId,
      locationId: original.locationId,
      kind: compensatingKind(original.kind),
      quantity: -original.quantity,
      sourceType: original.sourceType,
      sourceId: original.sourceId ?? null,
      idempotencyKey: `${options.idempotencyKey}:${original.id}`,
      occurredAt: options.occurredAt,
      reversesMovementId: original.id,
      note: options.note ?? null,
    }));
}

export function stockKey(skuId: string, locationId: string): string {
  return `${skuId}@${locationId}`;
}

/** On-hand per SKU × location implied by the movements (what InventoryLevel.onHand must equal). */
export function sumMovements(movements: Iterable<Pick<MovementInput, "skuId" | "locationId" | "quantity">>): Map<string, number> {
  const onHand = new Map<string, number>();
  for (const { skuId, locationId, quantity } of movements) {
    const key = stockKey(skuId, locationId);
    onHand.set(key, (onHand.get(key) ?? 0) + quantity);
  }
  return onHand;
}

export class DuplicateMovementError extends DomainError {
  constructor(readonly idempotencyKey: string) {
    super("conflict", `A movement with idempotency key "${idempotencyKey}" was already recorded; nothing was changed`, { idempotencyKey });
    this.name = "DuplicateMovementError";
  }
}
