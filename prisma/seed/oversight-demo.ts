/**
 * `seedOversightDemo(prisma, shopId, { asOf })`: the demo's dashboard history and anomaly queue.
 *
 * Snapshots are backfilled from the seeded ledger (90 days), so the dashboard's trend chart has data on
 * the first visit. The anomaly queue is filled by the real detectors: the seeded shop already has some
 * causes (suppliers whose data went stale, sales that moved away from their usual rate); for each kind
 * the detectors find nothing of, one realistic cause is set up (a PO the supplier never acknowledged, a
 * shipment past its ETA, a push a channel refused, a listing nobody mapped, a delivery with damaged
 * units through the real receiving service), and the detectors run again. Flagged POs come from the
 * engine and the approval policy; if the seed has none, one draft is flagged as the engine flags them.
 * Idempotent: a second run finds every kind present and changes nothing.
 */
import type { PrismaClient, ReviewKind } from "@prisma/client";
import type { Actor } from "#app/domain/purchasing/purchase-order.ts";
import { addDays, type IsoDay } from "#app/domain/shared/day.ts";
import { nextDocumentNumber } from "#app/models/document-sequence.server.ts";
import { detectAnomalies } from "#app/services/anomalies.server.ts";
import { recordNightlySnapshots } from "#app/services/daily-snapshot.server.ts";
import { applyPurchaseOrderEvent } from "#app/services/purchase-orders.server.ts";
import { confirmReceipt } from "#app/services/receiving.server.ts";
import { countingSeededRows, type SeededRowCounts } from "./count-seeded-rows.ts";

const DEMO_KINDS: ReviewKind[] = ["FLAGGED_PO", "UNACKNOWLEDGED_PO", "LATE_SHIPMENT", "RECEIPT_DISCREPANCY", "CHANNEL_ERROR", "UNMAPPED_LISTING", "VELOCITY_CHANGE", "STALE_SUPPLIER_DATA"];
const POLICY: Actor = { type: "SYSTEM", name: "approval policy" };
const DISPATCH: Actor = { type: "SYSTEM", name: "PO dispatch" };
const NO_QUEUES = { enqueue: async () => "seed" };
const MARKER = "demo-oversight";

export interface OversightDemoSummary {
  snapshotDays: number;
  /** Kinds whose cause this seed set up (the rest the detectors found in the seeded data). */
  staged: ReviewKind[];
  openByKind: Partial<Record<ReviewKind, number>>;
}

/** The seed's row counts this adds to (so the demo seed's summary still matches the tables). */
type CountsToUpdate = Pick<SeededRowCounts, "purchaseOrders" | "purchaseOrderLines" | "purchaseOrderEvents" | "receipts" | "receiptLines" | "inventoryMovements" | "channelListings">;

export async function seedOversightDemo(
  prisma: PrismaClient,
  shopId: string,
  options: { asOf: IsoDay; now?: Date; log?: (line: string) => void; counts?: CountsToUpdate | null },
): Promise<OversightDemoSummary> {
  return countingSeededRows(prisma, shopId, options.counts, () => seedOversight(prisma, shopId, options));
}

async function seedOversight(prisma: PrismaClient, shopId: string, options: { asOf: IsoDay; now?: Date; log?: (line: string) => void }): Promise<OversightDemoSummary> {
  const log = options.log ?? (() => {});
  // The demo's "now": late morning of its today, so "3 days ago" and "48 hours" read as they should.
  const now = options.now ?? new Date(`${options.asOf}T11:00:00.000Z`);
  const at = (daysAgo: number, hour = 10) => new Date(`${addDays(options.asOf, -daysAgo)}T${String(hour).padStart(2, "0")}:00:00.000Z`);
  const staged: ReviewKind[] = [];

  await detectAnomalies(shopId, now);
  const missing = async () => {
    const open = await prisma.reviewItem.groupBy({ by: ["kind"], where: { shopId, status: "OPEN" }, _count: { _all: true } });
    const present = new Set(open.map((o) => o.kind));
    return DEMO_KINDS.filter((k) => !present.has(k));
  };
  const todo = new Set(await missing());

  const location = await prisma.location.findFirst({ where: { shopId, isDefault: true }, select: { id: true } });
  const suppliers = await prisma.supplier.findMany({
    where: { shopId },
    orderBy: { name: "asc" },
    select: { id: true, name: true, contactName: true, products: { select: { skuId: true, unitCost: true, casePack: true }, orderBy: { skuId: "asc" }, take: 2 } },
  });
  const usable = suppliers.filter((s) => s.products.length > 0);
  let k = 0;
  async function draft(createdAt: Date, flags: string[] = []) {
    const supplier = usable[k++ % usable.length]!;
    const number = await prisma.$transaction((tx) => nextDocumentNumber(tx, shopId, "PO", Number(options.asOf.slice(0, 4))));
    const lines = supplier.products.map((p, i) => ({ shopId, skuId: p.skuId, quantityOrdered: Math.max(1, p.casePack) * (6 + i), unitCost: p.unitCost }));
    const subtotal = lines.reduce((sum, l) => sum + l.quantityOrdered * Number(l.unitCost), 0).toFixed(2);
    return prisma.purchaseOrder.create({
      data: { shopId, number, supplierId: supplier.id, locationId: location!.id, status: "DRAFT", currency: "GBP", subtotal, total: subtotal, flags, notes: MARKER, createdAt, lines: { create: lines } },
      select: { id: true, number: true, supplierId: true },
    });
  }
  async function sent(daysAgo: number) {
    const po = await draft(at(daysAgo + 1, 2));
    await applyPurchaseOrderEvent(shopId, po.id, "auto-approve", POLICY, { now: at(daysAgo + 1, 2), message: "within the shop's autonomous scope and under the approval threshold" });
    await applyPurchaseOrderEvent(shopId, po.id, "send", DISPATCH, { now: at(daysAgo, 6), message: "emailed to the supplier with the PDF and the portal link", data: { round: 1, delivery: "EMAIL" } });
    return po;
  }
  const supplierActor = (supplierId: string): Actor => {
    const s = suppliers.find((x) => x.id === supplierId);
    return { type: "SUPPLIER", name: s?.contactName ?? s?.name ?? "supplier" };
  };

  if (location && usable.length > 0) {
    if (todo.has("UNACKNOWLEDGED_PO")) {
      await sent(3); // three days without a word from the supplier
      staged.push("UNACKNOWLEDGED_PO");
    }
    if (todo.has("LATE_SHIPMENT")) {
      const po = await sent(24);
      await applyPurchaseOrderEvent(shopId, po.id, "accept", supplierActor(po.supplierId), { now: at(23, 9) });
      await applyPurchaseOrderEvent(shopId, po.id, "ship", supplierActor(po.supplierId), { now: at(12, 15) });
      // The supplier's promised arrival, three days ago; nothing has come.
      await prisma.purchaseOrder.update({ where: { id: po.id }, data: { expectedArrivalDate: new Date(`${addDays(options.asOf, -3)}T00:00:00.000Z`), shipMethod: "ground" } });
      staged.push("LATE_SHIPMENT");
    }
    if (todo.has("RECEIPT_DISCREPANCY")) {
      const po = await sent(14);
      await applyPurchaseOrderEvent(shopId, po.id, "accept", supplierActor(po.supplierId), { now: at(13, 9) });
      await applyPurchaseOrderEvent(shopId, po.id, "ship", supplierActor(po.supplierId), { now: at(6, 15) });
      const lines = await prisma.purchaseOrderLine.findMany({ where: { purchaseOrderId: po.id }, orderBy: { id: "asc" }, select: { id: true, quantityOrdered: true } });
      // Counted at the dock: the first line is two short and one case arrived damaged.
      await confirmReceipt(
        shopId,
        { receiptKey: `demo-oversight-${po.number}`, purchaseOrderId: po.id, lines: lines.map((l, i) => (i === 0 ? { lineId: l.id, received: l.quantityOrdered - 3, damaged: 1 } : { lineId: l.id, received: l.quantityOrdered })), receivedBy: "Sam (warehouse)" },
        { now: at(1, 11), queues: NO_QUEUES as never },
      );
      staged.push("RECEIPT_DISCREPANCY");
    }
    if (todo.has("FLAGGED_PO")) {
      const po = await draft(at(0, 3), ["quantity_over_typical"]);
      await applyPurchaseOrderEvent(shopId, po.id, "submit", POLICY, { now: at(0, 3), message: "Needs review: the quantity is more than twice the typical order" });
      const flags = [{ code: "quantity_over_typical", message: "the quantity is more than 200% of the typical order" }];
      await prisma.reviewItem.upsert({
        where: { shopId_dedupeKey: { shopId, dedupeKey: `flagged-po-${po.id}-quantity_over_typical` } },
        create: { shopId, kind: "FLAGGED_PO", subjectType: "PURCHASE_ORDER", subjectId: po.id, dedupeKey: `flagged-po-${po.id}-quantity_over_typical`, reason: `${po.number} needs review: ${flags[0]!.message}`, details: { purchaseOrderId: po.id, number: po.number, flags }, createdAt: at(0, 3) },
        update: {},
      });
      staged.push("FLAGGED_PO");
    }
  }

  if (todo.has("CHANNEL_ERROR")) {
    // eBay refused the last quantity for one listing (its item was ended on eBay's side).
    const listing = await prisma.channelListing.findFirst({ where: { shopId, status: "MAPPED" }, orderBy: [{ channel: "desc" }, { externalId: "asc" }], select: { id: true, channel: true, lastKnownQuantity: true } });
    if (listing) {
      await prisma.channelPush.upsert({
        where: { shopId_idempotencyKey: { shopId, idempotencyKey: `${MARKER}-refused` } },
        create: { shopId, listingId: listing.id, channel: listing.channel, quantity: 4, previousQuantity: listing.lastKnownQuantity, status: "FAILED", idempotencyKey: `${MARKER}-refused`, error: "the listing has ended on the channel: relist it or unmap it", requestedAt: at(0, 7), completedAt: at(0, 7) },
        update: {},
      });
      staged.push("CHANNEL_ERROR");
    }
  }
  if (todo.has("UNMAPPED_LISTING")) {
    await prisma.channelListing.upsert({
      where: { shopId_channel_externalId: { shopId, channel: "AMAZON", externalId: "GIFTWRAP-BOX-01" } },
      create: { shopId, channel: "AMAZON", externalId: "GIFTWRAP-BOX-01", externalSku: "GIFTWRAP-BOX-01", title: "Gift box with ribbon (Amazon-only bundle)", status: "UNMAPPED", lastKnownQuantity: 12, lastKnownAt: at(0, 8) },
      update: {},
    });
    staged.push("UNMAPPED_LISTING");
  }
  if (todo.has("STALE_SUPPLIER_DATA") && usable.length > 0) {
    await prisma.supplier.update({ where: { id: usable.at(-1)!.id }, data: { dataConfirmedAt: at(140) } });
    staged.push("STALE_SUPPLIER_DATA");
  }

  if (staged.length > 0) await detectAnomalies(shopId, now);
  const left = await missing();
  if (left.length > 0) log(`oversight demo: no ${left.join(", ")} in the seeded data (a velocity change needs sales that left their usual rate)`);

  const { days } = await recordNightlySnapshots(shopId, now);
  const open = await prisma.reviewItem.groupBy({ by: ["kind"], where: { shopId, status: "OPEN" }, _count: { _all: true } });
  const openByKind = Object.fromEntries(open.map((o) => [o.kind, o._count._all])) as Partial<Record<ReviewKind, number>>;
  log(`oversight demo: ${days} days of dashboard snapshots, anomaly queue ${Object.entries(openByKind).map(([kind, n]) => `${kind} ${n}`).join(", ")}`);
  return { snapshotDays: days, staged, openByKind };
}
