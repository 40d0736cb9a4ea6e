import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { applyPurchaseOrderEvent, approveByPolicy } from "#app/services/purchase-orders.server.ts";
import { resetDatabase } from "#tests/setup/db.ts";
import { createPurchaseOrder, createPurchasingFixture, type PurchasingFixture } from "./helpers.ts";

beforeEach(resetDatabase);

async function setPolicy(f: PurchasingFixture, mode: "REVIEW_ALL" | "EXCEPTIONS_ONLY" | "AUTONOMOUS", extra: { autonomousScope?: object; approvalThreshold?: string } = {}) {
  await prisma.shopSettings.update({ where: { shopId: f.shopId }, data: { approvalMode: mode, ...extra } });
}

async function eventsOf(shopId: string, purchaseOrderId: string) {
  return prisma.purchaseOrderEvent.findMany({ where: { shopId, purchaseOrderId }, orderBy: { createdAt: "asc" } });
}

describe("approveByPolicy", () => {
  it("the default policy (review everything) puts a draft into the review queue with the reason", async () => {
    const f = await createPurchasingFixture();
    const po = await createPurchaseOrder(f);
    const result = await approveByPolicy(f.shopId, po.id);
    expect(result).toMatchObject({ decision: "needs-review", send: "manual", reasons: ["the shop reviews every PO"], applied: { toStatus: "AWAITING_APPROVAL" } });
    const after = await prisma.purchaseOrder.findUniqueOrThrow({ where: { id: po.id } });
    expect(after).toMatchObject({ status: "AWAITING_APPROVAL", approvedAt: null });
    const [event] = await eventsOf(f.shopId, po.id);
    expect(event).toMatchObject({ actorType: "SYSTEM", actorName: "approval policy", fromStatus: "DRAFT", toStatus: "AWAITING_APPROVAL", message: expect.stringContaining("the shop reviews every PO") });
  });

  it("a flagged PO already awaiting approval stays there, untouched", async () => {
    const f = await createPurchasingFixture();
    await setPolicy(f, "EXCEPTIONS_ONLY");
    const po = await createPurchaseOrder(f, { status: "AWAITING_APPROVAL", flags: ["bulk_order_trigger"] });
    const result = await approveByPolicy(f.shopId, po.id);
    expect(result).toMatchObject({ decision: "needs-review", reasons: ["flagged by the engine: bulk_order_trigger"], applied: null });
    expect(await eventsOf(f.shopId, po.id)).toHaveLength(0);
  });

  it("EXCEPTIONS_ONLY approves a clean PO as SYSTEM, records why, and reports the supplier's auto-send", async () => {
    const f = await createPurchasingFixture({ autoSend: true });
    await setPolicy(f, "EXCEPTIONS_ONLY");
    const po = await createPurchaseOrder(f, { total: "1999.99" });
    const now = new Date("2026-03-05T08:00:00Z");
    const result = await approveByPolicy(f.shopId, po.id, { now });
    expect(result).toMatchObject({ decision: "auto-approve", send: "auto", applied: { fromStatus: "DRAFT", toStatus: "DRAFT" } });
    const after = await prisma.purchaseOrder.findUniqueOrThrow({ where: { id: po.id } });
    expect(after).toMatchObject({ status: "DRAFT", approvedAt: now, approvedBy: "approval policy", sentAt: null });
    const [event] = await eventsOf(f.shopId, po.id);
    expect(event?.data).toMatchObject({ event: "auto-approve", send: "auto", reasons: result.reasons });
    // Approved once: a second run is a conflict, not a second approval.
    await expect(approveByPolicy(f.shopId, po.id)).rejects.toMatchObject({ kind: "conflict" });
  });

  it("above the shop's threshold a person approves, even when autonomous", async () => {
    const f = await createPurchasingFixture();
    await setPolicy(f, "AUTONOMOUS", { approvalThreshold: "1000" });
    const po = await createPurchaseOrder(f, { total: "1000.01" });
    const result = await approveByPolicy(f.shopId, po.id);
    expect(result).toMatchObject({ decision: "needs-review", reasons: ["value $1,000.01 is above the approval threshold $1,000.00"] });
  });

  it("a PO in another currency than the shop's goes to a person", async () => {
    const f = await createPurchasingFixture({ currency: "EUR" });
    await setPolicy(f, "AUTONOMOUS");
    const po = await createPurchaseOrder(f, { currency: "USD", total: "10.00" });
    expect((await approveByPolicy(f.shopId, po.id)).decision).toBe("needs-review");
  });

  it("scoped autonomy by ABC class reads each line's class from its engine suggestion", async () => {
    const f = await createPurchasingFixture();
    await setPolicy(f, "AUTONOMOUS", { autonomousScope: { abcClasses: ["A"] } });
    const allA = await createPurchaseOrder(f, { abcClasses: ["A", "A"] });
    const mixed = await createPurchaseOrder(f, { abcClasses: ["A", "C"] });
    const unknown = await createPurchaseOrder(f);
    expect((await approveByPolicy(f.shopId, allA.id)).decision).toBe("auto-approve");
    expect(await approveByPolicy(f.shopId, mixed.id)).toMatchObject({ decision: "needs-review", reasons: ["outside the shop's autonomous scope (supplier or ABC classes)"] });
    expect((await approveByPolicy(f.shopId, unknown.id)).decision).toBe("needs-review");
  });

  it("scoped autonomy by supplier", async () => {
    const f = await createPurchasingFixture();
    await setPolicy(f, "AUTONOMOUS", { autonomousScope: { supplierIds: [f.supplierId] } });
    const po = await createPurchaseOrder(f);
    expect(await approveByPolicy(f.shopId, po.id)).toMatchObject({ decision: "auto-approve", send: "manual" });
    // In scope, but a low-data product: the engine's flag still sends it to a person.
    const thin = await createPurchaseOrder(f, { flags: ["low_data"] });
    expect(await approveByPolicy(f.shopId, thin.id)).toMatchObject({ decision: "needs-review", reasons: ["flagged by the engine: low_data"] });
  });

  it("an unreadable autonomous scope fails closed to review", async () => {
    const f = await createPurchasingFixture();
    await setPolicy(f, "AUTONOMOUS", { autonomousScope: { abcClasses: "A" } });
    const po = await createPurchaseOrder(f);
    const result = await approveByPolicy(f.shopId, po.id);
    expect(result.decision).toBe("needs-review");
    expect(result.reasons[0]).toBe("the shop's autonomous scope setting is unreadable");
  });

  it("refuses POs past approval and other shops' POs", async () => {
    const f = await createPurchasingFixture();
    const other = await createPurchasingFixture();
    const sent = await createPurchaseOrder(f, { status: "SENT", approvedAt: new Date("2026-03-01") });
    const theirs = await createPurchaseOrder(other);
    await expect(approveByPolicy(f.shopId, sent.id)).rejects.toMatchObject({ kind: "conflict" });
    await expect(approveByPolicy(f.shopId, theirs.id)).rejects.toMatchObject({ kind: "not_found" });
    expect(await prisma.purchaseOrder.findUniqueOrThrow({ where: { id: theirs.id } })).toMatchObject({ status: "DRAFT", approvedAt: null });
  });

  it("concurrent policy approval and a merchant's approval: exactly one approves", async () => {
    const f = await createPurchasingFixture();
    await setPolicy(f, "EXCEPTIONS_ONLY");
    const po = await createPurchaseOrder(f, { status: "AWAITING_APPROVAL" });
    const results = await Promise.allSettled([approveByPolicy(f.shopId, po.id), applyPurchaseOrderEvent(f.shopId, po.id, "approve", { type: "MERCHANT", name: "ana" })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await eventsOf(f.shopId, po.id)).toHaveLength(1);
  });
});
