import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import type { Actor, PurchaseOrderEventName } from "#app/domain/purchasing/purchase-order.ts";
import { AppError } from "#app/lib/app-error.ts";
import { forShop } from "#app/models/scoped-db.server.ts";
import { applyPurchaseOrderEvent, applyPurchaseOrderEventInTransaction } from "#app/services/purchase-orders.server.ts";
import { resetDatabase } from "#tests/setup/db.ts";
import { createPurchaseOrder, createPurchasingFixture } from "./helpers.ts";

beforeEach(resetDatabase);

const merchant: Actor = { type: "MERCHANT", name: "ana@shop.test" };
const supplier: Actor = { type: "SUPPLIER", name: "Acme Supply" };
const system: Actor = { type: "SYSTEM", name: "receiving" };

async function snapshot(shopId: string, id: string) {
  const po = await prisma.purchaseOrder.findUniqueOrThrow({ where: { id } });
  const events = await prisma.purchaseOrderEvent.findMany({ where: { shopId, purchaseOrderId: id }, orderBy: [{ createdAt: "asc" }, { id: "asc" }] });
  return { po, events };
}

describe("applyPurchaseOrderEvent", () => {
  it("walks the whole lifecycle, stamping each column once and logging every step with its actor", async () => {
    const f = await createPurchasingFixture();
    const po = await createPurchaseOrder(f);
    const base = Date.parse("2026-03-02T09:00:00Z");
    const steps: [PurchaseOrderEventName, Actor, string][] = [
      ["submit", merchant, "AWAITING_APPROVAL"],
      ["approve", merchant, "AWAITING_APPROVAL"],
      ["send", merchant, "SENT"],
      ["acknowledge", supplier, "ACKNOWLEDGED"],
      ["counter", supplier, "COUNTERED"],
      ["counter-back", merchant, "COUNTERED"],
      ["counter", supplier, "COUNTERED"],
      ["accept-counter", merchant, "CONFIRMED"],
      ["ship", supplier, "SHIPPED"],
      ["mark-arriving", { type: "SYSTEM", name: "carrier tracking" }, "ARRIVING"],
      ["receive-partial", system, "PARTIALLY_RECEIVED"],
      ["receive-complete", system, "RECEIVED"],
      ["close", merchant, "CLOSED"],
    ];
    const at = (i: number) => new Date(base + i * 3_600_000);
    for (const [i, [event, actor, to]] of steps.entries()) {
      const applied = await applyPurchaseOrderEvent(f.shopId, po.id, event, actor, { now: at(i), ...(event === "counter-back" ? { message: "We need 50, not 40", data: { round: 2 } } : {}) });
      expect(applied).toMatchObject({ purchaseOrderId: po.id, number: po.number, toStatus: to });
    }

    const { po: after, events } = await snapshot(f.shopId, po.id);
    expect(after.status).toBe("CLOSED");
    expect(after).toMatchObject({
      approvedAt: at(1),
      approvedBy: "ana@shop.test",
      sentAt: at(2),
      acknowledgedAt: at(3),
      confirmedAt: at(7),
      shippedAt: at(8),
      deliveredAt: at(9),
      firstReceivedAt: at(10),
      receivedAt: at(11),
      closedAt: at(12),
      cancelledAt: null,
    });
    expect(events.map((e) => [e.type, (e.data as { event: string }).event, e.actorType, e.actorName, e.fromStatus, e.toStatus])).toEqual([
      ["STATUS_CHANGE", "submit", "MERCHANT", "ana@shop.test", "DRAFT", "AWAITING_APPROVAL"],
      ["STATUS_CHANGE", "approve", "MERCHANT", "ana@shop.test", "AWAITING_APPROVAL", "AWAITING_APPROVAL"],
      ["STATUS_CHANGE", "send", "MERCHANT", "ana@shop.test", "AWAITING_APPROVAL", "SENT"],
      ["STATUS_CHANGE", "acknowledge", "SUPPLIER", "Acme Supply", "SENT", "ACKNOWLEDGED"],
      ["STATUS_CHANGE", "counter", "SUPPLIER", "Acme Supply", "ACKNOWLEDGED", "COUNTERED"],
      ["STATUS_CHANGE", "counter-back", "MERCHANT", "ana@shop.test", "COUNTERED", "COUNTERED"],
      ["STATUS_CHANGE", "counter", "SUPPLIER", "Acme Supply", "COUNTERED", "COUNTERED"],
      ["STATUS_CHANGE", "accept-counter", "MERCHANT", "ana@shop.test", "COUNTERED", "CONFIRMED"],
      ["STATUS_CHANGE", "ship", "SUPPLIER", "Acme Supply", "CONFIRMED", "SHIPPED"],
      ["STATUS_CHANGE", "mark-arriving", "SYSTEM", "carrier tracking", "SHIPPED", "ARRIVING"],
      ["STATUS_CHANGE", "receive-partial", "SYSTEM", "receiving", "ARRIVING", "PARTIALLY_RECEIVED"],
      ["STATUS_CHANGE", "receive-complete", "SYSTEM", "receiving", "PARTIALLY_RECEIVED", "RECEIVED"],
      ["STATUS_CHANGE", "close", "MERCHANT", "ana@shop.test", "RECEIVED", "CLOSED"],
    ]);
    expect(events.map((e) => e.createdAt)).toEqual(steps.map((_, i) => at(i)));
    const counterBack = events[5];
    expect(counterBack?.message).toBe("Countered back by the merchant (ana@shop.test); status stays countered — We need 50, not 40");
    expect(counterBack?.data).toEqual({ round: 2, event: "counter-back" });
  });

  it("cancels from an open state and refuses anything after it", async () => {
    const f = await createPurchasingFixture();
    const po = await createPurchaseOrder(f, { status: "SHIPPED", approvedAt: new Date("2026-03-01") });
    await applyPurchaseOrderEvent(f.shopId, po.id, "cancel", merchant, { message: "Supplier out of business" });
    const { po: after } = await snapshot(f.shopId, po.id);
    expect(after.status).toBe("CANCELLED");
    expect(after.cancelledAt).toBeInstanceOf(Date);
    await expect(applyPurchaseOrderEvent(f.shopId, po.id, "receive-complete", system)).rejects.toMatchObject({ kind: "conflict" });
  });

  it.each([
    ["DRAFT", "send", merchant, "has not been approved"],
    ["DRAFT", "ship", supplier, "Cannot ship"],
    ["SENT", "approve", merchant, "Cannot approve"],
    ["SENT", "acknowledge", merchant, "Only the supplier can acknowledge"],
    ["RECEIVED", "cancel", merchant, "Cannot cancel"],
    ["CLOSED", "close", merchant, "Cannot close"],
    ["CONFIRMED", "teleport", merchant, "is not a purchase-order event"],
  ] as const)("refuses %s --%s-- with a conflict and changes nothing", async (status, event, actor, message) => {
    const f = await createPurchasingFixture();
    const po = await createPurchaseOrder(f, { status });
    const before = await snapshot(f.shopId, po.id);
    const error = await applyPurchaseOrderEvent(f.shopId, po.id, event, actor).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ kind: "conflict" });
    expect((error as Error).message).toContain(message);
    expect(await snapshot(f.shopId, po.id)).toEqual(before);
  });

  it("answers not_found for another shop's PO and leaves it alone", async () => {
    const mine = await createPurchasingFixture();
    const theirs = await createPurchasingFixture();
    const po = await createPurchaseOrder(theirs, { status: "AWAITING_APPROVAL" });
    const before = await snapshot(theirs.shopId, po.id);
    await expect(applyPurchaseOrderEvent(mine.shopId, po.id, "approve", merchant)).rejects.toMatchObject({ kind: "not_found", message: "Purchase order not found" });
    await expect(applyPurchaseOrderEvent(mine.shopId, "no-such-po", "approve", merchant)).rejects.toMatchObject({ kind: "not_found" });
    expect(await snapshot(theirs.shopId, po.id)).toEqual(before);
  });

  it("two concurrent approvals: exactly one wins, one approval and one event are recorded", async () => {
    const f = await createPurchasingFixture();
    const po = await createPurchaseOrder(f, { status: "AWAITING_APPROVAL" });
    const results = await Promise.allSettled([
      applyPurchaseOrderEvent(f.shopId, po.id, "approve", { type: "MERCHANT", name: "ana" }),
      applyPurchaseOrderEvent(f.shopId, po.id, "approve", { type: "MERCHANT", name: "ben" }),
    ]);
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]?.reason).toMatchObject({ kind: "conflict" });
    expect((lost[0]?.reason as Error).message).toContain("already approved");
    const { po: after, events } = await snapshot(f.shopId, po.id);
    expect(events).toHaveLength(1);
    expect(after.approvedBy).toBe(events[0]?.actorName);
  });

  it("conflicting concurrent events (supplier accepts while the merchant cancels): one wins, the log matches the final status", async () => {
    const f = await createPurchasingFixture();
    for (let round = 0; round < 5; round++) {
      const po = await createPurchaseOrder(f, { status: "SENT", approvedAt: new Date("2026-03-01") });
      const results = await Promise.allSettled([
        applyPurchaseOrderEvent(f.shopId, po.id, "accept", supplier),
        applyPurchaseOrderEvent(f.shopId, po.id, "cancel", merchant),
      ]);
      const { po: after, events } = await snapshot(f.shopId, po.id);
      if (results[0].status === "fulfilled" && results[1].status === "fulfilled") {
        // Legal in sequence: accepted, then cancelled by the merchant.
        expect(after.status).toBe("CANCELLED");
        expect(events.map((e) => e.toStatus)).toEqual(["CONFIRMED", "CANCELLED"]);
      } else {
        expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
        expect(events).toHaveLength(1);
        expect(events[0]?.toStatus).toBe("CANCELLED");
        expect(after.status).toBe("CANCELLED");
        expect(after.confirmedAt).toBeNull();
      }
    }
  });

  it("inside a caller's transaction the change commits or rolls back with the caller's own work", async () => {
    const f = await createPurchasingFixture();
    const po = await createPurchaseOrder(f, { status: "ARRIVING", approvedAt: new Date("2026-03-01") });
    const before = await snapshot(f.shopId, po.id);
    await expect(
      forShop(f.shopId).$transaction(async (tx) => {
        await applyPurchaseOrderEventInTransaction(tx, f.shopId, po.id, "receive-partial", system);
        throw new Error("receipt booking failed");
      }),
    ).rejects.toThrow("receipt booking failed");
    expect(await snapshot(f.shopId, po.id)).toEqual(before);
    const applied = await forShop(f.shopId).$transaction((tx) => applyPurchaseOrderEventInTransaction(tx, f.shopId, po.id, "receive-partial", system));
    expect(applied.toStatus).toBe("PARTIALLY_RECEIVED");
    expect((await snapshot(f.shopId, po.id)).events).toHaveLength(1);
  });
});
