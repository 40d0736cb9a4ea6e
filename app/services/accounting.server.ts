import { stringify } from "csv-stringify/sync";
import { ACCOUNT_NAMES, depositAmount, monthPeriod, paymentDueDate, periodOf, postPayment, type Account } from "#app/domain/accounting/postings.ts";
import { formatCents, toCents } from "#app/domain/shared/money.ts";
import { AppError } from "#app/lib/app-error.ts";
import { accountBalancesBefore, findPayment, listDuePayments, listJournal, postEntries, schedulePayment, setPaymentStatus, type PaymentRow, type StoredEntry } from "#app/models/journal.server.ts";
import { forShop } from "#app/models/scoped-db.server.ts";

// Accounting (issue 5, item 10): the journal per period, payables due, marking a payment paid (which
// posts its entry), and the CSV export of a period's journal for the merchant's accountant.

export interface AccountingPage {
  period: string;
  /** Months that have entries, newest first (plus the chosen one). */
  periods: string[];
  entries: StoredEntry[];
  /** Per account: balance brought forward, movement in the period, closing balance (debit − credit). */
  accounts: { account: string; name: string; opening: number; debit: number; credit: number; closing: number }[];
  payables: PaymentRow[];
  currency: string;
}

async function journalMonths(shopId: string): Promise<string[]> {
  const first = await forShop(shopId).journalEntry.findFirst({ orderBy: { postedAt: "asc" }, select: { postedAt: true } });
  const last = await forShop(shopId).journalEntry.findFirst({ orderBy: { postedAt: "desc" }, select: { postedAt: true } });
  if (!first || !last) return [];
  const months: string[] = [];
  const cursor = new Date(Date.UTC(last.postedAt.getUTCFullYear(), last.postedAt.getUTCMonth(), 1));
  const stop = Date.UTC(first.postedAt.getUTCFullYear(), first.postedAt.getUTCMonth(), 1);
  while (cursor.getTime() >= stop && months.length < 120) {
    months.push(periodOf(cursor));
    cursor.setUTCMonth(cursor.getUTCMonth() - 1);
  }
  return months;
}

/** `period` "YYYY-MM"; when absent, the latest month with entries (else this month). */
export async function getAccountingPage(shopId: string, period: string | undefined, options: { now?: Date } = {}): Promise<AccountingPage> {
  const periods = await journalMonths(shopId);
  const chosen = period ?? periods[0] ?? periodOf(options.now ?? new Date());
  const bounds = monthPeriod(chosen);
  if (!bounds) throw new AppError("invalid", `"${chosen}" is not a month (use YYYY-MM)`);
  const [entries, opening, payables, shop] = await Promise.all([
    listJournal(shopId, bounds),
    accountBalancesBefore(shopId, bounds.from),
    listDuePayments(shopId),
    forShop(shopId).shop.findUniqueOrThrow({ where: { id: shopId }, select: { currency: true } }),
  ]);
  const rows = new Map<string, { opening: number; debit: number; credit: number }>();
  for (const o of opening) rows.set(o.account, { opening: o.balance, debit: 0, credit: 0 });
  for (const line of entries.flatMap((e) => e.lines)) {
    const row = rows.get(line.account) ?? { opening: 0, debit: 0, credit: 0 };
    row.debit += line.debit;
    row.credit += line.credit;
    rows.set(line.account, row);
  }
  return {
    period: chosen,
    periods: periods.includes(chosen) ? periods : [chosen, ...periods],
    entries,
    accounts: [...rows]
      .map(([account, r]) => ({ account, name: ACCOUNT_NAMES[account as Account] ?? account, ...r, closing: r.opening + r.debit - r.credit }))
      .sort((a, b) => a.account.localeCompare(b.account)),
    payables,
    currency: shop.currency,
  };
}

/** The journal of one month as CSV: one row per journal line, amounts with two decimals. */
export async function exportJournalCsv(shopId: string, period: string): Promise<{ filename: string; csv: string }> {
  const bounds = monthPeriod(period);
  if (!bounds) throw new AppError("invalid", `"${period}" is not a month (use YYYY-MM)`);
  const entries = await listJournal(shopId, bounds, 100_000);
  const rows = entries.flatMap((e) =>
    e.lines.map((l) => ({
      date: e.postedAt.toISOString().slice(0, 10),
      entry_id: e.id,
      reference: e.key,
      source_type: e.sourceType,
      source_id: e.sourceId,
      memo: e.memo,
      account: l.account,
      account_name: ACCOUNT_NAMES[l.account] ?? l.account,
      debit: (l.debit / 100).toFixed(2),
      credit: (l.credit / 100).toFixed(2),
      line_memo: l.memo ?? "",
    })),
  );
  const columns = ["date", "entry_id", "reference", "source_type", "source_id", "memo", "account", "account_name", "debit", "credit", "line_memo"];
  return { filename: `journal-${period}.csv`, csv: stringify(rows, { header: true, columns }) };
}

/** Records a supplier payment as paid and posts it (deposit → prepaid, balance → out of payables). Idempotent. */
export async function markPaymentPaid(shopId: string, paymentId: string, options: { now?: Date } = {}): Promise<{ replayed: boolean; message: string }> {
  const now = options.now ?? new Date();
  return forShop(shopId).$transaction(async (tx) => {
    const payment = await findPayment(tx, shopId, paymentId);
    if (!payment) throw new AppError("not_found", "Payment not found");
    if (payment.status === "PAID") return { replayed: true, message: "That payment was already recorded as paid" };
    if (payment.status === "CANCELLED") throw new AppError("conflict", "That payment was cancelled (its receipt was un-received)");
    const amount = toCents(payment.amount.toString());
    const draft = postPayment(`payment:${payment.id}`, payment.kind, amount, `${payment.kind === "DEPOSIT" ? "Deposit" : "Payment"} to ${payment.supplier.name} for ${payment.purchaseOrder.number}`);
    if (draft) await postEntries(tx, shopId, [{ draft, postedAt: now, sourceType: "PAYMENT", sourceId: payment.id }]);
    await setPaymentStatus(tx, shopId, payment.id, "PAID", now);
    return { replayed: false, message: `${formatCents(amount)} paid to ${payment.supplier.name} (${payment.purchaseOrder.number})` };
  });
}

/**
 * Schedules the deposit a supplier asks up front (Supplier.depositPct of the PO total, due the day the
 * PO is placed) once a PO has been sent. Idempotent (one deposit per PO); returns the amount in cents,
 * or 0 when the supplier asks none or the PO is not placed. Receiving calls the same rule, so a PO
 * received before anyone scheduled its deposit still gets it; the sending side may call this at send.
 */
export async function scheduleDeposit(shopId: string, purchaseOrderId: string, options: { now?: Date } = {}): Promise<number> {
  return forShop(shopId).$transaction(async (tx) => {
    const po = await tx.purchaseOrder.findFirst({ where: { id: purchaseOrderId }, select: { id: true, status: true, total: true, sentAt: true, supplierId: true, supplier: { select: { depositPct: true } } } });
    if (!po) throw new AppError("not_found", "Purchase order not found");
    if (!po.sentAt || po.status === "CANCELLED") return 0;
    const amount = depositAmount(toCents(po.total.toString()), Number(po.supplier.depositPct.toString()));
    if (amount <= 0) return 0;
    await schedulePayment(tx, shopId, { id: `dep_${po.id}`, supplierId: po.supplierId, purchaseOrderId: po.id, kind: "DEPOSIT", amount, dueDate: paymentDueDate(po.sentAt ?? options.now ?? new Date(), 0) });
    return amount;
  });
}
