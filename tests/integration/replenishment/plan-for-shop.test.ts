import type { RunTrigger } from "@prisma/client";
import { beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { planReplenishment } from "#app/domain/reorder/index.ts";
import { loadReorderSnapshot } from "#app/models/reorder-snapshot.server.ts";
import { createSupplierDraftFromSuggestions, planForShop } from "#app/services/replenishment.server.ts";
import { recordMovement } from "#tests/factories/index.ts";
import { resetDatabase } from "#tests/setup/db.ts";
import { AS_OF, buildOtherShop, buildShop, expectedInput, NOW, type ShopFixture } from "./fixtures.ts";

beforeEach(resetDatabase);

const asOf = new Date(`${AS_OF}T00:00:00.000Z`);

async function run(shopId: string, trigger: RunTrigger = "NIGHTLY", skuIds?: string[]) {
  const reorderRun = await prisma.reorderRun.create({ data: { shopId, asOf, trigger, startedAt: new Date() } });
  const result = await planForShop({ shopId, runId: reorderRun.id, asOf, trigger, ...(skuIds ? { skuIds } : {}) }, { now: () => NOW });
  // What the worker's runReorder does after a successful plan.
  await prisma.reorderRun.update({ where: { id: reorderRun.id }, data: { status: "COMPLETED", suggestionCount: result.suggestionCount } });
  return { runId: reorderRun.id, ...result };
}

const num = (d: { toString(): string } | null) => (d === null ? null : Number(d.toString()));

describe("planForShop", () => {
  it("stores the engine's numbers, one draft PO per supplier with consecutive numbers, a draft transfer and review items", async () => {
    const f = await buildShop();
    await buildOtherShop();
    const { runId, suggestionCount } = await run(f.shop.id);

    // The engine called directly on an input written from the fixture's literals (not by the loader).
    const plan = planReplenishment(expectedInput(f), AS_OF);
    const stored = await prisma.reorderSuggestion.findMany({ where: { runId } });
    expect(suggestionCount).toBe(plan.suggestions.length);
    expect(stored).toHaveLength(6);
    for (const s of plan.suggestions) {
      const row = stored.find((r) => r.skuId === s.skuId && r.locationId === s.locationId);
      expect(row, `${s.skuId} @ ${s.locationId}`).toBeDefined();
      if (!row) continue;
      expect(row.supplierId).toBe(s.supplierId);
      expect(row.abcClass).toBe(s.abcClass);
      expect(num(row.dailyForecast)).toBeCloseTo(s.forecast.dailyRate, 4);
      expect(num(row.safetyStock)).toBeCloseTo(s.safetyStock.units, 4);
      expect(num(row.reorderPoint)).toBeCloseTo(s.reorderPoint, 4);
      expect(num(row.targetStock)).toBeCloseTo(s.target.target, 4);
      expect(row.stockPosition).toBe(Math.round(s.position.position));
      expect(row.flags).toEqual(s.flags.map((fl) => fl.code));
      if (s.orderQuantity.quantity > 0) expect(row).toMatchObject({ action: "PURCHASE", quantity: s.orderQuantity.quantity });
      // Every number is in the JSON, and the paragraph quotes them with names instead of ids.
      const explanation = row.explanation as { reorderPoint: number; target: { target: number }; position: { position: number }; forecast: { dailyRate: number } };
      expect(explanation.reorderPoint).toBeCloseTo(s.reorderPoint, 9);
      expect(explanation.target.target).toBeCloseTo(s.target.target, 9);
      expect(explanation.forecast.dailyRate).toBeCloseTo(s.forecast.dailyRate, 9);
      expect(explanation.position.position).toBe(s.position.position);
      expect(row.explanationText).toContain(`Reorder point ${Math.round(s.reorderPoint)}`);
      expect(row.explanationText).not.toContain(s.skuId);
    }
    const a = stored.find((r) => r.skuId === f.skus.a.id);
    expect(a?.explanationText).toMatch(/^A-100 \(Alpha mug\) at Main/);

    // Loader ≡ hand-built input: same engine output.
    const loaded = await loadReorderSnapshot(f.shop.id, AS_OF);
    expect(planReplenishment(loaded.input, AS_OF).suggestions.map((s) => [s.skuId, s.locationId, s.orderQuantity.quantity, s.reorderPoint])).toEqual(
      plan.suggestions.map((s) => [s.skuId, s.locationId, s.orderQuantity.quantity, s.reorderPoint]),
    );

    // Discontinued: planned, never ordered.
    expect(stored.find((r) => r.skuId === f.skus.d.id)).toMatchObject({ action: "NONE", quantity: 0 });

    // POs: one per supplier, consecutive numbers, DRAFT vs AWAITING_APPROVAL by flags, lines at the suggested cost.
    const pos = await prisma.purchaseOrder.findMany({ where: { shopId: f.shop.id, reorderRunId: runId }, include: { lines: true, events: true }, orderBy: { number: "asc" } });
    const proposed = plan.purchaseOrders.filter((p) => p.status === "proposed");
    expect(pos.map((p) => p.supplierId).sort()).toEqual(proposed.map((p) => p.supplierId).sort());
    expect(pos.map((p) => p.number)).toEqual(["PO-2026-0001", "PO-2026-0002"]);
    const reliablePo = pos.find((p) => p.supplierId === f.reliable.id);
    const disputedPo = pos.find((p) => p.supplierId === f.disputed.id);
    expect(reliablePo?.status).toBe("DRAFT");
    expect(disputedPo?.status).toBe("AWAITING_APPROVAL");
    expect(disputedPo?.flags).toContain("supplier_dispute");
    for (const po of pos) {
      const p = proposed.find((x) => x.supplierId === po.supplierId);
      expect(po.lines.map((l) => [l.skuId, l.quantityOrdered]).sort()).toEqual(p?.lines.map((l) => [l.skuId, l.quantity]).sort());
      expect(Math.round(Number(po.total.toString()) * 100)).toBe(p?.total);
      expect(po.locationId).toBe(f.main.id);
      expect(po.events).toHaveLength(1);
      expect(po.events[0]).toMatchObject({ type: "STATUS_CHANGE", actorType: "SYSTEM", toStatus: po.status, data: { runId, trigger: "NIGHTLY" } });
    }
    expect(disputedPo?.lines[0]).toMatchObject({ supplierPartNumber: "DL-C" });
    expect(Number(disputedPo?.lines[0]?.unitCost.toString())).toBe(3.25);
    const linked = await prisma.reorderSuggestion.findMany({ where: { runId, purchaseOrderId: { not: null } } });
    expect(linked.map((s) => s.purchaseOrderId).sort()).toEqual(pos.flatMap((p) => p.lines.map(() => p.id)).sort());

    // Transfer: T moves from Main (overstocked) to the Annex as a DRAFT, numbered TR-….
    expect(plan.transfers.length).toBeGreaterThan(0);
    const transfers = await prisma.transfer.findMany({ where: { shopId: f.shop.id }, include: { lines: true } });
    expect(transfers).toHaveLength(1);
    expect(transfers[0]).toMatchObject({ number: "TR-2026-0001", status: "DRAFT", fromLocationId: f.main.id, toLocationId: f.annex.id, reorderRunId: runId });
    expect(transfers[0]?.lines.map((l) => [l.skuId, l.quantity])).toEqual(plan.transfers.map((t) => [t.skuId, t.quantity]));
    expect(stored.find((r) => r.skuId === f.skus.t.id && r.locationId === f.annex.id)).toMatchObject({ transferFromLocationId: f.main.id });

    // Review queue: the flagged PO.
    const items = await prisma.reviewItem.findMany({ where: { shopId: f.shop.id } });
    const poItem = items.find((i) => i.subjectType === "PURCHASE_ORDER");
    expect(poItem).toMatchObject({ kind: "FLAGGED_PO", status: "OPEN", subjectId: disputedPo?.id });
    expect(poItem?.reason).toContain("open quality dispute");
    expect(items.some((i) => i.subjectId === reliablePo?.id)).toBe(false);

    // The run records the policy it used.
    const stored_run = await prisma.reorderRun.findUniqueOrThrow({ where: { id: runId } });
    expect(stored_run.parameters).toMatchObject({ policy: { leadTimePercentile: 85, approvalThreshold: 500000 }, summary: { skus: 5 } });
  });

  it("a re-run the same day rewrites the drafts in place: same POs and numbers, nothing piles up", async () => {
    const f = await buildShop();
    const first = await run(f.shop.id);
    const before = await prisma.purchaseOrder.findMany({ where: { shopId: f.shop.id, reorderRunId: { not: null } }, include: { lines: true }, orderBy: { number: "asc" } });
    const itemsBefore = await prisma.reviewItem.findMany({ where: { shopId: f.shop.id } });
    const second = await run(f.shop.id, "MANUAL");

    const after = await prisma.purchaseOrder.findMany({ where: { shopId: f.shop.id, reorderRunId: { not: null } }, include: { lines: true, events: true }, orderBy: { number: "asc" } });
    expect(after.map((p) => [p.id, p.number, p.status, p.total.toString()])).toEqual(before.map((p) => [p.id, p.number, p.status, p.total.toString()]));
    expect(after.every((p) => p.reorderRunId === second.runId)).toBe(true);
    expect(after.map((p) => p.lines.map((l) => [l.skuId, l.quantityOrdered]))).toEqual(before.map((p) => p.lines.map((l) => [l.skuId, l.quantityOrdered])));
    // Lines now point at the new run's suggestions; identical content logs no new event.
    const newSuggestionIds = new Set((await prisma.reorderSuggestion.findMany({ where: { runId: second.runId } })).map((s) => s.id));
    expect(after.flatMap((p) => p.lines).every((l) => l.suggestionId !== null && newSuggestionIds.has(l.suggestionId))).toBe(true);
    expect(after.every((p) => p.events.length === 1)).toBe(true);
    const sequences = await prisma.documentSequence.findMany({ where: { shopId: f.shop.id } });
    expect(sequences.map((s) => [s.kind, s.lastValue]).sort()).toEqual([["PO", 2], ["TRANSFER", 1]]);
    expect(await prisma.transfer.count({ where: { shopId: f.shop.id } })).toBe(1);
    const itemsAfter = await prisma.reviewItem.findMany({ where: { shopId: f.shop.id } });
    expect(itemsAfter.map((i) => [i.id, i.status])).toEqual(itemsBefore.map((i) => [i.id, i.status]));
    expect(first.runId).not.toBe(second.runId);
  });

  it("leaves a draft a person acted on alone, and counts it as on order", async () => {
    const f = await buildShop();
    await run(f.shop.id);
    const reliablePo = await prisma.purchaseOrder.findFirstOrThrow({ where: { shopId: f.shop.id, supplierId: f.reliable.id, reorderRunId: { not: null } }, include: { lines: true } });
    await prisma.purchaseOrderEvent.create({ data: { shopId: f.shop.id, purchaseOrderId: reliablePo.id, type: "COMMENT", actorType: "MERCHANT", message: "Checking with the supplier" } });

    const { runId } = await run(f.shop.id);
    const again = await prisma.purchaseOrder.findUniqueOrThrow({ where: { id: reliablePo.id } });
    expect(again.reorderRunId).not.toBe(runId);
    expect(again.status).toBe("DRAFT");
    // Its units count as incoming, so the engine does not order them a second time.
    const a = await prisma.reorderSuggestion.findFirstOrThrow({ where: { runId, skuId: f.skus.a.id } });
    const aLine = reliablePo.lines.find((l) => l.skuId === f.skus.a.id);
    expect((a.explanation as { position: { openPurchaseOrderQuantity: number } }).position.openPurchaseOrderQuantity).toBe(aLine?.quantityOrdered);
    expect(await prisma.purchaseOrder.count({ where: { shopId: f.shop.id, supplierId: f.reliable.id, status: { not: "RECEIVED" } } })).toBe(1);
  });

  it("a stock-change run for one SKU rewrites only that SKU's line and resolves what no longer applies", async () => {
    const f = await buildShop();
    await run(f.shop.id);
    const po = await prisma.purchaseOrder.findFirstOrThrow({ where: { shopId: f.shop.id, supplierId: f.reliable.id, status: "DRAFT" }, include: { lines: true } });
    const bLine = po.lines.find((l) => l.skuId === f.skus.b.id);
    expect(po.lines.some((l) => l.skuId === f.skus.a.id)).toBe(true);

    // A arrives (a big stock count): it no longer needs ordering.
    await recordMovement({ shopId: f.shop.id, skuId: f.skus.a.id, locationId: f.main.id, quantity: 2000, kind: "ADJUSTMENT" });
    const { runId, suggestionCount } = await run(f.shop.id, "STOCK_CHANGE", [f.skus.a.id]);
    expect(suggestionCount).toBe(1);
    const after = await prisma.purchaseOrder.findUniqueOrThrow({ where: { id: po.id }, include: { lines: true, events: { orderBy: { createdAt: "asc" } } } });
    expect(after.number).toBe(po.number);
    expect(after.lines.map((l) => [l.skuId, l.quantityOrdered])).toEqual([[f.skus.b.id, bLine?.quantityOrdered]]);
    expect(Number(after.total.toString())).toBeCloseTo((bLine?.quantityOrdered ?? 0) * 4, 2);
    expect(after.events.at(-1)).toMatchObject({ type: "LINES_EDITED", actorType: "SYSTEM", data: { runId, trigger: "STOCK_CHANGE" } });

    // The single-SKU run classifies A as the whole catalogue would (not "A" because it is alone).
    const nightlyA = await prisma.reorderSuggestion.findFirstOrThrow({ where: { skuId: f.skus.a.id, runId: { not: runId } } });
    const scopedA = await prisma.reorderSuggestion.findFirstOrThrow({ where: { skuId: f.skus.a.id, runId } });
    expect(scopedA.abcClass).toBe(nightlyA.abcClass);
  });

  it("a stock-change run plans its SKUs with the whole-shop run's catalogue figures, so nothing moved means the same plan", async () => {
    const f = await buildShop();
    const nightly = await run(f.shop.id);
    const stockChange = await run(f.shop.id, "STOCK_CHANGE", [f.skus.b.id]);
    const numbers = async (runId: string) => {
      const rows = await prisma.reorderSuggestion.findMany({ where: { runId, skuId: f.skus.b.id }, orderBy: { locationId: "asc" } });
      return rows.map((r) => {
        const e = r.explanation as { forecast: { trendMultiplier: number }; serviceLevel: number };
        return [r.locationId, num(r.dailyForecast), num(r.safetyStock), num(r.reorderPoint), num(r.targetStock), r.quantity, e.forecast.trendMultiplier, e.serviceLevel];
      });
    };
    const before = await numbers(nightly.runId);
    expect(before.length).toBeGreaterThan(0);
    expect(await numbers(stockChange.runId)).toEqual(before);
    // What the stock-change run borrowed is what the nightly run stored.
    const stored = await prisma.reorderRun.findUniqueOrThrow({ where: { id: nightly.runId } });
    expect((stored.parameters as { catalogue: { catalogueTrend?: unknown } }).catalogue.catalogueTrend).toBeDefined();
    expect((await loadReorderSnapshot(f.shop.id, AS_OF, { skuIds: [f.skus.b.id] })).input.catalogueTrend).toEqual(
      (stored.parameters as { catalogue: { catalogueTrend: unknown } }).catalogue.catalogueTrend,
    );
  });

  it("a nightly plan prunes the old stock-change runs it supersedes; a stock-change plan prunes nothing", async () => {
    const f = await buildShop();
    await run(f.shop.id);
    const old = await prisma.reorderRun.create({ data: { shopId: f.shop.id, asOf: new Date("2026-01-05"), trigger: "STOCK_CHANGE", status: "COMPLETED", startedAt: new Date("2026-01-05T10:00:00Z") } });
    await run(f.shop.id, "STOCK_CHANGE", [f.skus.a.id]);
    expect(await prisma.reorderRun.count({ where: { id: old.id } })).toBe(1);
    await run(f.shop.id);
    expect(await prisma.reorderRun.count({ where: { id: old.id } })).toBe(0);
  });

  it("cancels a draft the new plan no longer wants (the number is kept, not reused)", async () => {
    const f = await buildShop();
    await run(f.shop.id);
    const disputedPo = await prisma.purchaseOrder.findFirstOrThrow({ where: { shopId: f.shop.id, supplierId: f.disputed.id } });
    await recordMovement({ shopId: f.shop.id, skuId: f.skus.c.id, locationId: f.main.id, quantity: 5000, kind: "ADJUSTMENT" });
    const { runId } = await run(f.shop.id);
    const after = await prisma.purchaseOrder.findUniqueOrThrow({ where: { id: disputedPo.id }, include: { events: { orderBy: { createdAt: "asc" } } } });
    expect(after).toMatchObject({ status: "CANCELLED", number: disputedPo.number });
    expect(after.events.at(-1)).toMatchObject({ type: "STATUS_CHANGE", fromStatus: "AWAITING_APPROVAL", toStatus: "CANCELLED", data: { runId } });
    const item = await prisma.reviewItem.findFirstOrThrow({ where: { shopId: f.shop.id, subjectId: disputedPo.id } });
    expect(item.status).toBe("RESOLVED");
  });

  it("never lets another shop's data into the run", async () => {
    const f = await buildShop();
    const other = await buildOtherShop();
    const snapshot = await loadReorderSnapshot(f.shop.id, AS_OF);
    expect(snapshot.input.skus.some((s) => s.skuId === other.sku.id)).toBe(false);
    expect(snapshot.input.suppliers.some((s) => s.supplierId === other.supplier.id)).toBe(false);
    // Asking for the other shop's SKU by id yields nothing.
    expect((await loadReorderSnapshot(f.shop.id, AS_OF, { skuIds: [other.sku.id] })).input.skus).toHaveLength(0);

    const { runId } = await run(f.shop.id);
    expect(await prisma.reorderSuggestion.count({ where: { runId, skuId: other.sku.id } })).toBe(0);
    expect(await prisma.reorderSuggestion.count({ where: { shopId: other.shop.id } })).toBe(0);
    expect(await prisma.purchaseOrder.count({ where: { shopId: other.shop.id } })).toBe(0);
    expect(await prisma.documentSequence.count({ where: { shopId: other.shop.id } })).toBe(0);
    // And the other shop's own run sees only its own SKU, with numbers of its own.
    const otherRun = await run(other.shop.id);
    expect(otherRun.suggestionCount).toBe(1);
    expect((await prisma.purchaseOrder.findFirstOrThrow({ where: { shopId: other.shop.id } })).number).toBe("PO-2026-0001");
  });

  it("the supplier page's button makes the PO from the latest suggestions, and the next run rewrites that draft in place instead of counting it as on order", async () => {
    const f = await buildShop();
    // A's own lead time, set on its SKU page: the button dates A's line with it, as the run does.
    await prisma.supplierProduct.updateMany({ where: { supplierId: f.reliable.id, skuId: f.skus.a.id }, data: { leadTimeDaysOverride: 40 } });
    await run(f.shop.id);
    const before = await prisma.purchaseOrder.findFirstOrThrow({ where: { shopId: f.shop.id, supplierId: f.reliable.id, reorderRunId: { not: null } }, include: { lines: true } });
    const { purchaseOrders } = await createSupplierDraftFromSuggestions(f.shop.id, f.reliable.id, { now: NOW });
    expect(purchaseOrders).toEqual([{ id: before.id, number: before.number, status: "DRAFT", locationId: f.main.id }]);
    const events = await prisma.purchaseOrderEvent.findMany({ where: { purchaseOrderId: before.id }, orderBy: { createdAt: "asc" } });
    expect(events.at(-1)).toMatchObject({ type: "LINES_EDITED", actorType: "SYSTEM", message: "Lines replaced by the latest suggestions" });
    const lineA = await prisma.purchaseOrderLine.findFirstOrThrow({ where: { purchaseOrderId: before.id, skuId: f.skus.a.id } });
    expect(lineA.expectedDate?.toISOString().slice(0, 10)).toBe(new Date(NOW.getTime() + 40 * 86_400_000).toISOString().slice(0, 10));
    // Asking for the draft is not editing it: the next run plans without it as stock on order, rewrites it in
    // place with the same lines (nothing moved), and opens no second draft beside it.
    const snapshot = await loadReorderSnapshot(f.shop.id, AS_OF);
    expect(snapshot.input.skus.flatMap((s) => s.openPurchaseOrders)).toEqual([]);
    const { runId } = await run(f.shop.id);
    const drafts = await prisma.purchaseOrder.findMany({ where: { shopId: f.shop.id, supplierId: f.reliable.id, status: { in: ["DRAFT", "AWAITING_APPROVAL"] } }, include: { lines: true } });
    expect(drafts.map((d) => [d.id, d.reorderRunId])).toEqual([[before.id, runId]]);
    const lineQuantities = (po: { lines: { skuId: string; quantityOrdered: number }[] }) => po.lines.map((l) => [l.skuId, l.quantityOrdered]).sort();
    expect(lineQuantities(drafts[0]!)).toEqual(lineQuantities(before));
    await expect(createSupplierDraftFromSuggestions(f.shop.id, "no-such-supplier")).rejects.toMatchObject({ kind: "not_found" });
  });

  it("on a draft the merchant edited (theirs, counted as on order) the button adds the latest suggestions to its lines", async () => {
    const f = await buildShop();
    await run(f.shop.id);
    const draft = await prisma.purchaseOrder.findFirstOrThrow({ where: { shopId: f.shop.id, supplierId: f.reliable.id, reorderRunId: { not: null } }, include: { lines: true } });
    const line = draft.lines[0]!;
    const kept = Math.max(1, Math.floor(line.quantityOrdered / 4));
    // The merchant cuts the first line to a quarter on the PO page.
    await prisma.purchaseOrderLine.update({ where: { id: line.id }, data: { quantityOrdered: kept } });
    await prisma.purchaseOrderEvent.create({ data: { shopId: f.shop.id, purchaseOrderId: draft.id, type: "LINES_EDITED", actorType: "MERCHANT", actorName: "Merchant", message: "Quantity changed" } });
    const { runId } = await run(f.shop.id);
    const extra = await prisma.reorderSuggestion.findFirstOrThrow({ where: { runId, skuId: line.skuId, locationId: f.main.id } });
    expect(extra.quantity).toBeGreaterThan(0); // what the cut left uncovered, planned with the draft as on order
    // The run put that in a draft of its own, beside the merchant's; the button refreshes the engine's draft.
    const enginesDraft = await prisma.purchaseOrder.findFirstOrThrow({ where: { shopId: f.shop.id, supplierId: f.reliable.id, reorderRunId: runId }, include: { lines: true } });
    expect(enginesDraft.id).not.toBe(draft.id);
    expect((await createSupplierDraftFromSuggestions(f.shop.id, f.reliable.id, { now: NOW })).purchaseOrders.map((p) => p.id)).toEqual([enginesDraft.id]);
    expect((await prisma.purchaseOrderLine.findUniqueOrThrow({ where: { id: line.id } })).quantityOrdered).toBe(kept);
    // The merchant cancels the engine's draft and asks again: the suggestions go onto their own draft.
    await prisma.purchaseOrder.update({ where: { id: enginesDraft.id }, data: { status: "CANCELLED" } });
    await createSupplierDraftFromSuggestions(f.shop.id, f.reliable.id, { now: NOW });
    const after = await prisma.purchaseOrder.findUniqueOrThrow({ where: { id: draft.id }, include: { lines: true, events: { orderBy: { createdAt: "asc" } } } });
    expect(after.lines.find((l) => l.skuId === line.skuId)?.quantityOrdered).toBe(kept + extra.quantity);
    expect(after.events.at(-1)).toMatchObject({ actorType: "MERCHANT", message: "The latest suggestions added to the lines" });
    // Still one open draft for this supplier and location.
    expect(await prisma.purchaseOrder.count({ where: { shopId: f.shop.id, supplierId: f.reliable.id, locationId: f.main.id, status: { in: ["DRAFT", "AWAITING_APPROVAL"] } } })).toBe(1);
  });
});

export type { ShopFixture };
