import { createHash } from "node:crypto";
import type { Prisma, PurchaseOrderStatus } from "@prisma/client";
import { AppError } from "#app/lib/app-error.ts";
import { enforceRateLimits, type RateLimitRule } from "#app/lib/rate-limit.server.ts";
import { INVALID_PORTAL_LINK_MESSAGE, type PortalTokenScope } from "#app/lib/signed-link.server.ts";
import {
  MAX_ATTACHMENT_BYTES,
  estimatedArrival,
  isIsoDay,
  isShipMethod,
  MAX_PROMISE_DAYS_AHEAD,
  MAX_SUPPLIER_NAME_LENGTH,
  parseOffer,
  SHIP_METHODS,
  transitDaysTable,
  whoseTurn,
  type OfferInput,
  type OfferParty,
  type ShipMethod,
} from "#app/domain/purchasing/negotiation.ts";
import { toDayNumber, type IsoDay } from "#app/domain/shared/day.ts";
import type { Actor } from "#app/domain/purchasing/purchase-order.ts";
import { lockPurchaseOrder, moveOpenLinesToArrival } from "#app/models/purchase-order-lifecycle.server.ts";
import { forShop } from "#app/models/scoped-db.server.ts";
import {
  alertMerchant,
  applyOfferTerms,
  latestOffer,
  loadCurrentLines,
  loadThread,
  OfferValidationError,
  recordOffer,
  todayOf,
  type NegotiationTx,
  type ThreadEntry,
} from "./po-negotiation.server.ts";
import { getProducerQueues } from "#app/lib/queue.server.ts";
import { notifyPurchaseOrderEtaChanged } from "./delivery-tracking.server.ts";
import { dispatchNotifications } from "./notification-outbox.server.ts";
import { applyPurchaseOrderEventInTransaction, authorizeSupplierPortal } from "./purchase-orders.server.ts";

// The supplier portal's use cases (issue 5, item 4). Every function takes the scope that
// openPortal returned for the token in the URL, never ids from the form: a supplier can act on
// exactly the one PO of their link, and every line/attachment id they send is checked against it.

const TRANSACTION = { timeout: 15_000, maxWait: 15_000 };

// Per IP: a supplier's office clicking around a PO for a while stays well below; a script guessing
// tokens does not get far. Per token: one link cannot be used to flood the merchant's thread.
export const PORTAL_RATE_LIMITS = {
  perIp: { name: "portal-ip", limit: 120, windowMs: 60_000 },
  perToken: { name: "portal-token", limit: 60, windowMs: 60_000 },
} as const satisfies Record<string, RateLimitRule>;

/** Counts the request against the limits, then checks the token; every refusal is the one generic AppError('forbidden'). */
export async function openPortal(token: string, ip: string, options: { now?: Date } = {}): Promise<PortalTokenScope> {
  // The token's hash, not the token, in the Redis key: keys are visible to anyone who can read Redis.
  const tokenKey = createHash("sha256").update(token).digest("hex").slice(0, 32);
  await enforceRateLimits([
    { rule: PORTAL_RATE_LIMITS.perIp, subject: ip },
    { rule: PORTAL_RATE_LIMITS.perToken, subject: tokenKey },
  ]);
  return authorizeSupplierPortal(token, options.now ? { now: options.now } : {});
}

// ─── The page ───

export interface PortalLine {
  id: string;
  skuCode: string;
  title: string;
  supplierPartNumber: string | null;
  quantityOrdered: number;
  quantityReceived: number;
  unitCost: string;
  expectedDate: IsoDay | null;
}

export interface PortalView {
  shopName: string;
  supplierName: string;
  number: string;
  status: PurchaseOrderStatus;
  currency: string;
  subtotal: string;
  shippingCost: string;
  total: string;
  shipTo: { name: string; address: Prisma.JsonValue };
  lines: PortalLine[];
  expectedShipDate: IsoDay | null;
  shipMethod: string | null;
  expectedArrivalDate: IsoDay | null;
  trackingNumbers: string[];
  supplierReference: string | null;
  thread: ThreadEntry[];
  attachments: {
    id: string;
    fileName: string;
    sizeBytes: number;
    uploadedBy: string;
    createdAt: string;
  }[];
  /** While COUNTERED: whose move it is. */
  turn: OfferParty | null;
  canAccept: boolean;
  canCounter: boolean;
  canUpdateShipping: boolean;
  transitDays: Record<ShipMethod, number>;
  remittance: {
    current: MaskedRemittance | null;
    pending: MaskedRemittance | null;
  };
}

export interface MaskedRemittance {
  accountHolder: string;
  bankName: string;
  account: string;
  since: string;
}

const NEGOTIABLE: readonly PurchaseOrderStatus[] = ["SENT", "ACKNOWLEDGED", "COUNTERED"];
const SHIPPING_EDITABLE: readonly PurchaseOrderStatus[] = ["SENT", "ACKNOWLEDGED", "COUNTERED", "CONFIRMED", "SHIPPED", "ARRIVING", "PARTIALLY_RECEIVED"];

export async function getPortalView(scope: PortalTokenScope): Promise<PortalView> {
  const db = forShop(scope.shopId);
  const po = await db.purchaseOrder.findUnique({
    where: { id: scope.purchaseOrderId },
    include: {
      shop: {
        select: {
          name: true,
          settings: { select: { shipMethodTransitDays: true } },
        },
      },
      supplier: { select: { name: true } },
      location: { select: { name: true, address: true } },
      lines: {
        include: {
          sku: { select: { code: true, title: true, variantTitle: true } },
        },
        orderBy: { id: "asc" },
      },
      attachments: {
        select: {
          id: true,
          fileName: true,
          sizeBytes: true,
          uploadedBy: true,
          createdAt: true,
        },
        orderBy: { createdAt: "asc" },
      },
    },
  });
  if (!po) throw new AppError("not_found", "Purchase order not found");
  const [thread, offer, remittances] = await Promise.all([
    loadThread(db, po.id, { supplierVisibleOnly: true }),
    latestOffer(db, po.id),
    db.supplierRemittance.findMany({
      where: {
        supplierId: scope.supplierId,
        status: { in: ["CONFIRMED", "PENDING"] },
      },
      orderBy: { submittedAt: "desc" },
    }),
  ]);
  const turn = whoseTurn(po.status, offer);
  const confirmed = remittances.filter((r) => r.status === "CONFIRMED").sort((a, b) => (b.decidedAt?.getTime() ?? 0) - (a.decidedAt?.getTime() ?? 0))[0];
  const pending = remittances.find((r) => r.status === "PENDING");
  return {
    shopName: po.shop.name,
    supplierName: po.supplier.name,
    number: po.number,
    status: po.status,
    currency: po.currency,
    subtotal: po.subtotal.toFixed(2),
    shippingCost: po.shippingCost.toFixed(2),
    total: po.total.toFixed(2),
    shipTo: { name: po.location.name, address: po.location.address },
    lines: po.lines.map((l) => ({
      id: l.id,
      skuCode: l.sku.code,
      title: l.sku.variantTitle ? `${l.sku.title} — ${l.sku.variantTitle}` : l.sku.title,
      supplierPartNumber: l.supplierPartNumber,
      quantityOrdered: l.quantityOrdered,
      quantityReceived: l.quantityReceived,
      unitCost: l.unitCost.toString(),
      expectedDate: l.expectedDate ? todayOf(l.expectedDate) : null,
    })),
    expectedShipDate: po.expectedShipDate ? todayOf(po.expectedShipDate) : null,
    shipMethod: po.shipMethod,
    expectedArrivalDate: po.expectedArrivalDate ? todayOf(po.expectedArrivalDate) : null,
    trackingNumbers: po.trackingNumbers,
    supplierReference: po.supplierReference,
    thread,
    attachments: po.attachments.map((a) => ({
      ...a,
      createdAt: a.createdAt.toISOString(),
    })),
    turn,
    canAccept: po.status === "SENT" || po.status === "ACKNOWLEDGED" || turn === "SUPPLIER",
    canCounter: NEGOTIABLE.includes(po.status),
    canUpdateShipping: SHIPPING_EDITABLE.includes(po.status),
    transitDays: transitDaysTable(po.shop.settings?.shipMethodTransitDays),
    remittance: {
      current: confirmed ? mask(confirmed.details, confirmed.decidedAt ?? confirmed.submittedAt) : null,
      pending: pending ? mask(pending.details, pending.submittedAt) : null,
    },
  };
}

/** Bank details are never shown back in full: a stolen link must not read out the account. */
function mask(details: Prisma.JsonValue, since: Date): MaskedRemittance {
  const d = (details && typeof details === "object" && !Array.isArray(details) ? details : {}) as Record<string, unknown>;
  const account = String(d.iban ?? d.accountNumber ?? "");
  return {
    accountHolder: String(d.accountHolder ?? ""),
    bankName: String(d.bankName ?? ""),
    account: account.length > 4 ? `•••• ${account.slice(-4)}` : "••••",
    since: since.toISOString(),
  };
}

/** Refuses a name that is too long rather than recording a cut one: what the supplier typed is what the merchant reads. */
function supplierActor(name: string | null | undefined): Actor {
  const trimmed = (name ?? "").trim();
  if (trimmed.length > MAX_SUPPLIER_NAME_LENGTH) throw new PortalFormError({ name: `Your name can be at most ${MAX_SUPPLIER_NAME_LENGTH} characters` });
  return { type: "SUPPLIER", name: trimmed === "" ? null : trimmed };
}

function conflict(message: string): AppError {
  return new AppError("conflict", message);
}

async function lockScoped(tx: NegotiationTx, scope: PortalTokenScope) {
  const po = await lockPurchaseOrder(tx, scope.shopId, scope.purchaseOrderId);
  // authorizeSupplierPortal checked this a moment ago; a PO moved to another supplier since is refused the same way.
  if (!po || po.supplierId !== scope.supplierId) throw new AppError("forbidden", "This link is not valid. Ask the merchant for a new one.");
  return po;
}

// ─── Negotiation ───

/**
 * "Accept as is": from SENT/ACKNOWLEDGED the order as sent; while COUNTERED, the merchant's latest
 * counter-offer (its terms become the lines). A supplier cannot accept their own open offer.
 */
export async function acceptPurchaseOrder(scope: PortalTokenScope, input: { name?: string | null }, options: { now?: Date } = {}): Promise<void> {
  const now = options.now ?? new Date();
  const alertIds = await forShop(scope.shopId).$transaction(async (tx): Promise<string[]> => {
    const po = await lockScoped(tx, scope);
    if (po.status === "CONFIRMED") throw conflict(`${po.number} is already confirmed. Nothing else to accept.`);
    const offer = await latestOffer(tx, po.id);
    const turn = whoseTurn(po.status, offer);
    if (po.status === "COUNTERED" && turn !== "SUPPLIER") throw conflict("Your counter-offer is with the merchant. You will get an email when they answer.");
    if (po.status === "COUNTERED" && offer) await applyOfferTerms(tx, po.id, offer.offer.lines);
    const actor = supplierActor(input.name);
    await applyPurchaseOrderEventInTransaction(tx, scope.shopId, po.id, "accept", actor, {
      now,
      ...(offer && po.status === "COUNTERED"
        ? {
            data: {
              acceptedOfferRound: offer.offer.round,
              acceptedOfferEventId: offer.eventId,
            },
          }
        : {}),
    });
    return alertMerchant(tx, scope.shopId, {
      purchaseOrderId: po.id,
      kind: "SUPPLIER_MESSAGE",
      subjectType: "PURCHASE_ORDER",
      subjectId: po.id,
      now,
      reason: `${po.number}: the supplier accepted the order${offer && po.status === "COUNTERED" ? " with your counter-offer" : ""}`,
      details: { purchaseOrderNumber: po.number, event: "accept" },
    });
  }, TRANSACTION);
  await dispatchNotifications(scope.shopId, alertIds);
}

export async function submitCounterOffer(scope: PortalTokenScope, input: OfferInput & { name?: string | null }, options: { now?: Date } = {}): Promise<void> {
  const now = options.now ?? new Date();
  const alertIds = await forShop(scope.shopId).$transaction(async (tx): Promise<string[]> => {
    const po = await lockScoped(tx, scope);
    if (!NEGOTIABLE.includes(po.status))
      throw conflict(`${po.number} is ${po.status.toLowerCase().replace(/_/g, " ")}: its terms can no longer be changed here. Send a comment instead.`);
    // Offers alternate: while the supplier's own offer is open, another would be a second round from the
    // same side (and a second merchant alert), the very thing the page's hidden form is meant to prevent.
    if (whoseTurn(po.status, await latestOffer(tx, po.id)) === "MERCHANT")
      throw conflict("Your counter-offer is with the merchant. You will get an email when they answer.");
    const parsed = parseOffer(await loadCurrentLines(tx, po.id), input, todayOf(now));
    if (!parsed.ok) throw new OfferValidationError(parsed.error);
    const actor = supplierActor(input.name);
    const offer = await recordOffer(tx, scope.shopId, po.id, "SUPPLIER", actor.name ?? null, parsed.value, now);
    await applyPurchaseOrderEventInTransaction(tx, scope.shopId, po.id, "counter", actor, { now, data: { offerRound: offer.round } });
    return alertMerchant(tx, scope.shopId, {
      purchaseOrderId: po.id,
      kind: "SUPPLIER_MESSAGE",
      subjectType: "PURCHASE_ORDER",
      subjectId: po.id,
      now,
      reason: `${po.number}: the supplier sent a counter-offer (round ${offer.round})`,
      details: {
        purchaseOrderNumber: po.number,
        event: "counter",
        round: offer.round,
      },
    });
  }, TRANSACTION);
  await dispatchNotifications(scope.shopId, alertIds);
}

// ─── Shipping details ───

export interface ShippingInput {
  expectedShipDate?: string;
  shipMethod?: string;
  trackingNumbers?: string;
  supplierReference?: string;
  /** Per line id: the supplier's own part number. */
  partNumbers?: Record<string, string>;
  name?: string | null;
}

export class PortalFormError extends AppError {
  readonly fieldErrors: Record<string, string>;

  constructor(fieldErrors: Record<string, string>) {
    super("invalid", Object.values(fieldErrors)[0] ?? "Some fields need a fix");
    this.fieldErrors = fieldErrors;
  }
}

const MAX_TRACKING = 20;

function parseTracking(text: string): string[] | null {
  const numbers = [
    ...new Set(
      text
        .split(/[\s,;]+/)
        .map((t) => t.trim())
        .filter(Boolean)
    ),
  ];
  if (numbers.length > MAX_TRACKING || numbers.some((n) => !/^[A-Za-z0-9-]{4,40}$/.test(n))) return null;
  return numbers;
}

// The shipping form is also where the supplier records a shipment that has already left, often some
// days after it did: a ship date up to 30 days back is accepted (today always is). Further back, or
// further ahead than 2 years (the limit a counter-offer's dates have too), it is a typo, and year 9999
// plus the transit days is no date at all.
const SHIP_DATE_DAYS_BACK = 30;
const SHIP_DATE_DAYS_AHEAD = MAX_PROMISE_DAYS_AHEAD;

function shipDateProblem(day: IsoDay, today: IsoDay): string | null {
  const offset = toDayNumber(day) - toDayNumber(today);
  if (offset < -SHIP_DATE_DAYS_BACK) return `The ship date can be at most ${SHIP_DATE_DAYS_BACK} days in the past`;
  if (offset > SHIP_DATE_DAYS_AHEAD) return `The ship date can be at most 2 years (${SHIP_DATE_DAYS_AHEAD} days) from today`;
  return null;
}

/**
 * Ship date, method (ETA = ship date + the method's transit days), tracking numbers, the supplier's
 * order reference and part numbers. Tracking numbers on a confirmed PO mean it has left: the PO moves
 * to SHIPPED. Every change is one event in the thread; saving the same values again changes nothing.
 */
export async function updateShippingDetails(scope: PortalTokenScope, input: ShippingInput, options: { now?: Date } = {}): Promise<void> {
  const now = options.now ?? new Date();
  const afterCommit: (() => Promise<void>)[] = [];
  const errors: Record<string, string> = {};
  const shipDate = (input.expectedShipDate ?? "").trim();
  const method = (input.shipMethod ?? "").trim().toLowerCase();
  if (shipDate !== "" && !isIsoDay(shipDate)) errors.expectedShipDate = "Enter the ship date as YYYY-MM-DD";
  if (method !== "" && !isShipMethod(method)) errors.shipMethod = `Choose a ship method: ${SHIP_METHODS.join(", ")}`;
  if (shipDate !== "" && method === "") errors.shipMethod = "Choose a ship method so we can work out the arrival date";
  const tracking = parseTracking(input.trackingNumbers ?? "");
  if (tracking === null) errors.trackingNumbers = `Enter up to ${MAX_TRACKING} tracking numbers (letters, digits and dashes), separated by commas or spaces`;
  const reference = (input.supplierReference ?? "").trim();
  if (reference.length > 80) errors.supplierReference = "Your order reference can be at most 80 characters";
  const partNumbers = Object.fromEntries(Object.entries(input.partNumbers ?? {}).map(([id, v]) => [id, v.trim()]));
  for (const [lineId, part] of Object.entries(partNumbers)) if (part.length > 60) errors[`part.${lineId}`] = "A part number can be at most 60 characters";
  if (Object.keys(errors).length > 0) throw new PortalFormError(errors);

  const alertIds = await forShop(scope.shopId).$transaction(async (tx): Promise<string[]> => {
    const po = await lockScoped(tx, scope);
    if (!SHIPPING_EDITABLE.includes(po.status))
      throw conflict(`${po.number} is ${po.status.toLowerCase().replace(/_/g, " ")}: shipping details can no longer be changed.`);
    const row = await tx.purchaseOrder.findUniqueOrThrow({
      where: { id: po.id },
      select: {
        expectedShipDate: true,
        shipMethod: true,
        expectedArrivalDate: true,
        trackingNumbers: true,
        supplierReference: true,
        shop: {
          select: { settings: { select: { shipMethodTransitDays: true } } },
        },
      },
    });
    const lines = await tx.purchaseOrderLine.findMany({
      where: { purchaseOrderId: po.id },
      select: { id: true, skuId: true, supplierPartNumber: true },
    });
    const lineIds = new Set(lines.map((l) => l.id));
    for (const lineId of Object.keys(partNumbers))
      if (!lineIds.has(lineId))
        throw new PortalFormError({
          form: "The form is out of date. Reload the page and try again.",
        });

    const actor = supplierActor(input.name);
    const oldShip = row.expectedShipDate ? todayOf(row.expectedShipDate) : null;
    const oldEta = row.expectedArrivalDate ? todayOf(row.expectedArrivalDate) : null;
    // Only a changed date is range-checked: the form sends the saved one back, and a shipment that left
    // months ago must still take its tracking numbers and part numbers.
    if (shipDate !== "" && shipDate !== oldShip) {
      const problem = shipDateProblem(shipDate, todayOf(now));
      if (problem) throw new PortalFormError({ expectedShipDate: problem });
    }
    const newShip = shipDate === "" ? oldShip : shipDate;
    const newMethod = method === "" ? row.shipMethod : method;
    const newEta =
      newShip && newMethod && isShipMethod(newMethod)
        ? estimatedArrival(newShip, newMethod, transitDaysTable(row.shop.settings?.shipMethodTransitDays))
        : oldEta;
    const data: Prisma.PurchaseOrderUpdateInput = {};
    if (newShip !== oldShip) data.expectedShipDate = newShip ? new Date(`${newShip}T00:00:00Z`) : null;
    if (newMethod !== row.shipMethod) data.shipMethod = newMethod;
    if (newEta !== oldEta) data.expectedArrivalDate = newEta ? new Date(`${newEta}T00:00:00Z`) : null;
    const trackingChanged = tracking !== null && tracking.join(",") !== row.trackingNumbers.join(",") && tracking.length > 0;
    if (trackingChanged) data.trackingNumbers = tracking;
    if (reference !== "" && reference !== row.supplierReference) data.supplierReference = reference;
    if (Object.keys(data).length > 0) await tx.purchaseOrder.update({ where: { id: po.id }, data });
    if (newEta && newEta !== oldEta) await moveOpenLinesToArrival(tx, po.id, new Date(`${newEta}T00:00:00Z`));

    const base = {
      shopId: scope.shopId,
      purchaseOrderId: po.id,
      actorType: "SUPPLIER" as const,
      actorName: actor.name ?? null,
      createdAt: now,
    };
    const messages: string[] = [];
    if (newShip !== oldShip || newMethod !== row.shipMethod || newEta !== oldEta) {
      const message = `Ship date ${newShip ?? "—"} by ${newMethod ?? "—"}: expected arrival ${newEta ?? "—"}${
        oldEta && oldEta !== newEta ? ` (was ${oldEta})` : ""
      }`;
      messages.push(message);
      await tx.purchaseOrderEvent.create({
        data: {
          ...base,
          type: "ETA_CHANGE",
          message,
          data: {
            expectedShipDate: newShip,
            shipMethod: newMethod,
            from: oldEta,
            to: newEta,
          },
        },
      });
      // Customers waiting for these SKUs (back-in-stock subscribers, backorders) hear of a moved ETA,
      // written with the change and sent after the commit.
      if (oldEta && newEta && oldEta !== newEta) {
        const eta = await notifyPurchaseOrderEtaChanged(tx, scope.shopId, po.id, { from: oldEta, to: newEta }, { now, queues: getProducerQueues() });
        afterCommit.push(eta.dispatch);
      }
    }
    if (trackingChanged) {
      const message = `Tracking: ${tracking.join(", ")}`;
      messages.push(message);
      await tx.purchaseOrderEvent.create({
        data: {
          ...base,
          type: "TRACKING_UPDATE",
          message,
          data: { trackingNumbers: tracking, previous: row.trackingNumbers },
        },
      });
    }
    if (reference !== "" && reference !== row.supplierReference) {
      messages.push(`Supplier's order reference: ${reference}`);
      await tx.purchaseOrderEvent.create({
        data: {
          ...base,
          type: "COMMENT",
          message: `Supplier's order reference: ${reference}`,
          data: {
            supplierReference: reference,
            previous: row.supplierReference,
          },
        },
      });
    }
    for (const line of lines) {
      const part = partNumbers[line.id];
      if (part === undefined || part === "" || part === line.supplierPartNumber) continue;
      await tx.purchaseOrderLine.update({
        where: { id: line.id },
        data: { supplierPartNumber: part },
      });
      // Future POs to this supplier carry it too.
      await tx.supplierProduct.updateMany({
        where: { supplierId: scope.supplierId, skuId: line.skuId },
        data: { supplierPartNumber: part },
      });
      messages.push(`Part number ${part}`);
      await tx.purchaseOrderEvent.create({
        data: {
          ...base,
          lineId: line.id,
          type: "COMMENT",
          message: `Supplier's part number: ${part}`,
          data: {
            supplierPartNumber: part,
            previous: line.supplierPartNumber,
          },
        },
      });
    }
    if (trackingChanged && po.status === "CONFIRMED") {
      await applyPurchaseOrderEventInTransaction(tx, scope.shopId, po.id, "ship", actor, { now, data: { trackingNumbers: tracking } });
    }
    if (messages.length > 0) {
      return alertMerchant(tx, scope.shopId, {
        purchaseOrderId: po.id,
        kind: "SUPPLIER_MESSAGE",
        subjectType: "PURCHASE_ORDER",
        subjectId: po.id,
        now,
        reason: `${po.number}: ${messages.join("; ")}`.slice(0, 500),
        details: { purchaseOrderNumber: po.number, event: "shipping" },
      });
    }
    return [];
  }, TRANSACTION);
  await dispatchNotifications(scope.shopId, alertIds);
  for (const dispatch of afterCommit) await dispatch();
}

// ─── Comments and attachments ───

export const MAX_COMMENT_LENGTH = 4000;

export async function addPortalComment(
  scope: PortalTokenScope,
  input: { text: string; lineId?: string | null; name?: string | null },
  options: { now?: Date } = {}
): Promise<void> {
  const now = options.now ?? new Date();
  const text = input.text.trim();
  if (text === "") throw new PortalFormError({ comment: "Write a comment first" });
  if (text.length > MAX_COMMENT_LENGTH)
    throw new PortalFormError({
      comment: `A comment can be at most ${MAX_COMMENT_LENGTH} characters`,
    });
  const alertIds = await forShop(scope.shopId).$transaction(async (tx): Promise<string[]> => {
    const po = await lockScoped(tx, scope);
    const lineId = input.lineId ? input.lineId : null;
    let lineLabel = "";
    if (lineId) {
      const line = await tx.purchaseOrderLine.findFirst({
        where: { id: lineId, purchaseOrderId: po.id },
        select: { sku: { select: { code: true } } },
      });
      if (!line) throw new PortalFormError({ lineId: "Choose a line of this order" });
      lineLabel = ` on ${line.sku.code}`;
    }
    const actor = supplierActor(input.name);
    await tx.purchaseOrderEvent.create({
      data: {
        shopId: scope.shopId,
        purchaseOrderId: po.id,
        lineId,
        type: "COMMENT",
        actorType: "SUPPLIER",
        actorName: actor.name ?? null,
        message: text,
        createdAt: now,
      },
    });
    return alertMerchant(tx, scope.shopId, {
      purchaseOrderId: po.id,
      kind: "SUPPLIER_MESSAGE",
      subjectType: "PURCHASE_ORDER",
      subjectId: po.id,
      now,
      reason: `${po.number}: comment from the supplier${lineLabel}: ${text}`.slice(0, 500),
      details: { purchaseOrderNumber: po.number, event: "comment" },
    });
  }, TRANSACTION);
  await dispatchNotifications(scope.shopId, alertIds);
}

export const MAX_ATTACHMENTS_PER_PO = 25;

/**
 * Allowed types, each recognised by its first bytes: what the file *is* decides, not the name or the
 * browser's claim, so nothing executable or HTML is stored and later served as a download.
 */
const FILE_TYPES: readonly {
  ext: string[];
  contentType: string;
  magic: ((b: Buffer) => boolean) | null;
}[] = [
  {
    ext: ["pdf"],
    contentType: "application/pdf",
    magic: (b) => b.subarray(0, 5).toString("latin1") === "%PDF-",
  },
  {
    ext: ["png"],
    contentType: "image/png",
    magic: (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  },
  {
    ext: ["jpg", "jpeg"],
    contentType: "image/jpeg",
    magic: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
  },
  {
    ext: ["xlsx"],
    contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    magic: (b) => b.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04])),
  },
  // Plain text: no signature, so it must be valid UTF-8 without NUL bytes.
  { ext: ["csv", "txt"], contentType: "text/plain", magic: null },
];

function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  const cleaned = base
    .replace(/[\u0000-\u001f\u007f"<>:|?*]/g, "")
    .trim()
    .slice(-120);
  return cleaned === "" ? "attachment" : cleaned;
}

function detectType(fileName: string, bytes: Buffer): string | null {
  const ext = fileName.toLowerCase().split(".").pop() ?? "";
  const type = FILE_TYPES.find((t) => t.ext.includes(ext));
  if (!type) return null;
  if (type.magic) return type.magic(bytes) ? type.contentType : null;
  if (bytes.includes(0)) return null;
  try {
    new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
  return ext === "csv" ? "text/csv" : type.contentType;
}

export async function addPortalAttachment(
  scope: PortalTokenScope,
  input: {
    fileName: string;
    bytes: Buffer;
    lineId?: string | null;
    name?: string | null;
  },
  options: { now?: Date } = {}
): Promise<void> {
  const now = options.now ?? new Date();
  const fileName = safeFileName(input.fileName);
  if (input.bytes.length === 0) throw new PortalFormError({ file: "Choose a file to attach" });
  if (input.bytes.length > MAX_ATTACHMENT_BYTES)
    throw new PortalFormError({
      file: `The file is too large: at most ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB`,
    });
  const contentType = detectType(fileName, input.bytes);
  if (!contentType)
    throw new PortalFormError({
      file: `Attach a PDF, image (PNG, JPEG), spreadsheet (XLSX, CSV) or text file; this one is not one of those or its content does not match its name`,
    });
  const alertIds = await forShop(scope.shopId).$transaction(async (tx): Promise<string[]> => {
    const po = await lockScoped(tx, scope);
    const count = await tx.purchaseOrderAttachment.count({
      where: { purchaseOrderId: po.id },
    });
    if (count >= MAX_ATTACHMENTS_PER_PO)
      throw new PortalFormError({
        file: `This order already has ${MAX_ATTACHMENTS_PER_PO} attachments, the most it can hold`,
      });
    const attachment = await tx.purchaseOrderAttachment.create({
      data: {
        shopId: scope.shopId,
        purchaseOrderId: po.id,
        fileName,
        contentType,
        sizeBytes: input.bytes.length,
        content: new Uint8Array(input.bytes),
        uploadedBy: "SUPPLIER",
        createdAt: now,
      },
      select: { id: true },
    });
    const actor = supplierActor(input.name);
    await tx.purchaseOrderEvent.create({
      data: {
        shopId: scope.shopId,
        purchaseOrderId: po.id,
        lineId: null,
        type: "ATTACHMENT",
        actorType: "SUPPLIER",
        actorName: actor.name ?? null,
        message: `Attached ${fileName} (${Math.max(1, Math.round(input.bytes.length / 1024))} KB)`,
        data: { attachmentId: attachment.id, fileName },
        createdAt: now,
      },
    });
    return alertMerchant(tx, scope.shopId, {
      purchaseOrderId: po.id,
      kind: "SUPPLIER_MESSAGE",
      subjectType: "PURCHASE_ORDER",
      subjectId: po.id,
      now,
      reason: `${po.number}: the supplier attached ${fileName}`,
      details: { purchaseOrderNumber: po.number, event: "attachment" },
    });
  }, TRANSACTION);
  await dispatchNotifications(scope.shopId, alertIds);
}

/** One attachment of the link's PO (any other id, even of the same supplier, is not found). */
export async function getPortalAttachment(scope: PortalTokenScope, attachmentId: string): Promise<{ fileName: string; contentType: string; content: Buffer }> {
  const row = await forShop(scope.shopId).purchaseOrderAttachment.findFirst({
    where: { id: attachmentId, purchaseOrderId: scope.purchaseOrderId },
    select: { fileName: true, contentType: true, content: true },
  });
  if (!row) throw new AppError("not_found", "Attachment not found");
  return {
    fileName: row.fileName,
    contentType: row.contentType,
    content: Buffer.from(row.content),
  };
}

// ─── Remittance (bank) details ───

export interface RemittanceInput {
  accountHolder?: string;
  bankName?: string;
  iban?: string;
  accountNumber?: string;
  routingNumber?: string;
  swift?: string;
  name?: string | null;
}

const MAX_BANK_NAME_LENGTH = 120;

/**
 * A bank-details change is held as PENDING until the merchant confirms it (changed bank details are the
 * classic payment-fraud vector): the details in force stay the confirmed ones meanwhile. Each
 * submission is its own row (the log); a newer submission supersedes an older pending one.
 */
export async function submitRemittanceChange(scope: PortalTokenScope, input: RemittanceInput, options: { now?: Date } = {}): Promise<void> {
  const now = options.now ?? new Date();
  const clean = (v: string | undefined) => (v ?? "").trim();
  const details = {
    accountHolder: clean(input.accountHolder),
    bankName: clean(input.bankName),
    iban: clean(input.iban).replace(/\s+/g, "").toUpperCase(),
    accountNumber: clean(input.accountNumber).replace(/\s+/g, ""),
    routingNumber: clean(input.routingNumber).replace(/\s+/g, ""),
    swift: clean(input.swift).replace(/\s+/g, "").toUpperCase(),
  };
  const errors: Record<string, string> = {};
  // Missing and too long get their own messages: "Enter the name" for a name that is there only puzzles.
  if (details.accountHolder === "") errors.accountHolder = "Enter the account holder's name";
  else if (details.accountHolder.length > MAX_BANK_NAME_LENGTH) errors.accountHolder = `The account holder's name can be at most ${MAX_BANK_NAME_LENGTH} characters`;
  if (details.bankName === "") errors.bankName = "Enter the bank's name";
  else if (details.bankName.length > MAX_BANK_NAME_LENGTH) errors.bankName = `The bank's name can be at most ${MAX_BANK_NAME_LENGTH} characters`;
  if (details.iban === "" && details.accountNumber === "") errors.iban = "Enter an IBAN or an account number";
  if (details.iban !== "" && !/^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$/.test(details.iban))
    errors.iban = "This is not an IBAN (two letters, two digits, then up to 30 letters and digits)";
  if (details.accountNumber !== "" && !/^\d{4,20}$/.test(details.accountNumber)) errors.accountNumber = "An account number has 4 to 20 digits";
  if (details.routingNumber !== "" && !/^\d{9}$/.test(details.routingNumber)) errors.routingNumber = "A routing number has 9 digits";
  if (details.swift !== "" && !/^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(details.swift)) errors.swift = "A SWIFT/BIC code has 8 or 11 letters and digits";
  if (Object.keys(errors).length > 0) throw new PortalFormError(errors);

  const alertIds = await forShop(scope.shopId).$transaction(async (tx): Promise<string[]> => {
    const po = await lockScoped(tx, scope);
    const actor = supplierActor(input.name);
    await tx.supplierRemittance.updateMany({
      where: { supplierId: scope.supplierId, status: "PENDING" },
      data: {
        status: "REJECTED",
        decidedAt: now,
        decidedBy: "superseded by a newer submission",
      },
    });
    const row = await tx.supplierRemittance.create({
      data: {
        shopId: scope.shopId,
        supplierId: scope.supplierId,
        details,
        status: "PENDING",
        submittedBy: actor.name ?? `supplier portal (${po.number})`,
        submittedAt: now,
      },
      select: { id: true },
    });
    // The thread records that a change was asked for, never the details themselves.
    await tx.purchaseOrderEvent.create({
      data: {
        shopId: scope.shopId,
        purchaseOrderId: po.id,
        type: "COMMENT",
        actorType: "SUPPLIER",
        actorName: actor.name ?? null,
        createdAt: now,
        message: "Submitted new bank details; payments keep going to the current details until the merchant confirms the change",
        data: { kind: "REMITTANCE_CHANGE", remittanceId: row.id },
      },
    });
    return alertMerchant(tx, scope.shopId, {
      purchaseOrderId: po.id,
      kind: "REMITTANCE_CHANGE",
      subjectType: "SUPPLIER",
      subjectId: scope.supplierId,
      now,
      reason: `Bank details change submitted through the portal of ${po.number}: confirm it with the supplier by phone before accepting`,
      details: { remittanceId: row.id, purchaseOrderNumber: po.number },
    });
  }, TRANSACTION);
  await dispatchNotifications(scope.shopId, alertIds);
}

// ─── What the portal routes share ───

/** Sent with every portal answer: the token is in the URL, so it must not leak through Referer, caches or search engines. */
export const PORTAL_HEADERS: Readonly<Record<string, string>> = {
  "Cache-Control": "no-store",
  "Referrer-Policy": "no-referrer",
  "X-Robots-Tag": "noindex, nofollow",
  "X-Frame-Options": "DENY",
  "X-Content-Type-Options": "nosniff",
};

/** The client's IP as the proxy in front of us reports it. */
export function clientIp(request: Request): string {
  const forwarded = request.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
  return forwarded || request.headers.get("x-real-ip") || "unknown";
}

/**
 * The scope of the token in a portal URL, or a thrown Response: 403 with the one generic message for
 * any bad token (so an error page never tells which part was wrong), 429 when over the rate limit.
 */
export async function portalScopeFromRequest(request: Request, token: string | undefined): Promise<PortalTokenScope> {
  try {
    return await openPortal(token ?? "", clientIp(request));
  } catch (error) {
    if (error instanceof AppError && (error.kind === "forbidden" || error.kind === "not_found")) {
      throw new Response(INVALID_PORTAL_LINK_MESSAGE, {
        status: 403,
        headers: PORTAL_HEADERS,
      });
    }
    if (error instanceof AppError && error.kind === "rate_limited") {
      throw new Response(error.message, {
        status: 429,
        headers: {
          ...PORTAL_HEADERS,
          "Retry-After": String(Math.ceil((error.retryAfterMs ?? 60_000) / 1000)),
        },
      });
    }
    throw error;
  }
}
