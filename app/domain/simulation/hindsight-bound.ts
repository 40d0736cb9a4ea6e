/**
 * The hindsight bound: how little stock a scenario needs when each SKU's fixed order-up-to level is chosen
 * knowing the whole replay (its future demand, big orders and lead-time draws included). It is not a
 * policy — no shop can know the future — but it puts a policy's days of supply in proportion: a target
 * close to the bound asks a policy to be nearly clairvoyant.
 *
 * Each SKU is replayed alone under the simulator's own rules (receipts, then backorders, then the in-stock
 * count, then demand; review every `reviewDays`; the supplier's lead-time draw for that day) at a grid of
 * levels. The levels are then allocated across SKUs by Lagrangian relaxation over each SKU's convex hull of
 * (inventory value, in-stock days), weighting A-class days more until both targets hold. That yields a
 * real plan the simulator reproduces exactly (see the test), so the figure is what hindsight achieves with
 * fixed levels — a slightly better plan off the hulls may exist, so it is not a strict lower bound.
 */
import type { Scenario } from "./scenario.ts";
import { drawLeadTime, type SimulationSku, type SimulationSupplier } from "./simulate.ts";

export interface InStockTargets {
  /** Share of A-class SKU-days that must start in stock. */
  inStockA: number;
  /** Share of all SKU-days that must start in stock. */
  inStock: number;
}

export interface HindsightBound {
  daysOfSupply: number;
  inStock: number;
  inStockA: number;
  /** The order-up-to level chosen for each SKU (index as in `skus`). */
  levels: Float64Array;
}

export const ISSUE_TARGETS: Readonly<InStockTargets> = Object.freeze({ inStockA: 0.997, inStock: 0.985 });

interface LevelOutcome {
  level: number;
  inStockDays: number;
  /** Σ over simulated days of start-of-day stock × unit cost. */
  inventoryValue: number;
}

/** Replays one SKU at a fixed order-up-to level under the simulator's rules. */
export function replayFixedLevel(sku: SimulationSku, supplier: SimulationSupplier, supplierIndex: number, scenario: Scenario, level: number): LevelOutcome {
  const days = sku.demand.length;
  const warm = Math.min(scenario.warmupDays, days);
  const backorder = scenario.unmetDemand === "backorder";
  const arrivals = new Map<number, number>();
  let onHand = Math.max(0, Math.round(level));
  let backlog = 0;
  let pipeline = 0;
  let inStockDays = 0;
  let inventory = 0;
  for (let t = warm; t < days; t++) {
    const arriving = arrivals.get(t) ?? 0;
    onHand += arriving;
    pipeline -= arriving;
    if (backlog > 0 && onHand > 0) {
      const q = Math.min(backlog, onHand);
      backlog -= q;
      onHand -= q;
    }
    if (onHand > 0) inStockDays++;
    inventory += onHand;
    const d = sku.demand[t] ?? 0;
    const served = Math.min(d, onHand);
    onHand -= served;
    if (backorder) backlog += d - served;
    if ((t - warm) % scenario.reviewDays === 0 && t < days - 1) {
      const q = Math.ceil(level - (onHand + pipeline - backlog));
      if (q > 0) {
        const arrival = t + drawLeadTime(supplier, supplierIndex, t, scenario);
        arrivals.set(arrival, (arrivals.get(arrival) ?? 0) + q);
        pipeline += q;
      }
    }
  }
  return { level, inStockDays, inventoryValue: inventory * sku.unitCost };
}

/** Levels worth trying: 0, then a geometric grid (4 % + 1 unit apart) up to the SKU's whole demand. */
function candidateLevels(sku: SimulationSku): number[] {
  let total = 0;
  for (const d of sku.demand) total += d;
  const levels = [0];
  for (let s = 1; s <= total + 1; s = s * 1.04 + 1) {
    const r = Math.round(s);
    if (r > (levels[levels.length - 1] as number)) levels.push(r);
  }
  if ((levels[levels.length - 1] as number) < total + 1) levels.push(Math.ceil(total + 1));
  return levels;
}

/** The lower-right convex hull of (inventory value → in-stock days): the only levels a Lagrangian picks. */
function efficientLevels(outcomes: LevelOutcome[]): LevelOutcome[] {
  const sorted = [...outcomes].sort((a, b) => a.inventoryValue - b.inventoryValue || b.inStockDays - a.inStockDays);
  const hull: LevelOutcome[] = [];
  for (const p of sorted) {
    const last = hull[hull.length - 1];
    if (last && p.inStockDays <= last.inStockDays) continue;
    while (hull.length >= 2) {
      const a = hull[hull.length - 2] as LevelOutcome;
      const b = hull[hull.length - 1] as LevelOutcome;
      // b is dominated when it lies on or below the chord from a to p.
      if ((b.inStockDays - a.inStockDays) * (p.inventoryValue - a.inventoryValue) <= (p.inStockDays - a.inStockDays) * (b.inventoryValue - a.inventoryValue)) hull.pop();
      else break;
    }
    hull.push(p);
  }
  return hull;
}

export function hindsightBound(
  skus: readonly SimulationSku[],
  suppliers: readonly SimulationSupplier[],
  scenario: Scenario,
  targets: InStockTargets = ISSUE_TARGETS,
): HindsightBound {
  if (!(targets.inStock > 0 && targets.inStock <= 1 && targets.inStockA > 0 && targets.inStockA <= 1)) throw new RangeError("in-stock targets must be in (0, 1]");
  const days = skus[0]?.demand.length ?? 0;
  const simDays = Math.max(0, days - Math.min(scenario.warmupDays, days));
  const hulls = skus.map((sku) => {
    const sup = suppliers[sku.supplierIndex];
    if (!sup) throw new RangeError(`SKU ${sku.skuId} has no supplier ${sku.supplierIndex}`);
    return efficientLevels(candidateLevels(sku).map((level) => replayFixedLevel(sku, sup, sku.supplierIndex, scenario, level)));
  });
  let demandValue = 0;
  for (const sku of skus) for (let t = days - simDays; t < days; t++) demandValue += (sku.demand[t] ?? 0) * sku.unitCost;
  const aCount = skus.filter((s) => s.metricClass === "A").length;

  /** Each SKU's level maximising weight × in-stock days − λ × inventory value. */
  const allocate = (lambda: number, extraWeightA: number): LevelOutcome[] =>
    hulls.map((hull, k) => {
      const w = 1 + ((skus[k] as SimulationSku).metricClass === "A" ? extraWeightA : 0);
      let best = hull[0] as LevelOutcome;
      for (const p of hull) if (w * p.inStockDays - lambda * p.inventoryValue > w * best.inStockDays - lambda * best.inventoryValue) best = p;
      return best;
    });
  const measure = (plan: LevelOutcome[]) => {
    let inv = 0, inDays = 0, inDaysA = 0;
    plan.forEach((p, k) => {
      inv += p.inventoryValue;
      inDays += p.inStockDays;
      if ((skus[k] as SimulationSku).metricClass === "A") inDaysA += p.inStockDays;
    });
    return {
      daysOfSupply: demandValue > 0 ? inv / demandValue : 0,
      inStock: skus.length * simDays > 0 ? inDays / (skus.length * simDays) : 1,
      inStockA: aCount * simDays > 0 ? inDaysA / (aCount * simDays) : 1,
    };
  };

  let best: { plan: LevelOutcome[]; m: ReturnType<typeof measure> } | null = null;
  for (const extraWeightA of [0, 0.5, 1, 2, 3, 5, 8, 12, 20, 30, 50]) {
    // λ falls until the targets hold: the first plan that meets them is this weight's cheapest.
    for (let e = 0; e >= -8; e -= 0.025) {
      const plan = allocate(10 ** e, extraWeightA);
      const m = measure(plan);
      if (m.inStock >= targets.inStock && m.inStockA >= targets.inStockA) {
        if (!best || m.daysOfSupply < best.m.daysOfSupply) best = { plan, m };
        break;
      }
    }
  }
  // λ → 0 holds every SKU at its largest level, which never runs out, so some plan always meets the targets.
  const chosen = best ?? { plan: allocate(0, 0), m: measure(allocate(0, 0)) };
  return { ...chosen.m, levels: Float64Array.from(chosen.plan, (p) => p.level) };
}
