import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { SKU_PAGE_SIZE } from "#app/models/sku.server.ts";
import { loader } from "#app/routes/app.products._index.tsx";
import { resetDatabase } from "#tests/setup/db.ts";
import { createLocation, createShop, createSku, recordMovement } from "#tests/factories/index.ts";
import { callLoader, createDemoShop, useDemoMode } from "./helpers.ts";

beforeAll(useDemoMode);
beforeEach(resetDatabase);

describe("products loader", () => {
  it("searches by SKU code or title within the shop only", async () => {
    const shop = await createDemoShop();
    const other = await createShop();
    await createSku({ shopId: shop.id, code: "MUG-RED", title: "Red mug" });
    await createSku({ shopId: shop.id, code: "CUP-1", title: "Espresso cup" });
    await createSku({ shopId: shop.id, code: "PLATE", title: "Big MUG plate" });
    // Same words in another shop: must never appear.
    await createSku({ shopId: other.id, code: "MUG-BLUE", title: "Blue mug" });
    await createSku({ shopId: other.id, code: "MUG-RED", title: "Red mug" });

    const { page } = await callLoader(loader, "/app/products?q=mug");
    expect(page.items.map((s) => s.code)).toEqual(["MUG-RED", "PLATE"]);
    expect(page.totalCount).toBe(2);
    const ids = new Set((await prisma.sku.findMany({ where: { shopId: shop.id } })).map((s) => s.id));
    expect(page.items.every((s) => ids.has(s.id))).toBe(true);

    const all = await callLoader(loader, "/app/products");
    expect(all.page.items.map((s) => s.code)).toEqual(["CUP-1", "MUG-RED", "PLATE"]);
  });

  it("sums on hand and committed over locations, and shows cost", async () => {
    const shop = await createDemoShop();
    const [a, b] = [await createLocation({ shopId: shop.id }), await createLocation({ shopId: shop.id })];
    const sku = await createSku({ shopId: shop.id, code: "S1", cost: "3.1250" });
    await recordMovement({ shopId: shop.id, skuId: sku.id, locationId: a!.id, quantity: 8 });
    await recordMovement({ shopId: shop.id, skuId: sku.id, locationId: b!.id, quantity: 5 });
    await prisma.inventoryLevel.update({ where: { shopId_skuId_locationId: { shopId: shop.id, skuId: sku.id, locationId: a!.id } }, data: { committed: 3 } });

    const { page } = await callLoader(loader, "/app/products");
    expect(page.items).toEqual([expect.objectContaining({ code: "S1", onHand: 13, committed: 3, available: 10, cost: 31_250 })]);
  });

  it("shows days left and reorder point from each location's latest plan, none before the first run", async () => {
    const shop = await createDemoShop();
    const [a, b] = [await createLocation({ shopId: shop.id }), await createLocation({ shopId: shop.id })];
    const planned = await createSku({ shopId: shop.id, code: "P1" });
    const idle = await createSku({ shopId: shop.id, code: "P2" });
    await createSku({ shopId: shop.id, code: "P3" });
    const suggestion = (runId: string, skuId: string, locationId: string, numbers: { daysLeft: string | null; reorderPoint: string }) => ({
      shopId: shop.id, runId, skuId, locationId, action: "NONE" as const, quantity: 0, rawQuantity: "0", dailyForecast: "1",
      safetyStock: "1", targetStock: "1", stockPosition: 0, explanation: {}, explanationText: "", ...numbers,
    });
    const older = await prisma.reorderRun.create({ data: { shopId: shop.id, asOf: new Date("2026-01-01"), trigger: "NIGHTLY", status: "COMPLETED", startedAt: new Date("2026-01-01T00:00:00Z") } });
    const newer = await prisma.reorderRun.create({ data: { shopId: shop.id, asOf: new Date("2026-01-02"), trigger: "STOCK_CHANGE", status: "COMPLETED", startedAt: new Date("2026-01-02T00:00:00Z") } });
    const failed = await prisma.reorderRun.create({ data: { shopId: shop.id, asOf: new Date("2026-01-03"), trigger: "MANUAL", status: "FAILED", startedAt: new Date("2026-01-03T00:00:00Z") } });
    await prisma.reorderSuggestion.createMany({
      data: [
        suggestion(older.id, planned.id, a!.id, { daysLeft: "2.00", reorderPoint: "99" }),
        // The newer run replaced location a's plan; location b kept the older run's.
        suggestion(newer.id, planned.id, a!.id, { daysLeft: "12.40", reorderPoint: "30.2" }),
        suggestion(older.id, planned.id, b!.id, { daysLeft: "4.25", reorderPoint: "10" }),
        // A failed run never shows.
        suggestion(failed.id, planned.id, b!.id, { daysLeft: "0.50", reorderPoint: "500" }),
        // Planned, but nothing forecast to sell.
        suggestion(newer.id, idle.id, a!.id, { daysLeft: null, reorderPoint: "0" }),
      ],
    });

    const { page } = await callLoader(loader, "/app/products");
    // P1 is planned at two locations: days left is the most urgent one's (b), and says where.
    expect(page.items.map((s) => [s.code, s.daysLeft, s.daysLeftLocation, s.reorderPoint])).toEqual([
      ["P1", 4.25, b!.name, 41],
      ["P2", null, null, 0],
      ["P3", null, null, null],
    ]);
  });

  it("reads plans from the latest completed whole-shop run on: a SKU that run left out has no current plan", async () => {
    const shop = await createDemoShop();
    const main = await createLocation({ shopId: shop.id });
    const kept = await createSku({ shopId: shop.id, code: "K1" });
    const dropped = await createSku({ shopId: shop.id, code: "K2" });
    const suggestion = (runId: string, skuId: string, daysLeft: string) => ({
      shopId: shop.id, runId, skuId, locationId: main.id, action: "NONE" as const, quantity: 0, rawQuantity: "0", dailyForecast: "1",
      safetyStock: "1", targetStock: "1", stockPosition: 0, explanation: {}, explanationText: "", daysLeft, reorderPoint: "5",
    });
    const run = (startedAt: string, trigger: "NIGHTLY" | "STOCK_CHANGE", status: "COMPLETED" | "RUNNING" = "COMPLETED") =>
      prisma.reorderRun.create({ data: { shopId: shop.id, asOf: new Date(startedAt.slice(0, 10)), trigger, status, startedAt: new Date(startedAt) } });
    const january = await run("2026-01-01T00:00:00Z", "NIGHTLY");
    const february = await run("2026-02-01T00:00:00Z", "NIGHTLY");
    const stockMove = await run("2026-02-01T12:00:00Z", "STOCK_CHANGE");
    await prisma.reorderSuggestion.createMany({
      data: [suggestion(january.id, kept.id, "1.00"), suggestion(january.id, dropped.id, "2.00"), suggestion(february.id, kept.id, "30.00"), suggestion(stockMove.id, kept.id, "25.00")],
    });
    // K2 was planned in January only: February's whole-shop run no longer plans it, so January's days left are not shown as current.
    const rows = async () => (await callLoader(loader, "/app/products")).page.items.map((r) => [r.code, r.daysLeft]);
    expect(await rows()).toEqual([["K1", 25], ["K2", null]]);
    // A whole-shop run still running is not the cut-off yet (it may not have reached every SKU).
    await run("2026-03-01T00:00:00Z", "NIGHTLY", "RUNNING");
    expect(await rows()).toEqual([["K1", 25], ["K2", null]]);
  });

  it("filters to SKUs out of stock now", async () => {
    const shop = await createDemoShop();
    const location = await createLocation({ shopId: shop.id });
    const stocked = await createSku({ shopId: shop.id, code: "IN" });
    await recordMovement({ shopId: shop.id, skuId: stocked.id, locationId: location.id, quantity: 2 });
    await createSku({ shopId: shop.id, code: "OUT" });
    await createSku({ shopId: shop.id, code: "GONE", status: "DISCONTINUED" });

    const { page, stock } = await callLoader(loader, "/app/products?stock=out");
    expect(stock).toBe("out");
    expect(page.items.map((s) => s.code)).toEqual(["OUT"]);
  });

  it("filters to SKUs whose latest plan at some location is at or below the reorder point", async () => {
    const shop = await createDemoShop();
    const other = await createShop();
    const [a, b] = [await createLocation({ shopId: shop.id }), await createLocation({ shopId: shop.id })];
    const low = await createSku({ shopId: shop.id, code: "LOW" });
    const recovered = await createSku({ shopId: shop.id, code: "RECOVERED" });
    const lowElsewhere = await createSku({ shopId: shop.id, code: "LOW-AT-B" });
    const ending = await createSku({ shopId: shop.id, code: "ENDING", status: "DISCONTINUED" });
    await createSku({ shopId: shop.id, code: "UNPLANNED" });
    const otherSku = await createSku({ shopId: other.id, code: "LOW" });
    const otherLocation = await createLocation({ shopId: other.id });
    const suggestion = (shopId: string, runId: string, skuId: string, locationId: string, stockPosition: number, reorderPoint: string) => ({
      shopId, runId, skuId, locationId, action: "NONE" as const, quantity: 0, rawQuantity: "0", dailyForecast: "1",
      safetyStock: "1", targetStock: "1", stockPosition, reorderPoint, daysLeft: "1", explanation: {}, explanationText: "",
    });
    const run = (shopId: string, startedAt: string) => prisma.reorderRun.create({ data: { shopId, asOf: new Date(startedAt.slice(0, 10)), trigger: "NIGHTLY", status: "COMPLETED", startedAt: new Date(startedAt) } });
    const [older, newer, others] = [await run(shop.id, "2026-01-01T00:00:00Z"), await run(shop.id, "2026-01-02T00:00:00Z"), await run(other.id, "2026-01-02T00:00:00Z")];
    await prisma.reorderSuggestion.createMany({
      data: [
        suggestion(shop.id, newer.id, low.id, a!.id, 20, "20.5"),
        // Low yesterday, restocked since: the latest plan counts.
        suggestion(shop.id, older.id, recovered.id, a!.id, 0, "30"),
        suggestion(shop.id, newer.id, recovered.id, a!.id, 90, "30"),
        suggestion(shop.id, newer.id, lowElsewhere.id, a!.id, 500, "30"),
        suggestion(shop.id, newer.id, lowElsewhere.id, b!.id, 3, "30"),
        // Discontinued: running down is the plan.
        suggestion(shop.id, newer.id, ending.id, a!.id, 0, "5"),
        suggestion(other.id, others.id, otherSku.id, otherLocation.id, 0, "50"),
      ],
    });

    const { page, stock } = await callLoader(loader, "/app/products?stock=reorder");
    expect(stock).toBe("reorder");
    expect(page.items.map((s) => s.code)).toEqual(["LOW", "LOW-AT-B"]);
    expect(page.totalCount).toBe(2);
  });

  it("pages through hundreds of SKUs by cursor, forwards and back", async () => {
    const shop = await createDemoShop();
    const other = await createShop();
    const total = SKU_PAGE_SIZE * 2 + 7;
    const codes = Array.from({ length: total }, (_, i) => `SKU-${String(i).padStart(4, "0")}`);
    await prisma.sku.createMany({ data: codes.map((code) => ({ shopId: shop.id, code, title: code })) });
    await prisma.sku.createMany({ data: codes.map((code) => ({ shopId: other.id, code, title: code })) });

    const seen: string[] = [];
    let path = "/app/products";
    const cursors: string[] = [];
    for (;;) {
      const { page } = await callLoader(loader, path);
      expect(page.totalCount).toBe(total);
      seen.push(...page.items.map((s) => s.code));
      if (!page.pageInfo.hasNextPage) break;
      cursors.push(page.pageInfo.endCursor!);
      path = `/app/products?after=${page.pageInfo.endCursor}`;
    }
    expect(seen).toEqual(codes);
    expect(cursors).toHaveLength(2);

    // Back from the last page lands on the middle page, which knows both directions continue.
    const last = await callLoader(loader, `/app/products?after=${cursors[1]}`);
    expect(last.page.items).toHaveLength(7);
    expect(last.page.pageInfo.hasPreviousPage).toBe(true);
    const middle = await callLoader(loader, `/app/products?before=${last.page.pageInfo.startCursor}`);
    expect(middle.page.items.map((s) => s.code)).toEqual(codes.slice(SKU_PAGE_SIZE, SKU_PAGE_SIZE * 2));
    expect(middle.page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const first = await callLoader(loader, `/app/products?before=${middle.page.pageInfo.startCursor}`);
    expect(first.page.items.map((s) => s.code)).toEqual(codes.slice(0, SKU_PAGE_SIZE));
    expect(first.page.pageInfo.hasPreviousPage).toBe(false);
  });

  it("sorts by days left, most urgent first or most cover first, SKUs not planned yet last, and pages in that order", async () => {
    const shop = await createDemoShop();
    const other = await createShop();
    const location = await createLocation({ shopId: shop.id });
    const otherLocation = await createLocation({ shopId: other.id });
    const total = SKU_PAGE_SIZE + 12;
    // Codes ascend while days left descend, so the order is plainly not the code order; two share a value (tie → code).
    const days = Array.from({ length: total }, (_, i) => (i === 2 ? total - 1 : total - i));
    await prisma.sku.createMany({ data: days.map((_, i) => ({ shopId: shop.id, code: `D-${String(i).padStart(3, "0")}`, title: `D ${i}` })) });
    const planned = await prisma.sku.findMany({ where: { shopId: shop.id }, orderBy: { code: "asc" } });
    const idle = await createSku({ shopId: shop.id, code: "A-IDLE" });
    await createSku({ shopId: shop.id, code: "A-UNPLANNED" });
    // Another shop's SKU with fewer days left than any: never shown.
    const foreign = await createSku({ shopId: other.id, code: "A-FOREIGN" });
    const run = await prisma.reorderRun.create({ data: { shopId: shop.id, asOf: new Date("2026-01-02"), trigger: "NIGHTLY", status: "COMPLETED", startedAt: new Date("2026-01-02T00:00:00Z") } });
    const otherRun = await prisma.reorderRun.create({ data: { shopId: other.id, asOf: new Date("2026-01-02"), trigger: "NIGHTLY", status: "COMPLETED", startedAt: new Date("2026-01-02T00:00:00Z") } });
    const suggestion = (shopId: string, runId: string, skuId: string, locationId: string, daysLeft: string | null) => ({
      shopId, runId, skuId, locationId, action: "NONE" as const, quantity: 0, rawQuantity: "0", dailyForecast: "1",
      safetyStock: "1", targetStock: "1", stockPosition: 0, reorderPoint: "1", daysLeft, explanation: {}, explanationText: "",
    });
    await prisma.reorderSuggestion.createMany({
      data: [
        ...planned.map((sku, i) => suggestion(shop.id, run.id, sku.id, location.id, `${days[i]}.5`)),
        suggestion(shop.id, run.id, idle.id, location.id, null),
        suggestion(other.id, otherRun.id, foreign.id, otherLocation.id, "0.1"),
      ],
    });
    const urgentFirst = [...planned.map((sku, i) => ({ code: sku.code, days: days[i]! }))]
      .sort((a, b) => a.days - b.days || (a.code < b.code ? -1 : 1))
      .map((r) => r.code);

    const seen: string[] = [];
    let path = "/app/products?sort=days_left";
    for (;;) {
      const { page, sort } = await callLoader(loader, path);
      expect(sort).toBe("days_left");
      expect(page.totalCount).toBe(total + 2);
      seen.push(...page.items.map((s) => s.code));
      if (!page.pageInfo.hasNextPage) break;
      path = `/app/products?sort=days_left&after=${page.pageInfo.endCursor}`;
    }
    expect(seen).toEqual([...urgentFirst, "A-IDLE", "A-UNPLANNED"]);
    expect(urgentFirst.slice(0, 3)).toEqual([`D-${String(total - 1).padStart(3, "0")}`, `D-${String(total - 2).padStart(3, "0")}`, `D-${String(total - 3).padStart(3, "0")}`]);

    // Back from the second page gives the first page again.
    const second = await callLoader(loader, path);
    const back = await callLoader(loader, `/app/products?sort=days_left&before=${second.page.pageInfo.startCursor}`);
    expect(back.page.items.map((s) => s.code)).toEqual(seen.slice(0, SKU_PAGE_SIZE));
    expect(back.page.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });

    // Most cover first: nothing forecast to sell (∞) leads, SKUs not planned yet still come last.
    const most = await callLoader(loader, "/app/products?sort=days_left_desc");
    expect(most.page.items.slice(0, 3).map((s) => s.code)).toEqual(["A-IDLE", "D-000", "D-001"]);
    // The filters apply within the sort; an unknown sort falls back to code order.
    const searched = await callLoader(loader, "/app/products?sort=days_left&q=D-00");
    expect(searched.page.items.map((s) => s.code)).toEqual(["D-009", "D-008", "D-007", "D-006", "D-005", "D-004", "D-003", "D-001", "D-002", "D-000"]);
    const unknown = await callLoader(loader, "/app/products?sort=price");
    expect(unknown.sort).toBe("code");
    expect(unknown.page.items[0]?.code).toBe("A-IDLE");
  });

  it("ignores a cursor that belongs to another shop", async () => {
    await createDemoShop();
    const other = await createShop();
    const foreign = await createSku({ shopId: other.id, code: "X" });
    const { page } = await callLoader(loader, `/app/products?after=${foreign.id}`);
    expect(page.items).toEqual([]);
  });
});
