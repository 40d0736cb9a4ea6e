import { describe, expect, it } from "vitest";
import { createRng } from "#app/domain/shared/random.ts";
import { simulateStock, type Delivery, type StockPolicy } from "./stock-simulation.ts";

function lumpySales(days: number, seed: number): Int32Array {
  const rng = createRng(seed);
  const units = new Int32Array(days);
  for (let d = 0; d < days; d++) if (rng.next() < 0.55) units[d] = rng.next() < 0.05 ? rng.int(50, 300) : rng.int(1, 24);
  return units;
}

function deliveries(days: number, cycle: number, lead: number): Delivery[] {
  const list: Delivery[] = [];
  for (let placed = 3; placed + lead < days; placed += cycle) list.push({ slot: list.length, placedDay: placed, receivedDay: placed + lead });
  return list;
}

const policy: StockPolicy = { moq: 12, casePack: 6, bufferDays: 10, stockoutChance: 0.3, endProfile: "healthy", lowCoverDays: 5 };

describe("simulateStock", () => {
  it("never goes negative, orders whole cases above the MOQ and ships short by less than a case", () => {
    for (let seed = 1; seed <= 30; seed++) {
      const units = lumpySales(374, seed);
      const h = simulateStock(units, deliveries(374, 21, 9 + (seed % 7)), policy, createRng(seed));
      let level = h.opening;
      const received = new Map(h.lines.map((l) => [l.slot, l.received]));
      const plan = deliveries(374, 21, 9 + (seed % 7));
      for (let d = 0; d < 374; d++) {
        for (const p of plan) if (p.receivedDay === d) level += received.get(p.slot) ?? 0;
        level -= units[d] as number;
        expect(level).toBeGreaterThanOrEqual(0);
        expect(h.closing[d]).toBe(level);
      }
      for (const line of h.lines) {
        expect(line.ordered % policy.casePack).toBe(0);
        expect(line.ordered).toBeGreaterThanOrEqual(policy.moq);
        expect(line.received).toBeLessThanOrEqual(line.ordered);
        expect(line.ordered - line.received).toBeLessThan(policy.casePack);
      }
    }
  });

  it("is out of stock only on days without sales, from the first sale on", () => {
    let outDays = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const units = lumpySales(374, seed);
      units.fill(0, 0, 40); // launched on day 40: the days before are not stock-outs
      const h = simulateStock(units, deliveries(374, 21, 12), policy, createRng(seed));
      for (let d = 0; d < 374; d++) {
        if (h.outOfStock[d]) {
          outDays++;
          expect(units[d]).toBe(0);
          expect(d).toBeGreaterThanOrEqual(40);
          expect(h.closing[d]).toBe(0);
        }
      }
    }
    expect(outDays).toBeGreaterThan(0);
    const none = simulateStock(lumpySales(374, 3), deliveries(374, 21, 12), { ...policy, stockoutChance: 0 }, createRng(3));
    expect(none.outOfStock.every((x) => x === 0)).toBe(true);
  });

  it("ends healthy, low or out as asked when the numbers allow it", () => {
    const units = new Int32Array(374).fill(5); // steady seller: every profile is reachable
    const plan = deliveries(374, 14, 7);
    const run = (endProfile: StockPolicy["endProfile"]) => simulateStock(units, plan, { ...policy, moq: 1, casePack: 1, stockoutChance: 0, endProfile }, createRng(5));
    expect(run("healthy").closing[373]).toBeGreaterThanOrEqual(5 * 25);
    const low = run("low").closing[373] as number;
    expect(low).toBeGreaterThan(0);
    expect(low).toBeLessThanOrEqual(5 * policy.lowCoverDays);
    const out = run("out");
    expect(out.closing[373]).toBe(0);
    expect(out.endProfile).toBe("out");
  });

  it("is deterministic for a seed", () => {
    const units = lumpySales(374, 9);
    const a = simulateStock(units, deliveries(374, 21, 12), policy, createRng(9));
    const b = simulateStock(units, deliveries(374, 21, 12), policy, createRng(9));
    expect(a).toEqual(b);
  });
});
