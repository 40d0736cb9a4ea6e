import { Prisma, type ActorType, type ApprovalMode, type PurchaseOrderStatus } from "@prisma/client";
import { toCents, type Cents } from "../domain/shared/money.ts";
import type { StatusChangeRecord, TimestampField } from "../domain/purchasing/purchase-order.ts";
import { forShop, type ShopScopedClient } from "./scoped-db.server.ts";

// Persistence of PO status changes. Only the purchase-orders service calls these, inside its
// transaction, after the domain state machine said the move is legal: the status column is never
// written anywhere else (ARCHITECTURE principle 3), so every change has its event-log row.

/** The transaction client of `forShop(shopId).$transaction`. */
export type LifecycleTx = Omit<ShopScopedClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends" | "$use">;

export interface LockedPurchaseOrder {
  id: string;
  number: string;
  status: PurchaseOrderStatus;
  supplierId: string;
  currency: string;
  total: Cents;
  flags: string[];
  approvedAt: Date | null;
  acknowledgedAt: Date | null;
  firstReceivedAt: Date | null;
}

/**
 * Reads the PO and holds its row lock until the transaction ends, so two events on the same PO run one
 * after the other and the second sees the first's result. Raw SQL because Prisma has no FOR UPDATE;
 * the shop is in the WHERE because forShop does not scope raw queries. Null when this shop has no such PO.
 */
/**
 * A new arrival date for the whole PO (the supplier's ship date plus transit, a carrier's estimate) moves
 * every line still awaiting goods to it: the planner, the back-in-stock ETA and the receiving list read a
 * line's own date before the PO's, so a line kept at the counter-offer's earlier date would promise stock
 * that is still at sea. Lines received in full keep their date.
 */
export async function moveOpenLinesToArrival(tx: LifecycleTx, purchaseOrderId: string, arrival: Date): Promise<number> {
  const lines = await tx.purchaseOrderLine.findMany({ where: { purchaseOrderId }, select: { id: true, quantityOrdered: true, quantityReceived: true } });
  const open = lines.filter((l) => l.quantityReceived < l.quantityOrdered).map((l) => l.id);
  if (open.length === 0) return 0;
  return (await tx.purchaseOrderLine.updateMany({ where: { id: { in: open } }, data: { expectedDate: arrival } })).count;
}

export async function lockPurchaseOrder(tx: LifecycleTx, shopId: string, purchaseOrderId: string): Promise<LockedPurchaseOrder | null> {
  const rows = await tx.$queryRaw<
    { id: string; number: string; status: string; supplierId: string; currency: string; total: string; flags: string[]; approvedAt: Date | null; acknowledgedAt: Date | null; firstReceivedAt: Date | null }[]
  >(Prisma.sql`
    SELECT "id", "number", "status"::text AS "status", "supplierId", "currency", "total"::text AS "total", "flags",
           "approvedAt", "acknowledgedAt", "firstReceivedAt"
    FROM "PurchaseOrder"
    WHERE "id" = ${purchaseOrderId} AND "shopId" = ${shopId}
    FOR UPDATE`);
  const row = rows[0];
  if (!row) return null;
  return { ...row, status: row.status as PurchaseOrderStatus, total: toCents(row.total) };
}

export interface StatusChangeWrite {
  record: StatusChangeRecord;
  stamp: readonly TimestampField[];
  now: Date;
  /** Written to approvedBy when the change stamps approvedAt. */
  approvedBy?: string;
  message?: string;
  data?: Prisma.InputJsonObject;
}

/** Updates status and timestamps and appends the STATUS_CHANGE event; returns the event id. */
export async function writeStatusChange(tx: LifecycleTx, shopId: string, purchaseOrderId: string, change: StatusChangeWrite): Promise<string> {
  const stamps: Partial<Record<TimestampField, Date>> = {};
  for (const field of change.stamp) stamps[field] = change.now;
  await tx.purchaseOrder.update({
    where: { id: purchaseOrderId },
    data: {
      status: change.record.toStatus,
      ...stamps,
      ...(change.stamp.includes("approvedAt") ? { approvedBy: change.approvedBy ?? change.record.actorName ?? change.record.actorType.toLowerCase() } : {}),
    },
  });
  const event = await tx.purchaseOrderEvent.create({
    data: {
      shopId,
      purchaseOrderId,
      type: change.record.type,
      actorType: change.record.actorType satisfies ActorType,
      actorName: change.record.actorName,
      fromStatus: change.record.fromStatus,
      toStatus: change.record.toStatus,
      message: change.message ? `${change.record.message} — ${change.message}` : change.record.message,
      createdAt: change.now,
      // The event name is kept so the log says *what* happened when the status stays (approve, counter-back).
      data: { ...change.data, event: change.record.event },
    },
    select: { id: true },
  });
  return event.id;
}

export interface ApprovalContext {
  mode: ApprovalMode;
  autonomousScope: Prisma.JsonValue | null;
  threshold: Cents;
  shopCurrency: string;
  supplierAutoSend: boolean;
  /** One per line, from the engine suggestion the line came from; null when unknown. */
  lineAbcClasses: (string | null)[];
}

/** What the approval policy needs besides the PO itself. */
export async function loadApprovalContext(tx: LifecycleTx, shopId: string, po: LockedPurchaseOrder): Promise<ApprovalContext> {
  const [shop, settings, supplier, lines] = await Promise.all([
    tx.shop.findUniqueOrThrow({ where: { id: shopId }, select: { currency: true } }),
    tx.shopSettings.findUnique({ where: { shopId }, select: { approvalMode: true, autonomousScope: true, approvalThreshold: true } }),
    tx.supplier.findUniqueOrThrow({ where: { id: po.supplierId }, select: { autoSend: true } }),
    tx.purchaseOrderLine.findMany({ where: { purchaseOrderId: po.id }, select: { suggestionId: true }, orderBy: { id: "asc" } }),
  ]);
  const suggestionIds = lines.flatMap((l) => (l.suggestionId ? [l.suggestionId] : []));
  const suggestions = suggestionIds.length
    ? await tx.reorderSuggestion.findMany({ where: { id: { in: suggestionIds } }, select: { id: true, abcClass: true } })
    : [];
  const classOf = new Map(suggestions.map((s) => [s.id, s.abcClass]));
  return {
    // A shop without a settings row gets the schema defaults: review everything, threshold 2,000.
    mode: settings?.approvalMode ?? "REVIEW_ALL",
    autonomousScope: settings?.autonomousScope ?? null,
    threshold: toCents(settings?.approvalThreshold.toString() ?? "2000"),
    shopCurrency: shop.currency,
    supplierAutoSend: supplier.autoSend,
    lineAbcClasses: lines.map((l) => (l.suggestionId ? (classOf.get(l.suggestionId) ?? null) : null)),
  };
}

export interface PortalScopeRow {
  supplierId: string;
  /** Tokens issued before this instant are refused (Supplier.portalTokensRevokedBefore). */
  portalTokensRevokedBefore: Date | null;
  shopActive: boolean;
}

/** Who a PO's portal link is for, as the database says now; null when the shop has no such PO. */
export async function findPortalScope(shopId: string, purchaseOrderId: string): Promise<PortalScopeRow | null> {
  const row = await forShop(shopId).purchaseOrder.findUnique({
    where: { id: purchaseOrderId },
    select: { supplierId: true, supplier: { select: { portalTokensRevokedBefore: true } }, shop: { select: { status: true } } },
  });
  if (!row) return null;
  return { supplierId: row.supplierId, portalTokensRevokedBefore: row.supplier.portalTokensRevokedBefore, shopActive: row.shop.status === "ACTIVE" };
}
