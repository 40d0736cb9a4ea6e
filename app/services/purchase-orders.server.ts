import type { Prisma } from "@prisma/client";
import { z } from "zod";
import { AppError } from "#app/lib/app-error.ts";
import { invalidPortalLinkError, issuePortalToken, readPortalToken, verifyPortalToken, type PortalTokenScope } from "#app/lib/signed-link.server.ts";
import { decideApproval, type ApprovalDecision, type AutonomousScope } from "#app/domain/purchasing/approval-policy.ts";
import { transition, type Actor, type PurchaseOrderStatus } from "#app/domain/purchasing/purchase-order.ts";
import {
  findPortalScope,
  loadApprovalContext,
  lockPurchaseOrder,
  writeStatusChange,
  type LifecycleTx,
  type LockedPurchaseOrder,
} from "#app/models/purchase-order-lifecycle.server.ts";
import { forShop } from "#app/models/scoped-db.server.ts";

// Purchase-order use cases (issue 5): every status change goes through applyPurchaseOrderEvent's
// shape — lock the row → ask the pure state machine → write status, timestamps and the event-log row —
// in one transaction, so a change and its audit record are never apart and concurrent events on one PO
// are decided one at a time against the latest state.

export interface ApplyEventOptions {
  /** Free text kept with the event (a cancellation reason, a note to the supplier). */
  message?: string;
  data?: Prisma.InputJsonObject;
  /** The instant written into the timestamp columns and the event; defaults to the clock. */
  now?: Date;
}

export interface AppliedPurchaseOrderEvent {
  purchaseOrderId: string;
  number: string;
  fromStatus: PurchaseOrderStatus;
  toStatus: PurchaseOrderStatus;
  eventId: string;
}

const TRANSACTION = { timeout: 15_000, maxWait: 15_000 };

function notFound(): AppError {
  // The same answer for "no such PO" and "another shop's PO": ids of other tenants are not confirmed.
  return new AppError("not_found", "Purchase order not found");
}

/**
 * The same as applyPurchaseOrderEvent inside a caller's transaction (receiving books a receipt and
 * moves the PO to (partially) received atomically). Locks the PO row until that transaction ends.
 */
export async function applyPurchaseOrderEventInTransaction(
  tx: LifecycleTx,
  shopId: string,
  purchaseOrderId: string,
  event: string,
  actor: Actor,
  options: ApplyEventOptions = {},
): Promise<AppliedPurchaseOrderEvent> {
  const po = await lockPurchaseOrder(tx, shopId, purchaseOrderId);
  if (!po) throw notFound();
  return applyLocked(tx, shopId, po, event, actor, options);
}

async function applyLocked(
  tx: LifecycleTx,
  shopId: string,
  po: LockedPurchaseOrder,
  event: string,
  actor: Actor,
  options: ApplyEventOptions,
): Promise<AppliedPurchaseOrderEvent> {
  const result = transition(po, event, actor);
  if (!result.ok) throw new AppError("conflict", result.error.message);
  const { to, stamp, record } = result.value;
  const eventId = await writeStatusChange(tx, shopId, po.id, {
    record,
    stamp,
    now: options.now ?? new Date(),
    ...(options.message === undefined ? {} : { message: options.message }),
    ...(options.data === undefined ? {} : { data: options.data }),
  });
  return { purchaseOrderId: po.id, number: po.number, fromStatus: po.status, toStatus: to, eventId };
}

/**
 * Fires one lifecycle event (see domain/purchasing/purchase-order.ts for the table). Throws
 * AppError('not_found') for a PO this shop does not have and AppError('conflict') with the state
 * machine's explanation for an illegal move; nothing is written in either case.
 */
export async function applyPurchaseOrderEvent(
  shopId: string,
  purchaseOrderId: string,
  event: string,
  actor: Actor,
  options: ApplyEventOptions = {},
): Promise<AppliedPurchaseOrderEvent> {
  return forShop(shopId).$transaction((tx) => applyPurchaseOrderEventInTransaction(tx, shopId, purchaseOrderId, event, actor, options), TRANSACTION);
}

const scopeSchema = z
  .object({
    abcClasses: z.array(z.enum(["A", "B", "C"])).optional(),
    supplierIds: z.array(z.string()).optional(),
  })
  .strict();

export interface PolicyApprovalResult extends ApprovalDecision {
  /** The status change made: auto-approve, or submit (DRAFT → AWAITING_APPROVAL); null when none was needed. */
  applied: AppliedPurchaseOrderEvent | null;
}

/**
 * Runs the shop's approval policy on a DRAFT or AWAITING_APPROVAL PO: approves it as SYSTEM, or puts a
 * draft into the review queue (AWAITING_APPROVAL) with the reasons. Sending is not done here: `send`
 * in the result tells the dispatcher whether to send without a person (supplier auto-send).
 */
export async function approveByPolicy(shopId: string, purchaseOrderId: string, options: { now?: Date } = {}): Promise<PolicyApprovalResult> {
  return forShop(shopId).$transaction(async (tx) => {
    const po = await lockPurchaseOrder(tx, shopId, purchaseOrderId);
    if (!po) throw notFound();
    if (po.approvedAt !== null) throw new AppError("conflict", `${po.number} is already approved`);
    if (po.status !== "DRAFT" && po.status !== "AWAITING_APPROVAL") {
      throw new AppError("conflict", `${po.number} is ${po.status.toLowerCase().replace(/_/g, " ")}: only unsent POs go through approval`);
    }
    const context = await loadApprovalContext(tx, shopId, po);
    const scope = context.autonomousScope === null ? null : scopeSchema.safeParse(context.autonomousScope);
    let decision = decideApproval(
      {
        mode: context.mode,
        autonomousScope: scope?.success ? (scope.data as AutonomousScope) : null,
        threshold: context.threshold,
        currency: context.shopCurrency,
      },
      { supplierId: po.supplierId, total: po.total, currency: po.currency, flags: po.flags, lineAbcClasses: context.lineAbcClasses },
      { autoSend: context.supplierAutoSend },
    );
    // An unreadable scope must not widen autonomy to every PO: fail closed to a person.
    if (scope && !scope.success && context.mode === "AUTONOMOUS") {
      decision = { ...decision, decision: "needs-review", reasons: ["the shop's autonomous scope setting is unreadable", ...decision.reasons] };
    }
    const data = { reasons: decision.reasons, send: decision.send };
    const now = options.now ?? new Date();
    let applied: AppliedPurchaseOrderEvent | null = null;
    if (decision.decision === "auto-approve") {
      applied = await applyLocked(tx, shopId, po, "auto-approve", { type: "SYSTEM", name: "approval policy" }, { data, now, message: decision.reasons.join("; ") });
    } else if (po.status === "DRAFT") {
      applied = await applyLocked(tx, shopId, po, "submit", { type: "SYSTEM", name: "approval policy" }, { data, now, message: `Needs review: ${decision.reasons.join("; ")}` });
    }
    return { ...decision, applied };
  }, TRANSACTION);
}

/** A supplier-portal token for one PO, scoped to the PO's current supplier. */
export async function issueSupplierPortalToken(
  shopId: string,
  purchaseOrderId: string,
  options: { now?: Date; ttlMs?: number } = {},
): Promise<string> {
  const scope = await findPortalScope(shopId, purchaseOrderId);
  if (!scope) throw notFound();
  return issuePortalToken({
    shopId,
    supplierId: scope.supplierId,
    purchaseOrderId,
    now: options.now ?? new Date(),
    ...(options.ttlMs === undefined ? {} : { ttlMs: options.ttlMs }),
  });
}

/**
 * What the public portal calls first with the token from the URL: the signed claims are checked
 * against the database as it is now — the PO still exists in that shop, still belongs to that
 * supplier, the shop is installed, and the supplier has not revoked links issued before. Every failure
 * is the same AppError('forbidden') as a forged token, so nothing is revealed.
 */
export async function authorizeSupplierPortal(token: string, options: { now?: Date } = {}): Promise<PortalTokenScope> {
  const now = options.now ?? new Date();
  const claims = readPortalToken(token, now);
  const scope = await findPortalScope(claims.shopId, claims.purchaseOrderId);
  if (!scope || !scope.shopActive) throw invalidPortalLinkError();
  const verified = verifyPortalToken(token, {
    now,
    revokedBefore: scope.portalTokensRevokedBefore,
    expect: { shopId: claims.shopId, supplierId: scope.supplierId, purchaseOrderId: claims.purchaseOrderId },
  });
  return { shopId: verified.shopId, supplierId: verified.supplierId, purchaseOrderId: verified.purchaseOrderId };
}
