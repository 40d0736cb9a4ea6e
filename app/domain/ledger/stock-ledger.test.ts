import { describe, expect, it } from "vitest";
import { DomainError } from "../shared/errors.ts";
import {
  buildCompensatingMovements,
  partitionByIdempotencyKey,
  sumMovements,
  stockKey,
  validateMovement,
  type MovementInput,
  type PostedMovement,
} from "./stock-ledger.ts";

const at = new Date("2026-03-01T10:00:00Z");
const movement = (overrides: Partial<MovementInput> = {}): MovementInput => ({
  skuId: "sku1",
  locationId: "loc1",
  kind: "RECEIPT",
  quantity: 5,
  sourceType: "RECEIPT",
  sourceId: "r1",
  idempotencyKey: "k1",
  occurredAt: at,
  ...overrides,
});

describe("validateMovement", () => {
  it("accepts signed quantities that match the kind's direction", () => {
    expect(validateMovement(movement())).toBeTruthy();
    expect(validateMovement(movement({ kind: "SALE", quantity: -2 }))).toBeTruthy();
    expect(validateMovement(movement({ kind: "ADJUSTMENT", quantity: -7 }))).toBeTruthy();
    expect(validateMovement(movement({ kind: "ADJUSTMENT", quantity: 7 }))).toBeTruthy();
    expect(validateMovement(movement({ kind: "SALE", quantity: 2, reversesMovementId: "m1" }))).toBeTruthy();
    expect(validateMovement(movement({ kind: "UNRECEIVE", quantity: -5, reversesMovementId: "m1" }))).toBeTruthy();
  });

  it.each([
    ["zero", movement({ quantity: 0 })],
    ["fractional", movement({ quantity: 1.5 })],
    ["beyond the stored integer", movement({ quantity: 2_147_483_648 })],
    ["a sale that adds stock", movement({ kind: "SALE", quantity: 3 })],
    ["a receipt that removes stock", movement({ quantity: -3 })],
    ["a sale reversal that removes stock", movement({ kind: "SALE", quantity: -3, reversesMovementId: "m1" })],
    ["a blank idempotency key", movement({ idempotencyKey: "  " })],
    ["an invalid date", movement({ occurredAt: new Date("nope") })],
  ])("rejects %s", (_label, input) => {
    expect(() => validateMovement(input)).toThrow(DomainError);
  });
});

describe("partitionByIdempotencyKey", () => {
  it("keeps the first occurrence of each key", () => {
    const a = movement({ idempotencyKey: "a", quantity: 1 });
    const b = movement({ idempotencyKey: "b" });
    const a2 = movement({ idempotencyKey: "a", quantity: 9 });
    expect(partitionByIdempotencyKey([a, b, a2])).toEqual({ unique: [a, b], repeated: [a2] });
  });
});

describe("buildCompensatingMovements", () => {
  const posted: PostedMovement[] = [
    { ...movement({ idempotencyKey: "r1-a", quantity: 5 }), id: "m1" },
    { ...movement({ idempotencyKey: "r1-b", quantity: 3, skuId: "sku2" }), id: "m2" },
    { ...movement({ kind: "SALE", quantity: -2, sourceType: "ORDER", idempotencyKey: "o1" }), id: "m3" },
  ];
  const later = new Date("2026-03-02T00:00:00Z");

  it("negates every posting, receipts becoming un-receipts, with derived keys", () => {
    const result = buildCompensatingMovements(posted, new Set(), { idempotencyKey: "undo-1", occurredAt: later });
    expect(result.map((m) => [m.kind, m.quantity, m.reversesMovementId, m.idempotencyKey])).toEqual([
      ["UNRECEIVE", -5, "m1", "undo-1:m1"],
      ["UNRECEIVE", -3, "m2", "undo-1:m2"],
      ["SALE", 2, "m3", "undo-1:m3"],
    ]);
    for (const m of result) expect(() => validateMovement(m)).not.toThrow();
    const net = sumMovements([...posted, ...result]);
    expect([...net.values()].every((q) => q === 0)).toBe(true);
  });

  it("skips postings already reversed and reversals themselves", () => {
    const reversal: PostedMovement = { ...movement({ kind: "UNRECEIVE", quantity: -5, reversesMovementId: "m1", idempotencyKey: "x" }), id: "m4" };
    const result = buildCompensatingMovements([...posted, reversal], new Set(["m1"]), { idempotencyKey: "undo-2", occurredAt: later });
    expect(result.map((m) => m.reversesMovementId)).toEqual(["m2", "m3"]);
  });
});

describe("sumMovements", () => {
  it("adds deltas per SKU and location", () => {
    const totals = sumMovements([
      { skuId: "a", locationId: "x", quantity: 5 },
      { skuId: "a", locationId: "x", quantity: -2 },
      { skuId: "a", locationId: "y", quantity: 1 },
    ]);
    expect(totals.get(stockKey("a", "x"))).toBe(3);
    expect(totals.get(stockKey("a", "y"))).toBe(1);
    expect(totals.size).toBe(2);
  });
});
