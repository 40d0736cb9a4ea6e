// Issue 7 items 4, 5, 7, 8 on a small hand-built shop: every figure here is worked out by hand from the rows
// the test writes, not by the report code.
import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { abcVelocity } from "#app/domain/reports/abc-velocity.ts";
import { scorecard } from "#app/domain/reports/supplier-scorecard.ts";
import { addDays } from "#app/domain/shared/day.ts";
import { loadOverstockReport } from "#app/models/overstock.server.ts";
import { loadAbcInputs, loadScorecardInputs } from "#app/models/report-data.server.ts";
import { auditSample } from "#app/services/audit-sample.server.ts";
import { loadForecastAccuracy, requestForecastAccuracy, runForecastAccuracy, type ForecastAccuracyReport } from "#app/services/forecast-accuracy.server.ts";
import { overstockCsv } from "#app/services/overstock.server.ts";
import { createLocation, createShop, createSku, createSupplier, createSupplierProduct, recordMovement } from "#tests/factories/index.ts";
import { findReportRun } from "#app/models/report-run.server.ts";

const AS_OF = "2026-11-24";
const NOW = new Date(`${AS_OF}T12:00:00Z`);
const day = (offset: number) => new Date(`${addDays(AS_OF, offset)}T00:00:00Z`);
let shopId: string;
let locationId: string;
const sku: Record<string, string> = {};
const supplier: Record<string, string> = {};

beforeAll(async () => {
  const shop = await createShop({ timezone: "UTC", currency: "GBP" });
  shopId = shop.id;
  await prisma.shopSettings.update({ where: { shopId }, data: { overstockDays: 90, overstockDaysSeasonal: 60, deadStockDays: 90, carryingCostPctYear: "0.24" } });
  locationId = (await createLocation({ shopId, isDefault: true })).id;
  supplier.s1 = (await createSupplier({ shopId, name: "Acme", leadTimeDays: 10 })).id;
  supplier.s2 = (await createSupplier({ shopId, name: "Brill", leadTimeDays: 5 })).id;
  const specs = [
    { code: "A", cost: "2.00", price: "5.00", status: "ACTIVE" as const, stock: 300, supplier: "s1" },
    { code: "B", cost: "1.00", price: "3.00", status: "SEASONAL" as const, stock: 100, supplier: "s1" },
    { code: "C", cost: "3.00", price: "9.00", status: "ACTIVE" as const, stock: 50, supplier: "s2" },
    { code: "D", cost: "4.00", price: "10.00", status: "ACTIVE" as const, stock: 20, supplier: "s2" },
  ];
  for (const s of specs) {
    const row = await createSku({ shopId, code: s.code, title: `Product ${s.code}`, cost: s.cost, price: s.price, status: s.status });
    sku[s.code] = row.id;
    await createSupplierProduct({ shopId, supplierId: supplier[s.supplier]!, skuId: row.id, unitCost: s.cost, isPreferred: true });
    await recordMovement({ shopId, skuId: row.id, locationId, quantity: s.stock, occurredAt: day(-400) });
  }
  // A, B, D sell 1 a day for the last 90 days (D also 3 a day in the 30 days before the last 30: falling);
  // C sold once, 120 days ago.
  const rows = [];
  for (let i = 1; i <= 90; i++) {
    for (const code of ["A", "B", "D"]) {
      const units = code === "D" && i > 30 && i <= 60 ? 3 : 1;
      const price = code === "A" ? 5 : code === "B" ? 3 : 10;
      rows.push({ shopId, skuId: sku[code]!, locationId, day: day(-i), units, revenue: (units * price).toFixed(2) });
    }
  }
  rows.push({ shopId, skuId: sku.C!, locationId, day: day(-120), units: 1, revenue: "9.00" });
  await prisma.dailyDemand.createMany({ data: rows });
  // Co-purchases: A is most often bought with D.
  for (let i = 0; i < 3; i++) {
    await prisma.salesOrder.create({
      data: {
        shopId, channel: "SHOPIFY", externalId: `o${i}`, placedAt: day(-10 - i),
        lines: { create: [{ shopId, externalLineId: "1", skuId: sku.A!, quantity: 1 }, { shopId, externalLineId: "2", skuId: i < 2 ? sku.D! : sku.B!, quantity: 1 }] },
      },
    });
  }
});

describe("overstock and dead stock", () => {
  it("lists excess beyond 90 days (60 seasonal) and dead stock, with capital, carrying cost and actions; CSV carries the same", async () => {
    const report = await loadOverstockReport(shopId, AS_OF);
    // A: 300 on hand at 1/day → 300 days; excess 300 − 90 = 210 × £2 = £420, carrying £420 × 24% / 12 = £8.40
    // C: no sale for 120 days → dead, all 50 × £3 = £150
    // B: seasonal, 100 days > 60 → excess 40 × £1 = £40; D: 20 days, fine
    expect(report.rows.map((r) => [r.code, r.excessUnits, r.excessValue, r.dead])).toEqual([["A", 210, 420, false], ["C", 50, 150, true], ["B", 40, 40, false]]);
    const a = report.rows[0]!;
    expect(a.carryingCostPerMonth).toBeCloseTo(8.4, 10);
    expect(a.daysOfSupply).toBe(300);
    expect(a.actions.find((x) => x.kind === "bundle")?.text).toBe("Bundle with D Product D, most often bought together");
    // flat price history → default elasticity −2: the rate must go 1 → 300/90, so the price × (10/3)^(−1/2)
    expect(a.markdown).toMatchObject({ capped: false, newPrice: 2.74, elasticity: { source: "default", value: -2 } });
    expect(a.markdown!.cut).toBeCloseTo(1 - (10 / 3) ** -0.5, 12);
    expect(report.rows[1]!.daysSinceLastSale).toBe(120);
    expect(report.totals).toMatchObject({ skus: 3, dead: 1, excessValue: 610 });

    const { filename, csv } = await overstockCsv(shopId, AS_OF);
    expect(filename).toBe(`overstock-${AS_OF}.csv`);
    const records = parse(csv, { columns: true }) as Record<string, string>[];
    expect(records.map((r) => [r.sku, r.excess_units, r.excess_value, r.carrying_cost_per_month, r.dead_stock])).toEqual([
      ["A", "210", "420.00", "8.40", "no"], ["C", "50", "150.00", "3.00", "yes"], ["B", "40", "40.00", "0.80", "no"],
    ]);
    expect(records[1]!.days_of_supply).toBe("no sales");
  });
});

describe("ABC/velocity and supplier scorecards", () => {
  it("classes SKUs by 12-month revenue and reads their pace", async () => {
    const { rows } = abcVelocity(await loadAbcInputs(shopId, AS_OF));
    // revenue: D 60×10 + 30×30 = 1500, A 450, B 270, C 0 (sold 120 days ago: £9)
    expect(rows.map((r) => [r.code, r.abcClass, r.revenue365])).toEqual([["D", "A", 1500], ["A", "B", 450], ["B", "C", 270], ["C", "C", 9]]);
    expect(rows[0]).toMatchObject({ units90: 150, units30: 30, movement: "falling" });
    expect(rows[3]).toMatchObject({ movement: "none" });
  });

  it("scores suppliers from their received POs", async () => {
    const po = (n: number, sent: number, expected: number | null, received: number | null, lines: { code: string; ordered: number; received: number; damaged: number; cost: string }[]) =>
      prisma.purchaseOrder.create({
        data: {
          shopId, number: `PO-${n}`, supplierId: supplier.s1!, locationId, status: received === null ? "SENT" : "CLOSED", sentAt: day(sent),
          expectedArrivalDate: expected === null ? null : day(expected), receivedAt: received === null ? null : day(received),
          lines: { create: lines.map((l) => ({ shopId, skuId: sku[l.code]!, quantityOrdered: l.ordered, quantityReceived: l.received, quantityDamaged: l.damaged, unitCost: l.cost })) },
        },
      });
    await po(1, -100, -90, -91, [{ code: "A", ordered: 100, received: 100, damaged: 0, cost: "2.00" }]);
    await po(2, -60, -50, -46, [{ code: "A", ordered: 100, received: 90, damaged: 10, cost: "2.20" }, { code: "B", ordered: 50, received: 50, damaged: 0, cost: "1.00" }]);
    await po(3, -30, null, -18, [{ code: "B", ordered: 50, received: 50, damaged: 0, cost: "1.00" }]); // expected = sent + 10 → late
    await po(4, -5, 5, null, [{ code: "A", ordered: 500, received: 0, damaged: 0, cost: "2.20" }]); // open
    const cards = (await loadScorecardInputs(shopId, AS_OF)).map(scorecard);
    const acme = cards.find((c) => c.name === "Acme")!;
    // lead times 9, 14, 12 → mean 35/3; sorted 9, 12, 14: p85 at rank 1.7 → 12 + 0.7 × 2 = 13.4
    expect(acme).toMatchObject({ receivedPurchaseOrders: 3, onTimeRate: 1 / 3, fillRate: 290 / 300, defectRate: 10 / 300 });
    expect(acme.averageLeadTime).toBeCloseTo(35 / 3, 12);
    expect(acme.p85LeadTime).toBeCloseTo(13.4, 12);
    expect(acme.priceChanges).toEqual([{ skuCode: "A", day: expect.any(Number), from: 2, to: 2.2, change: expect.closeTo(0.1, 12) }]);
    expect(cards.find((c) => c.name === "Brill")).toMatchObject({ receivedPurchaseOrders: 0, onTimeRate: null, fillRate: null });
  });
});

describe("audit sample", () => {
  it("draws 20 distinct engine-made POs of the last 180 days, each line with its explanation", async () => {
    const run = await prisma.reorderRun.create({ data: { shopId, asOf: day(-1), trigger: "NIGHTLY", status: "COMPLETED" } });
    const made: string[] = [];
    for (let i = 0; i < 24; i++) {
      const s = await prisma.reorderSuggestion.create({
        data: {
          shopId, runId: (i === 0 ? run : await prisma.reorderRun.create({ data: { shopId, asOf: day(-1 - i), trigger: "NIGHTLY", status: "COMPLETED" } })).id,
          skuId: sku.A!, locationId, action: "PURCHASE", supplierId: supplier.s1!, quantity: 10 + i, rawQuantity: 10 + i, dailyForecast: 1.25, safetyStock: 4, reorderPoint: 16.5,
          targetStock: 30, stockPosition: 12, abcClass: "B", flags: [], explanation: { rate: 1.25 }, explanationText: `Order ${10 + i}: forecast 1.25/day × lead time 10 d + safety stock 4`,
        },
      });
      const p = await prisma.purchaseOrder.create({
        data: {
          shopId, number: `PO-E${i}`, supplierId: supplier.s1!, locationId, status: "DRAFT", reorderRunId: s.runId, createdAt: new Date(NOW.getTime() - (i + 1) * 86_400_000),
          lines: { create: [{ shopId, skuId: sku.A!, quantityOrdered: 10 + i, unitCost: "2.00", suggestionId: s.id }] },
        },
      });
      made.push(p.id);
    }
    const sample = await auditSample(shopId, 12345, NOW);
    expect(sample).toMatchObject({ population: 24, engineMade: true });
    expect(sample.purchaseOrders).toHaveLength(20);
    expect(new Set(sample.purchaseOrders.map((p) => p.id)).size).toBe(20);
    for (const p of sample.purchaseOrders) {
      expect(made).toContain(p.id);
      const line = p.lines[0]!;
      expect(line.explanation?.text).toBe(`Order ${line.quantity}: forecast 1.25/day × lead time 10 d + safety stock 4`);
      expect(line.explanation).toMatchObject({ dailyForecast: 1.25, safetyStock: 4, reorderPoint: 16.5, targetStock: 30, stockPosition: 12, abcClass: "B" });
    }
    // Same seed, same sample; another seed, another.
    expect((await auditSample(shopId, 12345, NOW)).purchaseOrders.map((p) => p.id)).toEqual(sample.purchaseOrders.map((p) => p.id));
    expect((await auditSample(shopId, 54321, NOW)).purchaseOrders.map((p) => p.id)).not.toEqual(sample.purchaseOrders.map((p) => p.id));
  });
});

describe("forecast accuracy", () => {
  it("scores a stored run's forecast against the week that followed", async () => {
    // The run of the week starting 7 days ago: A forecast 1.5/day → 10.5 for the week; A sold 7 (and 7 the week before)
    const run = await prisma.reorderRun.create({ data: { shopId, asOf: day(-7), trigger: "NIGHTLY", status: "COMPLETED", startedAt: new Date(day(-7).getTime() - 1) } });
    await prisma.reorderSuggestion.create({
      data: {
        shopId, runId: run.id, skuId: sku.A!, locationId, action: "NONE", quantity: 0, rawQuantity: 0, dailyForecast: 1.5, safetyStock: 0, reorderPoint: 0, targetStock: 0,
        stockPosition: 0, flags: [], explanation: {}, explanationText: "",
      },
    });
    const report = await loadForecastAccuracy(shopId, AS_OF, { weeks: 1 });
    expect(report.weeks).toEqual([{ weekStart: addDays(AS_OF, -7), source: "stored" }]);
    const a = report.accuracy.bySku.find((s) => s.code === "A")!;
    // error 3.5; naive error |7 − 7| = 0 → MASE undefined; bias 3.5 / 7
    expect(a).toMatchObject({ weeks: 1, mae: 3.5, mase: null, bias: 0.5, forecastUnits: 10.5, actualUnits: 7 });
  });

  it("runs as a report job and reconstructs the weeks no run covers with the engine", async () => {
    const run = await requestForecastAccuracy(shopId, { queues: { enqueue: async () => "job" }, now: NOW });
    const seen: number[] = [];
    const report = await runForecastAccuracy(shopId, run.id, { now: () => NOW, reportProgress: async (p) => void seen.push(p) });
    // Stored runs (the audit test's, days −1…−24, and the one of day −7) cover the weeks starting −28, −21, −14 and −7.
    expect(report.weeks.filter((w) => w.source === "stored").map((w) => w.weekStart)).toEqual([-28, -21, -14, -7].map((d) => addDays(AS_OF, d)));
    expect(report.weeks.filter((w) => w.source === "reconstructed")).toHaveLength(8);
    // The stored runs planned only A; the engine's reconstruction covers every selling SKU in the other 8 weeks.
    expect(report.accuracy.bySku.find((s) => s.code === "A")!.weeks).toBe(12);
    expect(report.accuracy.bySku.find((s) => s.code === "D")!.weeks).toBe(8);
    expect(report.accuracy.bySku.find((s) => s.code === "D")!.forecastUnits).toBeGreaterThan(0);
    expect(seen.at(-1)).toBe(100);
    const stored = (await findReportRun(shopId, run.id))!;
    expect(stored.status).toBe("COMPLETED");
    expect((stored.result as unknown as ForecastAccuracyReport).accuracy.overall).toEqual(report.accuracy.overall);
  }, 120_000);
});
