/** Builders for the seed's unit tests: log rows and a small synthetic order log. Not used by the seed itself. */
import { addDays } from "#app/domain/shared/day.ts";
import { createRng } from "#app/domain/shared/random.ts";
import type { RetailLogRow } from "./retail-log.ts";

let rowNo = 0;

export function logRow(partial: Partial<RetailLogRow> & Pick<RetailLogRow, "invoiceNo" | "stockCode" | "quantity" | "invoiceDate">): RetailLogRow {
  return { row: rowNo++, description: "THING", unitPrice: "1.25", customerId: "17850", country: "United Kingdom", ...partial };
}

/**
 * A year of invoices (2010-12-01 … 2011-12-09) for `products` stock codes: each trading day a few
 * invoices, wholesale quantities in cases of 6 or 12, some anonymous retail lines at a higher price and a
 * few exact cancellations. Deterministic for a seed.
 */
export function syntheticLog(products = 6, seed = 7): RetailLogRow[] {
  const rng = createRng(seed);
  const rows: RetailLogRow[] = [];
  let invoice = 536_000;
  const codes = Array.from({ length: products }, (_, i) => `2${String(2000 + i * 37)}${i % 3 === 0 ? "A" : ""}`);
  for (let d = 0; d <= 373; d++) {
    const day = addDays("2010-12-01", d);
    if (new Date(`${day}T00:00:00Z`).getUTCDay() === 6) continue; // no Saturdays, like the real log
    const invoices = rng.int(1, 4);
    for (let k = 0; k < invoices; k++) {
      invoice++;
      const anonymous = rng.next() < 0.2;
      const customerId = anonymous ? null : String(12_000 + rng.int(0, 40));
      const time = `${String(8 + k * 2).padStart(2, "0")}:${String(rng.int(0, 59)).padStart(2, "0")}:00`;
      for (let p = 0; p < products; p++) {
        // The last product stops selling in August (→ DISCONTINUED), the others sell at falling rates.
        if (p === products - 1 && day > "2011-08-15") continue;
        if (rng.next() > 0.6 / (1 + p * 0.3)) continue;
        const pack = p % 2 === 0 ? 6 : 12;
        const quantity = anonymous ? rng.int(1, 3) : pack * rng.int(1, 3);
        const price = anonymous ? "4.13" : quantity >= 24 ? "1.85" : "2.10";
        rows.push(logRow({ invoiceNo: String(invoice), stockCode: codes[p] as string, description: `PRODUCT ${p}`, quantity, invoiceDate: `${day} ${time}`, unitPrice: price, customerId }));
        if (!anonymous && rng.next() < 0.01) {
          rows.push(logRow({ invoiceNo: `C${invoice}`, stockCode: codes[p] as string, description: `PRODUCT ${p}`, quantity: -quantity, invoiceDate: `${day} 19:00:00`, unitPrice: price, customerId }));
        }
      }
    }
  }
  // The log is in time order (cancellations were appended per invoice above, at 19:00 the same day).
  return rows.sort((a, b) => (a.invoiceDate < b.invoiceDate ? -1 : a.invoiceDate > b.invoiceDate ? 1 : a.row - b.row));
}
