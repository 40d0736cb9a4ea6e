// Demo (issue 5, item 6): the carrier check at work. The demo starts the AfterShip-style sandbox in
// sandbox/carrier and points the app's tracking provider at it (CARRIER_TRACKING_*), so the hourly
// purchasing sweep really asks a carrier. Every shipped PO's tracking numbers are on the road there, due
// the day the PO already expects (so the check moves no ETA and writes no customer updates); after a
// short while the carrier shows the earliest one delivered and the demo queues the shop's sweep at once
// instead of waiting for the hour: the PO moves to Arriving and tops the receiving desk.
import { randomBytes } from "node:crypto";
import type { PrismaClient } from "@prisma/client";
import type { QueueRegistry } from "../../app/lib/queue.server.ts";
import { startCarrierSandbox, type CarrierSandbox } from "../../sandbox/carrier/index.ts";

export type DemoCarrier = {
  sandbox: CarrierSandbox;
  /** Environment for the app: where its tracking provider asks. */
  env: Record<string, string>;
  close(): Promise<void>;
};

export async function startDemoCarrier(): Promise<DemoCarrier> {
  const sandbox = await startCarrierSandbox({ apiKey: randomBytes(16).toString("hex") });
  return { sandbox, env: { CARRIER_TRACKING_API_BASE: sandbox.baseUrl, CARRIER_TRACKING_API_KEY: sandbox.apiKey }, close: () => sandbox.close() };
}

export type DemoShipments = {
  /** The shipped POs whose numbers the carrier now knows. */
  tracked: { id: string; number: string; trackingNumbers: string[] }[];
  /** The PO the carrier will show delivered (the first to be due), or null when nothing is on the road. */
  delivering: { id: string; number: string } | null;
  /** Resolves with the queued sweep's job id once the carrier shows it delivered. */
  delivered: Promise<string | null>;
  stop(): void;
};

export async function trackDemoShipments(input: {
  prisma: PrismaClient;
  shopId: string;
  carrier: CarrierSandbox;
  queues: QueueRegistry;
  deliverAfterMs: number;
  say?: (line: string) => void;
}): Promise<DemoShipments> {
  const { prisma, shopId, carrier, queues } = input;
  const say = input.say ?? (() => {});
  const shipped = await prisma.purchaseOrder.findMany({
    where: { shopId, status: "SHIPPED", trackingNumbers: { isEmpty: false } },
    orderBy: [{ expectedArrivalDate: { sort: "asc", nulls: "last" } }, { number: "asc" }],
    select: { id: true, number: true, trackingNumbers: true, expectedArrivalDate: true, supplier: { select: { name: true } } },
  });
  for (const po of shipped) {
    const due = po.expectedArrivalDate ? po.expectedArrivalDate.toISOString().slice(0, 10) : null;
    for (const number of po.trackingNumbers) carrier.setTracking(number, { tag: "InTransit", slug: "ups", courier_estimated_delivery_date: { estimated_delivery_date: due } });
  }
  const first = shipped[0];
  if (!first) {
    say("• Carrier sandbox: no shipped PO with tracking on the road (the carrier check runs hourly)");
    return { tracked: [], delivering: null, delivered: Promise.resolve(null), stop: () => {} };
  }

  let timer: NodeJS.Timeout | undefined;
  let settle: (jobId: string | null) => void = () => {};
  const delivered = new Promise<string | null>((resolve) => (settle = resolve));
  timer = setTimeout(() => {
    timer = undefined;
    for (const number of first.trackingNumbers) carrier.setTracking(number, { tag: "Delivered", shipment_delivery_date: new Date().toISOString() });
    queues
      .enqueue("purchasing", "purchasing-sweep", { shopId }, { jobId: `demo-carrier-${first.id}` })
      .then((jobId) => {
        say(`• Carrier: ${first.number} delivered (${first.trackingNumbers.join(", ")}); the delivery check moves it to Arriving`);
        settle(jobId);
      })
      .catch((error: unknown) => {
        say(`• Carrier check not queued: ${error instanceof Error ? error.message : String(error)}`);
        settle(null);
      });
  }, input.deliverAfterMs);
  say(
    `• Carrier sandbox: ${shipped.length} shipped PO${shipped.length === 1 ? "" : "s"} in transit; ${first.number} from ${first.supplier.name} shows delivered in ${Math.round(input.deliverAfterMs / 1000)} s`,
  );
  return {
    tracked: shipped.map(({ id, number, trackingNumbers }) => ({ id, number, trackingNumbers })),
    delivering: { id: first.id, number: first.number },
    delivered,
    stop: () => {
      if (timer) clearTimeout(timer);
      settle(null);
    },
  };
}
