import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { addDays, toDayNumber } from "#app/domain/shared/day.ts";
import { lineTotalCents, toPriceUnits } from "#app/domain/shared/money.ts";
import { DEFAULT_RETAIL_DATASET_PATH } from "#app/lib/retail-dataset.server.ts";
import { londonDayOf } from "./calendar.ts";
import { cleanRetailLog, type CleanedLog } from "./clean-log.ts";
import { deriveDemoData, type DemoData } from "./derive-demo-data.ts";
import { readRetailLog } from "./retail-log.ts";
import { syntheticLog } from "./test-fixtures.ts";

const AS_OF = "2026-11-24";

/** The invariants every derived data set must satisfy, on synthetic or real data. */
function checkInvariants(data: DemoData) {
  // Daily demand = the net order lines of that SKU, location and UK day.
  const fromOrders = new Map<string, { units: number; revenue: number }>();
  for (const order of data.orders) {
    const day = londonDayOf(order.placedAt);
    for (const line of order.lines) {
      const net = line.quantity - line.cancelledQuantity;
      if (net <= 0) continue;
      const key = `${line.rank}|${order.location}|${day}`;
      const acc = fromOrders.get(key) ?? { units: 0, revenue: 0 };
      acc.units += net;
      acc.revenue += lineTotalCents(net, toPriceUnits(line.unitPrice));
      fromOrders.set(key, acc);
    }
  }
  const fromDaily = new Map(data.dailyDemand.filter((r) => r.units > 0).map((r) => [`${r.rank}|${r.location}|${r.day}`, { units: r.units, revenue: r.revenue }]));
  expect(fromDaily).toEqual(fromOrders);
  for (const r of data.dailyDemand) if (r.outOfStock) expect([r.units, r.closingOnHand]).toEqual([0, 0]);

  // The ledger, replayed in time order, never goes negative and ends where the daily rows say.
  const byPair = new Map<string, typeof data.movements>();
  for (const m of data.movements) {
    const key = `${m.rank}|${m.location}`;
    byPair.set(key, [...(byPair.get(key) ?? []), m]);
  }
  const lastClosing = new Map<string, { day: string; closing: number }>();
  for (const r of data.dailyDemand) {
    const key = `${r.rank}|${r.location}`;
    const prev = lastClosing.get(key);
    if (!prev || r.day > prev.day) lastClosing.set(key, { day: r.day, closing: r.closingOnHand });
  }
  for (const [key, moves] of byPair) {
    moves.sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
    let level = 0;
    for (const m of moves) {
      level += m.quantity;
      expect(level, `${key} at ${m.occurredAt.toISOString()}`).toBeGreaterThanOrEqual(0);
    }
    const last = lastClosing.get(key);
    if (last && moves.every((m) => londonDayOf(m.occurredAt) <= last.day)) expect(level).toBe(last.closing);
  }
  expect(new Set(data.movements.map((m) => m.idempotencyKey)).size).toBe(data.movements.length);

  // Orders end yesterday.
  const lastOrderDay = data.orders.map((o) => londonDayOf(o.placedAt)).sort().at(-1);
  expect(lastOrderDay).toBe(addDays(data.asOf, -1));

  // POs: numbered per shifted year without gaps, from the SKU's own supplier, lead time within its range.
  const numbers = data.purchaseOrders.map((po) => po.number);
  expect(new Set(numbers).size).toBe(numbers.length);
  for (const { year, lastValue } of data.poSequences) {
    const ofYear = numbers.filter((n) => n.startsWith(`PO-${year}-`)).sort();
    expect(ofYear.length).toBe(lastValue);
    expect(ofYear.at(-1)).toBe(`PO-${year}-${String(lastValue).padStart(4, "0")}`);
  }
  for (const po of data.purchaseOrders) {
    const supplier = data.suppliers[po.supplier];
    if (!supplier) throw new Error("unknown supplier");
    expect(po.leadTimeDays).toBeGreaterThanOrEqual(supplier.leadTimeLow);
    expect(po.leadTimeDays).toBeLessThanOrEqual(Math.round(supplier.leadTimeHigh * 1.6));
    expect(toDayNumber(londonDayOf(po.receivedAt)) - toDayNumber(londonDayOf(po.placedAt))).toBe(po.leadTimeDays);
    expect(po.receivedAt.getTime()).toBeLessThan(new Date(`${data.asOf}T00:00:00Z`).getTime());
    for (const line of po.lines) expect(data.skus[line.rank]?.supplier).toBe(po.supplier);
  }
  const received = data.purchaseOrders.reduce((s, po) => s + po.lines.reduce((t, l) => t + l.received, 0), 0);
  expect(data.movements.filter((m) => m.kind === "RECEIPT").reduce((s, m) => s + m.quantity, 0)).toBe(received);
}

describe("deriveDemoData on a synthetic log", () => {
  const log = cleanRetailLog(syntheticLog());
  const data = deriveDemoData(log, { asOf: AS_OF, skuLimit: 5, seed: 1, supplierCount: 14 });

  it("is deterministic and depends on asOf only through the shift", () => {
    expect(deriveDemoData(log, { asOf: AS_OF, skuLimit: 5, seed: 1, supplierCount: 14 })).toEqual(data);
    const later = deriveDemoData(log, { asOf: addDays(AS_OF, 10), skuLimit: 5, seed: 1, supplierCount: 14 });
    expect(later.shiftDays).toBe(data.shiftDays + 10);
    expect(later.dailyDemand.map((r) => r.units)).toEqual(data.dailyDemand.map((r) => r.units));
  });

  it("keeps the invariants", () => {
    expect(data.skus).toHaveLength(5);
    expect(data.suppliers).toHaveLength(5); // never more suppliers than products
    checkInvariants(data);
  });

  it("gives every supplier a lead-time history of at least 8 received POs", () => {
    for (const s of data.suppliers) expect(data.purchaseOrders.filter((po) => po.supplier === s.index).length).toBeGreaterThanOrEqual(8);
  });
});

describe.skipIf(!existsSync(DEFAULT_RETAIL_DATASET_PATH))("on the real log in ../shared/data", () => {
  let log: CleanedLog;

  it("reproduces the data README's cleaned figures", { timeout: 120_000 }, async () => {
    log = cleanRetailLog(await readRetailLog(DEFAULT_RETAIL_DATASET_PATH));
    const kept = log.lines.filter((l) => l.cancelledQuantity === 0);
    expect(kept.length).toBe(524_923);
    expect(new Set(kept.map((l) => l.stockCode)).size).toBe(3_902);
    expect(kept.reduce((s, l) => s + l.quantity, 0)).toBe(5_351_370);
    expect(log.cancellationsMatched).toBe(2_835);
    expect(log.lines.reduce((s, l) => s + l.cancelledQuantity, 0)).toBe(225_730);
  });

  it("derives a 300-SKU demo shop that keeps the invariants", { timeout: 120_000 }, () => {
    const data = deriveDemoData(log, { asOf: AS_OF, skuLimit: 300, seed: 20111209, supplierCount: 14 });
    expect(data.skus[0]?.stockCode).toBe("22423"); // REGENCY CAKESTAND 3 TIER, the README's #1
    checkInvariants(data);
    for (const s of data.suppliers) expect(data.purchaseOrders.filter((po) => po.supplier === s.index).length).toBeGreaterThanOrEqual(8);
    expect(data.stats.endProfiles.out).toBeGreaterThan(0);
    expect(data.stats.endProfiles.low).toBeGreaterThan(data.stats.endProfiles.out);
    expect(data.stats.endProfiles.healthy).toBeGreaterThan(data.stats.endProfiles.low);
    expect(data.skus.filter((s) => s.status !== "ACTIVE").length).toBeLessThan(30);
  });
});
