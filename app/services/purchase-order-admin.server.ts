import type { ActorType, PurchaseOrderStatus } from "@prisma/client";
import { AppError } from "#app/lib/app-error.ts";
import type { QueueRegistry } from "#app/lib/queue.server.ts";
import { PO_TRANSITIONS, type Actor } from "#app/domain/purchasing/purchase-order.ts";
import { lineTotalCents, sumCents, toCents, toPriceUnits, type Cents } from "#app/domain/shared/money.ts";
import { lockPurchaseOrder, type LifecycleTx } from "#app/models/purchase-order-lifecycle.server.ts";
import { forShop } from "#app/models/scoped-db.server.ts";
import { enqueueDispatch, sentRounds } from "./po-dispatch.server.ts";
import { applyPurchaseOrderEvent, applyPurchaseOrderEventInTransaction } from "./purchase-orders.server.ts";

/**
 * What the PO detail page (/app/purchase-orders/$id) shows and the merchant's actions on it: approve,
 * edit quantities, reject with a reason (the review queue), send / resend, cancel. Every status change
 * goes through the state machine (applyPurchaseOrderEvent*), so the page can offer only what the machine
 * allows and a stale page's click gets the machine's "not allowed" message instead of a silent change.
 */

const TRANSACTION = { timeout: 15_000, maxWait: 15_000 };

export interface PurchaseOrderDetailLine {
  id: string;
  skuCode: string;
  title: string;
  variantTitle: string | null;
  supplierPartNumber: string | null;
  quantityOrdered: number;
  quantityReceived: number;
  unitCost: string;
  lineTotal: Cents;
  expectedDate: string | null;
  explanation: string | null;
  abcClass: string | null;
}

export interface PurchaseOrderDetailEvent {
  id: string;
  at: string;
  type: string;
  actorType: ActorType;
  actorName: string | null;
  fromStatus: PurchaseOrderStatus | null;
  toStatus: PurchaseOrderStatus | null;
  message: string | null;
}

export interface PurchaseOrderDetail {
  id: string;
  number: string;
  status: PurchaseOrderStatus;
  currency: string;
  subtotal: Cents;
  shipping: Cents;
  total: Cents;
  flags: string[];
  approvedAt: string | null;
  approvedBy: string | null;
  sentAt: string | null;
  expectedShipDate: string | null;
  expectedArrivalDate: string | null;
  shipMethod: string | null;
  trackingNumbers: string[];
  supplierReference: string | null;
  supplier: { id: string; name: string; poDelivery: string; documentFormat: string; autoSend: boolean; orderEmail: string | null };
  shipTo: string;
  lines: PurchaseOrderDetailLine[];
  events: PurchaseOrderDetailEvent[];
  /** Why it waits for a person: open review items and the policy's last reasons. */
  reviewReasons: string[];
  /** What the page may offer now (the state machine's answer for a merchant). */
  can: { approve: boolean; editQuantities: boolean; reject: boolean; send: boolean; resend: boolean; cancel: boolean };
  timeZone: string;
}

const day = (d: Date | null) => (d ? d.toISOString().slice(0, 10) : null);

function allowed(event: keyof typeof PO_TRANSITIONS, status: PurchaseOrderStatus): boolean {
  return (PO_TRANSITIONS[event].from as readonly string[]).includes(status);
}

export async function getPurchaseOrderDetail(shopId: string, purchaseOrderId: string): Promise<PurchaseOrderDetail> {
  const db = forShop(shopId);
  const po = await db.purchaseOrder.findUnique({
    where: { id: purchaseOrderId },
    include: {
      shop: { select: { timezone: true } },
      supplier: { select: { id: true, name: true, poDelivery: true, documentFormat: true, autoSend: true, orderEmail: true, products: { select: { skuId: true, supplierPartNumber: true } } } },
      location: { select: { name: true } },
      lines: { include: { sku: { select: { code: true, title: true, variantTitle: true } } } },
      events: { orderBy: [{ createdAt: "asc" }, { id: "asc" }] },
    },
  });
  if (!po) throw new AppError("not_found", "Purchase order not found");
  const suggestionIds = po.lines.flatMap((l) => (l.suggestionId ? [l.suggestionId] : []));
  const suggestions = suggestionIds.length
    ? await db.reorderSuggestion.findMany({ where: { id: { in: suggestionIds } }, select: { id: true, explanationText: true, abcClass: true } })
    : [];
  const bySuggestion = new Map(suggestions.map((s) => [s.id, s]));
  const parts = new Map(po.supplier.products.map((p) => [p.skuId, p.supplierPartNumber]));
  const reviewItems = await db.reviewItem.findMany({
    where: { status: "OPEN", OR: [{ subjectType: "PURCHASE_ORDER", subjectId: po.id }, { kind: "FLAGGED_PO", details: { path: ["purchaseOrderId"], equals: po.id } }] },
    select: { reason: true },
    orderBy: { createdAt: "asc" },
  });
  const lastPolicy = [...po.events].reverse().find((e) => e.actorName === "approval policy");
  const policyReasons = ((lastPolicy?.data as { reasons?: unknown } | null)?.reasons ?? []) as unknown[];

  const lines = po.lines
    .map((l): PurchaseOrderDetailLine => {
      const suggestion = l.suggestionId ? bySuggestion.get(l.suggestionId) : undefined;
      return {
        id: l.id,
        skuCode: l.sku.code,
        title: l.sku.title,
        variantTitle: l.sku.variantTitle,
        supplierPartNumber: l.supplierPartNumber ?? parts.get(l.skuId) ?? null,
        quantityOrdered: l.quantityOrdered,
        quantityReceived: l.quantityReceived,
        unitCost: l.unitCost.toString(),
        lineTotal: lineTotalCents(l.quantityOrdered, toPriceUnits(l.unitCost.toString())),
        expectedDate: day(l.expectedDate),
        explanation: suggestion?.explanationText ?? null,
        abcClass: suggestion?.abcClass ?? null,
      };
    })
    .sort((a, b) => a.skuCode.localeCompare(b.skuCode));

  const unsent = po.status === "DRAFT" || po.status === "AWAITING_APPROVAL";
  const approved = po.approvedAt !== null;
  return {
    id: po.id,
    number: po.number,
    status: po.status,
    currency: po.currency,
    subtotal: toCents(po.subtotal.toString()),
    shipping: toCents(po.shippingCost.toString()),
    total: toCents(po.total.toString()),
    flags: po.flags,
    approvedAt: po.approvedAt?.toISOString() ?? null,
    approvedBy: po.approvedBy,
    sentAt: po.sentAt?.toISOString() ?? null,
    expectedShipDate: day(po.expectedShipDate),
    expectedArrivalDate: day(po.expectedArrivalDate),
    shipMethod: po.shipMethod,
    trackingNumbers: po.trackingNumbers,
    supplierReference: po.supplierReference,
    supplier: {
      id: po.supplier.id, name: po.supplier.name, poDelivery: po.supplier.poDelivery, documentFormat: po.supplier.documentFormat,
      autoSend: po.supplier.autoSend, orderEmail: po.supplier.orderEmail,
    },
    shipTo: po.location.name,
    lines,
    events: po.events.map((e) => ({
      id: e.id, at: e.createdAt.toISOString(), type: e.type, actorType: e.actorType, actorName: e.actorName,
      fromStatus: e.fromStatus, toStatus: e.toStatus, message: e.message,
    })),
    reviewReasons: [...new Set([...reviewItems.map((r) => r.reason), ...policyReasons.filter((r): r is string => typeof r === "string")])],
    can: {
      approve: unsent && !approved,
      editQuantities: unsent && !approved,
      reject: unsent,
      send: unsent && approved,
      resend: ["SENT", "ACKNOWLEDGED", "COUNTERED", "CONFIRMED", "SHIPPED"].includes(po.status),
      cancel: allowed("cancel", po.status),
    },
    timeZone: po.shop.timezone,
  };
}

async function resolvePoReviewItems(tx: LifecycleTx, shopId: string, purchaseOrderId: string, by: string, now: Date): Promise<void> {
  await tx.reviewItem.updateMany({
    where: {
      shopId, status: "OPEN", kind: { in: ["FLAGGED_PO", "UNACKNOWLEDGED_PO"] },
      OR: [{ subjectType: "PURCHASE_ORDER", subjectId: purchaseOrderId }, { details: { path: ["purchaseOrderId"], equals: purchaseOrderId } }],
    },
    data: { status: "RESOLVED", resolvedAt: now, resolvedBy: by },
  });
}

export interface AdminDeps {
  queues: QueueRegistry;
  now?: Date;
}

/**
 * A person approves the PO. For an auto-send supplier it goes out at once (the dispatch job); for the
 * others it waits for "Send". The review items about it are resolved.
 */
export async function approvePurchaseOrder(shopId: string, purchaseOrderId: string, staff: string, deps: AdminDeps): Promise<{ dispatched: boolean }> {
  const now = deps.now ?? new Date();
  const actor: Actor = { type: "MERCHANT", name: staff };
  const autoSend = await forShop(shopId).$transaction(async (tx) => {
    await applyPurchaseOrderEventInTransaction(tx, shopId, purchaseOrderId, "approve", actor, { now });
    await resolvePoReviewItems(tx, shopId, purchaseOrderId, staff, now);
    const po = await tx.purchaseOrder.findUniqueOrThrow({ where: { id: purchaseOrderId }, select: { supplier: { select: { autoSend: true } } } });
    return po.supplier.autoSend;
  }, TRANSACTION);
  if (autoSend) await enqueueDispatch(deps.queues, shopId, purchaseOrderId);
  return { dispatched: autoSend };
}

/** "Send to supplier" for an approved, unsent PO: the dispatch job sends it and records SENT. */
export async function sendPurchaseOrder(shopId: string, purchaseOrderId: string, staff: string, deps: AdminDeps): Promise<void> {
  const po = await forShop(shopId).purchaseOrder.findUnique({ where: { id: purchaseOrderId }, select: { number: true, status: true, approvedAt: true } });
  if (!po) throw new AppError("not_found", "Purchase order not found");
  if (po.approvedAt === null) throw new AppError("conflict", `${po.number} is not approved yet: approve it first`);
  if (po.status !== "DRAFT" && po.status !== "AWAITING_APPROVAL") throw new AppError("conflict", `${po.number} has already been sent`);
  await forShop(shopId).purchaseOrderEvent.create({
    data: { shopId, purchaseOrderId, type: "COMMENT", actorType: "MERCHANT", actorName: staff, message: "Send to supplier requested", data: { action: "send" }, createdAt: deps.now ?? new Date() },
  });
  await enqueueDispatch(deps.queues, shopId, purchaseOrderId);
}

/** "Resend": the supplier gets the current document and a fresh portal link again (a new round). */
export async function resendPurchaseOrder(shopId: string, purchaseOrderId: string, staff: string, deps: AdminDeps): Promise<{ round: number }> {
  const po = await forShop(shopId).purchaseOrder.findUnique({ where: { id: purchaseOrderId }, select: { number: true, status: true } });
  if (!po) throw new AppError("not_found", "Purchase order not found");
  if (!["SENT", "ACKNOWLEDGED", "COUNTERED", "CONFIRMED", "SHIPPED"].includes(po.status)) {
    throw new AppError("conflict", `${po.number} is ${po.status.toLowerCase().replace(/_/g, " ")}: only sent, not yet delivered POs can be resent`);
  }
  const round = (await sentRounds(shopId, purchaseOrderId)) + 1;
  await forShop(shopId).purchaseOrderEvent.create({
    data: { shopId, purchaseOrderId, type: "COMMENT", actorType: "MERCHANT", actorName: staff, message: "Resend to supplier requested", data: { action: "resend", round }, createdAt: deps.now ?? new Date() },
  });
  await enqueueDispatch(deps.queues, shopId, purchaseOrderId, round);
  return { round };
}

/** Reject from the review queue: the PO is cancelled with the reason, and its review items resolved. */
export async function rejectPurchaseOrder(shopId: string, purchaseOrderId: string, reason: string, staff: string, deps: { now?: Date } = {}): Promise<void> {
  const text = reason.trim();
  if (text.length === 0) throw new AppError("invalid", "Give a reason for rejecting this purchase order");
  if (text.length > 1000) throw new AppError("invalid", "Keep the reason under 1,000 characters");
  const now = deps.now ?? new Date();
  await forShop(shopId).$transaction(async (tx) => {
    const locked = await lockPurchaseOrder(tx, shopId, purchaseOrderId);
    if (!locked) throw new AppError("not_found", "Purchase order not found");
    if (locked.status !== "DRAFT" && locked.status !== "AWAITING_APPROVAL") throw new AppError("conflict", `${locked.number} has been sent already: cancel it instead`);
    await applyPurchaseOrderEventInTransaction(tx, shopId, purchaseOrderId, "cancel", { type: "MERCHANT", name: staff }, { now, message: `Rejected: ${text}`, data: { rejected: true, reason: text } });
    await resolvePoReviewItems(tx, shopId, purchaseOrderId, staff, now);
  }, TRANSACTION);
}

export async function cancelPurchaseOrder(shopId: string, purchaseOrderId: string, reason: string, staff: string, deps: { now?: Date } = {}): Promise<void> {
  const text = reason.trim();
  if (text.length > 1000) throw new AppError("invalid", "Keep the reason under 1,000 characters");
  await applyPurchaseOrderEvent(shopId, purchaseOrderId, "cancel", { type: "MERCHANT", name: staff }, {
    now: deps.now ?? new Date(),
    ...(text ? { message: text, data: { reason: text } } : {}),
  });
}

export class QuantityEditError extends AppError {
  constructor(readonly fieldErrors: Record<string, string>) {
    super("invalid", Object.values(fieldErrors)[0] ?? "Some quantities need a fix");
  }
}

/**
 * Edits line quantities of an unapproved, unsent PO (review queue). 0 removes a line; at least one line
 * must stay. Totals are recomputed from the lines; the change is logged with before and after.
 */
export async function editPurchaseOrderQuantities(
  shopId: string,
  purchaseOrderId: string,
  quantities: Record<string, string>,
  staff: string,
  deps: { now?: Date } = {},
): Promise<{ changed: number }> {
  const now = deps.now ?? new Date();
  return forShop(shopId).$transaction(async (tx) => {
    const locked = await lockPurchaseOrder(tx, shopId, purchaseOrderId);
    if (!locked) throw new AppError("not_found", "Purchase order not found");
    if (locked.status !== "DRAFT" && locked.status !== "AWAITING_APPROVAL") throw new AppError("conflict", `${locked.number} has been sent: quantities change through the supplier portal now`);
    if (locked.approvedAt !== null) throw new AppError("conflict", `${locked.number} is approved already: quantities can no longer be edited`);
    const lines = await tx.purchaseOrderLine.findMany({ where: { purchaseOrderId }, include: { sku: { select: { code: true } } } });
    const errors: Record<string, string> = {};
    const next = new Map<string, number>();
    for (const line of lines) {
      const raw = quantities[line.id];
      if (raw === undefined) continue;
      const text = raw.trim();
      if (!/^\d+$/.test(text)) {
        errors[line.id] = `${line.sku.code}: enter a whole number of units (0 removes the line)`;
        continue;
      }
      const value = Number(text);
      if (value > 1_000_000) errors[line.id] = `${line.sku.code}: at most 1,000,000 units`;
      else next.set(line.id, value);
    }
    for (const id of Object.keys(quantities)) if (!lines.some((l) => l.id === id)) errors[id] = "This line is no longer on the purchase order: reload the page";
    if (Object.keys(errors).length > 0) throw new QuantityEditError(errors);
    const after = lines.map((l) => ({ line: l, quantity: next.get(l.id) ?? l.quantityOrdered }));
    if (after.every((a) => a.quantity === 0)) throw new QuantityEditError({ form: "A purchase order needs at least one line: reject it instead of removing every line" });
    const changes = after.filter((a) => a.quantity !== a.line.quantityOrdered);
    if (changes.length === 0) return { changed: 0 };
    for (const { line, quantity } of changes) {
      if (quantity === 0) await tx.purchaseOrderLine.delete({ where: { id: line.id } });
      else await tx.purchaseOrderLine.update({ where: { id: line.id }, data: { quantityOrdered: quantity } });
    }
    const subtotal = sumCents(after.filter((a) => a.quantity > 0).map((a) => lineTotalCents(a.quantity, toPriceUnits(a.line.unitCost.toString()))));
    const po = await tx.purchaseOrder.findUniqueOrThrow({ where: { id: purchaseOrderId }, select: { shippingCost: true } });
    const total = subtotal + toCents(po.shippingCost.toString());
    await tx.purchaseOrder.update({ where: { id: purchaseOrderId }, data: { subtotal: (subtotal / 100).toFixed(2), total: (total / 100).toFixed(2) } });
    await tx.purchaseOrderEvent.create({
      data: {
        shopId, purchaseOrderId, type: "LINES_EDITED", actorType: "MERCHANT", actorName: staff, createdAt: now,
        message: `Quantities edited: ${changes.map((c) => `${c.line.sku.code} ${c.line.quantityOrdered} → ${c.quantity}${c.quantity === 0 ? " (removed)" : ""}`).join(", ")}`,
        data: { changes: changes.map((c) => ({ skuCode: c.line.sku.code, from: c.line.quantityOrdered, to: c.quantity })) },
      },
    });
    return { changed: changes.length };
  }, TRANSACTION);
}
