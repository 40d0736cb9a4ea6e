// Stock changes each leave a single-SKU run with its suggestions and explanations; the nightly plan prunes
// the ones it supersedes once they are old, and keeps every run something still points at.
import { describe, expect, it } from "vitest";
import type { RunTrigger } from "@prisma/client";
import { prisma } from "#app/db.server.ts";
import { pruneStockChangeRuns, STOCK_CHANGE_RUN_RETENTION_DAYS } from "#app/models/reorder-run-retention.server.ts";
import { createLocation, createShop, createSku, createSupplier } from "#tests/factories/index.ts";

const NOW = new Date("2026-11-25T03:00:00Z");
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

async function world() {
  const shop = await createShop();
  const location = await createLocation({ shopId: shop.id });
  const sku = await createSku({ shopId: shop.id });
  const supplier = await createSupplier({ shopId: shop.id });
  /** A run with one suggestion for the SKU. */
  const run = async (trigger: RunTrigger, startedAt: Date, status: "COMPLETED" | "RUNNING" | "FAILED" = "COMPLETED") => {
    const created = await prisma.reorderRun.create({ data: { shopId: shop.id, asOf: startedAt, trigger, status, startedAt, skuCount: 1, suggestionCount: 1 } });
    const suggestion = await prisma.reorderSuggestion.create({
      data: {
        shopId: shop.id, runId: created.id, skuId: sku.id, locationId: location.id, action: "PURCHASE", supplierId: supplier.id, quantity: 12, rawQuantity: "12",
        dailyForecast: "1.5", safetyStock: "4", reorderPoint: "10", targetStock: "20", stockPosition: 8, explanation: {}, explanationText: "why", createdAt: startedAt,
      },
    });
    return { id: created.id, suggestionId: suggestion.id };
  };
  return { shop, location, sku, supplier, run };
}

const remaining = async (ids: string[]) => (await prisma.reorderRun.findMany({ where: { id: { in: ids } }, select: { id: true } })).map((r) => r.id);

describe("pruning superseded stock-change runs", () => {
  it("deletes old unreferenced stock-change runs before the latest whole-shop run, with their suggestions", async () => {
    const { shop, location, sku, supplier, run } = await world();
    const old = STOCK_CHANGE_RUN_RETENTION_DAYS + 6;
    const prunable = await run("STOCK_CHANGE", daysAgo(old));
    const failed = await run("STOCK_CHANGE", daysAgo(old), "FAILED");
    const recent = await run("STOCK_CHANGE", daysAgo(STOCK_CHANGE_RUN_RETENTION_DAYS - 1));
    const onPo = await run("STOCK_CHANGE", daysAgo(old));
    const poLine = await run("STOCK_CHANGE", daysAgo(old));
    const reviewed = await run("STOCK_CHANGE", daysAgo(old));
    const madePo = await run("STOCK_CHANGE", daysAgo(old));
    const madeTransfer = await run("STOCK_CHANGE", daysAgo(old));
    const nightlyOld = await run("NIGHTLY", daysAgo(old + 1));
    const nightly = await run("NIGHTLY", daysAgo(2));
    const afterNightly = await run("STOCK_CHANGE", daysAgo(1));

    const po = await prisma.purchaseOrder.create({ data: { shopId: shop.id, number: "PO-KEEP", status: "DRAFT", supplierId: supplier.id, locationId: location.id, reorderRunId: madePo.id } });
    await prisma.reorderSuggestion.update({ where: { id: onPo.suggestionId }, data: { purchaseOrderId: po.id } });
    await prisma.purchaseOrderLine.create({ data: { shopId: shop.id, purchaseOrderId: po.id, skuId: sku.id, quantityOrdered: 12, unitCost: "2.00", suggestionId: poLine.suggestionId } });
    await prisma.reviewItem.create({ data: { shopId: shop.id, kind: "FLAGGED_PO", subjectType: "SKU", subjectId: sku.id, reason: "flagged", dedupeKey: "keep", details: { suggestionId: reviewed.suggestionId } } });
    const other = await createLocation({ shopId: shop.id });
    await prisma.transfer.create({ data: { shopId: shop.id, number: "TR-KEEP", fromLocationId: other.id, toLocationId: location.id, reorderRunId: madeTransfer.id } });

    // Another shop's identical run is not this shop's business.
    const elsewhere = await world();
    const theirs = await elsewhere.run("STOCK_CHANGE", daysAgo(old));
    await elsewhere.run("NIGHTLY", daysAgo(1));

    expect(await pruneStockChangeRuns(shop.id, NOW)).toBe(2);
    const all = [prunable, failed, recent, onPo, poLine, reviewed, madePo, madeTransfer, nightlyOld, nightly, afterNightly].map((r) => r.id);
    expect((await remaining(all)).sort()).toEqual([recent, onPo, poLine, reviewed, madePo, madeTransfer, nightlyOld, nightly, afterNightly].map((r) => r.id).sort());
    expect(await prisma.reorderSuggestion.count({ where: { id: { in: [prunable.suggestionId, failed.suggestionId] } } })).toBe(0);
    expect(await remaining([theirs.id])).toEqual([theirs.id]);
    expect(await pruneStockChangeRuns(shop.id, NOW)).toBe(0);
  });

  it("keeps everything while the shop has no completed whole-shop run (the stock-change runs are its plan)", async () => {
    const { shop, run } = await world();
    const alone = await run("STOCK_CHANGE", daysAgo(60));
    await run("NIGHTLY", daysAgo(1), "FAILED");
    expect(await pruneStockChangeRuns(shop.id, NOW)).toBe(0);
    expect(await remaining([alone.id])).toEqual([alone.id]);
  });
});
