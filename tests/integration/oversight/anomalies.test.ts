// The anomaly detectors on a shop holding one case of each kind next to near-misses: what opens, that a
// second run changes nothing, that items resolve once their cause is gone, and the queue page's actions.
import type { ReviewKind } from "@prisma/client";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { action, loader } from "#app/routes/app.anomalies.tsx";
import { detectAnomalies } from "#app/services/anomalies.server.ts";
import { resetDatabase } from "#tests/setup/db.ts";
import { createLocation, createSku, createSupplier, createSupplierProduct } from "#tests/factories/index.ts";
import { callAction, callLoader, createDemoShop, unwrap, useDemoMode } from "../routes/helpers.ts";

beforeAll(useDemoMode);
beforeEach(resetDatabase);

const NOW = new Date("2026-03-15T12:00:00Z");
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000);

async function seed() {
  const shop = await createDemoShop({ timezone: "UTC" });
  const location = await createLocation({ shopId: shop.id });
  const stale = await createSupplier({ shopId: shop.id, name: "Stale Co", dataConfirmedAt: new Date("2025-12-01T00:00:00Z") }); // 104 days
  const fresh = await createSupplier({ shopId: shop.id, name: "Fresh Co", dataConfirmedAt: new Date("2026-01-01T00:00:00Z") }); // 73 days
  await createSupplier({ shopId: shop.id, name: "No products", dataConfirmedAt: null, createdAt: new Date("2025-01-01T00:00:00Z") });
  const po = async (number: string, status: "SENT" | "CONFIRMED" | "SHIPPED" | "RECEIVED" | "AWAITING_APPROVAL", extra: { sentAt?: Date; eta?: string } = {}) =>
    prisma.purchaseOrder.create({
      data: { shopId: shop.id, number, status, supplierId: fresh.id, locationId: location.id, total: "10", subtotal: "10", sentAt: extra.sentAt ?? null, expectedArrivalDate: extra.eta ? new Date(extra.eta) : null },
    });
  const silent = await po("PO-SILENT", "SENT", { sentAt: hoursAgo(49) });
  await po("PO-RECENT", "SENT", { sentAt: hoursAgo(47) });
  const late = await po("PO-LATE", "CONFIRMED", { sentAt: hoursAgo(500), eta: "2026-03-14" });
  await po("PO-DUE-TODAY", "SHIPPED", { sentAt: hoursAgo(500), eta: "2026-03-15" });
  await po("PO-DONE", "RECEIVED", { sentAt: hoursAgo(500), eta: "2026-03-01" });
  const waiting = await po("PO-WAITING", "AWAITING_APPROVAL");
  const approved = await po("PO-APPROVED", "CONFIRMED", { sentAt: hoursAgo(10), eta: "2026-04-01" });
  for (const p of [waiting, approved]) {
    await prisma.reviewItem.create({ data: { shopId: shop.id, kind: "FLAGGED_PO", subjectType: "PURCHASE_ORDER", subjectId: p.id, dedupeKey: `flagged-po-${p.id}-low_margin`, reason: "flagged", details: { flags: [{ code: "low_margin", message: "margin 3%" }] } } });
  }

  // Channels: Amazon in error; a Shopify listing whose last push failed, one that failed and then succeeded.
  await prisma.channelConnection.create({ data: { shopId: shop.id, channel: "AMAZON", status: "ERROR", lastError: "LWA token refused" } });
  await prisma.channelConnection.create({ data: { shopId: shop.id, channel: "SHOPIFY", status: "CONNECTED" } });
  const sku = await createSku({ shopId: shop.id, code: "MAPPED" });
  const listing = (externalId: string, status: "MAPPED" | "UNMAPPED" | "IGNORED") =>
    prisma.channelListing.create({ data: { shopId: shop.id, channel: "SHOPIFY", externalId, externalSku: externalId, status, skuId: status === "MAPPED" ? sku.id : null } });
  const failing = await listing("FAILING", "MAPPED");
  const recovered = await listing("RECOVERED", "MAPPED");
  const unmappedA = await listing("UNMAPPED-A", "UNMAPPED");
  const unmappedB = await listing("UNMAPPED-B", "UNMAPPED");
  await listing("IGNORED", "IGNORED");
  const push = (l: { id: string }, status: "FAILED" | "SUCCEEDED", at: Date, key: string) =>
    prisma.channelPush.create({ data: { shopId: shop.id, listingId: l.id, channel: "SHOPIFY", quantity: 3, status, idempotencyKey: key, requestedAt: at, error: status === "FAILED" ? "422 invalid quantity" : null } });
  await push(recovered, "FAILED", hoursAgo(3), "r1");
  await push(recovered, "SUCCEEDED", hoursAgo(2), "r2");
  await push(failing, "SUCCEEDED", hoursAgo(4), "f0");
  await push(failing, "FAILED", hoursAgo(1), "f1");
  // The item the stock push opened for the recovered listing: the detector closes it.
  await prisma.reviewItem.create({ data: { shopId: shop.id, kind: "CHANNEL_ERROR", subjectType: "LISTING", subjectId: recovered.id, dedupeKey: `channel-error-listing-${recovered.id}`, reason: "rejected" } });

  // Velocity: each SKU's forecast and σd from the latest run against its sales on 8–14 March.
  // The forecast compared is the one made before the window (7 March), not one that already saw it.
  const run = await prisma.reorderRun.create({ data: { shopId: shop.id, asOf: new Date("2026-03-07"), trigger: "NIGHTLY", status: "COMPLETED", startedAt: new Date("2026-03-07T00:05:00Z") } });
  const velocitySku = async (code: string, forecast: number, sigma: number, daily: number[], outOfStock = false) => {
    const s = await createSku({ shopId: shop.id, code });
    await createSupplierProduct({ shopId: shop.id, supplierId: fresh.id, skuId: s.id });
    await prisma.reorderSuggestion.create({
      data: {
        shopId: shop.id, runId: run.id, skuId: s.id, locationId: location.id, action: "NONE", quantity: 0, rawQuantity: "0", dailyForecast: String(forecast),
        safetyStock: "1", reorderPoint: "1", targetStock: "1", stockPosition: 5, abcClass: "A", explanation: { forecast: { dailyRate: forecast, dailyStdDev: sigma } }, explanationText: "x",
      },
    });
    for (const [i, units] of daily.entries()) {
      await prisma.dailyDemand.create({ data: { shopId: shop.id, skuId: s.id, locationId: location.id, day: new Date(Date.UTC(2026, 2, 8 + i)), units, outOfStock } });
    }
    return s;
  };
  const surge = await velocitySku("SURGE", 2, 1, [2, 3, 2, 8, 9, 8, 8]); // 40 vs 14 ± 7.9
  await velocitySku("STEADY", 2, 1, [2, 2, 2, 2, 2, 2, 2]);
  await velocitySku("SOLD-OUT", 3, 0.5, [0, 0, 0, 0, 0, 0, 0], true); // less, but out of stock: not a demand change
  const drop = await velocitySku("DROP", 3, 0.5, [1, 0, 0, 1, 0, 0, 0]); // 2 vs 21 ± 5
  await createSupplierProduct({ shopId: shop.id, supplierId: stale.id, skuId: sku.id });

  return { shop, location, run, stale, fresh, silent, late, waiting, approved, failing, recovered, unmappedA, unmappedB, surge, drop };
}

async function openItems(shopId: string) {
  const rows = await prisma.reviewItem.findMany({ where: { shopId, status: "OPEN" }, orderBy: [{ kind: "asc" }, { subjectId: "asc" }] });
  return rows.map((r) => [r.kind, r.subjectId] as [ReviewKind, string]);
}

describe("anomaly detectors", () => {
  it("open one item per cause of every kind, and a second run changes nothing", async () => {
    const s = await seed();
    const summary = await detectAnomalies(s.shop.id, NOW);
    const expected: [ReviewKind, string][] = [
      ["FLAGGED_PO", s.waiting.id],
      ["UNACKNOWLEDGED_PO", s.silent.id],
      ["LATE_SHIPMENT", s.late.id],
      ["CHANNEL_ERROR", "AMAZON"],
      ["CHANNEL_ERROR", "SHOPIFY"], // its last push failed
      ["CHANNEL_ERROR", s.failing.id],
      ["UNMAPPED_LISTING", s.unmappedA.id],
      ["UNMAPPED_LISTING", s.unmappedB.id],
      ["VELOCITY_CHANGE", s.drop.id],
      ["VELOCITY_CHANGE", s.surge.id],
      ["STALE_SUPPLIER_DATA", s.stale.id],
    ];
    const sortKey = (x: [string, string]) => `${x[0]}|${x[1]}`;
    expect((await openItems(s.shop.id)).map(sortKey).sort()).toEqual(expected.map(sortKey).sort());
    expect(summary.FLAGGED_PO).toEqual({ opened: 0, resolved: 1 }); // PO-APPROVED's flag
    expect(summary.CHANNEL_ERROR).toEqual({ opened: 3, resolved: 1 }); // the recovered listing's
    expect(summary.VELOCITY_CHANGE).toEqual({ opened: 2, resolved: 0 });

    const surge = await prisma.reviewItem.findFirstOrThrow({ where: { shopId: s.shop.id, subjectId: s.surge.id } });
    expect(surge.reason).toBe("SURGE sold 40 units in the last 7 days against 2.00/day forecast (14.0 ± 7.9 expected): demand went up");

    const before = await prisma.reviewItem.findMany({ where: { shopId: s.shop.id }, orderBy: { id: "asc" } });
    const again = await detectAnomalies(s.shop.id, NOW);
    expect(Object.values(again).every((o) => o.opened === 0 && o.resolved === 0)).toBe(true);
    const after = await prisma.reviewItem.findMany({ where: { shopId: s.shop.id }, orderBy: { id: "asc" } });
    expect(after.map((r) => [r.id, r.status, r.dedupeKey])).toEqual(before.map((r) => [r.id, r.status, r.dedupeKey]));
  });

  it("resolve items whose cause went away, and reopen one that comes back", async () => {
    const s = await seed();
    await detectAnomalies(s.shop.id, NOW);
    await prisma.purchaseOrder.update({ where: { id: s.silent.id }, data: { status: "ACKNOWLEDGED" } });
    await prisma.purchaseOrder.update({ where: { id: s.late.id }, data: { expectedArrivalDate: new Date("2026-03-20") } });
    await prisma.channelConnection.updateMany({ where: { shopId: s.shop.id, channel: "AMAZON" }, data: { status: "CONNECTED", lastError: null } });
    await prisma.channelPush.create({ data: { shopId: s.shop.id, listingId: s.failing.id, channel: "SHOPIFY", quantity: 3, status: "SUCCEEDED", idempotencyKey: "f2", requestedAt: hoursAgo(0.5) } });
    await prisma.channelListing.update({ where: { id: s.unmappedA.id }, data: { status: "IGNORED" } });
    await prisma.supplier.update({ where: { id: s.stale.id }, data: { dataConfirmedAt: hoursAgo(1) } });
    await prisma.dailyDemand.updateMany({ where: { shopId: s.shop.id, skuId: s.surge.id }, data: { units: 2 } });

    const summary = await detectAnomalies(s.shop.id, NOW);
    expect(summary).toMatchObject({
      UNACKNOWLEDGED_PO: { opened: 0, resolved: 1 },
      LATE_SHIPMENT: { opened: 0, resolved: 1 },
      CHANNEL_ERROR: { opened: 0, resolved: 3 },
      UNMAPPED_LISTING: { opened: 0, resolved: 1 },
      STALE_SUPPLIER_DATA: { opened: 0, resolved: 1 },
      VELOCITY_CHANGE: { opened: 0, resolved: 1 },
    });
    expect(await openItems(s.shop.id)).toEqual([
      ["FLAGGED_PO", s.waiting.id],
      ["UNMAPPED_LISTING", s.unmappedB.id],
      ["VELOCITY_CHANGE", s.drop.id],
    ]);

    // The late PO slips again: the same item reopens (one row per cause).
    await prisma.purchaseOrder.update({ where: { id: s.late.id }, data: { expectedArrivalDate: new Date("2026-03-13") } });
    expect((await detectAnomalies(s.shop.id, NOW)).LATE_SHIPMENT).toEqual({ opened: 1, resolved: 0 });
    expect(await prisma.reviewItem.count({ where: { shopId: s.shop.id, kind: "LATE_SHIPMENT" } })).toBe(1);
  });

  it("without a forecast older than the window, a velocity change is measured against the SKU's own last 8 weeks", async () => {
    const s = await seed();
    await prisma.reorderRun.update({ where: { id: s.run.id }, data: { asOf: new Date("2026-03-14") } }); // saw the surge: not used
    // SURGE sold 2 a day (±0) from 11 January to 7 March; the other SKUs have no history before the window.
    for (let d = 0; d < 56; d++) {
      await prisma.dailyDemand.create({ data: { shopId: s.shop.id, skuId: s.surge.id, locationId: s.location.id, day: new Date(Date.UTC(2026, 0, 11 + d)), units: 2 } });
    }
    await detectAnomalies(s.shop.id, NOW);
    const items = await prisma.reviewItem.findMany({ where: { shopId: s.shop.id, kind: "VELOCITY_CHANGE", status: "OPEN" } });
    expect(items.map((i) => i.subjectId)).toEqual([s.surge.id]);
    expect(items[0]!.reason).toBe("SURGE sold 40 units in the last 7 days against 2.00/day usual (8-week average) (14.0 ± 5.0 expected): demand went up");
  });
});

describe("the queue page", () => {
  it("lists open items with their action, settles them, refuses an action that does not fit, and says when all is clear", async () => {
    const s = await seed();
    await detectAnomalies(s.shop.id, NOW);
    const { items } = await callLoader(loader, "/app/anomalies");
    const staleItem = items.find((i) => i.kind === "STALE_SUPPLIER_DATA")!;
    expect(staleItem).toMatchObject({ subject: "Stale Co", link: { url: `/app/suppliers/${s.stale.id}` }, button: { intent: "confirm-supplier-data" } });
    const flagged = items.find((i) => i.kind === "FLAGGED_PO")!;
    expect(flagged).toMatchObject({ subject: "PO-WAITING", link: { url: `/app/purchase-orders/${s.waiting.id}` }, flags: [{ code: "low_margin", message: "margin 3%" }] });
    expect(items.find((i) => i.kind === "LATE_SHIPMENT")!.link!.url).toBe("/app/receiving?po=PO-LATE");
    expect((await callLoader(loader, "/app/anomalies?kind=VELOCITY_CHANGE")).items.map((i) => i.subject).sort()).toEqual(["DROP", "SURGE"]);

    const wrong = unwrap(await callAction(action, "/app/anomalies", { intent: "ignore-listing", itemId: staleItem.id }));
    expect(wrong.status).toBe(422);
    const ok = unwrap(await callAction(action, "/app/anomalies", { intent: "confirm-supplier-data", itemId: staleItem.id }));
    expect(ok).toMatchObject({ status: 200, body: { ok: true } });
    expect((await prisma.supplier.findUniqueOrThrow({ where: { id: s.stale.id } })).dataConfirmedAt).not.toBeNull();
    expect((await callLoader(loader, "/app/anomalies")).items.some((i) => i.id === staleItem.id)).toBe(false);
    // A second click on the same item finds it gone.
    expect(unwrap(await callAction(action, "/app/anomalies", { intent: "confirm-supplier-data", itemId: staleItem.id })).status).toBe(404);

    await prisma.reviewItem.updateMany({ where: { shopId: s.shop.id }, data: { status: "RESOLVED" } });
    expect((await callLoader(loader, "/app/anomalies")).items).toEqual([]);
  });

  it("shows a flagged PO's current lines, flagged ones first, then the costliest, whatever their row order", async () => {
    const s = await seed();
    await detectAnomalies(s.shop.id, NOW);
    const location = await prisma.location.findFirstOrThrow({ where: { shopId: s.shop.id } });
    const suggestion = async (id: string, runId: string, skuId: string, l: { quantity: number; unitCost: string; flags: string[]; text: string }) =>
      prisma.reorderSuggestion.create({
        data: {
          id, shopId: s.shop.id, runId, skuId, locationId: location.id, action: "PURCHASE", purchaseOrderId: s.waiting.id, quantity: l.quantity, rawQuantity: l.quantity,
          unitCost: l.unitCost, dailyForecast: 1, safetyStock: 1, reorderPoint: 1, targetStock: 1, stockPosition: 0, flags: l.flags, explanation: {}, explanationText: l.text,
        },
      });
    const earlier = await prisma.reorderRun.create({ data: { shopId: s.shop.id, asOf: NOW, trigger: "NIGHTLY", status: "COMPLETED" } });
    const latest = await prisma.reorderRun.create({ data: { shopId: s.shop.id, asOf: NOW, trigger: "STOCK_CHANGE", status: "COMPLETED" } });
    // Ids in the reverse of the expected order, so an order by id would show them backwards.
    const lines = [
      { id: "s4", code: "CHEAP", quantity: 1, unitCost: "1", flags: [] },
      { id: "s3", code: "DEAR", quantity: 10, unitCost: "50", flags: [] },
      { id: "s2", code: "MIDDLE", quantity: 10, unitCost: "5", flags: [] },
      { id: "s1", code: "FLAGGED", quantity: 1, unitCost: "1", flags: ["low_margin"] },
    ];
    for (const l of lines) {
      const sku = await createSku({ shopId: s.shop.id, code: l.code });
      // The earlier run's suggestion still points at the PO, but the line now carries the latest one.
      await suggestion(`${l.id}-old`, earlier.id, sku.id, { ...l, quantity: 999, text: `${l.code} superseded` });
      await suggestion(l.id, latest.id, sku.id, { ...l, text: `${l.code} line` });
      await prisma.purchaseOrderLine.create({ data: { shopId: s.shop.id, purchaseOrderId: s.waiting.id, skuId: sku.id, quantityOrdered: l.quantity, unitCost: l.unitCost, suggestionId: l.id } });
    }
    const flagged = (await callLoader(loader, "/app/anomalies")).items.find((i) => i.kind === "FLAGGED_PO")!;
    expect(flagged.explanations).toEqual(["FLAGGED line", "DEAR line", "MIDDLE line", "CHEAP line"]);
  });

  it("names channel and listing items the way the merchant knows them, not by row id or enum", async () => {
    const s = await seed();
    await detectAnomalies(s.shop.id, NOW);
    const { items } = await callLoader(loader, "/app/anomalies?kind=CHANNEL_ERROR");
    expect(items.map((i) => i.subject).sort()).toEqual(["Amazon", "Shopify", "Shopify listing FAILING"]);
    expect(items.find((i) => i.subject === "Amazon")!.reason).toBe("Amazon: LWA token refused");
    expect(items.find((i) => i.subject === "Shopify listing FAILING")!.reason).toBe("Shopify rejected the last quantity push for FAILING: 422 invalid quantity");
    const unmapped = (await callLoader(loader, "/app/anomalies?kind=UNMAPPED_LISTING")).items;
    expect(unmapped.map((i) => i.subject).sort()).toEqual(["Shopify listing UNMAPPED-A", "Shopify listing UNMAPPED-B"]);
    expect(unmapped.every((i) => i.reason.startsWith("Shopify listing UNMAPPED-"))).toBe(true);
  });
});
