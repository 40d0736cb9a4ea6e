/**
 * Double-entry posting rules (issue 5, item 10), without storage. Every function returns entries
 * whose debits equal their credits (the database trigger refuses anything else; `assertBalanced` lets
 * callers fail first with a clear message). Amounts are integer cents.
 *
 *   receipt        Dr INVENTORY                / Cr GRNI                  (goods in, not invoiced yet)
 *   payable        Dr GRNI                     / Cr ACCOUNTS_PAYABLE      (the supplier's claim, due after the terms)
 *                                                Cr SUPPLIER_DEPOSITS     (the part covered by a deposit)
 *   deposit paid   Dr SUPPLIER_DEPOSITS        / Cr CASH
 *   balance paid   Dr ACCOUNTS_PAYABLE         / Cr CASH
 *   write-off      Dr INVENTORY_WRITE_OFFS     / Cr INVENTORY             (shrinkage expense)
 *   un-receive     the receipt's entries with debit and credit swapped (nothing is deleted)
 *
 * Decisions: the payable is recognised on receipt (no separate invoice step exists), so the GRNI
 * balance of a receipt clears in the same breath; keeping both entries leaves the trail an accountant
 * expects when invoices are matched later. A deposit is applied to a PO's receipts in order until used up.
 */
import type { Cents } from "../shared/money.ts";

export const ACCOUNTS = ["INVENTORY", "GRNI", "ACCOUNTS_PAYABLE", "SUPPLIER_DEPOSITS", "CASH", "INVENTORY_WRITE_OFFS"] as const;
export type Account = (typeof ACCOUNTS)[number];

export const ACCOUNT_NAMES: Record<Account, string> = {
  INVENTORY: "Inventory",
  GRNI: "Goods received not invoiced",
  ACCOUNTS_PAYABLE: "Accounts payable",
  SUPPLIER_DEPOSITS: "Supplier deposits (prepaid)",
  CASH: "Cash",
  INVENTORY_WRITE_OFFS: "Inventory shrinkage expense",
};

export interface PostingLine {
  account: Account;
  debit: Cents;
  credit: Cents;
  memo?: string;
}

export interface EntryDraft {
  /** Unique per shop: the same key is the same entry (a retried job posts nothing twice). */
  key: string;
  memo: string;
  lines: PostingLine[];
}

const dr = (account: Account, amount: Cents, memo?: string): PostingLine => ({ account, debit: amount, credit: 0, ...(memo ? { memo } : {}) });
const cr = (account: Account, amount: Cents, memo?: string): PostingLine => ({ account, debit: 0, credit: amount, ...(memo ? { memo } : {}) });

export function assertBalanced(entry: EntryDraft): EntryDraft {
  let debit = 0;
  let credit = 0;
  for (const line of entry.lines) {
    if (!Number.isSafeInteger(line.debit) || !Number.isSafeInteger(line.credit) || line.debit < 0 || line.credit < 0) {
      throw new RangeError(`Journal entry ${entry.key}: amounts must be whole cents ≥ 0`);
    }
    debit += line.debit;
    credit += line.credit;
  }
  if (debit !== credit) throw new RangeError(`Journal entry ${entry.key} does not balance: debits ${debit} ≠ credits ${credit}`);
  return entry;
}

function entry(key: string, memo: string, lines: PostingLine[]): EntryDraft | null {
  const kept = lines.filter((l) => l.debit > 0 || l.credit > 0);
  if (kept.length === 0) return null;
  return assertBalanced({ key, memo, lines: kept });
}

/** Goods in at cost. Null when the receipt has no value (only damaged or wrong items). */
export function postReceipt(key: string, value: Cents, memo: string): EntryDraft | null {
  return entry(key, memo, [dr("INVENTORY", value), cr("GRNI", value)]);
}

/** The supplier's claim for a receipt; `depositApplied` (≤ value) is settled by the deposit already prepaid. */
export function postPayable(key: string, value: Cents, depositApplied: Cents, memo: string): EntryDraft | null {
  const applied = Math.max(0, Math.min(value, depositApplied));
  return entry(key, memo, [dr("GRNI", value), cr("ACCOUNTS_PAYABLE", value - applied), cr("SUPPLIER_DEPOSITS", applied, applied > 0 ? "deposit applied" : undefined)]);
}

export function postPayment(key: string, kind: "DEPOSIT" | "BALANCE", amount: Cents, memo: string): EntryDraft | null {
  return entry(key, memo, kind === "DEPOSIT" ? [dr("SUPPLIER_DEPOSITS", amount), cr("CASH", amount)] : [dr("ACCOUNTS_PAYABLE", amount), cr("CASH", amount)]);
}

export function postWriteOff(key: string, value: Cents, memo: string): EntryDraft | null {
  return entry(key, memo, [dr("INVENTORY_WRITE_OFFS", value), cr("INVENTORY", value)]);
}

/** The inverse of a posted entry: debit and credit swapped, same accounts. */
export function reverseEntry(key: string, original: { memo: string; lines: readonly PostingLine[] }, memo = `Reversal of: ${original.memo}`): EntryDraft {
  return assertBalanced({ key, memo, lines: original.lines.map((l) => ({ account: l.account, debit: l.credit, credit: l.debit, ...(l.memo ? { memo: l.memo } : {}) })) });
}

/** The deposit a supplier asks up front: total × pct, rounded to the cent. */
export function depositAmount(total: Cents, depositPct: number): Cents {
  if (!(depositPct > 0)) return 0;
  return Math.round(total * Math.min(1, depositPct));
}

/** How much of a deposit a new receipt uses: what is left of it, at most the receipt's value. */
export function depositToApply(deposit: Cents, alreadyApplied: Cents, receiptValue: Cents): Cents {
  return Math.max(0, Math.min(receiptValue, deposit - alreadyApplied));
}

/** The due date of a payable: the receipt's day plus the supplier's payment terms (UTC days). */
export function paymentDueDate(receivedAt: Date, termsDays: number): Date {
  const day = Date.UTC(receivedAt.getUTCFullYear(), receivedAt.getUTCMonth(), receivedAt.getUTCDate());
  return new Date(day + Math.max(0, Math.trunc(termsDays)) * 86_400_000);
}

/** Debits minus credits per account (what the trial balance shows). */
export function accountBalances(lines: Iterable<Pick<PostingLine, "account" | "debit" | "credit">>): Map<Account, Cents> {
  const balances = new Map<Account, Cents>();
  for (const line of lines) balances.set(line.account, (balances.get(line.account) ?? 0) + line.debit - line.credit);
  return balances;
}

export interface PeriodBounds {
  from: Date;
  /** Exclusive. */
  to: Date;
}

/** A calendar month "2026-03" as UTC bounds; null for anything else. */
export function monthPeriod(period: string): PeriodBounds | null {
  const m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(period.trim());
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]) - 1;
  return { from: new Date(Date.UTC(year, month, 1)), to: new Date(Date.UTC(year, month + 1, 1)) };
}

export function periodOf(at: Date): string {
  return `${at.getUTCFullYear()}-${String(at.getUTCMonth() + 1).padStart(2, "0")}`;
}

/** Why units are written off (WriteOff.reason). */
export const WRITE_OFF_REASONS = ["DAMAGED", "MISSING", "EXPIRED", "SHRINKAGE", "OTHER"] as const;
export type WriteOffReason = (typeof WRITE_OFF_REASONS)[number];
