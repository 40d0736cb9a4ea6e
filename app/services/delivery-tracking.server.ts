import type { Prisma } from "@prisma/client";
import { getEnv } from "#app/env.server.ts";
import { createAfterShipProvider, type CarrierTrackingProvider, type ShipmentStatus } from "#app/lib/carrier-tracking.server.ts";
import type { QueueRegistry } from "#app/lib/queue.server.ts";
import { lockPurchaseOrder, moveOpenLinesToArrival, type LifecycleTx } from "#app/models/purchase-order-lifecycle.server.ts";
import { forShop } from "#app/models/scoped-db.server.ts";
import { notifyEtaChanged } from "./back-in-stock-notify.server.ts";
import { dispatchNotifications, queueNotifications, type NotificationInput } from "./notification-outbox.server.ts";
import { outboxTx } from "./po-dispatch.server.ts";
import { applyPurchaseOrderEventInTransaction } from "./purchase-orders.server.ts";

/**
 * The scheduled delivery check (issue 5, item 6): asks the carrier about every tracking number of the
 * shop's SHIPPED POs. When all of a PO's shipments show delivered, the PO moves to ARRIVING (state
 * machine `mark-arriving`, as SYSTEM) and the warehouse is alerted: an email to the shop's alert
 * recipients, and the PO tops the receiving desk's list. A carrier's new expected delivery day moves the
 * PO's ETA (recorded as ETA_CHANGE; back-in-stock subscribers and backorder customers are told).
 * Stage changes are logged once each (TRACKING_UPDATE), not on every check.
 */

const TRANSACTION = { timeout: 20_000, maxWait: 20_000 };
const ACTOR = { type: "SYSTEM", name: "carrier tracking" } as const;

/** The configured provider, or null when no tracking API key is set (the check then does nothing). */
export function configuredTrackingProvider(): CarrierTrackingProvider | null {
  const env = getEnv();
  if (!env.CARRIER_TRACKING_API_KEY) return null;
  return createAfterShipProvider({ baseUrl: env.CARRIER_TRACKING_API_BASE, apiKey: env.CARRIER_TRACKING_API_KEY });
}

/**
 * Tells back-in-stock subscribers and backorder customers of each SKU on the PO that its ETA moved
 * (back-in-stock-notify's notifyEtaChanged), inside the transaction that records the change, so the
 * messages exist exactly when the new ETA does. Returns the dispatches to run after commit.
 */
export async function notifyPurchaseOrderEtaChanged(
  tx: LifecycleTx,
  shopId: string,
  purchaseOrderId: string,
  eta: { from: string | null; to: string },
  options: { now: Date; queues: QueueRegistry },
): Promise<{ notified: number; dispatch: () => Promise<void> }> {
  const lines = await tx.purchaseOrderLine.findMany({ where: { purchaseOrderId }, select: { skuId: true } });
  const results: Awaited<ReturnType<typeof notifyEtaChanged>>[] = [];
  for (const line of lines) {
    results.push(
      await notifyEtaChanged(
        tx as unknown as Prisma.TransactionClient,
        shopId,
        { skuId: line.skuId, purchaseOrderId, previousEta: eta.from ? new Date(`${eta.from}T00:00:00Z`) : null, newEta: new Date(`${eta.to}T00:00:00Z`) },
        options,
      ),
    );
  }
  return {
    notified: results.reduce((n, r) => n + r.ids.length, 0),
    dispatch: async () => {
      for (const r of results) await r.dispatch();
    },
  };
}

export interface TrackingCheckDeps {
  provider: CarrierTrackingProvider;
  queues: QueueRegistry;
  now: Date;
}

export interface TrackingCheckResult {
  checked: number;
  arriving: string[];
  etaChanged: string[];
}

function stagesOf(statuses: ShipmentStatus[]): Record<string, string> {
  return Object.fromEntries(statuses.map((s) => [s.trackingNumber, s.stage]));
}

export async function checkShipmentDeliveries(shopId: string, deps: TrackingCheckDeps): Promise<TrackingCheckResult> {
  const db = forShop(shopId);
  const pos = await db.purchaseOrder.findMany({
    where: { status: "SHIPPED", trackingNumbers: { isEmpty: false } },
    select: { id: true, number: true, trackingNumbers: true },
    orderBy: { number: "asc" },
  });
  const result: TrackingCheckResult = { checked: pos.length, arriving: [], etaChanged: [] };
  if (pos.length === 0) return result;

  const statuses = await deps.provider.track(pos.flatMap((p) => p.trackingNumbers));
  const byNumber = new Map(statuses.map((s) => [s.trackingNumber, s]));
  const settings = await db.shopSettings.findUnique({ where: { shopId }, select: { digestRecipients: true } });
  const recipients = settings?.digestRecipients ?? [];

  for (const po of pos) {
    const mine = po.trackingNumbers.map((n) => byNumber.get(n)).filter((s): s is ShipmentStatus => s !== undefined);
    if (mine.length === 0) continue;
    const delivered = mine.every((s) => s.stage === "delivered");
    const expected = mine.map((s) => s.expectedDelivery).filter((d): d is string => d !== null).sort().at(-1) ?? null;

    const afterCommit: (() => Promise<void>)[] = [];
    const outcome = await db.$transaction(async (tx) => {
      const locked = await lockPurchaseOrder(tx, shopId, po.id);
      if (!locked || locked.status !== "SHIPPED") return { ids: [] as string[], arriving: false, eta: null as { from: string | null; to: string } | null };
      const current = await tx.purchaseOrder.findUniqueOrThrow({ where: { id: po.id }, select: { expectedArrivalDate: true, supplier: { select: { name: true } } } });

      // Log a stage change once.
      const stages = stagesOf(mine);
      const last = await tx.purchaseOrderEvent.findFirst({ where: { purchaseOrderId: po.id, type: "TRACKING_UPDATE", actorName: ACTOR.name }, orderBy: { createdAt: "desc" }, select: { data: true } });
      const lastStages = (last?.data as { stages?: Record<string, string> } | null)?.stages ?? null;
      if (JSON.stringify(lastStages) !== JSON.stringify(stages)) {
        await tx.purchaseOrderEvent.create({
          data: {
            shopId, purchaseOrderId: po.id, type: "TRACKING_UPDATE", actorType: "SYSTEM", actorName: ACTOR.name, createdAt: deps.now,
            message: `Carrier: ${mine.map((s) => `${s.trackingNumber} ${s.stage.replace(/_/g, " ")}`).join(", ")}`,
            data: { stages, carriers: Object.fromEntries(mine.map((s) => [s.trackingNumber, s.carrier])) } as Prisma.InputJsonObject,
          },
        });
      }

      let eta: { from: string | null; to: string } | null = null;
      const currentEta = current.expectedArrivalDate ? current.expectedArrivalDate.toISOString().slice(0, 10) : null;
      if (!delivered && expected && expected !== currentEta) {
        await tx.purchaseOrder.update({ where: { id: po.id }, data: { expectedArrivalDate: new Date(`${expected}T00:00:00Z`) } });
        await moveOpenLinesToArrival(tx, po.id, new Date(`${expected}T00:00:00Z`));
        await tx.purchaseOrderEvent.create({
          data: {
            shopId, purchaseOrderId: po.id, type: "ETA_CHANGE", actorType: "SYSTEM", actorName: ACTOR.name, createdAt: deps.now,
            message: `Expected arrival ${currentEta ?? "not set"} → ${expected} (carrier estimate)`,
            data: { from: currentEta, to: expected, source: "carrier" },
          },
        });
        eta = { from: currentEta, to: expected };
        afterCommit.push((await notifyPurchaseOrderEtaChanged(tx, shopId, po.id, eta, { now: deps.now, queues: deps.queues })).dispatch);
      }

      if (!delivered) return { ids: [] as string[], arriving: false, eta };
      const deliveredAt = mine.map((s) => s.deliveredAt?.toISOString() ?? "").sort().at(-1) || null;
      await applyPurchaseOrderEventInTransaction(tx, shopId, po.id, "mark-arriving", ACTOR, {
        now: deps.now,
        message: `carrier shows ${mine.map((s) => s.trackingNumber).join(", ")} delivered`,
        data: { trackingNumbers: mine.map((s) => s.trackingNumber), carrierDeliveredAt: deliveredAt },
      });
      const alerts: NotificationInput[] = recipients.map((recipient, i) => ({
        channel: "EMAIL", kind: "MERCHANT_ALERT", recipient,
        subject: `${po.number} from ${current.supplier.name} has been delivered — ready to receive`,
        bodyText: [
          `The carrier shows ${po.number} (${mine.map((s) => s.trackingNumber).join(", ")}) as delivered.`,
          "Scan the packing slip's barcode on the Receiving page to count it in.",
        ].join("\n"),
        dedupeKey: `po-arriving-${po.id}-${i}`,
        payload: { purchaseOrderId: po.id },
        scheduledAt: deps.now,
      }));
      const queued = await queueNotifications(outboxTx(tx), shopId, alerts);
      return { ids: queued.ids, arriving: true, eta };
    }, TRANSACTION);

    await dispatchNotifications(shopId, outcome.ids, { queues: deps.queues, now: deps.now });
    for (const dispatch of afterCommit) await dispatch();
    if (outcome.arriving) result.arriving.push(po.id);
    if (outcome.eta) result.etaChanged.push(po.id);
  }
  return result;
}
