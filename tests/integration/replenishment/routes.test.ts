// The engine's admin pages, called the way Remix calls them: a real Request, in demo mode.
import { createElement } from "react";
import { renderToString } from "react-dom/server";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { ReorderChart } from "#app/components/reorder-chart.tsx";
import { planReplenishment } from "#app/domain/reorder/index.ts";
import { formatServiceLevel } from "#app/domain/reorder/safety-stock.ts";
import { closeQueues, getProducerQueues } from "#app/lib/queue.server.ts";
import { loadReorderSnapshot } from "#app/models/reorder-snapshot.server.ts";
import { action as skuAction, loader as skuLoader } from "#app/routes/app.products.$skuId.tsx";
import { action as reorderAction, loader as reorderLoader } from "#app/routes/app.reorder._index.tsx";
import { loader as transferLoader } from "#app/routes/app.transfers.$transferId.tsx";
import { planForShop } from "#app/services/replenishment.server.ts";
import { resetDatabase } from "#tests/setup/db.ts";
import { callAction, callLoader, DEMO_DOMAIN, unwrap, useDemoMode } from "#tests/integration/routes/helpers.ts";
import { AS_OF, buildOtherShop, buildShop, NOW } from "./fixtures.ts";

beforeAll(useDemoMode);
beforeEach(resetDatabase);
afterAll(async () => {
  await getProducerQueues().queue("reorder").obliterate({ force: true });
  await closeQueues();
});

const asOf = new Date(`${AS_OF}T00:00:00.000Z`);

async function shopWithRun() {
  const f = await buildShop({ domain: DEMO_DOMAIN });
  const reorderRun = await prisma.reorderRun.create({ data: { shopId: f.shop.id, asOf, trigger: "NIGHTLY", startedAt: NOW } });
  await planForShop({ shopId: f.shop.id, runId: reorderRun.id, asOf, trigger: "NIGHTLY" }, { now: () => NOW });
  await prisma.reorderRun.update({ where: { id: reorderRun.id }, data: { status: "COMPLETED", suggestionCount: 6, skuCount: 5 } });
  return { f, runId: reorderRun.id };
}

function callSkuLoader(skuId: string, query = "") {
  const args: LoaderFunctionArgs = { request: new Request(`http://127.0.0.1:3000/app/products/${skuId}${query}`), params: { skuId }, context: {} };
  return skuLoader(args);
}

describe("Reorder by supplier", () => {
  it("shows the value to reorder per supplier from the latest advice, computed from the engine's own totals", async () => {
    const { f } = await shopWithRun();
    await buildOtherShop();
    const plan = planReplenishment((await loadReorderSnapshot(f.shop.id, AS_OF)).input, AS_OF);

    const { suppliers, latestRun } = await callLoader(reorderLoader, "/app/reorder");
    expect(latestRun).toMatchObject({ status: "COMPLETED", trigger: "NIGHTLY", asOf: AS_OF });
    expect(suppliers.map((s) => [s.supplierId, s.value])).toEqual(
      [...plan.purchaseOrders].sort((a, b) => b.total - a.total).map((po) => [po.supplierId, po.total]),
    );
    const disputed = suppliers.find((s) => s.supplierId === f.disputed.id);
    expect(disputed).toMatchObject({ name: "Disputed Ltd", lineCount: 1, flaggedLineCount: 1, drafts: [{ id: expect.any(String), number: expect.stringMatching(/^PO-2026-/), status: "AWAITING_APPROVAL", total: expect.any(Number), locationName: "Main" }] });

    // A second ship-to location has its own draft for the same supplier: both are listed, by location.
    const mainDraft = await prisma.purchaseOrder.findFirstOrThrow({ where: { shopId: f.shop.id, supplierId: f.reliable.id, reorderRunId: { not: null } } });
    await prisma.purchaseOrder.create({
      data: { shopId: f.shop.id, number: "PO-2026-9001", status: "DRAFT", supplierId: f.reliable.id, locationId: f.annex.id, reorderRunId: mainDraft.reorderRunId, total: "12", subtotal: "12" },
    });
    const reliable = (await callLoader(reorderLoader, "/app/reorder")).suppliers.find((s) => s.supplierId === f.reliable.id);
    expect(reliable?.drafts.map((d) => [d.number, d.locationName])).toEqual([["PO-2026-9001", "Annex"], [mainDraft.number, "Main"]]);

    const { drill } = await callLoader(reorderLoader, `/app/reorder?supplier=${f.reliable.id}`);
    expect(drill?.supplier?.name).toBe("Reliable Co");
    expect(drill?.lines.map((l) => l.code).sort()).toEqual(["A-100", "B-200"]);
    expect(drill?.lines.every((l) => l.lineTotal === l.quantity * 400)).toBe(true); // $4.00 a unit
    // Another shop's supplier id shows nothing.
    const other = await buildOtherShop();
    expect((await callLoader(reorderLoader, `/app/reorder?supplier=${other.supplier.id}`)).drill).toEqual({ supplier: null, lines: [] });
  });

  it("totals the value to reorder per currency, never adding one supplier's euros to another's dollars", async () => {
    const { f } = await shopWithRun();
    await prisma.supplier.update({ where: { id: f.disputed.id }, data: { currency: "EUR" } });

    const { suppliers, totals } = await callLoader(reorderLoader, "/app/reorder");
    const valueOf = (id: string) => suppliers.find((s) => s.supplierId === id)?.value;
    expect(totals).toEqual([
      { currency: "USD", total: valueOf(f.reliable.id) },
      { currency: "EUR", total: valueOf(f.disputed.id) },
    ]);
  });

  it("creates (refreshes) a supplier's draft PO, refuses unknown suppliers and bad requests", async () => {
    const { f } = await shopWithRun();
    const existing = await prisma.purchaseOrder.findFirstOrThrow({ where: { shopId: f.shop.id, supplierId: f.reliable.id, reorderRunId: { not: null } } });
    const created = unwrap(await callAction(reorderAction, "/app/reorder", { intent: "create-po", supplierId: f.reliable.id }));
    expect(created.status).toBe(200);
    expect(created.body).toMatchObject({ ok: true, message: `Draft ready: ${existing.number}.` });

    const missing = unwrap(await callAction(reorderAction, "/app/reorder", { intent: "create-po", supplierId: "nope" }));
    expect(missing).toMatchObject({ status: 404, body: { ok: false } });
    const bad = unwrap(await callAction(reorderAction, "/app/reorder", { intent: "delete-everything" }));
    expect(bad).toMatchObject({ status: 422, body: { ok: false } });
  });

  it("'Run reorder now' queues a MANUAL run for this shop", async () => {
    const { f } = await shopWithRun();
    const result = unwrap(await callAction(reorderAction, "/app/reorder", { intent: "run-now" }));
    expect(result).toMatchObject({ status: 200, body: { ok: true } });
    const jobId = (result.body as { jobId: string }).jobId;
    const job = await getProducerQueues().queue("reorder").getJob(jobId);
    expect(job?.name).toBe("run-reorder");
    expect(job?.data).toEqual({ shopId: f.shop.id, trigger: "MANUAL" });
  });

  it("after a stock-change run, summarises the last whole-shop plan and the SKUs re-planned since, not the stock-change run alone", async () => {
    const { f } = await shopWithRun();
    const later = new Date(NOW.getTime() + 60_000);
    const stockRun = await prisma.reorderRun.create({ data: { shopId: f.shop.id, asOf, trigger: "STOCK_CHANGE", startedAt: later } });
    await planForShop({ shopId: f.shop.id, runId: stockRun.id, asOf, trigger: "STOCK_CHANGE", skuIds: [f.skus.a.id] }, { now: () => later });
    await prisma.reorderRun.update({ where: { id: stockRun.id }, data: { status: "COMPLETED", suggestionCount: 1, skuCount: 1 } });
    await buildOtherShop(); // its runs must not count

    const { latestRun } = await callLoader(reorderLoader, "/app/reorder");
    expect(latestRun).toMatchObject({ trigger: "STOCK_CHANGE", skuCount: 1 });
    expect(latestRun?.wholeShop).toEqual({ asOf: AS_OF, trigger: "NIGHTLY", status: "COMPLETED", skuCount: 5, suggestionCount: 6, skusReplannedSince: 1 });
  });

  it("shows an empty page before the first run", async () => {
    await buildShop({ domain: DEMO_DOMAIN });
    expect(await callLoader(reorderLoader, "/app/reorder")).toMatchObject({ suppliers: [], latestRun: null, drill: null });
  });
});

describe("Transfer details", () => {
  it("lists an engine-proposed transfer's lines with the engine's reason for each, and is a 404 for an unknown id", async () => {
    const { f } = await shopWithRun();
    const proposed = await prisma.transfer.findFirstOrThrow({ where: { shopId: f.shop.id, reorderRunId: { not: null } } });
    const load = (transferId: string) =>
      transferLoader({ request: new Request(`http://127.0.0.1:3000/app/transfers/${transferId}`), params: { transferId }, context: {} });
    const { transfer } = await load(proposed.id);
    expect(transfer).toMatchObject({ number: proposed.number, origin: "ENGINE", fromName: "Main", toName: "Annex" });
    expect(transfer.lines).toEqual([
      { skuId: f.skus.t.id, skuCode: "T-500", title: "Theta tray", quantity: expect.any(Number), quantityReceived: 0, reason: expect.stringContaining("T-500") },
    ]);
    await expect(load("nope")).rejects.toMatchObject({ status: 404 });
  });
});

describe("SKU detail", () => {
  it("returns the latest suggestion's paragraph, its numbers and the chart series", async () => {
    const { f, runId } = await shopWithRun();
    const stored = await prisma.reorderSuggestion.findFirstOrThrow({ where: { runId, skuId: f.skus.a.id } });
    const page = await callSkuLoader(f.skus.a.id);
    expect(page.detail.sku).toMatchObject({ code: "A-100", title: "Alpha mug" });
    expect(page.suggestion).toMatchObject({ id: stored.id, locationName: "Main", action: "PURCHASE", quantity: stored.quantity, supplierName: "Reliable Co" });
    expect(page.suggestion?.explanationText).toBe(stored.explanationText);
    const rows = new Map(page.numbers);
    expect(rows.get("Reorder point")).toContain(Number(stored.reorderPoint.toString()).toFixed(1));
    expect(rows.get("Suggested quantity")).toBe(`${stored.quantity} (purchase)`);
    // The forecast row shows how the planning rate was reached, as the paragraph does.
    const f0 = (stored.explanation as { forecast: { baseRate: number; baseRateSource: string; model: string; modelRate: number } }).forecast;
    expect(f0.baseRateSource).toMatch(/^(model|30-day EWA|\d+-week period)$/);
    expect(rows.get("Forecast (units/day)")).toContain(
      f0.baseRateSource === "model" ? `from ${f0.model}` : `= ${f0.baseRateSource} rate ${f0.baseRate.toFixed(2)}`,
    );
    expect(rows.get("Line total")).toBe(`$${(stored.quantity * 4).toLocaleString("en-US")}.00`);
    // Every number behind the reorder point is named: which lead-time days it multiplies the rate by, and
    // the service level with enough decimals and where it came from.
    const e0 = stored.explanation as { serviceLevel: number; classServiceLevel: number; serviceLevelSkewedByValue: boolean; safetyStock: { method: string }; leadTime: { meanDays: number } };
    expect(rows.get("Service level")).toContain(`${formatServiceLevel(e0.serviceLevel)}% (class ${stored.abcClass}'s`);
    if (e0.serviceLevelSkewedByValue) expect(rows.get("Service level")).toContain(`${formatServiceLevel(e0.classServiceLevel)}% ${e0.serviceLevel > e0.classServiceLevel ? "raised" : "lowered"} by this SKU's value`);
    expect(rows.get("Reorder point")).toMatch(
      e0.safetyStock.method === "compound" || e0.safetyStock.method === "empirical" ? /\(mean lead time [\d.]+ d \+ 1\.0 d review; the safety stock covers late deliveries/ : /\((\d+th pct lead time|the lead time)\)/,
    );
    expect(page.chart?.history).toHaveLength(90);
    expect(page.chart?.projection).toHaveLength(60);
    expect(page.chart?.projection[0]).toBe(stored.stockPosition);
    expect(page.chart?.reorderPoint).toBeCloseTo(Number(stored.reorderPoint.toString()), 4);
    expect(page.detail.levels).toEqual([{ locationId: f.main.id, locationName: "Main", onHand: 20, committed: 0 }]);

    // T sells at two locations: the page follows the one asked for.
    const annex = await callSkuLoader(f.skus.t.id, `?location=${f.annex.id}`);
    expect(annex.locationId).toBe(f.annex.id);
    expect(annex.suggestion?.locationName).toBe("Annex");
    expect(annex.detail.suggestions).toHaveLength(2);
  });

  it("says when the supplier's own forecast method set the rate, in the numbers and the paragraph", async () => {
    const f = await buildShop({ domain: DEMO_DOMAIN });
    await prisma.supplier.update({ where: { id: f.reliable.id }, data: { reorderParameters: { forecastMethod: "ewa" } } });
    const reorderRun = await prisma.reorderRun.create({ data: { shopId: f.shop.id, asOf, trigger: "NIGHTLY", startedAt: NOW } });
    await planForShop({ shopId: f.shop.id, runId: reorderRun.id, asOf, trigger: "NIGHTLY" }, { now: () => NOW });
    const page = await callSkuLoader(f.skus.a.id);
    expect(new Map(page.numbers).get("Forecast (units/day)")).toMatch(/ from ewa \(the supplier's method: ewa\)/);
    expect(page.suggestion?.explanationText).toContain("the method this supplier is set to (ewa)");
  });

  it("is a 404 for another shop's SKU or an unknown id", async () => {
    await shopWithRun();
    const other = await buildOtherShop();
    await expect(callSkuLoader(other.sku.id)).rejects.toMatchObject({ status: 404 });
    await expect(callSkuLoader("no-such-sku")).rejects.toMatchObject({ status: 404 });
  });

  it("draws an accessible chart", async () => {
    const { f } = await shopWithRun();
    const page = await callSkuLoader(f.skus.a.id);
    if (!page.chart) throw new Error("no chart");
    // The server renders the words and two placeholders; Polaris Viz draws the panels after hydration.
    const html = renderToString(createElement(ReorderChart, { data: page.chart, label: "A-100 at Main" }));
    const labelledBy = /<figure[^>]*role="group"[^>]*aria-labelledby="([^"]+)"[^>]*aria-describedby="([^"]+)"/.exec(html);
    expect(labelledBy).not.toBeNull();
    expect(html).toMatch(new RegExp(`id="${labelledBy![1]}"[^>]*>A-100 at Main<`));
    expect(html).toMatch(new RegExp(`id="${labelledBy![2]}"[^>]*>Last 90 days: \\d+ units sold.*Reorder point`));
    expect(html).toContain('data-chart="demand"');
    expect(html).toContain('data-chart="stock"');
  });
});

function callSkuAction(skuId: string, form: Record<string, string>) {
  const args: ActionFunctionArgs = {
    request: new Request(`http://127.0.0.1:3000/app/products/${skuId}`, { method: "POST", body: new URLSearchParams(form) }),
    params: { skuId },
    context: {},
  };
  return skuAction(args);
}

describe("SKU lead-time override", () => {
  it("is shown and edited on the SKU page, validated, and replaces the supplier's lead time in the next plan", async () => {
    const f = await buildShop({ domain: DEMO_DOMAIN });
    const other = await buildOtherShop();
    const before = (await callSkuLoader(f.skus.b.id)).offers;
    expect(before).toEqual([expect.objectContaining({ supplierName: "Reliable Co", supplierLeadTimeDays: 12, leadTimeDaysOverride: null })]);
    const offerId = before[0]!.id;
    // B has no PO history of its own: its lead time comes from the supplier's 8 received POs.
    const planOf = async () => planReplenishment((await loadReorderSnapshot(f.shop.id, AS_OF)).input, AS_OF).suggestions.find((s) => s.skuId === f.skus.b.id && s.locationId === f.main.id);
    expect((await planOf())?.leadTime.source).toBe("supplier-history");

    for (const [value, message] of [["0", "At least 1 day"], ["2.5", "Enter whole days"], ["abc", "Enter a number of days"], ["400", "At most 365 days"]] as const) {
      const bad = unwrap(await callSkuAction(f.skus.b.id, { intent: "lead-time-override", supplierProductId: offerId, leadTimeDays: value }));
      expect(bad).toEqual({ status: 422, body: { ok: false, supplierProductId: offerId, error: message } });
    }
    expect((await prisma.supplierProduct.findUniqueOrThrow({ where: { id: offerId } })).leadTimeDaysOverride).toBeNull();

    expect(unwrap(await callSkuAction(f.skus.b.id, { intent: "lead-time-override", supplierProductId: offerId, leadTimeDays: " 30 " })).body).toMatchObject({ ok: true });
    expect((await callSkuLoader(f.skus.b.id)).offers[0]).toMatchObject({ leadTimeDaysOverride: 30 });
    const snapshot = await loadReorderSnapshot(f.shop.id, AS_OF);
    expect(snapshot.input.skus.find((s) => s.skuId === f.skus.b.id)?.offers).toEqual([expect.objectContaining({ supplierId: f.reliable.id, leadTimeDays: 30 })]);
    const planned = await planOf();
    expect(planned?.leadTime).toMatchObject({ source: "sku-override", meanDays: 30 });
    expect(planned?.flags.map((fl) => fl.code)).not.toContain("insufficient_lead_time_history");
    // Only B's offer changed.
    expect(snapshot.input.skus.find((s) => s.skuId === f.skus.c.id)?.offers[0]).not.toHaveProperty("leadTimeDays");

    // Another SKU's or another shop's offer id is not found; an empty field clears the override.
    const foreign = await prisma.supplierProduct.findFirstOrThrow({ where: { shopId: other.shop.id } });
    await expect(callSkuAction(f.skus.b.id, { intent: "lead-time-override", supplierProductId: foreign.id, leadTimeDays: "5" })).rejects.toMatchObject({ status: 404 });
    const cOffer = await prisma.supplierProduct.findFirstOrThrow({ where: { skuId: f.skus.c.id } });
    await expect(callSkuAction(f.skus.b.id, { intent: "lead-time-override", supplierProductId: cOffer.id, leadTimeDays: "5" })).rejects.toMatchObject({ status: 404 });
    expect((await prisma.supplierProduct.findUniqueOrThrow({ where: { id: foreign.id } })).leadTimeDaysOverride).toBeNull();
    await callSkuAction(f.skus.b.id, { intent: "lead-time-override", supplierProductId: offerId, leadTimeDays: "" });
    expect((await prisma.supplierProduct.findUniqueOrThrow({ where: { id: offerId } })).leadTimeDaysOverride).toBeNull();
    expect((await planOf())?.leadTime.source).toBe("supplier-history");
  });
});
