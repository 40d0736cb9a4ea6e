/**
 * Everything the demo shop holds, derived from the cleaned log in memory, before any database write:
 * catalogue, suppliers, orders, per-day demand, the stock ledger and the historic POs that fed it. Pure
 * and deterministic (seeded PRNG, no clock): the same log, asOf, skuLimit and seed give the same data.
 * docs/demo-data.md explains each rule; the modules named below hold them.
 */
import { addDays, fromDayNumber, toDayNumber, type IsoDay } from "#app/domain/shared/day.ts";
import { lineTotalCents, toPriceUnits, type Cents, type PriceUnits } from "#app/domain/shared/money.ts";
import { createRng } from "#app/domain/shared/random.ts";
import { priceFor } from "#app/domain/reorder/order-quantity.ts";
import { assignBarcodes } from "./barcode.ts";
import { LOG_FIRST_DAY, LOG_LAST_DAY, logShiftDays, londonToUtc } from "./calendar.ts";
import { buildCatalogue, type CatalogueProduct } from "./catalogue.ts";
import type { CleanedLog } from "./clean-log.ts";
import { simulateStock, type Delivery, type EndProfile, type StockHistory } from "./stock-simulation.ts";
import { buildSuppliers, supplierIndexForRank, type DemoSupplier } from "./suppliers.ts";

export interface DeriveOptions {
  /** The demo's "today": the log's last day becomes asOf − 1. */
  asOf: IsoDay;
  skuLimit: number;
  seed: number;
  supplierCount: number;
}

export const DEFAULT_SKU_LIMIT = 200;
export const DEFAULT_SEED = 20111209;
export const DEFAULT_SUPPLIER_COUNT = 14;

/** Location 0 = main warehouse, 1 = the smaller second store. */
export type LocationIndex = 0 | 1;
export const LOCATIONS = [
  { name: "Main warehouse", isDefault: true, city: "Enfield" },
  { name: "Brighton store", isDefault: false, city: "Brighton" },
] as const;

/** A customer whose id is a multiple of 5 buys at the second store; everyone else, and every anonymous web order, from the warehouse. */
export function locationForCustomer(customerId: string | null): LocationIndex {
  return customerId !== null && Number(customerId) % 5 === 0 ? 1 : 0;
}

export const STOCKOUT_CHANCE = 0.3;
export const END_PROFILE_SHARES = { out: 0.06, low: 0.16 } as const; // the rest healthy
export const BUFFER_DAYS = { min: 7, max: 21 } as const;
/** POs received more than this many days before asOf are CLOSED, later ones still RECEIVED. */
export const CLOSE_AFTER_DAYS = 30;

export interface DemoSku extends CatalogueProduct {
  supplier: number;
  barcode: string;
  firstOnMarketAt: Date;
  listings: { amazon: boolean; ebay: boolean };
}

export interface DemoOrderLine {
  externalLineId: string;
  rank: number;
  quantity: number;
  cancelledQuantity: number;
  unitPrice: string;
}

export interface DemoOrder {
  externalId: string;
  location: LocationIndex;
  customerId: string | null;
  country: string;
  placedAt: Date;
  cancelledAt: Date | null;
  lines: DemoOrderLine[];
}

export interface DemoDailyDemand {
  rank: number;
  location: LocationIndex;
  day: IsoDay;
  units: number;
  revenue: Cents;
  orderCount: number;
  largestOrderUnits: number;
  outOfStock: boolean;
  closingOnHand: number;
}

export interface DemoMovement {
  rank: number;
  location: LocationIndex;
  kind: "INITIAL" | "SALE" | "RECEIPT";
  quantity: number;
  occurredAt: Date;
  idempotencyKey: string;
  /** RECEIPT: the PO it came in on. */
  poNumber?: string;
}

export interface DemoPurchaseOrderLine {
  rank: number;
  ordered: number;
  received: number;
  unitCost: PriceUnits;
}

export interface DemoPurchaseOrder {
  number: string;
  supplier: number;
  location: LocationIndex;
  status: "RECEIVED" | "CLOSED";
  placedAt: Date;
  acknowledgedAt: Date;
  confirmedAt: Date;
  shippedAt: Date;
  receivedAt: Date;
  expectedArrivalDate: IsoDay;
  leadTimeDays: number;
  subtotal: Cents;
  lines: DemoPurchaseOrderLine[];
}

export interface DemoData {
  asOf: IsoDay;
  shiftDays: number;
  skus: DemoSku[];
  suppliers: DemoSupplier[];
  orders: DemoOrder[];
  dailyDemand: DemoDailyDemand[];
  movements: DemoMovement[];
  purchaseOrders: DemoPurchaseOrder[];
  /** Last PO number used per (shifted) year, for DocumentSequence. */
  poSequences: { year: number; lastValue: number }[];
  stats: {
    cancelledLines: number;
    ignoredCancellations: number;
    outOfStockDays: number;
    skuLocationDays: number;
    /** Where each SKU × location ended (today's on-hand). */
    endProfiles: Record<EndProfile, number>;
  };
}

interface DayAcc {
  units: number;
  revenue: Cents;
  perOrder: Map<string, number>;
  lastAt: Date;
}

export function deriveDemoData(log: CleanedLog, options: DeriveOptions): DemoData {
  const { asOf, seed } = options;
  const shiftDays = logShiftDays(asOf);
  const firstLogDay = toDayNumber(LOG_FIRST_DAY);
  const days = toDayNumber(LOG_LAST_DAY) - firstLogDay + 1;
  const shifted = (logDayIndex: number) => firstLogDay + logDayIndex + shiftDays; // a day number
  const at = (logDayIndex: number, time: string) => londonToUtc(shifted(logDayIndex), time);

  const catalogue = buildCatalogue(log.lines, options.skuLimit);
  const supplierCount = Math.min(options.supplierCount, catalogue.length);
  const suppliers = buildSuppliers(supplierCount, seed);
  const rankOf = new Map(catalogue.map((p) => [p.stockCode, p.rank]));
  const barcodes = assignBarcodes(catalogue.map((p) => p.stockCode));

  // Orders: the log's invoices restricted to the catalogue, lines in file order.
  const orders: DemoOrder[] = [];
  const orderByInvoice = new Map<string, DemoOrder>();
  const dayAcc = new Map<string, DayAcc>(); // rank|location|logDayIndex
  const units = catalogue.map(() => [new Int32Array(days), new Int32Array(days)] as const);
  const firstSaleAt = new Map<number, Date>();
  let cancelledLines = 0;
  for (const line of log.lines) {
    const rank = rankOf.get(line.stockCode);
    if (rank === undefined) continue;
    const logDay = toDayNumber(line.invoiceDate) - firstLogDay;
    const placedAt = at(logDay, line.invoiceDate.slice(11));
    let order = orderByInvoice.get(line.invoiceNo);
    if (!order) {
      order = { externalId: line.invoiceNo, location: locationForCustomer(line.customerId), customerId: line.customerId, country: line.country, placedAt, cancelledAt: null, lines: [] };
      orderByInvoice.set(line.invoiceNo, order);
      orders.push(order);
    }
    order.lines.push({ externalLineId: String(line.row + 2), rank, quantity: line.quantity, cancelledQuantity: line.cancelledQuantity, unitPrice: line.unitPrice });
    if (line.cancelledQuantity > 0 && line.cancelledAt) {
      cancelledLines++;
      const cancelledAt = at(toDayNumber(line.cancelledAt) - firstLogDay, line.cancelledAt.slice(11));
      if (!order.cancelledAt || cancelledAt > order.cancelledAt) order.cancelledAt = cancelledAt;
    }
    const net = line.quantity - line.cancelledQuantity;
    if (net <= 0) continue;
    if (!firstSaleAt.has(rank)) firstSaleAt.set(rank, order.placedAt);
    const loc = order.location;
    const series = (units[rank] as readonly [Int32Array, Int32Array])[loc];
    series[logDay] = (series[logDay] as number) + net;
    const key = `${rank}|${loc}|${logDay}`;
    let acc = dayAcc.get(key);
    if (!acc) dayAcc.set(key, (acc = { units: 0, revenue: 0, perOrder: new Map(), lastAt: order.placedAt }));
    acc.units += net;
    acc.revenue += lineTotalCents(net, toPriceUnits(line.unitPrice));
    acc.perOrder.set(line.invoiceNo, (acc.perOrder.get(line.invoiceNo) ?? 0) + net);
    if (order.placedAt > acc.lastAt) acc.lastAt = order.placedAt;
  }
  // An order is cancelled only when every one of its lines is.
  for (const order of orders) if (order.lines.some((l) => l.cancelledQuantity < l.quantity)) order.cancelledAt = null;

  // PO slots: each supplier orders for each location every orderCycleDays, lead time drawn per PO.
  interface Slot extends Delivery {
    supplier: number;
    location: LocationIndex;
  }
  const slots: Slot[] = [];
  for (const supplier of suppliers) {
    for (const location of [0, 1] as const) {
      const rng = createRng(mix(seed, 1000 + supplier.index, location));
      const offset = rng.int(0, supplier.orderCycleDays - 1);
      for (let placedDay = offset; placedDay < days; placedDay += supplier.orderCycleDays) {
        let lead = rng.int(supplier.leadTimeLow, supplier.leadTimeHigh);
        if (rng.next() < supplier.lateChance) lead = Math.round(lead * 1.6);
        if (placedDay + lead < days) slots.push({ slot: slots.length, placedDay, receivedDay: placedDay + lead, supplier: supplier.index, location });
      }
    }
  }

  // Stock per SKU × location.
  const movements: DemoMovement[] = [];
  const dailyDemand: DemoDailyDemand[] = [];
  const linesBySlot = new Map<number, DemoPurchaseOrderLine[]>();
  const endProfiles: Record<EndProfile, number> = { healthy: 0, low: 0, out: 0 };
  let outOfStockDays = 0;
  let skuLocationDays = 0;
  const histories: StockHistory[][] = [];
  for (const product of catalogue) {
    const supplier = suppliers[supplierIndexForRank(product.rank, supplierCount)] as DemoSupplier;
    const perLocation: StockHistory[] = [];
    for (const location of [0, 1] as const) {
      const rng = createRng(mix(seed, product.rank, location));
      const draw = rng.next();
      const endProfile: EndProfile = draw < END_PROFILE_SHARES.out ? "out" : draw < END_PROFILE_SHARES.out + END_PROFILE_SHARES.low ? "low" : "healthy";
      const deliveries = slots.filter((s) => s.supplier === supplier.index && s.location === location);
      const sold = (units[product.rank] as readonly [Int32Array, Int32Array])[location];
      const history = simulateStock(sold, deliveries, {
        moq: product.moq,
        casePack: product.casePack,
        bufferDays: rng.int(BUFFER_DAYS.min, BUFFER_DAYS.max),
        stockoutChance: STOCKOUT_CHANCE,
        endProfile,
        lowCoverDays: Math.max(2, Math.floor(supplier.leadTimeLow / 2)),
      }, rng);
      perLocation.push(history);
      const hasSales = sold.some((u) => u > 0);
      if (hasSales) endProfiles[history.closing[days - 1] === 0 ? "out" : history.endProfile === "out" ? "low" : history.endProfile] += 1;

      const keyBase = `${product.stockCode}:${location}`;
      if (history.opening > 0) {
        movements.push({ rank: product.rank, location, kind: "INITIAL", quantity: history.opening, occurredAt: at(0, "05:00:00"), idempotencyKey: `seed:initial:${keyBase}` });
      }
      for (const line of history.lines) {
        const list = linesBySlot.get(line.slot);
        const poLine: DemoPurchaseOrderLine = { rank: product.rank, ordered: line.ordered, received: line.received, unitCost: priceFor(line.ordered, product.cost, product.priceBreaks) };
        if (list) list.push(poLine);
        else linesBySlot.set(line.slot, [poLine]);
      }
      const firstSale = sold.findIndex((u) => u > 0);
      for (let d = 0; d < days; d++) {
        if (firstSale >= 0 && d >= firstSale) skuLocationDays++;
        const acc = dayAcc.get(`${product.rank}|${location}|${d}`);
        const oos = history.outOfStock[d] === 1;
        if (oos) outOfStockDays++;
        if (!acc && !oos) continue;
        const dayIso = fromDayNumber(shifted(d));
        dailyDemand.push({
          rank: product.rank,
          location,
          day: dayIso,
          units: acc?.units ?? 0,
          revenue: acc?.revenue ?? 0,
          orderCount: acc?.perOrder.size ?? 0,
          largestOrderUnits: acc ? Math.max(...acc.perOrder.values()) : 0,
          outOfStock: oos,
          closingOnHand: history.closing[d] as number,
        });
        if (acc) movements.push({ rank: product.rank, location, kind: "SALE", quantity: -acc.units, occurredAt: acc.lastAt, idempotencyKey: `seed:sale:${keyBase}:${dayIso}` });
      }
    }
    histories.push(perLocation);
  }

  // POs: one per slot that has lines, numbered in placement order within each (shifted) year.
  const used = slots.filter((s) => linesBySlot.has(s.slot)).sort((a, b) => a.placedDay - b.placedDay || a.supplier - b.supplier || a.location - b.location);
  const counters = new Map<number, number>();
  const purchaseOrders: DemoPurchaseOrder[] = [];
  const asOfDay = toDayNumber(asOf);
  for (const slot of used) {
    const supplier = suppliers[slot.supplier] as DemoSupplier;
    const placedIso = fromDayNumber(shifted(slot.placedDay));
    const year = Number(placedIso.slice(0, 4));
    const seq = (counters.get(year) ?? 0) + 1;
    counters.set(year, seq);
    const number = `PO-${year}-${String(seq).padStart(4, "0")}`;
    const lines = (linesBySlot.get(slot.slot) as DemoPurchaseOrderLine[]).sort((a, b) => a.rank - b.rank);
    const leadTimeDays = slot.receivedDay - slot.placedDay;
    const receivedAt = at(slot.receivedDay, "06:00:00");
    purchaseOrders.push({
      number,
      supplier: slot.supplier,
      location: slot.location,
      status: asOfDay - shifted(slot.receivedDay) > CLOSE_AFTER_DAYS ? "CLOSED" : "RECEIVED",
      placedAt: at(slot.placedDay, "10:00:00"),
      acknowledgedAt: at(slot.placedDay, "13:00:00"),
      confirmedAt: at(slot.placedDay + 1, "09:30:00"),
      shippedAt: at(slot.receivedDay - Math.min(2, leadTimeDays - 1), "14:00:00"),
      receivedAt,
      expectedArrivalDate: addDays(placedIso, supplier.leadTimeDays),
      leadTimeDays,
      subtotal: lines.reduce((total, l) => total + lineTotalCents(l.ordered, l.unitCost), 0),
      lines,
    });
    for (const line of lines) {
      if (line.received <= 0) continue;
      const sku = catalogue[line.rank] as CatalogueProduct;
      movements.push({ rank: line.rank, location: slot.location, kind: "RECEIPT", quantity: line.received, occurredAt: receivedAt, idempotencyKey: `seed:receipt:${number}:${sku.stockCode}`, poNumber: number });
    }
  }

  const skus: DemoSku[] = catalogue.map((p) => ({
    ...p,
    supplier: supplierIndexForRank(p.rank, supplierCount),
    barcode: barcodes[p.rank] as string,
    firstOnMarketAt: firstSaleAt.get(p.rank) ?? at(0, "00:00:00"),
    listings: { amazon: p.rank % 3 === 0, ebay: p.rank % 4 === 1 },
  }));
  let ignoredCancellations = 0;
  for (const p of catalogue) ignoredCancellations += log.ignoredByStockCode.get(p.stockCode) ?? 0;

  return {
    asOf,
    shiftDays,
    skus,
    suppliers,
    orders,
    dailyDemand,
    movements,
    purchaseOrders,
    poSequences: [...counters].map(([year, lastValue]) => ({ year, lastValue })).sort((a, b) => a.year - b.year),
    stats: { cancelledLines, ignoredCancellations, outOfStockDays, skuLocationDays, endProfiles },
  };
}

/** A 32-bit seed per (seed, a, b), so each SKU × location draws from its own stream. */
function mix(seed: number, a: number, b: number): number {
  let h = (seed ^ Math.imul(a + 1, 0x9e3779b1) ^ Math.imul(b + 1, 0x85ebca6b)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
