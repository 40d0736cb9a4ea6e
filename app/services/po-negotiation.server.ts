import type { Prisma, PurchaseOrderStatus, ReviewKind } from "@prisma/client";
import { getEnv } from "#app/env.server.ts";
import { AppError } from "#app/lib/app-error.ts";
import {
  offerSubtotal,
  parseOffer,
  readOfferData,
  whoseTurn,
  type CurrentLine,
  type OfferData,
  type OfferFieldErrors,
  type OfferInput,
  type OfferLineTerms,
  type OfferParty,
} from "#app/domain/purchasing/negotiation.ts";
import { fromDayNumber, toDayNumber, type IsoDay } from "#app/domain/shared/day.ts";
import type { Actor } from "#app/domain/purchasing/purchase-order.ts";
import { lockPurchaseOrder, type LifecycleTx } from "#app/models/purchase-order-lifecycle.server.ts";
import { forShop } from "#app/models/scoped-db.server.ts";
import { dispatchNotifications, queueNotifications } from "./notification-outbox.server.ts";
import { issuePortalToken } from "#app/lib/signed-link.server.ts";
import { applyPurchaseOrderEventInTransaction } from "./purchase-orders.server.ts";

// The negotiation thread of a PO (issue 5, item 4), merchant side, and what the portal shares with it:
// offers are OFFER rows in the PO's event log (data = every line's proposed terms), so the thread and
// the audit log are one list and no round is ever overwritten. The PO lines only change when a party
// accepts the other's offer, in the same transaction as the status change.

const TRANSACTION = { timeout: 15_000, maxWait: 15_000 };

export type NegotiationTx = LifecycleTx;

export interface ThreadEntry {
  id: string;
  type: string;
  actorType: string;
  actorName: string | null;
  message: string | null;
  lineId: string | null;
  createdAt: string;
  offer: OfferData | null;
  /** Attachment id, for ATTACHMENT entries. */
  attachmentId: string | null;
}

export interface LatestOffer {
  eventId: string;
  party: OfferParty;
  offer: OfferData;
}

export function todayOf(now: Date): IsoDay {
  return fromDayNumber(toDayNumber(now));
}

export async function loadCurrentLines(tx: NegotiationTx, purchaseOrderId: string): Promise<CurrentLine[]> {
  const lines = await tx.purchaseOrderLine.findMany({
    where: { purchaseOrderId },
    select: {
      id: true,
      quantityOrdered: true,
      unitCost: true,
      expectedDate: true,
    },
    orderBy: { id: "asc" },
  });
  return lines.map((l) => ({
    id: l.id,
    quantityOrdered: l.quantityOrdered,
    unitCost: l.unitCost.toString(),
    expectedDate: l.expectedDate ? todayOf(l.expectedDate) : null,
  }));
}

export async function latestOffer(tx: NegotiationTx, purchaseOrderId: string): Promise<LatestOffer | null> {
  const rows = await tx.purchaseOrderEvent.findMany({
    where: { purchaseOrderId, type: "OFFER" },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 1,
    select: { id: true, actorType: true, data: true },
  });
  const row = rows[0];
  const offer = row ? readOfferData(row.data) : null;
  if (!row || !offer || row.actorType === "SYSTEM") return null;
  return { eventId: row.id, party: row.actorType, offer };
}

/** Writes the accepted terms into the lines and the PO totals. */
export async function applyOfferTerms(tx: NegotiationTx, purchaseOrderId: string, terms: readonly OfferLineTerms[]): Promise<void> {
  for (const line of terms) {
    await tx.purchaseOrderLine.update({
      where: { id: line.lineId },
      data: {
        quantityOrdered: line.quantity,
        unitCost: line.unitCost,
        expectedDate: line.expectedDate ? new Date(`${line.expectedDate}T00:00:00Z`) : null,
      },
    });
  }
  const lines = await tx.purchaseOrderLine.findMany({
    where: { purchaseOrderId },
    select: { quantityOrdered: true, unitCost: true },
  });
  const po = await tx.purchaseOrder.findUniqueOrThrow({
    where: { id: purchaseOrderId },
    select: { shippingCost: true },
  });
  const subtotal = offerSubtotal(
    lines.map((l) => ({
      quantity: l.quantityOrdered,
      unitCost: l.unitCost.toString(),
    }))
  );
  const shipping = Math.round(Number(po.shippingCost.toString()) * 100);
  await tx.purchaseOrder.update({
    where: { id: purchaseOrderId },
    data: {
      subtotal: (subtotal / 100).toFixed(2),
      total: ((subtotal + shipping) / 100).toFixed(2),
    },
  });
}

/** Appends an OFFER row (one negotiation round). */
export async function recordOffer(
  tx: NegotiationTx,
  shopId: string,
  purchaseOrderId: string,
  party: OfferParty,
  actorName: string | null,
  terms: { lines: OfferLineTerms[]; notes: string | null },
  now: Date
): Promise<OfferData> {
  const rounds = await tx.purchaseOrderEvent.count({
    where: { purchaseOrderId, type: "OFFER" },
  });
  const offer: OfferData = {
    kind: "offer",
    round: rounds + 1,
    lines: terms.lines,
    notes: terms.notes,
  };
  const changed = terms.lines.length;
  await tx.purchaseOrderEvent.create({
    data: {
      shopId,
      purchaseOrderId,
      type: "OFFER",
      actorType: party,
      actorName,
      message: `Round ${offer.round}: ${party === "SUPPLIER" ? "supplier's counter-offer" : "merchant's counter-offer"} on ${changed} line${
        changed === 1 ? "" : "s"
      }${terms.notes ? ` — ${terms.notes}` : ""}`,
      data: offer as unknown as Prisma.InputJsonObject,
      createdAt: now,
    },
  });
  return offer;
}

/**
 * Alerts the merchant: in the app, one open review item per PO (or supplier) and kind, refreshed with
 * the latest message and reopened if it had been resolved (the review queue feeds the admin's badges);
 * and by email to the shop's alert recipients (ShopSettings.digestRecipients, as the follow-ups use),
 * through the outbox in the same transaction. Returns the notification ids to dispatch after commit.
 */
export async function alertMerchant(
  tx: NegotiationTx,
  shopId: string,
  alert: {
    kind: Extract<ReviewKind, "SUPPLIER_MESSAGE" | "REMITTANCE_CHANGE">;
    subjectType: string;
    subjectId: string;
    reason: string;
    details: Prisma.InputJsonObject;
    now: Date;
    /** The PO the message is about: the email links to its page. */
    purchaseOrderId: string;
  }
): Promise<string[]> {
  const dedupeKey = `${alert.kind}:${alert.subjectId}`;
  const item = await tx.reviewItem.upsert({
    where: { shopId_dedupeKey: { shopId, dedupeKey } },
    create: {
      shopId,
      kind: alert.kind,
      subjectType: alert.subjectType,
      subjectId: alert.subjectId,
      reason: alert.reason,
      details: alert.details,
      dedupeKey,
      createdAt: alert.now,
    },
    update: {
      status: "OPEN",
      reason: alert.reason,
      details: alert.details,
      resolvedAt: null,
      resolvedBy: null,
    },
    select: { id: true },
  });
  const settings = await tx.shopSettings.findUnique({
    where: { shopId },
    select: { digestRecipients: true },
  });
  const link = new URL(`/app/purchase-orders/${alert.purchaseOrderId}`, getEnv().SHOPIFY_APP_URL).toString();
  const subject =
    alert.kind === "REMITTANCE_CHANGE"
      ? "Supplier bank details change waiting for your confirmation"
      : alert.reason.split(":")[0] + ": new message from the supplier";
  const queued = await queueNotifications(
    // The shop-scoped transaction client has the same notification delegate; its extended type is not the plain one.
    tx as unknown as Parameters<typeof queueNotifications>[0],
    shopId,
    (settings?.digestRecipients ?? []).map((recipient, i) => ({
      channel: "EMAIL" as const,
      kind: "MERCHANT_ALERT",
      recipient,
      subject,
      bodyText: [
        alert.reason,
        "",
        alert.kind === "REMITTANCE_CHANGE"
          ? "Payments keep going to the current details until you confirm the change. Confirm it with the supplier by phone first."
          : "Open the purchase order to answer:",
        link,
      ].join("\n"),
      // One email per message: the review item's id and the instant make each alert its own row.
      dedupeKey: `supplier-alert-${item.id}-${alert.now.getTime()}-${i}`,
      payload: {
        purchaseOrderId: alert.purchaseOrderId,
        reviewItemId: item.id,
      },
    }))
  );
  return queued.ids;
}

async function resolveAlert(tx: NegotiationTx, shopId: string, kind: ReviewKind, subjectId: string, by: string, now: Date): Promise<void> {
  await tx.reviewItem.updateMany({
    where: { shopId, dedupeKey: `${kind}:${subjectId}`, status: "OPEN" },
    data: { status: "RESOLVED", resolvedAt: now, resolvedBy: by },
  });
}

function notFound(): AppError {
  return new AppError("not_found", "Purchase order not found");
}

/** A counter-offer form that did not validate: the route shows these next to the fields it kept. */
export class OfferValidationError extends AppError {
  readonly fieldErrors: OfferFieldErrors;

  constructor(fieldErrors: OfferFieldErrors) {
    super("invalid", fieldErrors.form ?? "Some fields need a fix");
    this.fieldErrors = fieldErrors;
  }
}

export interface NegotiationView {
  purchaseOrderId: string;
  number: string;
  status: PurchaseOrderStatus;
  currency: string;
  /** Whose move it is while COUNTERED; null otherwise. */
  turn: OfferParty | null;
  latestOffer: LatestOffer | null;
  lines: {
    id: string;
    skuCode: string;
    title: string;
    quantityOrdered: number;
    unitCost: string;
    expectedDate: IsoDay | null;
  }[];
  thread: ThreadEntry[];
  pendingRemittance: {
    id: string;
    submittedAt: string;
    submittedBy: string | null;
    details: Prisma.JsonValue;
  } | null;
}

/** What the PO detail page's negotiation section shows. */
export async function getNegotiationView(shopId: string, purchaseOrderId: string): Promise<NegotiationView> {
  const db = forShop(shopId);
  const po = await db.purchaseOrder.findUnique({
    where: { id: purchaseOrderId },
    select: {
      id: true,
      number: true,
      status: true,
      currency: true,
      supplierId: true,
      lines: {
        select: {
          id: true,
          quantityOrdered: true,
          unitCost: true,
          expectedDate: true,
          sku: { select: { code: true, title: true, variantTitle: true } },
        },
        orderBy: { id: "asc" },
      },
    },
  });
  if (!po) throw notFound();
  const [thread, offer, pending] = await Promise.all([
    loadThread(db, po.id, { supplierVisibleOnly: false }),
    latestOffer(db, po.id),
    db.supplierRemittance.findFirst({
      where: { supplierId: po.supplierId, status: "PENDING" },
      orderBy: { submittedAt: "desc" },
    }),
  ]);
  return {
    purchaseOrderId: po.id,
    number: po.number,
    status: po.status,
    currency: po.currency,
    turn: whoseTurn(po.status, offer),
    latestOffer: offer,
    lines: po.lines.map((l) => ({
      id: l.id,
      skuCode: l.sku.code,
      title: l.sku.variantTitle ? `${l.sku.title} — ${l.sku.variantTitle}` : l.sku.title,
      quantityOrdered: l.quantityOrdered,
      unitCost: l.unitCost.toString(),
      expectedDate: l.expectedDate ? todayOf(l.expectedDate) : null,
    })),
    thread,
    pendingRemittance: pending
      ? {
          id: pending.id,
          submittedAt: pending.submittedAt.toISOString(),
          submittedBy: pending.submittedBy,
          details: pending.details,
        }
      : null,
  };
}

const SUPPLIER_VISIBLE: readonly string[] = ["STATUS_CHANGE", "OFFER", "COMMENT", "ATTACHMENT", "ETA_CHANGE", "TRACKING_UPDATE"];

/** The thread, oldest first. The supplier sees the conversation, not internal events (follow-ups, emails, edits). */
export async function loadThread(db: NegotiationTx, purchaseOrderId: string, options: { supplierVisibleOnly: boolean }): Promise<ThreadEntry[]> {
  const rows = await db.purchaseOrderEvent.findMany({
    where: {
      purchaseOrderId,
      ...(options.supplierVisibleOnly ? { type: { in: SUPPLIER_VISIBLE as PoEventTypeList } } : {}),
    },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: {
      id: true,
      type: true,
      actorType: true,
      actorName: true,
      message: true,
      lineId: true,
      createdAt: true,
      data: true,
      fromStatus: true,
      toStatus: true,
    },
  });
  return (
    rows
      // Approval steps are the merchant's business, not the supplier's.
      .filter(
        (r) =>
          !options.supplierVisibleOnly || r.type !== "STATUS_CHANGE" || !["DRAFT", "AWAITING_APPROVAL"].includes(r.fromStatus ?? "") || r.toStatus === "SENT"
      )
      .map((r) => {
        const data = r.data && typeof r.data === "object" && !Array.isArray(r.data) ? (r.data as Record<string, unknown>) : {};
        return {
          id: r.id,
          type: r.type,
          actorType: r.actorType,
          actorName: r.actorName,
          message: r.message,
          lineId: r.lineId,
          createdAt: r.createdAt.toISOString(),
          offer: r.type === "OFFER" ? readOfferData(r.data) : null,
          attachmentId: r.type === "ATTACHMENT" && typeof data.attachmentId === "string" ? data.attachmentId : null,
        };
      })
  );
}

type PoEventTypeList = Prisma.EnumPoEventTypeFilter["in"];

/**
 * The merchant accepts the supplier's latest counter-offer: its terms become the PO lines and the PO is
 * CONFIRMED. Refused unless the latest offer is the supplier's and still open.
 */
export async function acceptCounterOffer(shopId: string, purchaseOrderId: string, actor: { name: string | null }, options: { now?: Date } = {}): Promise<void> {
  const now = options.now ?? new Date();
  const ids = await forShop(shopId).$transaction(async (tx): Promise<string[]> => {
    const po = await lockPurchaseOrder(tx, shopId, purchaseOrderId);
    if (!po) throw notFound();
    const offer = await latestOffer(tx, po.id);
    if (whoseTurn(po.status, offer) !== "MERCHANT" || !offer) {
      throw new AppError(
        "conflict",
        po.status === "COUNTERED" ? `${po.number}: the open offer is your own; wait for the supplier's answer` : `${po.number} has no counter-offer to accept`
      );
    }
    await applyOfferTerms(tx, po.id, offer.offer.lines);
    const merchant: Actor = { type: "MERCHANT", name: actor.name };
    await applyPurchaseOrderEventInTransaction(tx, shopId, po.id, "accept-counter", merchant, {
      now,
      data: {
        acceptedOfferRound: offer.offer.round,
        acceptedOfferEventId: offer.eventId,
      },
    });
    await resolveAlert(tx, shopId, "SUPPLIER_MESSAGE", po.id, actor.name ?? "merchant", now);
    return tellSupplier(tx, shopId, po.id, now, {
      event: "accepted",
      subject: `${po.number}: your counter-offer is accepted`,
      text: [`We accept your counter-offer (round ${offer.offer.round}) on purchase order ${po.number}: the order is confirmed on those terms.`, "", "Please set the ship date, ship method and tracking numbers here:"],
    });
  }, TRANSACTION);
  await dispatchNotifications(shopId, ids);
}

/** The merchant answers the supplier's counter-offer with one of their own (another round). */
export async function counterBack(
  shopId: string,
  purchaseOrderId: string,
  input: OfferInput,
  actor: { name: string | null },
  options: { now?: Date } = {}
): Promise<void> {
  const now = options.now ?? new Date();
  const ids = await forShop(shopId).$transaction(async (tx): Promise<string[]> => {
    const po = await lockPurchaseOrder(tx, shopId, purchaseOrderId);
    if (!po) throw notFound();
    const offer = await latestOffer(tx, po.id);
    if (whoseTurn(po.status, offer) !== "MERCHANT") {
      throw new AppError(
        "conflict",
        po.status === "COUNTERED" ? `${po.number}: your counter-offer is waiting for the supplier` : `${po.number} has no counter-offer to answer`
      );
    }
    const parsed = parseOffer(await loadCurrentLines(tx, po.id), input, todayOf(now));
    if (!parsed.ok) throw new OfferValidationError(parsed.error);
    const recorded = await recordOffer(tx, shopId, po.id, "MERCHANT", actor.name, parsed.value, now);
    await applyPurchaseOrderEventInTransaction(
      tx,
      shopId,
      po.id,
      "counter-back",
      { type: "MERCHANT", name: actor.name },
      { now, data: { offerRound: recorded.round } }
    );
    await resolveAlert(tx, shopId, "SUPPLIER_MESSAGE", po.id, actor.name ?? "merchant", now);
    return tellSupplier(tx, shopId, po.id, now, {
      event: `counter-${recorded.round}`,
      subject: `${po.number}: our answer to your counter-offer`,
      text: [`We answered your counter-offer on purchase order ${po.number} with ours (round ${recorded.round})${parsed.value.notes ? `: "${parsed.value.notes}"` : "."}`, "", "Accept it or counter again here:"],
    });
  }, TRANSACTION);
  await dispatchNotifications(shopId, ids);
}

/**
 * Confirms a supplier's held bank-details change: from now on it is the one in force. Older confirmed
 * rows stay as the history (the current details are the latest confirmed row).
 */
export async function decideRemittanceChange(
  shopId: string,
  remittanceId: string,
  decision: "CONFIRMED" | "REJECTED",
  actor: { name: string | null },
  options: { now?: Date } = {}
): Promise<void> {
  const now = options.now ?? new Date();
  await forShop(shopId).$transaction(async (tx) => {
    const row = await tx.supplierRemittance.findUnique({
      where: { id: remittanceId },
      select: { id: true, status: true, supplierId: true },
    });
    if (!row) throw new AppError("not_found", "Bank details change not found");
    const updated = await tx.supplierRemittance.updateMany({
      where: { id: row.id, status: "PENDING" },
      data: {
        status: decision,
        decidedAt: now,
        decidedBy: actor.name ?? "merchant",
      },
    });
    if (updated.count === 0) throw new AppError("conflict", "This bank details change was already decided");
    await resolveAlert(tx, shopId, "REMITTANCE_CHANGE", row.supplierId, actor.name ?? "merchant", now);
  }, TRANSACTION);
}

/** The bank details payments go to: the latest confirmed row (a pending change is not in force). */
export async function currentRemittance(
  shopId: string,
  supplierId: string
): Promise<{
  id: string;
  details: Prisma.JsonValue;
  decidedAt: Date | null;
} | null> {
  return forShop(shopId).supplierRemittance.findFirst({
    where: { supplierId, status: "CONFIRMED" },
    orderBy: [{ decidedAt: "desc" }, { submittedAt: "desc" }],
    select: { id: true, details: true, decidedAt: true },
  });
}

/**
 * The negotiation section's form posts (see routes/app.purchase-orders.$purchaseOrderId.negotiation.tsx):
 * `intent` = accept-counter | counter-back (fields `line.<id>.quantity|unitCost|expectedDate`, `notes`) |
 * confirm-remittance | reject-remittance (`remittanceId`). Returns what was done, for the toast.
 */
export async function handleNegotiationAction(shopId: string, purchaseOrderId: string, form: Record<string, string>, actor: { name: string | null }, options: { now?: Date } = {}): Promise<string> {
  switch (form.intent) {
    case "accept-counter":
      await acceptCounterOffer(shopId, purchaseOrderId, actor, options);
      return "Counter-offer accepted: the order is confirmed";
    case "counter-back": {
      const lines: OfferInput["lines"] = {};
      for (const [key, value] of Object.entries(form)) {
        const match = /^line\.(.+)\.(quantity|unitCost|expectedDate)$/.exec(key);
        if (match) lines[match[1] ?? ""] = { ...lines[match[1] ?? ""], [match[2] ?? "quantity"]: value };
      }
      await counterBack(shopId, purchaseOrderId, { lines, notes: form.notes ?? "" }, actor, options);
      return "Counter-offer sent to the supplier";
    }
    case "confirm-remittance":
    case "reject-remittance": {
      const po = await forShop(shopId).purchaseOrder.findUnique({ where: { id: purchaseOrderId }, select: { supplierId: true } });
      if (!po) throw notFound();
      const row = await forShop(shopId).supplierRemittance.findFirst({ where: { id: form.remittanceId ?? "", supplierId: po.supplierId }, select: { id: true } });
      if (!row) throw new AppError("not_found", "Bank details change not found");
      await decideRemittanceChange(shopId, row.id, form.intent === "confirm-remittance" ? "CONFIRMED" : "REJECTED", actor, options);
      return form.intent === "confirm-remittance" ? "New bank details confirmed" : "Bank details change rejected";
    }
    default:
      throw new AppError("invalid", "Unknown action; reload the page and try again");
  }
}

export interface RemittanceHistoryView {
  supplierId: string;
  /** Newest first: every submission with what became of it (the log of bank-detail changes). */
  entries: { id: string; status: "PENDING" | "CONFIRMED" | "REJECTED"; details: Prisma.JsonValue; submittedAt: string; submittedBy: string | null; decidedAt: string | null; decidedBy: string | null; inForce: boolean }[];
}

/** The supplier page's bank-details card: the details in force, a held change, and the history. */
export async function getRemittanceHistory(shopId: string, supplierId: string): Promise<RemittanceHistoryView> {
  const rows = await forShop(shopId).supplierRemittance.findMany({ where: { supplierId }, orderBy: [{ submittedAt: "desc" }, { id: "desc" }], take: 50 });
  const current = await currentRemittance(shopId, supplierId);
  return {
    supplierId,
    entries: rows.map((r) => ({
      id: r.id,
      status: r.status,
      details: r.details,
      submittedAt: r.submittedAt.toISOString(),
      submittedBy: r.submittedBy,
      decidedAt: r.decidedAt?.toISOString() ?? null,
      decidedBy: r.decidedBy,
      inForce: r.id === current?.id,
    })),
  };
}

/** Confirm or reject a held change from the supplier page; the id must be one of this supplier's. */
export async function decideSupplierRemittance(shopId: string, supplierId: string, form: Record<string, string>, actor: { name: string | null }, options: { now?: Date } = {}): Promise<string> {
  if (form.intent !== "confirm-remittance" && form.intent !== "reject-remittance") throw new AppError("invalid", "Unknown action; reload the page and try again");
  const row = await forShop(shopId).supplierRemittance.findFirst({ where: { id: form.remittanceId ?? "", supplierId }, select: { id: true } });
  if (!row) throw new AppError("not_found", "Bank details change not found");
  await decideRemittanceChange(shopId, row.id, form.intent === "confirm-remittance" ? "CONFIRMED" : "REJECTED", actor, options);
  return form.intent === "confirm-remittance" ? "New bank details confirmed: payments go to them from now on" : "Bank details change rejected: payments keep going to the current details";
}

/** A file of this shop's PO (the supplier's upload), for the merchant's download. */
export async function getPurchaseOrderAttachment(shopId: string, purchaseOrderId: string, attachmentId: string): Promise<{ fileName: string; contentType: string; content: Buffer }> {
  const row = await forShop(shopId).purchaseOrderAttachment.findFirst({ where: { id: attachmentId, purchaseOrderId }, select: { fileName: true, contentType: true, content: true } });
  if (!row) throw new AppError("not_found", "Attachment not found");
  return { fileName: row.fileName, contentType: row.contentType, content: Buffer.from(row.content) };
}

/**
 * Emails the supplier (order address and copies) that the merchant answered, with a fresh portal link,
 * through the outbox in the caller's transaction. Returns the notification ids to dispatch after commit.
 */
async function tellSupplier(tx: NegotiationTx, shopId: string, purchaseOrderId: string, now: Date, message: { event: string; subject: string; text: string[] }): Promise<string[]> {
  const po = await tx.purchaseOrder.findUniqueOrThrow({
    where: { id: purchaseOrderId },
    select: { supplierId: true, shop: { select: { name: true } }, supplier: { select: { orderEmail: true, ccEmails: true, contactName: true } } },
  });
  const recipients = [po.supplier.orderEmail, ...po.supplier.ccEmails].filter((r): r is string => Boolean(r));
  if (recipients.length === 0) return [];
  // Signed from what this transaction read (the PO's supplier under its row lock): a lookup through
  // another connection here would wait for this transaction where the pool has one connection (PGlite).
  const token = issuePortalToken({ shopId, supplierId: po.supplierId, purchaseOrderId, now });
  const link = new URL(`/portal/${encodeURIComponent(token)}`, getEnv().SHOPIFY_APP_URL).toString();
  const bodyText = [`Hello${po.supplier.contactName ? ` ${po.supplier.contactName}` : ""},`, "", ...message.text, link, "", po.shop.name].join("\n");
  const queued = await queueNotifications(
    tx as unknown as Parameters<typeof queueNotifications>[0],
    shopId,
    recipients.map((recipient, i) => ({
      channel: "EMAIL" as const,
      kind: "SUPPLIER_UPDATE",
      recipient,
      subject: message.subject,
      bodyText,
      dedupeKey: `supplier-update-${purchaseOrderId}-${message.event}-${i}`,
      payload: { purchaseOrderId },
    })),
  );
  return queued.ids;
}
