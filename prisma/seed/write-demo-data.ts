/**
 * Writes derived demo data (derive-demo-data.ts) for one shop, inside the caller's transaction.
 *
 * Every table goes through insertRows (one JSON parameter per BATCH_ROWS rows): Prisma's createMany was
 * 5–10× slower here (one bound parameter per value), and the big tables hold 60–190k rows.
 * Stock is written only as InventoryMovement rows; the ledger trigger maintains InventoryLevel.onHand.
 * Ids come from createIdFactory (deterministic per shop domain).
 */
import { addDays } from "#app/domain/shared/day.ts";
import { PRICE_SCALE, type Cents, type PriceUnits } from "#app/domain/shared/money.ts";
import { londonToUtc } from "./calendar.ts";
import { LOCATIONS, type DemoData, type DemoOrder, type DemoPurchaseOrder, type DemoSku } from "./derive-demo-data.ts";
import type { IdFactory } from "./ids.ts";
import type { SqlSession } from "./sql-session.ts";
import type { DemoSupplier } from "./suppliers.ts";

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

/** [column, value]: the value as JSON (Dates become ISO strings, which Postgres reads as UTC timestamps). */
type ColumnSpec<T> = readonly [name: string, get: (row: T) => unknown];

/**
 * Inserts rows as one JSON document per batch, typed by the table's own row type:
 * `INSERT INTO "T" (cols) SELECT cols FROM json_populate_recordset(NULL::"T", $1::json)`. Postgres casts
 * each field to its column type (enums, numeric, date, timestamp, jsonb, text[]); columns left out keep
 * their defaults. One text parameter per batch keeps the driver and Prisma out of the per-value work,
 * which dominated the seed's own CPU time with one array parameter per column.
 */
export async function insertRows<T>(tx: SqlSession, table: string, rows: readonly T[], columns: readonly ColumnSpec<T>[]): Promise<number> {
  if (rows.length === 0) return 0;
  const names = columns.map(([name]) => `"${name}"`).join(", ");
  const sql = `INSERT INTO "${table}" (${names}) SELECT ${names} FROM json_populate_recordset(NULL::"${table}", $1::json)`;
  for (let start = 0; start < rows.length; start += BATCH_ROWS) {
    const batch = rows.slice(start, start + BATCH_ROWS).map((row) => {
      const record: Record<string, unknown> = {};
      for (const [name, get] of columns) record[name] = get(row);
      return record;
    });
    await tx.execute(sql, [JSON.stringify(batch)]);
  }
  return rows.length;
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

export async function writeDemoData(tx: SqlSession, data: DemoData, { shopId, id, timings = {} }: WriteContext): Promise<WriteCounts> {
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
      ["id", (l) => id("location", l.name)],
      ["shopId", shop],
      ["name", (l) => l.name],
      ["shopifyLocationId", (l) => `gid://shopify/Location/${71_000_000_001 + LOCATIONS.indexOf(l)}`],
      ["isDefault", (l) => l.isDefault],
      ["address", (l) => ({ city: l.city, country: "GB" })],
    ]),
  );

  const suppliers = await timed("Supplier", () =>
    insertRows(tx, "Supplier", data.suppliers, [
      ["id", (s) => supplierId(s.index)],
      ["shopId", shop],
      ["name", (s) => s.name],
      ["contactName", (s) => s.contactName],
      ["orderEmail", (s) => s.orderEmail],
      ["ccEmails", () => []],
      ["phone", (s) => s.phone],
      ["poDelivery", (s) => s.poDelivery],
      ["documentFormat", (s) => s.documentFormat],
      ["currency", () => "GBP"],
      ["paymentTermsDays", (s) => s.paymentTermsDays],
      ["depositPct", (s) => s.depositPct.toFixed(4)],
      ["leadTimeDays", (s) => s.leadTimeDays],
      ["defaultShipMethod", (s) => s.defaultShipMethod],
      ["defectRate", (s) => s.defectRate.toFixed(4)],
      ["moqFlexibility", (s) => s.moqFlexibility.toFixed(4)],
      ["dataConfirmedAt", confirmedAt],
      ["createdAt", () => seededAt],
      ["updatedAt", () => seededAt],
    ]),
  );

  const skus = await timed("Sku", () =>
    insertRows(tx, "Sku", data.skus, [
      ["id", (s) => skuId(s.rank)],
      ["shopId", shop],
      ["code", (s) => s.stockCode],
      ["title", (s) => s.title],
      ["vendor", (s) => supplierOf(s.supplier).name],
      ["barcode", (s) => s.barcode],
      ["cost", (s) => priceString(s.cost)],
      ["price", (s) => priceToCentsString(s.price)],
      ["status", (s) => s.status],
      ["firstOnMarketAt", (s) => s.firstOnMarketAt],
      ["shopifyProductId", (s) => `gid://shopify/Product/${8_100_000_000 + s.rank}`],
      ["shopifyVariantId", (s) => `gid://shopify/ProductVariant/${44_100_000_000 + s.rank}`],
      ["createdAt", (s) => s.firstOnMarketAt],
      ["updatedAt", () => seededAt],
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
      ["id", (o) => id("supplier-product", `${o.supplier.name}|${o.sku.stockCode}`)],
      ["shopId", shop],
      ["supplierId", (o) => supplierId(o.supplier.index)],
      ["skuId", (o) => skuId(o.sku.rank)],
      ["supplierPartNumber", (o) => `${o.supplier.code}-${o.sku.stockCode}`],
      ["unitCost", (o) => priceString(o.unitCost)],
      ["priceBreaks", (o) => (o.preferred ? o.sku.priceBreaks.map((b) => ({ minQuantity: b.minQuantity, unitCost: priceString(b.unitPrice) })) : [])],
      ["moq", (o) => o.sku.moq],
      ["casePack", (o) => o.sku.casePack],
      ["isPreferred", (o) => o.preferred],
      ["priceConfirmedAt", (o) => confirmedAt(o.supplier)],
      ["createdAt", () => seededAt],
      ["updatedAt", () => seededAt],
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
      ["id", (l) => id("listing", `${l.channel}|${l.sku.stockCode}`)],
      ["shopId", shop],
      ["channel", (l) => l.channel],
      ["skuId", (l) => skuId(l.sku.rank)],
      ["externalId", (l) => l.externalId],
      ["externalItemId", (l) => l.externalItemId],
      ["externalSku", (l) => (l.channel === "SHOPIFY" ? l.sku.stockCode : l.externalId)],
      ["title", (l) => l.sku.title],
      ["barcode", (l) => l.sku.barcode],
      ["status", () => "MAPPED"],
      ["createdAt", () => seededAt],
      ["updatedAt", () => seededAt],
    ]),
  );

  const orderId = (o: DemoOrder) => id("order", o.externalId);
  const salesOrders = await timed("SalesOrder", () =>
    insertRows(tx, "SalesOrder", data.orders, [
      ["id", orderId],
      ["shopId", shop],
      ["channel", () => "SHOPIFY"],
      ["externalId", (o) => o.externalId],
      ["name", (o) => `#${o.externalId}`],
      ["placedAt", (o) => o.placedAt],
      ["channelUpdatedAt", (o) => o.cancelledAt ?? o.placedAt],
      ["cancelledAt", (o) => o.cancelledAt],
      ["financialStatus", (o) => (o.cancelledAt ? "voided" : "paid")],
      ["fulfillmentStatus", (o) => (o.cancelledAt ? null : "fulfilled")],
      ["customerEmail", (o) => (o.customerId ? `customer-${o.customerId}@example.com` : null)],
      ["currency", () => "GBP"],
      ["createdAt", (o) => o.placedAt],
      ["updatedAt", (o) => o.cancelledAt ?? o.placedAt],
    ]),
  );

  const orderLines = data.orders.flatMap((order) => order.lines.map((line) => ({ order, line })));
  const salesOrderLines = await timed("SalesOrderLine", () =>
    insertRows(tx, "SalesOrderLine", orderLines, [
      ["id", ({ order, line }) => id("order-line", `${order.externalId}|${line.externalLineId}`)],
      ["shopId", shop],
      ["orderId", ({ order }) => orderId(order)],
      ["externalLineId", ({ line }) => line.externalLineId],
      ["skuId", ({ line }) => skuId(line.rank)],
      ["skuCode", ({ line }) => skuOf(line.rank).stockCode],
      ["locationId", ({ order }) => locationId(order.location)],
      ["quantity", ({ line }) => line.quantity],
      ["cancelledQuantity", ({ line }) => line.cancelledQuantity],
      ["unitPrice", ({ line }) => line.unitPrice],
    ]),
  );

  const poId = (po: DemoPurchaseOrder) => id("purchase-order", po.number);
  const receiptId = (po: DemoPurchaseOrder) => id("receipt", po.number);
  const purchaseOrders = await timed("PurchaseOrder", () =>
    insertRows(tx, "PurchaseOrder", data.purchaseOrders, [
      ["id", poId],
      ["shopId", shop],
      ["number", (po) => po.number],
      ["supplierId", (po) => supplierId(po.supplier)],
      ["locationId", (po) => locationId(po.location)],
      ["status", (po) => po.status],
      ["currency", () => "GBP"],
      ["subtotal", (po) => centsString(po.subtotal)],
      ["total", (po) => centsString(po.subtotal)],
      ["flags", () => []],
      ["approvedBy", () => "Demo merchant"],
      ["approvedAt", (po) => po.placedAt],
      ["sentAt", (po) => po.placedAt],
      ["acknowledgedAt", (po) => po.acknowledgedAt],
      ["confirmedAt", (po) => po.confirmedAt],
      ["shipMethod", (po) => supplierOf(po.supplier).defaultShipMethod],
      ["expectedArrivalDate", (po) => po.expectedArrivalDate],
      ["trackingNumbers", () => []],
      ["shippedAt", (po) => po.shippedAt],
      ["deliveredAt", (po) => po.receivedAt],
      ["firstReceivedAt", (po) => po.receivedAt],
      ["receivedAt", (po) => po.receivedAt],
      ["closedAt", (po) => (po.status === "CLOSED" ? po.receivedAt : null)],
      ["createdAt", (po) => po.placedAt],
      ["updatedAt", (po) => po.receivedAt],
    ]),
  );

  const poLineRows = data.purchaseOrders.flatMap((po) => po.lines.map((line) => ({ po, line, sku: skuOf(line.rank), supplier: supplierOf(po.supplier) })));
  const poLineId = (r: (typeof poLineRows)[number]) => id("po-line", `${r.po.number}|${r.sku.stockCode}`);
  const purchaseOrderLines = await timed("PurchaseOrderLine", () =>
    insertRows(tx, "PurchaseOrderLine", poLineRows, [
      ["id", poLineId],
      ["shopId", shop],
      ["purchaseOrderId", (r) => poId(r.po)],
      ["skuId", (r) => skuId(r.line.rank)],
      ["supplierPartNumber", (r) => `${r.supplier.code}-${r.sku.stockCode}`],
      ["quantityOrdered", (r) => r.line.ordered],
      ["quantityReceived", (r) => r.line.received],
      ["unitCost", (r) => priceString(r.line.unitCost)],
      ["expectedDate", (r) => r.po.expectedArrivalDate],
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
      ["id", (e) => id("po-event", `${e.po.number}|${e.n}`)],
      ["shopId", shop],
      ["purchaseOrderId", (e) => poId(e.po)],
      ["type", (e) => e.type],
      ["actorType", (e) => e.actorType],
      ["actorName", (e) => e.actorName],
      ["fromStatus", (e) => e.from],
      ["toStatus", (e) => e.to],
      ["message", (e) => e.message],
      ["createdAt", (e) => e.at],
    ]),
  );

  const receipts = await timed("Receipt", () =>
    insertRows(tx, "Receipt", data.purchaseOrders, [
      ["id", receiptId],
      ["shopId", shop],
      ["purchaseOrderId", poId],
      ["locationId", (po) => locationId(po.location)],
      ["status", () => "POSTED"],
      ["idempotencyKey", (po) => `seed:receipt:${po.number}`],
      ["receivedBy", () => "Warehouse team"],
      ["receivedAt", (po) => po.receivedAt],
      ["createdAt", (po) => po.receivedAt],
    ]),
  );
  const receiptLines = await timed("ReceiptLine", () =>
    insertRows(tx, "ReceiptLine", poLineRows, [
      ["id", (r) => id("receipt-line", `${r.po.number}|${r.sku.stockCode}`)],
      ["shopId", shop],
      ["receiptId", (r) => receiptId(r.po)],
      ["purchaseOrderLineId", poLineId],
      ["skuId", (r) => skuId(r.line.rank)],
      ["quantityReceived", (r) => r.line.received],
      ["discrepancy", (r) => (r.line.received < r.line.ordered ? "SHORT" : null)],
      ["unitCost", (r) => priceString(r.line.unitCost)],
    ]),
  );

  // The ledger: a zero level for every SKU × location first (so each pair has one, sold there or not),
  // then the movements, which the trigger adds to onHand.
  const levelRows = data.skus.flatMap((sku) => LOCATIONS.map((_l, location) => ({ sku, location })));
  const inventoryLevels = await timed("InventoryLevel", () =>
    insertRows(tx, "InventoryLevel", levelRows, [
      ["id", (r) => id("inventory-level", `${r.sku.stockCode}|${r.location}`)],
      ["shopId", shop],
      ["skuId", (r) => skuId(r.sku.rank)],
      ["locationId", (r) => locationId(r.location)],
      ["updatedAt", () => seededAt],
    ]),
  );
  const receiptIdByNumber = new Map(data.purchaseOrders.map((po) => [po.number, receiptId(po)]));
  const inventoryMovements = await timed("InventoryMovement", () =>
    insertRows(tx, "InventoryMovement", data.movements, [
      ["id", (m) => id("movement", m.idempotencyKey)],
      ["shopId", shop],
      ["skuId", (m) => skuId(m.rank)],
      ["locationId", (m) => locationId(m.location)],
      ["kind", (m) => m.kind],
      ["quantity", (m) => m.quantity],
      ["sourceType", (m) => (m.kind === "INITIAL" ? "SEED" : m.kind === "SALE" ? "ORDER" : "RECEIPT")],
      ["sourceId", (m) => (m.poNumber ? receiptIdByNumber.get(m.poNumber) : null)],
      ["idempotencyKey", (m) => m.idempotencyKey],
      ["note", (m) => (m.kind === "INITIAL" ? "Opening stock" : m.kind === "SALE" ? "Day's orders" : `Received on ${m.poNumber}`)],
      ["occurredAt", (m) => m.occurredAt],
      ["createdAt", (m) => m.occurredAt],
    ]),
  );

  const dailyDemand = await timed("DailyDemand", () =>
    insertRows(tx, "DailyDemand", data.dailyDemand, [
      ["id", (r) => id("daily-demand", `${skuOf(r.rank).stockCode}|${r.location}|${r.day}`)],
      ["shopId", shop],
      ["skuId", (r) => skuId(r.rank)],
      ["locationId", (r) => locationId(r.location)],
      ["day", (r) => r.day],
      ["units", (r) => r.units],
      ["revenue", (r) => centsString(r.revenue)],
      ["orderCount", (r) => r.orderCount],
      ["largestOrderUnits", (r) => r.largestOrderUnits],
      ["channelUnits", (r) => (r.units > 0 ? { SHOPIFY: r.units } : {})],
      ["outOfStock", (r) => r.outOfStock],
      ["closingOnHand", (r) => r.closingOnHand],
    ]),
  );

  const documentSequences = await timed("DocumentSequence", () =>
    insertRows(tx, "DocumentSequence", data.poSequences, [
      ["shopId", shop],
      ["kind", () => "PO"],
      ["year", (s) => s.year],
      ["lastValue", (s) => s.lastValue],
    ]),
  );

  return {
    locations, skus, suppliers, supplierProducts, channelListings, salesOrders, salesOrderLines, inventoryLevels, inventoryMovements,
    dailyDemand, purchaseOrders, purchaseOrderLines, purchaseOrderEvents, receipts, receiptLines, documentSequences,
  };
}
