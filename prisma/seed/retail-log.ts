/**
 * Minimal reader for the UCI Online Retail log (../shared/data/online-retail-dataset.csv.gz): streaming
 * gunzip + csv-parse, one typed row per CSV line, in file order (the file is in date order). No cleaning
 * here: the seed needs the raw cancellation lines to mark the order lines they cancel, which a cleaned
 * demand series would already have dropped (see clean-log.ts for the rules).
 */
import { readGzipCsv } from "#app/lib/gzip-csv.server.ts";

export interface RetailLogRow {
  /** 0-based position in the file; keeps the order deterministic when timestamps tie. */
  row: number;
  invoiceNo: string;
  stockCode: string;
  description: string;
  quantity: number;
  /** UK local time as written in the log: `YYYY-MM-DD HH:MM:SS`. */
  invoiceDate: string;
  /** The price exactly as written (e.g. "2.55"), so money never passes through a float. */
  unitPrice: string;
  /** `17850` (the log writes `17850.0`), or null when the line has no customer. */
  customerId: string | null;
  country: string;
}

const HEADER = ["InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country"];

export async function readRetailLog(path: string): Promise<RetailLogRow[]> {
  const rows: RetailLogRow[] = [];
  const records = await readGzipCsv<string[]>(path, { relax_quotes: false });
  let header = true;
  for await (const record of records) {
    if (header) {
      header = false;
      if (record.join(",") !== HEADER.join(",")) throw new Error(`${path}: unexpected header ${record.join(",")}`);
      continue;
    }
    const [invoiceNo = "", stockCode = "", description = "", quantity = "", invoiceDate = "", unitPrice = "", customerId = "", country = ""] = record;
    const q = Number(quantity);
    if (!Number.isInteger(q)) throw new Error(`${path}: line ${rows.length + 2}: quantity ${JSON.stringify(quantity)} is not an integer`);
    rows.push({
      row: rows.length,
      invoiceNo,
      stockCode,
      description: description.trim(),
      quantity: q,
      invoiceDate,
      unitPrice,
      customerId: customerId === "" ? null : customerId.replace(/\.0$/, ""),
      country,
    });
  }
  return rows;
}
