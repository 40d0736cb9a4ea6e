// The demo's carrier (scripts/demo/carrier.ts): the sandbox the demo points CARRIER_TRACKING_* at knows
// every shipped PO's numbers as in transit, due the day the PO expects (the hourly check then moves
// nothing); once it shows the first one delivered, the queued sweep — the real purchasing worker with
// the provider the demo's environment configures — moves that PO to ARRIVING.
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { prisma } from "#app/db.server.ts";
import { createAfterShipProvider } from "#app/lib/carrier-tracking.server.ts";
import { closeQueues, getProducerQueues } from "#app/lib/queue.server.ts";
import { startWorkers, type RunningWorkers } from "#workers/index.ts";
import { createPurchasingSweep } from "#workers/processors/purchasing.ts";
import { resetDatabase } from "#tests/setup/db.ts";
import { startDemoCarrier, trackDemoShipments, type DemoCarrier, type DemoShipments } from "../../../scripts/demo/carrier.ts";
import { obliterateAll, waitForFinished } from "../workers/helpers.ts";
import { createPurchaseOrder, createPurchasingFixture } from "./helpers.ts";

const NOW = new Date("2026-03-17T12:00:00Z"); // a Tuesday: no weekly ship-date request in the sweep

let carrier: DemoCarrier;
let running: RunningWorkers | undefined;
let shipments: DemoShipments | undefined;

beforeEach(async () => {
  await resetDatabase();
  carrier = await startDemoCarrier();
  running = await startWorkers({
    syncSchedulers: false,
    processors: {
      // The provider exactly as the demo's environment configures it.
      purchasing: { "purchasing-sweep": createPurchasingSweep({ trackingProvider: createAfterShipProvider({ baseUrl: carrier.env.CARRIER_TRACKING_API_BASE!, apiKey: carrier.env.CARRIER_TRACKING_API_KEY! }) }) },
    },
    processorsDeps: { now: () => NOW },
  });
});
afterEach(async () => {
  shipments?.stop();
  shipments = undefined;
  if (running) {
    await obliterateAll(running.queues);
    await running.close();
    running = undefined;
  }
  await carrier.close();
});
afterAll(async () => {
  await obliterateAll(getProducerQueues());
  await closeQueues();
});

async function shippedPurchaseOrders() {
  const f = await createPurchasingFixture();
  await prisma.shopSettings.update({ where: { shopId: f.shopId }, data: { digestRecipients: ["warehouse@shop.test"] } });
  const later = await createPurchaseOrder(f, { status: "SHIPPED", approvedAt: NOW });
  await prisma.purchaseOrder.update({ where: { id: later.id }, data: { trackingNumbers: ["1ZLATER"], expectedArrivalDate: new Date("2026-03-25T00:00:00Z") } });
  const sooner = await createPurchaseOrder(f, { status: "SHIPPED", approvedAt: NOW });
  await prisma.purchaseOrder.update({ where: { id: sooner.id }, data: { trackingNumbers: ["1ZSOON1", "1ZSOON2"], expectedArrivalDate: new Date("2026-03-19T00:00:00Z") } });
  return { f, later, sooner };
}

describe("demo carrier", () => {
  it("knows every shipped PO as in transit on its expected day, so the hourly check moves nothing", async () => {
    const { f, later, sooner } = await shippedPurchaseOrders();
    const said: string[] = [];
    shipments = await trackDemoShipments({ prisma, shopId: f.shopId, carrier: carrier.sandbox, queues: running!.queues, deliverAfterMs: 60_000, say: (l) => said.push(l) });
    expect(shipments.delivering).toEqual({ id: sooner.id, number: sooner.number });
    expect(said).toEqual([expect.stringContaining(`2 shipped POs in transit; ${sooner.number} from`)]);
    expect(carrier.sandbox.trackings.get("1ZLATER")).toMatchObject({ tag: "InTransit", courier_estimated_delivery_date: { estimated_delivery_date: "2026-03-25" } });

    const id = await running!.queues.enqueue("purchasing", "purchasing-sweep", { shopId: f.shopId }, { jobId: "hourly" });
    const job = await waitForFinished(running!.queues.queue("purchasing"), id);
    expect(job.returnvalue).toMatchObject({ arriving: 0, failures: 0 });
    const pos = await prisma.purchaseOrder.findMany({ where: { id: { in: [later.id, sooner.id] } }, select: { status: true } });
    expect(pos.map((p) => p.status)).toEqual(["SHIPPED", "SHIPPED"]);
    expect(await prisma.purchaseOrderEvent.count({ where: { shopId: f.shopId, type: "ETA_CHANGE" } })).toBe(0);
    expect(await prisma.purchaseOrderEvent.count({ where: { shopId: f.shopId, type: "TRACKING_UPDATE" } })).toBe(2);
  });

  it("shows the first one delivered and queues the check at once: that PO moves to ARRIVING, the other stays shipped", async () => {
    const { f, later, sooner } = await shippedPurchaseOrders();
    shipments = await trackDemoShipments({ prisma, shopId: f.shopId, carrier: carrier.sandbox, queues: running!.queues, deliverAfterMs: 10 });
    const jobId = await shipments.delivered;
    expect(jobId).toBeTruthy();
    const job = await waitForFinished(running!.queues.queue("purchasing"), jobId!);
    expect(job.failedReason).toBeUndefined();
    expect(job.returnvalue).toMatchObject({ arriving: 1, failures: 0 });
    expect((await prisma.purchaseOrder.findUniqueOrThrow({ where: { id: sooner.id } })).status).toBe("ARRIVING");
    expect((await prisma.purchaseOrder.findUniqueOrThrow({ where: { id: later.id } })).status).toBe("SHIPPED");
    expect(await prisma.notification.findMany({ where: { shopId: f.shopId }, select: { recipient: true, subject: true } })).toEqual([
      { recipient: "warehouse@shop.test", subject: expect.stringContaining(`${sooner.number} from`) },
    ]);
  });

  it("says so when nothing with tracking is on the road", async () => {
    const f = await createPurchasingFixture();
    const said: string[] = [];
    shipments = await trackDemoShipments({ prisma, shopId: f.shopId, carrier: carrier.sandbox, queues: running!.queues, deliverAfterMs: 10, say: (l) => said.push(l) });
    expect(shipments.delivering).toBeNull();
    expect(await shipments.delivered).toBeNull();
    expect(said).toEqual(["• Carrier sandbox: no shipped PO with tracking on the road (the carrier check runs hourly)"]);
  });
});
