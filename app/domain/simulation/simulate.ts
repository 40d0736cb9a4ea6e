/**
 * Day-by-day replay of real demand against a replenishment policy. Each day: receipts arrive, the day's
 * start stock is recorded (the in-stock metric), demand is served from stock (the rest lost or
 * backordered), and on review days the policy, seeing only the past, places orders whose lead times are
 * drawn from the supplier's distribution with a seeded RNG. Pure: data in, metrics out.
 */
import { createRng, type Rng } from "../shared/random.ts";
import type { Scenario, SupplierSpec } from "./scenario.ts";

export interface SimulationSku {
  skuId: string;
  /** Demand per day on the simulation's day axis (index 0 = first day of the log). */
  demand: Float64Array;
  unitCost: number;
  sellPrice: number;
  supplierIndex: number;
  /** Class for the A-class metrics: top 20 % of the selected SKUs by revenue over the whole log. */
  metricClass: "A" | "B" | "C";
  /**
   * The customer order lines behind `demand` (day index ascending, units), when the data has them. The
   * replay then serves line by line and the policy sees order sizes, so order-size risk is real.
   */
  orderDay?: ArrayLike<number>;
  orderQuantity?: ArrayLike<number>;
}

export interface SimulationSupplier extends SupplierSpec {
  supplierId: string;
  /** What the merchant configured: used by policies until lead-time history exists. */
  configuredDays: number;
}

export interface OpenOrder {
  sku: number;
  quantity: number;
  placedDay: number;
  /** What the policy may assume: placed + configured lead time. */
  expectedDay: number;
  arrivalDay: number;
}

export interface ReceivedOrder {
  placedDay: number;
  receivedDay: number;
}

/** What a policy sees on a review day. Arrays are shared, read-only by contract. */
export interface PolicyView {
  /** Index of the day that just ended; history is complete through it. */
  day: number;
  skus: readonly SimulationSku[];
  suppliers: readonly SimulationSupplier[];
  /** Units sold per SKU per day (lost demand is invisible, as in a real shop). */
  sales: readonly Float64Array[];
  /** 1 on days that started with no stock. */
  outOfStock: readonly Uint8Array[];
  /**
   * Order lines the shop recorded per SKU (served lines with lost sales, every line with backorders),
   * valid up to `orderCount[k]`; absent when the SKUs have no order lines.
   */
  orderDay?: readonly Int32Array[];
  orderQuantity?: readonly Float64Array[];
  orderCount?: Int32Array;
  onHand: Float64Array;
  backlog: Float64Array;
  openOrders: readonly OpenOrder[];
  /** Received POs per supplier, oldest first. */
  received: readonly ReceivedOrder[][];
  /** Days between reviews (the scenario's cadence): a policy plans its cover to the next review. */
  reviewDays?: number;
}

export interface ReplenishmentPolicy {
  name: string;
  /** Stock each SKU starts the simulation with (the policy's own target). */
  initialStock(view: PolicyView): Float64Array;
  /** Units to order per SKU today. */
  orders(view: PolicyView): Float64Array;
}

export interface SimulationMetrics {
  policy: string;
  inStock: number;
  inStockA: number;
  fillRate: number;
  stockoutsA: number;
  daysOfSupply: number;
  purchaseOrders: number;
  averagePurchaseOrderValue: number;
  deadStockValue: number;
  carryingCost: number;
  averageInventoryValue: number;
  lostUnits: number;
  backorderedUnits: number;
  skuDays: number;
  /** Share of SKUs starting each simulated day in stock, for plots and diagnosis. */
  inStockByDay: number[];
  /** In-stock rate per metric class (A, B, C). */
  inStockByClass: { A: number; B: number; C: number };
  /** Days of supply per metric class (each class's inventory at cost over its demand at cost). */
  daysOfSupplyByClass: { A: number; B: number; C: number };
}

export function drawSuppliers(scenario: Scenario, rng: Rng): SimulationSupplier[] {
  const s = scenario.leadTime;
  const specs: SupplierSpec[] =
    scenario.suppliers ??
    Array.from({ length: scenario.supplierCount }, () => {
      const low = rng.int(s.lowMin, s.lowMax);
      const high = low + rng.int(s.spreadMin, s.spreadMax);
      return { lowDays: low, highDays: high, lateProbability: rng.next() < s.lateSupplierShare ? s.lateProbability : 0 };
    });
  return specs.map((spec, i) => ({
    ...spec,
    supplierId: `SUP${String(i + 1).padStart(2, "0")}`,
    configuredDays: Math.max(1, Math.round(((spec.lowDays + spec.highDays) / 2) * scenario.leadTimeScale)),
  }));
}

/**
 * The lead time of a PO placed on `day` with supplier `j`: a draw from the supplier's distribution seeded
 * by (scenario seed, supplier, day), so every policy that orders from the same supplier on the same day
 * gets the same lead time (common random numbers: policies differ by their decisions, not their luck).
 */
export function drawLeadTime(sup: SimulationSupplier, j: number, day: number, scenario: Scenario): number {
  const rng: Rng = createRng((Math.imul(scenario.seed + 1, 0x9e3779b1) ^ Math.imul(j + 1, 0x85ebca6b) ^ Math.imul(day + 1, 0xc2b2ae35)) >>> 0);
  rng.next();
  const base = sup.lowDays + rng.next() * (sup.highDays - sup.lowDays);
  const late = rng.next() < sup.lateProbability ? scenario.leadTime.lateFactor : 1;
  return Math.max(1, Math.round(base * late * scenario.leadTimeScale));
}

export function simulateReplenishment(
  skus: readonly SimulationSku[],
  suppliers: readonly SimulationSupplier[],
  scenario: Scenario,
  policy: ReplenishmentPolicy,
): SimulationMetrics {
  const n = skus.length;
  const days = skus[0]?.demand.length ?? 0;
  const warm = Math.min(scenario.warmupDays, days);
  const sales = skus.map(() => new Float64Array(days));
  const outOfStock = skus.map(() => new Uint8Array(days));
  for (let k = 0; k < n; k++) {
    const d = (skus[k] as SimulationSku).demand;
    (sales[k] as Float64Array).set(d.subarray(0, warm));
  }
  const onHand = new Float64Array(n);
  const backlog = new Float64Array(n);
  const open: OpenOrder[] = [];
  const received: ReceivedOrder[][] = suppliers.map(() => []);
  const backorder = scenario.unmetDemand === "backorder";
  // Order lines: the warm-up's lines are history; later lines are recorded as the replay serves them.
  const withLines = n > 0 && skus.every((s) => s.orderDay && s.orderQuantity);
  const lineDay = withLines ? skus.map((s) => new Int32Array((s.orderDay as ArrayLike<number>).length)) : [];
  const lineQty = withLines ? skus.map((s) => new Float64Array((s.orderDay as ArrayLike<number>).length)) : [];
  const lineCount = new Int32Array(n);
  const nextLine = new Int32Array(n);
  if (withLines) {
    for (let k = 0; k < n; k++) {
      const sku = skus[k] as SimulationSku;
      const od = sku.orderDay as ArrayLike<number>;
      const oq = sku.orderQuantity as ArrayLike<number>;
      let i = 0;
      for (; i < od.length && (od[i] as number) < warm; i++) {
        (lineDay[k] as Int32Array)[i] = od[i] as number;
        (lineQty[k] as Float64Array)[i] = oq[i] as number;
      }
      lineCount[k] = i;
      nextLine[k] = i;
    }
  }
  const view: PolicyView = {
    day: warm - 1, skus, suppliers, sales, outOfStock, onHand, backlog, openOrders: open, received, reviewDays: scenario.reviewDays,
    ...(withLines ? { orderDay: lineDay, orderQuantity: lineQty, orderCount: lineCount } : {}),
  };
  onHand.set(policy.initialStock(view).map((x) => Math.max(0, Math.round(x))));

  let skuDays = 0, inStockDays = 0, skuDaysA = 0, inStockDaysA = 0, stockoutsA = 0;
  let demanded = 0, served = 0, lost = 0, backordered = 0;
  let inventoryValueSum = 0, demandValue = 0, poCount = 0, poValue = 0;
  const wasIn = new Uint8Array(n).fill(1);
  const lastSale = new Int32Array(n).fill(-1);
  for (let k = 0; k < n; k++) for (let t = 0; t < warm; t++) if (((skus[k] as SimulationSku).demand[t] ?? 0) > 0) lastSale[k] = t;

  /** Records day t's order lines for SKU k, first come first served from `available` units. */
  function recordLines(k: number, t: number, available: number): void {
    const sku = skus[k] as SimulationSku;
    const od = sku.orderDay as ArrayLike<number>;
    const oq = sku.orderQuantity as ArrayLike<number>;
    let i = nextLine[k] as number;
    let c = lineCount[k] as number;
    const days = lineDay[k] as Int32Array;
    const qty = lineQty[k] as Float64Array;
    for (; i < od.length && (od[i] as number) === t; i++) {
      const q = Math.min(oq[i] as number, available);
      available -= q;
      if (q > 0) {
        days[c] = t;
        qty[c] = q;
        c++;
      }
    }
    nextLine[k] = i;
    lineCount[k] = c;
  }

  const classDays = { A: 0, B: 0, C: 0 };
  const classIn = { A: 0, B: 0, C: 0 };
  const classInv = { A: 0, B: 0, C: 0 };
  const classDemand = { A: 0, B: 0, C: 0 };
  const inStockByDay: number[] = [];
  for (let t = warm; t < days; t++) {
    const inBefore = inStockDays;
    // 1. receipts (POs that arrive today), in placement order
    for (let i = open.length - 1; i >= 0; i--) {
      const o = open[i] as OpenOrder;
      if (o.arrivalDay > t) continue;
      onHand[o.sku] = (onHand[o.sku] ?? 0) + o.quantity;
      open.splice(i, 1);
    }
    // The policy learns a lead time once the PO has arrived (today's arrivals included).
    view.received = received.map((list) => list.filter((r) => r.receivedDay <= t));
    for (let k = 0; k < n; k++) {
      const sku = skus[k] as SimulationSku;
      // backorders are served first from what arrived
      if ((backlog[k] ?? 0) > 0 && (onHand[k] ?? 0) > 0) {
        const q = Math.min(backlog[k] as number, onHand[k] as number);
        backlog[k] = (backlog[k] as number) - q;
        onHand[k] = (onHand[k] as number) - q;
        served += q;
      }
      // 2. the day starts: the in-stock metric
      const stocked = (onHand[k] ?? 0) > 0;
      skuDays++;
      if (stocked) inStockDays++;
      else (outOfStock[k] as Uint8Array)[t] = 1;
      if (sku.metricClass === "A") {
        skuDaysA++;
        if (stocked) inStockDaysA++;
        else if (wasIn[k]) stockoutsA++;
      }
      wasIn[k] = stocked ? 1 : 0;
      inventoryValueSum += (onHand[k] ?? 0) * sku.unitCost;
      // 3. demand
      const d = sku.demand[t] ?? 0;
      const c = sku.metricClass;
      classDays[c]++;
      if (stocked) classIn[c]++;
      classInv[c] += (onHand[k] ?? 0) * sku.unitCost;
      classDemand[c] += d * sku.unitCost;
      demanded += d;
      demandValue += d * sku.unitCost;
      const s = Math.min(d, onHand[k] ?? 0);
      onHand[k] = (onHand[k] ?? 0) - s;
      // With backorders the shop takes every order, so its history shows the whole demand; with lost
      // sales it only ever sees what it could serve.
      (sales[k] as Float64Array)[t] = backorder ? d : s;
      if (withLines) recordLines(k, t, backorder ? Infinity : (onHand[k] ?? 0) + s);
      if (s > 0) lastSale[k] = t;
      served += s;
      if (d > s) {
        if (backorder) {
          backlog[k] = (backlog[k] ?? 0) + (d - s);
          backordered += d - s;
        } else lost += d - s;
      }
    }
    inStockByDay.push(n > 0 ? (inStockDays - inBefore) / n : 1);
    // 4. review at the end of the day
    if ((t - warm) % scenario.reviewDays === 0 && t < days - 1) {
      view.day = t;
      const q = policy.orders(view);
      const poTotals = new Float64Array(suppliers.length);
      const poLines = new Int32Array(suppliers.length);
      for (let k = 0; k < n; k++) {
        const qty = Math.round(q[k] ?? 0);
        if (qty <= 0) continue;
        const sku = skus[k] as SimulationSku;
        const sup = suppliers[sku.supplierIndex] as SimulationSupplier;
        poTotals[sku.supplierIndex] = (poTotals[sku.supplierIndex] ?? 0) + qty * sku.unitCost;
        poLines[sku.supplierIndex] = (poLines[sku.supplierIndex] ?? 0) + 1;
        open.push({ sku: k, quantity: qty, placedDay: t, expectedDay: t + sup.configuredDays, arrivalDay: -1 });
      }
      // One PO per supplier per review: every line on it shares the PO's lead time.
      for (let j = 0; j < suppliers.length; j++) {
        if ((poLines[j] ?? 0) === 0) continue;
        const lt = drawLeadTime(suppliers[j] as SimulationSupplier, j, t, scenario);
        for (const o of open) if (o.arrivalDay < 0 && (skus[o.sku] as SimulationSku).supplierIndex === j) o.arrivalDay = t + lt;
        (received[j] as ReceivedOrder[]).push({ placedDay: t, receivedDay: t + lt });
        poCount++;
        poValue += poTotals[j] ?? 0;
      }
    }
  }
  const simDays = days - warm;
  let dead = 0;
  for (let k = 0; k < n; k++) if ((lastSale[k] ?? -1) < days - scenario.deadStockDays) dead += (onHand[k] ?? 0) * (skus[k] as SimulationSku).unitCost;
  const avgInventory = simDays > 0 ? inventoryValueSum / simDays : 0;
  const avgDemand = simDays > 0 ? demandValue / simDays : 0;
  return {
    policy: policy.name,
    inStock: skuDays > 0 ? inStockDays / skuDays : 0,
    inStockA: skuDaysA > 0 ? inStockDaysA / skuDaysA : 0,
    fillRate: demanded > 0 ? served / demanded : 1,
    stockoutsA,
    daysOfSupply: avgDemand > 0 ? avgInventory / avgDemand : 0,
    purchaseOrders: poCount,
    averagePurchaseOrderValue: poCount > 0 ? poValue / poCount : 0,
    deadStockValue: dead,
    carryingCost: (inventoryValueSum * scenario.holdingCostRate) / 365,
    averageInventoryValue: avgInventory,
    lostUnits: lost,
    backorderedUnits: backordered,
    skuDays,
    inStockByDay,
    inStockByClass: { A: classIn.A / Math.max(1, classDays.A), B: classIn.B / Math.max(1, classDays.B), C: classIn.C / Math.max(1, classDays.C) },
    daysOfSupplyByClass: {
      A: classDemand.A > 0 ? classInv.A / classDemand.A : 0, B: classDemand.B > 0 ? classInv.B / classDemand.B : 0, C: classDemand.C > 0 ? classInv.C / classDemand.C : 0,
    },
  };
}
