/**
 * The data README's cleaning rules ("Facts for inventory simulation"), kept as order lines rather than
 * summed away, because the seed stores the orders themselves:
 * - a sale line is a line whose InvoiceNo is all digits, with Quantity > 0, UnitPrice > 0 and a product
 *   stock code (fees, postage, vouchers… are not products);
 * - a cancellation line (`C…` invoice, Quantity < 0) cancels the latest earlier unmatched sale line with
 *   the same CustomerID, StockCode and |Quantity|; that sale line stays, with cancelledQuantity = its
 *   quantity (the README drops such lines from demand; we keep them as cancelled so the order history is
 *   complete and net units still match the README's figures);
 * - cancellations that match nothing (no customer id, partial quantities, the original is before the log)
 *   are ignored and counted.
 */
import { isProductStockCode } from "#app/lib/retail-dataset.server.ts";
import type { RetailLogRow } from "./retail-log.ts";

export interface SaleLine extends RetailLogRow {
  /** 0 or the whole quantity: the README's rule only matches exact reversals. */
  cancelledQuantity: number;
  /** Log time of the matching cancellation, when there is one. */
  cancelledAt: string | null;
}

export interface CleanedLog {
  /** Every sale line in file order, cancelled ones included. */
  lines: SaleLine[];
  cancellationsMatched: number;
  cancellationsIgnored: number;
  /** Ignored cancellation lines per stock code, so a caller can report them for its own products. */
  ignoredByStockCode: Map<string, number>;
}

export function cleanRetailLog(rows: readonly RetailLogRow[]): CleanedLog {
  const lines: SaleLine[] = [];
  // Unmatched sale lines per customer|code|quantity, oldest first: a cancellation takes the last one.
  const open = new Map<string, SaleLine[]>();
  let cancellationsMatched = 0;
  let cancellationsIgnored = 0;
  const ignoredByStockCode = new Map<string, number>();
  for (const row of rows) {
    if (!isProductStockCode(row.stockCode)) continue;
    if (/^\d+$/.test(row.invoiceNo)) {
      if (row.quantity <= 0 || !(Number(row.unitPrice) > 0)) continue;
      const line: SaleLine = { ...row, cancelledQuantity: 0, cancelledAt: null };
      lines.push(line);
      if (row.customerId !== null) {
        const key = `${row.customerId}|${row.stockCode}|${row.quantity}`;
        const stack = open.get(key);
        if (stack) stack.push(line);
        else open.set(key, [line]);
      }
    } else if (row.invoiceNo.startsWith("C") && row.quantity < 0) {
      // The file is in time order, so the last open line is the latest earlier purchase.
      const match = row.customerId === null ? undefined : open.get(`${row.customerId}|${row.stockCode}|${-row.quantity}`)?.pop();
      if (match) {
        match.cancelledQuantity = match.quantity;
        match.cancelledAt = row.invoiceDate;
        cancellationsMatched += 1;
      } else {
        cancellationsIgnored += 1;
        ignoredByStockCode.set(row.stockCode, (ignoredByStockCode.get(row.stockCode) ?? 0) + 1);
      }
    }
  }
  return { lines, cancellationsMatched, cancellationsIgnored, ignoredByStockCode };
}
