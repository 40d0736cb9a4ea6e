// A small shop whose every dashboard figure can be worked out by hand: SKUs that sell out and come back
// on known shop days (movements placed near midnight in New York, so the time zone matters), a reorder
// run with forecasts and classes, POs placed this month and last, review items, a channel with drift,
// and shoppers waiting for a restock. The raw inputs are returned so tests recompute the answers.
import type { PurchaseOrderStatus, ReviewKind, SkuStatus } from "@prisma/client";
import { prisma } from "#app/db.server.ts";
import { createLocation, createShop, createSku, createSupplier, recordMovement } from "#tests/factories/index.ts";

export const TIMEZONE = "America/New_York";
/** 11:00 in New York on 2026-03-15. */
export const NOW = new Date("2026-03-15T15:00:00Z");

export type SeedSku = {
  code: string;
  status: SkuStatus;
  cost: string | null;
  price: string;
  createdAt: Date;
  abcClass: string | null;
  /** Forecast per location (two locations at most). */
  forecast: [number, number];
  moves: [loc: 0 | 1, quantity: number, occurredAt: string][];
};

export const SKUS: SeedSku[] = [
  // Sells out at 23:00 on 9 March in New York (03:00 UTC on the 10th).
  { code: "A", status: "ACTIVE", cost: "2.0000", price: "10.00", createdAt: new Date("2026-01-01T12:00:00Z"), abcClass: "A", forecast: [1.5, 0.5], moves: [[0, 10, "2026-01-05T15:00:00Z"], [0, -10, "2026-03-10T03:00:00Z"]] },
  // Out from 1 March to 11 March, then restocked at the other location.
  { code: "B", status: "ACTIVE", cost: "1.0000", price: "4.00", createdAt: new Date("2026-01-01T12:00:00Z"), abcClass: "A", forecast: [1, 0], moves: [[0, 5, "2026-01-05T15:00:00Z"], [0, -5, "2026-03-01T12:00:00Z"], [1, 8, "2026-03-12T12:00:00Z"]] },
  // Oversold at one place, in stock at the other: in stock.
  { code: "C", status: "SEASONAL", cost: "3.0000", price: "9.00", createdAt: new Date("2026-01-01T12:00:00Z"), abcClass: "B", forecast: [0.2, 0], moves: [[0, 4, "2026-01-05T15:00:00Z"], [1, -2, "2026-02-01T15:00:00Z"]] },
  // Never stocked.
  { code: "D", status: "ACTIVE", cost: "5.0000", price: "20.00", createdAt: new Date("2026-01-01T12:00:00Z"), abcClass: "C", forecast: [0.1, 0], moves: [] },
  // Discontinued and empty: not a stock-out.
  { code: "E", status: "DISCONTINUED", cost: "9.0000", price: "30.00", createdAt: new Date("2026-01-01T12:00:00Z"), abcClass: "C", forecast: [0, 0], moves: [] },
  // No cost: its units count, its value cannot.
  { code: "F", status: "ACTIVE", cost: null, price: "6.00", createdAt: new Date("2026-01-01T12:00:00Z"), abcClass: "B", forecast: [0.5, 0], moves: [[0, 6, "2026-01-05T15:00:00Z"]] },
  // New on 5 March, stocked on the 6th.
  { code: "G", status: "ACTIVE", cost: "1.5000", price: "5.00", createdAt: new Date("2026-03-05T15:00:00Z"), abcClass: null, forecast: [0, 0], moves: [[0, 3, "2026-03-06T15:00:00Z"]] },
];

export type SeedPo = { number: string; status: PurchaseOrderStatus; total: string; currency: string; sentAt: string | null; createdAt: string; receivedAt?: string };

export const POS: SeedPo[] = [
  { number: "PO-1", status: "DRAFT", total: "40.00", currency: "USD", sentAt: null, createdAt: "2026-03-14T15:00:00Z" },
  { number: "PO-2", status: "SENT", total: "100.00", currency: "USD", sentAt: "2026-03-10T15:00:00Z", createdAt: "2026-03-09T15:00:00Z" },
  { number: "PO-3", status: "CONFIRMED", total: "50.00", currency: "EUR", sentAt: "2026-03-02T15:00:00Z", createdAt: "2026-03-02T15:00:00Z" },
  // Sent at 22:00 on 28 February in New York: last month's spend.
  { number: "PO-4", status: "SHIPPED", total: "70.00", currency: "USD", sentAt: "2026-03-01T03:00:00Z", createdAt: "2026-02-27T15:00:00Z" },
  { number: "PO-5", status: "RECEIVED", total: "200.00", currency: "USD", sentAt: "2026-02-10T15:00:00Z", createdAt: "2026-02-09T15:00:00Z", receivedAt: "2026-03-04T15:00:00Z" },
  { number: "PO-6", status: "CANCELLED", total: "999.00", currency: "USD", sentAt: "2026-03-11T15:00:00Z", createdAt: "2026-03-11T15:00:00Z" },
  // Placed in January: in neither month.
  { number: "PO-7", status: "CLOSED", total: "30.00", currency: "USD", sentAt: "2026-01-20T15:00:00Z", createdAt: "2026-01-20T15:00:00Z" },
];

export const REVIEWS: { kind: ReviewKind; status: "OPEN" | "RESOLVED" }[] = [
  { kind: "LATE_SHIPMENT", status: "OPEN" },
  { kind: "CHANNEL_ERROR", status: "OPEN" },
  { kind: "CHANNEL_ERROR", status: "OPEN" },
  { kind: "VELOCITY_CHANGE", status: "RESOLVED" },
];

export async function seedOversightShop(overrides: Parameters<typeof createShop>[0] = {}) {
  const shop = await createShop({ timezone: TIMEZONE, currency: "USD", ...overrides });
  const locations = [await createLocation({ shopId: shop.id, name: "Main" }), await createLocation({ shopId: shop.id, name: "Annex" })];
  const skuIds = new Map<string, string>();
  const run = await prisma.reorderRun.create({ data: { shopId: shop.id, asOf: new Date("2026-03-15"), trigger: "NIGHTLY", status: "COMPLETED", startedAt: new Date("2026-03-15T05:00:00Z"), skuCount: SKUS.length, suggestionCount: SKUS.length } });
  // An older run whose forecasts must not be used.
  const oldRun = await prisma.reorderRun.create({ data: { shopId: shop.id, asOf: new Date("2026-03-01"), trigger: "NIGHTLY", status: "COMPLETED", startedAt: new Date("2026-03-01T05:00:00Z") } });
  let n = 0;
  for (const item of SKUS) {
    const sku = await createSku({ shopId: shop.id, code: item.code, status: item.status, cost: item.cost, price: item.price, createdAt: item.createdAt });
    skuIds.set(item.code, sku.id);
    for (const [loc, quantity, at] of item.moves) {
      await recordMovement({ shopId: shop.id, skuId: sku.id, locationId: locations[loc]!.id, quantity, kind: quantity > 0 ? "INITIAL" : "SALE", occurredAt: new Date(at), idempotencyKey: `seed-${item.code}-${n++}` });
    }
    for (const [i, forecast] of item.forecast.entries()) {
      for (const [r, f] of [[run, forecast], [oldRun, 50]] as const) {
        await prisma.reorderSuggestion.create({
          data: {
            shopId: shop.id, runId: r.id, skuId: sku.id, locationId: locations[i]!.id, action: "NONE", quantity: 0, rawQuantity: "0",
            dailyForecast: String(f), safetyStock: "1", reorderPoint: "2", targetStock: "3", stockPosition: 0, abcClass: item.abcClass,
            explanation: { forecast: { dailyRate: f, dailyStdDev: 0.5 } }, explanationText: "seeded",
          },
        });
      }
    }
  }

  const supplier = await createSupplier({ shopId: shop.id });
  for (const po of POS) {
    await prisma.purchaseOrder.create({
      data: {
        shopId: shop.id, supplierId: supplier.id, locationId: locations[0]!.id, number: po.number, status: po.status, total: po.total, subtotal: po.total, currency: po.currency,
        sentAt: po.sentAt ? new Date(po.sentAt) : null, createdAt: new Date(po.createdAt), receivedAt: po.receivedAt ? new Date(po.receivedAt) : null,
        cancelledAt: po.status === "CANCELLED" ? new Date(po.createdAt) : null, closedAt: po.status === "CLOSED" ? new Date("2026-02-10T15:00:00Z") : null,
      },
    });
  }

  for (const [i, review] of REVIEWS.entries()) {
    await prisma.reviewItem.create({ data: { shopId: shop.id, kind: review.kind, status: review.status, subjectType: "CHANNEL", subjectId: `s${i}`, reason: "seeded", dedupeKey: `seed-${i}` } });
  }

  // Installed: Shopify gave the app its offline session (without it the channel is "not connected yet").
  await prisma.session.create({ data: { id: `offline_${shop.domain}`, shop: shop.domain, state: "", isOnline: false, accessToken: "token" } });
  await prisma.channelConnection.create({ data: { shopId: shop.id, channel: "SHOPIFY", status: "CONNECTED", lastOrderSyncAt: new Date("2026-03-15T14:45:00Z"), lastStockSyncAt: new Date("2026-03-15T14:30:00Z") } });
  await prisma.channelConnection.create({ data: { shopId: shop.id, channel: "AMAZON", status: "ERROR", lastError: "token expired", lastOrderSyncAt: new Date("2026-03-14T10:00:00Z") } });
  const listing = (channel: "SHOPIFY" | "AMAZON", externalId: string, code: string | null, known: number | null, pushed: number | null, fba = false) =>
    prisma.channelListing.create({
      data: { shopId: shop.id, channel, externalId, skuId: code ? skuIds.get(code)! : null, status: code ? "MAPPED" : "UNMAPPED", lastKnownQuantity: known, lastPushedQuantity: pushed, fulfilledByChannel: fba },
    });
  await listing("SHOPIFY", "s-a", "A", 0, 0);
  await listing("SHOPIFY", "s-b", "B", 5, 8); // drifted
  await listing("SHOPIFY", "s-c", "C", 4, null); // never pushed: no drift to speak of
  await listing("SHOPIFY", "s-x", null, 3, null); // unmapped
  await listing("AMAZON", "a-a", "A", 2, 0); // drifted
  await listing("AMAZON", "a-f", "F", 9, 1, true); // FBA: Amazon's own stock, never drift

  const subscribe = (code: string, contact: string, status: "ACTIVE" | "NOTIFIED") =>
    prisma.backInStockSubscription.create({
      data: { shopId: shop.id, skuId: skuIds.get(code)!, contactType: "EMAIL", contact, status, consentAt: NOW, consentText: "ok", unsubscribeToken: `${shop.id}-${code}-${contact}` },
    });
  await subscribe("A", "one@example.test", "ACTIVE");
  await subscribe("A", "two@example.test", "ACTIVE");
  await subscribe("D", "one@example.test", "ACTIVE");
  await subscribe("B", "three@example.test", "NOTIFIED");

  return { shop, locations, skuIds };
}

// ───────────────────────────── Independent answers (no SQL, no app code) ─────────────────────────────

/** The calendar day of an instant in New York, via Intl (the app does it in SQL). */
export function nyDay(at: Date | string): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: TIMEZONE, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(at));
}

export function addDay(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Units held per location of a SKU at the end of a New York day. */
export function heldAt(item: SeedSku, day: string): number {
  const byLoc = [0, 0];
  for (const [loc, quantity, at] of item.moves) if (nyDay(at) <= day) byLoc[loc]! += quantity;
  return byLoc.filter((q) => q > 0).reduce((a, b) => a + b, 0);
}

export function countedOn(item: SeedSku, day: string): boolean {
  if (item.status !== "ACTIVE" && item.status !== "SEASONAL") return false;
  const first = [nyDay(item.createdAt), ...item.moves.map(([, , at]) => nyDay(at))].sort()[0]!;
  return first <= day;
}
