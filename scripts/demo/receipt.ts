// Demo (issue 5): once the channel sandboxes hold the demo store, one open purchase order is received
// in part through the real receiving service, so the new quantities travel to every sandbox through the
// regular push-stock job. When no PO is on its way yet, the newest engine draft is walked through the
// lifecycle first (approved, sent, accepted and shipped) exactly as the state machine allows. The
// receipt key is fixed per PO, so a restarted demo replays it and nothing is received twice.
import type { PrismaClient } from "@prisma/client";
import { applyPurchaseOrderEvent } from "../../app/services/purchase-orders.server.ts";
import { confirmReceipt } from "../../app/services/receiving.server.ts";

// Preferred first: a PO already being received stays "partially received", and goods that are on the
// road are what a warehouse receives; a sent or confirmed PO is the last resort.
const RECEIVABLE = ["PARTIALLY_RECEIVED", "ARRIVING", "SHIPPED", "CONFIRMED", "ACKNOWLEDGED", "SENT"] as const;

export interface DemoReceipt {
  number: string;
  units: number;
  skus: number;
  status: string;
  replayed: boolean;
}

/** Receives about half of what is outstanding on one open PO (at least one unit per line). */
export async function receiveDemoDelivery(input: { prisma: PrismaClient; shopId: string; say?: (line: string) => void; now?: Date }): Promise<DemoReceipt | null> {
  const { prisma, shopId } = input;
  const say = input.say ?? (() => {});
  try {
    const already = await prisma.receipt.findFirst({ where: { shopId, idempotencyKey: { startsWith: "demo-receipt-" } }, select: { purchaseOrderId: true } });
    let po: { id: string; number: string; status: string } | null = already?.purchaseOrderId
      ? await prisma.purchaseOrder.findFirst({ where: { id: already.purchaseOrderId, shopId }, select: { id: true, number: true, status: true } }) : null;
    if (!po) {
      const open = await prisma.purchaseOrder.findMany({
        where: { shopId, status: { in: [...RECEIVABLE] }, lines: { some: { sku: { listings: { some: {} } } } } },
        orderBy: [{ expectedArrivalDate: { sort: "asc", nulls: "last" } }, { number: "asc" }],
        select: { id: true, number: true, status: true },
      });
      const rank = (status: string) => (RECEIVABLE as readonly string[]).indexOf(status);
      po = open.sort((a, b) => rank(a.status) - rank(b.status))[0] ?? null;
    }
    if (!po) po = await shipNewestDraft(prisma, shopId, input.now);
    if (!po) {
      say("• Demo receipt skipped: no purchase order to receive yet");
      return null;
    }
    const lines = await prisma.purchaseOrderLine.findMany({ where: { shopId, purchaseOrderId: po.id }, orderBy: { id: "asc" }, select: { id: true, quantityOrdered: true, quantityReceived: true } });
    const counts = lines
      .map((l) => ({ lineId: l.id, received: Math.max(1, Math.floor((l.quantityOrdered - l.quantityReceived) / 2)), outstanding: l.quantityOrdered - l.quantityReceived }))
      .filter((l) => l.outstanding > 0)
      .map(({ lineId, received }) => ({ lineId, received }));
    if (counts.length === 0 && !already) {
      say(`• Demo receipt skipped: ${po.number} has nothing outstanding`);
      return null;
    }
    const result = await confirmReceipt(
      shopId,
      { purchaseOrderId: po.id, receiptKey: `demo-receipt-${po.id}`, lines: counts.length ? counts : [{ lineId: lines[0]?.id ?? "", received: 1 }], receivedBy: "Demo warehouse" },
      input.now ? { now: input.now } : {},
    );
    const units = counts.reduce((s, c) => s + c.received, 0);
    say(
      result.replayed
        ? `• Demo receipt on ${result.documentNumber} already booked (nothing received twice)`
        : `• Received ${units} unit${units === 1 ? "" : "s"} of ${counts.length} SKU${counts.length === 1 ? "" : "s"} on ${result.documentNumber} (now ${result.status.toLowerCase().replace(/_/g, " ")}); the new quantities are on their way to every channel sandbox`,
    );
    return { number: result.documentNumber, units: result.replayed ? 0 : units, skus: result.skuIds.length, status: result.status, replayed: result.replayed };
  } catch (error) {
    // The demo keeps running without it; the receiving screen shows why when tried by hand.
    say(`• Demo receipt not booked: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
}

async function shipNewestDraft(prisma: PrismaClient, shopId: string, now?: Date): Promise<{ id: string; number: string; status: string } | null> {
  const draft = await prisma.purchaseOrder.findFirst({
    where: { shopId, status: { in: ["DRAFT", "AWAITING_APPROVAL"] }, lines: { some: { sku: { listings: { some: {} } } } } },
    orderBy: [{ createdAt: "desc" }, { number: "desc" }],
    select: { id: true, number: true, approvedAt: true, supplier: { select: { name: true } } },
  });
  if (!draft) return null;
  const at = now ? { now } : {};
  const merchant = { type: "MERCHANT" as const, name: "Demo merchant" };
  const supplier = { type: "SUPPLIER" as const, name: draft.supplier.name };
  if (!draft.approvedAt) await applyPurchaseOrderEvent(shopId, draft.id, "approve", merchant, at);
  await applyPurchaseOrderEvent(shopId, draft.id, "send", merchant, at);
  await applyPurchaseOrderEvent(shopId, draft.id, "accept", supplier, at);
  const shipped = await applyPurchaseOrderEvent(shopId, draft.id, "ship", supplier, at);
  return { id: draft.id, number: draft.number, status: shipped.toStatus };
}
