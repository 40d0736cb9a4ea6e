/**
 * `seedPurchasingDemo(prisma, shopId, { asOf })`: purchase orders in every state of the lifecycle on
 * top of the demo shop's history (which holds received and closed POs), each one taken there through
 * the same services the app uses, with backdated instants, so every PO has the event log a real one
 * would have: approvals, sends, a supplier's acknowledgment, a three-round negotiation waiting for the
 * merchant, shipping details with tracking, a carrier delivery, a partial and a full receipt (through
 * the ledger and the journal), and a cancellation.
 *
 * Idempotent: does nothing when the shop already has a PO in negotiation from this seed.
 */
import type { PrismaClient } from "@prisma/client";
import type { Actor } from "#app/domain/purchasing/purchase-order.ts";
import { addDays, type IsoDay } from "#app/domain/shared/day.ts";
import { nextDocumentNumber } from "#app/models/document-sequence.server.ts";
import { acceptCounterOffer, counterBack } from "#app/services/po-negotiation.server.ts";
import { applyPurchaseOrderEvent } from "#app/services/purchase-orders.server.ts";
import { confirmReceipt } from "#app/services/receiving.server.ts";
import { countingSeededRows, type SeededRowCounts } from "./count-seeded-rows.ts";
import { acceptPurchaseOrder, addPortalComment, submitCounterOffer, updateShippingDetails } from "#app/services/supplier-portal.server.ts";

export const DEMO_NEGOTIATION_MARKER = "demo-negotiation";

const MERCHANT: Actor = { type: "MERCHANT", name: "Alex (owner)" };
const POLICY: Actor = { type: "SYSTEM", name: "approval policy" };
const DISPATCH: Actor = { type: "SYSTEM", name: "PO dispatch" };

/** Jobs a receipt asks for after its commit (re-plan, channel push) are not wanted while seeding. */
const NO_QUEUES = { enqueue: async () => "seed" };

export interface PurchasingDemoSummary {
  created: { number: string; status: string }[];
  /** The PO whose negotiation is waiting for the merchant (its portal link is printed by the demo). */
  negotiationPurchaseOrderId: string | null;
}

/** The seed's row counts this adds to (so the demo seed's summary still matches the tables). */
type CountsToUpdate = Pick<SeededRowCounts, "purchaseOrders" | "purchaseOrderLines" | "purchaseOrderEvents" | "receipts" | "receiptLines" | "inventoryMovements">;

export async function seedPurchasingDemo(
  prisma: PrismaClient,
  shopId: string,
  options: { asOf: IsoDay; log?: (line: string) => void; counts?: CountsToUpdate | null },
): Promise<PurchasingDemoSummary> {
  return countingSeededRows(prisma, shopId, options.counts, () => seedStates(prisma, shopId, options));
}

async function seedStates(prisma: PrismaClient, shopId: string, options: { asOf: IsoDay; log?: (line: string) => void }): Promise<PurchasingDemoSummary> {
  const log = options.log ?? (() => {});
  const existing = await prisma.purchaseOrder.findFirst({ where: { shopId, notes: DEMO_NEGOTIATION_MARKER }, select: { id: true } });
  if (existing) return { created: [], negotiationPurchaseOrderId: existing.id };

  const at = (daysAgo: number, hour = 10) => new Date(`${addDays(options.asOf, -daysAgo)}T${String(hour).padStart(2, "0")}:00:00.000Z`);
  const day = (daysFromNow: number) => addDays(options.asOf, daysFromNow);
  const location = await prisma.location.findFirst({ where: { shopId, isDefault: true }, select: { id: true } });
  const suppliers = await prisma.supplier.findMany({
    where: { shopId },
    orderBy: { name: "asc" },
    select: { id: true, name: true, contactName: true, products: { select: { skuId: true, unitCost: true, casePack: true, supplierPartNumber: true }, orderBy: { skuId: "asc" }, take: 3 } },
  });
  const usable = suppliers.filter((s) => s.products.length >= 2);
  if (!location || usable.length === 0) {
    log("purchasing demo: no supplier with products, skipped");
    return { created: [], negotiationPurchaseOrderId: null };
  }
  const year = Number(options.asOf.slice(0, 4));
  const created: PurchasingDemoSummary["created"] = [];
  let k = 0;

  /** A PO written as the reorder engine writes its drafts. */
  async function draft(createdAt: Date, options: { flags?: string[]; notes?: string } = {}) {
    const supplier = usable[k++ % usable.length]!;
    const number = await prisma.$transaction((tx) => nextDocumentNumber(tx, shopId, "PO", year));
    const lines = supplier.products.map((p, i) => {
      const pack = Math.max(1, p.casePack);
      return { skuId: p.skuId, quantityOrdered: pack * (4 + 2 * i + (k % 3)), unitCost: p.unitCost, supplierPartNumber: p.supplierPartNumber };
    });
    const subtotal = lines.reduce((sum, l) => sum + l.quantityOrdered * Number(l.unitCost), 0).toFixed(2);
    const po = await prisma.purchaseOrder.create({
      data: {
        shopId, number, supplierId: supplier.id, locationId: location!.id, status: "DRAFT", currency: "GBP", subtotal, total: subtotal, flags: options.flags ?? [],
        notes: options.notes ?? null, createdAt,
        lines: { create: lines.map((l) => ({ shopId, ...l, expectedDate: new Date(`${day(21)}T00:00:00.000Z`) })) },
      },
      select: { id: true, number: true, supplierId: true },
    });
    return { ...po, scope: { shopId, supplierId: po.supplierId, purchaseOrderId: po.id }, contact: supplier.contactName ?? supplier.name };
  }

  async function sent(daysAgo: number, options: { notes?: string } = {}) {
    const po = await draft(at(daysAgo + 1, 2), options);
    await applyPurchaseOrderEvent(shopId, po.id, "auto-approve", POLICY, { now: at(daysAgo + 1, 2), message: "within the shop's autonomous scope and under the approval threshold" });
    await applyPurchaseOrderEvent(shopId, po.id, "send", DISPATCH, { now: at(daysAgo, 6), message: "emailed to the supplier with the PDF and the portal link", data: { round: 1, delivery: "EMAIL" } });
    return po;
  }

  async function lineIds(purchaseOrderId: string) {
    return (await prisma.purchaseOrderLine.findMany({ where: { purchaseOrderId }, orderBy: { id: "asc" }, select: { id: true, quantityOrdered: true, unitCost: true } })) as { id: string; quantityOrdered: number; unitCost: { toString(): string } }[];
  }

  async function shipped(daysAgo: number) {
    const po = await sent(daysAgo + 9);
    await acceptPurchaseOrder(po.scope, { name: po.contact }, { now: at(daysAgo + 8, 14) });
    // The promised date holds (a moved ETA would write customer updates for the seeded history).
    await updateShippingDetails(po.scope, { expectedShipDate: day(-daysAgo), shipMethod: "ground", name: po.contact }, { now: at(daysAgo + 6, 9) });
    await updateShippingDetails(po.scope, { expectedShipDate: day(-daysAgo), shipMethod: "ground", trackingNumbers: `1Z9${String(100000000 + k * 7919).slice(0, 9)}84`, supplierReference: `SO-${4400 + k}`, name: po.contact }, { now: at(daysAgo, 16) });
    return po;
  }

  // Draft: the engine's proposal of tonight, not yet through the policy.
  created.push({ number: (await draft(at(0, 3))).number, status: "DRAFT" });

  // Awaiting approval: flagged, so the policy sent it to the review queue.
  {
    const po = await draft(at(1, 3), { flags: ["PRICE_CHANGE"] });
    await applyPurchaseOrderEvent(shopId, po.id, "submit", POLICY, { now: at(1, 3), message: "Needs review: a unit cost changed by more than 10% since the last order", data: { reasons: ["unit cost changed"] } });
    created.push({ number: po.number, status: "AWAITING_APPROVAL" });
  }

  // Sent this morning, no answer yet.
  created.push({ number: (await sent(0)).number, status: "SENT" });

  // Acknowledged, with a question on one line.
  {
    const po = await sent(3);
    await applyPurchaseOrderEvent(shopId, po.id, "acknowledge", { type: "SUPPLIER", name: po.contact }, { now: at(2, 9) });
    const [first] = await lineIds(po.id);
    await addPortalComment(po.scope, { text: "Received, thank you. Can this line go in the new colourway? Same price.", lineId: first!.id, name: po.contact }, { now: at(2, 9) });
    created.push({ number: po.number, status: "ACKNOWLEDGED" });
  }

  // Countered, three rounds, the supplier's latest offer waiting for the merchant.
  let negotiationPurchaseOrderId: string | null = null;
  {
    const po = await sent(6, { notes: DEMO_NEGOTIATION_MARKER });
    const [a, b] = await lineIds(po.id);
    const price = (line: { unitCost: { toString(): string } }, factor: number) => (Number(line.unitCost.toString()) * factor).toFixed(2);
    await submitCounterOffer(
      po.scope,
      { lines: { [a!.id]: { quantity: String(Math.floor(a!.quantityOrdered * 0.6)), unitCost: price(a!, 1.12) } }, notes: "Our kiln is booked: we can make 60% of the first line now, and the clay price went up 12%.", name: po.contact },
      { now: at(5, 11) },
    );
    await counterBack(shopId, po.id, { lines: { [a!.id]: { quantity: String(Math.floor(a!.quantityOrdered * 0.8)), unitCost: price(a!, 1.05) } }, notes: "We need at least 80% for the holiday season. Could you meet us at +5%?" }, { name: MERCHANT.name ?? null }, { now: at(4, 15) });
    await submitCounterOffer(
      po.scope,
      {
        lines: { [a!.id]: { quantity: String(Math.floor(a!.quantityOrdered * 0.8)), unitCost: price(a!, 1.07) }, [b!.id]: { expectedDate: day(18) } },
        notes: "80% works if we ship the second line a few days later. +7% is the best we can do.",
        name: po.contact,
      },
      { now: at(3, 10) },
    );
    negotiationPurchaseOrderId = po.id;
    created.push({ number: po.number, status: "COUNTERED" });
  }

  // Confirmed after a one-round negotiation; the supplier has promised a ship date.
  {
    const po = await sent(10);
    const [a] = await lineIds(po.id);
    await submitCounterOffer(po.scope, { lines: { [a!.id]: { expectedDate: day(12) } }, notes: "Glaze batch needs a week longer for this line.", name: po.contact }, { now: at(9, 10) });
    await acceptCounterOffer(shopId, po.id, { name: MERCHANT.name ?? null }, { now: at(8, 16) });
    await updateShippingDetails(po.scope, { expectedShipDate: day(4), shipMethod: "ocean", supplierReference: `SO-${5100 + k}`, name: po.contact }, { now: at(7, 10) });
    created.push({ number: po.number, status: "CONFIRMED" });
  }

  // Shipped, on its way.
  created.push({ number: (await shipped(3)).number, status: "SHIPPED" });

  // Arriving: the carrier reported it delivered; nobody has counted it yet.
  {
    const po = await shipped(6);
    await applyPurchaseOrderEvent(shopId, po.id, "mark-arriving", { type: "SYSTEM", name: "carrier tracking" }, { now: at(1, 13), message: "UPS: delivered, signed by DOCK" });
    created.push({ number: po.number, status: "ARRIVING" });
  }

  // Partially received, and received in full (closed), through the receiving service: ledger, journal and payables.
  for (const [label, full] of [["partial", false], ["full", true]] as const) {
    const po = await shipped(full ? 12 : 8);
    const lines = await lineIds(po.id);
    const result = await confirmReceipt(
      shopId,
      { receiptKey: `demo-${label}-${po.number}`, purchaseOrderId: po.id, lines: lines.map((l, i) => ({ lineId: l.id, received: full || i > 0 ? l.quantityOrdered : Math.floor(l.quantityOrdered / 2) })), receivedBy: "Sam (warehouse)" },
      { now: at(full ? 5 : 2, 11), queues: NO_QUEUES as never },
    );
    created.push({ number: po.number, status: result.status });
  }

  // Cancelled: the supplier could not deliver.
  {
    const po = await sent(9);
    await addPortalComment(po.scope, { text: "Sorry, this range is discontinued at the factory. We cannot supply it.", name: po.contact }, { now: at(8, 12) });
    await applyPurchaseOrderEvent(shopId, po.id, "cancel", MERCHANT, { now: at(8, 15), message: "the supplier discontinued the range" });
    created.push({ number: po.number, status: "CANCELLED" });
  }

  log(`purchase orders in every state: ${created.map((c) => `${c.number} ${c.status.toLowerCase().replace(/_/g, " ")}`).join(", ")}`);
  return { created, negotiationPurchaseOrderId };
}
