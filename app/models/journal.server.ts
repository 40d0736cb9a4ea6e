import { Prisma, type PaymentKind, type PaymentStatus } from "@prisma/client";
import type { Account, EntryDraft, PeriodBounds, PostingLine } from "../domain/accounting/postings.ts";
import { toCents, type Cents } from "../domain/shared/money.ts";
import type { LifecycleTx } from "./purchase-order-lifecycle.server.ts";
import { forShop } from "./scoped-db.server.ts";

// The journal and supplier payments. Entries are only ever added (a reversal is a new entry); the
// database refuses an entry whose lines do not balance. Keys make every posting idempotent.

type Db = LifecycleTx;

function centsToDecimal(cents: Cents): Prisma.Decimal {
  return new Prisma.Decimal(cents).div(100);
}

export interface EntryPosting {
  draft: EntryDraft;
  postedAt: Date;
  sourceType: "RECEIPT" | "UNRECEIVE" | "WRITE_OFF" | "PAYMENT";
  sourceId: string;
}

/** Writes the entries whose key is new; returns how many were written (a replay writes none). */
export async function postEntries(db: Db, shopId: string, postings: readonly EntryPosting[]): Promise<number> {
  if (postings.length === 0) return 0;
  const existing = await db.journalEntry.findMany({ where: { shopId, idempotencyKey: { in: postings.map((p) => p.draft.key) } }, select: { idempotencyKey: true } });
  const known = new Set(existing.map((e) => e.idempotencyKey));
  let written = 0;
  for (const posting of postings) {
    if (known.has(posting.draft.key)) continue;
    known.add(posting.draft.key);
    await db.journalEntry.create({
      data: {
        shopId,
        postedAt: posting.postedAt,
        memo: posting.draft.memo,
        sourceType: posting.sourceType,
        sourceId: posting.sourceId,
        idempotencyKey: posting.draft.key,
        lines: {
          createMany: {
            data: posting.draft.lines.map((line) => ({ shopId, account: line.account, debit: centsToDecimal(line.debit), credit: centsToDecimal(line.credit), memo: line.memo ?? null })),
          },
        },
      },
    });
    written += 1;
  }
  return written;
}

export interface StoredEntry {
  id: string;
  postedAt: Date;
  memo: string;
  sourceType: string;
  sourceId: string;
  key: string;
  lines: PostingLine[];
}

const entrySelect = {
  id: true, postedAt: true, memo: true, sourceType: true, sourceId: true, idempotencyKey: true,
  lines: { orderBy: { id: "asc" }, select: { account: true, debit: true, credit: true, memo: true } },
} satisfies Prisma.JournalEntrySelect;

function toStored(row: Prisma.JournalEntryGetPayload<{ select: typeof entrySelect }>): StoredEntry {
  return {
    id: row.id,
    postedAt: row.postedAt,
    memo: row.memo,
    sourceType: row.sourceType,
    sourceId: row.sourceId,
    key: row.idempotencyKey,
    lines: row.lines.map((l) => ({ account: l.account as Account, debit: toCents(l.debit.toString()), credit: toCents(l.credit.toString()), ...(l.memo ? { memo: l.memo } : {}) })),
  };
}

export async function listEntriesForSource(db: Db, shopId: string, sourceType: string, sourceId: string): Promise<StoredEntry[]> {
  const rows = await db.journalEntry.findMany({ where: { shopId, sourceType, sourceId }, orderBy: [{ postedAt: "asc" }, { id: "asc" }], select: entrySelect });
  return rows.map(toStored);
}

/** The journal of a period, oldest first (what the page and the CSV export show). */
export async function listJournal(shopId: string, period: PeriodBounds, limit = 5_000): Promise<StoredEntry[]> {
  const rows = await forShop(shopId).journalEntry.findMany({
    where: { postedAt: { gte: period.from, lt: period.to } },
    orderBy: [{ postedAt: "asc" }, { createdAt: "asc" }, { id: "asc" }],
    take: limit,
    select: entrySelect,
  });
  return rows.map(toStored);
}

/** Debit − credit per account over everything posted up to `before` (exclusive). */
export async function accountBalancesBefore(shopId: string, before: Date): Promise<{ account: string; balance: Cents }[]> {
  const groups = await forShop(shopId).journalLine.groupBy({ by: ["account"], where: { entry: { postedAt: { lt: before } } }, _sum: { debit: true, credit: true } });
  return groups
    .map((g) => ({ account: g.account, balance: toCents(g._sum.debit?.toString() ?? "0") - toCents(g._sum.credit?.toString() ?? "0") }))
    .sort((a, b) => a.account.localeCompare(b.account));
}

/** How much of a PO's deposit its receipts have used so far (credits to SUPPLIER_DEPOSITS net of reversals). */
export async function depositAppliedToPurchaseOrder(db: Db, shopId: string, purchaseOrderId: string): Promise<Cents> {
  const receipts = await db.receipt.findMany({ where: { shopId, purchaseOrderId }, select: { id: true } });
  if (receipts.length === 0) return 0;
  const sum = await db.journalLine.aggregate({
    where: { shopId, account: "SUPPLIER_DEPOSITS", entry: { sourceType: { in: ["RECEIPT", "UNRECEIVE"] }, sourceId: { in: receipts.map((r) => r.id) } } },
    _sum: { debit: true, credit: true },
  });
  return toCents(sum._sum.credit?.toString() ?? "0") - toCents(sum._sum.debit?.toString() ?? "0");
}

// ── supplier payments ──

export interface PaymentWrite {
  /** Deterministic (dep_<po>, bal_<receipt>): the same payable is never scheduled twice. */
  id: string;
  supplierId: string;
  purchaseOrderId: string;
  kind: PaymentKind;
  amount: Cents;
  dueDate: Date;
}

export async function schedulePayment(db: Db, shopId: string, payment: PaymentWrite): Promise<void> {
  await db.supplierPayment.upsert({
    where: { id: payment.id, shopId },
    create: { id: payment.id, shopId, supplierId: payment.supplierId, purchaseOrderId: payment.purchaseOrderId, kind: payment.kind, amount: centsToDecimal(payment.amount), dueDate: payment.dueDate },
    update: {},
  });
}

export async function findPayment(db: Db, shopId: string, id: string) {
  return db.supplierPayment.findFirst({ where: { shopId, id }, include: { supplier: { select: { name: true } }, purchaseOrder: { select: { number: true } } } });
}

export async function setPaymentStatus(db: Db, shopId: string, id: string, status: PaymentStatus, paidAt: Date | null = null): Promise<void> {
  await db.supplierPayment.update({ where: { id, shopId }, data: { status, paidAt } });
}

export interface PaymentRow {
  id: string;
  kind: PaymentKind;
  status: PaymentStatus;
  amount: Cents;
  dueDate: Date;
  paidAt: Date | null;
  supplierName: string;
  purchaseOrderId: string;
  purchaseOrderNumber: string;
  currency: string;
}

/** Payables still due, soonest first. */
export async function listDuePayments(shopId: string, limit = 200): Promise<PaymentRow[]> {
  const rows = await forShop(shopId).supplierPayment.findMany({
    where: { status: "DUE" },
    orderBy: [{ dueDate: "asc" }, { id: "asc" }],
    take: limit,
    include: { supplier: { select: { name: true } }, purchaseOrder: { select: { number: true, currency: true } } },
  });
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind,
    status: r.status,
    amount: toCents(r.amount.toString()),
    dueDate: r.dueDate,
    paidAt: r.paidAt,
    supplierName: r.supplier.name,
    purchaseOrderId: r.purchaseOrderId,
    purchaseOrderNumber: r.purchaseOrder.number,
    currency: r.purchaseOrder.currency,
  }));
}
