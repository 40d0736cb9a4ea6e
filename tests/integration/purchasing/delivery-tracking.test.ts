// Delivery tracking (issue 5, item 6): the AfterShip-style provider against the local fake in
// sandbox/carrier, and the scheduled check that moves a shipped PO to ARRIVING when every one of its
// shipments shows delivered, alerts the warehouse, and records the carrier's ETA changes.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { createAfterShipProvider } from "#app/lib/carrier-tracking.server.ts";
import { closeQueues, getProducerQueues } from "#app/lib/queue.server.ts";
import { checkShipmentDeliveries } from "#app/services/delivery-tracking.server.ts";
import { startCarrierSandbox, type CarrierSandbox } from "#sandbox/carrier/index.ts";
import { resetDatabase } from "#tests/setup/db.ts";
import { obliterateAll } from "../workers/helpers.ts";
import { createPurchaseOrder, createPurchasingFixture } from "./helpers.ts";

const NOW = new Date("2026-03-20T12:00:00Z");
let carrier: CarrierSandbox;

beforeAll(async () => {
  carrier = await startCarrierSandbox({ apiKey: "test-carrier-key" });
});
afterAll(async () => {
  await carrier.close();
  await obliterateAll(getProducerQueues());
  await closeQueues();
});
beforeEach(async () => {
  await resetDatabase();
  carrier.trackings.clear();
  carrier.requests.length = 0;
  carrier.faults.clear();
});

const provider = () => createAfterShipProvider({ baseUrl: carrier.baseUrl, apiKey: carrier.apiKey });

describe("AfterShip-style provider", () => {
  it("maps tags, delivery and estimated dates; registers numbers it does not know yet", async () => {
    carrier.setTracking("1ZDELIVERED", { tag: "Delivered", slug: "ups", shipment_delivery_date: "2026-03-19T15:04:00+00:00" });
    carrier.setTracking("1ZTRANSIT", { tag: "InTransit", slug: "fedex", courier_estimated_delivery_date: { estimated_delivery_date: "2026-03-24" } });
    const statuses = await provider().track(["1ZDELIVERED", "1ZTRANSIT", "1ZNEW"]);
    expect(statuses).toEqual([
      { trackingNumber: "1ZDELIVERED", stage: "delivered", carrier: "ups", deliveredAt: new Date("2026-03-19T15:04:00Z"), expectedDelivery: null },
      { trackingNumber: "1ZTRANSIT", stage: "in_transit", carrier: "fedex", deliveredAt: null, expectedDelivery: "2026-03-24" },
      { trackingNumber: "1ZNEW", stage: "pending", carrier: null, deliveredAt: null, expectedDelivery: null },
    ]);
    expect(carrier.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      "GET /trackings?tracking_numbers=1ZDELIVERED%2C1ZTRANSIT%2C1ZNEW",
      "POST /trackings",
    ]);
    expect(carrier.trackings.get("1ZNEW")?.tag).toBe("Pending");
  });

  it("turns the API's refusals into the error kinds the workers act on", async () => {
    await expect(createAfterShipProvider({ baseUrl: carrier.baseUrl, apiKey: "wrong" }).track(["1Z"])).rejects.toMatchObject({ kind: "auth" });
    carrier.faults.inject("throttle");
    await expect(provider().track(["1Z"])).rejects.toMatchObject({ kind: "rate_limited", retryAfterMs: 1000 });
    carrier.faults.inject("server_error");
    await expect(provider().track(["1Z"])).rejects.toMatchObject({ kind: "unavailable" });
    expect(await provider().track([])).toEqual([]);
  });
});

describe("scheduled delivery check", () => {
  async function shippedPurchaseOrder(trackingNumbers: string[]) {
    const f = await createPurchasingFixture();
    await prisma.shopSettings.update({ where: { shopId: f.shopId }, data: { digestRecipients: ["warehouse@shop.test"] } });
    const po = await createPurchaseOrder(f, { status: "SHIPPED", approvedAt: NOW });
    await prisma.purchaseOrder.update({ where: { id: po.id }, data: { trackingNumbers, expectedArrivalDate: new Date("2026-03-22") } });
    return { f, po };
  }

  it("records progress and ETA moves, and moves the PO to ARRIVING with a warehouse alert once every shipment is delivered", async () => {
    const { f, po } = await shippedPurchaseOrder(["1ZA", "1ZB"]);
    // A shopper waiting for the first SKU of this PO: told when the ETA moves.
    await prisma.backInStockSubscription.create({
      data: { shopId: f.shopId, skuId: f.skuIds[0]!, contactType: "EMAIL", contact: "shopper@example.test", consentAt: NOW, consentText: "Email me", unsubscribeToken: "unsub-token-1", createdAt: new Date("2026-03-10T00:00:00Z") },
    });
    const deps = { provider: provider(), queues: getProducerQueues(), now: NOW };

    // First check: the carrier does not know the numbers yet → registered, pending, logged once.
    expect(await checkShipmentDeliveries(f.shopId, deps)).toEqual({ checked: 1, arriving: [], etaChanged: [] });
    expect(await checkShipmentDeliveries(f.shopId, deps)).toEqual({ checked: 1, arriving: [], etaChanged: [] });
    expect(await prisma.purchaseOrderEvent.count({ where: { purchaseOrderId: po.id, type: "TRACKING_UPDATE" } })).toBe(1);

    // One delivered, one late: the ETA follows the carrier's estimate, the PO is still SHIPPED.
    carrier.setTracking("1ZA", { tag: "Delivered", shipment_delivery_date: "2026-03-20T09:00:00+00:00" });
    carrier.setTracking("1ZB", { tag: "InTransit", courier_estimated_delivery_date: { estimated_delivery_date: "2026-03-25" } });
    expect(await checkShipmentDeliveries(f.shopId, deps)).toEqual({ checked: 1, arriving: [], etaChanged: [po.id] });
    expect(await prisma.purchaseOrder.findUniqueOrThrow({ where: { id: po.id } })).toMatchObject({ status: "SHIPPED", expectedArrivalDate: new Date("2026-03-25") });
    // The lines follow (the planner and the storefront's ETA read a line's own date first).
    expect((await prisma.purchaseOrderLine.findMany({ where: { purchaseOrderId: po.id } })).map((l) => l.expectedDate)).toEqual(f.skuIds.map(() => new Date("2026-03-25")));
    const etaUpdates = await prisma.notification.findMany({ where: { shopId: f.shopId, kind: "ETA_UPDATE" } });
    expect(etaUpdates.map((n) => [n.recipient, n.channel])).toEqual([["shopper@example.test", "EMAIL"]]);
    expect(etaUpdates[0]?.dedupeKey).toContain(`eta:${po.id}:${f.skuIds[0]}:2026-03-25`);
    const eta = await prisma.purchaseOrderEvent.findFirstOrThrow({ where: { purchaseOrderId: po.id, type: "ETA_CHANGE" } });
    expect(eta).toMatchObject({ actorType: "SYSTEM", actorName: "carrier tracking", message: "Expected arrival 2026-03-22 → 2026-03-25 (carrier estimate)" });

    carrier.setTracking("1ZB", { tag: "Delivered", shipment_delivery_date: "2026-03-20T11:30:00+00:00" });
    expect(await checkShipmentDeliveries(f.shopId, deps)).toEqual({ checked: 1, arriving: [po.id], etaChanged: [] });
    const after = await prisma.purchaseOrder.findUniqueOrThrow({ where: { id: po.id } });
    expect(after).toMatchObject({ status: "ARRIVING", deliveredAt: NOW });
    const change = await prisma.purchaseOrderEvent.findFirstOrThrow({ where: { purchaseOrderId: po.id, type: "STATUS_CHANGE", toStatus: "ARRIVING" } });
    expect(change).toMatchObject({ actorType: "SYSTEM", actorName: "carrier tracking", fromStatus: "SHIPPED", data: expect.objectContaining({ event: "mark-arriving", carrierDeliveredAt: "2026-03-20T11:30:00.000Z" }) });
    const alert = await prisma.notification.findFirstOrThrow({ where: { shopId: f.shopId, kind: "MERCHANT_ALERT" } });
    expect(alert).toMatchObject({ kind: "MERCHANT_ALERT", recipient: "warehouse@shop.test", subject: expect.stringContaining(`${po.number} from`) });
    expect(alert.bodyText).toContain("Scan the packing slip's barcode on the Receiving page");

    // Nothing left to check; a repeated check changes nothing.
    expect(await checkShipmentDeliveries(f.shopId, deps)).toEqual({ checked: 0, arriving: [], etaChanged: [] });
    expect(await prisma.notification.count()).toBe(2);
  });

  it("leaves POs without tracking numbers, and other shops' POs, alone", async () => {
    const { f } = await shippedPurchaseOrder([]);
    const other = await shippedPurchaseOrder(["1ZOTHER"]);
    carrier.setTracking("1ZOTHER", { tag: "Delivered" });
    expect(await checkShipmentDeliveries(f.shopId, { provider: provider(), queues: getProducerQueues(), now: NOW })).toEqual({ checked: 0, arriving: [], etaChanged: [] });
    expect(carrier.requests).toHaveLength(0);
    expect((await prisma.purchaseOrder.findUniqueOrThrow({ where: { id: other.po.id } })).status).toBe("SHIPPED");
  });
});
