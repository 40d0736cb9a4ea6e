/**
 * Writes derived demo data (derive-demo-data.ts) for one shop, inside the caller's transaction.
 *
 * Every table goes through `INSERT … SELECT FROM unnest($1::text[], $2::int4[], …)`: one array parameter
 * per column and BATCH_ROWS rows per statement. Prisma's createMany was 5–10× slower here (it binds one
 * parameter per value and splits at 65,535), and the big tables hold 80–190k rows at the default size.
 * Stock is written only as InventoryMovement rows; the ledger trigger maintains InventoryLevel.onHand.
 * Ids come from createIdFactory (deterministic per shop domain).
 */
import type { Prisma, PrismaClient } from "@prisma/client";
import { addDays } from "#app/domain/shared/day.ts";
import { PRICE_SCALE, type Cents, type PriceUnits } from "#app/domain/shared/money.ts";
import { londonToUtc } from "./calendar.ts";
import { LOCATIONS, type DemoData, type DemoOrder, type DemoPurchaseOrder, type DemoSku } from "./derive-demo-data.ts";
import type { IdFactory } from "./ids.ts";
import type { DemoSupplier } from "./suppliers.ts";

export type Tx = Prisma.TransactionClient | PrismaClient;

export const BATCH_ROWS = 10_000;
/** Every tenth SKU (rank ≡ 5 mod 10) also has a second, 8 % dearer offer from the next supplier. */
export const ALTERNATIVE_OFFER_EVERY = 10;
export const ALTERNATIVE_OFFER_MARKUP = 1.08;

export interface WriteCounts {
  locations: number;
  skus: number;
  suppliers: number;
  supplierProducts: number;
  channelListings: number;
  salesOrders: number;
  salesOrderLines: number;
  inventoryLevels: number;
  inventoryMovements: number;
  dailyDemand: number;
  purchaseOrders: number;
  purchaseOrderLines: number;
  purchaseOrderEvents: number;
  receipts: number;
  receiptLines: number;
  documentSequences: number;
}

/** Array element type of a column; `timestamp(3)` travels as ISO text (a Date would be sent in server-local time). */
type PgType = "text" | "int4" | "numeric" | "bool" | "jsonb" | "date" | "timestamp(3)" | "text[]";
/** [column, type, value, cast applied in the SELECT (enums)] */
type ColumnSpec<T> = readonly [name: string, type: PgType, get: (row: T) => unknown, cast?: string];

export async function insertRows<T>(tx: Tx, table: string, rows: readonly T[], columns: readonly ColumnSpec<T>[]): Promise<number> {
  if (rows.length === 0) return 0;
  const paramType = (type: PgType) => (type === "timestamp(3)" || type === "text[]" ? "text[]" : `${type}[]`);
  const select = columns.map(([, type, , cast], i) => {
    if (type === "timestamp(3)") return `c${i}::timestamp(3)`;
    // A text[] column arrives as one literal per row ('{a,b}') because unnest would flatten a 2-D array.
    if (type === "text[]") return `c${i}::text[]`;
    return cast ? `c${i}::${cast}` : `c${i}`;
  });
  const sql =
    `INSERT INTO "${table}" (${columns.map(([name]) => `"${name}"`).join(", ")}) ` +
    `SELECT ${select.join(", ")} FROM unnest(${columns.map(([, type], i) => `$${i + 1}::${paramType(type)}`).join(", ")}) ` +
    `AS u(${columns.map((_c, i) => `c${i}`).join(", ")})`;
  for (let start = 0; start < rows.length; start += BATCH_ROWS) {
    const batch = rows.slice(start, start + BATCH_ROWS);
    await tx.$executeRawUnsafe(sql, ...columns.map(([, type, get]) => batch.map((row) => serialize(type, get(row)))));
  }
  return rows.length;
}

function serialize(type: PgType, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (type === "timestamp(3)") return (value as Date).toISOString();
  if (type === "jsonb") return JSON.stringify(value);
  if (type === "text[]") return `{${(value as string[]).map((v) => `"${v.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`).join(",")}}`;
  return value;
}

/** Integer minor units → decimal string, digit by digit (money never goes through float division). */
function fixed(units: number, scale: number, digits: number): string {
  if (!Number.isInteger(units) || units < 0) throw new RangeError(`expected a non-negative integer amount, got ${units}`);
  return `${Math.floor(units / scale)}.${String(units % scale).padStart(digits, "0")}`;
}
export const priceString = (p: PriceUnits) => fixed(p, PRICE_SCALE, 4);
export const centsString = (c: Cents) => fixed(c, 100, 2);
/** A sell price to 2 places: the log's prices are whole pence, so nothing is lost. */
export const priceToCentsString = (p: PriceUnits) => centsString(Math.round(p / (PRICE_SCALE / 100)));

export interface WriteContext {
  shopId: string;
  id: IdFactory;
  /** Receives each table's write time in ms, for the summary. */
  timings?: Record<string, number>;
}

export async function writeDemoData(tx: Tx, data: DemoData, { shopId, id, timings = {} }: WriteContext): Promise<WriteCounts> {
  let mark = performance.now();
  const timed = async (table: string, write: () => Promise<number>) => {
    const n = await write();
    const now = performance.now();
    timings[table] = Math.round(now - mark);
    mark = now;
    return n;
  };
  const locationIds = LOCATIONS.map((l) => id("location", l.name));
  const skuIds = data.skus.map((s) => id("sku", s.stockCode));
  const supplierIds = data.suppliers.map((s) => id("supplier", s.name));
  const skuId = (rank: number) => skuIds[rank] as string;
  const locationId = (index: number) => locationIds[index] as string;
  const supplierId = (index: number) => supplierIds[index] as string;
  const supplierOf = (index: number) => data.suppliers[index] as DemoSupplier;
  const skuOf = (rank: number) => data.skus[rank] as DemoSku;
  // Every seventh supplier last confirmed its prices half a year ago: the "stale supplier data" case.
  const confirmedAt = (s: DemoSupplier) => londonToUtc(addDays(data.asOf, -(s.index % 7 === 6 ? 190 : 20 + s.index)), "11:00:00");
  const seededAt = londonToUtc(addDays(data.asOf, -1), "22:00:00");
  const shop = (): string => shopId;

  const locations = await timed("Location", () =>
    insertRows(tx, "Location", LOCATIONS, [
      ["id", "text", (l) => id("location", l.name)],
      ["shopId", "text", shop],
      ["name", "text", (l) => l.name],
      ["shopifyLocationId", "text", (l) => `gid://shopify/Location/${71_000_000_001 + LOCATIONS.indexOf(l)}`],
      ["isDefault", "bool", (l) => l.isDefault],
      ["address", "jsonb", (l) => ({ city: l.city, country: "GB" })],
    ]),
  );

  const suppliers = await timed("Supplier", () =>
    insertRows(tx, "Supplier", data.suppliers, [
      ["id", "text", (s) => supplierId(s.index)],
      ["shopId", "text", shop],
      ["name", "text", (s) => s.name],
      ["contactName", "text", (s) => s.contactName],
      ["orderEmail", "text", (s) => s.orderEmail],
      ["ccEmails", "text[]", () => []],
      ["phone", "text", (s) => s.phone],
      ["poDelivery", "text", (s) => s.poDelivery, '"PoDelivery"'],
      ["documentFormat", "text", (s) => s.documentFormat, '"DocumentFormat"'],
      ["currency", "text", () => "GBP"],
      ["paymentTermsDays", "int4", (s) => s.paymentTermsDays],
      ["depositPct", "numeric", (s) => s.depositPct.toFixed(4)],
      ["leadTimeDays", "int4", (s) => s.leadTimeDays],
      ["defaultShipMethod", "text", (s) => s.defaultShipMethod],
      ["defectRate", "numeric", (s) => s.defectRate.toFixed(4)],
      ["moqFlexibility", "numeric", (s) => s.moqFlexibility.toFixed(4)],
      ["dataConfirmedAt", "timestamp(3)", confirmedAt],
      ["createdAt", "timestamp(3)", () => seededAt],
      ["updatedAt", "timestamp(3)", () => seededAt],
    ]),
  );

  const skus = await timed("Sku", () =>
    insertRows(tx, "Sku", data.skus, [
      ["id", "text", (s) => skuId(s.rank)],
      ["shopId", "text", shop],
      ["code", "text", (s) => s.stockCode],
      ["title", "text", (s) => s.title],
      ["vendor", "text", (s) => supplierOf(s.supplier).name],
      ["barcode", "text", (s) => s.barcode],
      ["cost", "numeric", (s) => priceString(s.cost)],
      ["price", "numeric", (s) => priceToCentsString(s.price)],
      ["status", "text", (s) => s.status, '"SkuStatus"'],
      ["firstOnMarketAt", "timestamp(3)", (s) => s.firstOnMarketAt],
      ["shopifyProductId", "text", (s) => `gid://shopify/Product/${8_100_000_000 + s.rank}`],
      ["shopifyVariantId", "text", (s) => `gid://shopify/ProductVariant/${44_100_000_000 + s.rank}`],
      ["createdAt", "timestamp(3)", (s) => s.firstOnMarketAt],
      ["updatedAt", "timestamp(3)", () => seededAt],
    ]),
  );

  interface Offer {
    sku: DemoSku;
    supplier: DemoSupplier;
    unitCost: PriceUnits;
    preferred: boolean;
  }
  const offers: Offer[] = [];
  for (const sku of data.skus) {
    const supplier = supplierOf(sku.supplier);
    offers.push({ sku, supplier, unitCost: sku.cost, preferred: true });
    if (data.suppliers.length > 1 && sku.rank % ALTERNATIVE_OFFER_EVERY === 5) {
      offers.push({ sku, supplier: supplierOf((supplier.index + 1) % data.suppliers.length), unitCost: Math.round(sku.cost * ALTERNATIVE_OFFER_MARKUP), preferred: false });
    }
  }
  const supplierProducts = await timed("SupplierProduct", () =>
    insertRows(tx, "SupplierProduct", offers, [
      ["id", "text", (o) => id("supplier-product", `${o.supplier.name}|${o.sku.stockCode}`)],
      ["shopId", "text", shop],
      ["supplierId", "text", (o) => supplierId(o.supplier.index)],
      ["skuId", "text", (o) => skuId(o.sku.rank)],
      ["supplierPartNumber", "text", (o) => `${o.supplier.code}-${o.sku.stockCode}`],
      ["unitCost", "numeric", (o) => priceString(o.unitCost)],
      ["priceBreaks", "jsonb", (o) => (o.preferred ? o.sku.priceBreaks.map((b) => ({ minQuantity: b.minQuantity, unitCost: priceString(b.unitPrice) })) : [])],
      ["moq", "int4", (o) => o.sku.moq],
      ["casePack", "int4", (o) => o.sku.casePack],
      ["isPreferred", "bool", (o) => o.preferred],
      ["priceConfirmedAt", "timestamp(3)", (o) => confirmedAt(o.supplier)],
      ["createdAt", "timestamp(3)", () => seededAt],
      ["updatedAt", "timestamp(3)", () => seededAt],
    ]),
  );

  interface Listing {
    sku: DemoSku;
    channel: "SHOPIFY" | "AMAZON" | "EBAY";
    externalId: string;
    externalItemId: string;
  }
  const listingRows: Listing[] = [];
  for (const sku of data.skus) {
    listingRows.push({ sku, channel: "SHOPIFY", externalId: `gid://shopify/ProductVariant/${44_100_000_000 + sku.rank}`, externalItemId: `gid://shopify/InventoryItem/${46_100_000_000 + sku.rank}` });
    // ASIN-shaped: "B0" + 8 characters; eBay offer ids are numeric.
    if (sku.listings.amazon) listingRows.push({ sku, channel: "AMAZON", externalId: `AMZ-${sku.stockCode}`, externalItemId: `B0${sku.barcode.slice(4, 12)}` });
    if (sku.listings.ebay) listingRows.push({ sku, channel: "EBAY", externalId: `EB-${sku.stockCode}`, externalItemId: String(5_000_000_000 + sku.rank * 7919) });
  }
  const channelListings = await timed("ChannelListing", () =>
    insertRows(tx, "ChannelListing", listingRows, [
      ["id", "text", (l) => id("listing", `${l.channel}|${l.sku.stockCode}`)],
      ["shopId", "text", shop],
      ["channel", "text", (l) => l.channel, '"Channel"'],
      ["skuId", "text", (l) => skuId(l.sku.rank)],
      ["externalId", "text", (l) => l.externalId],
      ["externalItemId", "text", (l) => l.externalItemId],
      ["externalSku", "text", (l) => (l.channel === "SHOPIFY" ? l.sku.stockCode : l.externalId)],
      ["title", "text", (l) => l.sku.title],
      ["barcode", "text", (l) => l.sku.barcode],
      ["status", "text", () => "MAPPED", '"ListingStatus"'],
      ["createdAt", "timestamp(3)", () => seededAt],
      ["updatedAt", "timestamp(3)", () => seededAt],
    ]),
  );

  const orderId = (o: DemoOrder) => id("order", o.externalId);
  const salesOrders = await timed("SalesOrder", () =>
    insertRows(tx, "SalesOrder", data.orders, [
      ["id", "text", orderId],
      ["shopId", "text", shop],
      ["channel", "text", () => "SHOPIFY", '"Channel"'],
      ["externalId", "text", (o) => o.externalId],
      ["name", "text", (o) => `#${o.externalId}`],
      ["placedAt", "timestamp(3)", (o) => o.placedAt],
      ["channelUpdatedAt", "timestamp(3)", (o) => o.cancelledAt ?? o.placedAt],
      ["cancelledAt", "timestamp(3)", (o) => o.cancelledAt],
      ["financialStatus", "text", (o) => (o.cancelledAt ? "voided" : "paid")],
      ["fulfillmentStatus", "text", (o) => (o.cancelledAt ? null : "fulfilled")],
      ["customerEmail", "text", (o) => (o.customerId ? `customer-${o.customerId}@example.com` : null)],
      ["currency", "text", () => "GBP"],
      ["createdAt", "timestamp(3)", (o) => o.placedAt],
      ["updatedAt", "timestamp(3)", (o) => o.cancelledAt ?? o.placedAt],
    ]),
  );

  const orderLines = data.orders.flatMap((order) => order.lines.map((line) => ({ order, line })));
  const salesOrderLines = await timed("SalesOrderLine", () =>
    insertRows(tx, "SalesOrderLine", orderLines, [
      ["id", "text", ({ order, line }) => id("order-line", `${order.externalId}|${line.externalLineId}`)],
      ["shopId", "text", shop],
      ["orderId", "text", ({ order }) => orderId(order)],
      ["externalLineId", "text", ({ line }) => line.externalLineId],
      ["skuId", "text", ({ line }) => skuId(line.rank)],
      ["skuCode", "text", ({ line }) => skuOf(line.rank).stockCode],
      ["locationId", "text", ({ order }) => locationId(order.location)],
      ["quantity", "int4", ({ line }) => line.quantity],
      ["cancelledQuantity", "int4", ({ line }) => line.cancelledQuantity],
      ["unitPrice", "numeric", ({ line }) => line.unitPrice],
    ]),
  );

  const poId = (po: DemoPurchaseOrder) => id("purchase-order", po.number);
  const receiptId = (po: DemoPurchaseOrder) => id("receipt", po.number);
  const purchaseOrders = await timed("PurchaseOrder", () =>
    insertRows(tx, "PurchaseOrder", data.purchaseOrders, [
      ["id", "text", poId],
      ["shopId", "text", shop],
      ["number", "text", (po) => po.number],
      ["supplierId", "text", (po) => supplierId(po.supplier)],
      ["locationId", "text", (po) => locationId(po.location)],
      ["status", "text", (po) => po.status, '"PurchaseOrderStatus"'],
      ["currency", "text", () => "GBP"],
      ["subtotal", "numeric", (po) => centsString(po.subtotal)],
      ["total", "numeric", (po) => centsString(po.subtotal)],
      ["flags", "text[]", () => []],
      ["approvedBy", "text", () => "Demo merchant"],
      ["approvedAt", "timestamp(3)", (po) => po.placedAt],
      ["sentAt", "timestamp(3)", (po) => po.placedAt],
      ["acknowledgedAt", "timestamp(3)", (po) => po.acknowledgedAt],
      ["confirmedAt", "timestamp(3)", (po) => po.confirmedAt],
      ["shipMethod", "text", (po) => supplierOf(po.supplier).defaultShipMethod],
      ["expectedArrivalDate", "date", (po) => po.expectedArrivalDate],
      ["trackingNumbers", "text[]", () => []],
      ["shippedAt", "timestamp(3)", (po) => po.shippedAt],
      ["deliveredAt", "timestamp(3)", (po) => po.receivedAt],
      ["firstReceivedAt", "timestamp(3)", (po) => po.receivedAt],
      ["receivedAt", "timestamp(3)", (po) => po.receivedAt],
      ["closedAt", "timestamp(3)", (po) => (po.status === "CLOSED" ? po.receivedAt : null)],
      ["createdAt", "timestamp(3)", (po) => po.placedAt],
      ["updatedAt", "timestamp(3)", (po) => po.receivedAt],
    ]),
  );

  const poLineRows = data.purchaseOrders.flatMap((po) => po.lines.map((line) => ({ po, line, sku: skuOf(line.rank), supplier: supplierOf(po.supplier) })));
  const poLineId = (r: (typeof poLineRows)[number]) => id("po-line", `${r.po.number}|${r.sku.stockCode}`);
  const purchaseOrderLines = await timed("PurchaseOrderLine", () =>
    insertRows(tx, "PurchaseOrderLine", poLineRows, [
      ["id", "text", poLineId],
      ["shopId", "text", shop],
      ["purchaseOrderId", "text", (r) => poId(r.po)],
      ["skuId", "text", (r) => skuId(r.line.rank)],
      ["supplierPartNumber", "text", (r) => `${r.supplier.code}-${r.sku.stockCode}`],
      ["quantityOrdered", "int4", (r) => r.line.ordered],
      ["quantityReceived", "int4", (r) => r.line.received],
      ["unitCost", "numeric", (r) => priceString(r.line.unitCost)],
      ["expectedDate", "date", (r) => r.po.expectedArrivalDate],
    ]),
  );

  // The PO's history as the purchasing state machine would have logged it.
  interface EventRow {
    po: DemoPurchaseOrder;
    n: number;
    at: Date;
    type: "STATUS_CHANGE" | "EMAIL_SENT";
    actorType: "MERCHANT" | "SUPPLIER" | "SYSTEM";
    actorName: string;
    from: string | null;
    to: string | null;
    message: string;
  }
  const eventRows: EventRow[] = [];
  for (const po of data.purchaseOrders) {
    const supplier = supplierOf(po.supplier);
    const short = po.lines.some((l) => l.received < l.ordered);
    const add = (at: Date, type: EventRow["type"], actorType: EventRow["actorType"], actorName: string, from: string | null, to: string | null, message: string) =>
      eventRows.push({ po, n: eventRows.length, at, type, actorType, actorName, from, to, message });
    add(po.placedAt, "STATUS_CHANGE", "MERCHANT", "Demo merchant", "DRAFT", "SENT", "Approved and sent");
    add(po.placedAt, "EMAIL_SENT", "SYSTEM", "Replenish", null, null, `PO emailed to ${supplier.orderEmail}`);
    add(po.acknowledgedAt, "STATUS_CHANGE", "SUPPLIER", supplier.contactName, "SENT", "ACKNOWLEDGED", "Acknowledged");
    add(po.confirmedAt, "STATUS_CHANGE", "SUPPLIER", supplier.contactName, "ACKNOWLEDGED", "CONFIRMED", "Confirmed as ordered");
    add(po.shippedAt, "STATUS_CHANGE", "SUPPLIER", supplier.contactName, "CONFIRMED", "SHIPPED", "Shipped");
    add(po.receivedAt, "STATUS_CHANGE", "MERCHANT", "Warehouse team", "SHIPPED", "RECEIVED", short ? "Received; the supplier short-shipped some lines" : "Received in full");
    if (po.status === "CLOSED") add(po.receivedAt, "STATUS_CHANGE", "SYSTEM", "Replenish", "RECEIVED", "CLOSED", short ? "Closed short" : "Closed");
  }
  const purchaseOrderEvents = await timed("PurchaseOrderEvent", () =>
    insertRows(tx, "PurchaseOrderEvent", eventRows, [
      ["id", "text", (e) => id("po-event", `${e.po.number}|${e.n}`)],
      ["shopId", "text", shop],
      ["purchaseOrderId", "text", (e) => poId(e.po)],
      ["type", "text", (e) => e.type, '"PoEventType"'],
      ["actorType", "text", (e) => e.actorType, '"ActorType"'],
      ["actorName", "text", (e) => e.actorName],
      ["fromStatus", "text", (e) => e.from, '"PurchaseOrderStatus"'],
      ["toStatus", "text", (e) => e.to, '"PurchaseOrderStatus"'],
      ["message", "text", (e) => e.message],
      ["createdAt", "timestamp(3)", (e) => e.at],
    ]),
  );

  const receipts = await timed("Receipt", () =>
    insertRows(tx, "Receipt", data.purchaseOrders, [
      ["id", "text", receiptId],
      ["shopId", "text", shop],
      ["purchaseOrderId", "text", poId],
      ["locationId", "text", (po) => locationId(po.location)],
      ["status", "text", () => "POSTED", '"ReceiptStatus"'],
      ["idempotencyKey", "text", (po) => `seed:receipt:${po.number}`],
      ["receivedBy", "text", () => "Warehouse team"],
      ["receivedAt", "timestamp(3)", (po) => po.receivedAt],
      ["createdAt", "timestamp(3)", (po) => po.receivedAt],
    ]),
  );
  const receiptLines = await timed("ReceiptLine", () =>
    insertRows(tx, "ReceiptLine", poLineRows, [
      ["id", "text", (r) => id("receipt-line", `${r.po.number}|${r.sku.stockCode}`)],
      ["shopId", "text", shop],
      ["receiptId", "text", (r) => receiptId(r.po)],
      ["purchaseOrderLineId", "text", poLineId],
      ["skuId", "text", (r) => skuId(r.line.rank)],
      ["quantityReceived", "int4", (r) => r.line.received],
      ["discrepancy", "text", (r) => (r.line.received < r.line.ordered ? "SHORT" : null)],
      ["unitCost", "numeric", (r) => priceString(r.line.unitCost)],
    ]),
  );

  // The ledger: a zero level for every SKU × location first (so each pair has one, sold there or not),
  // then the movements, which the trigger adds to onHand.
  const levelRows = data.skus.flatMap((sku) => LOCATIONS.map((_l, location) => ({ sku, location })));
  const inventoryLevels = await timed("InventoryLevel", () =>
    insertRows(tx, "InventoryLevel", levelRows, [
      ["id", "text", (r) => id("inventory-level", `${r.sku.stockCode}|${r.location}`)],
      ["shopId", "text", shop],
      ["skuId", "text", (r) => skuId(r.sku.rank)],
      ["locationId", "text", (r) => locationId(r.location)],
      ["updatedAt", "timestamp(3)", () => seededAt],
    ]),
  );
  const receiptIdByNumber = new Map(data.purchaseOrders.map((po) => [po.number, receiptId(po)]));
  const inventoryMovements = await timed("InventoryMovement", () =>
    insertRows(tx, "InventoryMovement", data.movements, [
      ["id", "text", (m) => id("movement", m.idempotencyKey)],
      ["shopId", "text", shop],
      ["skuId", "text", (m) => skuId(m.rank)],
      ["locationId", "text", (m) => locationId(m.location)],
      ["kind", "text", (m) => m.kind, '"MovementKind"'],
      ["quantity", "int4", (m) => m.quantity],
      ["sourceType", "text", (m) => (m.kind === "INITIAL" ? "SEED" : m.kind === "SALE" ? "ORDER" : "RECEIPT")],
      ["sourceId", "text", (m) => (m.poNumber ? receiptIdByNumber.get(m.poNumber) : null)],
      ["idempotencyKey", "text", (m) => m.idempotencyKey],
      ["note", "text", (m) => (m.kind === "INITIAL" ? "Opening stock" : m.kind === "SALE" ? "Day's orders" : `Received on ${m.poNumber}`)],
      ["occurredAt", "timestamp(3)", (m) => m.occurredAt],
      ["createdAt", "timestamp(3)", (m) => m.occurredAt],
    ]),
  );

  const dailyDemand = await timed("DailyDemand", () =>
    insertRows(tx, "DailyDemand", data.dailyDemand, [
      ["id", "text", (r) => id("daily-demand", `${skuOf(r.rank).stockCode}|${r.location}|${r.day}`)],
      ["shopId", "text", shop],
      ["skuId", "text", (r) => skuId(r.rank)],
      ["locationId", "text", (r) => locationId(r.location)],
      ["day", "date", (r) => r.day],
      ["units", "int4", (r) => r.units],
      ["revenue", "numeric", (r) => centsString(r.revenue)],
      ["orderCount", "int4", (r) => r.orderCount],
      ["largestOrderUnits", "int4", (r) => r.largestOrderUnits],
      ["channelUnits", "jsonb", (r) => (r.units > 0 ? { SHOPIFY: r.units } : {})],
      ["outOfStock", "bool", (r) => r.outOfStock],
      ["closingOnHand", "int4", (r) => r.closingOnHand],
    ]),
  );

  const documentSequences = await timed("DocumentSequence", () =>
    insertRows(tx, "DocumentSequence", data.poSequences, [
      ["shopId", "text", shop],
      ["kind", "text", () => "PO"],
      ["year", "int4", (s) => s.year],
      ["lastValue", "int4", (s) => s.lastValue],
    ]),
  );

  return {
    locations, skus, suppliers, supplierProducts, channelListings, salesOrders, salesOrderLines, inventoryLevels, inventoryMovements,
    dailyDemand, purchaseOrders, purchaseOrderLines, purchaseOrderEvents, receipts, receiptLines, documentSequences,
  };
}
