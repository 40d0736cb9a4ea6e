import type { Prisma, PurchaseOrderStatus } from "@prisma/client";
import { toCents, type Cents } from "../domain/shared/money.ts";
import { forShop } from "./scoped-db.server.ts";
import { cursorArgs, toPage, type PageQuery, type Paged } from "./pagination.server.ts";

import { PO_STATUS_GROUPS, type PoStatusGroup } from "../domain/purchasing/purchase-order.ts";

// The groups live with the PO status machine in domain/purchasing; re-exported for existing importers.
export { PO_STATUS_GROUPS, type PoStatusGroup };

/** Placed with the supplier and not yet fully received: what the receiving desk can expect. */
export const AWAITING_RECEIPT_STATUSES = [
  "SENT",
  "ACKNOWLEDGED",
  "COUNTERED",
  "CONFIRMED",
  "SHIPPED",
  "ARRIVING",
  "PARTIALLY_RECEIVED",
] as const satisfies readonly PurchaseOrderStatus[];

export type PurchaseOrderListRow = {
  id: string;
  number: string;
  supplierName: string;
  /** The ship-to location: a run drafts one PO per supplier and location, so two drafts for one supplier differ here. */
  locationName: string;
  status: PurchaseOrderStatus;
  currency: string;
  total: Cents;
  expectedArrivalDate: Date | null;
  createdAt: Date;
};

const listSelect = {
  id: true,
  number: true,
  status: true,
  currency: true,
  total: true,
  expectedArrivalDate: true,
  createdAt: true,
  supplier: { select: { name: true } },
  location: { select: { name: true } },
} satisfies Prisma.PurchaseOrderSelect;

function toListRow(row: Prisma.PurchaseOrderGetPayload<{ select: typeof listSelect }>): PurchaseOrderListRow {
  return {
    id: row.id,
    number: row.number,
    supplierName: row.supplier.name,
    locationName: row.location.name,
    status: row.status,
    currency: row.currency,
    total: toCents(row.total.toString()),
    expectedArrivalDate: row.expectedArrivalDate,
    createdAt: row.createdAt,
  };
}

export const PO_PAGE_SIZE = 50;

/** Newest first; `group` undefined lists every status. */
export async function listPurchaseOrderPage(
  shopId: string,
  group: PoStatusGroup | undefined,
  page: PageQuery,
  pageSize = PO_PAGE_SIZE,
): Promise<Paged<PurchaseOrderListRow>> {
  const rows = await forShop(shopId).purchaseOrder.findMany({
    where: group ? { status: { in: [...PO_STATUS_GROUPS[group]] } } : {},
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    ...cursorArgs(shopId, page, pageSize),
    select: listSelect,
  });
  return toPage(rows.map(toListRow), page, pageSize);
}

/** Soonest expected first (unknown dates last), so the next delivery is at the top. */
export async function listPurchaseOrdersAwaitingReceipt(shopId: string, limit = 250): Promise<PurchaseOrderListRow[]> {
  const rows = await forShop(shopId).purchaseOrder.findMany({
    where: { status: { in: [...AWAITING_RECEIPT_STATUSES] } },
    orderBy: [{ expectedArrivalDate: { sort: "asc", nulls: "last" } }, { number: "asc" }],
    take: limit,
    select: listSelect,
  });
  return rows.map(toListRow);
}

export type PurchaseOrderLookup = PurchaseOrderListRow & {
  awaitingReceipt: boolean;
  lines: { skuCode: string; title: string; quantityOrdered: number; quantityReceived: number }[];
};

/** A PO by its printed number (what a barcode on the packing slip carries), within the shop only. */
export async function findPurchaseOrderByNumber(shopId: string, number: string): Promise<PurchaseOrderLookup | null> {
  const row = await forShop(shopId).purchaseOrder.findUnique({
    where: { shopId_number: { shopId, number } },
    select: {
      ...listSelect,
      lines: {
        orderBy: { sku: { code: "asc" } },
        select: { quantityOrdered: true, quantityReceived: true, sku: { select: { code: true, title: true } } },
      },
    },
  });
  if (!row) return null;
  return {
    ...toListRow(row),
    awaitingReceipt: (AWAITING_RECEIPT_STATUSES as readonly PurchaseOrderStatus[]).includes(row.status),
    lines: row.lines.map((line) => ({
      skuCode: line.sku.code,
      title: line.sku.title,
      quantityOrdered: line.quantityOrdered,
      quantityReceived: line.quantityReceived,
    })),
  };
}

export type OpenPurchaseOrderSummary = {
  count: number;
  /** Per currency: suppliers invoice in their own currency, and amounts in different ones do not add up. */
  totals: { currency: string; total: Cents }[];
  byStatus: { status: PurchaseOrderStatus; count: number; totals: { currency: string; total: Cents }[] }[];
};

export async function summarizeOpenPurchaseOrders(shopId: string): Promise<OpenPurchaseOrderSummary> {
  const groups = await forShop(shopId).purchaseOrder.groupBy({
    by: ["status", "currency"],
    where: { status: { in: [...PO_STATUS_GROUPS.OPEN] } },
    _count: { _all: true },
    _sum: { total: true },
  });
  const totals = new Map<string, Cents>();
  const byStatus = new Map<PurchaseOrderStatus, { count: number; totals: Map<string, Cents> }>();
  let count = 0;
  for (const group of groups) {
    const total = toCents(group._sum.total?.toString() ?? "0");
    count += group._count._all;
    totals.set(group.currency, (totals.get(group.currency) ?? 0) + total);
    const entry = byStatus.get(group.status) ?? { count: 0, totals: new Map<string, Cents>() };
    entry.count += group._count._all;
    entry.totals.set(group.currency, (entry.totals.get(group.currency) ?? 0) + total);
    byStatus.set(group.status, entry);
  }
  const sortedTotals = (map: Map<string, Cents>) =>
    [...map].sort(([a], [b]) => a.localeCompare(b)).map(([currency, total]) => ({ currency, total }));
  return {
    count,
    totals: sortedTotals(totals),
    // In the order a PO moves through them.
    byStatus: PO_STATUS_GROUPS.OPEN.flatMap((status) => {
      const entry = byStatus.get(status);
      return entry ? [{ status, count: entry.count, totals: sortedTotals(entry.totals) }] : [];
    }),
  };
}

export type ReceivingDesk = {
  awaiting: PurchaseOrderListRow[];
  /** Present when a number was scanned: the PO, or `null` when the shop has none with that number. */
  lookup?: { number: string; purchaseOrder: PurchaseOrderLookup | null };
};

/** What the receiving desk shows: POs on their way in, and the one just scanned, if any. */
export async function getReceivingDesk(shopId: string, scannedNumber?: string): Promise<ReceivingDesk> {
  const [awaiting, purchaseOrder] = await Promise.all([
    listPurchaseOrdersAwaitingReceipt(shopId),
    scannedNumber ? findPurchaseOrderByNumber(shopId, scannedNumber) : Promise.resolve(null),
  ]);
  return scannedNumber ? { awaiting, lookup: { number: scannedNumber, purchaseOrder } } : { awaiting };
}
