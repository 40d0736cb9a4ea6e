import { Prisma, type ForecastMethod as DbForecastMethod, type SkuStatus } from "@prisma/client";
import { z } from "zod";
import {
  classifyAbc,
  DEFAULT_SUPPLIER_PARAMETERS,
  toCents,
  toPriceUnits,
  validateSupplierParameters,
  type AbcClass,
  type CatalogueFigures,
  type DemandHistory,
  type ForecastMethod,
  type IsoDay,
  type OpenPurchaseOrderLine,
  type PriceBreak,
  type ProductStatus,
  type Promotion,
  type ReceivedPurchaseOrder,
  type ReplenishmentInput,
  type ShipMethod,
  type ShopPolicy,
  type SkuLocationSnapshot,
  type SupplierInput,
  type SupplierOffer,
  type SupplierParameters,
} from "#app/domain/reorder/index.ts";
import { addDays, fromDayNumber, toDayNumber } from "#app/domain/shared/day.ts";
import { transitDaysTable } from "#app/domain/shared/ship-methods.ts";
import { prisma } from "#app/db.server.ts";
import { COLLECTION_PREFIX } from "#app/models/promotion.server.ts";
import { PO_STATUS_GROUPS } from "#app/models/purchase-order.server.ts";
import { forShop } from "#app/models/scoped-db.server.ts";

/**
 * Load step of the reorder use case (ARCHITECTURE principle 2): reads everything the pure engine needs for
 * one shop and one `asOf` day and returns the engine's `ReplenishmentInput`, plus the names the service
 * needs to write readable documents. One query per concern, whatever the catalogue size (no per-SKU
 * queries); the heavy series (daily demand, order sizes) are aggregated into arrays by Postgres so a
 * catalogue of thousands of SKUs × two years arrives as one row per SKU × location.
 *
 * Every query is confined to the shop: Prisma ones through forShop(), raw SQL by an explicit shopId.
 */

/** Two years: the forecast back-tests over up to three years but seasonality needs only two. */
export const DEFAULT_HISTORY_DAYS = 728;
/** Received POs older than this no longer describe a supplier's lead time. */
const LEAD_TIME_HISTORY_DAYS = 730;
/** "The typical order" of the 200 % check: this SKU's POs placed in the last year, newest ten. */
const RECENT_PURCHASES_DAYS = 365;
const RECENT_PURCHASES_KEPT = 10;

/**
 * Drafts the engine may overwrite: made by a run, never approved or sent, and never touched by a person
 * or a supplier (any MERCHANT/SUPPLIER event makes the PO theirs). Shared by the loader (such drafts are
 * not counted as incoming stock, they are about to be replaced) and by the service (which replaces them).
 */
export const REPLACEABLE_DRAFT_PO_WHERE = {
  reorderRunId: { not: null },
  status: { in: ["DRAFT", "AWAITING_APPROVAL"] },
  approvedAt: null,
  sentAt: null,
  events: { none: { actorType: { not: "SYSTEM" } } },
} satisfies Prisma.PurchaseOrderWhereInput;

/** Draft transfers made by a run: replaced by the next run (transfers carry no event log to tell edits). */
export const REPLACEABLE_DRAFT_TRANSFER_WHERE = { reorderRunId: { not: null }, status: "DRAFT" } satisfies Prisma.TransferWhereInput;

export interface ReorderSnapshot {
  asOf: IsoDay;
  input: ReplenishmentInput;
  /** The SKUs in scope (a stock-change run), or null for the whole catalogue. */
  skuIds: string[] | null;
  currency: string;
  /** Where a SKU without stock or sales anywhere is planned, and where unlocated order lines belong. */
  defaultLocationId: string | null;
  skus: ReadonlyMap<string, { code: string; title: string; supplierPartNumbers: ReadonlyMap<string, string | null> }>;
  locations: ReadonlyMap<string, string>;
  suppliers: ReadonlyMap<string, { name: string; currency: string }>;
  /** Data the loader had to correct (a supplier's invalid stored parameters…), for the run log. */
  warnings: string[];
}

export interface LoadSnapshotOptions {
  skuIds?: readonly string[];
  historyDays?: number;
}

const STATUS: Record<SkuStatus, ProductStatus> = { ACTIVE: "active", DISCONTINUED: "discontinued", SEASONAL: "seasonal", END_OF_LIFE: "end_of_life" };
const FORECAST_METHOD: Record<DbForecastMethod, ForecastMethod> = { EWA_30: "ewa", PERIOD_STRING: "period-string", MODEL: "model", AUTO: "auto" };
const SHIP_METHODS = new Set<ShipMethod>(["ocean", "air", "ground", "express"]);

/** Raw queries may hand a `date` column back as a Date or as "YYYY-MM-DD"; both are accepted. */
const dayOf = (date: Date | string): IsoDay => fromDayNumber(toDayNumber(date));
const dateOf = (day: IsoDay): Date => new Date(`${day}T00:00:00.000Z`);
const pairKey = (skuId: string, locationId: string) => `${skuId}|${locationId}`;

export async function loadReorderSnapshot(shopId: string, asOfInput: Date | IsoDay, options: LoadSnapshotOptions = {}): Promise<ReorderSnapshot> {
  const db = forShop(shopId);
  const asOf = fromDayNumber(toDayNumber(asOfInput));
  const asOfDate = dateOf(asOf);
  const historyDays = options.historyDays ?? DEFAULT_HISTORY_DAYS;
  const startDay = addDays(asOf, -historyDays);
  const scope = options.skuIds ? [...new Set(options.skuIds)] : null;
  const skuWhere = scope ? { id: { in: scope } } : {};
  const warnings: string[] = [];

  const shop = await prisma.shop.findUnique({ where: { id: shopId }, include: { settings: true } });
  if (!shop) throw new Error(`shop ${shopId} not found`);

  // ── catalogue, locations, kits ──
  const [skuRows, locationRows] = await Promise.all([
    db.sku.findMany({ where: skuWhere, select: { id: true, code: true, title: true, status: true, price: true, firstOnMarketAt: true, isKit: true }, orderBy: { id: "asc" } }),
    db.location.findMany({ select: { id: true, name: true, isActive: true, isDefault: true }, orderBy: [{ isDefault: "desc" }, { createdAt: "asc" }] }),
  ]);
  const skuIds = skuRows.map((s) => s.id);
  const activeLocations = locationRows.filter((l) => l.isActive);
  const activeLocationIds = new Set(activeLocations.map((l) => l.id));
  const defaultLocationId = activeLocations[0]?.id ?? null;
  const kitRows = await db.kitComponent.findMany({
    where: scope ? { kitSkuId: { in: scope } } : {},
    select: { kitSkuId: true, componentSkuId: true, quantity: true },
  });
  const levelSkuIds = scope ? [...new Set([...skuIds, ...kitRows.map((k) => k.componentSkuId)])] : null;

  // ── stock, demand, orders, purchasing: independent reads, in parallel ──
  const [levels, demandRows, firstSales, orderRows, openPoLines, inTransit, offers, receivedPos, recentLines, promotionRows] = await Promise.all([
    db.inventoryLevel.findMany({
      where: levelSkuIds ? { skuId: { in: levelSkuIds } } : {},
      select: { skuId: true, locationId: true, onHand: true, committed: true },
    }),
    prisma.$queryRaw<{ skuId: string; locationId: string; idx: number[]; units: number[]; oos: boolean[] }[]>(Prisma.sql`
      SELECT "skuId", "locationId",
             array_agg(("day" - ${startDay}::date)::int ORDER BY "day") AS idx,
             array_agg("units" ORDER BY "day") AS units,
             array_agg("outOfStock" ORDER BY "day") AS oos
      FROM "DailyDemand"
      WHERE "shopId" = ${shopId} AND "day" >= ${startDay}::date AND "day" < ${asOf}::date
        ${scope ? Prisma.sql`AND "skuId" = ANY(${scope}::text[])` : Prisma.empty}
      GROUP BY "skuId", "locationId"`),
    // First sale ever (not only inside the window), for days on market when the SKU has no launch date.
    prisma.$queryRaw<{ skuId: string; first: Date }[]>(Prisma.sql`
      SELECT "skuId", MIN("day") AS first FROM "DailyDemand"
      WHERE "shopId" = ${shopId} AND "units" > 0 AND "day" < ${asOf}::date
        ${scope ? Prisma.sql`AND "skuId" = ANY(${scope}::text[])` : Prisma.empty}
      GROUP BY "skuId"`),
    // Order sizes for the outlier test: one row per SKU × location with each order's net units and its day
    // in the shop's time zone (the day DailyDemand counts it on). Unlocated lines belong to the default location.
    // Lines are summed per order and joined to the window's orders by hash on the order id: written as a
    // join of the two raw tables, the planner, without fresh statistics (a bulk import before autovacuum
    // runs, or PGlite, which has none), nested-looped every order over the shop's line index — 190 s for the
    // 200-SKU demo instead of 2 s. Ties on a day are ordered by size, so the output is deterministic.
    prisma.$queryRaw<{ skuId: string; locationId: string | null; idx: number[]; qty: number[] }[]>(Prisma.sql`
      SELECT l."skuId", l."locationId", array_agg(o.idx ORDER BY o.idx, l.qty) AS idx, array_agg(l.qty ORDER BY o.idx, l.qty) AS qty
      FROM (
        SELECT "orderId", "skuId", "locationId", SUM("quantity" - "cancelledQuantity")::int AS qty
        FROM "SalesOrderLine"
        WHERE "shopId" = ${shopId} AND "skuId" IS NOT NULL
          ${scope ? Prisma.sql`AND "skuId" = ANY(${scope}::text[])` : Prisma.empty}
        GROUP BY 1, 2, 3
        HAVING SUM("quantity" - "cancelledQuantity") > 0
      ) l
      JOIN (
        SELECT "id", ((("placedAt" AT TIME ZONE 'UTC') AT TIME ZONE ${shop.timezone})::date - ${startDay}::date)::int AS idx
        FROM "SalesOrder"
        WHERE "shopId" = ${shopId} AND "cancelledAt" IS NULL
          AND "placedAt" >= ${dateOf(addDays(startDay, -1))} AND "placedAt" < ${dateOf(addDays(asOf, 1))}
      ) o ON o."id" = l."orderId"
      WHERE o.idx >= 0 AND o.idx < ${historyDays}
      GROUP BY l."skuId", l."locationId"`),
    db.purchaseOrderLine.findMany({
      where: {
        ...(scope ? { skuId: { in: scope } } : {}),
        purchaseOrder: { status: { in: [...PO_STATUS_GROUPS.OPEN] }, NOT: REPLACEABLE_DRAFT_PO_WHERE },
      },
      select: {
        skuId: true, quantityOrdered: true, quantityReceived: true, quantityDamaged: true, expectedDate: true,
        purchaseOrder: { select: { supplierId: true, locationId: true, expectedArrivalDate: true, sentAt: true, createdAt: true, supplier: { select: { leadTimeDays: true } } } },
      },
    }),
    // Shipped transfers: the units left the origin's on-hand and will arrive at the destination.
    db.transferLine.findMany({
      where: { ...(scope ? { skuId: { in: scope } } : {}), transfer: { status: "SHIPPED" } },
      select: { skuId: true, quantity: true, quantityReceived: true, transfer: { select: { toLocationId: true, shippedAt: true, createdAt: true } } },
    }),
    db.supplierProduct.findMany({
      where: scope ? { skuId: { in: scope } } : {},
      select: { supplierId: true, skuId: true, unitCost: true, priceBreaks: true, moq: true, casePack: true, supplierPartNumber: true, leadTimeDaysOverride: true },
    }),
    db.purchaseOrder.findMany({
      where: { sentAt: { not: null }, receivedAt: { not: null, gte: dateOf(addDays(asOf, -LEAD_TIME_HISTORY_DAYS)), lt: dateOf(addDays(asOf, 1)) }, status: { not: "CANCELLED" } },
      select: { supplierId: true, sentAt: true, receivedAt: true, expectedArrivalDate: true, lines: { select: { skuId: true } } },
      orderBy: { receivedAt: "asc" },
    }),
    db.purchaseOrderLine.findMany({
      where: {
        ...(scope ? { skuId: { in: scope } } : {}),
        purchaseOrder: { sentAt: { gte: dateOf(addDays(asOf, -RECENT_PURCHASES_DAYS)), lt: dateOf(addDays(asOf, 1)) }, status: { not: "CANCELLED" } },
      },
      select: { skuId: true, quantityOrdered: true, purchaseOrder: { select: { locationId: true, sentAt: true } } },
    }),
    db.promotion.findMany({ where: { endsOn: { gte: dateOf(startDay) } }, select: { id: true, name: true, startsOn: true, endsOn: true, upliftPct: true, skuIds: true, collection: true } }),
  ]);

  // ── suppliers of the offers in scope ──
  const supplierIds = [...new Set([...offers.map((o) => o.supplierId), ...receivedPos.map((p) => p.supplierId)])];
  const supplierRows = await db.supplier.findMany({
    where: { id: { in: supplierIds } },
    select: {
      id: true, name: true, currency: true, leadTimeDays: true, autoSend: true, reorderParameters: true, defectRate: true, moqFlexibility: true,
      qualityDisputeOpen: true, defaultShipMethod: true, quotesShipDate: true,
    },
  });
  const supplierById = new Map(supplierRows.map((s) => [s.id, s]));

  // ── ABC for a partial run: classes must come from the whole catalogue, not from the SKUs in scope ──
  const abcOverride = scope ? await catalogueAbc(shopId, asOf) : null;
  const catalogue = scope ? await latestCatalogueFigures(shopId, asOf) : null;
  if (scope && !catalogue) warnings.push("no whole-shop run in the last 7 days: the shop trend and catalogue figures come from the SKUs in scope");

  // ── assemble: one snapshot per SKU × location that has stock, sales or nothing at all (default location) ──
  const levelByPair = new Map(levels.map((l) => [pairKey(l.skuId, l.locationId), l]));
  const pairs = new Map<string, { skuId: string; locationId: string }>();
  const addPair = (skuId: string, locationId: string | null) => {
    if (!locationId || !activeLocationIds.has(locationId)) return;
    pairs.set(pairKey(skuId, locationId), { skuId, locationId });
  };
  const inScope = new Set(skuIds);
  for (const l of levels) if (inScope.has(l.skuId)) addPair(l.skuId, l.locationId);
  for (const d of demandRows) addPair(d.skuId, d.locationId);
  const pairedSkus = new Set([...pairs.values()].map((p) => p.skuId));
  for (const id of skuIds) if (!pairedSkus.has(id)) addPair(id, defaultLocationId);

  const historyByPair = new Map(demandRows.map((d) => [pairKey(d.skuId, d.locationId), d]));
  const ordersByPair = new Map<string, { idx: number[]; qty: number[] }>();
  for (const row of orderRows) {
    const locationId = row.locationId && activeLocationIds.has(row.locationId) ? row.locationId : defaultLocationId;
    if (!locationId) continue;
    const key = pairKey(row.skuId, locationId);
    const existing = ordersByPair.get(key);
    if (existing) {
      existing.idx.push(...row.idx);
      existing.qty.push(...row.qty);
    } else ordersByPair.set(key, { idx: [...row.idx], qty: [...row.qty] });
  }
  const firstSaleBySku = new Map(firstSales.map((r) => [r.skuId, dayOf(r.first)]));

  const openByPair = new Map<string, OpenPurchaseOrderLine[]>();
  const pushOpen = (skuId: string, locationId: string, line: OpenPurchaseOrderLine) => {
    const key = pairKey(skuId, locationId);
    const list = openByPair.get(key);
    if (list) list.push(line);
    else openByPair.set(key, [line]);
  };
  for (const line of openPoLines) {
    const outstanding = line.quantityOrdered - line.quantityReceived - line.quantityDamaged;
    if (outstanding <= 0) continue;
    const po = line.purchaseOrder;
    // Best known arrival: the line's date, the PO's, else placed (or drafted) + the supplier's quoted lead time.
    const expected = line.expectedDate ?? po.expectedArrivalDate ?? dateOf(addDays(dayOf(po.sentAt ?? po.createdAt), po.supplier.leadTimeDays));
    pushOpen(line.skuId, po.locationId, { quantity: outstanding, expectedOn: dayOf(expected), supplierId: po.supplierId });
  }
  for (const line of inTransit) {
    const outstanding = line.quantity - line.quantityReceived;
    if (outstanding <= 0) continue;
    pushOpen(line.skuId, line.transfer.toLocationId, { quantity: outstanding, expectedOn: dayOf(line.transfer.shippedAt ?? line.transfer.createdAt) });
  }

  const offersBySku = new Map<string, SupplierOffer[]>();
  const partNumbers = new Map<string, Map<string, string | null>>();
  for (const o of offers) {
    const supplier = supplierById.get(o.supplierId);
    if (!supplier) continue;
    const offer: SupplierOffer = {
      supplierId: o.supplierId,
      unitCost: toPriceUnits(o.unitCost.toString()),
      priceBreaks: parsePriceBreaks(o.priceBreaks),
      moq: o.moq,
      casePack: o.casePack,
      defectRate: Number(supplier.defectRate.toString()),
      moqFlexibility: Number(supplier.moqFlexibility.toString()),
      ...(o.leadTimeDaysOverride !== null && o.leadTimeDaysOverride > 0 ? { leadTimeDays: o.leadTimeDaysOverride } : {}),
    };
    const list = offersBySku.get(o.skuId);
    if (list) list.push(offer);
    else offersBySku.set(o.skuId, [offer]);
    const parts = partNumbers.get(o.skuId) ?? new Map<string, string | null>();
    parts.set(o.supplierId, o.supplierPartNumber);
    partNumbers.set(o.skuId, parts);
  }
  for (const list of offersBySku.values()) list.sort((a, b) => (a.supplierId < b.supplierId ? -1 : 1));

  const recentByPair = new Map<string, { sentAt: Date; quantity: number }[]>();
  for (const line of recentLines) {
    if (!line.purchaseOrder.sentAt) continue;
    const key = pairKey(line.skuId, line.purchaseOrder.locationId);
    const list = recentByPair.get(key) ?? [];
    list.push({ sentAt: line.purchaseOrder.sentAt, quantity: line.quantityOrdered });
    recentByPair.set(key, list);
  }

  const componentsByKit = new Map<string, { componentSkuId: string; quantity: number }[]>();
  for (const k of kitRows) {
    const list = componentsByKit.get(k.kitSkuId) ?? [];
    list.push(k);
    componentsByKit.set(k.kitSkuId, list);
  }
  const skuById = new Map(skuRows.map((s) => [s.id, s]));

  const snapshots: SkuLocationSnapshot[] = [];
  const sortedPairs = [...pairs.values()].sort((a, b) => (a.skuId === b.skuId ? (a.locationId < b.locationId ? -1 : 1) : a.skuId < b.skuId ? -1 : 1));
  for (const { skuId, locationId } of sortedPairs) {
    const sku = skuById.get(skuId);
    if (!sku) continue;
    const key = pairKey(skuId, locationId);
    const level = levelByPair.get(key);
    const recent = (recentByPair.get(key) ?? []).sort((a, b) => b.sentAt.getTime() - a.sentAt.getTime()).slice(0, RECENT_PURCHASES_KEPT);
    const abcClass: AbcClass | undefined = abcOverride?.get(skuId);
    snapshots.push({
      skuId,
      locationId,
      status: STATUS[sku.status],
      history: buildHistory(startDay, historyDays, historyByPair.get(key), ordersByPair.get(key)),
      firstSaleDay: sku.firstOnMarketAt ? dayOf(sku.firstOnMarketAt) : (firstSaleBySku.get(skuId) ?? null),
      onHand: level?.onHand ?? 0,
      // InventoryLevel.committed already holds every unshipped unit, backorders included; counting
      // backorders again would subtract them twice, so `backordered` stays 0.
      committed: level?.committed ?? 0,
      backordered: 0,
      kitSupply: sku.isKit ? kitSupply(componentsByKit.get(skuId) ?? [], locationId, levelByPair) : 0,
      openPurchaseOrders: openByPair.get(key) ?? [],
      sellPrice: sku.price === null ? null : toPriceUnits(sku.price.toString()),
      offers: offersBySku.get(skuId) ?? [],
      recentPurchaseQuantities: recent.map((r) => r.quantity),
      ...(abcClass ? { abcClass } : {}),
    });
  }

  // ── suppliers: parameters = engine defaults ← the supplier's columns ← its stored overrides ──
  const receivedBySupplier = new Map<string, ReceivedPurchaseOrder[]>();
  for (const po of receivedPos) {
    if (!po.sentAt || !po.receivedAt) continue;
    const placedOn = dayOf(po.sentAt);
    const entry: ReceivedPurchaseOrder = {
      placedOn,
      receivedOn: dayOf(po.receivedAt),
      skuIds: [...new Set(po.lines.map((l) => l.skuId))],
      ...(po.expectedArrivalDate ? { promisedDays: toDayNumber(po.expectedArrivalDate) - toDayNumber(placedOn) } : {}),
    };
    const list = receivedBySupplier.get(po.supplierId) ?? [];
    list.push(entry);
    receivedBySupplier.set(po.supplierId, list);
  }
  const suppliers: SupplierInput[] = supplierRows
    .map((s): SupplierInput => {
      const shipMethod = s.defaultShipMethod?.toLowerCase() as ShipMethod | undefined;
      return {
        supplierId: s.id,
        name: s.name,
        parameters: supplierParametersOf(s, warnings),
        receivedPurchaseOrders: receivedBySupplier.get(s.id) ?? [],
        disputeOpen: s.qualityDisputeOpen,
        quotesShipDate: s.quotesShipDate,
        ...(shipMethod && SHIP_METHODS.has(shipMethod) ? { shipMethod } : {}),
      };
    })
    .sort((a, b) => (a.supplierId < b.supplierId ? -1 : 1));

  // A collection promotion lifts the SKUs in the collection today (see promotion.server.ts); one query for all.
  const collectionOf = (p: { collection: string | null }) => (p.collection?.startsWith(COLLECTION_PREFIX) ? p.collection.slice(COLLECTION_PREFIX.length) : null);
  const handles = [...new Set(promotionRows.flatMap((p) => (p.skuIds.length === 0 && collectionOf(p) ? [collectionOf(p) as string] : [])))];
  const collectionSkus = new Map<string, string[]>();
  if (handles.length > 0) {
    const members = await db.sku.findMany({ where: { collections: { hasSome: handles } }, select: { id: true, collections: true }, orderBy: { id: "asc" } });
    for (const sku of members) {
      for (const handle of sku.collections) {
        if (!handles.includes(handle)) continue;
        const list = collectionSkus.get(handle);
        if (list) list.push(sku.id);
        else collectionSkus.set(handle, [sku.id]);
      }
    }
  }
  const promotions: Promotion[] = [];
  for (const p of promotionRows) {
    let skuIds = p.skuIds;
    if (skuIds.length === 0 && p.collection) {
      const handle = collectionOf(p);
      skuIds = handle ? (collectionSkus.get(handle) ?? []) : [];
      // An empty target must never become "every SKU" (an empty list means the whole catalogue).
      if (skuIds.length === 0) {
        warnings.push(`promotion "${p.name}" targets ${handle ? `collection ${handle}, which holds no SKU now` : `${p.collection}, which cannot be resolved to SKUs`}: ignored`);
        continue;
      }
    }
    promotions.push({
      id: p.name,
      from: dayOf(p.startsOn),
      to: dayOf(p.endsOn),
      multiplier: 1 + Number(p.upliftPct.toString()) / 100,
      ...(skuIds.length > 0 ? { skuIds } : {}),
    });
  }

  return {
    asOf,
    input: { shop: shopPolicy(shop, asOfDate), suppliers, skus: snapshots, promotions, ...(catalogue ?? {}) },
    skuIds: scope,
    currency: shop.currency,
    defaultLocationId,
    skus: new Map(skuRows.map((s) => [s.id, { code: s.code, title: s.title, supplierPartNumbers: partNumbers.get(s.id) ?? new Map() }])),
    locations: new Map(locationRows.map((l) => [l.id, l.name])),
    suppliers: new Map(supplierRows.map((s) => [s.id, { name: s.name, currency: s.currency }])),
    warnings,
  };
}

/**
 * The daily series on the engine's calendar axis plus each order's size. Orders are reconciled with the
 * daily totals: when a day's recorded units exceed its order lines (sales imported without lines, another
 * channel's aggregate), the remainder counts as one more order that day, so the outlier test and the daily
 * rate always describe the same units.
 */
function buildHistory(
  startDay: IsoDay,
  days: number,
  demand: { idx: number[]; units: number[]; oos: boolean[] } | undefined,
  orders: { idx: number[]; qty: number[] } | undefined,
): DemandHistory {
  const units = new Float64Array(days);
  const outOfStock = new Uint8Array(days);
  if (demand) {
    demand.idx.forEach((i, k) => {
      if (i < 0 || i >= days) return;
      units[i] = Math.max(0, demand.units[k] ?? 0);
      if (demand.oos[k]) outOfStock[i] = 1;
    });
  }
  const perDay = new Map<number, number[]>();
  orders?.idx.forEach((i, k) => {
    const q = orders.qty[k] ?? 0;
    if (q <= 0 || i < 0 || i >= days) return;
    const list = perDay.get(i);
    if (list) list.push(q);
    else perDay.set(i, [q]);
  });
  const orderDay: number[] = [];
  const orderQuantity: number[] = [];
  for (let i = 0; i < days; i++) {
    const lines = perDay.get(i) ?? [];
    let covered = 0;
    for (const q of lines) {
      orderDay.push(i);
      orderQuantity.push(q);
      covered += q;
    }
    const rest = (units[i] ?? 0) - covered;
    if (rest > 0) {
      orderDay.push(i);
      orderQuantity.push(rest);
    }
  }
  return { startDay, units, outOfStock, orderDay: Int32Array.from(orderDay), orderQuantity: Float64Array.from(orderQuantity) };
}

/** Kits assemblable at a location from components' available stock (on hand − committed). */
function kitSupply(
  components: readonly { componentSkuId: string; quantity: number }[],
  locationId: string,
  levels: ReadonlyMap<string, { onHand: number; committed: number }>,
): number {
  if (components.length === 0) return 0;
  let kits = Number.POSITIVE_INFINITY;
  for (const c of components) {
    const level = levels.get(pairKey(c.componentSkuId, locationId));
    const available = Math.max(0, (level?.onHand ?? 0) - (level?.committed ?? 0));
    kits = Math.min(kits, c.quantity > 0 ? Math.floor(available / c.quantity) : 0);
  }
  return Number.isFinite(kits) ? kits : 0;
}

function parsePriceBreaks(raw: Prisma.JsonValue): PriceBreak[] {
  if (!Array.isArray(raw)) return [];
  const out: PriceBreak[] = [];
  for (const item of raw) {
    if (typeof item !== "object" || item === null || Array.isArray(item)) continue;
    const minQuantity = Number(item.minQuantity);
    const cost = item.unitCost ?? item.unitPrice;
    if (!Number.isInteger(minQuantity) || minQuantity <= 0 || (typeof cost !== "string" && typeof cost !== "number")) continue;
    out.push({ minQuantity, unitPrice: toPriceUnits(cost) });
  }
  return out.sort((a, b) => a.minQuantity - b.minQuantity);
}

const snakeToCamel = (key: string) => key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/**
 * Engine defaults ← the supplier's own columns (quoted lead time, auto-send) ← its stored overrides (camelCase
 * or the issue's snake_case names). Stored values were validated on save; if one is invalid anyway (edited
 * by hand, an older rule), that field falls back to its default and the run records a warning rather than
 * failing for the whole shop.
 */
export function supplierParametersOf(
  s: { id: string; name: string; leadTimeDays: number; autoSend: boolean; reorderParameters: Prisma.JsonValue },
  warnings: string[],
): SupplierParameters {
  const overrides: Record<string, unknown> = {};
  if (typeof s.reorderParameters === "object" && s.reorderParameters !== null && !Array.isArray(s.reorderParameters)) {
    for (const [key, value] of Object.entries(s.reorderParameters)) overrides[snakeToCamel(key)] = value;
  }
  const known = new Set(Object.keys(DEFAULT_SUPPLIER_PARAMETERS));
  const merged: Record<string, unknown> = { leadTimeDays: s.leadTimeDays, autoSend: s.autoSend };
  for (const [key, value] of Object.entries(overrides)) if (known.has(key)) merged[key] = value;
  const first = validateSupplierParameters(merged as Partial<Record<keyof SupplierParameters, unknown>>);
  if (first.ok) return first.value;
  const bad = Object.keys(first.errors);
  warnings.push(`supplier "${s.name}": invalid stored parameters (${bad.map((k) => `${k} ${first.errors[k as keyof SupplierParameters]}`).join(", ")}), defaults used for them`);
  for (const key of bad) delete merged[key];
  const second = validateSupplierParameters(merged as Partial<Record<keyof SupplierParameters, unknown>>);
  return second.ok ? second.value : { ...DEFAULT_SUPPLIER_PARAMETERS, leadTimeDays: s.leadTimeDays };
}

function shopPolicy(
  shop: { currency: string; settings: null | {
    forecastMethod: DbForecastMethod; serviceLevelA: Prisma.Decimal; serviceLevelB: Prisma.Decimal; serviceLevelC: Prisma.Decimal;
    reviewCadenceDays: number; leadTimePercentile: number; trustPeriodEndsAt: Date | null; approvalThreshold: Prisma.Decimal; carryingCostPctYear: Prisma.Decimal;
    shipMethodTransitDays: Prisma.JsonValue;
    supplierWeightPrice: number; supplierWeightLeadTime: number; supplierWeightQuality: number; supplierWeightMoq: number;
  } },
  asOf: Date,
): Partial<ShopPolicy> {
  const s = shop.settings;
  if (!s) return { currency: shop.currency };
  return {
    currency: shop.currency,
    // One estimator chosen here (or on a supplier) is planned on alone: the engine keeps the floor of recent rates for "auto".
    forecastMethod: FORECAST_METHOD[s.forecastMethod],
    serviceLevels: { A: Number(s.serviceLevelA.toString()), B: Number(s.serviceLevelB.toString()), C: Number(s.serviceLevelC.toString()) },
    reviewDays: Math.max(1, s.reviewCadenceDays),
    leadTimePercentile: s.leadTimePercentile,
    // The engine raises the percentile to 90 while this holds.
    trustPeriod: s.trustPeriodEndsAt !== null && s.trustPeriodEndsAt.getTime() > asOf.getTime(),
    approvalThreshold: toCents(s.approvalThreshold.toString()),
    holdingCostRate: Number(s.carryingCostPctYear.toString()),
    // The same table as the supplier portal's ETA, so a quoted ship date means the same arrival to both.
    transitDays: transitDaysTable(s.shipMethodTransitDays),
    supplierWeights: { price: s.supplierWeightPrice / 100, leadTime: s.supplierWeightLeadTime / 100, quality: s.supplierWeightQuality / 100, moqFlexibility: s.supplierWeightMoq / 100 },
  };
}

const catalogueFiguresSchema = z.object({
  catalogueTrend: z.object({ growthPerDay: z.number(), recentUnits: z.number(), previousUnits: z.number(), windowDays: z.number().optional() }).optional(),
  orderSizePrior: z.object({ r2: z.number(), r3: z.number(), skus: z.number() }).optional(),
  serviceLevelClassMeans: z.object({ A: z.number(), B: z.number(), C: z.number() }).optional(),
});

/**
 * The catalogue-wide figures of the latest whole-shop run (nightly or manual) of the last 7 days, for a run
 * over a few SKUs: planned with the same shop trend, order-size prior and class means as the night before,
 * not with figures computed from the SKUs in scope alone. Null when there is none (or it is unreadable).
 */
async function latestCatalogueFigures(shopId: string, asOf: IsoDay): Promise<CatalogueFigures | null> {
  const run = await forShop(shopId).reorderRun.findFirst({
    where: { trigger: { not: "STOCK_CHANGE" }, status: "COMPLETED", asOf: { gte: dateOf(addDays(asOf, -7)), lte: dateOf(asOf) } },
    orderBy: [{ startedAt: "desc" }, { id: "desc" }],
    select: { parameters: true },
  });
  const stored = (run?.parameters as { catalogue?: unknown } | null | undefined)?.catalogue;
  const parsed = catalogueFiguresSchema.safeParse(stored);
  if (!parsed.success || stored === undefined) return null;
  const { catalogueTrend, orderSizePrior, serviceLevelClassMeans } = parsed.data;
  return {
    ...(catalogueTrend ? { catalogueTrend: { growthPerDay: catalogueTrend.growthPerDay, recentUnits: catalogueTrend.recentUnits, previousUnits: catalogueTrend.previousUnits, ...(catalogueTrend.windowDays !== undefined ? { windowDays: catalogueTrend.windowDays } : {}) } } : {}),
    ...(orderSizePrior ? { orderSizePrior } : {}),
    ...(serviceLevelClassMeans ? { serviceLevelClassMeans } : {}),
  };
}

/**
 * The engine's ABC rule (units over the last 364 days × selling price, ranked over the whole catalogue)
 * computed in SQL, so a single-SKU run classifies its SKU exactly as the nightly run would.
 */
async function catalogueAbc(shopId: string, asOf: IsoDay): Promise<Map<string, AbcClass>> {
  const rows = await prisma.$queryRaw<{ id: string; units: number; price: string | null }[]>(Prisma.sql`
    SELECT s."id", COALESCE(SUM(d."units"), 0)::float8 AS units, s."price"::text AS price
    FROM "Sku" s
    LEFT JOIN "DailyDemand" d ON d."skuId" = s."id" AND d."shopId" = s."shopId"
      AND d."day" >= ${addDays(asOf, -364)}::date AND d."day" < ${asOf}::date
    WHERE s."shopId" = ${shopId}
    GROUP BY s."id", s."price"`);
  return classifyAbc(rows.map((r) => ({ skuId: r.id, revenue: r.units * (r.price === null ? 1 : toPriceUnits(r.price)) })));
}
